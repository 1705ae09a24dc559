//! Drive the library (not the CLI) over the conformance corpus and our own
//! vectors: every case in both artifact forms, and every failing case must
//! fail at the step the SPEC names for it.

use sigverify::{Artifact, Bundle, ErrorKind, Policy, TrustedRoot, Verifier};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors")
}

struct Case {
    name: String,
    pass: bool,
    dir: PathBuf,
    bundle: PathBuf,
    artifact: PathBuf,
    identity: Option<String>,
    issuer: Option<String>,
    key: Option<PathBuf>,
    root: PathBuf,
}

fn load_manifest(corpus: &str) -> Vec<Case> {
    let dir = vectors().join(corpus);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    m["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            name: s(&c["name"]).unwrap(),
            pass: c["expect"] == "pass",
            dir: dir.clone(),
            bundle: dir.join(s(&c["bundle"]).unwrap()),
            artifact: dir.join(s(&c["artifact"]).unwrap()),
            identity: s(&c["identity"]),
            issuer: s(&c["issuer"]),
            key: s(&c["key"]).map(|k| dir.join(k)),
            root: dir.join(s(&c["trusted_root"]).unwrap()),
        })
        .collect()
}

fn run(case: &Case, digest_form: bool) -> Result<sigverify::Verified, sigverify::Error> {
    let root = TrustedRoot::from_json(&std::fs::read(&case.root).unwrap())?;
    let verifier = Verifier::new(root)?;
    let policy = match &case.key {
        Some(k) => Policy::public_key(&std::fs::read(k).unwrap())?,
        None => Policy::identity(case.identity.clone().unwrap(), case.issuer.clone().unwrap()),
    };
    let artifact_bytes = std::fs::read(&case.artifact).unwrap();
    let artifact = if digest_form {
        Artifact::parse_digest(&format!(
            "sha256:{}",
            sigverify::encoding::hex_encode(&sigverify::crypto::sha256(&artifact_bytes))
        ))?
    } else {
        Artifact::from_bytes(&artifact_bytes)
    };
    let bundle = Bundle::from_json(&std::fs::read(&case.bundle).unwrap())?;
    verifier.verify(&bundle, &artifact, &policy)
}

/// The step at which each failing case must be rejected (SPEC §14.2, first rule).
fn expected_failures() -> BTreeMap<&'static str, ErrorKind> {
    use ErrorKind::*;
    BTreeMap::from([
        ("bundle-empty-certificate-chain_fail", Parse),
        ("bundle-from-wrong-instance_fail", Tlog),
        ("bundle-invalid-base64-signature_fail", Parse),
        ("bundle-malformed-json_fail", Parse),
        ("bundle-negative-log-index_fail", Parse),
        ("bundle-unknown-version_fail", UnsupportedVersion),
        ("bundle-with-root-cert_fail", Chain),
        ("checkpoint-bad-keyhint_fail", Checkpoint),
        ("checkpoint-wrong-roothash_fail", Checkpoint),
        ("dsse-invalid-sig_fail", TlogBodyMismatch),
        ("dsse-mismatch-envelope_fail", TlogBodyMismatch),
        ("dsse-mismatch-sig_fail", TlogBodyMismatch),
        ("inclusion-proof-corrupted-hash_fail", InclusionProof),
        ("incorrect-public-key_fail", TlogBodyMismatch),
        ("integrated-time-in-future_fail", TimeWindow),
        ("intoto-expired-certificate_fail", TimeWindow),
        ("intoto-log-entry-mismatch_fail", TlogBodyMismatch),
        ("intoto-missing-inclusion-proof_fail", Tlog),
        ("intoto-set-outside-signing-cert-validity_fail", TimeWindow),
        (
            "intoto-tsa-timestamp-outside-cert-validity_fail",
            TimeWindow,
        ),
        ("invalid-checkpoint-signature_fail", Checkpoint),
        ("invalid-ct-key_fail", Sct),
        ("invalid-inclusion-proof_fail", Tlog),
        ("managed-key-no-key_fail", PolicyMisuse),
        ("managed-key-wrong-key_fail", PolicyMisuse),
        ("message-digest-mismatch_fail", ArtifactMismatch),
        ("rekor2-checkpoint-missing-log-signature_fail", Checkpoint),
        ("rekor2-checkpoint-missing-origin_fail", Checkpoint),
        ("rekor2-checkpoint-missing-root-hash_fail", Checkpoint),
        ("rekor2-checkpoint-missing-size_fail", Checkpoint),
        ("rekor2-checkpoint-no-matching-signature_fail", Checkpoint),
        ("rekor2-dsse-invalid-sig_fail", TlogBodyMismatch),
        ("rekor2-dsse-mismatch-envelope_fail", TlogBodyMismatch),
        ("rekor2-dsse-mismatch-sig_fail", TlogBodyMismatch),
        ("rekor2-no-inclusion-proof_fail", Tlog),
        ("rekor2-no-timestamp_fail", TimeWindow),
        (
            "rekor2-timestamp-outside-trust-root-tsa-validity_fail",
            Timestamp,
        ),
        ("rekor2-timestamp-outside-tsa-cert-validity_fail", Timestamp),
        ("rekor2-timestamp-payload-mismatch_fail", Timestamp),
        (
            "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail",
            Timestamp,
        ),
        (
            "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail",
            Timestamp,
        ),
        ("rekor2-timestamp-with-incorrect-time_fail", TimeWindow),
        ("set-invalid-signature_fail", Set),
        ("signature-mismatch_fail", TlogBodyMismatch),
        ("trust-root-tlog-missing-validity-start_fail", TrustedRoot),
        ("wrong-hashedrekord-artifact_fail", TlogBodyMismatch),
        ("wrong-hashedrekord-cert-and-sig_fail", TlogBodyMismatch),
        ("wrong-hashedrekord-entry_fail", TlogBodyMismatch),
        ("wrong-material_fail", ArtifactMismatch),
        // Our own vectors.
        ("intoto-subject-mismatch_fail", ArtifactMismatch),
        ("downgrade-v0.3-to-v0.1-no-set_fail", Tlog),
        ("downgrade-v0.3-to-v0.1-bad-proof_fail", InclusionProof),
        ("tlog-entry-from-other-log_fail", Set),
        ("sct-from-untrusted-log_fail", Sct),
        ("chain-wrong-intermediate_fail", Chain),
        ("identity-wrong-issuer_fail", Identity),
        ("identity-prefix-only_fail", Identity),
        // Found by the mutation campaign (tests/mutation.rs); each verified before its fix.
        ("bundle-message-digest-positional-array_fail", Parse),
        ("rekor2-entry-with-inclusion-promise_fail", Parse),
        ("tsa-signeddata-version-altered_fail", Timestamp),
        ("tsa-digest-algorithms-altered_fail", Timestamp),
        ("tsa-signerinfo-version-altered_fail", Timestamp),
        ("tsa-second-token-after-cert-expiry_fail", TimeWindow),
    ])
}

fn check_corpus(corpus: &str) {
    let expected = expected_failures();
    let mut problems = Vec::new();
    for case in load_manifest(corpus) {
        for digest_form in [false, true] {
            let form = if digest_form { "digest" } else { "path" };
            match (run(&case, digest_form), case.pass) {
                (Ok(_), true) => {}
                (Err(e), true) => {
                    problems.push(format!("{} ({form}): expected pass, got {e}", case.name))
                }
                (Ok(_), false) => problems.push(format!(
                    "{} ({form}): expected failure, verified",
                    case.name
                )),
                (Err(e), false) => match expected.get(case.name.as_str()) {
                    Some(k) if *k == e.kind() => {}
                    Some(k) => {
                        problems.push(format!("{} ({form}): expected {k}, got {e}", case.name))
                    }
                    None => problems.push(format!(
                        "{} ({form}): no expected kind listed; got {e}",
                        case.name
                    )),
                },
            }
        }
        let _ = &case.dir;
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn conformance_corpus() {
    check_corpus("conformance");
}

#[test]
fn own_vectors() {
    check_corpus("ours");
}

#[test]
fn manifest_covers_every_directory() {
    for corpus in ["conformance", "ours"] {
        let names: Vec<String> = load_manifest(corpus).into_iter().map(|c| c.name).collect();
        for entry in std::fs::read_dir(vectors().join(corpus)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                let name = entry.file_name().into_string().unwrap();
                assert!(
                    names.contains(&name),
                    "{corpus}/{name} is not in the manifest"
                );
            }
        }
        for name in &names {
            assert_eq!(
                name.ends_with("_fail"),
                !load_manifest(corpus)
                    .iter()
                    .find(|c| &c.name == name)
                    .unwrap()
                    .pass,
                "{name}"
            );
        }
    }
}
