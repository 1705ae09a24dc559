//! The library contract: one immutable verifier shared across threads, the
//! options that tighten policy, and the result's content.

use sigverify::result::{Mode, TimeSource};
use sigverify::time::Timestamp;
use sigverify::{
    Artifact, Bundle, ErrorKind, Identity, Matcher, Options, Policy, TrustedRoot, Verifier,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-vectors/conformance")
        .join(rel)
}

fn bundle(case: &str) -> Bundle {
    Bundle::from_json(&std::fs::read(path(&format!("{case}/bundle.sigstore.json"))).unwrap())
        .unwrap()
}

fn artifact() -> Artifact {
    Artifact::from_bytes(&std::fs::read(path("a.txt")).unwrap())
}

fn policy() -> Policy {
    Policy::identity(IDENTITY, ISSUER)
}

#[test]
fn verifier_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Verifier>();
    assert_send_sync::<Bundle>();
    assert_send_sync::<Policy>();
    let verifier = Arc::new(Verifier::production().unwrap());
    let b = Arc::new(bundle("happy-path-v0.3"));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (v, b) = (verifier.clone(), b.clone());
            std::thread::spawn(move || v.verify(&b, &artifact(), &policy()).map(|r| r.mode))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), Mode::Keyless);
    }
}

#[test]
fn result_describes_what_was_verified() {
    let v = Verifier::production()
        .unwrap()
        .verify(&bundle("happy-path-v0.3"), &artifact(), &policy())
        .unwrap();
    let id = v.identity.as_ref().unwrap();
    assert_eq!(id.san(), IDENTITY);
    assert_eq!(id.issuer.as_deref(), Some(ISSUER));
    assert!(
        id.extensions
            .iter()
            .any(|e| e.oid == "1.3.6.1.4.1.57264.1.8" && e.value == ISSUER)
    );
    assert_eq!(v.tlog_entries.len(), 1);
    assert_eq!(v.tlog_entries[0].log_index, 79571823);
    assert_eq!(v.verified_times.len(), 1);
    assert_eq!(v.verified_times[0].time, Timestamp::from_unix(1710869186));
    assert!(
        matches!(&v.verified_times[0].source, TimeSource::TransparencyLog { base_url, .. } if base_url == "https://rekor.sigstore.dev")
    );
    let source = &v.verified_times[0].source;
    assert_eq!(
        (source.kind(), source.url()),
        ("transparency-log", "https://rekor.sigstore.dev")
    );
    assert_eq!(v.scts.len(), 1);
    let json = v.to_json();
    assert_eq!(json["identity"]["san"], IDENTITY);
    assert_eq!(json["tlogEntries"][0]["logIndex"], 79571823);
}

#[test]
fn options_tighten_policy() {
    // Options is non_exhaustive: set fields on the defaults.
    let strict = |set: fn(&mut Options)| {
        let mut o = Options::default();
        set(&mut o);
        Verifier::with_options(TrustedRoot::production().unwrap(), o).unwrap()
    };
    let v01 = bundle("happy-path-v0.1");
    let no_v01 = strict(|o| o.allow_v0_1 = false);
    assert_eq!(
        no_v01
            .verify(&v01, &artifact(), &policy())
            .unwrap_err()
            .kind(),
        ErrorKind::UnsupportedVersion
    );
    let two_logs = strict(|o| o.tlog_threshold = 2);
    assert_eq!(
        two_logs
            .verify(&v01, &artifact(), &policy())
            .unwrap_err()
            .kind(),
        ErrorKind::Tlog
    );
    let two_cts = strict(|o| o.sct_threshold = 2);
    assert_eq!(
        two_cts
            .verify(&v01, &artifact(), &policy())
            .unwrap_err()
            .kind(),
        ErrorKind::Sct
    );
    // A clock set before the entry was integrated makes its time "in the future".
    let past = strict(|o| o.now = Some(Timestamp::from_unix(1_600_000_000)));
    assert_eq!(
        past.verify(&v01, &artifact(), &policy())
            .unwrap_err()
            .kind(),
        ErrorKind::TimeWindow
    );
}

#[test]
fn policy_forms() {
    let v = Verifier::production().unwrap();
    let b = bundle("happy-path-v0.3");
    let regex = Policy::any_of(vec![
        Identity::exact("someone@example.com", ISSUER),
        Identity::new(
            Matcher::regex("https://github.com/sigstore-conformance/.*@refs/heads/main").unwrap(),
            Matcher::exact(ISSUER),
        ),
    ])
    .unwrap();
    assert_eq!(
        v.verify(&b, &artifact(), &regex)
            .unwrap()
            .identity
            .unwrap()
            .matched_policy,
        1
    );
    let wrong_issuer = Policy::identity(IDENTITY, "https://accounts.google.com");
    assert_eq!(
        v.verify(&b, &artifact(), &wrong_issuer).unwrap_err().kind(),
        ErrorKind::Identity
    );
    let key = Policy::public_key(&std::fs::read(path("managed-key-happy-path/key.pub")).unwrap())
        .unwrap();
    assert_eq!(
        v.verify(&b, &artifact(), &key).unwrap_err().kind(),
        ErrorKind::PolicyMisuse
    );
}

#[test]
fn streamed_and_digest_artifacts_agree() {
    let v = Verifier::production().unwrap();
    let b = bundle("happy-path-v0.3");
    let streamed = Artifact::from_reader(std::fs::File::open(path("a.txt")).unwrap()).unwrap();
    assert!(v.verify(&b, &streamed, &policy()).is_ok());
    let digest = Artifact::parse_digest(
        "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf",
    )
    .unwrap();
    assert!(v.verify(&b, &digest, &policy()).is_ok());
    let other = Artifact::from_bytes(b"something else");
    assert_eq!(
        v.verify(&b, &other, &policy()).unwrap_err().kind(),
        ErrorKind::ArtifactMismatch
    );
}

/// Two trusted logs of one operator count once toward the log threshold
/// (SPEC §6.8); of two operators, twice. The second log is a copy of the
/// production Rekor log under another log ID whose checkpoint key ID is the
/// original's, so the same proof-only entry verifies under both.
#[test]
fn logs_of_one_operator_count_once() {
    let (bundle, root, copy) = second_log_copy();
    let verify = |op_a: &str, op_b: &str| {
        let mut r = root.clone();
        r["tlogs"][0]["operator"] = op_a.into();
        let mut c = copy.clone();
        c["operator"] = op_b.into();
        r["tlogs"].as_array_mut().unwrap().push(c);
        verify_two_logs(&bundle, &r)
    };
    assert_eq!(
        verify("sigstore.dev", "other.example")
            .unwrap()
            .tlog_entries
            .len(),
        2
    );
    assert_eq!(
        verify("sigstore.dev", "sigstore.dev").unwrap_err().kind(),
        ErrorKind::Tlog
    );
}

/// `happy-path-v0.3` with a second, proof-only copy of its entry, filed under
/// a second log: the production root's Rekor log under another log ID whose
/// checkpoint key ID is the original's, so the copy verifies under it. Returns
/// the bundle, the production root and that second log (not yet in the root).
fn second_log_copy() -> (Bundle, serde_json::Value, serde_json::Value) {
    let mut b: serde_json::Value = serde_json::from_slice(
        &std::fs::read(path("happy-path-v0.3/bundle.sigstore.json")).unwrap(),
    )
    .unwrap();
    let root: serde_json::Value = serde_json::from_slice(
        &std::fs::read(path("../trust/production_trusted_root.json")).unwrap(),
    )
    .unwrap();
    let original = root["tlogs"][0].clone();
    let mut copy = original.clone();
    let other_id = sigverify::encoding::b64_encode(&[7u8; 32]);
    copy["logId"]["keyId"] = other_id.clone().into();
    copy["checkpointKeyId"] = original["logId"].clone();
    let mut entry = b["verificationMaterial"]["tlogEntries"][0].clone();
    entry["logId"]["keyId"] = other_id.into();
    entry.as_object_mut().unwrap().remove("inclusionPromise");
    b["verificationMaterial"]["tlogEntries"]
        .as_array_mut()
        .unwrap()
        .push(entry);
    let bundle = Bundle::from_json(&serde_json::to_vec(&b).unwrap()).unwrap();
    (bundle, root, copy)
}

/// Verify under `root` (JSON) with a threshold of two logs.
fn verify_two_logs(
    bundle: &Bundle,
    root: &serde_json::Value,
) -> Result<sigverify::result::Verified, sigverify::Error> {
    let root = TrustedRoot::from_json(&serde_json::to_vec(root).unwrap()).unwrap();
    let mut two_logs = Options::default();
    two_logs.tlog_threshold = 2;
    let v = Verifier::with_options(root, two_logs).unwrap();
    v.verify(bundle, &artifact(), &policy())
}

/// An entry without a SET vouches for no time, so its log key must have been
/// valid at every verified time, a time another log's SET vouches for
/// included: a proof-only entry from a retired log does not count.
#[test]
fn proof_only_entry_needs_its_log_key_valid_at_other_logs_set_times() {
    let (bundle, root, copy) = second_log_copy();
    let with_second = |end: &str| {
        let mut r = root.clone();
        let mut c = copy.clone();
        c["operator"] = "other.example".into();
        c["publicKey"]["validFor"]["end"] = end.into();
        r["tlogs"].as_array_mut().unwrap().push(c);
        verify_two_logs(&bundle, &r)
    };
    let v = with_second("2099-01-01T00:00:00Z").unwrap();
    let set_time = v.tlog_entries[0].integrated_time.unwrap();
    assert!(v.tlog_entries[1].integrated_time.is_none());
    assert_eq!(
        with_second(&set_time.to_string())
            .unwrap()
            .tlog_entries
            .len(),
        2
    );
    let retired = set_time.unix_secs() - 1;
    let retired = sigverify::time::Timestamp::from_unix(retired).to_string();
    let e = with_second(&retired).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TimeWindow, "{e}");
    assert!(
        e.to_string().contains(
            "(transparency log https://rekor.sigstore.dev) is outside the validity of log"
        ),
        "{e}"
    );
}

/// An empty expected SAN or issuer (an unset configuration value) is a misused
/// policy, not a mismatch, and an empty regular expression is refused.
#[test]
fn empty_identities_are_policy_misuse() {
    let v = Verifier::production().unwrap();
    let b = bundle("happy-path-v0.3");
    for p in [
        Policy::identity("", ISSUER),
        Policy::identity(IDENTITY, ""),
        Policy::any_of(vec![
            Identity::exact(IDENTITY, ISSUER),
            Identity::exact("", ISSUER),
        ])
        .unwrap(),
    ] {
        let e = v.verify(&b, &artifact(), &p).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PolicyMisuse, "{e}");
        assert!(
            e.to_string().contains("expects an empty SAN or issuer"),
            "{e}"
        );
    }
    let e = Matcher::regex("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyMisuse, "{e}");
}

/// `verify_dsse`: everything but the subject match, which the result says was
/// not done; a message signature cannot be verified without its artifact.
#[test]
fn dsse_without_an_artifact() {
    let v = Verifier::production().unwrap();
    let dsse = bundle("happy-path-intoto-in-dsse-v3");
    let r = v.verify_dsse(&dsse, &policy()).unwrap();
    assert!(!r.artifact_bound);
    assert_eq!(r.to_json()["artifactBound"], false);
    let statement = r.statement.as_ref().expect("an in-toto statement");
    assert!(!statement.subjects.is_empty());
    let (payload_type, payload) = r.dsse_payload.as_ref().unwrap();
    assert_eq!(payload_type, "application/vnd.in-toto+json");
    assert!(!payload.is_empty());
    // With an artifact the subjects are matched: the same bundle over other
    // bytes fails, and over the right ones says it was bound.
    let other = Artifact::from_bytes(b"not the subject");
    assert_eq!(
        v.verify(&dsse, &other, &policy()).unwrap_err().kind(),
        ErrorKind::ArtifactMismatch
    );
    assert!(
        v.verify(&dsse, &artifact(), &policy())
            .unwrap()
            .artifact_bound
    );
    // Every other check still runs: a wrong identity, a broken envelope.
    let wrong = Policy::identity(IDENTITY, "https://accounts.google.com");
    assert_eq!(
        v.verify_dsse(&dsse, &wrong).unwrap_err().kind(),
        ErrorKind::Identity
    );
    let tampered = bundle("dsse-mismatch-envelope_fail");
    assert_eq!(
        v.verify_dsse(&tampered, &policy()).unwrap_err().kind(),
        ErrorKind::TlogBodyMismatch
    );
    // A message signature binds only the artifact.
    assert_eq!(
        v.verify_dsse(&bundle("happy-path-v0.3"), &policy())
            .unwrap_err()
            .kind(),
        ErrorKind::PolicyMisuse
    );
}

/// The SET signs the body's standard base64. A bundle may write the same body
/// unpadded or wrapped (protobuf JSON accepts both); the SET must
/// still verify over the standard text, and a changed body must still fail it.
#[test]
fn set_covers_the_standard_encoding_of_the_body() {
    let json = std::fs::read(path("happy-path-v0.1/bundle.sigstore.json")).unwrap();
    let text = String::from_utf8(json).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let body = parsed["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(body.ends_with('='), "the test needs a padded body");
    let verifier = Verifier::production().unwrap();
    let verify = |new_body: &str| {
        let json = text.replacen(&body, new_body, 1);
        verifier.verify_json(json.as_bytes(), &artifact(), &policy())
    };
    verify(&body).unwrap();
    let unpadded = body.trim_end_matches('=');
    let wrapped = body
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\\n");
    for variant in [unpadded, &wrapped] {
        let r = verify(variant).unwrap_or_else(|e| panic!("{}: {e}", &variant[..20]));
        assert_eq!(r.tlog_entries.len(), 1);
    }
    // The same body JSON with one more space: the body checks read JSON and
    // accept it, so only the SET can refuse it, in either written form.
    use base64::Engine;
    let std_b64 = base64::engine::general_purpose::STANDARD;
    let mut spaced = std_b64.decode(&body).unwrap();
    spaced.insert(1, b' ');
    let spaced = std_b64.encode(&spaced);
    for variant in [spaced.clone(), spaced.trim_end_matches('=').to_owned()] {
        let e = verify(&variant).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Set, "{e}");
    }
}

/// A Rekor v1 entry proven by its inclusion proof alone (no SET) vouches for no
/// time, so, as for Rekor v2, its log key must have been valid at the time an
/// RFC 3161 timestamp gives; with its SET, the SET check holds the key to the
/// integrated time instead.
#[test]
fn proof_only_v1_entry_needs_its_log_key_valid_at_the_timestamp() {
    let case = "intoto-with-custom-trust-root";
    let read = |f: &str| std::fs::read(path(&format!("{case}/{f}"))).unwrap();
    let artifact = Artifact::from_bytes(&read("artifact"));
    let mut bundle: serde_json::Value =
        serde_json::from_slice(&read("bundle.sigstore.json")).unwrap();
    let entry = &mut bundle["verificationMaterial"]["tlogEntries"][0];
    entry.as_object_mut().unwrap().remove("inclusionPromise");
    let bundle = serde_json::to_vec(&bundle).unwrap();
    let mut root: serde_json::Value = serde_json::from_slice(&read("trusted_root.json")).unwrap();
    let verify = |root: &serde_json::Value| {
        let root = TrustedRoot::from_json(&serde_json::to_vec(root).unwrap()).unwrap();
        Verifier::new(root)
            .unwrap()
            .verify_json(&bundle, &artifact, &policy())
    };
    let ok = verify(&root).unwrap();
    assert!(!ok.tlog_entries[0].set_verified);
    // The log key retired before the timestamp: the proof-only entry no longer counts.
    root["tlogs"][0]["publicKey"]["validFor"]["end"] = "2023-01-02T00:00:00Z".into();
    let e = verify(&root).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TimeWindow, "{e}");
    assert!(e.to_string().contains("outside the validity of log"), "{e}");
}

/// Fulcio claims in the policy (SPEC §12.2): each required claim must be present
/// and match, by OID or by name, exactly or by anchored regex; a wrong value is
/// an identity mismatch that names the claim and the certificate's value.
#[test]
fn policy_requires_fulcio_claims() {
    const REPO: &str =
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon";
    let v = Verifier::production().unwrap();
    let b = bundle("happy-path-v0.3");
    let with = |claims: &[(&str, Matcher)]| {
        let mut id = Identity::exact(IDENTITY, ISSUER);
        for (name, m) in claims {
            id = id.require_extension(name, m.clone()).unwrap();
        }
        v.verify(&b, &artifact(), &Policy::any_of(vec![id]).unwrap())
    };
    with(&[
        ("SourceRepositoryURI", Matcher::exact(REPO)),
        ("Source Repository Ref", Matcher::exact("refs/heads/main")),
        ("1.3.6.1.4.1.57264.1.11", Matcher::exact("github-hosted")),
        (
            "BuildTrigger",
            Matcher::regex("workflow_dispatch|push").unwrap(),
        ),
        // A deprecated raw claim, by name.
        (
            "GitHub Workflow Repository",
            Matcher::exact("sigstore-conformance/extremely-dangerous-public-oidc-beacon"),
        ),
    ])
    .unwrap();
    let e = with(&[(
        "SourceRepositoryURI",
        Matcher::exact("https://github.com/evil/fork"),
    )])
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Identity, "{e}");
    assert!(e.to_string().contains("1.3.6.1.4.1.57264.1.12"), "{e}");
    assert!(e.to_string().contains(REPO), "{e}");
    // A prefix is not a match; an absent claim never matches.
    let prefix = Matcher::regex("https://github.com/sigstore-conformance").unwrap();
    let e = with(&[("SourceRepositoryURI", prefix)]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Identity, "{e}");
    let e = with(&[("DeploymentEnvironment", Matcher::regex(".*").unwrap())]).unwrap_err();
    assert!(e.to_string().contains("(absent)"), "{e}");
    // Alternatives: one identity whose claim fails, another that passes.
    let bad = Identity::exact(IDENTITY, ISSUER)
        .require_extension("SourceRepositoryRef", Matcher::exact("refs/heads/dev"))
        .unwrap();
    let good = Identity::exact(IDENTITY, ISSUER)
        .require_extension("SourceRepositoryRef", Matcher::exact("refs/heads/main"))
        .unwrap();
    let r = v
        .verify(&b, &artifact(), &Policy::any_of(vec![bad, good]).unwrap())
        .unwrap();
    assert_eq!(r.identity.unwrap().matched_policy, 1);
    // An empty exact value, names and OIDs outside the Fulcio arc are caller errors.
    let e = Identity::exact(IDENTITY, ISSUER)
        .require_extension("SourceRepositoryRef", Matcher::exact(""))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyMisuse, "{e}");
    for wrong in [
        "Source Repo",
        "1.3.6.1.4.1.57264.2",
        "1.3.6.1.4.1.57264.1.",
        "2.5.29.17",
        "",
    ] {
        let e = Identity::exact(IDENTITY, ISSUER)
            .require_extension(wrong, Matcher::exact("x"))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PolicyMisuse, "{wrong:?}");
    }
}
