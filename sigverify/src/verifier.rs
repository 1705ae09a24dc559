//! The orchestrator: SPEC §1's pipeline, step by step, each step delegated to
//! the module that owns its rule.

use crate::artifact::Artifact;
use crate::bundle::{Bundle, BundleVersion, Content, SigningMaterial};
use crate::certificate::LeafCertificate;
use crate::chain::FulcioTrust;
use crate::crypto::{PublicKey, sha256};
use crate::error::{Error, Result, err};
use crate::policy::{ManagedKey, Policy};
use crate::result::{Mode, SignerIdentity, TimeSource, Verified, VerifiedTime};
use crate::sct;
use crate::signature::{dsse, message};
use crate::time::Timestamp;
use crate::timestamp::TimestampAuthorities;
use crate::tlog::{self, Signer};
use crate::trust_root::Parties;
use crate::trust_root::TrustedRoot;

/// Knobs of the verification policy. The defaults are what the conformance
/// suite and the public-good instance expect (SPEC §13).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Distinct transparency logs that must have verified an entry.
    pub tlog_threshold: usize,
    /// Distinct CT logs whose SCT must verify (keyless bundles).
    pub sct_threshold: usize,
    /// Verified times required for keyless bundles, and for managed keys with a
    /// validity window (which always need at least one).
    pub verified_time_threshold: usize,
    /// Accept v0.1 bundles (SET-only). The media type is attacker-chosen, so
    /// callers that never see v0.1 bundles should turn this off.
    pub allow_v0_1: bool,
    /// The clock for the "integrated time is not in the future" rule; `None`
    /// reads the system clock at each verification.
    pub now: Option<Timestamp>,
    /// Seconds an integrated time may lie ahead of `now`.
    pub future_tolerance_secs: i64,
    /// Size caps applied when this verifier parses bundle JSON
    /// ([`Verifier::verify_json`], `verify_many`).
    pub limits: crate::bundle::Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tlog_threshold: 1,
            sct_threshold: 1,
            verified_time_threshold: 1,
            allow_v0_1: true,
            now: None,
            future_tolerance_secs: 0,
            limits: crate::bundle::Limits::default(),
        }
    }
}

/// A trusted root prepared for verifying many bundles: immutable, `Send + Sync`.
pub struct Verifier {
    root: TrustedRoot,
    fulcio: FulcioTrust,
    tsas: TimestampAuthorities,
    options: Options,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Prepare `root` with default options.
    pub fn new(root: TrustedRoot) -> Result<Verifier> {
        Self::with_options(root, Options::default())
    }

    /// Prepare `root` with `options`: CA links and authority chains are checked once here.
    pub fn with_options(root: TrustedRoot, options: Options) -> Result<Verifier> {
        let fulcio = FulcioTrust::new(&root.certificate_authorities)?;
        let tsas = TimestampAuthorities::new(&root.timestamp_authorities)?;
        Ok(Verifier {
            root,
            fulcio,
            tsas,
            options,
        })
    }

    /// A verifier on the embedded Sigstore production root.
    pub fn production() -> Result<Verifier> {
        Self::embedded(TrustedRoot::production()?)
    }

    /// A verifier on the embedded Sigstore staging root.
    pub fn staging() -> Result<Verifier> {
        Self::embedded(TrustedRoot::staging()?)
    }

    /// For the embedded roots: their CA link signatures are verified by a unit test
    /// rather than at every start (cheap cold starts); all other checks run.
    fn embedded(root: TrustedRoot) -> Result<Verifier> {
        let fulcio = FulcioTrust::new_embedded(&root.certificate_authorities)?;
        let tsas = TimestampAuthorities::new(&root.timestamp_authorities)?;
        Ok(Verifier {
            root,
            fulcio,
            tsas,
            options: Options::default(),
        })
    }

    /// The trusted root this verifier uses.
    pub fn trusted_root(&self) -> &TrustedRoot {
        &self.root
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Parse `bundle_json` and verify it; see [`Verifier::verify`].
    pub fn verify_json(
        &self,
        bundle_json: &[u8],
        artifact: &Artifact,
        policy: &Policy,
    ) -> Result<Verified> {
        self.verify(
            &Bundle::from_json_with_limits(bundle_json, &self.options.limits)?,
            artifact,
            policy,
        )
    }

    /// Verify `bundle` over `artifact` under `policy` (SPEC §1).
    pub fn verify(
        &self,
        bundle: &Bundle,
        artifact: &Artifact,
        policy: &Policy,
    ) -> Result<Verified> {
        self.verify_with(bundle, Some(artifact), policy)
    }

    /// Verify a DSSE bundle without an artifact: every check of
    /// [`Verifier::verify`] except matching the in-toto subjects against an
    /// artifact (SPEC §11.3), which becomes the caller's job. The verified
    /// payload and statement are in the result
    /// ([`Verified::dsse_payload`], [`Verified::statement`]), and
    /// [`Verified::artifact_bound`] is `false`.
    ///
    /// A message-signature bundle signs nothing but the artifact, so it is
    /// refused with [`ErrorKind::PolicyMisuse`](crate::ErrorKind::PolicyMisuse).
    pub fn verify_dsse(&self, bundle: &Bundle, policy: &Policy) -> Result<Verified> {
        self.verify_with(bundle, None, policy)
    }

    /// Verify under `policy`; a keyring is narrowed to the keys the bundle can
    /// be signed by (SPEC §11.5), each then tried in turn.
    fn verify_with(
        &self,
        bundle: &Bundle,
        artifact: Option<&Artifact>,
        policy: &Policy,
    ) -> Result<Verified> {
        let keys: Vec<&ManagedKey> = match (policy, &bundle.material) {
            (Policy::PublicKeys(keys), SigningMaterial::PublicKey { hint }) if keys.len() > 1 => {
                // A hint that is a key fingerprint selects the key it names; other
                // hints say nothing (a single key is held to its hint by verify_one).
                match crate::encoding::b64_decode(hint) {
                    Ok(fp) if fp.len() == 32 => keys
                        .iter()
                        .filter(|k| sha256(k.key.spki_der())[..] == fp[..])
                        .collect(),
                    _ => keys.iter().collect(),
                }
            }
            // Identities, a single key, or a certificate bundle (refused for its mode).
            (Policy::PublicKeys(keys), _) => keys.iter().take(1).collect(),
            (Policy::Identities(_), _) => {
                return self.verify_one(bundle, artifact, policy, None, &mut false);
            }
        };
        // (key, error, whether a verified log entry had bound the bundle to the key)
        let mut failures: Vec<(&ManagedKey, Error, bool)> = Vec::new();
        for key in keys {
            let mut bound = false;
            match self.verify_one(bundle, artifact, policy, Some(key), &mut bound) {
                Ok(v) => return Ok(v),
                Err(e) => failures.push((key, e, bound)),
            }
        }
        match failures.as_slice() {
            [] => match policy {
                Policy::PublicKeys(keys) if keys.is_empty() => Err(err!(
                    PolicyMisuse,
                    "a managed-key policy needs at least one key"
                )),
                _ => Err(err!(
                    Signature,
                    "the bundle's public key hint names none of the keys supplied"
                )),
            },
            [(_, e, _)] => Err(e.clone()),
            [(_, first, _), ..] => {
                // The key a verified log entry is bound to fails for its own reason (a
                // window, a bad signature); the others fail as not being that key
                // (body mismatch, or an inclusion proof that does not hold for the
                // body rebuilt with them). Report the bound key's reason if there is
                // one, else the first, and list every key's.
                let kind = failures
                    .iter()
                    .find(|(_, _, bound)| *bound)
                    .map_or_else(|| first.kind(), |(_, e, _)| e.kind());
                let each: Vec<String> = failures
                    .iter()
                    .map(|(k, e, _)| {
                        format!(
                            "key sha256:{}: {}",
                            crate::encoding::hex_encode(&sha256(k.key.spki_der())),
                            e.message()
                        )
                    })
                    .collect();
                Err(Error::new(
                    kind,
                    format!(
                        "none of the {} keys verified the bundle: {}",
                        failures.len(),
                        each.join("; ")
                    ),
                ))
            }
        }
    }

    /// Verify under `policy`, with `key` the one managed key to use when it is a
    /// key policy. Sets `bound` once a verified log entry binds the bundle to
    /// the signing key, so that a keyring can tell a key that is not the
    /// bundle's from the bundle's key failing a later check.
    fn verify_one(
        &self,
        bundle: &Bundle,
        artifact: Option<&Artifact>,
        policy: &Policy,
        key: Option<&ManagedKey>,
        bound: &mut bool,
    ) -> Result<Verified> {
        if bundle.version == BundleVersion::V0_1 && !self.options.allow_v0_1 {
            return Err(err!(
                UnsupportedVersion,
                "v0.1 bundles are not allowed by this verifier's options"
            ));
        }

        // Step 2: the bundle's mode must match the policy's.
        let leaf = match (&bundle.material, policy) {
            (SigningMaterial::Certificate { leaf: der, extra }, Policy::Identities(_)) => {
                crate::chain::check_bundle_chain_extras(extra)?;
                Some(LeafCertificate::parse(der)?)
            }
            _ => None,
        };
        let (signer, signing_key): (Signer<'_>, &PublicKey) = match (
            &bundle.material,
            policy,
            &leaf,
        ) {
            (SigningMaterial::Certificate { leaf: der, .. }, Policy::Identities(_), Some(leaf)) => {
                (
                    Signer::Certificate {
                        leaf_der: der,
                        key: &leaf.public_key,
                    },
                    &leaf.public_key,
                )
            }
            (SigningMaterial::PublicKey { hint }, Policy::PublicKeys(_), _) => {
                let key = &key
                    .ok_or_else(|| {
                        err!(PolicyMisuse, "a managed-key policy needs at least one key")
                    })?
                    .key;
                check_key_hint(hint, key)?;
                (Signer::PublicKey { key }, key)
            }
            (SigningMaterial::PublicKey { .. }, Policy::Identities(_), _) => {
                return Err(err!(
                    PolicyMisuse,
                    "the bundle is signed with a managed key; verify it with that key, not an identity"
                ));
            }
            (SigningMaterial::Certificate { .. }, _, _) => {
                return Err(err!(
                    PolicyMisuse,
                    "the bundle is signed with a certificate; verify it with an identity, not a key"
                ));
            }
        };
        let now = self.options.now.unwrap_or_else(Timestamp::now);

        // Step 3: a wrong artifact is the most common failure; say so before anything costly.
        // A message signature covers nothing but the artifact, so it cannot go without one.
        let signed = match &bundle.content {
            Content::MessageSignature(m) => {
                let artifact = artifact.ok_or_else(|| {
                    err!(
                        PolicyMisuse,
                        "the bundle holds a message signature, which only an artifact can be \
                         checked against; verify it with the artifact"
                    )
                })?;
                message::check_message_digest(m, artifact)?;
                Signed::Message(m, artifact)
            }
            Content::Dsse(env) => Signed::Dsse(env),
        };

        // Step 4: transparency-log entries.
        let entries = tlog::verify_entries(bundle, &self.root.tlogs, &signer)?;
        *bound = !entries.is_empty();
        // Logs of one operator count once (SPEC §6.8): one compromised party must not meet a threshold alone.
        let mut logs = Parties::new();
        for e in &entries {
            logs.add(e.log_id.as_slice(), self.log_operator(&e.log_id));
        }
        if logs.count() < self.options.tlog_threshold {
            return Err(err!(
                Tlog,
                "{} of the required {} transparency logs verified an entry (entries from logs not in the trusted root count for nothing)",
                logs.count(),
                self.options.tlog_threshold
            ));
        }

        // `times` holds one time per source (what thresholds count); `checked` every
        // verified time, each of which the certificate must cover (SPEC §8.2 rule 2):
        // a second token from one authority must not slip past the validity check.
        let mut times: Vec<VerifiedTime> = Vec::new();
        let mut checked: Vec<VerifiedTime> = Vec::new();
        // Log times and TSA times are counted apart (each kind one per party).
        let mut log_times = Parties::new();
        let mut tsa_times = Parties::new();
        for e in &entries {
            let Some(t) = e.integrated_time else { continue };
            if t.unix_secs()
                > now
                    .unix_secs()
                    .saturating_add(self.options.future_tolerance_secs)
            {
                return Err(err!(
                    TimeWindow,
                    "integrated time {t} of log entry {} is in the future",
                    e.log_index
                ));
            }
            let vt = VerifiedTime {
                time: t,
                source: TimeSource::TransparencyLog {
                    log_id: e.log_id.clone(),
                    base_url: e.base_url.clone(),
                },
            };
            checked.push(vt.clone());
            if log_times.add(e.log_id.as_slice(), self.log_operator(&e.log_id)) {
                times.push(vt);
            }
        }

        // Step 5: RFC 3161 timestamps; every one present must verify.
        for (i, der) in bundle.rfc3161_timestamps.iter().enumerate() {
            let ts = self
                .tsas
                .verify(der, bundle.signature_bytes())
                .map_err(|e| e.context(format!("RFC 3161 timestamp {i}")))?;
            let vt = VerifiedTime {
                time: ts.time,
                source: TimeSource::TimestampAuthority {
                    index: ts.authority_index,
                    uri: ts.authority_uri,
                },
            };
            checked.push(vt.clone());
            // One per authority, by URI as sigstore-go counts (by position when
            // it has none), and authorities of one stated operator once.
            let (id, operator) = match self.root.timestamp_authorities.get(ts.authority_index) {
                Some(a) if !a.uri.is_empty() => (TsaId::Uri(&a.uri), a.operator.as_str()),
                Some(a) => (TsaId::Index(ts.authority_index), a.operator.as_str()),
                None => (TsaId::Index(ts.authority_index), ""),
            };
            if tsa_times.add(id, operator) {
                times.push(vt);
            }
        }
        // An entry without a verified SET (every Rekor v2 entry, and a Rekor v1 entry
        // proven by its inclusion proof alone) vouches for no time: its log's key must
        // have been valid at every verified time of the bundle, as the certificate
        // must. (With a SET, the SET check already held the key to the integrated
        // time.) A bundle with no verified time at all (a managed key without a
        // window) cannot show when a retired log key signed, so the key must be
        // trusted now.
        for e in entries.iter().filter(|e| !e.set_verified) {
            let Some(log) = self.root.tlogs.iter().find(|l| l.log_id == e.log_id) else {
                continue;
            };
            if let Some(vt) = checked.iter().find(|v| !log.valid_for.contains(v.time)) {
                return Err(err!(
                    TimeWindow,
                    "{} ({}) is outside the validity of log {} used by entry {}",
                    vt.time,
                    vt.source.describe(),
                    log.base_url,
                    e.log_index
                ));
            }
            if checked.is_empty() && leaf.is_none() && !log.valid_for.contains(now) {
                return Err(err!(
                    TimeWindow,
                    "log {} used by entry {} is not trusted now ({now}) and the bundle has no verified time at which it was",
                    log.base_url,
                    e.log_index
                ));
            }
        }

        // A managed key trusted for a window only: the bundle must show when it was
        // signed, inside that window, as a certificate must (SPEC §8.2 rule 5; §11.5).
        if let Some(window) = key.and_then(|k| k.valid_for) {
            check_key_window(
                &window,
                &times,
                &checked,
                self.options.verified_time_threshold,
            )?;
        }

        // Steps 6-7: certificate at every verified time, then SCTs. Past this
        // block a leaf has passed both (each failure returns).
        let mut scts = Vec::new();
        if let Some(leaf) = &leaf {
            if times.len() < self.options.verified_time_threshold {
                return Err(err!(
                    TimeWindow,
                    "{} verified times, {} required: a certificate bundle needs a signed entry timestamp or an RFC 3161 timestamp",
                    times.len(),
                    self.options.verified_time_threshold
                ));
            }
            let mut issuer_spki = None;
            // verify_at checks the leaf's own validity at each time (TimeWindow) as well
            // as the path; the memo spares re-verifying the same link signature.
            let mut memo = crate::chain::LinkMemo::default();
            for vt in &checked {
                let chain = self
                    .fulcio
                    .verify_at_memo(leaf, vt.time, &mut memo)
                    .map_err(|e| e.context(format!("at {} ({})", vt.time, vt.source.describe())))?;
                issuer_spki.get_or_insert(chain.issuer_spki_der);
            }
            let issuer_spki =
                issuer_spki.ok_or_else(|| err!(Chain, "no time to validate the certificate at"))?;
            let mut ignored = Vec::new();
            scts = sct::verify_embedded_scts_noting(
                leaf,
                &issuer_spki,
                &self.root.ctlogs,
                &mut ignored,
            )?;
            if scts.len() < self.options.sct_threshold {
                return Err(err!(
                    Sct,
                    "{} of the required {} certificate-transparency logs have a verified SCT for the certificate{}",
                    scts.len(),
                    self.options.sct_threshold,
                    if ignored.is_empty() {
                        String::new()
                    } else {
                        format!(" (ignored: {})", ignored.join("; "))
                    }
                ));
            }
        }

        // Step 8: the signature over the artifact.
        let statement = match signed {
            Signed::Message(m, artifact) => {
                message::verify_message_signature(m, signing_key, artifact)?;
                None
            }
            Signed::Dsse(env) => dsse::verify_dsse(env, signing_key, artifact)?,
        };

        // Step 9: identity policy. The key's facts are taken first: the leaf's
        // parts then move into the result (no copies).
        let key_fingerprint = crate::encoding::hex_encode(&sha256(signing_key.spki_der()));
        let key_type = signing_key.key_type();
        let (mode, signer_identity) = match leaf {
            Some(leaf) => {
                let (matched_policy, matched_san) = policy.check_identity(&leaf)?;
                let LeafCertificate {
                    der,
                    sans,
                    issuer,
                    extensions,
                    ..
                } = leaf;
                (
                    Mode::Keyless,
                    Some(SignerIdentity {
                        sans,
                        issuer,
                        extensions,
                        certificate_der: der,
                        matched_policy,
                        matched_san,
                    }),
                )
            }
            None => (Mode::PublicKey, None),
        };

        let dsse_payload = match &bundle.content {
            Content::Dsse(env) => Some((env.payload_type.clone(), env.payload.clone())),
            Content::MessageSignature(_) => None,
        };
        Ok(Verified {
            mode,
            bundle_version: bundle.version,
            identity: signer_identity,
            key_fingerprint,
            key_type,
            verified_times: times,
            tlog_entries: entries,
            scts,
            dsse_payload,
            statement,
            artifact_bound: artifact.is_some(),
        })
    }
}

/// What the bundle's signature covers, settled at step 3 and checked at step 8.
enum Signed<'a> {
    Message(&'a crate::bundle::MessageSignature, &'a Artifact),
    Dsse(&'a crate::bundle::DsseEnvelope),
}

/// Every verified time inside the managed key's `window`, and at least
/// `threshold` (never fewer than one) counted times.
fn check_key_window(
    window: &crate::time::TimeRange,
    counted: &[VerifiedTime],
    checked: &[VerifiedTime],
    threshold: usize,
) -> Result<()> {
    let describe = || {
        format!(
            "from {} to {}",
            window.start,
            window
                .end
                .map_or_else(|| "(open)".to_string(), |e| e.to_string())
        )
    };
    if counted.len() < threshold.max(1) {
        return Err(err!(
            TimeWindow,
            "{} verified times, {} required: the managed key is trusted {} only, and only a \
             signed entry timestamp or an RFC 3161 timestamp shows when the bundle was signed",
            counted.len(),
            threshold.max(1),
            describe()
        ));
    }
    if let Some(vt) = checked.iter().find(|vt| !window.contains(vt.time)) {
        return Err(err!(
            TimeWindow,
            "verified time {} ({}) is outside the managed key's validity, {}",
            vt.time,
            vt.source.describe(),
            describe()
        ));
    }
    Ok(())
}

/// SPEC §11.5: a hint shaped like a key fingerprint must name the caller's key.
fn check_key_hint(hint: &str, key: &PublicKey) -> Result<()> {
    if let Ok(bytes) = crate::encoding::b64_decode(hint)
        && bytes.len() == 32
        && bytes != sha256(key.spki_der())
    {
        return Err(err!(
            Signature,
            "the bundle's public key hint names a different key than the one supplied"
        ));
    }
    Ok(())
}

/// A timestamp authority's identity for counting: its URI, or its position in
/// the trusted root when it has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TsaId<'a> {
    Uri(&'a str),
    Index(usize),
}

impl Verifier {
    /// The stated operator of the trusted log with `log_id` ("" when none).
    fn log_operator(&self, log_id: &[u8]) -> &str {
        self.root
            .tlogs
            .iter()
            .find(|l| l.log_id == log_id)
            .map_or("", |l| l.operator.as_str())
    }
}
