#!/usr/bin/env python3
"""Derive sigverify's own negative vectors from the conformance corpus.

Each case is a conformance bundle or trusted root with one targeted change
that a correct verifier must reject; `manifest.json` (same shape as the
conformance manifest) lists them. Re-run after changing this script:
    python3 test-vectors/ours/make_vectors.py
"""
import base64
import copy
import hashlib
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(HERE, "..", "conformance")
PROD = os.path.join(HERE, "..", "trust", "production_trusted_root.json")
STAGING = os.path.join(HERE, "..", "trust", "staging_trusted_root.json")
IDENTITY = ("https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
            ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main")
ISSUER = "https://token.actions.githubusercontent.com"


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def bundle_of(case):
    return load(os.path.join(CONF, case, "bundle.sigstore.json"))


cases = []


def add(name, bundle, why, artifact=None, root=None, expect="fail", key=None):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "bundle.sigstore.json"), "w", encoding="utf-8") as f:
        json.dump(bundle, f, indent=1)
    art = "../conformance/a.txt"
    if artifact is not None:
        with open(os.path.join(d, "artifact"), "wb") as f:
            f.write(artifact)
        art = name + "/artifact"
    tr = "../trust/production_trusted_root.json"
    if root is not None:
        with open(os.path.join(d, "trusted_root.json"), "w", encoding="utf-8") as f:
            json.dump(root, f, indent=1)
        tr = name + "/trusted_root.json"
    if key is not None:
        with open(os.path.join(d, "key.pub"), "wb") as f:
            f.write(key)
    cases.append({
        "name": name, "expect": expect, "why": why,
        "bundle": name + "/bundle.sigstore.json", "artifact": art,
        "identity": None if key else IDENTITY, "issuer": None if key else ISSUER,
        "key": name + "/key.pub" if key else None,
        "trusted_root": tr, "trusted_root_is_default": root is None,
    })


# 1. A DSSE in-toto bundle whose statement does not name the artifact.
add("intoto-subject-mismatch_fail", bundle_of("happy-path-intoto-in-dsse-v3"),
    "in-toto statement has no subject with the artifact's digest (SPEC 11.3)",
    artifact=b"not the artifact the statement names\n")

# 2. Media-type downgrades: relabelling as v0.1 must not drop any proof obligation.
b = bundle_of("rekor2-happy-path")
b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1"
add("downgrade-v0.3-to-v0.1-no-set_fail", b,
    "v0.3 Rekor v2 bundle relabelled v0.1: v0.1 needs a SET it does not have (SPEC 3.3, 15.10)",
    root=load(os.path.join(CONF, "rekor2-happy-path", "trusted_root.json")))
b = bundle_of("happy-path-v0.3")
b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1"
proof = b["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]
h = bytearray(base64.b64decode(proof["hashes"][0]))
h[0] ^= 1
proof["hashes"][0] = base64.b64encode(bytes(h)).decode()
add("downgrade-v0.3-to-v0.1-bad-proof_fail", b,
    "v0.3 bundle relabelled v0.1 with a corrupted proof: a present proof must still verify (SPEC 3.3)")

# 3. A tlog entry attributed to another trusted log (the production Rekor v2 log).
prod = load(PROD)
b = bundle_of("happy-path-v0.3")
v2 = [t for t in prod["tlogs"] if "log2025" in t["baseUrl"]][0]
b["verificationMaterial"]["tlogEntries"][0]["logId"]["keyId"] = v2["logId"]["keyId"]
add("tlog-entry-from-other-log_fail", b,
    "entry claims the production Rekor v2 log; its SET and checkpoint cannot verify under that key (SPEC 4.6, 6.2)")

# 4. The SCT's CT log is not in the trusted root.
root = copy.deepcopy(prod)
root["ctlogs"] = [c for c in root["ctlogs"] if "ctfe.sigstore.dev/2022" not in c["baseUrl"]]
assert len(root["ctlogs"]) < len(prod["ctlogs"])
add("sct-from-untrusted-log_fail", bundle_of("happy-path-v0.3"),
    "the certificate's only SCT is from a CT log missing from the trusted root (SPEC 10.3)", root=root)

# 5. The trusted CA entry's intermediate swapped for staging's: the leaf's issuer is not trusted.
root = copy.deepcopy(prod)
staging = load(STAGING)
ca = [c for c in root["certificateAuthorities"] if len(c["certChain"]["certificates"]) == 2][0]
ca["certChain"]["certificates"][0] = staging["certificateAuthorities"][0]["certChain"]["certificates"][0]
root["certificateAuthorities"] = [ca]
add("chain-wrong-intermediate_fail", bundle_of("happy-path-v0.3"),
    "the trusted CA's intermediate is not the leaf's issuer (SPEC 9.2)", root=root)

# 6. The right identity from the wrong issuer, and a near-miss identity.
add("identity-wrong-issuer_fail", bundle_of("happy-path-v0.3"),
    "OIDC issuer differs (SPEC 12.4)")
cases[-1]["issuer"] = "https://accounts.google.com"
add("identity-prefix-only_fail", bundle_of("happy-path-v0.3"),
    "expected identity is a strict prefix of the certificate's; exact match required (SPEC 12.2)")
cases[-1]["identity"] = IDENTITY[:-5]

# 7. Found by the mutation campaign (sigverify/tests/mutation.rs): each of these
#    verified before the fix named in SECURITY.md.


def der_tlv(buf, off):
    """(tag, content offset, content length) of the DER TLV at `off`."""
    n = buf[off + 1]
    if n < 0x80:
        return buf[off], off + 2, n
    k = n & 0x7F
    return buf[off], off + 2 + k, int.from_bytes(buf[off + 2:off + 2 + k], "big")


def der_children(buf, off):
    """[(tag, offset, content offset, content length)] inside the TLV at `off`."""
    _, start, length = der_tlv(buf, off)
    out, p = [], start
    while p < start + length:
        tag, c, n = der_tlv(buf, p)
        out.append((tag, p, c, n))
        p = c + n
    return out


def edit_token(case, edit):
    """A copy of `case` whose first RFC 3161 token went through `edit(bytearray, signed_data_children)`."""
    b = bundle_of(case)
    ts = b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]
    tok = bytearray(base64.b64decode(ts["signedTimestamp"]))
    content_info = der_children(tok, 0)[1]
    signed_data = der_children(tok, der_children(tok, content_info[1])[1][1])[0]
    edit(tok, der_children(tok, signed_data[1]))
    ts["signedTimestamp"] = base64.b64encode(bytes(tok)).decode()
    return b


R2_ROOT = load(os.path.join(CONF, "rekor2-happy-path", "trusted_root.json"))

# Protobuf JSON messages are objects; serde's derive also read them from arrays, by position.
b = bundle_of("happy-path-v0.3")
md = b["messageSignature"]["messageDigest"]
b["messageSignature"]["messageDigest"] = [md["algorithm"], md["digest"]]
add("bundle-message-digest-positional-array_fail", b,
    "messageDigest written as a JSON array (fields by position) instead of an object (SPEC 2)")

# A SET on a Rekor v2 entry was skipped unverified; such logs issue none.
b = bundle_of("rekor2-happy-path")
b["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"] = \
    bundle_of("happy-path-v0.3")["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]
add("rekor2-entry-with-inclusion-promise_fail", b,
    "Rekor v2 entry carrying a (foreign) inclusionPromise, which a v2 log never issues (SPEC 6.2)",
    root=R2_ROOT)


def set_byte(off_of, value):
    def edit(tok, sd):
        tok[off_of(tok, sd)] = value
    return edit


# SignedData.version 3 -> 7 (unsigned CMS field, RFC 5652 5.1).
add("tsa-signeddata-version-altered_fail",
    edit_token("rekor2-happy-path", set_byte(lambda tok, sd: sd[0][2], 7)),
    "RFC 3161 token whose SignedData.version is 7, not 3 (RFC 5652 5.1; SPEC 7.1)", root=R2_ROOT)
# digestAlgorithms lists SHA-224 instead of the signer's SHA-256.
add("tsa-digest-algorithms-altered_fail",
    edit_token("rekor2-happy-path", set_byte(
        lambda tok, sd: (lambda oid: oid[2] + oid[3] - 1)(der_children(tok, der_children(tok, sd[1][1])[0][1])[0]),
        0x04)),
    "RFC 3161 token whose digestAlgorithms does not list the SignerInfo's digest algorithm (RFC 5652 5.1)",
    root=R2_ROOT)
# SignerInfo.version 1 -> 0 with an issuerAndSerialNumber signer identifier.
add("tsa-signerinfo-version-altered_fail",
    edit_token("rekor2-happy-path", set_byte(
        lambda tok, sd: der_children(tok, der_children(tok, sd[-1][1])[0][1])[0][2], 0)),
    "RFC 3161 token whose SignerInfo.version is 0 (RFC 5652 5.3: 1 for issuerAndSerialNumber)",
    root=R2_ROOT)

# A second token from the same authority, dated after the certificate expired, was
# dropped as a duplicate time source instead of being checked (SPEC 8.2 rule 2).
b = bundle_of("rekor2-happy-path")
late = bundle_of("rekor2-timestamp-with-incorrect-time_fail")
b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"].append(
    late["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0])
add("tsa-second-token-after-cert-expiry_fail", b,
    "two tokens from one TSA; the second is dated after the leaf expired (SPEC 8.2 rule 2)",
    root=R2_ROOT)

# 8. A passing vector for what no conformance case has: a Rekor v1 entry verified by
#    its inclusion proof alone (no SET). Key mode needs no verified time. The mutation
#    campaign mutates it like every passing vector.
b = bundle_of("managed-key-and-trusted-root")
del b["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]
with open(os.path.join(CONF, "managed-key-and-trusted-root", "key.pub"), "rb") as f:
    mk_key = f.read()
add("managed-key-rekor-v1-proof-only", b,
    "managed key, Rekor v1 entry with an inclusion proof and checkpoint but no SET (SPEC 3.3, 6.2)",
    root=load(os.path.join(CONF, "managed-key-and-trusted-root", "trusted_root.json")),
    expect="pass", key=mk_key)

manifest = {
    "schema": 1,
    "corpus": "sigverify-own",
    "about": "sigverify's own vectors, derived from the conformance corpus by make_vectors.py; "
             "paths are relative to this directory.",
    "defaults": {"identity": IDENTITY, "issuer": ISSUER},
    "cases": cases,
}
with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
    json.dump(manifest, f, indent=1)
    f.write("\n")
print("wrote %d cases" % len(cases))
