"""Type stubs for the native module sigverify._native (re-exported by sigverify)."""

import datetime
import os
from typing import IO, Any, final, Dict, Iterable, List, Optional, SupportsIndex, Tuple, Union

__version__: str
MAX_BUNDLE_BYTES: int
"""Built-in ceiling on a bundle's size (64 MiB); ``max_bundle_bytes`` can only tighten it."""
MAX_DSSE_PAYLOAD_BYTES: int
"""Built-in ceiling on a decoded DSSE payload (32 MiB); ``max_dsse_payload_bytes`` can only tighten it."""

_BytesLike = Union[bytes, bytearray, memoryview]
_Text = Union[bytes, bytearray, memoryview, str]
_Input = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", IO[bytes], "Digest"]
_Policy = Union["Identity", "AnyOf", "AllOf", "PublicKey"]

@final
class TrustedRoot:
    """A Sigstore trusted root: the CAs, logs and timestamp authorities to trust."""

    @staticmethod
    def production() -> "TrustedRoot":
        """The Sigstore public-good (production) trusted root embedded in this module."""
    @staticmethod
    def staging() -> "TrustedRoot":
        """The Sigstore staging trusted root embedded in this module."""
    @staticmethod
    def from_json(data: _Text) -> "TrustedRoot":
        """Parse a ``trusted_root.json`` document; raises TrustedRootError or ParseError."""

@final
class Verifier:
    """Verifies bundles against one trusted root; immutable and thread-safe."""

    def __new__(cls, trusted_root: TrustedRoot, *, allow_v0_1: bool = True) -> "Verifier": ...
    @staticmethod
    def production() -> "Verifier":
        """A verifier on the embedded production trusted root."""
    @staticmethod
    def staging() -> "Verifier":
        """A verifier on the embedded staging trusted root."""
    def verify_artifact(self, input: _Input, bundle: "Bundle", policy: _Policy) -> "VerificationResult":
        """Verify ``bundle`` over the artifact ``input`` under ``policy``.

        ``input``: bytes-like; a path (``os.PathLike`` or ``str``); a binary file
        object (streamed); or a digest (``Digest`` or ``"sha256:<hex>"`` str that
        is not an existing file). Raises a VerificationError subclass on failure.
        """
    def verify_dsse(
        self, bundle: "Bundle", policy: _Policy, input: Optional[_Input] = None
    ) -> Tuple[str, bytes]:
        """Verify a DSSE bundle; return ``(payload_type, payload)``.

        With ``input``, the in-toto statement must name it as a subject.
        Without it, every other check runs (signature, logs, timestamps,
        certificate, identity) and matching the statement's subjects to what
        you hold is up to you.
        """

@final
class Bundle:
    """A parsed Sigstore bundle."""

    @staticmethod
    def from_json(
        data: _Text,
        *,
        max_bundle_bytes: Optional[SupportsIndex] = None,
        max_dsse_payload_bytes: Optional[SupportsIndex] = None,
    ) -> "Bundle":
        """Parse a bundle; raises ParseError, UnsupportedVersionError or LimitError.

        ``max_bundle_bytes`` caps the size of ``data``, ``max_dsse_payload_bytes``
        the decoded DSSE payload; exceeding one raises LimitError. They can only
        tighten ``MAX_BUNDLE_BYTES`` / ``MAX_DSSE_PAYLOAD_BYTES``: a larger value,
        or None, means the ceiling. Not an int: TypeError; negative: ValueError.
        """
    @property
    def media_type(self) -> str:
        """The media type as written."""
    @property
    def version(self) -> str:
        """The bundle format version, e.g. ``"0.3"``."""
    @property
    def is_dsse(self) -> bool:
        """True for a DSSE envelope, False for a message signature."""
    @property
    def is_keyless(self) -> bool:
        """True for a Fulcio certificate, False for a managed key."""

@final
class Digest:
    """A precomputed artifact digest (sha256, sha384 or sha512)."""

    def __new__(cls, algorithm: str, digest: bytes) -> "Digest": ...
    @staticmethod
    def parse(text: str) -> "Digest":
        """Parse ``"sha256:<hex>"``; raises PolicyMisuseError (a ValueError) when malformed."""
    @property
    def algorithm(self) -> str:
        """The algorithm name, e.g. ``"sha256"``."""
    @property
    def digest(self) -> bytes:
        """The raw digest bytes."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Identity:
    """A keyless signer: certificate identity (SAN) and OIDC issuer, exact or regex (full match),
    and optionally Fulcio claims (``extensions``/``extensions_regex``: claim name or OID to value)."""

    def __new__(
        cls,
        *,
        identity: Optional[str] = None,
        issuer: Optional[str] = None,
        identity_regex: Optional[str] = None,
        issuer_regex: Optional[str] = None,
        extensions: Optional[Dict[str, str]] = None,
        extensions_regex: Optional[Dict[str, str]] = None,
    ) -> "Identity": ...
    @property
    def identity(self) -> Optional[str]: ...
    @property
    def identity_regex(self) -> Optional[str]: ...
    @property
    def issuer(self) -> Optional[str]: ...
    @property
    def issuer_regex(self) -> Optional[str]: ...
    @property
    def extensions(self) -> Dict[str, str]: ...
    @property
    def extensions_regex(self) -> Dict[str, str]: ...

@final
class AnyOf:
    """Accept a signature by any one of several identities, or by any one of several
    public keys (a keyring; identities and keys do not mix)."""

    def __new__(cls, policies: Iterable[Union[Identity, "PublicKey", "AnyOf"]]) -> "AnyOf": ...
    @property
    def policies(self) -> List[Union[Identity, "PublicKey", "AnyOf"]]: ...

@final
class AllOf:
    """Require every member to match the signing certificate (one verification per member)."""

    def __new__(cls, policies: Iterable[Union[Identity, AnyOf, "AllOf"]]) -> "AllOf": ...
    @property
    def policies(self) -> List[Union[Identity, AnyOf, "AllOf"]]: ...

@final
class PublicKey:
    """A managed signing key the caller trusts (PEM text or DER SubjectPublicKeyInfo,
    at most 64 KiB: LimitError above). ``valid_from`` / ``valid_until``
    (timezone-aware, inclusive) trust it only for signatures made in that window:
    every verified time of a bundle must lie inside, and a bundle with none fails
    (TimeWindowError)."""

    def __new__(
        cls,
        key: _Text,
        *,
        valid_from: Optional[datetime.datetime] = None,
        valid_until: Optional[datetime.datetime] = None,
    ) -> "PublicKey": ...
    @property
    def fingerprint(self) -> str:
        """Lowercase hex SHA-256 of the SubjectPublicKeyInfo."""
    @property
    def key_type(self) -> str:
        """The key type, e.g. ``"ECDSA P-256"``."""
    @property
    def valid_from(self) -> Optional[datetime.datetime]:
        """Trusted for signatures made from this time on (None: no start)."""
    @property
    def valid_until(self) -> Optional[datetime.datetime]:
        """Trusted for signatures made up to this time, inclusive (None: no end)."""

@final
class VerifiedTime:
    """A time a trusted party vouched for."""

    @property
    def time(self) -> datetime.datetime:
        """Timezone-aware UTC time."""
    @property
    def source(self) -> str:
        """``"transparency-log"`` or ``"timestamp-authority"``."""
    @property
    def url(self) -> str:
        """The log's base URL or the authority's URI."""

@final
class LogEntry:
    """A transparency-log entry that verified."""

    @property
    def log_id(self) -> bytes: ...
    @property
    def log_index(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def log_url(self) -> str: ...
    @property
    def integrated_time(self) -> Optional[datetime.datetime]: ...
    @property
    def rekor_v2(self) -> bool: ...
    @property
    def inclusion_proof_verified(self) -> bool: ...
    @property
    def set_verified(self) -> bool: ...

@final
class Sct:
    """A signed certificate timestamp that verified."""

    @property
    def log_id(self) -> bytes: ...
    @property
    def time(self) -> datetime.datetime: ...

@final
class FulcioExtension:
    """A Fulcio certificate extension (OID arc 1.3.6.1.4.1.57264.1)."""

    @property
    def oid(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> str: ...

@final
class VerificationResult:
    """The outcome of a successful verification."""

    @property
    def mode(self) -> str:
        """``"keyless"`` or ``"public-key"``."""
    @property
    def bundle_version(self) -> str: ...
    @property
    def identity(self) -> Optional[str]:
        """The certificate identity (the SAN the policy accepted); None for a managed key."""
    @property
    def issuer(self) -> Optional[str]:
        """The OIDC issuer; None for a managed key."""
    @property
    def sans(self) -> List[Tuple[str, str]]:
        """``(type, value)`` pairs; type is ``"uri"``, ``"email"`` or ``"otherName"``."""
    @property
    def extensions(self) -> List[FulcioExtension]: ...
    @property
    def fulcio_claims(self) -> Dict[str, str]:
        """``{oid: value}`` in certificate order."""
    def extension(self, oid_or_name: str) -> Optional[str]:
        """The value of a Fulcio extension by dotted OID or name, or None."""
    @property
    def certificate(self) -> Optional[bytes]:
        """The signing certificate, DER; None for a managed key."""
    @property
    def key_fingerprint(self) -> str: ...
    @property
    def key_type(self) -> str: ...
    @property
    def verified_times(self) -> List[VerifiedTime]: ...
    @property
    def tlog_entries(self) -> List[LogEntry]: ...
    @property
    def scts(self) -> List[Sct]: ...
    @property
    def payload_type(self) -> Optional[str]:
        """The DSSE payload type; None for a message signature."""
    @property
    def payload(self) -> Optional[bytes]:
        """The DSSE payload; None for a message signature."""
    @property
    def statement(self) -> Optional[Dict[str, Any]]:
        """The in-toto statement's ``_type``, ``predicateType`` and ``subject``, or None."""
    def to_json(self) -> str:
        """The whole result as JSON text."""

class VerificationError(Exception):
    """A bundle did not verify; ``code``/``step`` name the failed step."""

    code: int
    step: str
    message: str

class ParseError(VerificationError): ...

class UnsupportedVersionError(VerificationError): ...

class TrustedRootError(VerificationError): ...

class TlogBodyMismatchError(VerificationError): ...

class SignedEntryTimestampError(VerificationError): ...

class InclusionProofError(VerificationError): ...

class CheckpointError(VerificationError): ...

class TimestampError(VerificationError): ...

class TimeWindowError(VerificationError): ...

class ChainError(VerificationError): ...

class SctError(VerificationError): ...

class SignatureError(VerificationError): ...

class ArtifactMismatchError(VerificationError): ...

class IdentityError(VerificationError): ...

class PolicyMisuseError(VerificationError, ValueError): ...

class LimitError(VerificationError): ...

class TlogError(VerificationError): ...
