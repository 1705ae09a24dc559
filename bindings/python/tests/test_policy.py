"""Policies: exact and regex identities, AnyOf, AllOf, managed keys, and the
mismatches between a policy and a bundle's signing mode."""

import pytest

import sigverify
from conftest import CASES, verifier_for

C = CASES["happy-path-v0.3"]
ID, ISS = C.identity, C.issuer


def verify(policy, case=C):
    return verifier_for(case).verify_artifact(case.artifact(), case.bundle(), policy)


def test_regex_forms():
    verify(sigverify.Identity(identity_regex=r"https://github\.com/sigstore-conformance/.*", issuer=ISS))
    verify(sigverify.Identity(identity=ID, issuer_regex=r"https://token\.actions\.githubusercontent\.com"))
    verify(sigverify.Identity(identity_regex=".*", issuer_regex=".*"))


def test_regex_is_anchored():
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.Identity(identity_regex=r"https://github\.com/sigstore-conformance", issuer=ISS))
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.Identity(identity=ID, issuer_regex="token"))


def test_exact_is_exact():
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.Identity(identity=ID + "/", issuer=ISS))
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.Identity(identity=ID, issuer=ISS.upper()))


def test_any_of():
    good = sigverify.Identity(identity=ID, issuer=ISS)
    bad = sigverify.Identity(identity="https://example.com/x", issuer=ISS)
    verify(sigverify.AnyOf([bad, good]))
    verify(sigverify.AnyOf((bad, sigverify.AnyOf([good]))))  # nested AnyOf is flattened
    verify(sigverify.AnyOf(iter([good])))
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.AnyOf([bad, bad]))
    p = sigverify.AnyOf([bad, good])
    assert p.policies[1] is good and "AnyOf([Identity(" in repr(p)


def test_all_of():
    exact = sigverify.Identity(identity=ID, issuer=ISS)
    repo = sigverify.Identity(identity_regex=r"https://github\.com/sigstore-conformance/.*", issuer=ISS)
    other = sigverify.Identity(identity="https://example.com/x", issuer=ISS)
    r = verify(sigverify.AllOf([exact, repo]))
    assert r.identity == ID
    verify(sigverify.AllOf([exact, sigverify.AnyOf([other, repo]), sigverify.AllOf([repo])]))
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.AllOf([exact, other]))
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.AllOf([other, exact]))
    # AllOf does not weaken anything else: a bad bundle still fails at its step.
    bad = CASES["set-invalid-signature_fail"]
    with pytest.raises(sigverify.SignedEntryTimestampError):
        verify(sigverify.AllOf([exact, repo]), bad)


def test_all_of_on_dsse():
    c = CASES["happy-path-intoto-in-dsse-v3"]
    p = sigverify.AllOf([sigverify.Identity(identity=c.identity, issuer=c.issuer),
                         sigverify.Identity(identity_regex=".*", issuer=c.issuer)])
    payload_type, _ = verifier_for(c).verify_dsse(c.bundle(), p)
    assert payload_type == "application/vnd.in-toto+json"


def test_identity_policy_on_managed_key_bundle():
    c = CASES["managed-key-happy-path"]
    with pytest.raises(sigverify.PolicyMisuseError) as e:
        verify(sigverify.Identity(identity=ID, issuer=ISS), c)
    assert isinstance(e.value, ValueError) and e.value.code == 15


def test_key_policy_on_keyless_bundle():
    key = sigverify.PublicKey(CASES["managed-key-happy-path"].key_path.read_bytes())
    with pytest.raises(sigverify.PolicyMisuseError):
        verify(key)


def test_wrong_key():
    """A valid key that did not sign: a Rekor log key from the trusted root."""
    import base64
    import json

    c = CASES["managed-key-happy-path"]
    root = json.loads(c.root_path.read_bytes())
    der = base64.b64decode(root["tlogs"][0]["publicKey"]["rawBytes"])
    key = sigverify.PublicKey(der)
    assert key.fingerprint != sigverify.PublicKey(c.key_path.read_bytes()).fingerprint
    with pytest.raises(sigverify.SignatureError):
        verify(key, c)


def test_public_key_validity_window():
    """A key trusted for a window only: the bundle's verified times
    (2025-12-18T17:04:39Z, log and TSA) must lie inside, ends inclusive."""
    import datetime

    c = CASES["managed-key-happy-path"]
    pem = c.key_path.read_bytes()
    at = datetime.datetime(2025, 12, 18, 17, 4, 39, tzinfo=datetime.timezone.utc)
    second = datetime.timedelta(seconds=1)
    for window in [{"valid_from": at}, {"valid_until": at}, {"valid_from": at, "valid_until": at}]:
        verify(sigverify.PublicKey(pem, **window), c)
    # Any timezone names the same instant.
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    verify(sigverify.PublicKey(pem, valid_until=at.astimezone(tokyo)), c)
    for window in [{"valid_from": at + second}, {"valid_until": at - second}]:
        with pytest.raises(sigverify.TimeWindowError, match="outside the managed key's validity"):
            verify(sigverify.PublicKey(pem, **window), c)
    with pytest.raises(sigverify.PolicyMisuseError, match="ends"):
        sigverify.PublicKey(pem, valid_from=at, valid_until=at - second)
    with pytest.raises(ValueError, match="timezone-aware"):
        sigverify.PublicKey(pem, valid_from=at.replace(tzinfo=None))
    with pytest.raises(TypeError, match="valid_until must be a datetime"):
        sigverify.PublicKey(pem, valid_until=1766077479)

    # The window is readable, and shows in the repr.
    k = sigverify.PublicKey(pem, valid_until=at.astimezone(tokyo))
    assert (k.valid_from, k.valid_until) == (None, at)
    assert "valid_until=2025-12-18T17:04:39Z" in repr(k)
    assert "valid" not in repr(sigverify.PublicKey(pem))

    # The instant comes from the fields and the zone's offset, not from
    # arithmetic a subclass could redefine; a zone without an offset is naive.
    class Shifty(datetime.datetime):
        def __sub__(self, other):
            return datetime.timedelta(days=100000)

    shifty = Shifty(2020, 1, 1, tzinfo=datetime.timezone.utc)
    with pytest.raises(sigverify.TimeWindowError):
        verify(sigverify.PublicKey(pem, valid_until=shifty), c)

    class NoOffset(datetime.tzinfo):
        def utcoffset(self, dt):
            return None

    with pytest.raises(ValueError, match="timezone-aware"):
        sigverify.PublicKey(pem, valid_from=datetime.datetime(2025, 1, 1, tzinfo=NoOffset()))
    class DayOff(datetime.tzinfo):
        def utcoffset(self, dt):
            return datetime.timedelta(days=3650)

    with pytest.raises(ValueError, match="between -24 and 24 hours"):
        sigverify.PublicKey(pem, valid_until=datetime.datetime(2020, 1, 1, tzinfo=DayOff()))
    odd = datetime.timezone(datetime.timedelta(hours=-23, minutes=-59, seconds=-1, microseconds=-1))
    assert sigverify.PublicKey(pem, valid_from=at.astimezone(odd)).valid_from == at


STRANGER = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEwUP+BpjJaPBhu0ccTdWz5YRpfTE6
gv9dqXzWM9gcga6h2VKEEP+QlL7HIfyRlk6qw4TSPaAwnq9s9Cpfpd3fbg==
-----END PUBLIC KEY-----
"""


def test_keyring():
    """AnyOf of PublicKeys: any one key may have signed, each with its own window.
    The bundle's hint is its key's fingerprint, so only that key is tried."""
    import datetime

    c = CASES["managed-key-happy-path"]
    real = sigverify.PublicKey(c.key_path.read_bytes())
    stranger = sigverify.PublicKey(STRANGER)
    for ring in [sigverify.AnyOf([stranger, real]), sigverify.AnyOf([real, stranger])]:
        assert verify(ring, c).key_fingerprint == real.fingerprint
    # Nested AnyOf flattens.
    assert verify(sigverify.AnyOf([sigverify.AnyOf([stranger]), real]), c).key_fingerprint == real.fingerprint
    with pytest.raises(sigverify.SignatureError, match="names none of the keys"):
        verify(sigverify.AnyOf([stranger, sigverify.PublicKey(STRANGER)]), c)
    at = datetime.datetime(2025, 12, 18, 17, 4, 39, tzinfo=datetime.timezone.utc)
    retired = sigverify.PublicKey(c.key_path.read_bytes(), valid_until=at - datetime.timedelta(seconds=1))
    with pytest.raises(sigverify.TimeWindowError):
        verify(sigverify.AnyOf([stranger, retired]), c)
    with pytest.raises(sigverify.PolicyMisuseError, match="not both"):
        sigverify.AnyOf([real, sigverify.Identity(identity=ID, issuer=ISS)])
    # An AllOf takes identities only: one bundle has one signing key.
    with pytest.raises(TypeError, match="AnyOf of identities"):
        sigverify.AllOf([sigverify.AnyOf([real])])


def test_public_key_der():
    import base64

    pem = CASES["managed-key-happy-path"].key_path.read_text()
    body = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
    der = base64.b64decode(body)
    assert sigverify.PublicKey(der).fingerprint == sigverify.PublicKey(pem).fingerprint


def test_identity_accessors():
    i = sigverify.Identity(identity_regex="a.*", issuer="https://x")
    assert (i.identity, i.identity_regex, i.issuer, i.issuer_regex) == (None, "a.*", "https://x", None)
    assert repr(i) == 'Identity(identity_regex="a.*", issuer="https://x")'


REPO = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon"


def test_fulcio_claims():
    claims = {"SourceRepositoryURI": REPO, "1.3.6.1.4.1.57264.1.11": "github-hosted"}
    ident = sigverify.Identity(
        identity=ID, issuer=ISS, extensions=claims, extensions_regex={"Source Repository Ref": "refs/heads/.*"}
    )
    assert ident.extensions == claims and ident.extensions_regex == {"Source Repository Ref": "refs/heads/.*"}
    assert "extensions={" in repr(ident)
    verify(ident)
    with pytest.raises(sigverify.IdentityError, match="1.3.6.1.4.1.57264.1.12"):
        verify(sigverify.Identity(identity=ID, issuer=ISS, extensions={"SourceRepositoryURI": REPO + "-fork"}))
    # Anchored: a prefix of the claim does not match.
    with pytest.raises(sigverify.IdentityError):
        verify(sigverify.Identity(identity=ID, issuer=ISS, extensions_regex={"SourceRepositoryURI": REPO[:30]}))
    # Unknown claim names and bad patterns are caller errors.
    with pytest.raises(sigverify.PolicyMisuseError):
        sigverify.Identity(identity=ID, issuer=ISS, extensions={"NoSuchClaim": "x"})
    with pytest.raises(sigverify.PolicyMisuseError):
        sigverify.Identity(identity=ID, issuer=ISS, extensions_regex={"SourceRepositoryRef": "("})
    with pytest.raises(ValueError):
        sigverify.Identity(identity=ID, issuer=ISS, extensions={"SourceRepositoryRef": ""})
    with pytest.raises(TypeError):
        sigverify.Identity(identity=ID, issuer=ISS, extensions={"SourceRepositoryRef": 1})
