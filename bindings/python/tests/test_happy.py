"""Happy paths: every bundle kind verifies, through every input form, and the
result reports what was verified."""

import datetime
import hashlib
import io
import json
import pathlib

import pytest

import sigverify
from conftest import CASES, PRODUCTION_ROOT, verifier_for

PASSING = sorted(n for n, c in CASES.items() if c.expect == "pass")


@pytest.mark.parametrize("name", PASSING)
def test_every_passing_case_verifies(name):
    c = CASES[name]
    result = verifier_for(c).verify_artifact(c.artifact(), c.bundle(), c.policy())
    assert isinstance(result, sigverify.VerificationResult)
    assert json.loads(result.to_json())["verified"] is True


INPUT_FORMS = {
    "bytes": lambda p: p.read_bytes(),
    "bytearray": lambda p: bytearray(p.read_bytes()),
    "memoryview": lambda p: memoryview(p.read_bytes()),
    "str-path": lambda p: str(p),
    "pathlib": lambda p: p,
    "file": lambda p: open(p, "rb"),
    "bytesio": lambda p: io.BytesIO(p.read_bytes()),
    "digest-str": lambda p: "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest(),
    "digest-str-upper": lambda p: "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest().upper(),
    "Digest.parse": lambda p: sigverify.Digest.parse("sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()),
    "Digest": lambda p: sigverify.Digest("sha256", hashlib.sha256(p.read_bytes()).digest()),
}

KINDS = [
    "happy-path-v0.1",
    "happy-path-v0.2",
    "happy-path-v0.3",
    "happy-path-v0.3-new-mediaType",
    "happy-path-intoto-in-dsse-v3",
    "rekor2-happy-path",
    "rekor2-dsse-happy-path",
    "managed-key-happy-path",
    "managed-key-and-trusted-root",
    "intoto-with-custom-trust-root",
    "bundle-with-sct-with-extensions",
]


@pytest.mark.parametrize("form", sorted(INPUT_FORMS))
@pytest.mark.parametrize("name", KINDS)
def test_bundle_kinds_with_every_input_form(name, form):
    c = CASES[name]
    artifact = INPUT_FORMS[form](c.artifact_path)
    try:
        result = verifier_for(c).verify_artifact(artifact, c.bundle(), c.policy())
    finally:
        if hasattr(artifact, "close"):
            artifact.close()
    if c.key_path is None:
        assert result.mode == "keyless"
        assert result.identity == c.identity
        assert result.issuer == c.issuer
    else:
        assert result.mode == "public-key"
        assert result.identity is None and result.issuer is None


def test_large_streamed_file(tmp_path):
    """A file object is read in chunks; the streamed digest must equal the real one."""
    c = CASES["happy-path-v0.3"]
    # Not the signed artifact: expect ArtifactMismatch, but only after a full streamed hash.
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        for i in range(5):
            f.write(bytes([i]) * (1 << 20) + b"x")
    with open(big, "rb") as f, pytest.raises(sigverify.ArtifactMismatchError):
        verifier_for(c).verify_artifact(f, c.bundle(), c.policy())
    # The same content split across odd chunk sizes by a custom reader still verifies a.txt.
    data = c.artifact()

    class Trickle:
        def __init__(self):
            self.pos = 0
            self.calls = 0

        def read(self, n=-1):
            self.calls += 1
            chunk = data[self.pos : self.pos + 3]
            self.pos += len(chunk)
            return chunk

    t = Trickle()
    verifier_for(c).verify_artifact(t, c.bundle(), c.policy())
    assert t.calls > len(data) // 3


def test_keyless_result_fields():
    c = CASES["happy-path-v0.3"]
    r = verifier_for(c).verify_artifact(c.artifact(), c.bundle(), c.policy())
    assert r.bundle_version == "0.3"
    assert r.sans == [("uri", c.identity)]
    assert r.fulcio_claims["1.3.6.1.4.1.57264.1.8"] == c.issuer
    assert r.extension("Issuer (V2)") == c.issuer
    assert r.extension("1.3.6.1.4.1.57264.1.12") == "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon"
    assert r.extension("no such claim") is None
    names = {e.name for e in r.extensions}
    assert "Source Repository URI" in names
    assert all(e.oid.startswith("1.3.6.1.4.1.57264.1.") for e in r.extensions)
    assert r.certificate[:1] == b"\x30"
    assert len(r.key_fingerprint) == 64 and r.key_type == "ECDSA P-256"
    (t,) = r.verified_times
    assert t.source == "transparency-log" and t.url == "https://rekor.sigstore.dev"
    assert t.time == datetime.datetime(2024, 3, 19, 17, 26, 26, tzinfo=datetime.timezone.utc)
    (e,) = r.tlog_entries
    assert (e.kind, e.version, e.log_url, e.rekor_v2) == ("hashedrekord", "0.0.1", "https://rekor.sigstore.dev", False)
    assert e.log_index == 79571823 and len(e.log_id) == 32
    assert e.integrated_time == t.time and e.set_verified and e.inclusion_proof_verified
    assert len(r.scts) == 1 and len(r.scts[0].log_id) == 32
    assert r.scts[0].time.tzinfo is not None
    assert r.payload_type is None and r.payload is None and r.statement is None
    j = json.loads(r.to_json())
    assert j["identity"]["san"] == c.identity and j["mode"] == "keyless"
    assert "keyless" in repr(r)


def test_rekor2_times_come_from_the_tsa():
    c = CASES["rekor2-happy-path"]
    r = verifier_for(c).verify_artifact(c.artifact(), c.bundle(), c.policy())
    assert all(e.rekor_v2 and e.integrated_time is None for e in r.tlog_entries)
    assert [t.source for t in r.verified_times] == ["timestamp-authority"]
    assert r.verified_times[0].time.tzinfo == datetime.timezone.utc


def test_managed_key_result():
    c = CASES["managed-key-happy-path"]
    key = sigverify.PublicKey(c.key_path.read_text())  # str PEM works too
    r = verifier_for(c).verify_artifact(c.artifact(), c.bundle(), key)
    assert r.mode == "public-key"
    assert r.key_fingerprint == key.fingerprint
    assert r.certificate is None and r.sans == [] and r.extensions == [] and r.fulcio_claims == {}
    assert {t.source for t in r.verified_times} == {"transparency-log", "timestamp-authority"}
    assert "ECDSA" in key.key_type and key.fingerprint in repr(key)


@pytest.mark.parametrize("name", ["happy-path-intoto-in-dsse-v3", "rekor2-dsse-happy-path"])
def test_dsse(name):
    c = CASES[name]
    v, b, p = verifier_for(c), c.bundle(), c.policy()
    assert b.is_dsse and b.is_keyless
    r = v.verify_artifact(c.artifact(), b, p)
    assert r.payload_type == "application/vnd.in-toto+json"
    statement = json.loads(r.payload)
    assert r.statement["_type"] == statement["_type"]
    assert r.statement["predicateType"] == statement["predicateType"]
    digest = hashlib.sha256(c.artifact()).hexdigest()
    assert any(s["digest"].get("sha256") == digest for s in r.statement["subject"])

    # verify_dsse, bound to the artifact and unbound.
    for args in ((b, p, c.artifact()), (b, p), (b, p, c.artifact_path)):
        payload_type, payload = v.verify_dsse(*args)
        assert payload_type == r.payload_type and payload == r.payload
    with pytest.raises(sigverify.ArtifactMismatchError):
        v.verify_dsse(b, p, b"not the subject")
    # Unbound still checks the identity.
    with pytest.raises(sigverify.IdentityError):
        v.verify_dsse(b, sigverify.Identity(identity="https://example.com/x", issuer=c.issuer))


def test_verify_dsse_needs_a_dsse_bundle():
    c = CASES["happy-path-v0.3"]
    with pytest.raises(sigverify.PolicyMisuseError):
        verifier_for(c).verify_dsse(c.bundle(), c.policy())


def test_bundle_properties():
    b = CASES["happy-path-v0.1"].bundle()
    assert b.version == "0.1" and not b.is_dsse and b.is_keyless
    assert b.media_type == "application/vnd.dev.sigstore.bundle+json;version=0.1"
    assert "0.1" in repr(b)
    assert not CASES["managed-key-happy-path"].bundle().is_keyless
    text = CASES["happy-path-v0.3"].bundle_path.read_text()
    assert sigverify.Bundle.from_json(text).version == "0.3"


def test_embedded_roots_and_verifier_constructors():
    c = CASES["happy-path-v0.3"]
    root = sigverify.TrustedRoot.production()
    # A TrustedRoot can back several verifiers.
    for v in (sigverify.Verifier(root), sigverify.Verifier(root), sigverify.Verifier.production()):
        v.verify_artifact(c.artifact(), c.bundle(), c.policy())
    assert "production" in repr(root)
    # The same bundle against the embedded staging root fails.
    with pytest.raises(sigverify.VerificationError):
        sigverify.Verifier.staging().verify_artifact(c.artifact(), c.bundle(), c.policy())
    sigverify.Verifier(sigverify.TrustedRoot.staging())
    # str JSON works like bytes.
    sigverify.Verifier(sigverify.TrustedRoot.from_json(PRODUCTION_ROOT.read_text()))


def test_allow_v0_1_false_rejects_v0_1():
    c = CASES["happy-path-v0.1"]
    v = sigverify.Verifier(sigverify.TrustedRoot.production(), allow_v0_1=False)
    with pytest.raises(sigverify.UnsupportedVersionError) as e:
        v.verify_artifact(c.artifact(), c.bundle(), c.policy())
    assert e.value.code == 2
    assert "allow_v0_1=False" in repr(v)


def test_digest_object():
    d = sigverify.Digest.parse("sha256:" + "AB" * 32)
    assert d.algorithm == "sha256" and d.digest == b"\xab" * 32
    assert str(d) == "sha256:" + "ab" * 32
    assert d == sigverify.Digest("sha256", b"\xab" * 32) and hash(d) == hash(sigverify.Digest("sha256", b"\xab" * 32))
    assert d != sigverify.Digest("sha256", b"\xac" * 32)
    assert sigverify.Digest("sha512", bytes(64)).algorithm == "sha512"
    assert eval("sigverify." + repr(d)) == d


def test_str_that_names_an_existing_file_is_a_path(tmp_path, monkeypatch):
    """A str shaped like a digest is a path when such a file exists (conformance rule)."""
    c = CASES["happy-path-v0.3"]
    digest = "sha256:" + hashlib.sha256(c.artifact()).hexdigest()
    monkeypatch.chdir(tmp_path)
    pathlib.Path(digest).write_bytes(b"something else")
    with pytest.raises(sigverify.ArtifactMismatchError):
        verifier_for(c).verify_artifact(digest, c.bundle(), c.policy())
    pathlib.Path(digest).write_bytes(c.artifact())
    verifier_for(c).verify_artifact(digest, c.bundle(), c.policy())


def test_package_is_typed():
    pkg = pathlib.Path(sigverify.__file__).parent
    assert (pkg / "py.typed").exists()
    stub = (pkg / "_native.pyi").read_text()
    for name in sigverify.__all__:
        if isinstance(getattr(sigverify, name), type):
            assert "class %s" % name in stub, name
        else:  # __version__ and the limit ceilings
            assert "\n%s: %s\n" % (name, type(getattr(sigverify, name)).__name__) in stub, name
    assert sigverify.__version__.count(".") == 2
    # Docstrings on every public class, method and property.
    for name in sigverify.__all__:
        obj = getattr(sigverify, name)
        if not isinstance(obj, type):
            continue
        assert obj.__doc__, name
        if issubclass(obj, BaseException):
            continue
        for attr, value in vars(obj).items():
            if not attr.startswith("_"):
                assert getattr(value, "__doc__", None), "%s.%s" % (name, attr)
