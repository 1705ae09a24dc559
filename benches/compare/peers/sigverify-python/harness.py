"""Peer harness: sigverify's Python binding (the abi3 wheel).

Usage: harness.py (warm ITERS | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER
warm: one Verifier, ITERS x (Bundle.from_json(bundle bytes) + verify_artifact(
      artifact bytes)); prints JSON timings. The same work per call as the Rust
      `sigverify` harness's verify_json: the bundle JSON is parsed and the
      artifact hashed inside the timed call; the verifier and the policy object
      are built once, outside it.
cold: import, verifier from the root file, one verification; exit 0 on success.
      Nothing else is imported (json only in warm mode).
Every bundle, DSSE included, goes through verify_artifact with the artifact
(sigverify matches it against the in-toto subjects), as in the Rust harness.
"""
import sys
import time

import sigverify


def main() -> None:
    mode = sys.argv[1]
    rest = sys.argv[2:]
    iters = 0
    if mode == "warm":
        iters, rest = int(rest[0]), rest[1:]
    root, bundle_path, artifact_path, identity, issuer = rest
    with open(root, "rb") as f:
        verifier = sigverify.Verifier(sigverify.TrustedRoot.from_json(f.read()))
    with open(bundle_path, "rb") as f:
        bundle_json = f.read()
    with open(artifact_path, "rb") as f:
        artifact = f.read()
    policy = sigverify.Identity(identity=identity, issuer=issuer)

    def once() -> None:
        verifier.verify_artifact(artifact, sigverify.Bundle.from_json(bundle_json), policy)

    try:
        once()
    except Exception as e:  # the comparison must know when a peer rejects a bundle
        print(f"REJECTED: {e!r}", file=sys.stderr)
        sys.exit(1)
    if mode == "cold":
        return
    import json  # warm only: it costs a cold start more than the verification (it pulls in re)

    times = []
    clock = time.perf_counter
    for _ in range(iters):
        s = clock()
        once()
        times.append((clock() - s) * 1e6)
    print(json.dumps({"times_us": times}))


if __name__ == "__main__":
    main()
