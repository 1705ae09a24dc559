//! Log entry body ↔ bundle consistency (SPEC §6.3) and the Rekor v2 body
//! reconstruction (§6.4).
//!
//! A body is attacker-supplied: the log only vouches that it was logged. Each
//! field that ties it to this bundle (digest, signature, key or certificate)
//! is compared; fields that cannot be reproduced (DSSE envelope hashes) are
//! ignored.

use super::Signer;
use crate::bundle::{Content, DsseEnvelope, MessageSignature};
use crate::crypto::{HashAlg, KeyType, sha256};
use crate::encoding::{b64_decode, b64_encode, hex_decode, pem_decode_single};
use crate::error::{Result, err};
use serde::Deserialize;

/// Check that `kind`/`version` names an entry type this verifier accepts
/// (SPEC §6.1): `hashedrekord` 0.0.1 and 0.0.2, `dsse` 0.0.1, `intoto` 0.0.2.
/// Everything else, including the withdrawn `dsse` 0.0.2, is
/// [`ErrorKind::UnsupportedVersion`](crate::ErrorKind::UnsupportedVersion).
pub fn check_supported(kind: &str, version: &str) -> Result<()> {
    match (kind, version) {
        ("hashedrekord", "0.0.1" | "0.0.2") | ("dsse", "0.0.1") | ("intoto", "0.0.2") => Ok(()),
        ("dsse", "0.0.2") => Err(err!(
            UnsupportedVersion,
            "log entry kind dsse 0.0.2 (withdrawn Rekor v2 type) is not supported"
        )),
        _ => Err(err!(
            UnsupportedVersion,
            "log entry kind {:?} version {:?} is not supported",
            crate::error::excerpt(kind),
            crate::error::excerpt(version)
        )),
    }
}

/// DSSE pre-authentication encoding (SPEC §11.3):
/// `"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let t = payload_type.as_bytes();
    let mut out = Vec::with_capacity(payload.len() + t.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(t.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(t);
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

// Bodies are read like bundles: messages from JSON objects only (`json::Obj`),
// so a body cannot be read differently from how Rekor wrote it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "S: Deserialize<'de>"))]
struct Body<S> {
    api_version: String,
    kind: String,
    #[serde(deserialize_with = "crate::json::object")]
    spec: S,
}

/// A body's signature list (exactly one is valid; more are read only up to a cap).
fn signatures<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Vec<T>, D::Error> {
    crate::json::capped_objects(d, crate::bundle::MAX_DSSE_SIGNATURES, "entry signatures")
}

#[derive(Deserialize)]
struct HashValue {
    algorithm: String,
    value: String,
}

#[derive(Deserialize)]
struct HashedRekordSpec {
    #[serde(deserialize_with = "crate::json::object")]
    data: HashedRekordData,
    #[serde(deserialize_with = "crate::json::object")]
    signature: HashedRekordSignature,
}

#[derive(Deserialize)]
struct HashedRekordData {
    #[serde(deserialize_with = "crate::json::object")]
    hash: HashValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HashedRekordSignature {
    content: String,
    #[serde(deserialize_with = "crate::json::object")]
    public_key: HashedRekordKey,
}

#[derive(Deserialize)]
struct HashedRekordKey {
    content: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DsseSpec {
    // `envelopeHash` is not reproducible (SPEC §6.3.2) and deliberately not read.
    #[serde(deserialize_with = "crate::json::object")]
    payload_hash: HashValue,
    #[serde(deserialize_with = "signatures")]
    signatures: Vec<DsseSignature>,
}

#[derive(Deserialize)]
struct DsseSignature {
    signature: String,
    verifier: String,
}

#[derive(Deserialize)]
struct IntotoSpec {
    #[serde(deserialize_with = "crate::json::object")]
    content: IntotoContent,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IntotoContent {
    // `hash` (of the uploaded envelope) is not reproducible and not read.
    #[serde(deserialize_with = "crate::json::object")]
    envelope: IntotoEnvelope,
    #[serde(deserialize_with = "crate::json::object")]
    payload_hash: HashValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IntotoEnvelope {
    #[serde(default)]
    payload_type: Option<String>,
    #[serde(deserialize_with = "signatures")]
    signatures: Vec<IntotoSignature>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IntotoSignature {
    sig: String,
    public_key: String,
}

/// Parse `body` as the given kind and check its `kind`/`apiVersion` equal
/// the entry's `kindVersion`.
fn parse_body<'de, S: Deserialize<'de>>(body: &'de [u8], kind: &str, version: &str) -> Result<S> {
    if !crate::json::depth_within(body, crate::bundle::MAX_JSON_DEPTH) {
        return Err(err!(
            Limit,
            "canonicalizedBody nests deeper than {} levels",
            crate::bundle::MAX_JSON_DEPTH
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let b = crate::json::object::<_, Body<S>>(&mut de).and_then(|b| de.end().map(|()| b));
    let b = b.map_err(|e| {
        err!(
            TlogBodyMismatch,
            "canonicalizedBody is not a {kind} {version} body: {e}"
        )
    })?;
    if b.kind != kind || b.api_version != version {
        return Err(err!(
            TlogBodyMismatch,
            "body is {} {} but kindVersion says {kind} {version}",
            crate::error::excerpt(&b.kind),
            crate::error::excerpt(&b.api_version)
        ));
    }
    Ok(b.spec)
}

/// Check a Rekor v1 body (`hashedrekord` 0.0.1, `dsse` 0.0.1, `intoto` 0.0.2)
/// against the bundle content and signer (SPEC §6.3.1–§6.3.3).
/// Mismatches are [`ErrorKind::TlogBodyMismatch`](crate::ErrorKind::TlogBodyMismatch).
pub fn check_v1(
    kind: &str,
    version: &str,
    body: &[u8],
    content: &Content,
    signer: &Signer<'_>,
) -> Result<()> {
    match ((kind, version), content) {
        (("hashedrekord", "0.0.1"), Content::MessageSignature(m)) => {
            check_hashedrekord(parse_body(body, kind, version)?, m, signer)
        }
        (("dsse", "0.0.1"), Content::Dsse(d)) => {
            check_dsse(parse_body(body, kind, version)?, d, signer)
        }
        (("intoto", "0.0.2"), Content::Dsse(d)) => {
            check_intoto(parse_body(body, kind, version)?, d, signer)
        }
        (("hashedrekord", "0.0.1"), Content::Dsse(_)) => Err(err!(
            TlogBodyMismatch,
            "a hashedrekord 0.0.1 entry cannot describe a DSSE bundle"
        )),
        (("dsse", "0.0.1") | ("intoto", "0.0.2"), Content::MessageSignature(_)) => Err(err!(
            TlogBodyMismatch,
            "a {kind} {version} entry cannot describe a messageSignature bundle"
        )),
        _ => check_supported(kind, version).and_then(|()| {
            Err(err!(
                UnsupportedVersion,
                "{kind} {version} is not a Rekor v1 entry type"
            ))
        }),
    }
}

fn check_hashedrekord(
    spec: HashedRekordSpec,
    m: &MessageSignature,
    signer: &Signer<'_>,
) -> Result<()> {
    let h = &spec.data.hash;
    let alg = HashAlg::from_short_name(&h.algorithm).ok_or_else(|| {
        err!(
            TlogBodyMismatch,
            "entry hash algorithm {:?} is not supported",
            h.algorithm
        )
    })?;
    if alg != m.digest_algorithm {
        return Err(err!(
            TlogBodyMismatch,
            "entry hash algorithm {} differs from messageDigest's {}",
            alg.short_name(),
            m.digest_algorithm.short_name()
        ));
    }
    let digest =
        hex_decode(&h.value).map_err(|e| err!(TlogBodyMismatch, "entry hash value: {e}"))?;
    if digest != m.digest {
        return Err(err!(
            TlogBodyMismatch,
            "entry hash value differs from the bundle's messageDigest"
        ));
    }
    let sig = b64_decode(&spec.signature.content)
        .map_err(|e| err!(TlogBodyMismatch, "entry signature content: {e}"))?;
    if sig != m.signature {
        return Err(err!(
            TlogBodyMismatch,
            "entry signature differs from the bundle's messageSignature"
        ));
    }
    check_pem_key(
        &spec.signature.public_key.content,
        signer,
        "signature.publicKey.content",
    )
}

fn check_payload_hash(h: &HashValue, payload: &[u8]) -> Result<()> {
    if h.algorithm != "sha256" {
        return Err(err!(
            TlogBodyMismatch,
            "entry payloadHash algorithm {:?} is not sha256",
            h.algorithm
        ));
    }
    let logged =
        hex_decode(&h.value).map_err(|e| err!(TlogBodyMismatch, "entry payloadHash value: {e}"))?;
    if logged != sha256(payload) {
        return Err(err!(
            TlogBodyMismatch,
            "entry payloadHash differs from SHA-256 of the DSSE payload"
        ));
    }
    Ok(())
}

fn one<'a, T>(v: &'a [T], what: &str) -> Result<&'a T> {
    match v {
        [x] => Ok(x),
        _ => Err(err!(
            TlogBodyMismatch,
            "entry has {} {what}, the bundle's envelope has one",
            v.len()
        )),
    }
}

fn check_dsse(spec: DsseSpec, d: &DsseEnvelope, signer: &Signer<'_>) -> Result<()> {
    check_payload_hash(&spec.payload_hash, &d.payload)?;
    let s = one(&spec.signatures, "signatures")?;
    let sig =
        b64_decode(&s.signature).map_err(|e| err!(TlogBodyMismatch, "entry signature: {e}"))?;
    if sig != d.signature {
        return Err(err!(
            TlogBodyMismatch,
            "entry signature differs from the DSSE envelope's signature"
        ));
    }
    check_pem_key(&s.verifier, signer, "signatures[0].verifier")
}

fn check_intoto(spec: IntotoSpec, d: &DsseEnvelope, signer: &Signer<'_>) -> Result<()> {
    let c = &spec.content;
    check_payload_hash(&c.payload_hash, &d.payload)?;
    if let Some(t) = &c.envelope.payload_type
        && *t != d.payload_type
    {
        return Err(err!(
            TlogBodyMismatch,
            "entry payloadType {t:?} differs from the envelope's {:?}",
            d.payload_type
        ));
    }
    let s = one(&c.envelope.signatures, "envelope signatures")?;
    // intoto 0.0.2 stores the signature base64-encoded twice.
    let sig = b64_decode(&s.sig)
        .ok()
        .and_then(|inner| std::str::from_utf8(&inner).ok().map(b64_decode))
        .and_then(|r| r.ok())
        .ok_or_else(|| {
            err!(
                TlogBodyMismatch,
                "entry envelope signature is not double-base64 encoded"
            )
        })?;
    if sig != d.signature {
        return Err(err!(
            TlogBodyMismatch,
            "entry envelope signature differs from the DSSE envelope's signature"
        ));
    }
    check_pem_key(&s.public_key, signer, "envelope.signatures[0].publicKey")
}

/// Compare a body's `base64(PEM)` key or certificate with the signer, as DER.
fn check_pem_key(b64_pem: &str, signer: &Signer<'_>, field: &str) -> Result<()> {
    let (label, expected) = match signer {
        Signer::Certificate { leaf_der, .. } => ("CERTIFICATE", *leaf_der),
        Signer::PublicKey { key } => ("PUBLIC KEY", key.spki_der()),
    };
    // Fast path: Rekor stores exactly this encoding, and two base64 encodes cost
    // far less than the two decodes below. Equal text decodes to exactly `expected`,
    // so this accepts nothing the general path would refuse.
    if b64_pem == canonical_b64_pem(label, expected) {
        return Ok(());
    }
    let pem = b64_decode(b64_pem).map_err(|e| err!(TlogBodyMismatch, "entry {field}: {e}"))?;
    // Exactly one block: text around it could hide a second key from this
    // check that Go-based tools (Rekor, monitors) would read instead.
    let der = pem_decode_single(&pem, label)
        .map_err(|e| err!(TlogBodyMismatch, "entry {field} is not a {label} PEM: {e}"))?;
    if der != expected {
        return Err(err!(
            TlogBodyMismatch,
            "entry {field} is not the bundle's {}",
            match signer {
                Signer::Certificate { .. } => "leaf certificate",
                Signer::PublicKey { .. } => "public key",
            }
        ));
    }
    Ok(())
}

/// `base64(PEM(der))` as Go's `pem.Encode` writes it (64-column lines, final newline).
fn canonical_b64_pem(label: &str, der: &[u8]) -> String {
    let body = b64_encode(der);
    let mut pem = String::with_capacity(body.len() + body.len() / 64 + 2 * label.len() + 40);
    pem.push_str("-----BEGIN ");
    pem.push_str(label);
    pem.push_str("-----\n");
    for line in body.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is UTF-8.
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END ");
    pem.push_str(label);
    pem.push_str("-----\n");
    b64_encode(pem.as_bytes())
}

/// `keyDetails` and digest algorithm Rekor v2 records for a signing key
/// (SPEC §6.4 step 1; rekor-tiles accepts exactly these seven).
fn v2_key_details(key: KeyType) -> Result<(&'static str, HashAlg)> {
    Ok(match key {
        KeyType::EcdsaP256 => ("PKIX_ECDSA_P256_SHA_256", HashAlg::Sha256),
        KeyType::EcdsaP384 => ("PKIX_ECDSA_P384_SHA_384", HashAlg::Sha384),
        KeyType::EcdsaP521 => ("PKIX_ECDSA_P521_SHA_512", HashAlg::Sha512),
        KeyType::Rsa(2048) => ("PKIX_RSA_PKCS1V15_2048_SHA256", HashAlg::Sha256),
        KeyType::Rsa(3072) => ("PKIX_RSA_PKCS1V15_3072_SHA256", HashAlg::Sha256),
        KeyType::Rsa(4096) => ("PKIX_RSA_PKCS1V15_4096_SHA256", HashAlg::Sha256),
        KeyType::Ed25519 => ("PKIX_ED25519_PH", HashAlg::Sha512),
        KeyType::Rsa(bits) => {
            return Err(err!(
                TlogBodyMismatch,
                "an RSA-{bits} key cannot sign Rekor v2 entries"
            ));
        }
    })
}

/// Rebuild the Rekor v2 `hashedrekord` 0.0.2 body this bundle must have been
/// logged with (SPEC §6.3.4, §6.3.5, §6.4), in its canonical (JCS) form.
///
/// messageSignature: `data.digest` is the bundle's `messageDigest`, whose
/// algorithm must be the one the key implies. DSSE: `data.digest` is
/// H(PAE(payloadType, payload)); a pure-Ed25519 DSSE signature has no prehash
/// and cannot be logged this way, so it is refused.
pub fn reconstruct_v2(content: &Content, signer: &Signer<'_>) -> Result<Vec<u8>> {
    let key_type = signer.key().key_type();
    let (details, hash) = v2_key_details(key_type)?;
    let (digest, signature) = match content {
        Content::MessageSignature(m) => {
            if m.digest_algorithm != hash {
                return Err(err!(
                    TlogBodyMismatch,
                    "messageDigest is {} but a {} key is logged with {}",
                    m.digest_algorithm.proto_name(),
                    key_type.name(),
                    hash.proto_name()
                ));
            }
            (b64_encode(&m.digest), &m.signature)
        }
        Content::Dsse(d) => {
            if key_type == KeyType::Ed25519 {
                return Err(err!(
                    TlogBodyMismatch,
                    "a pure Ed25519 DSSE signature cannot be logged as hashedrekord 0.0.2"
                ));
            }
            (
                b64_encode(&hash.digest(&pae(&d.payload_type, &d.payload))),
                &d.signature,
            )
        }
    };
    let (verifier_field, verifier_der) = match signer {
        Signer::Certificate { leaf_der, .. } => ("x509Certificate", *leaf_der),
        Signer::PublicKey { key } => ("publicKey", key.spki_der()),
    };
    // Keys in JCS order; every value is base64 or an enum name, so no escaping.
    let body = format!(
        concat!(
            r#"{{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{{"hashedRekordV002":{{"#,
            r#""data":{{"algorithm":"{alg}","digest":"{digest}"}},"#,
            r#""signature":{{"content":"{sig}","verifier":{{"keyDetails":"{details}","#,
            r#""{vfield}":{{"rawBytes":"{vder}"}}}}}}}}}}}}"#
        ),
        alg = hash.proto_name(),
        digest = digest,
        sig = b64_encode(signature),
        details = details,
        vfield = verifier_field,
        vder = b64_encode(verifier_der),
    );
    Ok(body.into_bytes())
}

/// Why a supplied Rekor v2 body is not the rebuilt one, for the error message
/// only (the decision is the byte comparison): the first field, in the order a
/// user would look, whose value differs, or else that the body is not in
/// canonical form. `rebuilt` is [`reconstruct_v2`]'s output.
///
/// This runs before the entry's proof is checked, so the supplied body is only
/// decoded into a JSON tree when it is about the rebuilt one's size and shallow:
/// a tree costs many times the text, and the body may be tens of megabytes.
pub(crate) fn describe_v2_mismatch(supplied: &[u8], rebuilt: &[u8]) -> &'static str {
    if supplied.len() > rebuilt.len().saturating_mul(2).max(4096)
        || !crate::json::depth_within(supplied, 8)
    {
        return "the logged body is far from the rebuilt one (not compared field by field)";
    }
    let (Ok(s), Ok(r)) = (
        serde_json::from_slice::<serde_json::Value>(supplied),
        serde_json::from_slice::<serde_json::Value>(rebuilt),
    ) else {
        return "the logged body is not JSON";
    };
    let fields: [(&str, &'static str); 8] = [
        ("/kind", "the logged entry kind differs"),
        ("/apiVersion", "the logged entry version differs"),
        (
            "/spec/hashedRekordV002/signature/verifier/keyDetails",
            "the logged key type differs from the signing key's",
        ),
        (
            "/spec/hashedRekordV002/signature/verifier/x509Certificate",
            "the logged certificate is not the bundle's",
        ),
        (
            "/spec/hashedRekordV002/signature/verifier/publicKey",
            "the logged public key is not the one verifying the bundle",
        ),
        (
            "/spec/hashedRekordV002/data/algorithm",
            "the logged digest algorithm differs",
        ),
        (
            "/spec/hashedRekordV002/data/digest",
            "the logged digest is not the bundle's",
        ),
        (
            "/spec/hashedRekordV002/signature/content",
            "the logged signature is not the bundle's",
        ),
    ];
    fields
        .iter()
        .find(|(path, _)| s.pointer(path) != r.pointer(path))
        .map_or(
            if s == r {
                "the logged body is not in canonical (JCS) form"
            } else {
                "the logged body has fields the rebuilt one lacks"
            },
            |(_, why)| why,
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// The fast path of `check_pem_key` is taken for real Rekor bodies, and a
    /// re-wrapped PEM of the same certificate still matches through the slow path.
    #[test]
    fn pem_key_fast_path_matches_rekor_bodies() {
        let bundle = crate::bundle::Bundle::from_json(
            &std::fs::read(format!(
                "{}/../test-vectors/conformance/happy-path-v0.3/bundle.sigstore.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
        let leaf = bundle.leaf_certificate().unwrap();
        let body: serde_json::Value = serde_json::from_slice(
            bundle.tlog_entries[0]
                .canonicalized_body
                .as_deref()
                .unwrap(),
        )
        .unwrap();
        let content = body["spec"]["signature"]["publicKey"]["content"]
            .as_str()
            .unwrap();
        assert_eq!(content, canonical_b64_pem("CERTIFICATE", leaf));
        let parsed = crate::certificate::LeafCertificate::parse(leaf).unwrap();
        let key = parsed.public_key;
        let signer = Signer::Certificate {
            leaf_der: leaf,
            key: &key,
        };
        check_pem_key(content, &signer, "publicKey").unwrap();
        // Other line widths are not Rekor's encoding but are the same certificate.
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            b64_encode(leaf)
        );
        check_pem_key(&b64_encode(pem.as_bytes()), &signer, "publicKey").unwrap();
        let other = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            b64_encode(&leaf[..leaf.len() - 1])
        );
        assert_eq!(
            check_pem_key(&b64_encode(other.as_bytes()), &signer, "publicKey")
                .unwrap_err()
                .kind(),
            ErrorKind::TlogBodyMismatch
        );
        // The bundle's leaf followed by another block, behind text that makes
        // Go's pem.Decode skip the leaf and read only the second block: the
        // entry would be logged under another key for everyone but us.
        let confusing = format!("x{pem}{other}");
        let e = check_pem_key(&b64_encode(confusing.as_bytes()), &signer, "publicKey").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TlogBodyMismatch);
        assert!(e.to_string().contains("not a single"), "{e}");
        let twice = format!("{pem}{pem}");
        assert!(check_pem_key(&b64_encode(twice.as_bytes()), &signer, "publicKey").is_err());
    }

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    #[test]
    fn supported_kinds() {
        for (k, v) in [
            ("hashedrekord", "0.0.1"),
            ("hashedrekord", "0.0.2"),
            ("dsse", "0.0.1"),
            ("intoto", "0.0.2"),
        ] {
            check_supported(k, v).unwrap();
        }
        for (k, v) in [
            ("dsse", "0.0.2"),
            ("intoto", "0.0.1"),
            ("rekord", "0.0.1"),
            ("hashedrekord", "0.0.3"),
            ("", ""),
        ] {
            assert_eq!(
                check_supported(k, v).unwrap_err().kind(),
                ErrorKind::UnsupportedVersion
            );
        }
    }
}
