"""Verify Sigstore bundles offline, in-process.

sigverify checks a Sigstore bundle (v0.1, v0.2, v0.3; message signature or
DSSE; Rekor v1 or v2; keyless or managed key) against a trusted root and a
policy, with no network access and no runtime dependencies::

    import sigverify

    verifier = sigverify.Verifier(sigverify.TrustedRoot.production())
    bundle = sigverify.Bundle.from_json(open("pkg.whl.sigstore.json", "rb").read())
    policy = sigverify.Identity(
        identity="https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0",
        issuer="https://token.actions.githubusercontent.com",
    )
    result = verifier.verify_artifact("pkg.whl", bundle, policy)
    print(result.identity, result.verified_times[0].time)

Failures raise a subclass of :class:`VerificationError` whose ``code`` and
``step`` name the failed step; misuse raises ``TypeError`` or ``ValueError``.
Verification releases the GIL, and one :class:`Verifier` can be shared by
many threads.
"""

from ._native import (
    AllOf,
    AnyOf,
    ArtifactMismatchError,
    Bundle,
    ChainError,
    CheckpointError,
    Digest,
    FulcioExtension,
    Identity,
    IdentityError,
    InclusionProofError,
    LimitError,
    LogEntry,
    MAX_BUNDLE_BYTES,
    MAX_DSSE_PAYLOAD_BYTES,
    ParseError,
    PolicyMisuseError,
    PublicKey,
    Sct,
    SctError,
    SignatureError,
    SignedEntryTimestampError,
    TimestampError,
    TimeWindowError,
    TlogBodyMismatchError,
    TlogError,
    TrustedRoot,
    TrustedRootError,
    UnsupportedVersionError,
    VerificationError,
    VerificationResult,
    VerifiedTime,
    Verifier,
    __version__,
)

__all__ = [
    "AllOf",
    "AnyOf",
    "ArtifactMismatchError",
    "Bundle",
    "ChainError",
    "CheckpointError",
    "Digest",
    "FulcioExtension",
    "Identity",
    "IdentityError",
    "InclusionProofError",
    "LimitError",
    "LogEntry",
    "MAX_BUNDLE_BYTES",
    "MAX_DSSE_PAYLOAD_BYTES",
    "ParseError",
    "PolicyMisuseError",
    "PublicKey",
    "Sct",
    "SctError",
    "SignatureError",
    "SignedEntryTimestampError",
    "TimestampError",
    "TimeWindowError",
    "TlogBodyMismatchError",
    "TlogError",
    "TrustedRoot",
    "TrustedRootError",
    "UnsupportedVersionError",
    "VerificationError",
    "VerificationResult",
    "VerifiedTime",
    "Verifier",
    "__version__",
]
