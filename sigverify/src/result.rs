//! What a successful verification established (SPEC §13).

use crate::bundle::BundleVersion;
use crate::certificate::{FulcioExtension, SubjectAltName};
use crate::crypto::KeyType;
use crate::encoding::{b64_encode, hex_encode};
use crate::sct::VerifiedSct;
use crate::signature::dsse::InTotoStatement;
use crate::time::Timestamp;
use crate::tlog::VerifiedEntry;
use serde_json::{Value, json};

/// How the signer was identified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A Fulcio certificate bound to an OIDC identity.
    Keyless,
    /// A caller-supplied public key.
    PublicKey,
}

impl Mode {
    /// `"keyless"` or `"public-key"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Keyless => "keyless",
            Mode::PublicKey => "public-key",
        }
    }
}

/// Who vouched for a verified time.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeSource {
    /// A Rekor v1 log's signed entry timestamp.
    TransparencyLog {
        /// The log's ID.
        log_id: Vec<u8>,
        /// The log's base URL.
        base_url: String,
    },
    /// An RFC 3161 timestamp authority.
    TimestampAuthority {
        /// Index in the trusted root's timestamp authorities.
        index: usize,
        /// The authority's URI.
        uri: String,
    },
}

impl TimeSource {
    /// `"transparency-log"` or `"timestamp-authority"`: the name the bindings and
    /// the CLI's JSON use. New sources get new names.
    pub fn kind(&self) -> &'static str {
        match self {
            TimeSource::TransparencyLog { .. } => "transparency-log",
            TimeSource::TimestampAuthority { .. } => "timestamp-authority",
        }
    }

    /// The source's URL: the log's base URL or the authority's URI.
    pub fn url(&self) -> &str {
        match self {
            TimeSource::TransparencyLog { base_url, .. } => base_url,
            TimeSource::TimestampAuthority { uri, .. } => uri,
        }
    }

    /// Short description, e.g. `transparency log https://rekor.sigstore.dev`.
    pub fn describe(&self) -> String {
        match self {
            TimeSource::TransparencyLog { base_url, .. } => format!("transparency log {base_url}"),
            TimeSource::TimestampAuthority { uri, .. } => format!("timestamp authority {uri}"),
        }
    }
}

/// A time vouched for by a trusted party and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedTime {
    /// The time.
    pub time: Timestamp,
    /// Who vouched for it.
    pub source: TimeSource,
}

/// The verified signer of a keyless bundle.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SignerIdentity {
    /// Subject Alternative Names of the certificate.
    pub sans: Vec<SubjectAltName>,
    /// The OIDC issuer.
    pub issuer: Option<String>,
    /// Every Fulcio claim extension of the certificate.
    pub extensions: Vec<FulcioExtension>,
    /// The leaf certificate, DER.
    pub certificate_der: Vec<u8>,
    /// Index of the policy identity that matched.
    pub matched_policy: usize,
    /// Index in `sans` of the SAN that identity accepted.
    pub matched_san: usize,
}

impl SignerIdentity {
    /// The SAN value the policy accepted (Fulcio certificates carry exactly one;
    /// a leaf from another CA may carry several, and this is the one that matched).
    pub fn san(&self) -> &str {
        self.sans
            .get(self.matched_san)
            .or(self.sans.first())
            .map_or("", crate::policy::san_value)
    }
}

/// The outcome of a successful verification.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Verified {
    /// Keyless or public key.
    pub mode: Mode,
    /// Bundle format version.
    pub bundle_version: BundleVersion,
    /// The signer, for keyless bundles.
    pub identity: Option<SignerIdentity>,
    /// Lowercase hex SHA-256 of the signing key's SubjectPublicKeyInfo.
    pub key_fingerprint: String,
    /// The signing key's type.
    pub key_type: KeyType,
    /// Every verified time, with its source.
    pub verified_times: Vec<VerifiedTime>,
    /// The log entries that verified.
    pub tlog_entries: Vec<VerifiedEntry>,
    /// The SCTs that verified (keyless).
    pub scts: Vec<VerifiedSct>,
    /// DSSE payload type and payload, for DSSE bundles.
    pub dsse_payload: Option<(String, Vec<u8>)>,
    /// The in-toto statement, when the DSSE payload is one.
    pub statement: Option<InTotoStatement>,
    /// Whether an artifact was checked: `false` only after
    /// [`Verifier::verify_dsse`](crate::Verifier::verify_dsse), whose caller
    /// must match the statement's subjects to what it holds.
    pub artifact_bound: bool,
}

impl Verified {
    /// The whole result as JSON (stable field names).
    pub fn to_json(&self) -> Value {
        let identity = self.identity.as_ref().map(|id| {
            json!({
                "san": id.san(),
                "sans": id.sans.iter().map(|s| {
                    let (kind, v) = match s {
                        SubjectAltName::Uri(v) => ("uri", v),
                        SubjectAltName::Email(v) => ("email", v),
                        SubjectAltName::OtherName(v) => ("otherName", v),
                    };
                    json!({"type": kind, "value": v})
                }).collect::<Vec<_>>(),
                "issuer": id.issuer,
                "extensions": id.extensions.iter().map(|e| json!({"oid": e.oid, "name": e.name, "value": e.value})).collect::<Vec<_>>(),
                "certificate": b64_encode(&id.certificate_der),
            })
        });
        json!({
            "verified": true,
            "artifactBound": self.artifact_bound,
            "mode": self.mode.as_str(),
            "bundleVersion": self.bundle_version.as_str(),
            "identity": identity,
            "key": {"type": self.key_type.name(), "sha256": self.key_fingerprint},
            "verifiedTimes": self.verified_times.iter().map(|t| {
                let (kind, url) = match &t.source {
                    TimeSource::TransparencyLog { base_url, .. } => ("transparency-log", base_url),
                    TimeSource::TimestampAuthority { uri, .. } => ("timestamp-authority", uri),
                };
                json!({"time": t.time.to_rfc3339(), "source": kind, "url": url})
            }).collect::<Vec<_>>(),
            "tlogEntries": self.tlog_entries.iter().map(|e| json!({
                "logId": b64_encode(&e.log_id),
                "logIndex": e.log_index,
                "kind": e.kind,
                "version": e.version,
                "log": e.base_url,
                "integratedTime": e.integrated_time.map(|t| t.to_rfc3339()),
                "rekorV2": e.rekor_v2,
            })).collect::<Vec<_>>(),
            "scts": self.scts.iter().map(|s| json!({"logId": b64_encode(&s.log_id), "time": s.timestamp.to_rfc3339()})).collect::<Vec<_>>(),
            "dsse": self.dsse_payload.as_ref().map(|(t, p)| json!({"payloadType": t, "payloadSha256": hex_encode(&crate::crypto::sha256(p))})),
            "statement": self.statement.as_ref().map(|s| json!({
                "type": s.statement_type,
                "predicateType": s.predicate_type,
                "subjects": s.subjects.iter().map(|sub| json!({
                    "name": sub.name,
                    "digest": sub.digests.iter().map(|(a, h)| (a.clone(), Value::String(h.clone()))).collect::<serde_json::Map<_, _>>(),
                })).collect::<Vec<_>>(),
            })),
        })
    }
}
