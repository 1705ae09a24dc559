use super::*;
use crate::error::ErrorKind;

fn vector(case: &str) -> Vec<u8> {
    let path = format!(
        "{}/../test-vectors/conformance/{case}/bundle.sigstore.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn kind_of(json: &[u8]) -> ErrorKind {
    Bundle::from_json(json).unwrap_err().kind()
}

#[test]
fn parses_every_version() {
    for (case, version) in [
        ("happy-path-v0.1", BundleVersion::V0_1),
        ("happy-path-v0.2", BundleVersion::V0_2),
        ("happy-path-v0.3", BundleVersion::V0_3),
        ("happy-path-v0.3-new-mediaType", BundleVersion::V0_3),
        ("rekor2-happy-path", BundleVersion::V0_3),
    ] {
        let b = Bundle::from_json(&vector(case)).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(b.version, version, "{case}");
        assert!(b.leaf_certificate().is_some());
        assert_eq!(b.tlog_entries.len(), 1);
    }
    let dsse = Bundle::from_json(&vector("happy-path-intoto-in-dsse-v3")).unwrap();
    assert!(matches!(dsse.content, Content::Dsse(_)));
    let key = Bundle::from_json(&vector("managed-key-happy-path")).unwrap();
    assert!(matches!(key.material, SigningMaterial::PublicKey { .. }));
}

#[test]
fn structural_failures_from_the_corpus() {
    assert_eq!(
        kind_of(&vector("bundle-empty-certificate-chain_fail")),
        ErrorKind::Parse
    );
    assert_eq!(
        kind_of(&vector("bundle-invalid-base64-signature_fail")),
        ErrorKind::Parse
    );
    assert_eq!(
        kind_of(&vector("bundle-malformed-json_fail")),
        ErrorKind::Parse
    );
    assert_eq!(
        kind_of(&vector("bundle-negative-log-index_fail")),
        ErrorKind::Parse
    );
    assert_eq!(
        kind_of(&vector("bundle-unknown-version_fail")),
        ErrorKind::UnsupportedVersion
    );
    assert_eq!(
        kind_of(&vector("intoto-missing-inclusion-proof_fail")),
        ErrorKind::Tlog
    );
    assert_eq!(
        kind_of(&vector("invalid-inclusion-proof_fail")),
        ErrorKind::Tlog
    );
    assert_eq!(
        kind_of(&vector("rekor2-no-inclusion-proof_fail")),
        ErrorKind::Tlog
    );
}

fn edit(case: &str, f: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&vector(case)).unwrap();
    f(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn oneof_conflicts_are_rejected() {
    let both = edit("happy-path-v0.3", |v| {
        v["dsseEnvelope"] =
            serde_json::json!({"payload":"AA==","payloadType":"x","signatures":[{"sig":"AA=="}]});
    });
    assert_eq!(kind_of(&both), ErrorKind::Parse);
    let two_materials = edit("happy-path-v0.3", |v| {
        v["verificationMaterial"]["publicKey"] = serde_json::json!({"hint":"x"});
    });
    assert_eq!(kind_of(&two_materials), ErrorKind::Parse);
    let none = edit("happy-path-v0.3", |v| {
        v.as_object_mut().unwrap().remove("messageSignature");
    });
    assert_eq!(kind_of(&none), ErrorKind::Parse);
}

#[test]
fn per_version_rules() {
    // A v0.3 bundle relabelled v0.1 still needs its SET; the v0.3 one has none.
    let relabelled = edit("rekor2-happy-path", |v| {
        v["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1".into();
    });
    assert_eq!(kind_of(&relabelled), ErrorKind::Tlog);
    let chain_in_v3 = edit("happy-path-v0.2", |v| {
        v["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.3+json".into();
    });
    assert_eq!(kind_of(&chain_in_v3), ErrorKind::Parse);
    for mt in [
        "",
        "application/vnd.dev.sigstore.bundle.v0.4+json",
        "APPLICATION/vnd.dev.sigstore.bundle.v0.3+json",
    ] {
        let b = edit("happy-path-v0.3", |v| v["mediaType"] = mt.into());
        assert_eq!(kind_of(&b), ErrorKind::UnsupportedVersion, "{mt}");
    }
}

#[test]
fn unknown_fields_and_duplicates_are_rejected() {
    let unknown = edit("happy-path-v0.3", |v| v["extra"] = 1.into());
    assert_eq!(kind_of(&unknown), ErrorKind::Parse);
    // Input quoting the limit errors' marker is still a parse error.
    let quoting = edit("happy-path-v0.3", |v| v["resource limit: x"] = 1.into());
    assert_eq!(kind_of(&quoting), ErrorKind::Parse);
    let quoting = edit("happy-path-v0.3", |v| {
        v["verificationMaterial"]["tlogEntries"][0]["logIndex"] = "resource limit: 1".into();
    });
    assert_eq!(kind_of(&quoting), ErrorKind::Parse);
    let text = String::from_utf8(vector("happy-path-v0.3")).unwrap();
    let dup = text.replacen("{\"mediaType\"", "{\"mediaType\": \"x\", \"mediaType\"", 1);
    assert_eq!(kind_of(dup.as_bytes()), ErrorKind::Parse);
}

#[test]
fn entry_field_rules() {
    let short_root = edit("happy-path-v0.3", |v| {
        v["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["rootHash"] = "AAAA".into();
    });
    assert_eq!(kind_of(&short_root), ErrorKind::Parse);
    let index_past_size = edit("happy-path-v0.3", |v| {
        let p = &mut v["verificationMaterial"]["tlogEntries"][0]["inclusionProof"];
        p["logIndex"] = p["treeSize"].clone();
    });
    assert_eq!(kind_of(&index_past_size), ErrorKind::InclusionProof);
    let dup_entry = edit("happy-path-v0.3", |v| {
        let e = v["verificationMaterial"]["tlogEntries"][0].clone();
        v["verificationMaterial"]["tlogEntries"]
            .as_array_mut()
            .unwrap()
            .push(e);
    });
    assert_eq!(kind_of(&dup_entry), ErrorKind::Parse);
    let many = edit("happy-path-v0.3", |v| {
        let e = v["verificationMaterial"]["tlogEntries"][0].clone();
        v["verificationMaterial"]["tlogEntries"] = serde_json::Value::Array(vec![e; 33]);
    });
    assert_eq!(kind_of(&many), ErrorKind::Limit);
    let numeric_index = edit("happy-path-v0.3", |v| {
        v["verificationMaterial"]["tlogEntries"][0]["logIndex"] = 79571823.into();
    });
    assert_eq!(
        Bundle::from_json(&numeric_index).unwrap().tlog_entries[0].log_index,
        79571823
    );
    let bad_int = edit("happy-path-v0.3", |v| {
        v["verificationMaterial"]["tlogEntries"][0]["logIndex"] = "12a".into();
    });
    assert_eq!(kind_of(&bad_int), ErrorKind::Parse);
}

#[test]
fn size_limit() {
    let big = vec![b' '; MAX_BUNDLE_BYTES + 1];
    assert_eq!(kind_of(&big), ErrorKind::Limit);
}

/// The SET check signs the kept text instead of re-encoding the bytes, so the
/// text may be kept only when it is the one standard encoding of them. Every
/// string of up to 5 characters over a small alphabet (each base64 class, the
/// URL-safe pair, padding, a line break) that decodes is checked.
#[test]
fn log_body_keeps_only_the_standard_encoding() {
    let alphabet = b"ABQg/+-_=\n";
    let mut kept = 0;
    let mut recomputed = 0;
    for s in crate::encoding::tests::every_string(alphabet, 5) {
        let Ok(body) = LogBody::from_base64(&s) else {
            continue;
        };
        let standard = crate::encoding::b64_encode(body.as_bytes());
        assert_eq!(body.standard_base64(), standard, "{s:?}");
        if body.standard_base64.is_some() {
            kept += 1;
        } else {
            recomputed += 1;
        }
    }
    // Both paths ran: the property is not vacuous.
    assert!(
        kept > 100 && recomputed > 100,
        "{kept} kept, {recomputed} re-encoded"
    );
}

#[test]
fn log_body_from_bytes_encodes_on_demand() {
    let body = LogBody::new(b"{}".to_vec());
    assert_eq!(body.standard_base64(), "e30=");
    assert_eq!(body.as_bytes(), b"{}");
    let parsed = LogBody::from_base64("e30").unwrap();
    assert_eq!(parsed, LogBody::new(b"{}".to_vec()));
}

#[test]
fn length_checks_match_the_parsers() {
    let json = vector("happy-path-v0.3");
    let at = |max| Limits {
        max_bundle_bytes: max,
        ..Limits::default()
    };
    assert!(at(json.len()).check_bundle_len(json.len()).is_ok());
    let e = at(json.len() - 1).check_bundle_len(json.len()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit);
    let parsed = Bundle::from_json_with_limits(&json, &at(json.len() - 1)).unwrap_err();
    assert_eq!(e.to_string(), parsed.to_string());
    assert!(e.to_string().contains(&format!(
        "bundle of {} bytes exceeds the {}-byte limit",
        json.len(),
        json.len() - 1
    )));
    // A caller limit above the ceiling is the ceiling.
    let e = at(usize::MAX)
        .check_bundle_len(MAX_BUNDLE_BYTES + 1)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("the {MAX_BUNDLE_BYTES}-byte limit"))
    );
    assert!(at(usize::MAX).check_bundle_len(MAX_BUNDLE_BYTES).is_ok());

    use crate::trust_root::{MAX_TRUSTED_ROOT_BYTES, TrustedRoot, check_trusted_root_len};
    assert!(check_trusted_root_len(MAX_TRUSTED_ROOT_BYTES).is_ok());
    let e = check_trusted_root_len(MAX_TRUSTED_ROOT_BYTES + 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit);
    let big = vec![b' '; MAX_TRUSTED_ROOT_BYTES + 1];
    assert_eq!(
        e.to_string(),
        TrustedRoot::from_json(&big).unwrap_err().to_string()
    );
}
