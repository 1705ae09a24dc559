//! The signing (leaf) certificate: parsing, Subject Alternative Names and the
//! Fulcio extensions (SPEC §12.1, §12.3, §12.4), plus the small raw-DER helpers
//! that the chain and SCT code share (signatures need the exact TBS bytes, and
//! the precertificate rebuild needs the exact extension encodings).
//!
//! Parsing only reads the certificate; its profile (not a CA, key usage, EKU,
//! critical extensions) is judged by [`crate::chain::FulcioTrust::verify_at`].

use crate::crypto::PublicKey;
use crate::error::{Result, err};
use crate::time::Timestamp;
use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, Utf8StringRef};
use der::{Decode, Sequence, Tag, Tagged};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

/// subjectAltName (2.5.29.17).
pub(crate) const OID_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
/// keyUsage (2.5.29.15).
pub(crate) const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
/// basicConstraints (2.5.29.19).
pub(crate) const OID_BASIC_CONSTRAINTS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.5.29.19");
/// extKeyUsage (2.5.29.37).
pub(crate) const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
/// id-kp-codeSigning (1.3.6.1.5.5.7.3.3).
pub(crate) const OID_KP_CODE_SIGNING: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");
/// RFC 6962 embedded SCT list extension.
pub(crate) const OID_SCT_LIST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2");
/// The Fulcio extension arc (SPEC §12.3).
const OID_FULCIO_ARC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1");
/// [`OID_FULCIO_ARC`] in dotted form.
const OID_FULCIO_ARC_STR: &str = "1.3.6.1.4.1.57264.1";
/// The dotted OIDs of the Fulcio extensions SPEC §12.3 names (index = last arc):
/// every leaf carries a dozen or more, and formatting each one was a measurable cost.
const FULCIO_OID_STRS: [&str; 25] = [
    "1.3.6.1.4.1.57264.1.0",
    "1.3.6.1.4.1.57264.1.1",
    "1.3.6.1.4.1.57264.1.2",
    "1.3.6.1.4.1.57264.1.3",
    "1.3.6.1.4.1.57264.1.4",
    "1.3.6.1.4.1.57264.1.5",
    "1.3.6.1.4.1.57264.1.6",
    "1.3.6.1.4.1.57264.1.7",
    "1.3.6.1.4.1.57264.1.8",
    "1.3.6.1.4.1.57264.1.9",
    "1.3.6.1.4.1.57264.1.10",
    "1.3.6.1.4.1.57264.1.11",
    "1.3.6.1.4.1.57264.1.12",
    "1.3.6.1.4.1.57264.1.13",
    "1.3.6.1.4.1.57264.1.14",
    "1.3.6.1.4.1.57264.1.15",
    "1.3.6.1.4.1.57264.1.16",
    "1.3.6.1.4.1.57264.1.17",
    "1.3.6.1.4.1.57264.1.18",
    "1.3.6.1.4.1.57264.1.19",
    "1.3.6.1.4.1.57264.1.20",
    "1.3.6.1.4.1.57264.1.21",
    "1.3.6.1.4.1.57264.1.22",
    "1.3.6.1.4.1.57264.1.23",
    "1.3.6.1.4.1.57264.1.24",
];
/// otherName type-id of Fulcio username identities.
const OID_OTHERNAME_USERNAME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.7");

/// One Subject Alternative Name of a supported kind (SPEC §12.1), as the raw
/// string the certificate carries (no normalisation).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SubjectAltName {
    /// `uniformResourceIdentifier`, e.g. a GitHub workflow ref URI.
    Uri(String),
    /// `rfc822Name`, an email address.
    Email(String),
    /// otherName 1.3.6.1.4.1.57264.1.7 (UTF8String): a username identity.
    OtherName(String),
}

/// A decoded Fulcio certificate extension (arc 1.3.6.1.4.1.57264.1).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FulcioExtension {
    /// Dotted OID, e.g. `1.3.6.1.4.1.57264.1.8`.
    pub oid: String,
    /// Human-readable name exactly as in the SPEC §12.3 table (e.g. `"Issuer (V2)"`,
    /// `"Build Signer URI"`, `"Issuer (deprecated)"`); `"Unknown"` for arcs past the table.
    pub name: &'static str,
    /// The decoded string value.
    pub value: String,
}

/// A parsed leaf certificate with what verification and the identity policy need.
#[derive(Debug)]
pub struct LeafCertificate {
    /// The certificate DER, as carried in the bundle.
    pub der: Vec<u8>,
    /// Start of validity (inclusive).
    pub not_before: Timestamp,
    /// End of validity (inclusive).
    pub not_after: Timestamp,
    /// The subject public key: the key that signed the artifact.
    pub public_key: PublicKey,
    /// Supported SANs (URI, email, Fulcio username otherName) in certificate order;
    /// other name kinds are skipped.
    pub sans: Vec<SubjectAltName>,
    /// OIDC issuer: 57264.1.8 (DER UTF8String) if present, else 57264.1.1 (raw bytes) — §12.4;
    /// when both are present they are equal (parsing refuses a leaf where they differ).
    pub issuer: Option<String>,
    /// Every Fulcio 57264.1.N extension present, decoded (.1-.6 raw, .7 and up DER UTF8String;
    /// an arc SPEC §12.3 does not define is left out unless it is a UTF8String),
    /// in certificate order.
    pub extensions: Vec<FulcioExtension>,
    /// Profile facts for chain validation.
    pub(crate) profile: Profile,
}

/// nameConstraints (RFC 5280 §4.2.1.10).
pub(crate) const OID_NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");

/// What path validation needs to know about a certificate besides its signature.
#[derive(Clone, Debug)]
pub(crate) struct Profile {
    /// X.509 v3.
    pub(crate) v3: bool,
    /// The raw DER issuer Name (compared byte for byte with the CA's subject).
    pub(crate) issuer_name: Vec<u8>,
    /// basicConstraints with its criticality.
    pub(crate) basic_constraints: Option<(bool, BasicConstraints)>,
    /// keyUsage, if present.
    pub(crate) key_usage: Option<KeyUsage>,
    /// extKeyUsage purposes, if present.
    pub(crate) eku: Option<Vec<ObjectIdentifier>>,
    /// OIDs of every extension marked critical.
    pub(crate) critical: Vec<ObjectIdentifier>,
    /// Whether a nameConstraints extension is present, critical or not.
    pub(crate) name_constraints: bool,
}

impl LeafCertificate {
    /// Parse a leaf certificate DER.
    ///
    /// Malformed DER, an unsupported or malformed public key, a malformed SAN, a
    /// repeated extension or an undecodable Fulcio extension give
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse); two OIDC issuer extensions
    /// (`.1` and `.8`) with different values give
    /// [`ErrorKind::Identity`](crate::ErrorKind::Identity). Profile problems (a CA in leaf
    /// position, missing code-signing usage) are not judged here but by
    /// [`crate::chain::FulcioTrust::verify_at`], which reports them as `Chain`.
    pub fn parse(der: &[u8]) -> Result<LeafCertificate> {
        let info = CertInfo::parse(der).map_err(|e| err!(Parse, "leaf certificate: {e}"))?;
        let public_key = PublicKey::from_spki_der(info.raw.spki)
            .map_err(|e| err!(Parse, "leaf certificate public key: {e}"))?;
        let mut sans = Vec::new();
        let mut extensions = Vec::new();
        for ext in &info.extensions {
            let value = ext.extn_value;
            if ext.extn_id == OID_SAN {
                sans = parse_sans(value)?;
            } else if let Some(arc) = fulcio_arc(&ext.extn_id) {
                extensions.extend(fulcio_extension(&ext.extn_id, arc, value)?);
            }
        }
        let find = |arc: &str| {
            extensions
                .iter()
                .find(|e| e.oid.strip_prefix("1.3.6.1.4.1.57264.1.") == Some(arc))
                .map(|e| e.value.clone())
        };
        // Verifiers differ on which issuer extension they read (sigstore-python's
        // policy reads .1, the others .8), so two that disagree are refused, not
        // resolved: the certificate would name one signer to one verifier and
        // another to the next.
        let issuer = match (find("8"), find("1")) {
            (Some(v2), Some(v1)) if v2 != v1 => {
                return Err(err!(
                    Identity,
                    "leaf certificate names two OIDC issuers: {v1:?} (1.3.6.1.4.1.57264.1.1) and {v2:?} (1.3.6.1.4.1.57264.1.8)"
                ));
            }
            (v2, v1) => v2.or(v1),
        };
        Ok(LeafCertificate {
            der: der.to_vec(),
            not_before: info.not_before,
            not_after: info.not_after,
            public_key,
            sans,
            issuer,
            extensions,
            profile: info.profile,
        })
    }

    /// Whether `t` lies in `[notBefore, notAfter]`, both ends inclusive, at full precision
    /// (a time 1 ns after `notAfter` is outside).
    pub fn valid_at(&self, t: Timestamp) -> bool {
        self.not_before <= t && t <= self.not_after
    }
}

fn parse_sans(value: &[u8]) -> Result<Vec<SubjectAltName>> {
    let names = x509_cert::ext::pkix::SubjectAltName::from_der(value)
        .map_err(|e| err!(Parse, "leaf subjectAltName is malformed: {e}"))?;
    let mut out = Vec::new();
    for name in names.0 {
        match name {
            GeneralName::UniformResourceIdentifier(s) => {
                out.push(SubjectAltName::Uri(s.as_str().to_owned()))
            }
            GeneralName::Rfc822Name(s) => out.push(SubjectAltName::Email(s.as_str().to_owned())),
            GeneralName::OtherName(o) if o.type_id == OID_OTHERNAME_USERNAME => {
                // The OtherName value is already the inner `[0] EXPLICIT` content (DEPS gotcha 8).
                let s = o.value.decode_as::<Utf8StringRef<'_>>().map_err(|e| {
                    err!(
                        Parse,
                        "leaf subjectAltName otherName {OID_OTHERNAME_USERNAME} is not a UTF8String: {e}"
                    )
                })?;
                out.push(SubjectAltName::OtherName(s.as_str().to_owned()));
            }
            // DNS names, IP addresses, other otherNames: not Sigstore identities.
            _ => {}
        }
    }
    Ok(out)
}

/// Names from SPEC §12.3, indexed by the last arc.
fn fulcio_name(arc: u32) -> &'static str {
    match arc {
        1 => "Issuer (deprecated)",
        2 => "GitHub Workflow Trigger (deprecated)",
        3 => "GitHub Workflow SHA (deprecated)",
        4 => "GitHub Workflow Name (deprecated)",
        5 => "GitHub Workflow Repository (deprecated)",
        6 => "GitHub Workflow Ref (deprecated)",
        7 => "OtherName SAN type-id",
        8 => "Issuer (V2)",
        9 => "Build Signer URI",
        10 => "Build Signer Digest",
        11 => "Runner Environment",
        12 => "Source Repository URI",
        13 => "Source Repository Digest",
        14 => "Source Repository Ref",
        15 => "Source Repository Identifier",
        16 => "Source Repository Owner URI",
        17 => "Source Repository Owner Identifier",
        18 => "Build Config URI",
        19 => "Build Config Digest",
        20 => "Build Trigger",
        21 => "Run Invocation URI",
        22 => "Source Repository Visibility At Signing",
        23 => "Deployment Environment",
        24 => "Token Subject",
        _ => "Unknown",
    }
}

/// The dotted OID of a Fulcio extension given by OID (`1.3.6.1.4.1.57264.1.12`)
/// or by name, spaces and case ignored (`Source Repository URI`,
/// `SourceRepositoryURI`, as sigstore-go's field names). Names are those of
/// SPEC §12.3 (`.1`–`.24`, without the `(deprecated)`/`(V2)` suffixes: `Issuer`
/// is `.8`); any arc under the Fulcio arc is accepted as an OID. `None` for
/// anything else.
pub fn fulcio_extension_oid(oid_or_name: &str) -> Option<String> {
    if let Some(arc) = oid_or_name
        .strip_prefix(OID_FULCIO_ARC_STR)
        .and_then(|rest| rest.strip_prefix('.'))
    {
        // `.7` is the otherName SAN type, never an extension.
        let valid = !arc.is_empty()
            && arc.bytes().all(|b| b.is_ascii_digit())
            && (arc == "0" || !arc.starts_with('0'))
            && arc.parse::<u32>().is_ok_and(|a| a != 7);
        return valid.then(|| oid_or_name.to_string());
    }
    // Letters and digits only, lowercased: "Source Repository URI",
    // "SourceRepositoryURI" and "sourceRepositoryURI" are one name.
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = key(oid_or_name);
    // The Node result's key for the deprecated issuer (`issuerV2` is the
    // letters of "Issuer (V2)" already).
    if wanted == "issuerv1" {
        return Some(format!("{OID_FULCIO_ARC_STR}.1"));
    }
    // The V2 issuer before the deprecated one, so `Issuer` names `.8`.
    [8u32]
        .into_iter()
        .chain((1..=24).filter(|a| *a != 8 && *a != 7))
        .find(|&arc| {
            let name = fulcio_name(arc);
            let bare = name
                .strip_suffix(" (deprecated)")
                .or_else(|| name.strip_suffix(" (V2)"))
                .unwrap_or(name);
            key(bare) == wanted || key(name) == wanted
        })
        .map(|arc| format!("{OID_FULCIO_ARC_STR}.{arc}"))
}

/// The last arc of `oid` when `oid` is a direct child of the Fulcio arc, read from
/// its encoded bytes: `ObjectIdentifier::parent` re-encodes the OID, a measurable
/// cost for every extension of every leaf.
fn fulcio_arc(oid: &ObjectIdentifier) -> Option<u32> {
    let rest = oid.as_bytes().strip_prefix(OID_FULCIO_ARC.as_bytes())?;
    let (last, init) = rest.split_last()?;
    // One base-128 arc: continuation bits on every byte but the last, at most 32 bits
    // (const_oid arcs are u32; the checked arithmetic below rejects more).
    if last & 0x80 != 0 || init.iter().any(|b| b & 0x80 == 0) || rest.len() > 5 {
        return None;
    }
    rest.iter().try_fold(0u32, |acc, b| {
        acc.checked_mul(128)?.checked_add(u32::from(b & 0x7f))
    })
}

/// Decode Fulcio extension `oid` (arc `arc`), SPEC §12.3. The defined ones
/// must decode (`.1`–`.6` raw UTF-8, `.8`–`.24` DER UTF8String) or the leaf is
/// a parse error. Any other arc is exposed when it is a DER UTF8String and
/// otherwise ignored, as sigstore-go ignores OIDs it does not know: a future
/// Fulcio extension in another encoding must not make every leaf unreadable.
fn fulcio_extension(
    oid: &ObjectIdentifier,
    arc: u32,
    value: &[u8],
) -> Result<Option<FulcioExtension>> {
    let value = if (1..=6).contains(&arc) {
        // The deprecated extensions carry the string bytes with no DER wrapper.
        std::str::from_utf8(value)
            .map_err(|_| err!(Parse, "Fulcio extension {oid} is not UTF-8"))?
            .to_owned()
    } else {
        match Utf8StringRef::from_der(value) {
            Ok(s) => s.as_str().to_owned(),
            Err(_) if !(8..=24).contains(&arc) => return Ok(None),
            Err(e) => {
                return Err(err!(
                    Parse,
                    "Fulcio extension {oid} is not a DER UTF8String: {e}"
                ));
            }
        }
    };
    Ok(Some(FulcioExtension {
        // Callers pass only OIDs under the Fulcio arc, so this is `oid.to_string()`
        // without the generic OID formatter (a measurable cost per bundle).
        oid: {
            let s = usize::try_from(arc)
                .ok()
                .and_then(|i| FULCIO_OID_STRS.get(i))
                .map_or_else(
                    || format!("{OID_FULCIO_ARC_STR}.{arc}"),
                    |s| (*s).to_string(),
                );
            debug_assert_eq!(s, oid.to_string());
            s
        },
        name: fulcio_name(arc),
        value,
    }))
}

/// RFC 5280 `Certificate`, decoded in place with the same DER rules as
/// x509-cert's owned `Certificate`, but borrowing from the input: every leaf is
/// parsed once per verification, and the owned decode (a copy of every extension
/// and name attribute) was most of that cost.
#[derive(Sequence)]
struct CertificateRef<'a> {
    tbs_certificate: TbsCertificateRef<'a>,
    signature_algorithm: AlgorithmIdentifierRef<'a>,
    signature: BitStringRef<'a>,
}

/// RFC 5280 `TBSCertificate`, borrowed except for the two Names, which are
/// decoded by x509-cert so that their structure is checked as strictly as
/// before (they are then only ever compared byte for byte, from the raw DER).
#[derive(Sequence)]
struct TbsCertificateRef<'a> {
    #[asn1(context_specific = "0", default = "Default::default")]
    version: Version,
    // Decoded for its checks (an INTEGER of at most 20 bytes), not its value.
    #[allow(dead_code)]
    serial_number: SerialNumber,
    signature: AlgorithmIdentifierRef<'a>,
    #[allow(dead_code)]
    issuer: Name,
    validity: Validity,
    #[allow(dead_code)]
    subject: Name,
    #[allow(dead_code)]
    subject_public_key_info: SubjectPublicKeyInfoRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    issuer_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    subject_unique_id: Option<BitStringRef<'a>>,
    // Walked by `parse_extensions`: der's generic SEQUENCE OF decode cost about
    // 3k instructions per extension, and a Fulcio leaf carries 15 or more.
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<AnyRef<'a>>,
}

/// RFC 5280 `Extension`, borrowed.
pub(crate) struct ExtensionRef<'a> {
    pub(crate) extn_id: ObjectIdentifier,
    pub(crate) critical: bool,
    /// The contents of the `extnValue` OCTET STRING.
    pub(crate) extn_value: &'a [u8],
}

/// Most extensions one certificate may carry. A Fulcio leaf has about 20;
/// without a cap a large bundle could hold millions, and the duplicate check
/// is quadratic.
pub const MAX_CERT_EXTENSIONS: usize = 256;

/// DER tags of the Extension fields.
const TAG_BOOLEAN: u8 = 0x01;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OID: u8 = 0x06;

/// Whether OID content octets encode every arc in as few bytes as DER requires
/// (X.690 8.19.2: no arc starts with 0x80). const-oid accepts the padded form,
/// and OIDs are compared as bytes here, so `2.5.29.17` padded would be another
/// extension (and a second Fulcio issuer would pass the duplicate check).
pub(crate) fn oid_is_minimal(content: &[u8]) -> bool {
    let mut arc_start = true;
    for &b in content {
        if arc_start && b == 0x80 {
            return false;
        }
        arc_start = b & 0x80 == 0;
    }
    true
}

/// Decode `Extensions ::= SEQUENCE OF Extension` (given the SEQUENCE TLV) with
/// [`split_tlv`]'s DER rules: `Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
/// critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`, nothing after.
fn parse_extensions<'a>(seq: &AnyRef<'a>) -> std::result::Result<Vec<ExtensionRef<'a>>, String> {
    const BAD: &str = "not a DER X.509 certificate: malformed extension";
    if seq.tag() != Tag::Sequence {
        return Err(format!("{BAD}s (not a SEQUENCE)"));
    }
    let mut out = Vec::with_capacity(24);
    let mut rest = seq.value();
    while !rest.is_empty() {
        if out.len() == MAX_CERT_EXTENSIONS {
            return Err(format!(
                "certificate has more than {MAX_CERT_EXTENSIONS} extensions"
            ));
        }
        let (ext, after) = split_tlv(rest)
            .filter(|(t, _)| t.tag == TAG_SEQUENCE)
            .ok_or_else(|| format!("{BAD} {} (not a SEQUENCE)", out.len()))?;
        rest = after;
        let field = |input: &'a [u8], tag: u8| split_tlv(input).filter(|(t, _)| t.tag == tag);
        let (oid, after) = field(ext.content, TAG_OID)
            .ok_or_else(|| format!("{BAD} {} (no extnID)", out.len()))?;
        if !oid_is_minimal(oid.content) {
            return Err(format!(
                "{BAD} {} (extnID is not minimally encoded)",
                out.len()
            ));
        }
        let extn_id = ObjectIdentifier::from_bytes(oid.content)
            .map_err(|e| format!("{BAD} {} (extnID: {e})", out.len()))?;
        let (critical, after) = match field(after, TAG_BOOLEAN) {
            // An encoded FALSE is not DER (DEFAULT values are omitted), but
            // x509-cert and Go's crypto/x509 both tolerate it; so do we.
            Some((flag, after)) => match flag.content {
                [0xFF] => (true, after),
                [0x00] => (false, after),
                _ => return Err(format!("{BAD} {extn_id} (critical is not a DER BOOLEAN)")),
            },
            None => (false, after),
        };
        let (value, after) = field(after, TAG_OCTET_STRING)
            .ok_or_else(|| format!("{BAD} {extn_id} (no extnValue OCTET STRING)"))?;
        if !after.is_empty() {
            return Err(format!("{BAD} {extn_id} (data after extnValue)"));
        }
        out.push(ExtensionRef {
            extn_id,
            critical,
            extn_value: value.content,
        });
    }
    Ok(out)
}

/// A strictly decoded certificate, plus exact byte slices of the parts whose
/// encoding matters (signed TBS, names, SPKI).
pub(crate) struct CertInfo<'a> {
    /// The whole certificate DER.
    pub(crate) der: &'a [u8],
    pub(crate) raw: RawCert<'a>,
    /// The outer signatureAlgorithm.
    pub(crate) signature_algorithm: AlgorithmIdentifierRef<'a>,
    /// The TBS `signature` field, which must equal the outer one.
    pub(crate) tbs_signature_algorithm: AlgorithmIdentifierRef<'a>,
    /// The signature BIT STRING.
    pub(crate) signature: BitStringRef<'a>,
    /// The extensions in certificate order (each OID at most once).
    pub(crate) extensions: Vec<ExtensionRef<'a>>,
    pub(crate) not_before: Timestamp,
    pub(crate) not_after: Timestamp,
    pub(crate) profile: Profile,
}

/// The DER structure of a certificate: the certificate itself, then its
/// extension list (see [`parse_extensions`]). Everything else [`CertInfo::parse`]
/// checks is about the values.
fn decode(der: &[u8]) -> std::result::Result<(CertificateRef<'_>, Vec<ExtensionRef<'_>>), String> {
    let cert =
        CertificateRef::from_der(der).map_err(|e| format!("not a DER X.509 certificate: {e}"))?;
    let extensions = match &cert.tbs_certificate.extensions {
        Some(seq) => parse_extensions(seq)?,
        None => Vec::new(),
    };
    Ok((cert, extensions))
}

impl<'a> CertInfo<'a> {
    /// Parse `der` strictly: the whole input must be one DER certificate, no extension
    /// may appear twice, and basicConstraints / keyUsage / extKeyUsage must decode.
    pub(crate) fn parse(der: &'a [u8]) -> std::result::Result<CertInfo<'a>, String> {
        let (cert, extensions) = decode(der)?;
        let tbs = cert.tbs_certificate;
        let raw = RawCert::split(der).ok_or("certificate TBS structure is malformed")?;
        let time = |t: &x509_cert::time::Time, what: &str| {
            i64::try_from(t.to_unix_duration().as_secs())
                .map(Timestamp::from_unix)
                .map_err(|_| format!("{what} is out of range"))
        };
        let not_before = time(&tbs.validity.not_before, "notBefore")?;
        let not_after = time(&tbs.validity.not_after, "notAfter")?;
        for (i, e) in extensions.iter().enumerate() {
            if extensions
                .get(..i)
                .unwrap_or(&[])
                .iter()
                .any(|p| p.extn_id == e.extn_id)
            {
                return Err(format!("extension {} appears more than once", e.extn_id));
            }
        }
        let profile = profile(tbs.version, &extensions, raw.issuer)?;
        Ok(CertInfo {
            der,
            raw,
            signature_algorithm: cert.signature_algorithm,
            tbs_signature_algorithm: tbs.signature,
            signature: cert.signature,
            extensions,
            not_before,
            not_after,
            profile,
        })
    }
}

/// Decode the profile extensions, so malformed ones are parse errors.
fn profile(
    version: Version,
    extensions: &[ExtensionRef<'_>],
    issuer_name: &[u8],
) -> std::result::Result<Profile, String> {
    let mut p = Profile {
        v3: version == Version::V3,
        issuer_name: issuer_name.to_vec(),
        basic_constraints: None,
        key_usage: None,
        eku: None,
        critical: Vec::new(),
        name_constraints: false,
    };
    for ext in extensions {
        let v = ext.extn_value;
        if ext.critical {
            p.critical.push(ext.extn_id);
        }
        p.name_constraints |= ext.extn_id == OID_NAME_CONSTRAINTS;
        if ext.extn_id == OID_BASIC_CONSTRAINTS {
            let bc = BasicConstraints::from_der(v)
                .map_err(|e| format!("basicConstraints is malformed: {e}"))?;
            p.basic_constraints = Some((ext.critical, bc));
        } else if ext.extn_id == OID_KEY_USAGE {
            let ku = KeyUsage::from_der(v).map_err(|e| format!("keyUsage is malformed: {e}"))?;
            p.key_usage = Some(ku);
        } else if ext.extn_id == OID_EKU {
            let eku = ExtendedKeyUsage::from_der(v)
                .map_err(|e| format!("extKeyUsage is malformed: {e}"))?;
            p.eku = Some(eku.0);
        }
    }
    Ok(p)
}

/// Exact byte slices of a certificate's parts, borrowed from its DER.
pub(crate) struct RawCert<'a> {
    /// The whole `tbsCertificate` TLV: the bytes the issuer signed.
    pub(crate) tbs: &'a [u8],
    /// The issuer Name TLV.
    pub(crate) issuer: &'a [u8],
    /// The subject Name TLV.
    pub(crate) subject: &'a [u8],
    /// The SubjectPublicKeyInfo TLV.
    pub(crate) spki: &'a [u8],
}

impl<'a> RawCert<'a> {
    /// Split a certificate into its parts by walking the DER TLVs.
    pub(crate) fn split(der: &'a [u8]) -> Option<RawCert<'a>> {
        let (cert, rest) = split_tlv(der)?;
        if cert.tag != TAG_SEQUENCE || !rest.is_empty() {
            return None;
        }
        let (tbs, _) = split_tlv(cert.content)?;
        if tbs.tag != TAG_SEQUENCE {
            return None;
        }
        let mut fields: [&[u8]; 7] = [&[]; 7];
        let mut items = tbs.content;
        for slot in fields.iter_mut() {
            let Some((t, r)) = split_tlv(items) else {
                break;
            };
            *slot = t.raw;
            items = r;
        }
        // The version is an optional `[0] EXPLICIT` element before the serial number.
        let skip = usize::from(fields.first()?.first() == Some(&0xA0));
        let field = |i: usize| fields.get(skip + i).copied().filter(|f| !f.is_empty());
        Some(RawCert {
            tbs: tbs.raw,
            issuer: field(2)?,
            subject: field(4)?,
            spki: field(5)?,
        })
    }
}

/// DER tag of SEQUENCE.
pub(crate) const TAG_SEQUENCE: u8 = 0x30;

/// One DER TLV: its tag byte, its contents and its whole encoding.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
    pub(crate) raw: &'a [u8],
}

/// Split the first TLV off `input`: single-byte tags and definite, minimally encoded
/// lengths only (DER), so nothing is ever read past `input`.
pub(crate) fn split_tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, after_tag) = input.split_first()?;
    if tag & 0x1F == 0x1F {
        return None;
    }
    let (&first, mut rest) = after_tag.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 {
            return None;
        }
        let (bytes, r) = rest.split_at_checked(n)?;
        rest = r;
        if bytes.first() == Some(&0) {
            return None;
        }
        let len = bytes.iter().fold(0usize, |a, &b| (a << 8) | usize::from(b));
        if len < 0x80 {
            return None;
        }
        len
    };
    let header_len = input.len() - rest.len();
    let (content, after) = rest.split_at_checked(len)?;
    let raw = input.get(..header_len.checked_add(len)?)?;
    Some((Tlv { tag, content, raw }, after))
}

/// Append a DER TLV with a minimal length encoding.
pub(crate) fn push_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let n = bytes.len() - skip;
        out.push(0x80 | n as u8);
        out.extend_from_slice(bytes.get(skip..).unwrap_or(&[]));
    }
    out.extend_from_slice(content);
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Loading conformance vectors for the certificate, chain and SCT tests.

    use crate::bundle::Bundle;
    use crate::time::Timestamp;
    use crate::trust_root::TrustedRoot;

    /// The conformance directory.
    pub(crate) fn dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors")
    }

    /// A conformance case: its bundle and its trusted root (own or production).
    pub(crate) fn case(name: &str) -> (Bundle, TrustedRoot) {
        let d = dir().join("conformance").join(name);
        let bundle = Bundle::from_json(&std::fs::read(d.join("bundle.sigstore.json")).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let root_path = d.join("trusted_root.json");
        let root_path = if root_path.exists() {
            root_path
        } else {
            dir().join("trust/production_trusted_root.json")
        };
        let root = TrustedRoot::from_json(&std::fs::read(root_path).unwrap()).unwrap();
        (bundle, root)
    }

    /// The leaf DER of a bundle.
    pub(crate) fn leaf_der(bundle: &Bundle) -> Vec<u8> {
        bundle.leaf_certificate().unwrap().to_vec()
    }

    /// The first tlog entry's integrated time, if any.
    pub(crate) fn integrated_time(bundle: &Bundle) -> Option<Timestamp> {
        let t = bundle.tlog_entries.first()?.integrated_time;
        (t > 0).then(|| Timestamp::from_unix(t as i64))
    }

    /// Replace the value of extension `oid` (dotted) in a certificate DER, or drop the
    /// extension when `value` is `None`. The signature no longer matches; this is for
    /// parse-level tests only.
    pub(crate) fn edit_extension(der: &[u8], oid: &str, value: Option<&[u8]>) -> Vec<u8> {
        use super::{push_tlv, split_tlv};
        let oid = der::asn1::ObjectIdentifier::new(oid).unwrap();
        let (cert, _) = split_tlv(der).unwrap();
        let (tbs, after_tbs) = split_tlv(cert.content).unwrap();
        let mut tbs_body = Vec::new();
        let mut items = tbs.content;
        while let Some((el, r)) = split_tlv(items) {
            items = r;
            if el.tag != 0xA3 {
                tbs_body.extend_from_slice(el.raw);
                continue;
            }
            let (exts, _) = split_tlv(el.content).unwrap();
            let mut list = Vec::new();
            let mut e = exts.content;
            while let Some((ext, r)) = split_tlv(e) {
                e = r;
                let (id, _) = split_tlv(ext.content).unwrap();
                if id.content != oid.as_bytes() {
                    list.extend_from_slice(ext.raw);
                } else if let Some(v) = value {
                    let mut body = id.raw.to_vec();
                    push_tlv(&mut body, 0x04, v);
                    push_tlv(&mut list, 0x30, &body);
                }
            }
            let mut seq = Vec::new();
            push_tlv(&mut seq, 0x30, &list);
            push_tlv(&mut tbs_body, 0xA3, &seq);
        }
        let mut cert_body = Vec::new();
        push_tlv(&mut cert_body, 0x30, &tbs_body);
        cert_body.extend_from_slice(after_tbs);
        let mut out = Vec::new();
        push_tlv(&mut out, 0x30, &cert_body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn fulcio_extension_names_and_oids() {
        let oid = |s: &str| fulcio_extension_oid(s);
        let arc = |n: u32| Some(format!("1.3.6.1.4.1.57264.1.{n}"));
        assert_eq!(oid("SourceRepositoryURI"), arc(12));
        assert_eq!(oid("source repository uri"), arc(12));
        assert_eq!(oid("Source Repository Visibility At Signing"), arc(22));
        assert_eq!(oid("Issuer"), arc(8));
        assert_eq!(oid("Issuer (deprecated)"), arc(1));
        assert_eq!(oid("GitHubWorkflowRef"), arc(6));
        assert_eq!(oid("TokenSubject"), arc(24));
        assert_eq!(oid("sourceRepositoryURI"), arc(12));
        assert_eq!(oid("githubWorkflowSHA"), arc(3));
        assert_eq!(oid("issuerV1"), arc(1));
        assert_eq!(oid("issuerV2"), arc(8));
        assert_eq!(oid("1.3.6.1.4.1.57264.1.99"), arc(99));
        for bad in [
            "",
            "Unknown",
            "OtherName SAN type-id",
            "SourceRepository",
            "1.3.6.1.4.1.57264.1",
            "1.3.6.1.4.1.57264.1.",
            "1.3.6.1.4.1.57264.1.012",
            "1.3.6.1.4.1.57264.1.1.2",
            "1.3.6.1.4.1.57264.1.99999999999",
            "1.3.6.1.4.1.57264.2",
            "2.5.29.17",
            "1.3.6.1.4.1.57264.1.7",
            "...",
        ] {
            assert_eq!(oid(bad), None, "{bad:?}");
        }
    }

    fn leaf(name: &str) -> LeafCertificate {
        let (b, _) = case(name);
        LeafCertificate::parse(&leaf_der(&b)).unwrap()
    }

    /// The borrowed decode accepts exactly the certificates x509-cert's owned
    /// decode accepts (less those with a padded extension OID), byte mutation by
    /// byte mutation.
    #[test]
    fn borrowed_decode_agrees_with_x509_cert() {
        let mut checked = 0;
        for name in ["happy-path-v0.3", "rekor2-happy-path"] {
            let (b, _) = case(name);
            let der = leaf_der(&b);
            assert!(decode(&der).is_ok());
            for i in 0..der.len() {
                for v in [
                    0x00,
                    0x01,
                    0x04,
                    0x05,
                    0x30,
                    0x31,
                    0x80,
                    0xFF,
                    der[i] ^ 0x01,
                ] {
                    if v == der[i] {
                        continue;
                    }
                    let mut m = der.clone();
                    m[i] = v;
                    let ours = decode(&m).is_ok();
                    // x509-cert also takes a padded extnID, which we refuse.
                    let theirs = x509_cert::Certificate::from_der(&m).is_ok_and(|c| {
                        c.tbs_certificate()
                            .extensions()
                            .into_iter()
                            .flatten()
                            .all(|e| oid_is_minimal(e.extn_id.as_bytes()))
                    });
                    assert_eq!(ours, theirs, "{name}: byte {i} := {v:#04x}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 20_000);
    }

    /// A malformed Name is a parse error even where nothing else reads it: in an
    /// extra bundle certificate (never signature-checked) and in the leaf.
    #[test]
    fn malformed_names_are_parse_errors() {
        let (b, _) = case("happy-path-v0.3");
        let der = leaf_der(&b);
        let raw = RawCert::split(&der).unwrap();
        let start = raw.issuer.as_ptr() as usize - der.as_ptr() as usize;
        // The issuer's first RDN: SET (0x31) -> OCTET STRING (0x04), same length.
        let rdn = start + 2;
        assert_eq!(der[rdn], 0x31);
        let mut m = der.clone();
        m[rdn] = 0x04;
        let e = LeafCertificate::parse(&m).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Parse, "{e}");
        let e = crate::chain::check_bundle_chain_extras(&[m]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Parse, "{e}");
    }

    #[test]
    fn extension_count_is_capped() {
        // One harmless extension (an unknown, non-critical OID), repeated.
        let mut one = Vec::new();
        let mut body = Vec::new();
        push_tlv(&mut body, TAG_OID, &[0x2A, 0x03]);
        push_tlv(&mut body, TAG_OCTET_STRING, &[0x05, 0x00]);
        push_tlv(&mut one, TAG_SEQUENCE, &body);
        for n in [MAX_CERT_EXTENSIONS, MAX_CERT_EXTENSIONS + 1] {
            let mut list = Vec::new();
            push_tlv(&mut list, TAG_SEQUENCE, &one.repeat(n));
            let seq = AnyRef::from_der(&list).unwrap();
            let r = parse_extensions(&seq);
            if n == MAX_CERT_EXTENSIONS {
                assert_eq!(r.unwrap().len(), n);
            } else {
                let e = r.err().unwrap();
                assert!(e.contains("more than 256 extensions"), "{e}");
            }
        }
    }

    #[test]
    fn parses_uri_san_issuer_and_extensions() {
        let l = leaf("happy-path-v0.3");
        assert_eq!(
            l.sans,
            vec![SubjectAltName::Uri(
                "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main".into()
            )]
        );
        assert_eq!(
            l.issuer.as_deref(),
            Some("https://token.actions.githubusercontent.com")
        );
        assert_eq!(l.not_before.to_rfc3339(), "2024-03-19T17:26:26Z");
        assert_eq!(l.not_after.to_rfc3339(), "2024-03-19T17:36:26Z");
        // .1-.6 and .8-.22, in certificate order.
        assert_eq!(l.extensions.len(), 21);
        let ext = |arc: &str| {
            l.extensions
                .iter()
                .find(|e| e.oid == format!("1.3.6.1.4.1.57264.1.{arc}"))
                .unwrap()
        };
        assert_eq!(ext("2").value, "workflow_dispatch");
        assert_eq!(ext("2").name, "GitHub Workflow Trigger (deprecated)");
        assert_eq!(ext("11").value, "github-hosted");
        assert_eq!(ext("11").name, "Runner Environment");
        assert_eq!(ext("22").value, "public");
        assert!(
            ext("9")
                .value
                .starts_with("https://github.com/sigstore-conformance/")
        );
        assert_eq!(ext("9").name, "Build Signer URI");
        assert!(l.profile.v3);
    }

    #[test]
    fn parses_email_san() {
        let l = leaf("bundle-with-root-cert_fail");
        assert_eq!(l.sans, vec![SubjectAltName::Email("a@tny.town".into())]);
        assert_eq!(l.issuer.as_deref(), Some("https://github.com/login/oauth"));
    }

    #[test]
    fn issuer_extensions_must_agree_and_v1_is_the_fallback() {
        let (b, _) = case("happy-path-v0.3");
        let der = leaf_der(&b);
        // Both present and equal (as Fulcio issues them): that value.
        let l = LeafCertificate::parse(&der).unwrap();
        assert!(
            l.extensions
                .iter()
                .any(|e| e.oid == "1.3.6.1.4.1.57264.1.1")
        );
        assert!(
            l.extensions
                .iter()
                .any(|e| e.oid == "1.3.6.1.4.1.57264.1.8")
        );
        assert_eq!(
            l.issuer.as_deref(),
            Some("https://token.actions.githubusercontent.com")
        );
        // .8 with a different value than .1: refused, whichever a verifier reads.
        let mut v8 = Vec::new();
        push_tlv(&mut v8, 0x0C, b"https://v2.example");
        let both = edit_extension(&der, "1.3.6.1.4.1.57264.1.8", Some(&v8));
        let e = LeafCertificate::parse(&both).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Identity, "{e}");
        assert!(e.to_string().contains("names two OIDC issuers"), "{e}");
        // Without .1, the .8 value is used.
        let only_v2 = edit_extension(&both, "1.3.6.1.4.1.57264.1.1", None);
        let l = LeafCertificate::parse(&only_v2).unwrap();
        assert_eq!(l.issuer.as_deref(), Some("https://v2.example"));
        // Without .8, the raw .1 value is used.
        let only_v1 = edit_extension(&der, "1.3.6.1.4.1.57264.1.8", None);
        let only_v1 = edit_extension(
            &only_v1,
            "1.3.6.1.4.1.57264.1.1",
            Some(b"https://v1.example"),
        );
        let l = LeafCertificate::parse(&only_v1).unwrap();
        assert_eq!(l.issuer.as_deref(), Some("https://v1.example"));
        // Neither: no issuer.
        let none = edit_extension(&only_v1, "1.3.6.1.4.1.57264.1.1", None);
        let l = LeafCertificate::parse(&none).unwrap();
        assert_eq!(l.issuer, None);
        assert!(
            l.extensions
                .iter()
                .all(|e| !e.oid.ends_with(".1") && !e.oid.ends_with(".8"))
        );
    }

    #[test]
    fn extension_oids_must_be_minimally_encoded() {
        let fulcio_issuer_v2 = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x08];
        assert!(oid_is_minimal(&[0x55, 0x1d, 0x11]));
        assert!(oid_is_minimal(&fulcio_issuer_v2));
        for padded in [
            &[0x80, 0x55][..],
            &[0x55, 0x1d, 0x80, 0x11],
            &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x80, 0x83, 0xbf, 0x30],
        ] {
            assert!(!oid_is_minimal(padded), "{padded:02x?}");
        }
        let (b, _) = case("happy-path-v0.3");
        let der = leaf_der(&b);
        let at = der
            .windows(fulcio_issuer_v2.len())
            .position(|w| w == fulcio_issuer_v2)
            .unwrap();
        // 57264.1.8 becomes 57264.8 with the arc padded (same length).
        let mut padded = der.clone();
        padded[at + 8] = 0x80;
        let e = LeafCertificate::parse(&padded).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse, "{e}");
        assert!(
            e.to_string().contains("extnID is not minimally encoded"),
            "{e}"
        );
    }

    #[test]
    fn username_othername_san() {
        let (b, _) = case("happy-path-v0.3");
        let der = leaf_der(&b);
        // GeneralNames { otherName { 57264.1.7, [0] EXPLICIT UTF8String "alice" }, dNSName }
        let on = |value_tlv: &[u8]| {
            let mut inner = Vec::new();
            push_tlv(&mut inner, 0x06, OID_OTHERNAME_USERNAME.as_bytes());
            push_tlv(&mut inner, 0xA0, value_tlv);
            let mut names = Vec::new();
            push_tlv(&mut names, 0xA0, &inner);
            push_tlv(&mut names, 0x82, b"example.com");
            let mut san = Vec::new();
            push_tlv(&mut san, 0x30, &names);
            edit_extension(&der, "2.5.29.17", Some(&san))
        };
        let mut utf8 = Vec::new();
        push_tlv(&mut utf8, 0x0C, b"alice");
        let l = LeafCertificate::parse(&on(&utf8)).unwrap();
        assert_eq!(l.sans, vec![SubjectAltName::OtherName("alice".into())]);
        // A non-UTF8String username is a parse error, not silently skipped.
        let mut ia5 = Vec::new();
        push_tlv(&mut ia5, 0x16, b"alice");
        let e = LeafCertificate::parse(&on(&ia5)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse, "{e}");
    }

    #[test]
    fn malformed_input_is_parse_error() {
        let (b, _) = case("happy-path-v0.3");
        let der = leaf_der(&b);
        for bad in [
            &b"garbage"[..],
            &[],
            &der[..der.len() - 1],
            &[0x30, 0x03, 0x02, 0x01, 0x01],
        ] {
            let e = LeafCertificate::parse(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Parse, "{e}");
        }
        let mut trailing = der.clone();
        trailing.push(0);
        assert_eq!(
            LeafCertificate::parse(&trailing).unwrap_err().kind(),
            ErrorKind::Parse
        );
        // A DER-string Fulcio extension that is not a UTF8String.
        let bad8 = edit_extension(&der, "1.3.6.1.4.1.57264.1.8", Some(b"https://raw"));
        let e = LeafCertificate::parse(&bad8).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse);
        assert!(e.message().contains("57264.1.8"), "{e}");
        // A raw Fulcio extension that is not UTF-8.
        let bad1 = edit_extension(&der, "1.3.6.1.4.1.57264.1.1", Some(&[0xFF, 0xFE]));
        assert_eq!(
            LeafCertificate::parse(&bad1).unwrap_err().kind(),
            ErrorKind::Parse
        );
        // A malformed SAN.
        let bad_san = edit_extension(&der, "2.5.29.17", Some(&[0x30, 0x02, 0x86]));
        assert_eq!(
            LeafCertificate::parse(&bad_san).unwrap_err().kind(),
            ErrorKind::Parse
        );
    }

    #[test]
    fn valid_at_is_inclusive_at_full_precision() {
        let l = leaf("happy-path-v0.3");
        assert!(l.valid_at(l.not_before));
        assert!(l.valid_at(l.not_after));
        let after = Timestamp::new(l.not_after.unix_secs(), 1).unwrap();
        assert!(!l.valid_at(after));
        let before = Timestamp::new(l.not_before.unix_secs() - 1, 999_999_999).unwrap();
        assert!(!l.valid_at(before));
    }

    #[test]
    fn tlv_helpers_round_trip_and_reject_non_der() {
        for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let content = vec![7u8; len];
            let mut out = Vec::new();
            push_tlv(&mut out, 0x04, &content);
            let (t, rest) = split_tlv(&out).unwrap();
            assert_eq!(
                (t.tag, t.content.len(), t.raw.len()),
                (0x04, len, out.len())
            );
            assert!(rest.is_empty());
        }
        // Non-minimal long form, indefinite length, truncated, multi-byte tag.
        for bad in [
            &[0x04, 0x81, 0x05, 1, 2, 3, 4, 5][..],
            &[0x30, 0x80, 0, 0],
            &[0x04, 0x05, 1],
            &[0x1F, 0x01, 0x00],
            &[0x04, 0x82, 0x00, 0x80],
        ] {
            assert!(split_tlv(bad).is_none(), "{bad:?}");
        }
    }

    /// The byte-level Fulcio arc test agrees with `ObjectIdentifier::parent`.
    #[test]
    fn fulcio_arc_matches_the_oid_parent() {
        for (oid, want) in [
            ("1.3.6.1.4.1.57264.1.1", Some(1)),
            ("1.3.6.1.4.1.57264.1.8", Some(8)),
            ("1.3.6.1.4.1.57264.1.127", Some(127)),
            ("1.3.6.1.4.1.57264.1.128", Some(128)),
            ("1.3.6.1.4.1.57264.1.268435455", Some(268_435_455)),
            ("1.3.6.1.4.1.57264.1.8.1", None),
            ("1.3.6.1.4.1.57264.1", None),
            ("1.3.6.1.4.1.57264.2.1", None),
            ("1.3.6.1.4.1.57264.10", None),
            ("2.5.29.17", None),
        ] {
            let o = ObjectIdentifier::new_unwrap(oid);
            assert_eq!(fulcio_arc(&o), want, "{oid}");
            assert_eq!(want.is_some(), o.parent() == Some(OID_FULCIO_ARC), "{oid}");
        }
    }
}
