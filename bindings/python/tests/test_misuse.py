"""Misuse and hostile input at every public entry point.

Misuse raises TypeError or ValueError (OSError for unreadable paths); hostile
data raises the VerificationError subclass of the step that rejects it (a
ParseError, LimitError, ...). Never a crash, never a silent pass, never an
exception of another class: every check below asserts the exact class.

These tests also run under valgrind memcheck (`make python-memcheck`), so
keep them fast and keep each gigantic input a cheap allocation.
"""

import contextlib
import io
import json
import mmap
import os
import pathlib
import subprocess
import sys

import pytest

import sigverify
from conftest import CASES, verifier_for

C = CASES["happy-path-v0.3"]
DSSE = CASES["happy-path-intoto-in-dsse-v3"]
KEY = CASES["managed-key-happy-path"]
MIB = 1 << 20
# Larger than every input cap of the core (64 MiB bundle, 4 MiB trusted root).
GIGANTIC = 100 * MIB


@contextlib.contextmanager
def raises(cls, match=None):
    """pytest.raises, but a subclass does not count: the class must be exactly `cls`."""
    with pytest.raises(cls, match=match) as info:
        yield info
    got = type(info.value)
    assert got is cls, f"expected exactly {cls.__name__}, got {got.__name__}: {info.value}"
    if issubclass(cls, sigverify.VerificationError):
        assert info.value.code == cls.code and info.value.step == cls.step


@pytest.fixture
def v():
    return verifier_for(C)


@pytest.fixture(scope="module")
def handles():
    """One instance of every class the module hands out, for wrong-handle tests."""
    verifier = verifier_for(C)
    bundle = C.bundle()
    ident = sigverify.Identity(identity="a", issuer="b")
    return {
        "TrustedRoot": sigverify.TrustedRoot.from_json(C.root_path.read_bytes()),
        "Verifier": verifier,
        "Bundle": bundle,
        "Identity": ident,
        "AnyOf": sigverify.AnyOf([ident]),
        "AllOf": sigverify.AllOf([ident]),
        "PublicKey": sigverify.PublicKey(KEY.key_path.read_bytes()),
        "Digest": sigverify.Digest("sha256", bytes(32)),
        "VerificationResult": verifier.verify_artifact(C.artifact(), bundle, C.policy()),
    }


def raw_bundle(case=C):
    return case.bundle_path.read_bytes()


def raw_root(case=C):
    return case.root_path.read_bytes()


# ---------------------------------------------------------------------------
# Wrong types


@pytest.mark.parametrize("bad", [None, 42, 3.5, object(), ["a.txt"], {"a": 1}])
def test_bad_input_type(v, bad):
    with raises(TypeError):
        v.verify_artifact(bad, C.bundle(), C.policy())


@pytest.mark.parametrize("bad", [None, b"{}", "{}", 42, C])
def test_bad_bundle_type(v, bad):
    with raises(TypeError):
        v.verify_artifact(C.artifact(), bad, C.policy())


@pytest.mark.parametrize("bad", [None, "identity", 42, [], sigverify.Digest("sha256", bytes(32))])
def test_bad_policy_type(v, bad):
    with raises(TypeError):
        v.verify_artifact(C.artifact(), C.bundle(), bad)


def test_missing_arguments(v):
    with raises(TypeError):
        v.verify_artifact(C.artifact(), C.bundle())
    with raises(TypeError):
        v.verify_dsse(C.bundle())
    with raises(TypeError):
        sigverify.Bundle.from_json()
    with raises(TypeError):
        sigverify.TrustedRoot.from_json()
    with raises(TypeError):
        sigverify.Digest.parse()
    with raises(TypeError):
        sigverify.PublicKey()


@pytest.mark.parametrize("bad", [None, 42, ["x"], {"mediaType": "x"}, object(), True])
def test_bad_json_types(bad):
    with raises(TypeError):
        sigverify.Bundle.from_json(bad)
    with raises(TypeError):
        sigverify.TrustedRoot.from_json(bad)
    with raises(TypeError):
        sigverify.PublicKey(bad)


@pytest.mark.parametrize("bad", [None, "production", sigverify.Verifier, b"{}"])
def test_bad_verifier_root(bad):
    with raises(TypeError):
        sigverify.Verifier(bad)


@pytest.mark.parametrize("bad", ["yes", None, 1])
def test_bad_allow_v0_1(handles, bad):
    with raises(TypeError):
        sigverify.Verifier(handles["TrustedRoot"], allow_v0_1=bad)


LIMIT_ARGS = ["max_bundle_bytes", "max_dsse_payload_bytes"]


@pytest.mark.parametrize("name", LIMIT_ARGS)
@pytest.mark.parametrize("bad", [1.5, 1e9, "1024", b"1024", True, False, [1], object(), sigverify.Digest("sha256", bytes(32))])
def test_bad_limit_types(name, bad):
    with raises(TypeError, match=f"^{name} must be an int or None, not "):
        sigverify.Bundle.from_json(raw_bundle(), **{name: bad})


@pytest.mark.parametrize("name", LIMIT_ARGS)
@pytest.mark.parametrize("bad", [-1, -(2**64), -(10**40)])
def test_negative_limits(name, bad):
    with raises(ValueError, match=f"^{name} must not be negative \\(got {bad}\\)$"):
        sigverify.Bundle.from_json(raw_bundle(), **{name: bad})


def test_limit_arguments_are_checked_first():
    """A bad limit is reported even when the data would be refused too."""
    with raises(ValueError, match="must not be negative"):
        sigverify.Bundle.from_json(b"", max_bundle_bytes=-1)
    with raises(TypeError, match="max_dsse_payload_bytes must be an int"):
        sigverify.Bundle.from_json(None, max_dsse_payload_bytes="1")


def test_limit_arguments_are_keyword_only():
    with raises(TypeError):
        sigverify.Bundle.from_json(raw_bundle(), 1024)
    with raises(TypeError):
        sigverify.Bundle.from_json(raw_bundle(), max_bytes=1024)


def test_index_raising():
    class Bad:
        def __index__(self):
            raise RuntimeError("no index")

    class Wrong:
        def __index__(self):
            return 1.5

    with raises(RuntimeError, match="no index"):
        sigverify.Bundle.from_json(raw_bundle(), max_bundle_bytes=Bad())
    with raises(TypeError, match="max_bundle_bytes must be an int"):
        sigverify.Bundle.from_json(raw_bundle(), max_bundle_bytes=Wrong())


def test_bad_digest_argument_types():
    for alg, digest in [(None, bytes(32)), (256, bytes(32)), ("sha256", None), ("sha256", bytearray(32)), ("sha256", "00" * 32)]:
        with raises(TypeError):
            sigverify.Digest(alg, digest)
    for bad in [None, b"sha256:" + b"0" * 64, 42]:
        with raises(TypeError):
            sigverify.Digest.parse(bad)


def test_bad_extension_argument(handles):
    result = handles["VerificationResult"]
    for bad in [None, b"x", 42]:
        with raises(TypeError):
            result.extension(bad)
    assert result.extension("") is None
    assert result.extension("\0") is None


# ---------------------------------------------------------------------------
# Wrong handle types: an object of one of our classes where another is expected

HANDLES = ["TrustedRoot", "Verifier", "Bundle", "Identity", "AnyOf", "AllOf", "PublicKey", "Digest", "VerificationResult"]
POLICIES = {"Identity", "AnyOf", "AllOf", "PublicKey"}


@pytest.mark.parametrize("name", HANDLES)
def test_wrong_handle_types(handles, name):
    h = handles[name]
    v = handles["Verifier"]
    bundle, policy = handles["Bundle"], handles["Identity"]
    if name != "TrustedRoot":
        with raises(TypeError):
            sigverify.Verifier(h)
    if name != "Bundle":
        with raises(TypeError):
            v.verify_artifact(C.artifact(), h, policy)
        with raises(TypeError):
            v.verify_dsse(h, policy)
    if name not in POLICIES:
        with raises(TypeError):
            v.verify_artifact(C.artifact(), bundle, h)
        with raises(TypeError):
            v.verify_dsse(DSSE.bundle(), h)
    if name != "Digest":
        with raises(TypeError):
            v.verify_artifact(h, bundle, policy)
    if name not in ("Identity", "AnyOf", "PublicKey"):
        with raises(TypeError):
            sigverify.AnyOf([h])
    if name not in ("Identity", "AnyOf", "AllOf"):
        with raises(TypeError):
            sigverify.AllOf([h])
    for parse in (sigverify.Bundle.from_json, sigverify.TrustedRoot.from_json, sigverify.PublicKey, sigverify.Digest.parse):
        with raises(TypeError):
            parse(h)


@pytest.mark.parametrize("name", HANDLES)
def test_methods_refuse_a_foreign_self(handles, name):
    """Unbound methods and getters called on an object of another class."""
    h = handles[name]
    calls = []
    if name != "Verifier":
        calls.append(lambda: sigverify.Verifier.verify_artifact(h, C.artifact(), handles["Bundle"], handles["Identity"]))
        calls.append(lambda: sigverify.Verifier.verify_dsse(h, DSSE.bundle(), handles["Identity"]))
    if name != "Bundle":
        calls.append(lambda: sigverify.Bundle.media_type.__get__(h))
        calls.append(lambda: sigverify.Bundle.is_dsse.__get__(h))
    if name != "VerificationResult":
        calls.append(lambda: sigverify.VerificationResult.to_json(h))
        calls.append(lambda: sigverify.VerificationResult.extension(h, "Issuer"))
        calls.append(lambda: sigverify.VerificationResult.identity.__get__(h))
    if name != "PublicKey":
        calls.append(lambda: sigverify.PublicKey.fingerprint.__get__(h))
    if name != "Digest":
        calls.append(lambda: sigverify.Digest.digest.__get__(h))
    if name != "Identity":
        calls.append(lambda: sigverify.Identity.identity.__get__(h))
    if name not in ("AnyOf", "AllOf"):
        calls.append(lambda: sigverify.AnyOf.policies.__get__(h))
    for call in calls:
        with raises(TypeError):
            call()


@pytest.mark.parametrize("cls", [sigverify.Bundle, sigverify.TrustedRoot, sigverify.Verifier, sigverify.Identity, sigverify.VerificationResult])
def test_classes_are_final(cls):
    with raises(TypeError):
        type("Sub", (cls,), {})


def test_result_classes_cannot_be_built_directly():
    for cls in (sigverify.Bundle, sigverify.TrustedRoot, sigverify.VerificationResult, sigverify.LogEntry, sigverify.Sct):
        with raises(TypeError):
            cls()
        with raises(TypeError):
            cls.__new__(cls)


def test_immutable(v):
    with raises(AttributeError):
        v.inner = None
    i = sigverify.Identity(identity="a", issuer="b")
    with raises(AttributeError):
        i.identity = "c"


# ---------------------------------------------------------------------------
# Empty input


@pytest.mark.parametrize("empty", [b"", "", bytearray(), memoryview(b"")], ids=["bytes", "str", "bytearray", "memoryview"])
def test_empty_json(empty):
    with raises(sigverify.ParseError):
        sigverify.Bundle.from_json(empty)
    with raises(sigverify.TrustedRootError):
        sigverify.TrustedRoot.from_json(empty)
    with raises(sigverify.PolicyMisuseError):
        sigverify.PublicKey(empty)


@pytest.mark.parametrize("empty", [b"", bytearray(), memoryview(b""), io.BytesIO()], ids=["bytes", "bytearray", "memoryview", "file"])
def test_empty_artifact(v, empty):
    with raises(sigverify.ArtifactMismatchError):
        v.verify_artifact(empty, C.bundle(), C.policy())
    with raises(sigverify.ArtifactMismatchError):
        verifier_for(DSSE).verify_dsse(DSSE.bundle(), DSSE.policy(), empty)


def test_empty_digests_and_policies():
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest.parse("")
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest.parse("sha256:")
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest("sha256", b"")
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest("", bytes(32))
    with raises(ValueError):
        sigverify.Identity(identity="", issuer="b")
    with raises(ValueError):
        sigverify.Identity(identity="a", issuer="")
    # An empty regex would match only an empty value: refused, as an empty exact value is.
    with raises(sigverify.PolicyMisuseError, match="empty regular expression"):
        sigverify.Identity(identity_regex="", issuer=C.issuer)
    with raises(sigverify.PolicyMisuseError, match="empty regular expression"):
        sigverify.Identity(identity=C.identity, issuer_regex="")


# ---------------------------------------------------------------------------
# Truncated input


def prefixes(data, count=48):
    """`count` proper prefixes of `data` (trailing whitespace removed first)."""
    data = data.rstrip()
    step = max(1, len(data) // count)
    return [data[:n] for n in range(0, len(data), step)] + [data[:-1]]


def test_truncated_bundle():
    for part in prefixes(raw_bundle()) + prefixes(raw_bundle(DSSE)) + prefixes(raw_bundle(KEY)):
        with raises(sigverify.ParseError):
            sigverify.Bundle.from_json(part)
    # As str too (the prefixes of this ASCII document are valid str).
    for part in prefixes(raw_bundle(), 8):
        with raises(sigverify.ParseError):
            sigverify.Bundle.from_json(part.decode())


def test_truncated_trusted_root():
    for part in prefixes(raw_root()) + prefixes(raw_root(KEY)):
        with raises(sigverify.TrustedRootError):
            sigverify.TrustedRoot.from_json(part)


def test_truncated_key():
    pem = KEY.key_path.read_bytes()
    for part in prefixes(pem, 16):
        with raises(sigverify.PolicyMisuseError):
            sigverify.PublicKey(part)


def test_truncated_artifact(v):
    data = C.artifact()
    for n in (0, 1, len(data) - 1):
        with raises(sigverify.ArtifactMismatchError):
            v.verify_artifact(data[:n], C.bundle(), C.policy())


# ---------------------------------------------------------------------------
# Gigantic input: the limit (or parse) error, no out-of-memory


@pytest.mark.parametrize("form", ["bytes", "str", "bytearray"])
def test_gigantic_bundle(form):
    spaces = {"bytes": lambda: b" " * GIGANTIC, "str": lambda: " " * GIGANTIC, "bytearray": lambda: bytearray(b" ") * GIGANTIC}[form]()
    with raises(sigverify.LimitError, match="exceeds the 67108864-byte limit"):
        sigverify.Bundle.from_json(spaces)


def test_gigantic_trusted_root():
    with raises(sigverify.LimitError, match="exceeds the 4194304-byte limit"):
        sigverify.TrustedRoot.from_json(b" " * GIGANTIC)
    with raises(sigverify.LimitError):
        sigverify.TrustedRoot.from_json(raw_root() + b" " * (4 * MIB))


def test_gigantic_claimed_length(tmp_path):
    """A memoryview over a sparse file claims 65 MiB (past the 64 MiB cap) without the memory."""
    sparse = tmp_path / "sparse"
    with open(sparse, "wb") as f:
        f.truncate(65 * MIB)
    with open(sparse, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        view = memoryview(mm)
        try:
            with raises(sigverify.LimitError):
                sigverify.Bundle.from_json(view)
            with raises(sigverify.LimitError):
                sigverify.TrustedRoot.from_json(view)
            with raises(sigverify.LimitError, match="exceeds the 65536-byte limit"):
                sigverify.PublicKey(view)
        finally:
            view.release()


BUFFERS = {
    "bytes": bytes,
    "bytearray": bytearray,
    "memoryview": memoryview,
    "memoryview-of-bytearray": lambda b: memoryview(bytearray(b)),
    "memoryview-2d": lambda b: memoryview(b).cast("B", (len(b) // 1024, 1024)),
    "memoryview-uint32": lambda b: memoryview(b).cast("I"),
}
# The same, as source text for a child interpreter ({n} bytes, a multiple of 1024).
BUFFER_SOURCE = {
    "bytes": "b' ' * {n}",
    "bytearray": "bytearray(b' ') * {n}",
    "memoryview": "memoryview(b' ' * {n})",
    "memoryview-of-bytearray": "memoryview(bytearray(b' ') * {n})",
    "memoryview-2d": "memoryview(b' ' * {n}).cast('B', ({n} // 1024, 1024))",
    "memoryview-uint32": "memoryview(b' ' * {n}).cast('I')",
}

# A fresh interpreter runs `setup` (which builds `data`, GIGANTIC bytes), caps
# its address space at what is mapped then plus 16 MiB, and runs each call,
# printing the class and text of the error it raises. A copy of `data` cannot
# be allocated under the cap: MemoryError, or an abort from Rust's allocator.
CAPPED_CHILD = """
import resource, sigverify
{setup}
vm = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (vm + (16 << 20), resource.getrlimit(resource.RLIMIT_AS)[1]))
for call in ({calls}):
    try:
        call()
        print("no error")
    except sigverify.VerificationError as e:
        print(type(e).__name__, e)
"""


def run_capped(form, setup, calls):
    if not os.path.exists("/proc/self/status"):
        pytest.skip("needs /proc (Linux)")
    data = "data = " + BUFFER_SOURCE[form].format(n=GIGANTIC)
    code = CAPPED_CHILD.format(setup=data + "\n" + setup, calls="".join(f"lambda: {c}, " for c in calls))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.splitlines()


@pytest.mark.parametrize("form", sorted(BUFFERS))
def test_gigantic_buffer_refused_before_any_copy(form):
    """An oversized input is measured (in bytes, whatever its item format and
    shape), not copied, before the core's size error is raised; `bytes` too,
    which a trusted root used to copy before the core saw it."""
    calls = [
        "sigverify.Bundle.from_json(data)",
        "sigverify.TrustedRoot.from_json(data)",
        "sigverify.Bundle.from_json(data, max_bundle_bytes=1000)",
        "sigverify.PublicKey(data)",
    ]
    assert run_capped(form, "", calls) == [
        "LimitError limit: bundle of 104857600 bytes exceeds the 67108864-byte limit",
        "LimitError limit: trusted root of 104857600 bytes exceeds the 4194304-byte limit",
        "LimitError limit: bundle of 104857600 bytes exceeds the 1000-byte limit",
        "LimitError limit: public key of 104857600 bytes exceeds the 65536-byte limit",
    ]


@pytest.mark.parametrize("form", sorted(BUFFERS))
def test_gigantic_buffer_artifact_is_not_copied_whole(form):
    """A bytearray/memoryview artifact is hashed a chunk at a time."""
    setup = f"""
root = sigverify.TrustedRoot.from_json(open({str(C.root_path)!r}, "rb").read())
verifier = sigverify.Verifier(root)
bundle = sigverify.Bundle.from_json(open({str(C.bundle_path)!r}, "rb").read())
policy = sigverify.Identity(identity={C.identity!r}, issuer={C.issuer!r})
"""
    assert run_capped(form, setup, ["verifier.verify_artifact(data, bundle, policy)"]) == [
        "ArtifactMismatchError artifact-mismatch: the artifact's SHA-256 digest does not equal the bundle's messageDigest"
    ]


@pytest.mark.parametrize("form", sorted(BUFFERS))
def test_buffer_refusal_is_the_cores(form):
    """The binding's early refusal says what the core says for the same bytes."""
    def whole_rows(b):  # for the 2-d and uint32 views
        return b + b" " * (-len(b) % 1024)

    raw = whole_rows(raw_bundle())
    for limit in (0, 100, len(raw) - 1):
        with raises(sigverify.LimitError) as want:
            sigverify.Bundle.from_json(raw, max_bundle_bytes=limit)
        with raises(sigverify.LimitError) as got:
            sigverify.Bundle.from_json(BUFFERS[form](raw), max_bundle_bytes=limit)
        assert (str(got.value), got.value.message) == (str(want.value), want.value.message)
    big_root = whole_rows(raw_root() + b" " * (4 * MIB))
    with raises(sigverify.LimitError) as want:
        sigverify.TrustedRoot.from_json(big_root)
    with raises(sigverify.LimitError) as got:
        sigverify.TrustedRoot.from_json(BUFFERS[form](big_root))
    assert str(got.value) == str(want.value)
    # Within the limit the buffer is parsed as before.
    assert sigverify.Bundle.from_json(BUFFERS[form](raw), max_bundle_bytes=len(raw)).version == "0.3"


@pytest.mark.parametrize(
    "form",
    ["bytearray", "memoryview-2d", "memoryview-signed", "memoryview-readonly-slice", "non-contiguous"],
)
def test_buffer_artifacts_of_every_shape(v, form):
    """The bytes hashed are the buffer's bytes in C order, whatever its shape and format."""
    make = {
        "bytearray": bytearray,
        "memoryview-2d": lambda d: memoryview(d).cast("B", (len(d), 1)),
        "memoryview-signed": lambda d: memoryview(bytearray(d)).cast("b"),
        "memoryview-readonly-slice": lambda d: memoryview(b"xx" + d + b"yy")[2:-2],
        "non-contiguous": lambda d: memoryview(bytes(b for b in d for _ in (0, 1)))[::2],
    }[form]
    data = C.artifact()
    assert v.verify_artifact(make(data), C.bundle(), C.policy()).identity == C.identity
    with raises(sigverify.ArtifactMismatchError):
        v.verify_artifact(make(data[:-1] + b"!"), C.bundle(), C.policy())


def test_bytearray_artifact_is_released_after_hashing(v):
    """The bytearray is exported (not resizable) only while it is hashed."""
    data = bytearray(C.artifact())
    assert v.verify_artifact(data, C.bundle(), C.policy()).identity == C.identity
    data += b"x"
    with raises(sigverify.ArtifactMismatchError):
        v.verify_artifact(data, C.bundle(), C.policy())


def test_gigantic_string_in_bundle():
    """A 40 MiB DSSE payload inside a bundle under the size cap: the payload cap."""
    head, tail = raw_bundle(DSSE).split(b'"payload": "', 1)
    tail = tail.split(b'"', 1)[1]
    big = head + b'"payload": "' + b"A" * (40 * MIB // 3 * 4) + b'"' + tail
    assert len(big) < 64 * MIB
    with raises(sigverify.LimitError, match="DSSE payload"):
        sigverify.Bundle.from_json(big)


def test_deeply_nested_json():
    for doc in (b"[" * 100_000, b'{"a":' * 100_000):
        with raises(sigverify.LimitError):
            sigverify.Bundle.from_json(doc)
        with raises(sigverify.LimitError):
            sigverify.TrustedRoot.from_json(doc)


def test_gigantic_digests_and_policies(v):
    """Far past every plausible size (the caps are 64 bytes of digest, 4 KiB of regex)."""
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest("sha256", bytes(MIB))
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest.parse("sha256:" + "0" * MIB)
    with raises(sigverify.PolicyMisuseError):
        v.verify_artifact("sha512:" + "0" * MIB, C.bundle(), C.policy())
    with raises(sigverify.PolicyMisuseError, match="regular expression longer"):
        sigverify.Identity(identity_regex="a" * MIB, issuer="b")
    with raises(sigverify.LimitError, match="public key of 1048629 bytes exceeds the 65536-byte limit"):
        sigverify.PublicKey(b"-----BEGIN PUBLIC KEY-----\n" + b"A" * MIB + b"\n-----END PUBLIC KEY-----\n")
    with raises(sigverify.LimitError, match="exceeds the 65536-byte limit"):
        sigverify.PublicKey(b" " * GIGANTIC)
    with raises(sigverify.LimitError, match="exceeds the 65536-byte limit"):
        sigverify.PublicKey(" " * GIGANTIC)
    with raises(sigverify.IdentityError):
        v.verify_artifact(C.artifact(), C.bundle(), sigverify.Identity(identity="a" * MIB, issuer=C.issuer))


def test_gigantic_read_chunk(v):
    """A file object whose read() returns far more than asked for."""

    class Greedy:
        def __init__(self):
            self.calls = 0

        def read(self, n=-1):
            self.calls += 1
            return b"x" * (3 * MIB) if self.calls == 1 else b""

    with raises(sigverify.ArtifactMismatchError):
        v.verify_artifact(Greedy(), C.bundle(), C.policy())


# ---------------------------------------------------------------------------
# Invalid UTF-8 and unencodable text


def test_invalid_utf8_json():
    with raises(sigverify.ParseError):
        sigverify.Bundle.from_json(b"\xff\xfe\xfd")
    with raises(sigverify.TrustedRootError):
        sigverify.TrustedRoot.from_json(b"\xff\xfe\xfd")
    for bad in (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"):
        bundle = raw_bundle().replace(b'"mediaType": "', b'"mediaType": "' + bad, 1)
        with raises(sigverify.ParseError, match="invalid unicode|UTF-8|utf-8"):
            sigverify.Bundle.from_json(bundle)
        root = raw_root().replace(b'"mediaType": "', b'"mediaType": "' + bad, 1)
        with raises(sigverify.TrustedRootError):
            sigverify.TrustedRoot.from_json(root)


def test_invalid_utf8_key_and_artifact(v):
    with raises(sigverify.PolicyMisuseError):
        sigverify.PublicKey(b"\xff" * 64)
    with raises(sigverify.PolicyMisuseError):
        sigverify.PublicKey(b"-----BEGIN PUBLIC KEY-----\n\xff\xfe\n-----END PUBLIC KEY-----\n")
    # Artifacts are bytes: invalid UTF-8 is just data.
    with raises(sigverify.ArtifactMismatchError):
        v.verify_artifact(b"\xff\xfe" + C.artifact(), C.bundle(), C.policy())


def test_lone_surrogates_in_str(v, handles):
    """str that cannot be UTF-8 encoded is refused before it reaches the core."""
    s = "\ud800"
    for call in (
        lambda: sigverify.Bundle.from_json('{"mediaType": "' + s + '"}'),
        lambda: sigverify.TrustedRoot.from_json(s),
        lambda: sigverify.PublicKey(s),
        lambda: sigverify.Digest.parse("sha256:" + s),
        lambda: sigverify.Digest(s, bytes(32)),
        lambda: sigverify.Identity(identity=s, issuer="b"),
        lambda: sigverify.Identity(identity_regex=s, issuer="b"),
        lambda: v.verify_artifact(s, C.bundle(), C.policy()),
        lambda: handles["VerificationResult"].extension(s),
    ):
        with raises(UnicodeEncodeError):
            call()


def test_non_utf8_file_names(v, tmp_path):
    """A file whose name is not UTF-8 verifies through a path object and
    through its str (which carries lone surrogates), as open() reads both."""
    name = os.path.join(os.fsencode(tmp_path), b"artifact-\xff\xfe.txt")
    with open(name, "wb") as f:
        f.write(C.artifact())
    path = pathlib.Path(os.fsdecode(name))
    assert v.verify_artifact(path, C.bundle(), C.policy()).identity == C.identity
    assert v.verify_artifact(str(path), C.bundle(), C.policy()).identity == C.identity
    missing = pathlib.Path(os.fsdecode(name + b".missing"))
    with raises(FileNotFoundError):
        v.verify_artifact(missing, C.bundle(), C.policy())


def test_nul_bytes(v):
    # A bad value, as open() says, not an I/O error.
    with raises(ValueError, match="embedded null byte"):
        v.verify_artifact("a\0b", C.bundle(), C.policy())
    with raises(ValueError, match="embedded null byte"):
        v.verify_artifact(pathlib.Path("a\0b"), C.bundle(), C.policy())
    with raises(sigverify.ParseError):
        sigverify.Bundle.from_json(b"\0" + raw_bundle())
    with raises(sigverify.IdentityError):
        v.verify_artifact(C.artifact(), C.bundle(), sigverify.Identity(identity=C.identity + "\0", issuer=C.issuer))


# ---------------------------------------------------------------------------
# Hostile Python objects: methods that raise or return the wrong thing


def test_dunder_bytes_is_never_called(v):
    """Only real bytes-like objects are read; __bytes__ is not a way in."""

    class Raises:
        def __bytes__(self):
            raise RuntimeError("__bytes__ called")

    class Subclass(bytes):
        def __bytes__(self):
            raise RuntimeError("__bytes__ called")

    with raises(TypeError):
        sigverify.Bundle.from_json(Raises())
    with raises(TypeError):
        sigverify.PublicKey(Raises())
    with raises(TypeError):
        v.verify_artifact(Raises(), C.bundle(), C.policy())
    assert sigverify.Bundle.from_json(Subclass(raw_bundle())).version == "0.3"
    assert v.verify_artifact(Subclass(C.artifact()), C.bundle(), C.policy()).identity == C.identity


def test_str_subclass_with_raising_str(v):
    class Weird(str):
        def __str__(self):
            raise RuntimeError("__str__ called")

    assert sigverify.Bundle.from_json(Weird(raw_bundle().decode())).version == "0.3"
    with raises(FileNotFoundError):
        v.verify_artifact(Weird("/nonexistent/artifact"), C.bundle(), C.policy())


def test_fspath(v):
    class Raises:
        def __fspath__(self):
            raise RuntimeError("no path")

    class ReturnsInt:
        def __fspath__(self):
            return 42

    class ReturnsBytes:
        def __fspath__(self):
            return b"/nonexistent/\xff"

    with raises(RuntimeError, match="no path"):
        v.verify_artifact(Raises(), C.bundle(), C.policy())
    with raises(TypeError):
        v.verify_artifact(ReturnsInt(), C.bundle(), C.policy())
    # Byte paths are not accepted (the docs promise str paths and os.PathLike[str]).
    with raises(TypeError):
        v.verify_artifact(ReturnsBytes(), C.bundle(), C.policy())


def test_closed_file(v, tmp_path):
    f = open(C.artifact_path, "rb")
    f.close()
    with raises(ValueError, match="closed file"):
        v.verify_artifact(f, C.bundle(), C.policy())
    with raises(ValueError, match="closed file"):
        verifier_for(DSSE).verify_dsse(DSSE.bundle(), DSSE.policy(), f)
    b = io.BytesIO(C.artifact())
    b.close()
    with raises(ValueError, match="closed file"):
        v.verify_artifact(b, C.bundle(), C.policy())


def test_file_closed_while_read(v):
    f = open(C.artifact_path, "rb")

    class ClosesAfterFirstRead:
        closed = False

        def read(self, n=-1):
            chunk = f.read(n)
            f.close()
            return chunk

    try:
        with raises(ValueError, match="closed file"):
            v.verify_artifact(ClosesAfterFirstRead(), C.bundle(), C.policy())
    finally:
        f.close()


def test_text_mode_file(v):
    with open(C.artifact_path, "r") as f:
        with raises(TypeError, match="binary mode"):
            v.verify_artifact(f, C.bundle(), C.policy())


def test_reader_returning_garbage(v):
    class Bad:
        def read(self, n=-1):
            return 42

    with raises(TypeError):
        v.verify_artifact(Bad(), C.bundle(), C.policy())

    class Raises:
        def read(self, n=-1):
            raise RuntimeError("disk on fire")

    with raises(RuntimeError, match="disk on fire"):
        v.verify_artifact(Raises(), C.bundle(), C.policy())

    class NonBlocking:
        def read(self, n=-1):
            return None

    with raises(ValueError):
        v.verify_artifact(NonBlocking(), C.bundle(), C.policy())

    class View:
        def read(self, n=-1):
            return memoryview(b"x")

    with raises(TypeError):
        v.verify_artifact(View(), C.bundle(), C.policy())

    class NoArgs:
        def read(self):
            return b""

    with raises(TypeError):
        v.verify_artifact(NoArgs(), C.bundle(), C.policy())


def test_reader_failing_midway(v):
    class SecondReadFails:
        def __init__(self):
            self.calls = 0

        def read(self, n=-1):
            self.calls += 1
            if self.calls == 1:
                return b"x" * n
            raise OSError(5, "Input/output error")

    with raises(OSError, match="Input/output error"):
        v.verify_artifact(SecondReadFails(), C.bundle(), C.policy())


def test_reader_bytearray_chunks_are_read(v):
    class Chunks:
        def __init__(self):
            self.parts = [bytearray(C.artifact()), bytearray()]

        def read(self, n=-1):
            return self.parts.pop(0)

    assert v.verify_artifact(Chunks(), C.bundle(), C.policy()).identity == C.identity


def test_reader_closed_attribute_raises(v):
    class ClosedRaises:
        """A `closed` that cannot be read is ignored; read() decides."""

        @property
        def closed(self):
            raise RuntimeError("closed?")

        def read(self, n=-1):
            raise OSError(9, "Bad file descriptor")

    with raises(OSError, match="Bad file descriptor"):
        v.verify_artifact(ClosedRaises(), C.bundle(), C.policy())

    class Falsy:
        def __bool__(self):
            raise RuntimeError("truth value")

    class ClosedUntestable:
        closed = Falsy()

        def read(self, n=-1):
            return b""

    with raises(RuntimeError, match="truth value"):
        v.verify_artifact(ClosedUntestable(), C.bundle(), C.policy())


def test_released_memoryview(v):
    view = memoryview(C.artifact())
    view.release()
    with raises(ValueError, match="released"):
        v.verify_artifact(view, C.bundle(), C.policy())
    with raises(ValueError, match="released"):
        sigverify.Bundle.from_json(view)
    with raises(ValueError, match="released"):
        sigverify.PublicKey(view)


def test_non_contiguous_memoryview(v):
    doubled = bytes(b for b in C.artifact() for _ in (0, 1))
    view = memoryview(doubled)[::2]
    assert not view.contiguous
    assert v.verify_artifact(view, C.bundle(), C.policy()).identity == C.identity
    assert sigverify.Bundle.from_json(memoryview(bytes(b for b in raw_bundle() for _ in (0, 1)))[::2]).version == "0.3"


def test_policy_iterables_that_raise():
    ident = sigverify.Identity(identity="a", issuer="b")

    def gen():
        yield ident
        raise RuntimeError("iteration failed")

    class BadIter:
        def __iter__(self):
            raise RuntimeError("no iterator")

    for cls in (sigverify.AnyOf, sigverify.AllOf):
        with raises(RuntimeError, match="iteration failed"):
            cls(gen())
        # An object that cannot be iterated is reported as such (TypeError).
        with raises(TypeError, match="takes a list of policies"):
            cls(BadIter())
        assert len(cls(iter([ident])).policies) == 1


# ---------------------------------------------------------------------------
# Other misuse


def test_unreadable_paths(v, tmp_path):
    missing = tmp_path / "missing.txt"
    with raises(FileNotFoundError) as e:
        v.verify_artifact(missing, C.bundle(), C.policy())
    assert e.value.filename == str(missing)
    with raises(FileNotFoundError):
        v.verify_artifact(str(missing), C.bundle(), C.policy())
    with raises(IsADirectoryError):
        v.verify_artifact(tmp_path, C.bundle(), C.policy())
    with raises(ValueError):
        v.verify_artifact("", C.bundle(), C.policy())


@pytest.mark.parametrize("bad", ["sha256:zz", "sha256:abcd", "sha512:" + "00" * 32, "sha256:" + "0" * 63])
def test_bad_digest_strings(v, bad):
    with raises(sigverify.PolicyMisuseError):
        v.verify_artifact(bad, C.bundle(), C.policy())
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest.parse(bad)


def test_bad_digest_objects():
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest("md5", bytes(16))
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest("sha256", bytes(31))
    with raises(TypeError):
        sigverify.Digest("sha256", None)
    with raises(sigverify.PolicyMisuseError):
        sigverify.Digest.parse("md5:" + "00" * 16)


def test_identity_arguments():
    with raises(ValueError):
        sigverify.Identity(identity="a", identity_regex="a", issuer="b")
    with raises(ValueError):
        sigverify.Identity(issuer="b")
    with raises(ValueError):
        sigverify.Identity(identity="a")
    with raises(ValueError):
        sigverify.Identity(identity="", issuer="b")
    with raises(ValueError):
        sigverify.Identity(identity="a", issuer="b", issuer_regex="c")
    with raises(TypeError):
        sigverify.Identity("a", "b")  # keyword-only
    with raises(TypeError):
        sigverify.Identity(identity=1, issuer="b")
    with raises(TypeError):
        sigverify.Identity(identity=None, issuer=b"b")
    with raises(TypeError):
        sigverify.Identity(identity="a", issuer="b", subject="c")


def test_bad_regex():
    with raises(sigverify.PolicyMisuseError) as e:
        sigverify.Identity(identity_regex="(", issuer="b")
    assert isinstance(e.value, ValueError)
    with raises(sigverify.PolicyMisuseError):
        sigverify.Identity(identity_regex="a" * 5000, issuer="b")
    with raises(sigverify.PolicyMisuseError):
        sigverify.Identity(identity="a", issuer_regex="[", issuer=None)


def test_empty_and_bad_compound_policies():
    ident = sigverify.Identity(identity="a", issuer="b")
    key = sigverify.PublicKey(KEY.key_path.read_bytes())
    for cls in (sigverify.AnyOf, sigverify.AllOf):
        with raises(sigverify.PolicyMisuseError):
            cls([])
        with raises(TypeError):
            cls(None)
        with raises(TypeError):
            cls("identity")
        with raises(TypeError):
            cls(b"identity")
        with raises(TypeError):
            cls(ident)  # a single policy, not a list
        with raises(TypeError):
            cls([ident, "x"])
    # An AnyOf of keys is a keyring, of identities and keys a mistake; an AllOf
    # of keys has no meaning (one bundle, one signing key).
    sigverify.AnyOf([key])
    with raises(sigverify.PolicyMisuseError):
        sigverify.AnyOf([ident, key])
    with raises(TypeError):
        sigverify.AllOf([key])
    with raises(TypeError):
        sigverify.AnyOf([sigverify.AllOf([ident])])


def test_bad_keys():
    with raises(sigverify.PolicyMisuseError):
        sigverify.PublicKey(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    with raises(sigverify.PolicyMisuseError):
        sigverify.PublicKey(b"\x30\x00")
    with raises(sigverify.PolicyMisuseError):
        sigverify.PublicKey("")


def test_policy_kind_mismatch(v):
    """A key policy for a keyless bundle and the reverse are misuse, not a pass."""
    with raises(sigverify.PolicyMisuseError):
        v.verify_artifact(C.artifact(), C.bundle(), sigverify.PublicKey(KEY.key_path.read_bytes()))
    with raises(sigverify.PolicyMisuseError):
        verifier_for(KEY).verify_artifact(KEY.artifact(), KEY.bundle(), sigverify.Identity(identity="a", issuer="b"))


def test_dsse_misuse(v):
    with raises(sigverify.PolicyMisuseError):
        v.verify_dsse(C.bundle(), C.policy())
    dv = verifier_for(DSSE)
    for bad in (42, object(), ["x"], {"a": 1}):
        with raises(TypeError):
            dv.verify_dsse(DSSE.bundle(), DSSE.policy(), bad)
    with raises(sigverify.PolicyMisuseError):
        dv.verify_dsse(DSSE.bundle(), DSSE.policy(), "sha256:zz")


def test_trusted_root_reused_for_many_verifiers():
    """The parsed root is handed to the first verifier; later ones parse again."""
    root = sigverify.TrustedRoot.from_json(raw_root())
    verifiers = [sigverify.Verifier(root) for _ in range(3)]
    for verifier in verifiers:
        assert verifier.verify_artifact(C.artifact(), C.bundle(), C.policy()).identity == C.identity


def test_non_ascii_values_in_error_messages():
    """A hostile non-ASCII value the core echoes comes back as intact str."""
    doc = json.loads(raw_bundle())
    doc["mediaType"] = "application/x-\u00e9\u4e2d\U0001f600"
    with raises(sigverify.UnsupportedVersionError) as e:
        sigverify.Bundle.from_json(json.dumps(doc, ensure_ascii=False).encode())
    assert doc["mediaType"] in e.value.message
