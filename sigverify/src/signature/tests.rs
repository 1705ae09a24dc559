use super::dsse::{MAX_SUBJECT_DIGESTS, MAX_SUBJECTS, bind};
use super::*;
use crate::artifact::Artifact;
use crate::bundle::{Bundle, Content, DsseEnvelope, MessageSignature, SigningMaterial};
use crate::crypto::{HashAlg, KeyType, PublicKey, rfc8032};
use crate::encoding::{b64_decode, hex_encode};
use crate::error::ErrorKind;

// ---------------------------------------------------------------- helpers

fn case_path(case: &str, file: &str) -> String {
    format!(
        "{}/../test-vectors/conformance/{case}/{file}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bundle(case: &str) -> Bundle {
    Bundle::from_json(&read(&case_path(case, "bundle.sigstore.json")))
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

fn a_txt() -> Vec<u8> {
    read(&format!(
        "{}/../test-vectors/conformance/a.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
}

/// The case's artifact: its own `artifact` file if present, else `a.txt`.
fn artifact(case: &str) -> Artifact {
    let own = case_path(case, "artifact");
    if std::path::Path::new(&own).exists() {
        Artifact::from_bytes(&read(&own))
    } else {
        Artifact::from_bytes(&a_txt())
    }
}

/// The leaf certificate's key, or the case's `key.pub` for managed-key bundles.
fn signer_key(case: &str, b: &Bundle) -> PublicKey {
    match &b.material {
        SigningMaterial::Certificate { leaf, .. } => {
            use der::{Decode, Encode};
            let cert = x509_cert::Certificate::from_der(leaf).unwrap();
            let spki = cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .unwrap();
            PublicKey::from_spki_der(&spki).unwrap()
        }
        SigningMaterial::PublicKey { .. } => {
            PublicKey::from_pem(&read(&case_path(case, "key.pub"))).unwrap()
        }
    }
}

fn message(b: &Bundle) -> &MessageSignature {
    match &b.content {
        Content::MessageSignature(m) => m,
        Content::Dsse(_) => panic!("expected a messageSignature bundle"),
    }
}

fn envelope(b: &Bundle) -> &DsseEnvelope {
    match &b.content {
        Content::Dsse(d) => d,
        Content::MessageSignature(_) => panic!("expected a DSSE bundle"),
    }
}

fn check_message(case: &str) -> crate::Result<()> {
    let b = bundle(case);
    verify_message_signature(message(&b), &signer_key(case, &b), &artifact(case))
}

fn check_dsse(case: &str, art: Option<&Artifact>) -> crate::Result<Option<InTotoStatement>> {
    let b = bundle(case);
    verify_dsse(envelope(&b), &signer_key(case, &b), art)
}

fn key_b64(spki: &str) -> PublicKey {
    PublicKey::from_spki_der(&b64_decode(spki).unwrap()).unwrap()
}

fn sha256_artifact_digest(data: &[u8]) -> Artifact {
    Artifact::from_digest(HashAlg::Sha256, &HashAlg::Sha256.digest(data)).unwrap()
}

// Keys and signatures made once with OpenSSL 3.0 for these tests (over a.txt,
// or over the PAE of OWN_PAYLOAD with type application/vnd.in-toto+json).
const P384_SPKI: &str = "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEUTqEKgyQkmIVroIn7m2MHYxS/bZ2BLtj9Kt1XoNKvah9uwI8jU/5rYc+nS4zJosVgb1bDS3DRqDs6A1TBwbgUNFKIlFHgdHmsS8gVYNWMzVj95nKtnBCbf7OM19eaHdJ";
/// `openssl dgst -sha384 -sign` over a.txt.
const P384_SIG_SHA384: &str = "MGYCMQC4fhS0PnooNKOpsiY+JUx6KiLVyQipi5zDSYOpyuG2Hcd5tOSh5iGwg2rjsyi/HDcCMQDZC9BX8madMzxUH8XxVg3Gbq8gUcoj0OYKdtg/sCE3OFV1lQMU9k87LQBu5RogXeM=";
/// `openssl dgst -sha256 -sign` over a.txt (legacy client form).
const P384_SIG_SHA256: &str = "MGUCMFjowpLSPE2zA3dCWvDZ2Gc5LoJknx1vQ84oHNDgcpJ1ttCuKcGzxfu0cXeKQcIVaAIxAKsBSMmBkI/rLiacT3h4ozfg2/Zq9M393VtciO6AAVtxeIfHOgUkt85+bWLGY49kWA==";
const P384_DSSE_SHA384: &str = "MGQCMB7DgwgvFRbnCAv7iVZ9qpaPa0od1HpzcIOTOkpS8So1x05Sl/XYEYmQZta5wGSA4wIwH3jd9K177OA6IXPbR7lozA78NVwD3819rTnLyatz/AGT1+uQhQMVU0xk67/4Y1Hz";
const P384_DSSE_SHA256: &str = "MGQCMBbgTjDEpTVcb/bA7IZ8jrcKFhsiRmlyll5a+yfu0GzaZxk6iUdyvJ25X2Jpq2w2PAIwBm0ALbEkeEYeBNbQnlb620d/Xoz9+yVOF+muYCwurzDjowUaMcQungzAffDjajA3";
const ED25519_SPKI: &str = "MCowBQYDK2VwAyEA11zlFfq102y0vsRRaiu+B7J5UVBNgSyAAbL//8duWZA=";
const ED25519_DSSE: &str =
    "gQKeXPiwFAjg3JYuIuwvafeEjx5ZhiSr4/5h5ytizlbvg+ed0vpeRJG4CS+23vyEJI3FEZaDfl56lNRIUsd2CA==";
const RSA_SPKI: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw+NIu6P/7jBn6d6PL46VLB0ElH60VpowB+oDlTfAKnZKouUEG3CXSCuA6jA1soyS4SK9x1wMJbs9LxfvMOGAdksSGI1SgsB/0vgMHNQqhyL2O2iso/JOVi16MzFg2/FrKHGGiHJVX0lmcgbjvxGjvn7LtjmipM2ffWWN76Us8iJ6dDuXl9mYaAHVBT0oHzQu6lweLz+COi65X3fHadHodqyb8tuMWGKkj1GftshRYzLVWTMnnLzfyh0f5NwM/iMjrv00/3ZL67+nHmWpmmBitNEDB9/ud9UXJTCMF/DRmcIht1iAljpKjfhBG4wtBSCSl2w9YNCQIHGncolHjpj39wIDAQAB";
/// `openssl dgst -sha256 -sign` (PKCS#1 v1.5) over a.txt.
const RSA_SIG_SHA256: &str = "h53RkMPl57nyEqgw2b8xaZBYLA4VlJUFWDJz3qMJmBw35qOAoD+1l4D/SxzByv2L7MG4wfNuZJUALfN+gzPVsLqqwMiL8ogK5L/hC8f2AI5mn3lq1MV1d5JST9qK7Wn5L26wmnjnenKUqgZ/0GFZ/NlU5w0KMxw8PrTZRVRhzjZ3Jp/fH73b/I6qQ2x20c709Efl/eMl4YwsVdPPDqm3jYfvh6MS2dMpgh/D6LOcSGh0GbQ1tyz79nuq3yamMq5SkP1/vUGvh7cdO4fwtbd+lAqlQDmE7TaYwCaz0vt6ZcMwITLKk1Xxh3DybON8FwavUYHES0ZpKlJ311B0k9Nfhg==";
/// Statement whose only subject is a.txt's SHA-512.
const OWN_PAYLOAD: &str = r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.txt","digest":{"sha512":"d2e21657046bff108efe3963c778ed2a8033867988fc24d9f1a2fa9e9648fe1987c0f9c5cc67396eab3ee73654ccdbfdfecffaba13390b90e317c003878747fa"}}],"predicateType":"https://example.com/p","predicate":{}}"#;
const IN_TOTO: &str = "application/vnd.in-toto+json";

/// A messageSignature over a.txt under `alg` with signature `sig_b64`.
fn own_message(alg: HashAlg, sig_b64: &str) -> MessageSignature {
    MessageSignature {
        digest_algorithm: alg,
        digest: alg.digest(&a_txt()),
        signature: b64_decode(sig_b64).unwrap(),
    }
}

fn own_envelope(payload_type: &str, payload: &str, sig_b64: &str) -> DsseEnvelope {
    DsseEnvelope {
        payload: payload.as_bytes().to_vec(),
        payload_type: payload_type.into(),
        signature: b64_decode(sig_b64).unwrap_or_default(),
        keyid: String::new(),
    }
}

fn kind<T: std::fmt::Debug>(r: crate::Result<T>) -> ErrorKind {
    r.unwrap_err().kind()
}

// ---------------------------------------------------------------- PAE

#[test]
fn pae_matches_the_dsse_spec() {
    assert_eq!(
        pae("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    );
    assert_eq!(pae("", b""), b"DSSEv1 0  0 ");
    let p = pae(IN_TOTO, b"{}");
    assert_eq!(p, b"DSSEv1 28 application/vnd.in-toto+json 2 {}");
}

// ---------------------------------------------------------------- messageSignature, corpus

#[test]
fn message_signature_happy_paths() {
    check_message("happy-path-v0.3").unwrap();
    check_message("managed-key-happy-path").unwrap();
    // The artifact streamed rather than held in memory gives the same result.
    let b = bundle("happy-path-v0.3");
    let streamed = Artifact::from_reader(&a_txt()[..]).unwrap();
    verify_message_signature(message(&b), &signer_key("happy-path-v0.3", &b), &streamed).unwrap();
}

#[test]
fn message_signature_corpus_failures() {
    assert_eq!(
        kind(check_message("signature-mismatch_fail")),
        ErrorKind::Signature
    );
    assert_eq!(
        kind(check_message("message-digest-mismatch_fail")),
        ErrorKind::ArtifactMismatch
    );
    assert_eq!(
        kind(check_message("wrong-material_fail")),
        ErrorKind::ArtifactMismatch
    );
}

#[test]
fn message_signature_with_another_key_fails() {
    let b = bundle("happy-path-v0.3");
    let other = signer_key("managed-key-happy-path", &bundle("managed-key-happy-path"));
    let e = verify_message_signature(message(&b), &other, &artifact("happy-path-v0.3"));
    assert_eq!(kind(e), ErrorKind::Signature);
}

#[test]
fn message_signature_digest_mode() {
    let b = bundle("happy-path-v0.3");
    let key = signer_key("happy-path-v0.3", &b);
    let msg = message(&b);
    // The sha256:<hex> form conformance passes.
    let d = Artifact::parse_digest(&format!(
        "sha256:{}",
        hex_encode(&HashAlg::Sha256.digest(&a_txt()))
    ))
    .unwrap();
    verify_message_signature(msg, &key, &d).unwrap();

    let wrong = sha256_artifact_digest(b"other");
    assert_eq!(
        kind(verify_message_signature(msg, &key, &wrong)),
        ErrorKind::ArtifactMismatch
    );
    // The right artifact, but under an algorithm the bundle's messageDigest does not use.
    let sha512 = Artifact::from_digest(HashAlg::Sha512, &HashAlg::Sha512.digest(&a_txt())).unwrap();
    let e = verify_message_signature(msg, &key, &sha512).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ArtifactMismatch);
    assert!(e.message().contains("SHA2_256"), "{e}");
}

// ---------------------------------------------------------------- messageSignature, own keys

#[test]
fn p384_message_natural_and_legacy_sha256() {
    let key = key_b64(P384_SPKI);
    assert_eq!(key.key_type(), KeyType::EcdsaP384);
    let bytes = Artifact::from_bytes(&a_txt());
    // Natural SHA-384 signature; messageDigest may still be SHA-256 (as Sigstore clients emit).
    verify_message_signature(&own_message(HashAlg::Sha256, P384_SIG_SHA384), &key, &bytes).unwrap();
    // Legacy clients signed SHA-256 with a P-384 key: accepted by the fallback.
    verify_message_signature(&own_message(HashAlg::Sha256, P384_SIG_SHA256), &key, &bytes).unwrap();
    // A tampered signature fails both attempts.
    let mut bad = own_message(HashAlg::Sha256, P384_SIG_SHA384);
    if let Some(b) = bad.signature.get_mut(10) {
        *b ^= 1;
    }
    let e = verify_message_signature(&bad, &key, &bytes).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert!(e.message().contains("legacy"), "{e}");
    // The right signature over another artifact: digest binding fails first.
    let other = Artifact::from_bytes(b"other");
    assert_eq!(
        kind(verify_message_signature(
            &own_message(HashAlg::Sha256, P384_SIG_SHA384),
            &key,
            &other
        )),
        ErrorKind::ArtifactMismatch
    );
}

#[test]
fn p384_message_digest_mode() {
    let key = key_b64(P384_SPKI);
    let d256 = sha256_artifact_digest(&a_txt());
    // A SHA-384 signature cannot be checked from a SHA-256 digest: caller must supply SHA-384.
    let e = verify_message_signature(&own_message(HashAlg::Sha256, P384_SIG_SHA384), &key, &d256)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyMisuse);
    assert!(e.message().contains("SHA-384 digest"), "{e}");
    // The legacy SHA-256 form can be.
    verify_message_signature(&own_message(HashAlg::Sha256, P384_SIG_SHA256), &key, &d256).unwrap();
    // With a SHA-384 messageDigest and a SHA-384 supplied digest, the natural signature verifies.
    let d384 = Artifact::from_digest(HashAlg::Sha384, &HashAlg::Sha384.digest(&a_txt())).unwrap();
    verify_message_signature(&own_message(HashAlg::Sha384, P384_SIG_SHA384), &key, &d384).unwrap();
    // …but the legacy signature cannot be tried without a SHA-256 digest.
    assert_eq!(
        kind(verify_message_signature(
            &own_message(HashAlg::Sha384, P384_SIG_SHA256),
            &key,
            &d384
        )),
        ErrorKind::Signature
    );
}

#[test]
fn rsa_message_signature() {
    let key = key_b64(RSA_SPKI);
    assert_eq!(key.key_type(), KeyType::Rsa(2048));
    let bytes = Artifact::from_bytes(&a_txt());
    verify_message_signature(&own_message(HashAlg::Sha256, RSA_SIG_SHA256), &key, &bytes).unwrap();
    let mut bad = own_message(HashAlg::Sha256, RSA_SIG_SHA256);
    if let Some(b) = bad.signature.last_mut() {
        *b ^= 1;
    }
    assert_eq!(
        kind(verify_message_signature(&bad, &key, &bytes)),
        ErrorKind::Signature
    );
}

/// A messageSignature claiming `alg`'s digest of `artifact`, with `signature`.
fn message_over(artifact: &[u8], alg: HashAlg, signature: Vec<u8>) -> MessageSignature {
    MessageSignature {
        digest_algorithm: alg,
        digest: alg.digest(artifact),
        signature,
    }
}

#[test]
fn ed25519_message_signatures_are_ed25519ph() {
    let key = PublicKey::from_spki_der(&rfc8032::spki()).unwrap();
    let sha512 = message_over(b"abc", HashAlg::Sha512, rfc8032::sig());
    let abc = Artifact::from_bytes(b"abc");
    assert_eq!(verify_message_signature(&sha512, &key, &abc), Ok(()));
    // Digest mode with the SHA-512 digest the signature is over.
    let abc512 = Artifact::from_digest(HashAlg::Sha512, &HashAlg::Sha512.digest(b"abc")).unwrap();
    assert_eq!(verify_message_signature(&sha512, &key, &abc512), Ok(()));
    // A bundle may claim another digest of the same bytes; the signature is still
    // checked over their SHA-512 digest.
    let sha256 = message_over(b"abc", HashAlg::Sha256, rfc8032::sig());
    assert_eq!(verify_message_signature(&sha256, &key, &abc), Ok(()));
    // Only a SHA-256 digest supplied: the Ed25519ph signature cannot be checked.
    let e = verify_message_signature(&sha256, &key, &sha256_artifact_digest(b"abc")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyMisuse);
    assert!(e.message().contains("SHA-512"), "{e}");
    // Another artifact, consistently claimed: the signature does not cover it.
    let abd = message_over(b"abd", HashAlg::Sha512, rfc8032::sig());
    assert_eq!(
        kind(verify_message_signature(
            &abd,
            &key,
            &Artifact::from_bytes(b"abd")
        )),
        ErrorKind::Signature
    );
    // A pure Ed25519 signature by the same key over the same bytes (made here
    // with the RFC's secret key, and checked to be valid as pure Ed25519) is
    // not accepted as a message signature.
    let pure = {
        use ed25519_dalek::Signer;
        ed25519_dalek::SigningKey::from_bytes(&rfc8032::secret())
            .sign(b"abc")
            .to_bytes()
    };
    assert_eq!(
        key.verify(crate::crypto::Scheme::Ed25519, b"abc", &pure),
        Ok(())
    );
    let pure_msg = message_over(b"abc", HashAlg::Sha512, pure.to_vec());
    assert_eq!(
        kind(verify_message_signature(&pure_msg, &key, &abc)),
        ErrorKind::Signature
    );
}

// ---------------------------------------------------------------- DSSE, corpus

#[test]
fn dsse_happy_paths() {
    for case in ["happy-path-intoto-in-dsse-v3", "rekor2-dsse-happy-path"] {
        let st = check_dsse(case, Some(&artifact(case)))
            .unwrap_or_else(|e| panic!("{case}: {e}"))
            .expect("in-toto statement");
        assert_eq!(st.statement_type, "https://in-toto.io/Statement/v1");
        assert_eq!(st.predicate_type, "https://slsa.dev/provenance/v1");
        assert_eq!(st.subjects.len(), 1);
        let s = &st.subjects[0];
        assert_eq!(s.name, "a.txt");
        assert_eq!(
            s.digests,
            vec![(
                "sha256".to_string(),
                hex_encode(&HashAlg::Sha256.digest(&a_txt()))
            )]
        );
        // Without an artifact the signature is still checked and the statement returned.
        assert_eq!(check_dsse(case, None).unwrap(), Some(st));
    }
}

#[test]
fn dsse_corpus_invalid_signatures() {
    for case in ["dsse-invalid-sig_fail", "rekor2-dsse-invalid-sig_fail"] {
        assert_eq!(
            kind(check_dsse(case, Some(&artifact(case)))),
            ErrorKind::Signature,
            "{case}"
        );
        // Not even the signature-only path accepts it.
        assert_eq!(kind(check_dsse(case, None)), ErrorKind::Signature, "{case}");
    }
}

#[test]
fn dsse_with_another_key_fails() {
    let b = bundle("happy-path-intoto-in-dsse-v3");
    let other = signer_key("managed-key-happy-path", &bundle("managed-key-happy-path"));
    assert_eq!(
        kind(verify_dsse(envelope(&b), &other, None)),
        ErrorKind::Signature
    );
}

#[test]
fn dsse_subject_mismatch() {
    let case = "happy-path-intoto-in-dsse-v3";
    let e = check_dsse(case, Some(&Artifact::from_bytes(b"other"))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ArtifactMismatch);
    assert!(e.message().contains("subject"), "{e}");
}

#[test]
fn dsse_digest_mode() {
    let case = "happy-path-intoto-in-dsse-v3";
    check_dsse(case, Some(&sha256_artifact_digest(&a_txt()))).unwrap();
    assert_eq!(
        kind(check_dsse(case, Some(&sha256_artifact_digest(b"other")))),
        ErrorKind::ArtifactMismatch
    );
    // The subject only has sha256; a sha512 digest of the right artifact cannot match.
    let d512 = Artifact::from_digest(HashAlg::Sha512, &HashAlg::Sha512.digest(&a_txt())).unwrap();
    assert_eq!(
        kind(check_dsse(case, Some(&d512))),
        ErrorKind::ArtifactMismatch
    );
}

// ---------------------------------------------------------------- DSSE, own keys

#[test]
fn ed25519_dsse_with_sha512_subject() {
    let key = key_b64(ED25519_SPKI);
    let env = own_envelope(IN_TOTO, OWN_PAYLOAD, ED25519_DSSE);
    let st = verify_dsse(&env, &key, Some(&Artifact::from_bytes(&a_txt())))
        .unwrap()
        .unwrap();
    assert_eq!(st.subjects[0].digests[0].0, "sha512");
    assert_eq!(st.predicate_type, "https://example.com/p");
    // A SHA-256 digest alone cannot match a sha512-only subject.
    assert_eq!(
        kind(verify_dsse(
            &env,
            &key,
            Some(&sha256_artifact_digest(&a_txt()))
        )),
        ErrorKind::ArtifactMismatch
    );
    // One byte of payload changed: the PAE no longer matches.
    let tampered = own_envelope(IN_TOTO, &OWN_PAYLOAD.replace("/p\"", "/q\""), ED25519_DSSE);
    assert_eq!(
        kind(verify_dsse(&tampered, &key, None)),
        ErrorKind::Signature
    );
    // The payload type is part of the PAE too.
    let retyped = own_envelope("application/json", OWN_PAYLOAD, ED25519_DSSE);
    assert_eq!(
        kind(verify_dsse(&retyped, &key, None)),
        ErrorKind::Signature
    );
}

#[test]
fn p384_dsse_natural_and_legacy_sha256() {
    let key = key_b64(P384_SPKI);
    let art = Artifact::from_bytes(&a_txt());
    for sig in [P384_DSSE_SHA384, P384_DSSE_SHA256] {
        verify_dsse(&own_envelope(IN_TOTO, OWN_PAYLOAD, sig), &key, Some(&art)).unwrap();
    }
    let mut env = own_envelope(IN_TOTO, OWN_PAYLOAD, P384_DSSE_SHA384);
    if let Some(b) = env.signature.get_mut(12) {
        *b ^= 1;
    }
    let e = verify_dsse(&env, &key, Some(&art)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert!(e.message().contains("legacy SHA-256"), "{e}");
}

// ---------------------------------------------------------------- binding rules (after the signature)

fn bind_payload(
    payload_type: &str,
    payload: &str,
    art: Option<&Artifact>,
) -> crate::Result<Option<InTotoStatement>> {
    bind(&own_envelope(payload_type, payload, ""), art)
}

fn statement_with(subjects: &str) -> String {
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","subject":{subjects},"predicateType":"x","predicate":{{"k":[1,2]}}}}"#
    )
}

fn a_sha256_hex() -> String {
    hex_encode(&HashAlg::Sha256.digest(&a_txt()))
}

#[test]
fn binding_accepts_matching_subject_among_others() {
    let art = Artifact::from_bytes(&a_txt());
    let hex = a_sha256_hex();
    let subjects = format!(
        r#"[{{"name":"x","digest":{{"md5":"00","sha256":"{}"}}}},{{"digest":{{"sha256":"{}"}},"uri":"u"}}]"#,
        "00".repeat(32),
        hex.to_uppercase()
    );
    let st = bind_payload(IN_TOTO, &statement_with(&subjects), Some(&art))
        .unwrap()
        .unwrap();
    assert_eq!(st.subjects.len(), 2);
    assert_eq!(st.subjects[1].name, "");
    // v0.1 statements are accepted too.
    let v01 = statement_with(&format!(
        r#"[{{"name":"a","digest":{{"sha256":"{hex}"}}}}]"#
    ))
    .replace("Statement/v1", "Statement/v0.1");
    bind_payload(IN_TOTO, &v01, Some(&art)).unwrap();
}

#[test]
fn binding_rejects_empty_or_unmatched_subjects() {
    let art = Artifact::from_bytes(&a_txt());
    let e = bind_payload(IN_TOTO, &statement_with("[]"), Some(&art)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ArtifactMismatch);
    assert!(e.message().contains("empty subject"), "{e}");
    // Without an artifact there is nothing to bind; the statement is returned as is.
    assert!(bind_payload(IN_TOTO, &statement_with("[]"), None).is_ok());

    let hex = a_sha256_hex();
    for subjects in [
        // Unsupported algorithm names never match, even with the right bytes.
        format!(r#"[{{"name":"a","digest":{{"SHA256":"{hex}","sha1":"{hex}"}}}}]"#),
        // Not hex, wrong length, empty digest set.
        format!(
            r#"[{{"name":"a","digest":{{"sha256":"{}"}}}}]"#,
            "zz".repeat(32)
        ),
        format!(r#"[{{"name":"a","digest":{{"sha256":"{}"}}}}]"#, &hex[..62]),
        r#"[{"name":"a","digest":{}}]"#.to_string(),
    ] {
        assert_eq!(
            kind(bind_payload(
                IN_TOTO,
                &statement_with(&subjects),
                Some(&art)
            )),
            ErrorKind::ArtifactMismatch,
            "{subjects}"
        );
    }
}

#[test]
fn binding_requires_in_toto_payload_type() {
    let art = Artifact::from_bytes(&a_txt());
    let subjects = format!(
        r#"[{{"name":"a","digest":{{"sha256":"{}"}}}}]"#,
        a_sha256_hex()
    );
    let payload = statement_with(&subjects);
    let e = bind_payload("application/json", &payload, Some(&art)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ArtifactMismatch);
    assert!(e.message().contains("payloadType"), "{e}");
    // Signature-only verification of a non-in-toto payload returns no statement.
    assert_eq!(
        bind_payload("application/json", "anything", None).unwrap(),
        None
    );
}

#[test]
fn binding_rejects_malformed_statements() {
    let art = Artifact::from_bytes(&a_txt());
    let ok_subjects = format!(
        r#"[{{"name":"a","digest":{{"sha256":"{}"}}}}]"#,
        a_sha256_hex()
    );
    for payload in [
        "not json".to_string(),
        "[]".to_string(),
        statement_with(&ok_subjects).replace("Statement/v1", "Statement/v2"),
        statement_with(&ok_subjects).replace(r#""predicateType":"x","#, ""),
        r#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"x"}"#.to_string(),
        statement_with(r#"[{"name":"a"}]"#),
        statement_with(r#"[{"name":"a","digest":{"sha256":1}}]"#),
        statement_with(r#"[{"name":"a","digest":{"sha256":"00","sha256":"11"}}]"#),
        statement_with(&ok_subjects).replace(
            r#""predicateType":"x""#,
            r#""predicateType":"x","predicateType":"y""#,
        ),
        statement_with("{}"),
    ] {
        for a in [Some(&art), None] {
            assert_eq!(
                kind(bind_payload(IN_TOTO, &payload, a)),
                ErrorKind::Parse,
                "{payload}"
            );
        }
    }
}

#[test]
fn binding_enforces_subject_and_digest_limits() {
    let art = Artifact::from_bytes(&a_txt());
    let hex = a_sha256_hex();
    let one = r#"{"name":"n","digest":{"sha256":"00"}}"#;
    let matching = format!(r#"{{"name":"a","digest":{{"sha256":"{hex}"}}}}"#);
    // Exactly the limit, with the match last: accepted.
    let mut at_limit = vec![one.to_string(); MAX_SUBJECTS - 1];
    at_limit.push(matching.clone());
    let st = bind_payload(
        IN_TOTO,
        &statement_with(&format!("[{}]", at_limit.join(","))),
        Some(&art),
    )
    .unwrap()
    .unwrap();
    assert_eq!(st.subjects.len(), MAX_SUBJECTS);
    // One more: rejected, even without an artifact and even though a subject matches.
    let mut over = at_limit;
    over.insert(0, one.to_string());
    for a in [Some(&art), None] {
        let e = bind_payload(
            IN_TOTO,
            &statement_with(&format!("[{}]", over.join(","))),
            a,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
        assert!(e.message().contains("subjects"), "{e}");
    }

    let digests = |n: usize| {
        let mut d: Vec<String> = (1..n).map(|i| format!(r#""alg{i}":"00""#)).collect();
        d.push(format!(r#""sha256":"{hex}""#));
        statement_with(&format!(r#"[{{"name":"a","digest":{{{}}}}}]"#, d.join(",")))
    };
    bind_payload(IN_TOTO, &digests(MAX_SUBJECT_DIGESTS), Some(&art)).unwrap();
    assert_eq!(
        kind(bind_payload(
            IN_TOTO,
            &digests(MAX_SUBJECT_DIGESTS + 1),
            Some(&art)
        )),
        ErrorKind::Limit
    );
}

#[test]
fn statement_depth_and_shape_limits() {
    use super::dsse::MAX_STATEMENT_DEPTH;
    let art = Artifact::from_bytes(&a_txt());
    let hex = a_sha256_hex();
    let subjects = format!(r#"[{{"name":"a","digest":{{"sha256":"{hex}"}}}}]"#);
    let with_predicate = |depth: usize| {
        statement_with(&subjects).replace(
            r#""predicate":{"k":[1,2]}"#,
            &format!(r#""predicate":{}{}"#, "[".repeat(depth), "]".repeat(depth)),
        )
    };
    // The statement object itself is one level: a predicate of the remaining depth is fine.
    bind_payload(
        IN_TOTO,
        &with_predicate(MAX_STATEMENT_DEPTH - 1),
        Some(&art),
    )
    .unwrap();
    assert_eq!(
        kind(bind_payload(
            IN_TOTO,
            &with_predicate(MAX_STATEMENT_DEPTH),
            Some(&art)
        )),
        ErrorKind::Limit
    );
    // Positional arrays are not objects: a subject or a statement written as an array is malformed.
    let positional = statement_with(&format!(r#"[["a",{{"sha256":"{hex}"}}]]"#));
    assert_eq!(
        kind(bind_payload(IN_TOTO, &positional, Some(&art))),
        ErrorKind::Parse
    );
    let array_statement = format!(r#"["https://in-toto.io/Statement/v1",{subjects},"x"]"#);
    assert_eq!(
        kind(bind_payload(IN_TOTO, &array_statement, Some(&art))),
        ErrorKind::Parse
    );
}
