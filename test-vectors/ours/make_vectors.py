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


def add(name, bundle, why, artifact=None, root=None, expect="fail"):
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
    cases.append({
        "name": name, "expect": expect, "why": why,
        "bundle": name + "/bundle.sigstore.json", "artifact": art,
        "identity": IDENTITY, "issuer": ISSUER, "key": None,
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
