//! Tests of entry verification on the conformance vectors, plus one targeted
//! negative test per rule (entries and roots mutated in memory).

use super::*;
use crate::bundle::{Content, SigningMaterial};
use crate::error::ErrorKind;
use crate::trust_root::TrustedRoot;
use std::path::PathBuf;

fn case_dir(case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-vectors/conformance")
        .join(case)
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bundle(case: &str) -> Bundle {
    Bundle::from_json(&read(case_dir(case).join("bundle.sigstore.json")))
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// protojson reads `null` as "field absent"; some case roots write `"operator": null`.
/// Dropped here so these tests exercise the log code only (reported to the lead).
fn drop_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The case's own trusted root, else the production root (as the manifest says).
fn root(case: &str) -> TrustedRoot {
    let own = case_dir(case).join("trusted_root.json");
    if own.exists() {
        let mut json: serde_json::Value = serde_json::from_slice(&read(own)).unwrap();
        drop_nulls(&mut json);
        TrustedRoot::from_json(json.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{case}: {e}"))
    } else {
        TrustedRoot::production().unwrap()
    }
}

fn leaf_key(leaf: &[u8]) -> PublicKey {
    use der::{Decode, Encode};
    let cert = x509_cert::Certificate::from_der(leaf).unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    PublicKey::from_spki_der(&spki).unwrap()
}

/// The signer key: `key.pub` for managed-key cases, else the leaf's key.
fn signer_key(case: &str, b: &Bundle) -> PublicKey {
    match &b.material {
        SigningMaterial::Certificate { leaf, .. } => leaf_key(leaf),
        SigningMaterial::PublicKey { .. } => {
            PublicKey::from_pem(&read(case_dir(case).join("key.pub"))).unwrap()
        }
    }
}

fn verify_with(
    b: &Bundle,
    logs: &[TransparencyLog],
    key: &PublicKey,
) -> Result<Vec<VerifiedEntry>> {
    let signer = match &b.material {
        SigningMaterial::Certificate { leaf, .. } => Signer::Certificate {
            leaf_der: leaf,
            key,
        },
        SigningMaterial::PublicKey { .. } => Signer::PublicKey { key },
    };
    verify_entries(b, logs, &signer)
}

fn run(case: &str) -> Result<Vec<VerifiedEntry>> {
    let b = bundle(case);
    let key = signer_key(case, &b);
    verify_with(&b, &root(case).tlogs, &key)
}

fn ok_one(case: &str) -> VerifiedEntry {
    let mut v = run(case).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_eq!(v.len(), 1, "{case}");
    v.remove(0)
}

fn kind(case: &str) -> ErrorKind {
    match run(case) {
        Ok(v) => panic!("{case}: verified {} entries, expected failure", v.len()),
        Err(e) => e.kind(),
    }
}

#[test]
fn rekor_v1_happy_paths() {
    for case in [
        "happy-path-v0.1",
        "happy-path-v0.2",
        "happy-path-v0.3",
        "happy-path-v0.3-new-mediaType",
        "happy-path-intoto-in-dsse-v3",
        "intoto-with-custom-trust-root",
        "managed-key-happy-path",
        "managed-key-and-trusted-root",
        "trust-root-tlog-validity-end-inclusive",
    ] {
        let v = ok_one(case);
        assert!(!v.rekor_v2, "{case}");
        assert!(v.set_verified, "{case}");
        assert!(v.inclusion_proof_verified, "{case}");
        assert!(v.integrated_time.is_some(), "{case}");
    }
    let v = ok_one("happy-path-v0.1");
    assert_eq!(v.integrated_time, Some(Timestamp::from_unix(1689177396)));
    assert_eq!(v.log_index, 27246492);
    assert_eq!(v.base_url, "https://rekor.sigstore.dev");
    assert_eq!(
        (v.kind.as_str(), v.version.as_str()),
        ("hashedrekord", "0.0.1")
    );
    let v = ok_one("intoto-with-custom-trust-root");
    assert_eq!((v.kind.as_str(), v.version.as_str()), ("intoto", "0.0.2"));
    assert_eq!(v.integrated_time, Some(Timestamp::from_unix(1675209600)));
}

#[test]
fn rekor_v2_happy_paths() {
    for case in [
        "rekor2-happy-path",
        "rekor2-dsse-happy-path",
        "rekor2-checkpoint-cosigned",
        "rekor2-checkpoint-multiple-cosigs",
        "rekor2-checkpoint-origin-not-first",
        "rekor2-checkpoint-two-sigs-cosigned",
        "rekor2-checkpoint-two-sigs-from-origin",
        "rekor2-timestamp-with-embedded-cert",
        "rekor2-timestamp-without-embedded-cert",
        "bundle-with-sct-with-extensions",
        "trust-root-tsa-validity-end-inclusive",
    ] {
        let v = ok_one(case);
        assert!(v.rekor_v2, "{case}");
        assert!(v.inclusion_proof_verified, "{case}");
        assert!(!v.set_verified, "{case}");
        assert_eq!(v.integrated_time, None, "{case}");
        assert_eq!(
            (v.kind.as_str(), v.version.as_str()),
            ("hashedrekord", "0.0.2")
        );
    }
}

#[test]
fn conformance_failures_have_the_right_kind() {
    for (case, expected) in [
        ("checkpoint-bad-keyhint_fail", ErrorKind::Checkpoint),
        ("checkpoint-wrong-roothash_fail", ErrorKind::Checkpoint),
        (
            "inclusion-proof-corrupted-hash_fail",
            ErrorKind::InclusionProof,
        ),
        ("invalid-checkpoint-signature_fail", ErrorKind::Checkpoint),
        ("set-invalid-signature_fail", ErrorKind::Set),
        ("dsse-mismatch-envelope_fail", ErrorKind::TlogBodyMismatch),
        ("dsse-mismatch-sig_fail", ErrorKind::TlogBodyMismatch),
        ("dsse-invalid-sig_fail", ErrorKind::TlogBodyMismatch),
        (
            "intoto-log-entry-mismatch_fail",
            ErrorKind::TlogBodyMismatch,
        ),
        (
            "wrong-hashedrekord-artifact_fail",
            ErrorKind::TlogBodyMismatch,
        ),
        (
            "wrong-hashedrekord-cert-and-sig_fail",
            ErrorKind::TlogBodyMismatch,
        ),
        ("wrong-hashedrekord-entry_fail", ErrorKind::TlogBodyMismatch),
        ("incorrect-public-key_fail", ErrorKind::TlogBodyMismatch),
        ("signature-mismatch_fail", ErrorKind::TlogBodyMismatch),
        (
            "rekor2-checkpoint-missing-log-signature_fail",
            ErrorKind::Checkpoint,
        ),
        (
            "rekor2-checkpoint-missing-origin_fail",
            ErrorKind::Checkpoint,
        ),
        (
            "rekor2-checkpoint-missing-root-hash_fail",
            ErrorKind::Checkpoint,
        ),
        ("rekor2-checkpoint-missing-size_fail", ErrorKind::Checkpoint),
        (
            "rekor2-checkpoint-no-matching-signature_fail",
            ErrorKind::Checkpoint,
        ),
        (
            "rekor2-dsse-mismatch-envelope_fail",
            ErrorKind::TlogBodyMismatch,
        ),
        ("rekor2-dsse-mismatch-sig_fail", ErrorKind::TlogBodyMismatch),
    ] {
        assert_eq!(kind(case), expected, "{case}: {:?}", run(case).unwrap_err());
    }
    // rekor2-no-inclusion-proof_fail is already refused by the bundle parser (v0.3
    // needs proofs); `v2_proof_rules` covers the same rule here.
    let e = Bundle::from_json(&read(
        case_dir("rekor2-no-inclusion-proof_fail").join("bundle.sigstore.json"),
    ))
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tlog);
    // The signed checkpoint is genuine; it is for another tree than the proof.
    let e = run("checkpoint-wrong-roothash_fail").unwrap_err();
    assert!(
        e.message().contains("does not match the inclusion proof"),
        "{e}"
    );
}

/// Assert `r` failed with `kind` and a message naming the check (`needle`).
#[track_caller]
fn fails<T: std::fmt::Debug>(r: Result<T>, kind: ErrorKind, needle: &str) {
    let e = r.unwrap_err();
    assert_eq!(e.kind(), kind, "{e}");
    assert!(e.message().contains(needle), "{e:?} lacks {needle:?}");
}

/// Bundle, its signer key and its root's logs, for in-memory mutation.
fn parts(case: &str) -> (Bundle, PublicKey, Vec<TransparencyLog>) {
    let b = bundle(case);
    let key = signer_key(case, &b);
    (b, key, root(case).tlogs)
}

#[test]
fn entries_of_unknown_logs_count_for_nothing() {
    // Staging bundle against the production root.
    assert!(run("bundle-from-wrong-instance_fail").unwrap().is_empty());
    // A log whose key type is unsupported is skipped the same way.
    let (b, key, mut logs) = parts("happy-path-v0.1");
    for l in &mut logs {
        l.key = None;
    }
    assert!(verify_with(&b, &logs, &key).unwrap().is_empty());
    // Log IDs match exactly, never by prefix.
    let (mut m, key, logs) = parts("happy-path-v0.1");
    m.tlog_entries[0].log_id.truncate(4);
    assert!(verify_with(&m, &logs, &key).unwrap().is_empty());
    // An unknown log with an unsupported kind is still rejected (structural rule).
    m.tlog_entries[0].kind = "rekord".into();
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::UnsupportedVersion,
        "rekord",
    );
}

#[test]
fn unsupported_kinds_are_rejected() {
    let (b, key, logs) = parts("happy-path-v0.1");
    for (k, v) in [
        ("rekord", "0.0.1"),
        ("intoto", "0.0.1"),
        ("hashedrekord", "0.0.3"),
    ] {
        let mut m = b.clone();
        m.tlog_entries[0].kind = k.into();
        m.tlog_entries[0].version = v.into();
        fails(
            verify_with(&m, &logs, &key),
            ErrorKind::UnsupportedVersion,
            "not supported",
        );
    }
    let (mut b, key, logs) = parts("rekor2-dsse-happy-path");
    b.tlog_entries[0].kind = "dsse".into();
    fails(
        verify_with(&b, &logs, &key),
        ErrorKind::UnsupportedVersion,
        "dsse 0.0.2",
    );
}

#[test]
fn entry_needs_a_set_or_a_proof() {
    let (b, key, logs) = parts("happy-path-v0.1");
    let mut m = b.clone();
    m.tlog_entries[0].inclusion_promise = None;
    m.tlog_entries[0].inclusion_proof = None;
    fails(verify_with(&m, &logs, &key), ErrorKind::Tlog, "neither");

    // Proof alone: verifies, but no SET means no verified time.
    let mut m = b.clone();
    m.tlog_entries[0].inclusion_promise = None;
    let v = verify_with(&m, &logs, &key).unwrap();
    assert!(v[0].inclusion_proof_verified && !v[0].set_verified);
    assert_eq!(v[0].integrated_time, None);

    // SET alone (v0.1 allows it).
    let mut m = b;
    m.tlog_entries[0].inclusion_proof = None;
    let v = verify_with(&m, &logs, &key).unwrap();
    assert!(!v[0].inclusion_proof_verified && v[0].set_verified);
}

#[test]
fn set_rules() {
    let (b, key, logs) = parts("happy-path-v0.1");
    // integratedTime and the global logIndex are covered by the SET.
    let mut m = b.clone();
    m.tlog_entries[0].integrated_time += 1;
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::Set,
        "signed entry timestamp",
    );
    let mut m = b.clone();
    m.tlog_entries[0].log_index += 1;
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::Set,
        "signed entry timestamp",
    );
    // The log key must be valid at integratedTime: one second outside fails...
    let t = b.tlog_entries[0].integrated_time as i64;
    let mut short = root("happy-path-v0.1").tlogs;
    for l in &mut short {
        l.valid_for.end = Some(Timestamp::from_unix(t - 1));
    }
    fails(
        verify_with(&b, &short, &key),
        ErrorKind::Set,
        "outside the validity",
    );
    let mut late = root("happy-path-v0.1").tlogs;
    for l in &mut late {
        l.valid_for.start = Timestamp::from_unix(t + 1);
    }
    fails(
        verify_with(&b, &late, &key),
        ErrorKind::Set,
        "outside the validity",
    );
    // ...and an end equal to it passes (inclusive).
    let mut exact = logs;
    for l in &mut exact {
        l.valid_for.end = Some(Timestamp::from_unix(t));
    }
    verify_with(&b, &exact, &key).unwrap();
}

#[test]
fn v1_body_must_describe_the_bundle() {
    let (b, key, logs) = parts("happy-path-v0.1");
    let orig = String::from_utf8(
        b.tlog_entries[0]
            .canonicalized_body
            .as_ref()
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    let with_body = |s: String| {
        let mut m = b.clone();
        m.tlog_entries[0].canonicalized_body = Some(LogBody::new(s.into_bytes()));
        verify_with(&m, &logs, &key)
    };
    let mismatch = ErrorKind::TlogBodyMismatch;
    // kindVersion must equal the body's kind/apiVersion.
    let r = with_body(orig.replacen(r#""apiVersion":"0.0.1""#, r#""apiVersion":"0.0.2""#, 1));
    fails(r, mismatch, "but kindVersion says");
    // Digest algorithm and value.
    let r = with_body(orig.replacen(r#""algorithm":"sha256""#, r#""algorithm":"sha512""#, 1));
    fails(r, mismatch, "differs from messageDigest's");
    fails(
        with_body(orig.replacen("a0cfc712", "a0cfc713", 1)),
        mismatch,
        "hash value differs",
    );
    fails(
        with_body("not json".into()),
        mismatch,
        "is not a hashedrekord 0.0.1 body",
    );

    // A messageSignature bundle cannot be described by a DSSE kind.
    let mut m = b.clone();
    m.tlog_entries[0].kind = "dsse".into();
    fails(
        verify_with(&m, &logs, &key),
        mismatch,
        "cannot describe a messageSignature",
    );
    // A managed-key body (PUBLIC KEY) does not name a certificate signer.
    let (kb, _, klogs) = parts("managed-key-happy-path");
    let leaf = b.leaf_certificate().unwrap();
    let signer = Signer::Certificate {
        leaf_der: leaf,
        key: &key,
    };
    fails(
        verify_entries(&kb, &klogs, &signer),
        mismatch,
        "is not a CERTIFICATE PEM",
    );
    // Nor does another managed key.
    let other = leaf_key(leaf);
    let r = verify_entries(&kb, &klogs, &Signer::PublicKey { key: &other });
    fails(r, mismatch, "is not the bundle's public key");
}

#[test]
fn dsse_and_intoto_bodies() {
    let mismatch = ErrorKind::TlogBodyMismatch;
    // dsse 0.0.1: payload hash and signature are bound.
    let (b, key, logs) = parts("happy-path-intoto-in-dsse-v3");
    let mut m = b.clone();
    if let Content::Dsse(d) = &mut m.content {
        d.payload.push(b' ');
    }
    fails(
        verify_with(&m, &logs, &key),
        mismatch,
        "payloadHash differs",
    );
    // intoto 0.0.2: the payload type and double-base64 signature are bound.
    let (b, key, logs) = parts("intoto-with-custom-trust-root");
    let mut m = b.clone();
    if let Content::Dsse(d) = &mut m.content {
        d.payload_type = "text/plain".into();
    }
    fails(verify_with(&m, &logs, &key), mismatch, "payloadType");
    let mut m = b;
    if let Content::Dsse(d) = &mut m.content {
        d.signature[10] ^= 1;
    }
    fails(
        verify_with(&m, &logs, &key),
        mismatch,
        "envelope signature differs",
    );
}

#[test]
fn v2_body_is_rebuilt_not_trusted() {
    for case in ["rekor2-happy-path", "rekor2-dsse-happy-path"] {
        let (b, key, logs) = parts(case);
        // Absent body: rebuilt from the bundle, and the proof still verifies.
        let mut m = b.clone();
        m.tlog_entries[0].canonicalized_body = None;
        verify_with(&m, &logs, &key).unwrap();
        // A supplied body must be byte-identical to the rebuild.
        let mut m = b.clone();
        if let Some(body) = &mut m.tlog_entries[0].canonicalized_body {
            let mut longer = body.to_vec();
            longer.push(b' ');
            *body = LogBody::new(longer);
        }
        let r = verify_with(&m, &logs, &key);
        fails(
            r,
            ErrorKind::TlogBodyMismatch,
            "differs from the hashedrekord 0.0.2 body",
        );
        // Bundle content that differs from what was logged breaks the leaf.
        let mut m = b.clone();
        m.tlog_entries[0].canonicalized_body = None;
        match &mut m.content {
            Content::MessageSignature(s) => s.digest[0] ^= 1,
            Content::Dsse(d) => d.payload.push(b' '),
        }
        fails(
            verify_with(&m, &logs, &key),
            ErrorKind::InclusionProof,
            "computed root",
        );
    }
}

/// The mismatch message names the first differing field of a real v2 body;
/// the verdict itself stays the byte comparison.
#[test]
fn v2_mismatch_names_the_differing_field() {
    let (b, key, _) = parts("rekor2-happy-path");
    let signer = Signer::Certificate {
        leaf_der: b.leaf_certificate().unwrap(),
        key: &key,
    };
    let rebuilt = body::reconstruct_v2(&b.content, &signer).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&rebuilt).unwrap();
    let edited = |path: &str| {
        let mut v = value.clone();
        *v.pointer_mut(path).unwrap() = serde_json::json!("AAAA");
        serde_json::to_vec(&v).unwrap()
    };
    let spec = "/spec/hashedRekordV002";
    for (path, why) in [
        ("/kind", "entry kind differs"),
        ("/apiVersion", "entry version differs"),
        ("/signature/verifier/keyDetails", "key type differs"),
        (
            "/signature/verifier/x509Certificate/rawBytes",
            "certificate is not the bundle's",
        ),
        ("/data/algorithm", "digest algorithm differs"),
        ("/data/digest", "digest is not the bundle's"),
        ("/signature/content", "signature is not the bundle's"),
    ] {
        let path = if path.starts_with("/signature") || path.starts_with("/data") {
            format!("{spec}{path}")
        } else {
            path.to_string()
        };
        let why_now = body::describe_v2_mismatch(&edited(&path), &rebuilt);
        assert!(why_now.contains(why), "{path}: {why_now}");
    }
    let mut spaced = rebuilt.clone();
    spaced.push(b' ');
    assert!(body::describe_v2_mismatch(&spaced, &rebuilt).contains("canonical"));
    let mut extra = value.clone();
    extra["spec"]["note"] = serde_json::json!("x");
    let extra = serde_json::to_vec(&extra).unwrap();
    assert!(body::describe_v2_mismatch(&extra, &rebuilt).contains("fields the rebuilt one lacks"));
    assert!(body::describe_v2_mismatch(b"{", &rebuilt).contains("not JSON"));
}

#[test]
fn v2_reconstruction_refuses_unloggable_keys() {
    let (b, _, _) = parts("rekor2-dsse-happy-path");
    // An Ed25519 key (the rekor-local log's) with a DSSE envelope: no prehash.
    let logs = root("bundle-with-sct-with-extensions").tlogs;
    let ed = &logs[0].key.as_ref().unwrap().key;
    assert_eq!(ed.key_type(), crate::crypto::KeyType::Ed25519);
    let signer = Signer::PublicKey { key: ed };
    let r = body::reconstruct_v2(&b.content, &signer);
    fails(r, ErrorKind::TlogBodyMismatch, "pure Ed25519");
    // Ed25519 message signatures are logged as Ed25519ph over a SHA-512 digest.
    let (mb, _, _) = parts("rekor2-happy-path");
    let r = body::reconstruct_v2(&mb.content, &signer);
    fails(r, ErrorKind::TlogBodyMismatch, "is logged with SHA2_512");
    let mut sha512 = mb.clone();
    if let Content::MessageSignature(m) = &mut sha512.content {
        m.digest_algorithm = crate::crypto::HashAlg::Sha512;
        m.digest = vec![7; 64];
    }
    let rebuilt = body::reconstruct_v2(&sha512.content, &signer).unwrap();
    let text = String::from_utf8(rebuilt).unwrap();
    assert!(
        text.contains(r#""data":{"algorithm":"SHA2_512","#),
        "{text}"
    );
    let verifier = r#""verifier":{"keyDetails":"PKIX_ED25519_PH","publicKey":{"rawBytes":""#;
    assert!(text.contains(verifier), "{text}");
}

#[test]
fn v2_proof_rules() {
    let (b, key, logs) = parts("rekor2-happy-path");
    // v2 entries need a proof; a SET does not replace it.
    let mut m = b.clone();
    m.tlog_entries[0].inclusion_proof = None;
    m.tlog_entries[0].inclusion_promise = Some(vec![0x30, 0]);
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::Tlog,
        "no inclusion proof",
    );
    // An inclusionPromise on a v2 entry is never a time source.
    let mut m = b.clone();
    m.tlog_entries[0].inclusion_promise = Some(vec![0x30, 0]);
    m.tlog_entries[0].integrated_time = 1_750_000_000;
    let v = verify_with(&m, &logs, &key).unwrap();
    assert_eq!(v[0].integrated_time, None);
    assert!(!v[0].set_verified);
    // Top-level logIndex must equal the proof's.
    let mut m = b.clone();
    m.tlog_entries[0].log_index += 1;
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::InclusionProof,
        "differs from logIndex",
    );
    // Corrupted proof hash.
    let mut m = b.clone();
    if let Some(p) = &mut m.tlog_entries[0].inclusion_proof {
        p.hashes[0][0] ^= 1;
    }
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::InclusionProof,
        "computed root",
    );
}

#[test]
fn v2_checkpoint_must_come_from_the_logs_origin() {
    let (b, key, mut logs) = parts("rekor2-happy-path");
    for l in &mut logs {
        l.base_url = l.base_url.replace("sigstage", "example");
    }
    fails(
        verify_with(&b, &logs, &key),
        ErrorKind::Checkpoint,
        "is not the log's origin",
    );
}

fn with_checkpoint(b: &Bundle, f: impl Fn(&str) -> String) -> Bundle {
    let mut m = b.clone();
    if let Some(p) = &mut m.tlog_entries[0].inclusion_proof {
        let cp = p.checkpoint.take().unwrap();
        p.checkpoint = Some(f(&cp));
    }
    m
}

#[test]
fn v1_checkpoint_lines_match_by_key_id_only() {
    let (b, key, logs) = parts("happy-path-v0.1");
    // The key name is not part of the match for Rekor v1 (nor signed).
    let m = with_checkpoint(&b, |cp| {
        cp.replace("\u{2014} rekor.sigstore.dev ", "\u{2014} other.example ")
    });
    verify_with(&m, &logs, &key).unwrap();
    // Identical duplicate lines and foreign lines are tolerated.
    let m = with_checkpoint(&b, |cp| {
        let (_, sig) = cp.split_once("\n\n").unwrap();
        format!("{cp}{sig}\u{2014} witness.example AAAAAAA=\n")
    });
    verify_with(&m, &logs, &key).unwrap();
    // A second, different line with the log's key ID must verify too.
    let m = with_checkpoint(&b, |cp| {
        format!("{cp}\u{2014} rekor.sigstore.dev wNI9agAA\n")
    });
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::Checkpoint,
        "does not verify",
    );
    // The note text is signed: an edited extension line fails.
    let m = with_checkpoint(&b, |cp| cp.replace("Timestamp: 1", "Timestamp: 2"));
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::Checkpoint,
        "does not verify",
    );
}

#[test]
fn v2_checkpoint_lines_need_name_and_key_id() {
    let (b, key, logs) = parts("rekor2-happy-path");
    // Right key ID under another name: not the log's line, so none matches.
    let m = with_checkpoint(&b, |cp| {
        cp.replace(
            "\u{2014} log2025-alpha1.rekor.sigstage.dev ",
            "\u{2014} witness.example ",
        )
    });
    fails(
        verify_with(&m, &logs, &key),
        ErrorKind::Checkpoint,
        "no signature by",
    );
}

/// A body's messages are read from JSON objects only: serde's derive alone also
/// reads `"spec": [data, signature]` by position (found by tests/mutation.rs).
#[test]
fn bodies_are_read_from_objects_only() {
    let case = "happy-path-v0.3";
    let b = bundle(case);
    let key = signer_key(case, &b);
    let SigningMaterial::Certificate { leaf, .. } = &b.material else {
        panic!("{case} is keyless")
    };
    let signer = Signer::Certificate {
        leaf_der: leaf,
        key: &key,
    };
    let e = &b.tlog_entries[0];
    let body = e.canonicalized_body.as_deref().unwrap();
    body::check_v1(&e.kind, &e.version, body, &b.content, &signer).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(body).unwrap();
    let spec = &v["spec"];
    v["spec"] = serde_json::json!([spec["data"], spec["signature"]]);
    let positional = serde_json::to_vec(&v).unwrap();
    fails(
        body::check_v1(&e.kind, &e.version, &positional, &b.content, &signer),
        ErrorKind::TlogBodyMismatch,
        "is not a hashedrekord",
    );
}
