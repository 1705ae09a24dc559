#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets from the test vectors.

    python3 fuzz/seed_corpus.py [OUT_DIR]     (default: fuzz/corpus)

One directory per target. Case numbers (the first byte of `verify_bundle`
inputs) follow the manifests in order, conformance then ours, exactly as
fuzz/src/lib.rs numbers them.
"""
import base64
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "test-vectors")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")


def load(path):
    with open(path, "rb") as f:
        return f.read()


def write(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def b64(s):
    """Lenient base64 (the vectors include deliberately invalid fields): b'' if undecodable."""
    s = s.replace("-", "+").replace("_", "/").rstrip("=")
    try:
        return base64.b64decode(s + "=" * (-len(s) % 4))
    except ValueError:
        return b""


def der_tlv(buf, off):
    n = buf[off + 1]
    if n < 0x80:
        return buf[off], off + 2, n
    k = n & 0x7F
    return buf[off], off + 2 + k, int.from_bytes(buf[off + 2:off + 2 + k], "big")


def der_children(buf, start, length):
    out, p = [], start
    while p < start + length:
        tag, c, n = der_tlv(buf, p)
        out.append((tag, p, c, n))
        p = c + n
    return out


def sct_list(cert):
    """The TLS SCT list inside a certificate, or None."""
    try:
        _, c, n = der_tlv(cert, 0)
        tbs = der_children(cert, c, n)[0]
        for tag, _, ec, en in der_children(cert, tbs[2], tbs[3]):
            if tag != 0xA3:
                continue
            seq = der_children(cert, ec, en)[0]
            for _, _, xc, xn in der_children(cert, seq[2], seq[3]):
                parts = der_children(cert, xc, xn)
                oid = cert[parts[0][2]:parts[0][2] + parts[0][3]]
                if oid == bytes.fromhex("2b06010401d679020402"):
                    outer = parts[-1]
                    _, ic, inn = der_tlv(cert, outer[2])
                    return cert[ic:ic + inn]
    except (IndexError, ValueError):
        return None
    return None


def main():
    index = 0
    roots, certs, seen = set(), set(), set()
    for corpus in ("conformance", "ours"):
        base = os.path.join(VECTORS, corpus)
        manifest = json.loads(load(os.path.join(base, "manifest.json")))
        for case in manifest["cases"]:
            raw = load(os.path.join(base, case["bundle"]))
            write("verify_bundle", bytes([index % 256]) + raw)
            index += 1
            if raw in seen:
                continue
            seen.add(raw)
            write("bundle_parse", raw)
            roots.add(os.path.normpath(os.path.join(base, case["trusted_root"])))
            try:
                b = json.loads(raw)
                vm = b["verificationMaterial"]
            except (ValueError, KeyError, TypeError):
                continue
            for c in vm.get("x509CertificateChain", {}).get("certificates", []) + [vm.get("certificate", {})]:
                if isinstance(c, dict) and c.get("rawBytes"):
                    certs.add(b64(c["rawBytes"]))
            sig = None
            if "messageSignature" in b:
                sig = b64(b["messageSignature"].get("signature", ""))
            elif "dsseEnvelope" in b and b["dsseEnvelope"].get("signatures"):
                sig = b64(b["dsseEnvelope"]["signatures"][0].get("sig", ""))
            for t in vm.get("timestampVerificationData", {}).get("rfc3161Timestamps", []):
                if sig is not None and t.get("signedTimestamp"):
                    write("rfc3161_der", len(sig).to_bytes(2, "big") + sig + b64(t["signedTimestamp"]))
            for e in vm.get("tlogEntries", []):
                env = e.get("inclusionProof", {}).get("checkpoint", {}).get("envelope")
                if env:
                    write("checkpoint_parse", env.encode())
    for r in sorted(roots) + [os.path.join(VECTORS, "trust", f) for f in os.listdir(os.path.join(VECTORS, "trust"))]:
        if not os.path.exists(r):
            continue
        data = load(r)
        write("trusted_root_parse", data)
        try:
            root = json.loads(data)
        except ValueError:
            continue
        for ca in root.get("certificateAuthorities", []) + root.get("timestampAuthorities", []):
            for c in ca.get("certChain", {}).get("certificates", []):
                if c.get("rawBytes"):
                    certs.add(b64(c["rawBytes"]))
    for c in certs:
        write("certificate_der", c)
        lst = sct_list(c)
        if lst:
            write("sct_list", lst)
    for t in sorted(os.listdir(OUT)):
        print("%-20s %d seeds" % (t, len(os.listdir(os.path.join(OUT, t)))))


main()
