//! The Sigstore bundle (`*.sigstore.json`, SPEC §3): parsed once, structurally
//! validated, with every base64 field decoded.

use crate::crypto::HashAlg;
use crate::error::{Result, err};
use crate::json;
use serde::{Deserialize, Deserializer};

/// Default cap on a bundle's size in bytes.
pub const MAX_BUNDLE_BYTES: usize = 64 << 20;
/// Most transparency-log entries accepted (counted while the list is read).
pub const MAX_TLOG_ENTRIES: usize = 32;
/// Most RFC 3161 timestamps accepted.
pub const MAX_TIMESTAMPS: usize = 32;
/// Most certificates accepted in an `x509CertificateChain`.
pub const MAX_CHAIN_CERTIFICATES: usize = 32;
/// Most hashes accepted in one inclusion proof.
pub const MAX_PROOF_HASHES: usize = 64;
/// Most signatures read from a DSSE envelope (exactly one is valid; the cap
/// only bounds the work before that rule rejects the envelope).
pub const MAX_DSSE_SIGNATURES: usize = 16;
/// Largest DSSE payload accepted, in decoded bytes.
pub const MAX_DSSE_PAYLOAD_BYTES: usize = 32 << 20;
/// Deepest JSON nesting accepted in a bundle (a valid bundle nests 7 levels).
pub const MAX_JSON_DEPTH: usize = 32;
/// Largest certificate accepted (`certificate` or one of
/// `x509CertificateChain`), in DER bytes. A Fulcio leaf is about 1.5 KB; the cap
/// bounds what decoding one certificate (names, SANs, extensions) can allocate.
pub const MAX_CERTIFICATE_BYTES: usize = 64 << 10;
/// Largest RFC 3161 `signedTimestamp` accepted, in DER bytes (a Sigstore token
/// is about 2 KB; the cap bounds the certificates it may embed).
pub const MAX_TIMESTAMP_BYTES: usize = 256 << 10;

/// The size caps a caller may tighten (SPEC §2.1): a package manager that only
/// ever sees small bundles can refuse big ones before any parsing.
///
/// The built-in constants ([`MAX_BUNDLE_BYTES`], [`MAX_DSSE_PAYLOAD_BYTES`]) are
/// also ceilings: a larger value here acts as the constant, so no configuration
/// can lift the memory bound the parser relies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest bundle accepted, in bytes of JSON.
    pub max_bundle_bytes: usize,
    /// Largest DSSE payload accepted, in decoded bytes.
    pub max_dsse_payload_bytes: usize,
}

impl Limits {
    /// Whether a bundle of `len` bytes of JSON is within these limits (and the
    /// built-in ceiling): the check [`Bundle::from_json_with_limits`] makes first,
    /// for callers that know a document's size before they have its bytes.
    pub fn check_bundle_len(&self, len: usize) -> Result<()> {
        let max_bundle = self.max_bundle_bytes.min(MAX_BUNDLE_BYTES);
        crate::error::check_size("bundle", len, max_bundle)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bundle_bytes: MAX_BUNDLE_BYTES,
            max_dsse_payload_bytes: MAX_DSSE_PAYLOAD_BYTES,
        }
    }
}

/// Bundle format version, from the media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BundleVersion {
    /// `…+json;version=0.1`
    V0_1,
    /// `…+json;version=0.2`
    V0_2,
    /// `…+json;version=0.3` or `bundle.v0.3+json`
    V0_3,
}

impl BundleVersion {
    /// Map an exact media type string to its version.
    pub fn from_media_type(mt: &str) -> Option<BundleVersion> {
        Some(match mt {
            "application/vnd.dev.sigstore.bundle+json;version=0.1" => BundleVersion::V0_1,
            "application/vnd.dev.sigstore.bundle+json;version=0.2" => BundleVersion::V0_2,
            "application/vnd.dev.sigstore.bundle+json;version=0.3"
            | "application/vnd.dev.sigstore.bundle.v0.3+json" => BundleVersion::V0_3,
            _ => return None,
        })
    }

    /// `"0.1"`, `"0.2"` or `"0.3"`.
    pub fn as_str(self) -> &'static str {
        match self {
            BundleVersion::V0_1 => "0.1",
            BundleVersion::V0_2 => "0.2",
            BundleVersion::V0_3 => "0.3",
        }
    }
}

/// A parsed bundle.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Bundle {
    /// The media type as written.
    pub media_type: String,
    /// Version derived from the media type.
    pub version: BundleVersion,
    /// Signing material: a certificate or a public-key hint.
    pub material: SigningMaterial,
    /// Transparency-log entries.
    pub tlog_entries: Vec<TlogEntry>,
    /// DER `TimeStampResp` values of RFC 3161 timestamps.
    pub rfc3161_timestamps: Vec<Vec<u8>>,
    /// What was signed.
    pub content: Content,
}

/// How the signer is identified.
#[derive(Clone, Debug)]
pub enum SigningMaterial {
    /// Keyless: a leaf certificate (DER), plus any further chain certificates
    /// the bundle carried (untrusted; never used as anchors).
    Certificate {
        /// Leaf certificate DER.
        leaf: Vec<u8>,
        /// Further `x509CertificateChain` certificates after the leaf.
        extra: Vec<Vec<u8>>,
    },
    /// Managed key: an unauthenticated hint naming the caller's key.
    PublicKey {
        /// The hint (conventionally base64 SHA-256 of the SPKI).
        hint: String,
    },
}

/// The signed content.
#[derive(Clone, Debug)]
pub enum Content {
    /// A signature over the artifact with its digest.
    MessageSignature(MessageSignature),
    /// A DSSE envelope with exactly one signature.
    Dsse(DsseEnvelope),
}

/// `messageSignature`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct MessageSignature {
    /// Digest algorithm the bundle claims.
    pub digest_algorithm: HashAlg,
    /// Digest of the artifact the bundle claims (untrusted until compared).
    pub digest: Vec<u8>,
    /// Raw signature bytes.
    pub signature: Vec<u8>,
}

/// `dsseEnvelope`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DsseEnvelope {
    /// Decoded payload.
    pub payload: Vec<u8>,
    /// Payload type, e.g. `application/vnd.in-toto+json`.
    pub payload_type: String,
    /// The single signature.
    pub signature: Vec<u8>,
    /// The signature's key ID hint (unauthenticated).
    pub keyid: String,
}

/// One transparency-log entry.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TlogEntry {
    /// Global log index (≥ 0).
    pub log_index: u64,
    /// Log ID (matched exactly against the trusted root).
    pub log_id: Vec<u8>,
    /// Entry kind, e.g. `hashedrekord`.
    pub kind: String,
    /// Entry kind version, e.g. `0.0.1`.
    pub version: String,
    /// Integrated time in Unix seconds (unauthenticated until its SET verifies).
    pub integrated_time: u64,
    /// Signed entry timestamp, if any.
    pub inclusion_promise: Option<Vec<u8>>,
    /// Inclusion proof, if any.
    pub inclusion_proof: Option<InclusionProof>,
    /// Canonicalized body, if present.
    pub canonicalized_body: Option<LogBody>,
}

/// A log entry's `canonicalizedBody`: the decoded bytes, plus the bundle's own
/// base64 text when that text is exactly the standard padded encoding of them.
///
/// A Rekor v1 SET signs the body as standard base64; keeping the bundle's text
/// spares re-encoding it on every verify. The fields are private so the text
/// can never disagree with the bytes the other checks read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogBody {
    bytes: Vec<u8>,
    standard_base64: Option<String>,
}

impl LogBody {
    /// A body from its decoded bytes (its base64 is computed when needed).
    pub fn new(bytes: Vec<u8>) -> LogBody {
        LogBody {
            bytes,
            standard_base64: None,
        }
    }

    /// Decode protobuf-JSON base64 text, keeping the text when it is the
    /// standard padded encoding of the bytes.
    fn from_base64(text: &str) -> std::result::Result<LogBody, String> {
        let (bytes, standard) = crate::encoding::b64_decode_noting_standard(text)?;
        Ok(LogBody {
            bytes,
            standard_base64: standard.then(|| text.to_owned()),
        })
    }

    /// The decoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The standard padded base64 of the bytes, as a SET signs it.
    pub fn standard_base64(&self) -> std::borrow::Cow<'_, str> {
        match &self.standard_base64 {
            Some(text) => std::borrow::Cow::Borrowed(text),
            None => std::borrow::Cow::Owned(crate::encoding::b64_encode(&self.bytes)),
        }
    }
}

impl std::ops::Deref for LogBody {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Like `json::opt_bytes`: present means a string (`null` is a type error).
fn opt_log_body<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<LogBody>, D::Error> {
    LogBody::deserialize(d).map(Some)
}

impl<'de> Deserialize<'de> for LogBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = json::text(d)?;
        LogBody::from_base64(&text).map_err(serde::de::Error::custom)
    }
}

impl TlogEntry {
    /// Whether the kind/version is a Rekor v2 (tile-based log) entry type.
    pub fn is_rekor_v2(&self) -> bool {
        self.version == "0.0.2" && matches!(self.kind.as_str(), "hashedrekord" | "dsse")
    }
}

/// An RFC 6962 inclusion proof with its checkpoint.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct InclusionProof {
    /// Index of the entry within this tree.
    pub log_index: u64,
    /// Root hash the proof leads to.
    pub root_hash: [u8; 32],
    /// Tree size.
    pub tree_size: u64,
    /// Sibling hashes, leaf to root.
    pub hashes: Vec<[u8; 32]>,
    /// The signed checkpoint (note text plus signatures), if present.
    pub checkpoint: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawBundle {
    media_type: Option<String>,
    #[serde(default, deserialize_with = "json::opt_object")]
    verification_material: Option<RawMaterial>,
    #[serde(default, deserialize_with = "json::opt_object")]
    message_signature: Option<RawMessageSignature>,
    #[serde(default, deserialize_with = "json::opt_object")]
    dsse_envelope: Option<RawEnvelope>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawMaterial {
    #[serde(default, deserialize_with = "json::opt_object")]
    public_key: Option<RawKeyHint>,
    #[serde(default, deserialize_with = "json::opt_object")]
    x509_certificate_chain: Option<RawChain>,
    #[serde(default, deserialize_with = "json::opt_object")]
    certificate: Option<RawCert>,
    #[serde(default, deserialize_with = "tlog_entries")]
    tlog_entries: Vec<RawEntry>,
    #[serde(default, deserialize_with = "json::opt_object")]
    timestamp_verification_data: Option<RawTsData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyHint {
    #[serde(default)]
    hint: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChain {
    #[serde(default, deserialize_with = "chain_certificates")]
    certificates: Vec<RawCert>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawCert {
    #[serde(default, deserialize_with = "certificate_bytes")]
    raw_bytes: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawTsData {
    #[serde(default, deserialize_with = "timestamps")]
    rfc3161_timestamps: Vec<RawTs>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawTs {
    #[serde(default, deserialize_with = "timestamp_bytes")]
    signed_timestamp: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawMessageSignature {
    #[serde(default, deserialize_with = "json::opt_object")]
    message_digest: Option<RawDigest>,
    #[serde(default, deserialize_with = "json::opt_bytes")]
    signature: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawDigest {
    algorithm: Option<String>,
    #[serde(default, deserialize_with = "json::opt_bytes")]
    digest: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawEnvelope {
    #[serde(default, deserialize_with = "dsse_payload")]
    payload: Option<Vec<u8>>,
    payload_type: Option<String>,
    #[serde(default, deserialize_with = "dsse_signatures")]
    signatures: Vec<RawDsseSig>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawDsseSig {
    #[serde(default, deserialize_with = "json::opt_bytes")]
    sig: Option<Vec<u8>>,
    #[serde(default)]
    keyid: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawEntry {
    #[serde(default, deserialize_with = "json::opt_int64")]
    log_index: Option<i64>,
    #[serde(default, deserialize_with = "json::opt_object")]
    log_id: Option<RawLogId>,
    #[serde(default, deserialize_with = "json::opt_object")]
    kind_version: Option<RawKindVersion>,
    #[serde(default, deserialize_with = "json::opt_int64")]
    integrated_time: Option<i64>,
    #[serde(default, deserialize_with = "json::opt_object")]
    inclusion_promise: Option<RawPromise>,
    #[serde(default, deserialize_with = "json::opt_object")]
    inclusion_proof: Option<RawProof>,
    #[serde(default, deserialize_with = "opt_log_body")]
    canonicalized_body: Option<LogBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawLogId {
    #[serde(default, deserialize_with = "json::opt_bytes")]
    key_id: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKindVersion {
    kind: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawPromise {
    #[serde(default, deserialize_with = "json::opt_bytes")]
    signed_entry_timestamp: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawProof {
    #[serde(default, deserialize_with = "json::opt_int64")]
    log_index: Option<i64>,
    #[serde(default, deserialize_with = "json::opt_bytes")]
    root_hash: Option<Vec<u8>>,
    #[serde(default, deserialize_with = "json::opt_int64")]
    tree_size: Option<i64>,
    #[serde(default, deserialize_with = "proof_hashes")]
    hashes: Vec<json::B64>,
    #[serde(default, deserialize_with = "json::opt_object")]
    checkpoint: Option<RawCheckpoint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheckpoint {
    #[serde(default)]
    envelope: String,
}

// Every count limit is enforced while the list is read (see `json::capped_vec`).
fn tlog_entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RawEntry>, D::Error> {
    json::capped_objects(d, MAX_TLOG_ENTRIES, "tlog entries")
}

fn chain_certificates<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RawCert>, D::Error> {
    json::capped_objects(
        d,
        MAX_CHAIN_CERTIFICATES,
        "certificates in x509CertificateChain",
    )
}

fn timestamps<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RawTs>, D::Error> {
    json::capped_objects(d, MAX_TIMESTAMPS, "RFC 3161 timestamps")
}

fn dsse_signatures<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RawDsseSig>, D::Error> {
    json::capped_objects(d, MAX_DSSE_SIGNATURES, "DSSE signatures")
}

fn proof_hashes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<json::B64>, D::Error> {
    json::capped_vec(d, MAX_PROOF_HASHES, "inclusion proof hashes")
}

fn certificate_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
    json::opt_capped_bytes(d, MAX_CERTIFICATE_BYTES, "a certificate")
}

fn timestamp_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
    json::opt_capped_bytes(d, MAX_TIMESTAMP_BYTES, "an RFC 3161 signedTimestamp")
}

fn dsse_payload<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
    json::opt_capped_bytes(d, MAX_DSSE_PAYLOAD_BYTES, "the DSSE payload")
}

fn hash32(bytes: Vec<u8>, what: &str) -> Result<[u8; 32]> {
    let n = bytes.len();
    bytes
        .try_into()
        .map_err(|_| err!(Parse, "{what} is {n} bytes, not 32"))
}

fn non_negative(v: Option<i64>, what: &str) -> Result<u64> {
    match v {
        None => Ok(0),
        Some(v) if v >= 0 => Ok(v as u64),
        Some(v) => Err(err!(Parse, "{what} is negative ({v})")),
    }
}

impl Bundle {
    /// Parse and structurally validate a bundle from JSON bytes (SPEC §2, §3),
    /// with the default [`Limits`].
    pub fn from_json(bytes: &[u8]) -> Result<Bundle> {
        Self::from_json_with_limits(bytes, &Limits::default())
    }

    /// [`Bundle::from_json`] with caller-chosen size caps; exceeding one gives
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit).
    pub fn from_json_with_limits(bytes: &[u8], limits: &Limits) -> Result<Bundle> {
        limits.check_bundle_len(bytes.len())?;
        let bundle = Self::parse_within_ceilings(bytes)?;
        // The parser already refused payloads over the built-in ceiling before
        // decoding them; a tighter caller cap is checked on the decoded size.
        let max_payload = limits.max_dsse_payload_bytes.min(MAX_DSSE_PAYLOAD_BYTES);
        if let Content::Dsse(env) = &bundle.content {
            crate::error::check_size("the DSSE payload", env.payload.len(), max_payload)?;
        }
        Ok(bundle)
    }

    fn parse_within_ceilings(bytes: &[u8]) -> Result<Bundle> {
        if !json::depth_within(bytes, MAX_JSON_DEPTH) {
            return Err(err!(
                Limit,
                "bundle JSON nests deeper than {MAX_JSON_DEPTH} levels"
            ));
        }
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let raw = json::object::<_, RawBundle>(&mut de)
            .and_then(|raw| de.end().map(|()| raw))
            .map_err(|e| {
                if json::is_limit(&e.to_string()) {
                    err!(Limit, "bundle: {e}")
                } else {
                    err!(Parse, "bundle is not a valid Sigstore bundle JSON: {e}")
                }
            })?;
        let media_type = raw
            .media_type
            .ok_or_else(|| err!(Parse, "bundle has no mediaType"))?;
        let version = BundleVersion::from_media_type(&media_type).ok_or_else(|| {
            err!(
                UnsupportedVersion,
                "unsupported bundle media type {:?}",
                crate::error::excerpt(&media_type)
            )
        })?;
        let vm = raw
            .verification_material
            .ok_or_else(|| err!(Parse, "bundle has no verificationMaterial"))?;

        let material = match (vm.public_key, vm.x509_certificate_chain, vm.certificate) {
            (Some(k), None, None) => SigningMaterial::PublicKey { hint: k.hint },
            (None, Some(chain), None) => {
                if version >= BundleVersion::V0_3 {
                    return Err(err!(
                        Parse,
                        "x509CertificateChain is not allowed in a v0.3 bundle; use certificate"
                    ));
                }
                let mut certs = chain.certificates.into_iter().map(|c| {
                    c.raw_bytes
                        .filter(|b| !b.is_empty())
                        .ok_or_else(|| err!(Parse, "empty certificate in x509CertificateChain"))
                });
                let leaf = certs
                    .next()
                    .ok_or_else(|| err!(Parse, "x509CertificateChain has no certificates"))??;
                let extra = certs.collect::<Result<Vec<_>>>()?;
                SigningMaterial::Certificate { leaf, extra }
            }
            (None, None, Some(cert)) => SigningMaterial::Certificate {
                leaf: cert
                    .raw_bytes
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| err!(Parse, "certificate has no rawBytes"))?,
                extra: Vec::new(),
            },
            (None, None, None) => {
                return Err(err!(
                    Parse,
                    "verificationMaterial has no certificate or public key"
                ));
            }
            _ => {
                return Err(err!(
                    Parse,
                    "verificationMaterial sets more than one of publicKey, x509CertificateChain, certificate"
                ));
            }
        };

        let tlog_entries = vm
            .tlog_entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                parse_entry(e, version).map_err(|err| err.context(format!("tlog entry {i}")))
            })
            .collect::<Result<Vec<_>>>()?;
        for (i, a) in tlog_entries.iter().enumerate() {
            if tlog_entries
                .iter()
                .take(i)
                .any(|b| b.log_id == a.log_id && b.log_index == a.log_index)
            {
                return Err(err!(
                    Parse,
                    "duplicate tlog entry for log index {}",
                    a.log_index
                ));
            }
        }

        let timestamps = vm
            .timestamp_verification_data
            .map(|t| t.rfc3161_timestamps)
            .unwrap_or_default();
        let rfc3161_timestamps = timestamps
            .into_iter()
            .map(|t| {
                t.signed_timestamp
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| err!(Parse, "RFC 3161 timestamp without signedTimestamp"))
            })
            .collect::<Result<Vec<_>>>()?;

        let content = match (raw.message_signature, raw.dsse_envelope) {
            (Some(m), None) => Content::MessageSignature(parse_message_signature(m)?),
            (None, Some(d)) => Content::Dsse(parse_envelope(d)?),
            (None, None) => {
                return Err(err!(
                    Parse,
                    "bundle has neither messageSignature nor dsseEnvelope"
                ));
            }
            (Some(_), Some(_)) => {
                return Err(err!(
                    Parse,
                    "bundle has both messageSignature and dsseEnvelope"
                ));
            }
        };

        Ok(Bundle {
            media_type,
            version,
            material,
            tlog_entries,
            rfc3161_timestamps,
            content,
        })
    }

    /// The signature bytes that RFC 3161 timestamps cover (SPEC §7).
    pub fn signature_bytes(&self) -> &[u8] {
        match &self.content {
            Content::MessageSignature(m) => &m.signature,
            Content::Dsse(d) => &d.signature,
        }
    }

    /// The leaf certificate DER, in keyless mode.
    pub fn leaf_certificate(&self) -> Option<&[u8]> {
        match &self.material {
            SigningMaterial::Certificate { leaf, .. } => Some(leaf),
            SigningMaterial::PublicKey { .. } => None,
        }
    }
}

fn parse_message_signature(m: RawMessageSignature) -> Result<MessageSignature> {
    let signature = m
        .signature
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err!(Parse, "messageSignature has no signature"))?;
    let md = m
        .message_digest
        .ok_or_else(|| err!(Parse, "messageSignature has no messageDigest"))?;
    let alg_name = md.algorithm.unwrap_or_default();
    let digest_algorithm = HashAlg::from_proto_name(&alg_name).ok_or_else(|| {
        err!(
            Parse,
            "unsupported messageDigest algorithm {:?}",
            crate::error::excerpt(&alg_name)
        )
    })?;
    let digest = md.digest.unwrap_or_default();
    if digest.len() != digest_algorithm.output_len() {
        return Err(err!(
            Parse,
            "messageDigest is {} bytes, {alg_name} needs {}",
            digest.len(),
            digest_algorithm.output_len()
        ));
    }
    Ok(MessageSignature {
        digest_algorithm,
        digest,
        signature,
    })
}

fn parse_envelope(d: RawEnvelope) -> Result<DsseEnvelope> {
    let payload = d
        .payload
        .filter(|p| !p.is_empty())
        .ok_or_else(|| err!(Parse, "DSSE envelope has no payload"))?;
    let payload_type = d
        .payload_type
        .filter(|t| !t.is_empty())
        .ok_or_else(|| err!(Parse, "DSSE envelope has no payloadType"))?;
    let mut sigs = d.signatures.into_iter();
    let (Some(sig), None) = (sigs.next(), sigs.next()) else {
        return Err(err!(
            Parse,
            "DSSE envelope must carry exactly one signature"
        ));
    };
    let signature = sig
        .sig
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err!(Parse, "DSSE signature is empty"))?;
    Ok(DsseEnvelope {
        payload,
        payload_type,
        signature,
        keyid: sig.keyid,
    })
}

fn parse_entry(e: RawEntry, version: BundleVersion) -> Result<TlogEntry> {
    let log_index = non_negative(e.log_index, "logIndex")?;
    let integrated_time = non_negative(e.integrated_time, "integratedTime")?;
    let log_id = e
        .log_id
        .and_then(|l| l.key_id)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| err!(Parse, "entry has no logId.keyId"))?;
    let kv = e
        .kind_version
        .ok_or_else(|| err!(Parse, "entry has no kindVersion"))?;
    let (kind, kind_version) = match (kv.kind, kv.version) {
        (Some(k), Some(v)) if !k.is_empty() && !v.is_empty() => (k, v),
        _ => return Err(err!(Parse, "entry kindVersion lacks kind or version")),
    };
    let inclusion_promise = match e.inclusion_promise {
        None => None,
        Some(p) => Some(
            p.signed_entry_timestamp
                .filter(|s| !s.is_empty())
                .ok_or_else(|| err!(Parse, "inclusionPromise has no signedEntryTimestamp"))?,
        ),
    };
    let inclusion_proof = e.inclusion_proof.map(parse_proof).transpose()?;

    match version {
        BundleVersion::V0_1 => {
            if inclusion_promise.is_none() {
                return Err(err!(
                    Tlog,
                    "v0.1 bundle entry has no inclusionPromise (SET)"
                ));
            }
        }
        BundleVersion::V0_2 | BundleVersion::V0_3 => match &inclusion_proof {
            None => {
                return Err(err!(
                    Tlog,
                    "v{} bundle entry has no inclusionProof",
                    version.as_str()
                ));
            }
            Some(p) if p.checkpoint.is_none() => {
                return Err(err!(
                    Tlog,
                    "v{} bundle entry's inclusionProof has no checkpoint",
                    version.as_str()
                ));
            }
            Some(_) => {}
        },
    }
    // A v0.1 proof without a checkpoint proves nothing: drop it, the SET carries the entry.
    let inclusion_proof = inclusion_proof.filter(|p| p.checkpoint.is_some());

    let entry = TlogEntry {
        log_index,
        log_id,
        kind,
        version: kind_version,
        integrated_time,
        inclusion_promise,
        inclusion_proof,
        canonicalized_body: e.canonicalized_body.filter(|b| !b.is_empty()),
    };
    // Rekor v2 logs issue no SETs: a promise on such an entry was not made by its
    // log, and accepting it unverified would let unauthenticated bytes through.
    if entry.is_rekor_v2() && entry.inclusion_promise.is_some() {
        return Err(err!(
            Parse,
            "a Rekor v2 ({} {}) entry cannot carry an inclusionPromise",
            entry.kind,
            entry.version
        ));
    }
    if entry.canonicalized_body.is_none() && !entry.is_rekor_v2() {
        return Err(err!(
            Parse,
            "entry of kind {} has no canonicalizedBody",
            entry.kind
        ));
    }
    Ok(entry)
}

fn parse_proof(p: RawProof) -> Result<InclusionProof> {
    let log_index = non_negative(p.log_index, "inclusionProof.logIndex")?;
    let tree_size = non_negative(p.tree_size, "inclusionProof.treeSize")?;
    if tree_size == 0 || tree_size > 1 << 63 {
        return Err(err!(
            InclusionProof,
            "inclusionProof.treeSize {tree_size} is out of range"
        ));
    }
    if log_index >= tree_size {
        return Err(err!(
            InclusionProof,
            "inclusionProof.logIndex {log_index} is not below treeSize {tree_size}"
        ));
    }
    let root_hash = hash32(p.root_hash.unwrap_or_default(), "inclusionProof.rootHash")?;
    let hashes = p
        .hashes
        .into_iter()
        .map(|h| hash32(h.0, "inclusion proof hash"))
        .collect::<Result<Vec<_>>>()?;
    let checkpoint = p.checkpoint.map(|c| c.envelope).filter(|e| !e.is_empty());
    Ok(InclusionProof {
        log_index,
        root_hash,
        tree_size,
        hashes,
        checkpoint,
    })
}

#[cfg(test)]
mod tests;
