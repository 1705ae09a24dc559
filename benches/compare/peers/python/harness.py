"""Peer harness: sigstore-python.

Usage: harness.py (warm ITERS | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER
warm: one Verifier, ITERS x (parse bundle JSON + verify); prints JSON timings.
cold: one verification, as a CLI would do it; exit 0 on success.
DSSE bundles go through verify_dsse (sigstore-python does not match the
artifact against the in-toto subjects), the others through verify_artifact.
"""
import json
import sys
import time

from sigstore.models import Bundle, TrustedRoot
from sigstore.verify import Verifier
from sigstore.verify.policy import Identity


def main() -> None:
    mode = sys.argv[1]
    rest = sys.argv[2:]
    iters = 0
    if mode == "warm":
        iters, rest = int(rest[0]), rest[1:]
    root, bundle_path, artifact_path, identity, issuer = rest
    verifier = Verifier(trusted_root=TrustedRoot.from_file(root))
    bundle_json = open(bundle_path, "rb").read()
    artifact = open(artifact_path, "rb").read()
    policy = Identity(identity=identity, issuer=issuer)
    dsse = b'"dsseEnvelope"' in bundle_json

    def once() -> None:
        b = Bundle.from_json(bundle_json)
        if dsse:
            verifier.verify_dsse(b, policy)
        else:
            verifier.verify_artifact(artifact, b, policy)

    try:
        once()
    except Exception as e:  # the comparison must know when a peer rejects a bundle
        print(f"REJECTED: {e!r}", file=sys.stderr)
        sys.exit(1)
    if mode == "cold":
        return
    times = []
    for _ in range(iters):
        s = time.perf_counter()
        once()
        times.append((time.perf_counter() - s) * 1e6)
    print(json.dumps({"times_us": times}))


if __name__ == "__main__":
    main()
