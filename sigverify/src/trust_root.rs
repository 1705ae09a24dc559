//! The trusted root (`trusted_root.json`, SPEC §4): Fulcio CAs, Rekor logs, CT
//! logs and timestamp authorities, each with its validity window.

use crate::crypto::{HashAlg, KeyType, PublicKey, Scheme};
use crate::error::{Result, err};
use crate::json;
use crate::time::{TimeRange, Timestamp};
use serde::Deserialize;

/// The embedded Sigstore public-good (production) trusted root, as JSON.
pub const PRODUCTION_JSON: &[u8] = include_bytes!("../trust/production_trusted_root.json");
/// The embedded Sigstore staging trusted root, as JSON.
pub const STAGING_JSON: &[u8] = include_bytes!("../trust/staging_trusted_root.json");

/// Largest trusted root accepted, in bytes.
pub const MAX_TRUSTED_ROOT_BYTES: usize = 4 << 20;

/// Whether a trusted root of `len` bytes of JSON is within
/// [`MAX_TRUSTED_ROOT_BYTES`]: the check [`TrustedRoot::from_json`] makes first,
/// for callers that know a document's size before they have its bytes.
pub fn check_trusted_root_len(len: usize) -> Result<()> {
    crate::error::check_size("trusted root", len, MAX_TRUSTED_ROOT_BYTES)
}

/// Most entries accepted in any one list of the trusted root.
pub const MAX_TRUSTED_ROOT_ENTRIES: usize = 256;
/// Most certificates accepted in one authority's `certChain`.
pub const MAX_CA_CERTIFICATES: usize = 32;
/// Deepest JSON nesting accepted in a trusted root (a valid one nests 6 levels).
pub const MAX_TRUSTED_ROOT_DEPTH: usize = 32;

const MEDIA_TYPES: [&str; 3] = [
    "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    "application/vnd.dev.sigstore.trustedroot.v0.1+json",
    "application/vnd.dev.sigstore.trustedroot.v0.2+json",
];

/// A parsed, validated trusted root. Cloning is cheap enough to build several verifiers.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TrustedRoot {
    /// Rekor transparency logs (v1 and v2).
    pub tlogs: Vec<TransparencyLog>,
    /// Certificate-transparency logs, for SCTs.
    pub ctlogs: Vec<TransparencyLog>,
    /// Fulcio certificate authorities.
    pub certificate_authorities: Vec<CertificateAuthority>,
    /// RFC 3161 timestamp authorities.
    pub timestamp_authorities: Vec<CertificateAuthority>,
}

/// A Rekor or CT log instance.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TransparencyLog {
    /// Base URL, e.g. `https://rekor.sigstore.dev` (its host is a Rekor v2 checkpoint origin).
    pub base_url: String,
    /// 32-byte log ID (SPEC §4.6).
    pub log_id: Vec<u8>,
    /// Checkpoint key ID, when the root states it (v0.2 roots).
    pub checkpoint_key_id: Option<Vec<u8>>,
    /// The `keyDetails` name as written.
    pub key_details: String,
    /// The verification key; `None` when `keyDetails` names a well-formed but
    /// unsupported algorithm (such a log can verify nothing).
    pub key: Option<LogKey>,
    /// When the key may be used.
    pub valid_for: TimeRange,
    /// Operator, if stated; logs of one operator count once toward thresholds.
    pub operator: String,
}

/// A log's public key together with the signature scheme its `keyDetails` implies.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LogKey {
    /// The parsed key.
    pub key: PublicKey,
    /// How this log signs (e.g. ECDSA P-256 with SHA-256, pure Ed25519).
    pub scheme: Scheme,
}

/// A Fulcio CA or RFC 3161 timestamp authority.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CertificateAuthority {
    /// URI, informational.
    pub uri: String,
    /// DER certificates, nearest-to-leaf first; the last one is the trust anchor.
    pub cert_chain: Vec<Vec<u8>>,
    /// When the authority may be used; `None` means unrestricted.
    pub valid_for: Option<TimeRange>,
    /// Operator, if stated.
    pub operator: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRoot {
    media_type: String,
    #[serde(default, deserialize_with = "logs")]
    tlogs: Vec<RawLog>,
    #[serde(default, deserialize_with = "authorities")]
    certificate_authorities: Vec<RawCa>,
    #[serde(default, deserialize_with = "logs")]
    ctlogs: Vec<RawLog>,
    #[serde(default, deserialize_with = "authorities")]
    timestamp_authorities: Vec<RawCa>,
}

// Counts are capped while the lists are read (see `json::capped_vec`).
// Every message is read from a JSON object only (`json::Obj`), as in bundles:
// serde's derive would also take an array, field by field.
fn logs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<RawLog>, D::Error> {
    json::nullable_capped_objects(d, MAX_TRUSTED_ROOT_ENTRIES, "transparency logs")
}

fn authorities<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<RawCa>, D::Error> {
    json::nullable_capped_objects(d, MAX_TRUSTED_ROOT_ENTRIES, "authorities")
}

fn chain<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<RawCert>, D::Error> {
    json::nullable_capped_objects(d, MAX_CA_CERTIFICATES, "certificates in a certChain")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog {
    #[serde(default, deserialize_with = "json::nullable_string")]
    base_url: String,
    #[serde(default)]
    hash_algorithm: Option<String>,
    #[serde(default, deserialize_with = "json::opt_object")]
    public_key: Option<RawPublicKey>,
    #[serde(default, deserialize_with = "json::opt_object")]
    log_id: Option<RawLogId>,
    #[serde(default, deserialize_with = "json::opt_object")]
    checkpoint_key_id: Option<RawLogId>,
    #[serde(default, deserialize_with = "json::nullable_string")]
    operator: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPublicKey {
    #[serde(default, deserialize_with = "json::opt_bytes")]
    raw_bytes: Option<Vec<u8>>,
    #[serde(default)]
    key_details: Option<String>,
    #[serde(default, deserialize_with = "json::opt_object")]
    valid_for: Option<RawTimeRange>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLogId {
    #[serde(default, deserialize_with = "json::opt_bytes")]
    key_id: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTimeRange {
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCa {
    #[serde(default, deserialize_with = "json::nullable_string")]
    uri: String,
    #[serde(default, deserialize_with = "json::opt_object")]
    cert_chain: Option<RawChain>,
    #[serde(default, deserialize_with = "json::opt_object")]
    valid_for: Option<RawTimeRange>,
    #[serde(default, deserialize_with = "json::nullable_string")]
    operator: String,
}

#[derive(Deserialize)]
struct RawChain {
    #[serde(default, deserialize_with = "chain")]
    certificates: Vec<RawCert>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCert {
    #[serde(default, deserialize_with = "json::opt_bytes")]
    raw_bytes: Option<Vec<u8>>,
}

impl TrustedRoot {
    /// The embedded Sigstore production trusted root.
    pub fn production() -> Result<TrustedRoot> {
        Self::from_json(PRODUCTION_JSON)
    }

    /// The embedded Sigstore staging trusted root.
    pub fn staging() -> Result<TrustedRoot> {
        Self::from_json(STAGING_JSON)
    }

    /// Parse and validate a trusted root from JSON bytes.
    ///
    /// Documents over [`MAX_TRUSTED_ROOT_BYTES`] give
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) (see [`check_trusted_root_len`]).
    pub fn from_json(bytes: &[u8]) -> Result<TrustedRoot> {
        check_trusted_root_len(bytes.len())?;
        if !json::depth_within(bytes, MAX_TRUSTED_ROOT_DEPTH) {
            return Err(err!(
                Limit,
                "trusted root JSON nests deeper than {MAX_TRUSTED_ROOT_DEPTH} levels"
            ));
        }
        let json::Obj(raw) = serde_json::from_slice::<json::Obj<RawRoot>>(bytes).map_err(|e| {
            if json::is_limit(&e.to_string()) {
                err!(Limit, "trusted root: {e}")
            } else {
                err!(TrustedRoot, "trusted root is not valid JSON: {e}")
            }
        })?;
        if !MEDIA_TYPES.contains(&raw.media_type.as_str()) {
            return Err(err!(
                TrustedRoot,
                "unsupported trusted root media type {:?}",
                crate::error::excerpt(&raw.media_type)
            ));
        }
        let logs = |list: Vec<RawLog>, what: &str| -> Result<Vec<TransparencyLog>> {
            list.into_iter()
                .enumerate()
                .map(|(i, l)| parse_log(l).map_err(|e| e.context(format!("{what}[{i}]"))))
                .collect()
        };
        let cas = |list: Vec<RawCa>, what: &str| -> Result<Vec<CertificateAuthority>> {
            list.into_iter()
                .enumerate()
                .map(|(i, c)| parse_ca(c).map_err(|e| e.context(format!("{what}[{i}]"))))
                .collect()
        };
        Ok(TrustedRoot {
            tlogs: logs(raw.tlogs, "tlogs")?,
            ctlogs: logs(raw.ctlogs, "ctlogs")?,
            certificate_authorities: cas(raw.certificate_authorities, "certificateAuthorities")?,
            timestamp_authorities: cas(raw.timestamp_authorities, "timestampAuthorities")?,
        })
    }
}

fn parse_time(s: &Option<String>, what: &str) -> Result<Option<Timestamp>> {
    match s {
        None => Ok(None),
        Some(s) => Timestamp::parse_rfc3339(s).map(Some).ok_or_else(|| {
            err!(
                TrustedRoot,
                "{what} {:?} is not an RFC 3339 time",
                crate::error::excerpt(s)
            )
        }),
    }
}

fn parse_range(r: &RawTimeRange) -> Result<TimeRange> {
    let start = parse_time(&r.start, "validFor.start")?
        .ok_or_else(|| err!(TrustedRoot, "validFor has no start"))?;
    let end = parse_time(&r.end, "validFor.end")?;
    if end.is_some_and(|e| e < start) {
        return Err(err!(TrustedRoot, "validFor ends before it starts"));
    }
    Ok(TimeRange { start, end })
}

/// What a `keyDetails` name means for a log key.
enum KeyDetails {
    /// Supported: the expected key type (None = any RSA), whether `rawBytes` is PKCS#1, and the hash.
    Supported {
        ec: Option<KeyType>,
        rsa: bool,
        pkcs1: bool,
        hash: HashAlg,
    },
    /// Well-formed but unsupported: the log is skipped.
    Unsupported,
}

fn key_details(name: &str) -> Result<KeyDetails> {
    use HashAlg::*;
    let ec = |k, hash| KeyDetails::Supported {
        ec: Some(k),
        rsa: false,
        pkcs1: false,
        hash,
    };
    let rsa = |pkcs1| KeyDetails::Supported {
        ec: None,
        rsa: true,
        pkcs1,
        hash: Sha256,
    };
    Ok(match name {
        "PKIX_ECDSA_P256_SHA_256" | "PKIX_ECDSA_P256_HMAC_SHA_256" => {
            ec(KeyType::EcdsaP256, Sha256)
        }
        "PKIX_ECDSA_P384_SHA_384" => ec(KeyType::EcdsaP384, Sha384),
        "PKIX_ECDSA_P521_SHA_512" => ec(KeyType::EcdsaP521, Sha512),
        "PKIX_ECDSA_P384_SHA_256" => ec(KeyType::EcdsaP384, Sha256),
        "PKIX_ECDSA_P521_SHA_256" => ec(KeyType::EcdsaP521, Sha256),
        "PKIX_ED25519" => ec(KeyType::Ed25519, Sha512),
        "PKIX_RSA_PKCS1V15_2048_SHA256"
        | "PKIX_RSA_PKCS1V15_3072_SHA256"
        | "PKIX_RSA_PKCS1V15_4096_SHA256"
        | "PKIX_RSA_PKCS1V5" => rsa(false),
        "PKCS1_RSA_PKCS1V5" => rsa(true),
        "PUBLIC_KEY_DETAILS_UNSPECIFIED" | "" => {
            return Err(err!(TrustedRoot, "keyDetails is unspecified"));
        }
        _ => KeyDetails::Unsupported,
    })
}

fn parse_log(raw: RawLog) -> Result<TransparencyLog> {
    // Absent is protobuf's default, HASH_ALGORITHM_UNSPECIFIED: refused too.
    match raw.hash_algorithm.as_deref() {
        Some("SHA2_256") => {}
        Some(h) => {
            return Err(err!(
                TrustedRoot,
                "log hashAlgorithm {:?} is not SHA2_256",
                crate::error::excerpt(h)
            ));
        }
        None => {
            return Err(err!(
                TrustedRoot,
                "log has no hashAlgorithm (SHA2_256 required)"
            ));
        }
    }
    let log_id = raw
        .log_id
        .and_then(|l| l.key_id)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| err!(TrustedRoot, "log has no logId.keyId"))?;
    let checkpoint_key_id = raw
        .checkpoint_key_id
        .and_then(|k| k.key_id)
        .filter(|k| !k.is_empty());
    let pk = raw
        .public_key
        .ok_or_else(|| err!(TrustedRoot, "log has no publicKey"))?;
    let valid_for = parse_range(
        pk.valid_for
            .as_ref()
            .ok_or_else(|| err!(TrustedRoot, "log publicKey has no validFor"))?,
    )?;
    let details = pk.key_details.clone().unwrap_or_default();
    let raw_key = pk
        .raw_bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| err!(TrustedRoot, "log publicKey has no rawBytes"))?;
    let key = match key_details(&details)? {
        KeyDetails::Unsupported => None,
        KeyDetails::Supported {
            ec,
            rsa,
            pkcs1,
            hash,
        } => {
            let key = if pkcs1 {
                PublicKey::from_pkcs1_rsa_der(&raw_key)
            } else {
                PublicKey::from_spki_der(&raw_key)
            }
            .map_err(|e| err!(TrustedRoot, "log key ({details}): {e}"))?;
            let fits = match key.key_type() {
                KeyType::Rsa(_) => rsa,
                k => ec == Some(k),
            };
            if !fits {
                return Err(err!(
                    TrustedRoot,
                    "log key is {} but keyDetails says {details}",
                    key.key_type().name()
                ));
            }
            let scheme = Scheme::with_hash(key.key_type(), hash);
            Some(LogKey { key, scheme })
        }
    };
    Ok(TransparencyLog {
        base_url: raw.base_url,
        log_id,
        checkpoint_key_id,
        key_details: details,
        key,
        valid_for,
        operator: raw.operator,
    })
}

fn parse_ca(raw: RawCa) -> Result<CertificateAuthority> {
    let cert_chain: Vec<Vec<u8>> = raw
        .cert_chain
        .map(|c| c.certificates)
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.raw_bytes.filter(|b| !b.is_empty()))
        .collect::<Option<_>>()
        .ok_or_else(|| err!(TrustedRoot, "certificate without rawBytes"))?;
    if cert_chain.is_empty() {
        return Err(err!(TrustedRoot, "authority has an empty certChain"));
    }
    let valid_for = raw.valid_for.as_ref().map(parse_range).transpose()?;
    Ok(CertificateAuthority {
        uri: raw.uri,
        cert_chain,
        valid_for,
        operator: raw.operator,
    })
}

impl TransparencyLog {
    /// The 4-byte key ID used in checkpoint signature lines.
    pub fn checkpoint_key_hint(&self) -> Option<[u8; 4]> {
        let id = self.checkpoint_key_id.as_deref().unwrap_or(&self.log_id);
        id.get(..4).and_then(|s| s.try_into().ok())
    }

    /// Host of `base_url`: the expected Rekor v2 checkpoint origin. As
    /// sigstore-go derives it (Go's `URL.Hostname`): no user info, no port, an
    /// IPv6 literal without its brackets (SPEC §6.7.2, §16 item 1).
    pub fn origin(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => host.split(':').next().unwrap_or(host),
        }
    }
}

/// Who has vouched so far, for a threshold (SPEC §6.8, §7.2 rule 7, §10.3):
/// sources that share an identity `K` (a log ID, a TSA URI) or a stated
/// operator are one party, so one party cannot meet a threshold alone.
#[derive(Debug)]
pub(crate) struct Parties<'a, K> {
    ids: Vec<K>,
    operators: Vec<&'a str>,
    count: usize,
}

impl<'a, K: PartialEq> Parties<'a, K> {
    pub(crate) fn new() -> Self {
        Parties {
            ids: Vec::new(),
            operators: Vec::new(),
            count: 0,
        }
    }

    /// Record a verified source with identity `id` and `operator` (empty when
    /// the trusted root names none); whether it is a party not counted before.
    pub(crate) fn add(&mut self, id: K, operator: &'a str) -> bool {
        let known =
            self.ids.contains(&id) || (!operator.is_empty() && self.operators.contains(&operator));
        self.ids.push(id);
        if !operator.is_empty() {
            self.operators.push(operator);
        }
        if !known {
            self.count += 1;
        }
        !known
    }

    /// How many distinct parties were recorded.
    pub(crate) fn count(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn parties_share_identities_and_operators() {
        let mut p = Parties::new();
        assert!(p.add("a", ""));
        assert!(!p.add("a", "")); // the same source again
        assert!(p.add("b", "op"));
        assert!(!p.add("c", "op")); // another source of that operator
        assert!(!p.add("a", "op2")); // a known source under a new operator name...
        assert!(!p.add("d", "op2")); // ...which now counts as met
        assert!(p.add("e", "")); // no operator: never merged by operator
        assert_eq!(p.count(), 3);
    }

    #[test]
    fn embedded_roots_parse() {
        let p = TrustedRoot::production().unwrap();
        assert_eq!(p.tlogs.len(), 2);
        assert_eq!(p.certificate_authorities.len(), 2);
        assert!(p.tlogs.iter().all(|l| l.key.is_some()));
        assert_eq!(p.tlogs[1].origin(), "log2025-1.rekor.sigstore.dev");
        let with = |url: &str| TransparencyLog {
            base_url: url.into(),
            ..p.tlogs[1].clone()
        };
        for (url, origin) in [
            ("https://log.example:443", "log.example"),
            ("https://log.example:8080/api/v2?x#y", "log.example"),
            ("http://user@localhost:3003", "localhost"),
            ("https://[::1]:3000/", "::1"),
            ("log.example", "log.example"),
        ] {
            assert_eq!(with(url).origin(), origin, "{url}");
        }
        let s = TrustedRoot::staging().unwrap();
        assert!(!s.tlogs.is_empty());
    }

    fn root_with_tlog_valid_for(valid_for: &str) -> String {
        format!(
            r#"{{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs":[{{"baseUrl":"https://x","hashAlgorithm":"SHA2_256",
            "publicKey":{{"rawBytes":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==",
            "keyDetails":"PKIX_ECDSA_P256_SHA_256"{valid_for}}},
            "logId":{{"keyId":"wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="}}}}]}}"#
        )
    }

    #[test]
    fn validity_start_is_required() {
        let ok = root_with_tlog_valid_for(r#","validFor":{"start":"2021-01-12T11:53:27Z"}"#);
        assert!(TrustedRoot::from_json(ok.as_bytes()).is_ok());
        for bad in [
            r#","validFor":{}"#,
            "",
            r#","validFor":{"start":"yesterday"}"#,
        ] {
            let e = TrustedRoot::from_json(root_with_tlog_valid_for(bad).as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TrustedRoot, "{bad}: {e}");
        }
    }

    #[test]
    fn rejects_bad_media_type_and_json() {
        let e = TrustedRoot::from_json(br#"{"mediaType":"x"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TrustedRoot);
        let e = TrustedRoot::from_json(b"{").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TrustedRoot);
    }

    /// Every message is a JSON object: serde's derive alone would also read an
    /// array, field by field in declaration order.
    #[test]
    fn messages_must_be_objects() {
        const START: &str = r#","validFor":{"start":"2021-01-12T11:53:27Z"}"#;
        let ok = root_with_tlog_valid_for(START);
        assert!(TrustedRoot::from_json(ok.as_bytes()).is_ok());
        let arrays = [
            r#"["application/vnd.dev.sigstore.trustedroot+json;version=0.1",[],[],[],[]]"#
                .to_owned(),
            root_with_tlog_valid_for(r#","validFor":["2021-01-12T11:53:27Z"]"#),
            ok.replace(
                r#""logId":{"keyId":"wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="}"#,
                r#""logId":["wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="]"#,
            ),
            ok.replace(r#""tlogs":[{"#, r#""tlogs":[["https://x"],{"#),
        ];
        for bad in arrays {
            assert_ne!(bad, ok);
            let e = TrustedRoot::from_json(bad.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TrustedRoot, "{bad}: {e}");
            assert!(e.to_string().contains("invalid type: sequence"), "{e}");
        }
        let ca = |chain: &str| {
            format!(
                r#"{{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1",
                "certificateAuthorities":[{{"certChain":{chain}}}]}}"#
            )
        };
        let e = TrustedRoot::from_json(ca(r#"[[]]"#).as_bytes()).unwrap_err();
        assert!(e.to_string().contains("invalid type: sequence"), "{e}");
        let e =
            TrustedRoot::from_json(ca(r#"{"certificates":[["MA=="]]}"#).as_bytes()).unwrap_err();
        assert!(e.to_string().contains("invalid type: sequence"), "{e}");
    }

    /// A log's hash algorithm must be stated as SHA2_256; absent is protobuf's
    /// HASH_ALGORITHM_UNSPECIFIED.
    #[test]
    fn log_hash_algorithm_is_required() {
        let ok = root_with_tlog_valid_for(r#","validFor":{"start":"2021-01-12T11:53:27Z"}"#);
        for (bad, says) in [
            (
                ok.replace(r#""hashAlgorithm":"SHA2_256","#, ""),
                "no hashAlgorithm",
            ),
            (ok.replace("SHA2_256", "SHA2_384"), "is not SHA2_256"),
        ] {
            let e = TrustedRoot::from_json(bad.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TrustedRoot, "{e}");
            assert!(e.to_string().contains(says), "{e}");
        }
    }

    #[test]
    fn key_type_must_match_details() {
        let root = root_with_tlog_valid_for(r#","validFor":{"start":"2021-01-12T11:53:27Z"}"#)
            .replace("PKIX_ECDSA_P256_SHA_256", "PKIX_ED25519");
        let e = TrustedRoot::from_json(root.as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TrustedRoot);
        let skipped = root.replace("PKIX_ED25519", "ML_DSA_65");
        assert!(
            TrustedRoot::from_json(skipped.as_bytes()).unwrap().tlogs[0]
                .key
                .is_none()
        );
    }
}
