//! Fulcio certificate chain validation (SPEC §9).
//!
//! Each trusted CA entry is prepared once in [`FulcioTrust::new`]: its
//! certificates are parsed, every internal link (`chain[i]` signed by
//! `chain[i+1]`) is verified and every CA constraint checked. Per bundle and
//! verified time, only the leaf → nearest-CA link remains: rustls-webpki checks
//! it with that CA certificate as the trust anchor and no intermediates, and we
//! check the full-precision validity windows and the leaf profile ourselves.
//! That is one signature verification per time instead of one per chain link.

use crate::certificate::{
    CertInfo, LeafCertificate, OID_BASIC_CONSTRAINTS, OID_EKU, OID_KEY_USAGE, OID_KP_CODE_SIGNING,
    OID_SAN, Profile,
};
use crate::crypto::webpki_algs::{KnownKey, with_known_keys};
use crate::crypto::{CryptoError, HashAlg, PublicKey, Scheme};
use crate::error::{Result, err};
use crate::time::{TimeRange, Timestamp};
use crate::trust_root::CertificateAuthority;
use der::asn1::ObjectIdentifier;
use pki_types::{CertificateDer, TrustAnchor, UnixTime};

/// anyExtendedKeyUsage (2.5.29.37.0).
const OID_ANY_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
/// RFC 6962 Precertificate Signing Certificate purpose.
const OID_KP_PRECERT_SIGNING: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.4");
/// subjectKeyIdentifier (2.5.29.14) and authorityKeyIdentifier (2.5.29.35): informational.
const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
/// nameConstraints (2.5.29.30): webpki enforces it on the trust anchor only.
use crate::certificate::OID_NAME_CONSTRAINTS;
/// codeSigning as DER OID contents, for webpki.
const CODE_SIGNING_DER: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];

/// The trusted Fulcio CAs, prepared once per verifier.
///
/// A CA entry whose certificates do not parse makes [`FulcioTrust::new`] fail. A CA
/// entry that parses but cannot be trusted (an internal link whose signature or names
/// do not chain, a certificate that is not a proper CA, an unknown critical extension,
/// an unsupported signature algorithm) is kept but marked unusable: it validates
/// nothing, and the reason appears in [`FulcioTrust::verify_at`]'s error. Dropping it
/// rather than rejecting the whole root keeps the other CAs of a root usable.
#[derive(Debug)]
pub struct FulcioTrust {
    cas: Vec<TrustedCa>,
}

#[derive(Debug)]
struct TrustedCa {
    valid_for: Option<TimeRange>,
    state: std::result::Result<PreparedCa, String>,
}

#[derive(Debug)]
struct PreparedCa {
    /// `chain[0]`, the CA nearest the leaf, as webpki's trust anchor.
    anchor: TrustAnchor<'static>,
    /// The anchor's key, parsed once: it verifies every leaf's signature.
    anchor_key: Option<KnownKey>,
    /// Raw DER subject of `chain[0]`, to skip entries that cannot have issued the leaf.
    subject: Vec<u8>,
    /// SPKI DER of the key whose hash goes into SCTs (§10.2).
    sct_issuer_spki: Vec<u8>,
    /// Validity of every certificate in the entry, nearest-to-leaf first.
    windows: Vec<(Timestamp, Timestamp)>,
}

/// Which CA entries already accepted one leaf's signature during one
/// verification (see [`FulcioTrust::verify_at_memo`]).
#[derive(Debug, Default)]
pub struct LinkMemo(Vec<usize>);

/// The outcome of a successful path validation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidatedChain {
    /// Index into the trusted root's `certificateAuthorities`.
    pub ca_index: usize,
    /// SPKI DER of the certificate that issued the leaf on the validated path (`chain[0]`
    /// of that CA entry), for the SCT `issuer_key_hash`. Should that certificate be an
    /// RFC 6962 precertificate-signing certificate, this is its own issuer's SPKI
    /// instead, as RFC 6962 §3.2 prescribes.
    pub issuer_spki_der: Vec<u8>,
}

impl FulcioTrust {
    /// Prepare the trusted Fulcio CAs: parse every certificate, verify each internal
    /// link once and check the CA constraints of SPEC §9.2 (3, 5).
    ///
    /// A certificate that does not parse gives [`ErrorKind::TrustedRoot`](crate::ErrorKind::TrustedRoot);
    /// constraint or link failures mark that CA entry unusable (see [`FulcioTrust`]).
    pub fn new(cas: &[CertificateAuthority]) -> Result<FulcioTrust> {
        Self::prepare_all(cas, true)
    }

    /// [`FulcioTrust::new`] for the trusted roots embedded in this crate, whose internal
    /// link signatures a unit test verifies (`embedded_root_links_verify`) instead of
    /// every process start: a cold `Verifier::production()` saves a P-384 verification
    /// (about 0.2 ms). Every other check of [`FulcioTrust::new`] still runs.
    pub(crate) fn new_embedded(cas: &[CertificateAuthority]) -> Result<FulcioTrust> {
        Self::prepare_all(cas, false)
    }

    fn prepare_all(cas: &[CertificateAuthority], verify_links: bool) -> Result<FulcioTrust> {
        let mut out = Vec::with_capacity(cas.len());
        for (i, ca) in cas.iter().enumerate() {
            let infos = ca
                .cert_chain
                .iter()
                .enumerate()
                .map(|(j, der)| {
                    CertInfo::parse(der).map_err(|e| {
                        err!(
                            TrustedRoot,
                            "certificateAuthorities[{i}] certificate {j}: {e}"
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            out.push(TrustedCa {
                valid_for: ca.valid_for,
                state: prepare(&infos, verify_links),
            });
        }
        Ok(FulcioTrust { cas: out })
    }

    /// Validate `leaf` → some trusted CA entry at time `t` (SPEC §9.2).
    ///
    /// Only CA entries whose `validFor` contains `t` and all of whose certificates
    /// are valid at `t` (inclusive, full precision) are used. Errors:
    /// * [`ErrorKind::TimeWindow`](crate::ErrorKind::TimeWindow): the leaf is not valid
    ///   at `t`, or the leaf does chain to a CA entry that is not valid at `t` (its
    ///   `validFor` or one of its certificates' validity excludes `t`);
    /// * [`ErrorKind::Chain`](crate::ErrorKind::Chain): the leaf profile is wrong (a CA,
    ///   no digitalSignature, no codeSigning EKU, an unknown critical extension), or no
    ///   usable CA entry issued it.
    pub fn verify_at(&self, leaf: &LeafCertificate, t: Timestamp) -> Result<ValidatedChain> {
        self.verify_at_memo(leaf, t, &mut LinkMemo::default())
    }

    /// [`FulcioTrust::verify_at`] for one of several times of the same
    /// verification: `memo` (one per leaf, fresh for each bundle) remembers which
    /// CA entries already accepted this leaf's signature, so the leaf → CA
    /// signature (a P-384 verify) is checked once per verification, not once per
    /// time. A signature and the certificates' contents do not depend on the
    /// time; what does (every validity window, at full precision) is still
    /// checked at each time, before any link.
    pub fn verify_at_memo(
        &self,
        leaf: &LeafCertificate,
        t: Timestamp,
        memo: &mut LinkMemo,
    ) -> Result<ValidatedChain> {
        if !leaf.valid_at(t) {
            return Err(err!(
                TimeWindow,
                "the signing certificate (valid {} to {}) is not valid at {t}",
                leaf.not_before,
                leaf.not_after
            ));
        }
        check_leaf_profile(&leaf.profile)?;
        let secs = u64::try_from(t.unix_secs())
            .map_err(|_| err!(TimeWindow, "time {t} is before 1970"))?;
        // Whole seconds suffice for webpki: the precise window checks are ours.
        let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs));
        let leaf_der = CertificateDer::from(leaf.der.as_slice());
        let ee = webpki::EndEntityCert::try_from(&leaf_der)
            .map_err(|e| err!(Chain, "the signing certificate is not acceptable: {e:?}"))?;
        let link = |p: &PreparedCa| {
            with_known_keys(p.anchor_key.as_slice(), |algs| {
                ee.verify_for_usage(
                    algs,
                    std::slice::from_ref(&p.anchor),
                    &[],
                    time,
                    webpki::KeyUsage::required(CODE_SIGNING_DER),
                    None,
                    None,
                )
                .map(|_| ())
            })
        };

        let mut reasons = Vec::new();
        let mut out_of_window = Vec::new();
        for (i, ca) in self.cas.iter().enumerate() {
            let p = match &ca.state {
                Ok(p) => p,
                Err(why) => {
                    reasons.push(format!("CA {i} is unusable ({why})"));
                    continue;
                }
            };
            if p.subject != leaf.profile.issuer_name {
                reasons.push(format!(
                    "CA {i} is not the certificate's issuer (name differs)"
                ));
                continue;
            }
            if let Some(why) = time_problem(ca, p, t) {
                out_of_window.push((i, p, why));
                continue;
            }
            let linked = memo.0.contains(&i)
                || match link(p) {
                    Ok(()) => {
                        memo.0.push(i);
                        true
                    }
                    Err(e) => {
                        reasons.push(format!("CA {i} rejected the certificate: {e:?}"));
                        false
                    }
                };
            if linked {
                return Ok(ValidatedChain {
                    ca_index: i,
                    issuer_spki_der: p.sct_issuer_spki.clone(),
                });
            }
        }
        // Failure path: tell a time problem apart from a wrong issuer.
        for (i, p, why) in &out_of_window {
            if link(p).is_ok() {
                return Err(err!(
                    TimeWindow,
                    "the signing certificate chains to CA {i}, but at {t} {why}"
                ));
            }
            reasons.push(format!("CA {i}: {why}"));
        }
        if self.cas.is_empty() {
            reasons.push("the trusted root has no certificate authorities".into());
        }
        Err(err!(
            Chain,
            "no trusted Fulcio CA issued the signing certificate at {t}: {}",
            reasons.join("; ")
        ))
    }
}

/// Why CA entry `ca` cannot be used at `t`, if it cannot.
fn time_problem(ca: &TrustedCa, p: &PreparedCa, t: Timestamp) -> Option<String> {
    if let Some(r) = ca.valid_for.as_ref().filter(|r| !r.contains(t)) {
        let end = r.end.map_or("open".to_string(), |e| e.to_string());
        return Some(format!("its validFor [{}, {end}] excludes it", r.start));
    }
    p.windows
        .iter()
        .enumerate()
        .find(|(_, (nb, na))| !(*nb <= t && t <= *na))
        .map(|(j, (nb, na))| format!("its certificate {j} (valid {nb} to {na}) is not valid"))
}

/// SPEC §9.2 rule 4 (and 5 for the leaf).
fn check_leaf_profile(p: &Profile) -> Result<()> {
    if !p.v3 {
        return Err(err!(Chain, "the signing certificate is not X.509 v3"));
    }
    if p.basic_constraints.as_ref().is_some_and(|(_, bc)| bc.ca) {
        return Err(err!(
            Chain,
            "the signing certificate is a CA (basicConstraints cA=TRUE)"
        ));
    }
    let ku = p
        .key_usage
        .as_ref()
        .ok_or_else(|| err!(Chain, "the signing certificate has no keyUsage"))?;
    if ku.key_cert_sign() {
        return Err(err!(
            Chain,
            "the signing certificate has keyUsage keyCertSign (a CA key)"
        ));
    }
    if !ku.digital_signature() {
        return Err(err!(
            Chain,
            "the signing certificate's keyUsage lacks digitalSignature"
        ));
    }
    if !p
        .eku
        .as_ref()
        .is_some_and(|e| e.contains(&OID_KP_CODE_SIGNING))
    {
        return Err(err!(
            Chain,
            "the signing certificate's extKeyUsage lacks codeSigning"
        ));
    }
    let handled = [OID_BASIC_CONSTRAINTS, OID_KEY_USAGE, OID_EKU, OID_SAN];
    if let Some(oid) = p.critical.iter().find(|o| !handled.contains(o)) {
        return Err(err!(
            Chain,
            "the signing certificate has an unknown critical extension {oid}"
        ));
    }
    Ok(())
}

/// Check one CA entry's certificates and links; the error says why it is unusable.
fn prepare(chain: &[CertInfo<'_>], verify_links: bool) -> std::result::Result<PreparedCa, String> {
    let first = chain.first().ok_or("empty certificate chain")?;
    for (i, c) in chain.iter().enumerate() {
        check_ca_profile(&c.profile, i).map_err(|e| format!("certificate {i}: {e}"))?;
    }
    for (i, pair) in chain.windows(2).enumerate() {
        if let [child, parent] = pair {
            if child.raw.issuer != parent.raw.subject {
                return Err(format!(
                    "certificate {i}'s issuer is not certificate {}'s subject",
                    i + 1
                ));
            }
            if verify_links {
                verify_issued_by(child, parent.raw.spki).map_err(|e| {
                    format!(
                        "certificate {i} is not signed by certificate {}: {e}",
                        i + 1
                    )
                })?;
            }
        }
    }
    let anchor_der = CertificateDer::from(first.der);
    let anchor = webpki::anchor_from_trusted_cert(&anchor_der)
        .map_err(|e| format!("certificate 0 is not usable as a trust anchor: {e:?}"))?
        .to_owned();
    let precert_signer = first
        .profile
        .eku
        .as_ref()
        .is_some_and(|e| e.contains(&OID_KP_PRECERT_SIGNING));
    let sct_issuer = match (precert_signer, chain.get(1)) {
        (true, Some(parent)) => parent,
        _ => first,
    };
    Ok(PreparedCa {
        anchor,
        anchor_key: KnownKey::from_spki_der(first.raw.spki),
        subject: first.raw.subject.to_vec(),
        sct_issuer_spki: sct_issuer.raw.spki.to_vec(),
        windows: chain.iter().map(|c| (c.not_before, c.not_after)).collect(),
    })
}

/// SPEC §9.2 rules 3 and 5 for the CA certificate at `depth` (0 = nearest the leaf,
/// so `depth` CA certificates lie between it and the leaf).
fn check_ca_profile(p: &Profile, depth: usize) -> std::result::Result<(), String> {
    if !p.v3 {
        return Err("not X.509 v3".into());
    }
    match &p.basic_constraints {
        Some((true, bc)) if bc.ca => {
            if let Some(len) = bc.path_len_constraint.filter(|l| usize::from(*l) < depth) {
                return Err(format!(
                    "pathLenConstraint {len} is exceeded by {depth} CA(s) below it"
                ));
            }
        }
        Some((false, _)) => return Err("basicConstraints is not critical".into()),
        _ => return Err("not a CA (basicConstraints cA is not TRUE)".into()),
    }
    if !p.key_usage.as_ref().is_some_and(|k| k.key_cert_sign()) {
        return Err("keyUsage lacks keyCertSign".into());
    }
    if p.eku
        .as_ref()
        .is_some_and(|e| !e.contains(&OID_KP_CODE_SIGNING) && !e.contains(&OID_ANY_EKU))
    {
        return Err("extKeyUsage allows neither codeSigning nor any purpose".into());
    }
    // webpki enforces nameConstraints only on its anchor, which is certificate 0.
    // Above it they would be ignored (a non-critical one silently), so such a CA
    // is refused rather than trusted more widely than its issuer allows.
    if depth > 0 && p.name_constraints {
        return Err("nameConstraints above the issuing CA certificate are not supported".into());
    }
    let mut handled = vec![
        OID_BASIC_CONSTRAINTS,
        OID_KEY_USAGE,
        OID_EKU,
        OID_SAN,
        OID_SKI,
        OID_AKI,
    ];
    if depth == 0 {
        handled.push(OID_NAME_CONSTRAINTS);
    }
    if let Some(oid) = p.critical.iter().find(|o| !handled.contains(o)) {
        return Err(format!("unknown critical extension {oid}"));
    }
    Ok(())
}

/// The scheme a certificate's signatureAlgorithm names.
fn signature_scheme(alg: &spki::AlgorithmIdentifierRef<'_>) -> std::result::Result<Scheme, String> {
    use HashAlg::*;
    let oid = alg.oid.to_string();
    let (scheme, params_allowed) = match oid.as_str() {
        "1.2.840.10045.4.3.2" => (Scheme::Ecdsa(Sha256), false),
        "1.2.840.10045.4.3.3" => (Scheme::Ecdsa(Sha384), false),
        "1.2.840.10045.4.3.4" => (Scheme::Ecdsa(Sha512), false),
        "1.2.840.113549.1.1.11" => (Scheme::RsaPkcs1(Sha256), true),
        "1.2.840.113549.1.1.12" => (Scheme::RsaPkcs1(Sha384), true),
        "1.2.840.113549.1.1.13" => (Scheme::RsaPkcs1(Sha512), true),
        "1.3.101.112" => (Scheme::Ed25519, false),
        _ => return Err(format!("unsupported signature algorithm {oid}")),
    };
    // ECDSA and Ed25519 take no parameters; RSA PKCS#1 v1.5 takes NULL (or none).
    match &alg.parameters {
        None => Ok(scheme),
        Some(p) if params_allowed && p.is_null() => Ok(scheme),
        Some(_) => Err(format!(
            "unexpected parameters for signature algorithm {oid}"
        )),
    }
}

/// Verify that `child` is signed by the key `issuer_spki`.
fn verify_issued_by(child: &CertInfo<'_>, issuer_spki: &[u8]) -> std::result::Result<(), String> {
    match signed_by(child, issuer_spki)? {
        true => Ok(()),
        false => Err(CryptoError::BadSignature.to_string()),
    }
}

/// Whether `child`'s signature verifies under `issuer_spki`: `Ok(false)` when
/// it does not, `Err` when it cannot be checked here (the two algorithm fields
/// disagree, or the algorithm or key is one this verifier does not support).
fn signed_by(child: &CertInfo<'_>, issuer_spki: &[u8]) -> std::result::Result<bool, String> {
    let alg = &child.signature_algorithm;
    if *alg != child.tbs_signature_algorithm {
        return Err("signatureAlgorithm differs from the TBS signature field".into());
    }
    let scheme = signature_scheme(alg)?;
    let sig = child
        .signature
        .as_bytes()
        .ok_or("signature is not whole bytes")?;
    let key = PublicKey::from_spki_der(issuer_spki).map_err(|e| e.to_string())?;
    match key.verify(scheme, child.raw.tbs, sig) {
        Ok(()) => Ok(true),
        Err(CryptoError::BadSignature) => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

/// SPEC §9.1: certificates the bundle carried besides the leaf are never used for
/// path building, but a self-signed one (subject = issuer and its own key verifies
/// its signature: a root) makes the bundle invalid ([`ErrorKind::Chain`](crate::ErrorKind::Chain)).
/// A self-issued certificate whose signature cannot be checked here (an algorithm
/// or key this verifier does not support) counts as self-signed: fail closed.
/// A certificate that does not parse is [`ErrorKind::Parse`](crate::ErrorKind::Parse).
pub fn check_bundle_chain_extras(extra: &[Vec<u8>]) -> Result<()> {
    for (i, der) in extra.iter().enumerate() {
        // Position in x509CertificateChain: the leaf is 0.
        let pos = i + 1;
        let c = CertInfo::parse(der)
            .map_err(|e| err!(Parse, "x509CertificateChain certificate {pos}: {e}"))?;
        // Self-issued, and its own key verifies it or nothing here can tell.
        if c.raw.issuer == c.raw.subject && signed_by(&c, c.raw.spki) != Ok(false) {
            return Err(err!(
                Chain,
                "x509CertificateChain certificate {pos} is self-signed (a root); bundles must not carry trust anchors"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::test_support::*;
    use crate::error::ErrorKind;
    use crate::trust_root::TrustedRoot;

    fn leaf_and_trust(name: &str) -> (LeafCertificate, FulcioTrust, crate::bundle::Bundle) {
        let (b, root) = case(name);
        let leaf = LeafCertificate::parse(&leaf_der(&b)).unwrap();
        let trust = FulcioTrust::new(&root.certificate_authorities).unwrap();
        (leaf, trust, b)
    }

    fn ca(chain: Vec<Vec<u8>>, valid_for: Option<TimeRange>) -> CertificateAuthority {
        CertificateAuthority {
            uri: String::new(),
            cert_chain: chain,
            valid_for,
            operator: String::new(),
        }
    }

    fn prod() -> TrustedRoot {
        TrustedRoot::production().unwrap()
    }

    #[test]
    fn happy_paths_validate() {
        for (name, expect_ca) in [
            ("happy-path-v0.1", 1),
            ("happy-path-v0.2", 1),
            ("happy-path-v0.3", 1),
            ("happy-path-intoto-in-dsse-v3", 1),
            ("intoto-with-custom-trust-root", 0),
            ("bundle-with-sct-with-extensions", 0),
            ("rekor2-happy-path", 0),
        ] {
            let (leaf, trust, b) = leaf_and_trust(name);
            let t = integrated_time(&b).unwrap_or(leaf.not_before);
            let v = trust
                .verify_at(&leaf, t)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v.ca_index, expect_ca, "{name}");
            // Both inclusive ends of the leaf's window work too.
            for t in [leaf.not_before, leaf.not_after] {
                trust
                    .verify_at(&leaf, t)
                    .unwrap_or_else(|e| panic!("{name} at {t}: {e}"));
            }
        }
    }

    #[test]
    fn custom_root_time_equal_to_not_before() {
        let (leaf, trust, b) = leaf_and_trust("intoto-with-custom-trust-root");
        assert_eq!(integrated_time(&b), Some(leaf.not_before));
        trust.verify_at(&leaf, leaf.not_before).unwrap();
    }

    #[test]
    fn issuer_spki_is_the_validated_parent() {
        let (leaf, trust, b) = leaf_and_trust("happy-path-v0.3");
        let v = trust
            .verify_at(&leaf, integrated_time(&b).unwrap())
            .unwrap();
        let root = prod();
        let intermediate = &root.certificate_authorities[1].cert_chain[0];
        let c = CertInfo::parse(intermediate).unwrap();
        assert_eq!(v.issuer_spki_der, c.raw.spki);
    }

    #[test]
    fn fractional_times_inside_the_window_validate() {
        let (leaf, trust, _) = leaf_and_trust("happy-path-v0.3");
        for t in [
            Timestamp::new(leaf.not_before.unix_secs(), 500_000_000).unwrap(),
            Timestamp::new(leaf.not_after.unix_secs() - 1, 999_999_999).unwrap(),
        ] {
            trust
                .verify_at(&leaf, t)
                .unwrap_or_else(|e| panic!("{t}: {e}"));
        }
    }

    /// A memo from a time the chain covers spares the link signature, never the
    /// time checks: other times are accepted or refused exactly as without it.
    #[test]
    fn link_memo_keeps_every_time_check() {
        let (leaf, trust, b) = leaf_and_trust("happy-path-v0.3");
        let t = integrated_time(&b).unwrap();
        let mut memo = LinkMemo::default();
        let first = trust.verify_at_memo(&leaf, t, &mut memo).unwrap();
        assert_eq!(memo.0, vec![first.ca_index]);
        assert_eq!(
            trust
                .verify_at_memo(&leaf, leaf.not_after, &mut memo)
                .unwrap(),
            first
        );
        for late in [
            Timestamp::new(leaf.not_after.unix_secs(), 1).unwrap(),
            Timestamp::from_unix(leaf.not_before.unix_secs() - 1),
        ] {
            let e = trust.verify_at_memo(&leaf, late, &mut memo).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TimeWindow, "{late}: {e}");
        }
        // A CA entry whose validFor excludes the time stays excluded, memo or not.
        let mut root = prod();
        let end = Timestamp::from_unix(t.unix_secs() + 1);
        let only = root.certificate_authorities[first.ca_index].clone();
        root.certificate_authorities = vec![CertificateAuthority {
            valid_for: Some(TimeRange {
                start: only.valid_for.unwrap().start,
                end: Some(end),
            }),
            ..only
        }];
        let narrow = FulcioTrust::new(&root.certificate_authorities).unwrap();
        let mut memo = LinkMemo::default();
        narrow.verify_at_memo(&leaf, t, &mut memo).unwrap();
        let e = narrow
            .verify_at_memo(&leaf, leaf.not_after, &mut memo)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TimeWindow, "{e}");
    }

    #[test]
    fn trust_is_shareable_across_threads() {
        fn check<T: Send + Sync>() {}
        check::<FulcioTrust>();
        check::<ValidatedChain>();
    }

    #[test]
    fn leaf_outside_validity_is_time_window() {
        let (leaf, trust, _) = leaf_and_trust("happy-path-v0.3");
        for t in [
            Timestamp::from_unix(leaf.not_after.unix_secs() + 1),
            Timestamp::new(leaf.not_after.unix_secs(), 1).unwrap(),
            Timestamp::from_unix(leaf.not_before.unix_secs() - 1),
        ] {
            let e = trust.verify_at(&leaf, t).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TimeWindow, "{t}: {e}");
        }
    }

    #[test]
    fn expired_certificate_case_is_time_window() {
        let (leaf, trust, b) = leaf_and_trust("intoto-expired-certificate_fail");
        let e = trust
            .verify_at(&leaf, integrated_time(&b).unwrap())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TimeWindow, "{e}");
    }

    #[test]
    fn wrong_instance_is_chain_error() {
        // A staging leaf against the production root: same issuer name, other key.
        let (leaf, trust, b) = leaf_and_trust("bundle-from-wrong-instance_fail");
        let e = trust
            .verify_at(&leaf, integrated_time(&b).unwrap())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain, "{e}");
        // And it does validate against staging's own CA for that period.
        let staging = TrustedRoot::staging().unwrap();
        let st = FulcioTrust::new(&staging.certificate_authorities).unwrap();
        st.verify_at(&leaf, integrated_time(&b).unwrap()).unwrap();
    }

    #[test]
    fn ca_entry_outside_valid_for_is_not_used() {
        let (leaf, _, b) = leaf_and_trust("happy-path-v0.3");
        let t = integrated_time(&b).unwrap();
        let chain = prod().certificate_authorities[1].cert_chain.clone();
        let before = Some(TimeRange {
            start: Timestamp::from_unix(0),
            end: Some(Timestamp::new(t.unix_secs() - 1, 999_999_999).unwrap()),
        });
        let after = Some(TimeRange {
            start: Timestamp::new(t.unix_secs(), 1).unwrap(),
            end: None,
        });
        let exact = Some(TimeRange {
            start: t,
            end: Some(t),
        });
        // Only windows that exclude t: the leaf chains, but not at t.
        let only_excluding =
            FulcioTrust::new(&[ca(chain.clone(), before), ca(chain.clone(), after)]).unwrap();
        let e = only_excluding.verify_at(&leaf, t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TimeWindow, "{e}");
        assert!(e.message().contains("validFor"), "{e}");
        // The entry whose window contains t (inclusive at both ends) is the one used.
        let trust = FulcioTrust::new(&[
            ca(chain.clone(), before),
            ca(chain.clone(), after),
            ca(chain, exact),
        ])
        .unwrap();
        assert_eq!(trust.verify_at(&leaf, t).unwrap().ca_index, 2);
    }

    #[test]
    fn ca_certificate_not_valid_at_t_is_time_window() {
        // Production CA entry 0 (the 2021 root alone) expires in 2031 but its subject does not
        // match; build an entry from the intoto mock CA whose certificate is valid only in 2023.
        let (leaf, trust, _) = leaf_and_trust("intoto-expired-certificate_fail");
        // The leaf is valid in 2030, the CA certificate only in 2023.
        let e = trust.verify_at(&leaf, leaf.not_before).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TimeWindow, "{e}");
        assert!(e.message().contains("certificate 0"), "{e}");
    }

    #[test]
    fn ca_in_leaf_position_is_rejected() {
        // The production intermediate is a real CA certificate signed by the production root:
        // only the leaf profile check can stop it.
        let root = prod();
        let entry = &root.certificate_authorities[1];
        let leaf = LeafCertificate::parse(&entry.cert_chain[0]).unwrap();
        let trust = FulcioTrust::new(&[ca(vec![entry.cert_chain[1].clone()], None)]).unwrap();
        let t = Timestamp::from_unix(leaf.not_before.unix_secs() + 86_400);
        let e = trust.verify_at(&leaf, t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain, "{e}");
        assert!(e.message().contains("is a CA"), "{e}");
    }

    #[test]
    fn leaf_profile_rules() {
        let mut p = Profile {
            v3: true,
            issuer_name: Vec::new(),
            basic_constraints: None,
            key_usage: Some(x509_cert::ext::pkix::KeyUsage(
                x509_cert::ext::pkix::KeyUsages::DigitalSignature.into(),
            )),
            eku: Some(vec![OID_KP_CODE_SIGNING]),
            critical: vec![OID_SAN, OID_KEY_USAGE],
            name_constraints: false,
        };
        check_leaf_profile(&p).unwrap();
        let bad = |f: &dyn Fn(&mut Profile), what: &str| {
            let mut q = p.clone();
            f(&mut q);
            let e = check_leaf_profile(&q).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Chain);
            assert!(e.message().contains(what), "{what}: {e}");
        };
        bad(&|q| q.v3 = false, "v3");
        bad(&|q| q.key_usage = None, "no keyUsage");
        bad(
            &|q| {
                q.key_usage = Some(x509_cert::ext::pkix::KeyUsage(
                    x509_cert::ext::pkix::KeyUsages::KeyEncipherment.into(),
                ))
            },
            "digitalSignature",
        );
        bad(
            &|q| {
                q.key_usage = Some(x509_cert::ext::pkix::KeyUsage(
                    x509_cert::ext::pkix::KeyUsages::DigitalSignature
                        | x509_cert::ext::pkix::KeyUsages::KeyCertSign,
                ))
            },
            "keyCertSign",
        );
        bad(&|q| q.eku = None, "codeSigning");
        bad(
            &|q| q.eku = Some(vec![ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1")]),
            "codeSigning",
        );
        bad(&|q| q.critical.push(OID_SKI), "unknown critical");
        p.basic_constraints = Some((
            true,
            x509_cert::ext::pkix::BasicConstraints {
                ca: false,
                path_len_constraint: None,
            },
        ));
        check_leaf_profile(&p).unwrap();
    }

    /// nameConstraints are enforced by webpki on certificate 0 (its anchor)
    /// only; anywhere above it, critical or not, the CA is refused.
    #[test]
    fn name_constraints_above_the_issuing_ca_are_refused() {
        let p = Profile {
            v3: true,
            issuer_name: Vec::new(),
            basic_constraints: Some((
                true,
                x509_cert::ext::pkix::BasicConstraints {
                    ca: true,
                    path_len_constraint: None,
                },
            )),
            key_usage: Some(x509_cert::ext::pkix::KeyUsage(
                x509_cert::ext::pkix::KeyUsages::KeyCertSign.into(),
            )),
            eku: None,
            critical: Vec::new(),
            name_constraints: true,
        };
        check_ca_profile(&p, 0).unwrap();
        let e = check_ca_profile(&p, 1).unwrap_err();
        assert!(e.contains("nameConstraints above"), "{e}");
        let mut critical = p.clone();
        critical.critical.push(OID_NAME_CONSTRAINTS);
        check_ca_profile(&critical, 0).unwrap();
        assert!(check_ca_profile(&critical, 2).is_err());
        let plain = Profile {
            name_constraints: false,
            ..p
        };
        check_ca_profile(&plain, 1).unwrap();
    }

    #[test]
    fn broken_ca_entries_are_unusable_not_fatal() {
        let root = prod();
        let (leaf, _, b) = leaf_and_trust("happy-path-v0.3");
        let t = integrated_time(&b).unwrap();
        let good = root.certificate_authorities[1].cert_chain.clone();
        // Intermediate paired with the other (2021-03) root: names chain, signature does not.
        let wrong_root = vec![
            good[0].clone(),
            root.certificate_authorities[0].cert_chain[0].clone(),
        ];
        // Root paired with an unrelated CA: names do not chain.
        let (_, mock) = case("intoto-with-custom-trust-root");
        let no_chain = vec![
            good[1].clone(),
            mock.certificate_authorities[0].cert_chain[0].clone(),
        ];
        // A leaf certificate posing as a CA.
        let (lb, _) = case("happy-path-v0.3");
        let not_ca = vec![leaf_der(&lb)];
        let trust = FulcioTrust::new(&[ca(wrong_root, None), ca(no_chain, None), ca(not_ca, None)])
            .unwrap();
        let e = trust.verify_at(&leaf, t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain, "{e}");
        let m = e.message();
        assert!(
            m.contains("CA 0 is unusable (certificate 0 is not signed by certificate 1"),
            "{m}"
        );
        assert!(
            m.contains("CA 1 is unusable (certificate 0's issuer is not certificate 1's subject"),
            "{m}"
        );
        assert!(
            m.contains("CA 2 is unusable (certificate 0: not a CA"),
            "{m}"
        );
        // The good entry next to the broken ones still works.
        let trust = FulcioTrust::new(&[ca(vec![b"x".to_vec()], None)]);
        assert_eq!(trust.unwrap_err().kind(), ErrorKind::TrustedRoot);
        let trust = FulcioTrust::new(&[
            ca(vec![good[0].clone(), good[0].clone()], None),
            ca(good, None),
        ])
        .unwrap();
        assert_eq!(trust.verify_at(&leaf, t).unwrap().ca_index, 1);
    }

    #[test]
    fn tampered_leaf_fails_signature() {
        let (b, root) = case("happy-path-v0.3");
        let t = integrated_time(&b).unwrap();
        let der = leaf_der(&b);
        let edited = edit_extension(&der, "1.3.6.1.4.1.57264.1.2", Some(b"push"));
        let leaf = LeafCertificate::parse(&edited).unwrap();
        let trust = FulcioTrust::new(&root.certificate_authorities).unwrap();
        let e = trust.verify_at(&leaf, t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain, "{e}");
    }

    #[test]
    fn empty_trust_is_chain_error() {
        let (leaf, _, b) = leaf_and_trust("happy-path-v0.3");
        let e = FulcioTrust::new(&[])
            .unwrap()
            .verify_at(&leaf, integrated_time(&b).unwrap())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain);
    }

    #[test]
    fn bundle_extras() {
        let (b, _) = case("bundle-with-root-cert_fail");
        let crate::bundle::SigningMaterial::Certificate { extra, .. } = &b.material else {
            panic!("certificate bundle expected")
        };
        assert_eq!(extra.len(), 2);
        let e = check_bundle_chain_extras(extra).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain, "{e}");
        assert!(e.message().contains("certificate 1"), "{e}");
        // The intermediate alone is fine, as is nothing.
        check_bundle_chain_extras(&extra[1..]).unwrap();
        check_bundle_chain_extras(&[]).unwrap();
        // Subject == issuer but its own key does not verify the signature: not self-signed.
        let mut root = extra[0].clone();
        check_bundle_chain_extras(std::slice::from_ref(&root)).unwrap_err();
        let last = root.len() - 1;
        root[last] ^= 0x01;
        check_bundle_chain_extras(&[root]).unwrap();
        let e = check_bundle_chain_extras(&[b"junk".to_vec()]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse);
        // The root re-labelled ecdsa-with-SHA224 (both algorithm fields), which
        // this verifier cannot check: still refused as a root.
        const SHA384: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
        let mut relabelled = extra[0].clone();
        let mut found = 0;
        for at in 0..relabelled.len() - SHA384.len() {
            if &relabelled[at..at + SHA384.len()] == SHA384 {
                relabelled[at + SHA384.len() - 1] = 0x01;
                found += 1;
            }
        }
        assert_eq!(found, 2);
        let e = check_bundle_chain_extras(&[relabelled]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain, "{e}");
        // Only the outer algorithm re-labelled: the two fields disagree, which
        // cannot be checked either.
        let mut one_field = extra[0].clone();
        let at = (0..one_field.len() - SHA384.len())
            .rev()
            .find(|&at| &one_field[at..at + SHA384.len()] == SHA384)
            .unwrap();
        one_field[at + SHA384.len() - 1] = 0x02;
        let e = check_bundle_chain_extras(&[one_field]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Chain, "{e}");
    }

    /// `FulcioTrust::new_embedded` skips only the link signatures, so it is sound only
    /// while every link of the embedded roots verifies: checked here, for both roots.
    #[test]
    fn embedded_root_links_verify() {
        for json in [
            crate::trust_root::PRODUCTION_JSON,
            crate::trust_root::STAGING_JSON,
        ] {
            let root = TrustedRoot::from_json(json).unwrap();
            let checked = FulcioTrust::new(&root.certificate_authorities).unwrap();
            for (i, ca) in checked.cas.iter().enumerate() {
                assert!(ca.state.is_ok(), "embedded CA {i}: {:?}", ca.state);
            }
            let skipped = FulcioTrust::new_embedded(&root.certificate_authorities).unwrap();
            assert_eq!(format!("{checked:?}"), format!("{skipped:?}"));
        }
        // And the skip really is only for the links: a broken link is caught by `new`.
        let root = prod();
        let mut chain = root.certificate_authorities[1].cert_chain.clone();
        chain.swap(0, 1);
        let broken = FulcioTrust::new(&[ca(chain, None)]).unwrap();
        assert!(broken.cas[0].state.is_err());
    }
}
