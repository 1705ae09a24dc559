"""Every failing vector fails at the step the core names for it, with the
matching exception class, code and step; every error kind is exercised."""

import base64
import json
import pickle

import pytest

import sigverify
from conftest import CASES, verifier_for

# The core's stable ErrorKind table: (code, step, Python class name).
KINDS = [
    (1, "parse", "ParseError"),
    (2, "unsupported-version", "UnsupportedVersionError"),
    (3, "trusted-root", "TrustedRootError"),
    (4, "tlog-body-mismatch", "TlogBodyMismatchError"),
    (5, "set", "SignedEntryTimestampError"),
    (6, "inclusion-proof", "InclusionProofError"),
    (7, "checkpoint", "CheckpointError"),
    (8, "timestamp", "TimestampError"),
    (9, "time-window", "TimeWindowError"),
    (10, "chain", "ChainError"),
    (11, "sct", "SctError"),
    (12, "signature", "SignatureError"),
    (13, "artifact-mismatch", "ArtifactMismatchError"),
    (14, "identity", "IdentityError"),
    (15, "policy-misuse", "PolicyMisuseError"),
    (16, "limit", "LimitError"),
    (17, "tlog", "TlogError"),
]
BY_STEP = {step: getattr(sigverify, name) for _, step, name in KINDS}

# The step at which each failing vector is rejected (as in the core's corpus test).
EXPECTED = {
    "bundle-empty-certificate-chain_fail": "parse",
    "bundle-from-wrong-instance_fail": "tlog",
    "bundle-invalid-base64-signature_fail": "parse",
    "bundle-malformed-json_fail": "parse",
    "bundle-negative-log-index_fail": "parse",
    "bundle-unknown-version_fail": "unsupported-version",
    "bundle-with-root-cert_fail": "chain",
    "checkpoint-bad-keyhint_fail": "checkpoint",
    "checkpoint-wrong-roothash_fail": "checkpoint",
    "dsse-invalid-sig_fail": "tlog-body-mismatch",
    "dsse-mismatch-envelope_fail": "tlog-body-mismatch",
    "dsse-mismatch-sig_fail": "tlog-body-mismatch",
    "inclusion-proof-corrupted-hash_fail": "inclusion-proof",
    "incorrect-public-key_fail": "tlog-body-mismatch",
    "integrated-time-in-future_fail": "time-window",
    "intoto-expired-certificate_fail": "time-window",
    "intoto-log-entry-mismatch_fail": "tlog-body-mismatch",
    "intoto-missing-inclusion-proof_fail": "tlog",
    "intoto-set-outside-signing-cert-validity_fail": "time-window",
    "intoto-tsa-timestamp-outside-cert-validity_fail": "time-window",
    "invalid-checkpoint-signature_fail": "checkpoint",
    "invalid-ct-key_fail": "sct",
    "invalid-inclusion-proof_fail": "tlog",
    "managed-key-no-key_fail": "policy-misuse",
    "managed-key-wrong-key_fail": "policy-misuse",
    "message-digest-mismatch_fail": "artifact-mismatch",
    "rekor2-checkpoint-missing-log-signature_fail": "checkpoint",
    "rekor2-checkpoint-missing-origin_fail": "checkpoint",
    "rekor2-checkpoint-missing-root-hash_fail": "checkpoint",
    "rekor2-checkpoint-missing-size_fail": "checkpoint",
    "rekor2-checkpoint-no-matching-signature_fail": "checkpoint",
    "rekor2-dsse-invalid-sig_fail": "tlog-body-mismatch",
    "rekor2-dsse-mismatch-envelope_fail": "tlog-body-mismatch",
    "rekor2-dsse-mismatch-sig_fail": "tlog-body-mismatch",
    "rekor2-no-inclusion-proof_fail": "tlog",
    "rekor2-no-timestamp_fail": "time-window",
    "rekor2-timestamp-outside-trust-root-tsa-validity_fail": "timestamp",
    "rekor2-timestamp-outside-tsa-cert-validity_fail": "timestamp",
    "rekor2-timestamp-payload-mismatch_fail": "timestamp",
    "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail": "timestamp",
    "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail": "timestamp",
    "rekor2-timestamp-with-incorrect-time_fail": "time-window",
    "set-invalid-signature_fail": "set",
    "signature-mismatch_fail": "tlog-body-mismatch",
    "trust-root-tlog-missing-validity-start_fail": "trusted-root",
    "wrong-hashedrekord-artifact_fail": "tlog-body-mismatch",
    "wrong-hashedrekord-cert-and-sig_fail": "tlog-body-mismatch",
    "wrong-hashedrekord-entry_fail": "tlog-body-mismatch",
    "wrong-material_fail": "artifact-mismatch",
    # sigverify's own vectors.
    "intoto-subject-mismatch_fail": "artifact-mismatch",
    "downgrade-v0.3-to-v0.1-no-set_fail": "tlog",
    "downgrade-v0.3-to-v0.1-bad-proof_fail": "inclusion-proof",
    "tlog-entry-from-other-log_fail": "set",
    "sct-from-untrusted-log_fail": "sct",
    "chain-wrong-intermediate_fail": "chain",
    "identity-wrong-issuer_fail": "identity",
    "identity-prefix-only_fail": "identity",
    # Wrongly accepted mutants found by the hardening campaign, kept as vectors.
    "bundle-message-digest-positional-array_fail": "parse",
    "rekor2-entry-with-inclusion-promise_fail": "parse",
    "tsa-signeddata-version-altered_fail": "timestamp",
    "tsa-digest-algorithms-altered_fail": "timestamp",
    "tsa-signerinfo-version-altered_fail": "timestamp",
    "tsa-second-token-after-cert-expiry_fail": "time-window",
}


def run_case(c, artifact=None):
    """The whole pipeline as a caller writes it; any step may raise."""
    root = sigverify.TrustedRoot.from_json(c.root_path.read_bytes())
    verifier = sigverify.Verifier(root)
    policy = c.policy()
    bundle = c.bundle()
    return verifier.verify_artifact(c.artifact() if artifact is None else artifact, bundle, policy)


def test_every_failing_vector_is_listed():
    failing = {n for n, c in CASES.items() if c.expect == "fail"}
    assert failing == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_failing_vector_raises_its_step(name):
    c = CASES[name]
    step = EXPECTED[name]
    for artifact in (c.artifact(), sigverify.Digest.parse("sha256:" + __import__("hashlib").sha256(c.artifact()).hexdigest())):
        with pytest.raises(sigverify.VerificationError) as info:
            run_case(c, artifact)
        e = info.value
        assert type(e) is BY_STEP[step], (name, e)
        assert e.step == step and e.code == type(e).code
        assert str(e) == "%s: %s" % (step, e.message)
        assert e.message


def edited_bundle(name, edit):
    doc = json.loads(CASES[name].bundle_path.read_bytes())
    edit(doc)
    return json.dumps(doc)


def test_signature_step():
    """A key hint naming another key is a signature failure (the core checks it first)."""
    c = CASES["managed-key-happy-path"]

    def other_hint(doc):
        doc["verificationMaterial"]["publicKey"]["hint"] = base64.b64encode(bytes(32)).decode()

    bundle = sigverify.Bundle.from_json(edited_bundle(c.name, other_hint))
    with pytest.raises(sigverify.SignatureError) as e:
        verifier_for(c).verify_artifact(c.artifact(), bundle, c.policy())
    assert (e.value.code, e.value.step) == (12, "signature")


def test_limit_step():
    def many_entries(doc):
        entries = doc["verificationMaterial"]["tlogEntries"]
        doc["verificationMaterial"]["tlogEntries"] = entries[:1] * 33

    with pytest.raises(sigverify.LimitError) as e:
        sigverify.Bundle.from_json(edited_bundle("happy-path-v0.3", many_entries))
    assert (e.value.code, e.value.step) == (16, "limit")
    with pytest.raises(sigverify.LimitError):
        sigverify.Bundle.from_json(b" " * ((64 << 20) + 1))


def test_every_error_kind_is_exercised():
    """Each code is reached by a vector above or a dedicated test in this file."""
    reached = set(EXPECTED.values()) | {"signature", "limit"}
    assert reached == {step for _, step, _ in KINDS}


def test_exception_classes():
    assert issubclass(sigverify.VerificationError, Exception)
    assert sigverify.VerificationError.__module__ == "sigverify"
    subclasses = sigverify.VerificationError.__subclasses__()
    assert len(subclasses) == len(KINDS)
    for code, step, name in KINDS:
        cls = getattr(sigverify, name)
        assert cls in subclasses and cls.__name__ == name
        assert (cls.code, cls.step) == (code, step)
        assert cls.__doc__
    assert issubclass(sigverify.PolicyMisuseError, ValueError)
    assert not issubclass(sigverify.ChainError, ValueError)


def test_exceptions_pickle_with_their_attributes():
    c = CASES["wrong-material_fail"]
    with pytest.raises(sigverify.ArtifactMismatchError) as info:
        run_case(c)
    e = pickle.loads(pickle.dumps(info.value))
    assert type(e) is sigverify.ArtifactMismatchError
    assert (e.code, e.step, e.message) == (info.value.code, info.value.step, info.value.message)


def test_identity_mismatch_message_names_both_sides():
    c = CASES["happy-path-v0.3"]
    policy = sigverify.Identity(identity="https://example.com/other", issuer=c.issuer)
    with pytest.raises(sigverify.IdentityError) as e:
        verifier_for(c).verify_artifact(c.artifact(), c.bundle(), policy)
    assert "https://example.com/other" in e.value.message and c.identity in e.value.message


def test_trusted_root_errors():
    with pytest.raises(sigverify.VerificationError) as e:
        sigverify.TrustedRoot.from_json(b"{}")
    assert e.value.step in ("trusted-root", "parse")
    with pytest.raises(sigverify.VerificationError):
        sigverify.TrustedRoot.from_json("not json")
