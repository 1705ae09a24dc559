"""Misuse raises TypeError or ValueError (or OSError for unreadable paths),
never a crash and never a silent pass."""

import io
import os

import pytest

import sigverify
from conftest import CASES, verifier_for

C = CASES["happy-path-v0.3"]


@pytest.fixture
def v():
    return verifier_for(C)


@pytest.mark.parametrize("bad", [None, 42, 3.5, object(), ["a.txt"], {"a": 1}])
def test_bad_input_type(v, bad):
    with pytest.raises(TypeError):
        v.verify_artifact(bad, C.bundle(), C.policy())


@pytest.mark.parametrize("bad", [None, b"{}", "{}", 42, C])
def test_bad_bundle_type(v, bad):
    with pytest.raises(TypeError):
        v.verify_artifact(C.artifact(), bad, C.policy())


@pytest.mark.parametrize("bad", [None, "identity", 42, [], sigverify.Digest("sha256", bytes(32))])
def test_bad_policy_type(v, bad):
    with pytest.raises(TypeError):
        v.verify_artifact(C.artifact(), C.bundle(), bad)


def test_missing_arguments(v):
    with pytest.raises(TypeError):
        v.verify_artifact(C.artifact(), C.bundle())
    with pytest.raises(TypeError):
        v.verify_dsse(C.bundle())


@pytest.mark.parametrize("bad", [None, 42, ["x"], object()])
def test_bad_json_types(bad):
    with pytest.raises(TypeError):
        sigverify.Bundle.from_json(bad)
    with pytest.raises(TypeError):
        sigverify.TrustedRoot.from_json(bad)
    with pytest.raises(TypeError):
        sigverify.PublicKey(bad)


@pytest.mark.parametrize("bad", [None, "production", sigverify.Verifier])
def test_bad_verifier_root(bad):
    with pytest.raises(TypeError):
        sigverify.Verifier(bad)


def test_closed_file(v, tmp_path):
    f = open(C.artifact_path, "rb")
    f.close()
    with pytest.raises(ValueError, match="closed file"):
        v.verify_artifact(f, C.bundle(), C.policy())
    b = io.BytesIO(C.artifact())
    b.close()
    with pytest.raises(ValueError):
        v.verify_artifact(b, C.bundle(), C.policy())


def test_text_mode_file(v):
    with open(C.artifact_path, "r") as f:
        with pytest.raises(TypeError, match="binary mode"):
            v.verify_artifact(f, C.bundle(), C.policy())


def test_reader_returning_garbage(v):
    class Bad:
        def read(self, n=-1):
            return 42

    with pytest.raises(TypeError):
        v.verify_artifact(Bad(), C.bundle(), C.policy())

    class Raises:
        def read(self, n=-1):
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        v.verify_artifact(Raises(), C.bundle(), C.policy())

    class NonBlocking:
        def read(self, n=-1):
            return None

    with pytest.raises(ValueError):
        v.verify_artifact(NonBlocking(), C.bundle(), C.policy())


def test_unreadable_paths(v, tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(FileNotFoundError) as e:
        v.verify_artifact(missing, C.bundle(), C.policy())
    assert e.value.filename == str(missing)
    with pytest.raises(FileNotFoundError):
        v.verify_artifact(str(missing), C.bundle(), C.policy())
    with pytest.raises(IsADirectoryError):
        v.verify_artifact(tmp_path, C.bundle(), C.policy())
    with pytest.raises(ValueError):
        v.verify_artifact("", C.bundle(), C.policy())


@pytest.mark.parametrize("bad", ["sha256:zz", "sha256:abcd", "sha512:" + "00" * 32, "sha256:" + "0" * 63])
def test_bad_digest_strings(v, bad):
    with pytest.raises(sigverify.PolicyMisuseError):
        v.verify_artifact(bad, C.bundle(), C.policy())
    with pytest.raises(ValueError):
        sigverify.Digest.parse(bad)


def test_bad_digest_objects():
    with pytest.raises(ValueError):
        sigverify.Digest("md5", bytes(16))
    with pytest.raises(ValueError):
        sigverify.Digest("sha256", bytes(31))
    with pytest.raises(TypeError):
        sigverify.Digest("sha256", None)
    with pytest.raises(ValueError):
        sigverify.Digest.parse("md5:" + "00" * 16)


def test_identity_arguments():
    with pytest.raises(ValueError):
        sigverify.Identity(identity="a", identity_regex="a", issuer="b")
    with pytest.raises(ValueError):
        sigverify.Identity(issuer="b")
    with pytest.raises(ValueError):
        sigverify.Identity(identity="a")
    with pytest.raises(ValueError):
        sigverify.Identity(identity="", issuer="b")
    with pytest.raises(ValueError):
        sigverify.Identity(identity="a", issuer="b", issuer_regex="c")
    with pytest.raises(TypeError):
        sigverify.Identity("a", "b")  # keyword-only
    with pytest.raises(TypeError):
        sigverify.Identity(identity=1, issuer="b")
    with pytest.raises(TypeError):
        sigverify.Identity(identity="a", issuer="b", subject="c")


def test_bad_regex():
    with pytest.raises(sigverify.PolicyMisuseError) as e:
        sigverify.Identity(identity_regex="(", issuer="b")
    assert isinstance(e.value, ValueError)
    with pytest.raises(ValueError):
        sigverify.Identity(identity_regex="a" * 5000, issuer="b")


def test_empty_and_bad_compound_policies():
    ident = sigverify.Identity(identity="a", issuer="b")
    key = sigverify.PublicKey(CASES["managed-key-happy-path"].key_path.read_bytes())
    for cls in (sigverify.AnyOf, sigverify.AllOf):
        with pytest.raises(sigverify.PolicyMisuseError):
            cls([])
        with pytest.raises(TypeError):
            cls(None)
        with pytest.raises(TypeError):
            cls("identity")
        with pytest.raises(TypeError):
            cls(ident)  # a single policy, not a list
        with pytest.raises(TypeError):
            cls([ident, "x"])
        with pytest.raises(TypeError):
            cls([key])
    with pytest.raises(TypeError):
        sigverify.AnyOf([sigverify.AllOf([ident])])


def test_bad_keys():
    with pytest.raises(sigverify.PolicyMisuseError):
        sigverify.PublicKey(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    with pytest.raises(ValueError):
        sigverify.PublicKey(b"\x30\x00")
    with pytest.raises(ValueError):
        sigverify.PublicKey("")


def test_immutable(v):
    with pytest.raises(AttributeError):
        v.inner = None
    i = sigverify.Identity(identity="a", issuer="b")
    with pytest.raises(AttributeError):
        i.identity = "c"


def test_bundle_cannot_be_built_directly():
    with pytest.raises(TypeError):
        sigverify.Bundle()
    with pytest.raises(TypeError):
        sigverify.TrustedRoot()
