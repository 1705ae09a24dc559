#!/usr/bin/env python3
"""The sigstore-conformance CLI protocol on top of ``import sigverify``.

    conformance.py verify-bundle [--staging] --bundle FILE
        (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
        [--trusted-root FILE] FILE_OR_DIGEST

FILE_OR_DIGEST is a digest when it is ``sha256:`` followed by 64 hex digits and
not an existing path; otherwise a file path. Without --trusted-root the
embedded production root is used (--staging: the embedded staging root).

Exit status: 0 verified, 1 not verified, 2 usage error.
"""

import os
import re
import sys
from typing import Dict, List, Optional, Union

import sigverify

USAGE = (__doc__ or "").split("\n\n")[1]
DIGEST = re.compile(r"sha256:[0-9a-fA-F]{64}")


class Usage(Exception):
    """A command-line error (exit 2)."""


FLAGS = {
    "--bundle": "bundle",
    "--certificate-identity": "identity",
    "--certificate-oidc-issuer": "issuer",
    "--key": "key",
    "--trusted-root": "trusted_root",
}


class Args:
    """The parsed verify-bundle command line."""

    def __init__(self) -> None:
        self.staging = False
        self.artifact: Optional[str] = None
        self.values: Dict[str, str] = {}


def parse_args(argv: List[str]) -> Args:
    """Parse verify-bundle options; ``--flag value`` and ``--flag=value`` forms."""
    args = Args()
    it = iter(argv)
    for arg in it:
        flag, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if flag == "--staging" and not eq:
            args.staging = True
        elif flag in FLAGS:
            value = inline if eq else next(it, None)
            if value is None:
                raise Usage("%s needs a value" % flag)
            if FLAGS[flag] in args.values:
                raise Usage("%s given twice" % flag)
            args.values[FLAGS[flag]] = value
        elif arg.startswith("--"):
            raise Usage("unknown option %s" % flag)
        elif args.artifact is not None:
            raise Usage("more than one artifact given")
        else:
            args.artifact = arg
    v = args.values
    if "bundle" not in v:
        raise Usage("--bundle is required")
    if args.artifact is None:
        raise Usage("the artifact (a path or sha256:<hex>) is required")
    if "key" in v:
        if "identity" in v or "issuer" in v:
            raise Usage("give either --key or an identity and issuer, not both")
    elif "identity" not in v or "issuer" not in v:
        raise Usage("give --certificate-identity and --certificate-oidc-issuer, or --key")
    return args


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def verify(args: Args) -> sigverify.VerificationResult:
    """Verify per ``args``; raises sigverify.VerificationError or OSError on failure."""
    v = args.values
    if "trusted_root" in v:
        root = sigverify.TrustedRoot.from_json(read(v["trusted_root"]))
    elif args.staging:
        root = sigverify.TrustedRoot.staging()
    else:
        root = sigverify.TrustedRoot.production()
    verifier = sigverify.Verifier(root)
    bundle = sigverify.Bundle.from_json(read(v["bundle"]))
    policy: Union[sigverify.PublicKey, sigverify.Identity]
    if "key" in v:
        policy = sigverify.PublicKey(read(v["key"]))
    else:
        policy = sigverify.Identity(identity=v["identity"], issuer=v["issuer"])
    target = args.artifact or ""
    if DIGEST.fullmatch(target) and not os.path.exists(target):
        return verifier.verify_artifact(sigverify.Digest.parse(target), bundle, policy)
    # Streamed from the open file, as a large artifact would be.
    with open(target, "rb") as f:
        return verifier.verify_artifact(f, bundle, policy)


def main(argv: List[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] != "verify-bundle":
        print("conformance.py: unsupported command %r (only verify-bundle)\n%s" % (argv[0], USAGE),
              file=sys.stderr)
        return 2
    try:
        args = parse_args(argv[1:])
    except Usage as e:
        print("conformance.py: %s\n%s" % (e, USAGE), file=sys.stderr)
        return 2
    try:
        verify(args)
    except (sigverify.VerificationError, OSError) as e:
        step = getattr(e, "step", "io")
        print("conformance.py: verification failed [%s]: %s" % (step, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
