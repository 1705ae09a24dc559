//! Whole bundles from a private Sigstore (`support::forge`): the signing keys
//! and log shapes the public-good instances never produce, verified end to end
//! through the public API. The P-256 case is the control: it has the shape of
//! the conformance `rekor2-happy-path` bundle, so the forge itself is checked
//! against a verifier that accepts real bundles.

mod support;

use sigverify::result::{Mode, TimeSource};
use sigverify::time::{TimeRange, Timestamp};
use sigverify::{Artifact, ErrorKind, Options, Policy, TrustedRoot, Verifier};
use support::forge::{
    self, Content, Forge, IDENTITY, ISSUER, Key, NamedTsaCert, SIGNED_AT, Signing,
};

const ARTIFACT: &[u8] = b"an artifact signed by a private Sigstore\n";

fn keyless() -> Policy {
    Policy::identity(IDENTITY, ISSUER)
}

fn managed(key: &Key) -> Policy {
    Policy::public_key(&key.spki()).unwrap()
}

type Outcome = Result<sigverify::result::Verified, (ErrorKind, String)>;

/// Verify `bundle` over `artifact` under the trusted root `root` (JSON, possibly
/// edited by the test) and `options`; the error kind and message on failure.
fn verify_under(
    root: &serde_json::Value,
    options: Options,
    bundle: &[u8],
    artifact: &[u8],
    policy: &Policy,
) -> Outcome {
    let root = TrustedRoot::from_json(&serde_json::to_vec(root).unwrap()).unwrap();
    Verifier::with_options(root, options)
        .unwrap()
        .verify_json(bundle, &Artifact::from_bytes(artifact), policy)
        .map_err(|e| (e.kind(), e.to_string()))
}

/// Verify `bundle` over `artifact` under the forge's own trusted root.
fn check(forge: &Forge, bundle: &[u8], artifact: &[u8], policy: &Policy) -> Outcome {
    let root = forge.trusted_root();
    verify_under(&root, Options::default(), bundle, artifact, policy)
}

fn assert_keyless_ok(forge: &Forge, key: &Key, content: Content<'_>, artifact: &[u8]) {
    let bundle = forge.bundle(key, Signing::Keyless, content, artifact);
    let v = check(forge, &bundle, artifact, &keyless()).unwrap();
    assert_eq!(v.mode, Mode::Keyless);
    let id = v.identity.as_ref().unwrap();
    assert_eq!(id.san(), IDENTITY);
    assert_eq!(id.issuer.as_deref(), Some(ISSUER));
    assert_eq!(v.tlog_entries.len(), 1);
    assert_eq!(v.scts.len(), 1);
    assert_eq!(v.verified_times.len(), 1);
    assert_eq!(
        v.verified_times[0].time,
        Timestamp::from_unix(SIGNED_AT as i64 + 30)
    );
    assert!(matches!(
        &v.verified_times[0].source,
        TimeSource::TimestampAuthority { uri, .. } if uri == "https://tsa.forge.test"
    ));
    let source = &v.verified_times[0].source;
    assert_eq!(
        (source.kind(), source.url()),
        ("timestamp-authority", "https://tsa.forge.test")
    );
}

#[test]
fn p256_leaf_rekor_v2_control() {
    let forge = Forge::new();
    assert_keyless_ok(&forge, &Key::p256(10), Content::Message, ARTIFACT);
}

#[test]
fn p384_leaf_signs_with_sha384() {
    let forge = Forge::new();
    let key = Key::p384(11);
    assert_keyless_ok(&forge, &key, Content::Message, ARTIFACT);
    let bundle: serde_json::Value =
        serde_json::from_slice(&forge.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT))
            .unwrap();
    assert_eq!(
        bundle["messageSignature"]["messageDigest"]["algorithm"],
        "SHA2_384"
    );
}

/// SPEC §5: an Ed25519 Fulcio leaf signs a hashedrekord artifact with
/// Ed25519ph over the artifact's SHA-512, logged as PKIX_ED25519_PH.
#[test]
fn ed25519_leaf_signs_with_ed25519ph() {
    let forge = Forge::new();
    assert_keyless_ok(&forge, &Key::ed25519(12), Content::Message, ARTIFACT);
}

/// A pure Ed25519 signature over the artifact is not an Ed25519ph one, even
/// when the log and the timestamp cover it.
#[test]
fn ed25519_leaf_with_a_pure_signature_is_rejected() {
    let forge = Forge::new();
    let key = Key::ed25519(12);
    let pure = key.sign(ARTIFACT);
    let bundle =
        forge.bundle_with_signature(&key, Signing::Keyless, Content::Message, ARTIFACT, &pure);
    let (kind, msg) = check(&forge, &bundle, ARTIFACT, &keyless()).unwrap_err();
    assert_eq!(kind, ErrorKind::Signature, "{msg}");
}

#[test]
fn ed25519_leaf_bundle_for_another_artifact_is_rejected() {
    let forge = Forge::new();
    let bundle = forge.bundle(
        &Key::ed25519(12),
        Signing::Keyless,
        Content::Message,
        ARTIFACT,
    );
    let (kind, msg) = check(&forge, &bundle, b"another artifact", &keyless()).unwrap_err();
    assert_eq!(kind, ErrorKind::ArtifactMismatch, "{msg}");
}

#[test]
fn managed_keys_of_each_type() {
    let forge = Forge::new();
    for key in [Key::p256(20), Key::p384(21), Key::ed25519(22)] {
        let bundle = forge.bundle(&key, Signing::ManagedKey, Content::Message, ARTIFACT);
        let v = check(&forge, &bundle, ARTIFACT, &managed(&key)).unwrap();
        assert_eq!(v.mode, Mode::PublicKey);
        assert!(v.identity.is_none());
        assert_eq!(v.verified_times.len(), 1);
        // Another key of the same type does not verify it.
        let other = match key {
            Key::P256(_) => Key::p256(30),
            Key::P384(_) => Key::p384(31),
            Key::Ed25519(_) => Key::ed25519(32),
        };
        // Rekor v2 logs the key, so the rebuilt entry already differs.
        let (kind, msg) = check(&forge, &bundle, ARTIFACT, &managed(&other)).unwrap_err();
        assert_eq!(kind, ErrorKind::TlogBodyMismatch, "{msg}");
        assert!(
            msg.ends_with("the logged public key is not the one verifying the bundle"),
            "{msg}"
        );
    }
}

fn statement(artifact: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(artifact)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "artifact", "digest": {"sha256": hex}}],
        "predicateType": "https://sigverify.test/predicate/v1",
        "predicate": {},
    }))
    .unwrap()
}

const IN_TOTO: &str = "application/vnd.in-toto+json";

#[test]
fn dsse_with_p256_and_p384_leaves() {
    let forge = Forge::new();
    let payload = statement(ARTIFACT);
    for key in [Key::p256(40), Key::p384(41)] {
        let content = Content::Dsse {
            payload_type: IN_TOTO,
            payload: &payload,
        };
        assert_keyless_ok(&forge, &key, content, ARTIFACT);
    }
}

/// SPEC §6.3.5: a pure Ed25519 DSSE signature has no prehash, so it cannot be
/// logged as hashedrekord 0.0.2; such a bundle is refused even when the log
/// entry is built the way the body reconstruction would build it.
#[test]
fn dsse_with_an_ed25519_leaf_is_rejected() {
    let forge = Forge::new();
    let payload = statement(ARTIFACT);
    let content = Content::Dsse {
        payload_type: IN_TOTO,
        payload: &payload,
    };
    let bundle = forge.bundle(&Key::ed25519(42), Signing::Keyless, content, ARTIFACT);
    let (kind, msg) = check(&forge, &bundle, ARTIFACT, &keyless()).unwrap_err();
    assert_eq!(kind, ErrorKind::TlogBodyMismatch, "{msg}");
    assert!(msg.contains("pure Ed25519"), "{msg}");
}

/// The forge's bundles really depend on its trusted root: the production
/// root knows none of its authorities.
#[test]
fn forged_bundles_fail_on_the_production_root() {
    let forge = Forge::new();
    let bundle = forge.bundle(&Key::p256(10), Signing::Keyless, Content::Message, ARTIFACT);
    let err = Verifier::production()
        .unwrap()
        .verify_json(&bundle, &Artifact::from_bytes(ARTIFACT), &keyless())
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Chain | ErrorKind::Timestamp | ErrorKind::Tlog
        ),
        "{err}"
    );
}

#[test]
fn forge_is_deterministic() {
    let (a, b) = (Forge::new(), Forge::new());
    let key = Key::ed25519(12);
    assert_eq!(
        a.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT),
        b.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT)
    );
    assert_eq!(forge::b64(&a.fulcio_root), forge::b64(&b.fulcio_root));
}

/// SPEC §12.3: the defined Fulcio extensions must decode; an arc it does not
/// define is exposed when it is a UTF8String and otherwise ignored (as
/// sigstore-go ignores unknown OIDs), so a future extension in another encoding
/// does not make every leaf unreadable.
#[test]
fn fulcio_extensions_known_and_unknown() {
    let key = Key::p256(50);
    let printable = support::der::enc(0x13, b"github-hosted");
    let with = |extra: Vec<Vec<u8>>| {
        let mut forge = Forge::new();
        forge.extra_leaf_extensions = extra;
        let bundle = forge.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT);
        check(&forge, &bundle, ARTIFACT, &keyless())
    };
    let unknown_utf8 = forge::ext("1.3.6.1.4.1.57264.1.99", false, &forge::utf8("new claim"));
    let unknown_other = forge::ext("1.3.6.1.4.1.57264.1.98", false, &printable);
    let v = with(vec![unknown_utf8, unknown_other]).unwrap();
    let exts = &v.identity.as_ref().unwrap().extensions;
    let value_of = |oid: &str| exts.iter().find(|e| e.oid == oid).map(|e| e.value.as_str());
    assert_eq!(value_of("1.3.6.1.4.1.57264.1.99"), Some("new claim"));
    assert_eq!(value_of("1.3.6.1.4.1.57264.1.98"), None);
    assert_eq!(value_of("1.3.6.1.4.1.57264.1.8"), Some(ISSUER));
    // A defined one (.11, Runner Environment) in the wrong string type.
    let bad = forge::ext("1.3.6.1.4.1.57264.1.11", false, &printable);
    let (kind, msg) = with(vec![bad]).unwrap_err();
    assert_eq!(kind, ErrorKind::Parse, "{msg}");
    assert!(msg.contains("57264.1.11"), "{msg}");
}

/// SPEC §7.2.5: the TSA path is valid at genTime, its root included (webpki
/// never looks at an anchor's validity, so the verifier checks it).
#[test]
fn tsa_root_expired_before_gen_time_is_rejected() {
    let key = Key::p256(60);
    let live = Forge::with_tsa_root_until(SIGNED_AT + 30);
    let bundle = live.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT);
    check(&live, &bundle, ARTIFACT, &keyless()).unwrap();
    let expired = Forge::with_tsa_root_until(SIGNED_AT + 29);
    let bundle = expired.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT);
    let (kind, msg) = check(&expired, &bundle, ARTIFACT, &keyless()).unwrap_err();
    assert_eq!(kind, ErrorKind::Timestamp, "{msg}");
    assert!(
        msg.contains("validity of the authority's root certificate"),
        "{msg}"
    );
}

/// The bundle without its RFC 3161 tokens: a Rekor v2 bundle then shows no time.
fn without_timestamps(bundle: &[u8]) -> Vec<u8> {
    let mut b: serde_json::Value = serde_json::from_slice(bundle).unwrap();
    b["verificationMaterial"]
        .as_object_mut()
        .unwrap()
        .remove("timestampVerificationData")
        .unwrap();
    serde_json::to_vec(&b).unwrap()
}

/// A managed key trusted for a window only (a rotated or revoked key): every
/// verified time must lie inside, ends inclusive, and a bundle that shows no
/// time at all is refused, though it verifies under the same key without one.
#[test]
fn managed_key_validity_window() {
    let forge = Forge::new();
    let key = Key::p256(23);
    let signed_at = Timestamp::from_unix(SIGNED_AT as i64 + 30); // the token's genTime
    let window = |start: i64, end: Option<i64>| TimeRange {
        start: Timestamp::from_unix(start),
        end: end.map(Timestamp::from_unix),
    };
    let within = |w: TimeRange| managed(&key).key_valid_for(w).unwrap();
    let bundle = forge.bundle(&key, Signing::ManagedKey, Content::Message, ARTIFACT);
    let at = signed_at.unix_secs();
    for ok in [window(at, Some(at)), window(0, Some(at)), window(at, None)] {
        let v = check(&forge, &bundle, ARTIFACT, &within(ok)).unwrap();
        assert_eq!(v.verified_times[0].time, signed_at);
    }
    for outside in [window(0, Some(at - 1)), window(at + 1, None)] {
        let (kind, msg) = check(&forge, &bundle, ARTIFACT, &within(outside)).unwrap_err();
        assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
        assert!(
            msg.contains("is outside the managed key's validity"),
            "{msg}"
        );
    }
    // Without its RFC 3161 token, the Rekor v2 bundle shows no time.
    let untimed = without_timestamps(&bundle);
    let v = check(&forge, &untimed, ARTIFACT, &managed(&key)).unwrap();
    assert!(v.verified_times.is_empty());
    let (kind, msg) = check(&forge, &untimed, ARTIFACT, &within(window(0, None))).unwrap_err();
    assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
    assert!(msg.contains("0 verified times, 1 required"), "{msg}");

    // Every verified time must lie inside, not only the first or the counted
    // ones: a later token from the same authority (checked, not counted again),
    // and a later token from a second authority (counted).
    let mut two_tsas = Forge::new();
    two_tsas.add_tsa();
    for (forge, tsa, later) in [(&forge, 0, at + 70), (&two_tsas, 1, at + 1)] {
        let bundle = forge.bundle(&key, Signing::ManagedKey, Content::Message, ARTIFACT);
        let mut b: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
        let signature = b["messageSignature"]["signature"]
            .as_str()
            .unwrap()
            .to_string();
        let signature = sigverify::encoding::b64_decode(&signature).unwrap();
        let token = forge.timestamp(tsa, &signature, later as u64);
        b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"signedTimestamp": forge::b64(&token)}));
        let bundle = serde_json::to_vec(&b).unwrap();
        check(forge, &bundle, ARTIFACT, &within(window(at, Some(later)))).unwrap();
        let (kind, msg) = check(
            forge,
            &bundle,
            ARTIFACT,
            &within(window(at, Some(later - 1))),
        )
        .unwrap_err();
        assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
        assert!(
            msg.contains("is outside the managed key's validity"),
            "{msg}"
        );
    }

    // Misuse: a window on an identity policy, a window that ends before it starts.
    let e = keyless().key_valid_for(window(0, None)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyMisuse, "{e}");
    let e = managed(&key)
        .key_valid_for(window(at, Some(at - 1)))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyMisuse, "{e}");
    assert!(e.to_string().contains("ends"), "{e}");
}

/// A bundle that shows no verified time (a managed key without a window, a
/// Rekor v2 entry, no token) cannot show when its log's key signed the
/// checkpoint, so that key must be trusted now: a retired log proves nothing.
#[test]
fn untimed_entry_needs_its_log_key_trusted_now() {
    let forge = Forge::new();
    let key = Key::p256(27);
    let bundle = forge.bundle(&key, Signing::ManagedKey, Content::Message, ARTIFACT);
    let untimed = without_timestamps(&bundle);
    let retired_at = SIGNED_AT + 86_400;
    let mut root = forge.trusted_root();
    root["tlogs"][0]["publicKey"]["validFor"]["end"] = forge::rfc3339(retired_at).into();
    let at = |now: u64| {
        let mut options = Options::default();
        options.now = Some(Timestamp::from_unix(now as i64));
        options
    };
    for now in [SIGNED_AT + 60, retired_at] {
        let v = verify_under(&root, at(now), &untimed, ARTIFACT, &managed(&key)).unwrap();
        assert!(v.verified_times.is_empty());
    }
    let (kind, msg) = verify_under(
        &root,
        at(retired_at + 1),
        &untimed,
        ARTIFACT,
        &managed(&key),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
    assert!(msg.contains("is not trusted now"), "{msg}");
    // With its token, the bundle shows the entry was made while the key was valid.
    let v = verify_under(&root, at(retired_at + 1), &bundle, ARTIFACT, &managed(&key)).unwrap();
    assert_eq!(v.verified_times.len(), 1);
}

/// SPEC §11.5: a keyring accepts a bundle signed by any one of its keys, a
/// fingerprint hint selects the key it names, and each key keeps its own window.
#[test]
fn keyrings() {
    use sha2::{Digest, Sha256};
    let forge = Forge::new();
    let (old, new, stranger) = (Key::p256(24), Key::p384(25), Key::ed25519(26));
    let fingerprint = |k: &Key| Sha256::digest(k.spki()).to_vec();
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let ring = |keys: Vec<Policy>| Policy::any_key(keys).unwrap();
    let bundle = forge.bundle(&new, Signing::ManagedKey, Content::Message, ARTIFACT);
    // Either order verifies; the result names the key that did.
    for p in [
        ring(vec![managed(&old), managed(&new)]),
        ring(vec![managed(&new), managed(&old)]),
    ] {
        let v = check(&forge, &bundle, ARTIFACT, &p).unwrap();
        assert_eq!(v.key_fingerprint, hex(&fingerprint(&new)));
    }
    // None of the keys: each key's reason is listed.
    let (kind, msg) = check(
        &forge,
        &bundle,
        ARTIFACT,
        &ring(vec![managed(&old), managed(&stranger)]),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::TlogBodyMismatch, "{msg}");
    assert!(
        msg.contains("none of the 2 keys verified the bundle"),
        "{msg}"
    );
    assert!(msg.contains(&hex(&fingerprint(&stranger))), "{msg}");
    // The signing key's own window fails it: that reason is the one reported.
    let at = SIGNED_AT as i64 + 30;
    let until = |t: i64| TimeRange {
        start: Timestamp::from_unix(0),
        end: Some(Timestamp::from_unix(t)),
    };
    let retired_new = || managed(&new).key_valid_for(until(at - 1)).unwrap();
    let retired = retired_new();
    let (kind, msg) = check(
        &forge,
        &bundle,
        ARTIFACT,
        &ring(vec![managed(&old), retired]),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
    assert!(msg.contains("outside the managed key's validity"), "{msg}");
    let current = managed(&new).key_valid_for(until(at)).unwrap();
    check(
        &forge,
        &bundle,
        ARTIFACT,
        &ring(vec![managed(&old), current]),
    )
    .unwrap();
    // A window on the keyring applies to every key (the signing key first, so
    // a window on the last key only would not do).
    let all_retired = ring(vec![managed(&new), managed(&old)])
        .key_valid_for(until(at - 1))
        .unwrap();
    let (kind, _) = check(&forge, &bundle, ARTIFACT, &all_retired).unwrap_err();
    assert_eq!(kind, ErrorKind::TimeWindow);
    // A second window narrows the first, never widens it.
    let from = |t: i64| TimeRange {
        start: Timestamp::from_unix(t),
        end: None,
    };
    for narrowed in [
        managed(&new)
            .key_valid_for(until(at - 1))
            .unwrap()
            .key_valid_for(from(0)),
        managed(&new)
            .key_valid_for(until(at + 100))
            .unwrap()
            .key_valid_for(from(at + 1)),
    ] {
        let (kind, msg) = check(&forge, &bundle, ARTIFACT, &narrowed.unwrap()).unwrap_err();
        assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
    }
    // The same key twice with disjoint windows: trusted in either.
    let twice = |a: TimeRange, b: TimeRange| {
        ring(vec![
            managed(&new).key_valid_for(a).unwrap(),
            managed(&new).key_valid_for(b).unwrap(),
        ])
    };
    check(&forge, &bundle, ARTIFACT, &twice(until(at - 1), from(at))).unwrap();
    let (kind, _) = check(
        &forge,
        &bundle,
        ARTIFACT,
        &twice(until(at - 1), from(at + 1)),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::TimeWindow);
    // Without its canonicalizedBody the Rekor v2 entry is rebuilt from each key, and
    // a key that is not the bundle's fails the inclusion proof: still the bound
    // key's reason is the one reported.
    let mut bodiless: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
    bodiless["verificationMaterial"]["tlogEntries"][0]
        .as_object_mut()
        .unwrap()
        .remove("canonicalizedBody")
        .unwrap();
    let bodiless = serde_json::to_vec(&bodiless).unwrap();
    check(
        &forge,
        &bodiless,
        ARTIFACT,
        &ring(vec![managed(&old), managed(&new)]),
    )
    .unwrap();
    let (kind, msg) = check(
        &forge,
        &bodiless,
        ARTIFACT,
        // (a key of the signing key's type, so the body rebuilt with it is well formed)
        &ring(vec![managed(&Key::p384(27)), retired_new()]),
    )
    .unwrap_err();
    assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
    assert!(
        msg.contains("root hash"),
        "the other key's reason is listed: {msg}"
    );
    // A keyring built empty through the enum is misuse, never "any key".
    let (kind, _) = check(&forge, &bundle, ARTIFACT, &Policy::PublicKeys(vec![])).unwrap_err();
    assert_eq!(kind, ErrorKind::PolicyMisuse);

    // A fingerprint hint selects the key it names, and only that key.
    let hinted = |k: &Key| {
        let mut b: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
        b["verificationMaterial"]["publicKey"]["hint"] = forge::b64(&fingerprint(k)).into();
        serde_json::to_vec(&b).unwrap()
    };
    let both = ring(vec![managed(&old), managed(&new)]);
    check(&forge, &hinted(&new), ARTIFACT, &both).unwrap();
    let (kind, msg) = check(&forge, &hinted(&old), ARTIFACT, &both).unwrap_err();
    assert_eq!(kind, ErrorKind::TlogBodyMismatch, "{msg}");
    assert!(
        !msg.contains("none of"),
        "only the named key is tried: {msg}"
    );
    let (kind, msg) = check(&forge, &hinted(&stranger), ARTIFACT, &both).unwrap_err();
    assert_eq!(kind, ErrorKind::Signature, "{msg}");
    assert!(msg.contains("names none of the keys supplied"), "{msg}");

    // Misuse: an empty keyring, an identity in a keyring.
    for bad in [vec![], vec![managed(&old), keyless()]] {
        let e = Policy::any_key(bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PolicyMisuse, "{e}");
    }
}

/// SPEC §7.2.2: a token's signingCertificateV2 attribute names the certificate
/// that signed it, by any SHA-2 hash; a token without the attribute is accepted
/// (RFC 5816 allows the SHA-1 form instead, and reference verifiers check neither).
#[test]
fn tsa_token_names_its_signer_certificate() {
    let key = Key::p256(61);
    for embeds_leaf in [true, false] {
        // Embedded in the token, or only pinned by the trusted root.
        let mut forge = Forge::new();
        forge.tsa_embeds_leaf = embeds_leaf;
        for named in [
            NamedTsaCert::Own,
            NamedTsaCert::OwnSha384,
            NamedTsaCert::OwnV1,
            NamedTsaCert::Absent,
        ] {
            forge.tsa_named_certs = vec![named];
            assert_keyless_ok(&forge, &key, Content::Message, ARTIFACT);
        }
        // A validly signed token that names another certificate (here the TSA
        // root, as if the TSA had signed for a certificate it no longer holds).
        // Both versions present: each must name the signer.
        forge.tsa_named_certs = vec![NamedTsaCert::Own, NamedTsaCert::OwnV1];
        assert_keyless_ok(&forge, &key, Content::Message, ARTIFACT);
        let other = forge.tsa_root.clone();
        let (v2_wrong, v1_wrong) = (
            "signingCertificateV2 attribute names another certificate: its sha256",
            "signingCertificate attribute names another certificate: its sha1",
        );
        for (named, attribute) in [
            (vec![NamedTsaCert::Other(other.clone())], v2_wrong),
            (vec![NamedTsaCert::OtherV1(other.clone())], v1_wrong),
            (
                vec![NamedTsaCert::Own, NamedTsaCert::OtherV1(other.clone())],
                v1_wrong,
            ),
            (
                vec![NamedTsaCert::Other(other.clone()), NamedTsaCert::OwnV1],
                v2_wrong,
            ),
        ] {
            forge.tsa_named_certs = named;
            let bundle = forge.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT);
            let (kind, msg) = check(&forge, &bundle, ARTIFACT, &keyless()).unwrap_err();
            assert_eq!(kind, ErrorKind::Timestamp, "{msg}");
            assert!(msg.contains(attribute), "{embeds_leaf}: {msg}");
        }
    }
}

/// Thresholds count parties, not entries (SPEC §6.8, §7.2 rule 7, §10.3): two
/// CT logs or two timestamp authorities of one stated operator, or two
/// authorities at one URI, count once, so one party cannot meet a threshold of
/// two alone.
#[test]
fn thresholds_count_each_party_once() {
    let mut forge = Forge::new();
    forge.add_ct_log();
    forge.add_tsa();
    let key = Key::p256(70);
    let bundle = forge.bundle(&key, Signing::Keyless, Content::Message, ARTIFACT);
    let mut two = Options::default();
    two.sct_threshold = 2;
    two.verified_time_threshold = 2;
    let verify =
        |root: &serde_json::Value| verify_under(root, two.clone(), &bundle, ARTIFACT, &keyless());
    // Distinct parties: both thresholds met.
    let root = forge.trusted_root();
    let v = verify(&root).unwrap();
    assert_eq!((v.scts.len(), v.verified_times.len()), (2, 2));
    // The two CT logs run by one operator.
    let mut one_ct_operator = root.clone();
    for log in one_ct_operator["ctlogs"].as_array_mut().unwrap() {
        log["operator"] = "ct.example".into();
    }
    let (kind, msg) = verify(&one_ct_operator).unwrap_err();
    assert_eq!(kind, ErrorKind::Sct, "{msg}");
    // The two timestamp authorities run by one operator, or at one URI.
    let mut one_tsa_operator = root.clone();
    for tsa in one_tsa_operator["timestampAuthorities"]
        .as_array_mut()
        .unwrap()
    {
        tsa["operator"] = "tsa.example".into();
    }
    let mut one_tsa_uri = root.clone();
    one_tsa_uri["timestampAuthorities"][1]["uri"] = Forge::tsa_uri(0).into();
    // One URI, though only one of the two states an operator.
    let mut one_uri_one_operator = one_tsa_uri.clone();
    one_uri_one_operator["timestampAuthorities"][0]["operator"] = "tsa.example".into();
    for root in [one_tsa_operator, one_tsa_uri, one_uri_one_operator] {
        let (kind, msg) = verify(&root).unwrap_err();
        assert_eq!(kind, ErrorKind::TimeWindow, "{msg}");
        assert!(
            msg.starts_with("time-window: 1 verified times, 2 required"),
            "{msg}"
        );
    }
    // Authorities without a URI are told apart by position.
    let mut no_uris = root.clone();
    for tsa in no_uris["timestampAuthorities"].as_array_mut().unwrap() {
        tsa["uri"] = "".into();
    }
    let v = verify(&no_uris).unwrap();
    assert_eq!(v.verified_times.len(), 2);
}

/// A count of verified SCTs below the threshold says why the others were
/// ignored (an unknown log, a timestamp outside the log's validFor).
#[test]
fn ignored_scts_are_explained() {
    let forge = Forge::new();
    let bundle = forge.bundle(&Key::p256(80), Signing::Keyless, Content::Message, ARTIFACT);
    let verify = |root: &serde_json::Value| {
        let (kind, msg) =
            verify_under(root, Options::default(), &bundle, ARTIFACT, &keyless()).unwrap_err();
        assert_eq!(kind, ErrorKind::Sct, "{msg}");
        msg
    };
    let mut unknown = forge.trusted_root();
    unknown["ctlogs"][0]["logId"]["keyId"] = forge::b64(&[7; 32]).into();
    let msg = verify(&unknown);
    assert!(msg.contains("ignored: SCT 0 is from log "), "{msg}");
    assert!(msg.ends_with("not a trusted CT log)"), "{msg}");
    let mut later = forge.trusted_root();
    later["ctlogs"][0]["publicKey"]["validFor"]["start"] = forge::rfc3339(SIGNED_AT).into();
    let msg = verify(&later);
    assert!(msg.contains("outside the log's validFor"), "{msg}");
}

/// A leaf with several SANs (another CA than Fulcio): the result names the SAN
/// the policy accepted, not merely the first one.
#[test]
fn result_names_the_san_that_matched() {
    let mut forge = Forge::new();
    let other = "https://github.com/someone-else/.github/workflows/x.yml@refs/heads/main";
    forge.leaf_sans = vec![other.to_string(), IDENTITY.to_string()];
    let bundle = forge.bundle(&Key::p256(90), Signing::Keyless, Content::Message, ARTIFACT);
    let v = check(&forge, &bundle, ARTIFACT, &keyless()).unwrap();
    let id = v.identity.as_ref().unwrap();
    assert_eq!(id.sans.len(), 2);
    assert_eq!((id.matched_san, id.san()), (1, IDENTITY));
    assert_eq!(v.to_json()["identity"]["san"], IDENTITY);
    let first = Policy::identity(other, ISSUER);
    let v = check(&forge, &bundle, ARTIFACT, &first).unwrap();
    assert_eq!(v.identity.as_ref().unwrap().san(), other);
}

/// The expected Rekor v2 origin is the host of the log's baseUrl, without a
/// port (as sigstore-go derives it); another host is still refused.
#[test]
fn rekor_v2_origin_ignores_the_port() {
    let forge = Forge::new();
    let bundle = forge.bundle(&Key::p256(95), Signing::Keyless, Content::Message, ARTIFACT);
    let verify = |base_url: &str| {
        let mut root = forge.trusted_root();
        root["tlogs"][0]["baseUrl"] = base_url.into();
        verify_under(&root, Options::default(), &bundle, ARTIFACT, &keyless()).map_err(|e| e.0)
    };
    verify("https://log.forge.test:443").unwrap();
    verify("https://log.forge.test:8443/api/v2").unwrap();
    assert_eq!(
        verify("https://other.forge.test").unwrap_err(),
        ErrorKind::Checkpoint
    );
}
