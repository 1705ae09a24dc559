//! RFC 3161 signed timestamps (SPEC §7): parse a DER `TimeStampResp`, check
//! that its token covers the bundle's signature bytes, verify the CMS signature
//! and validate the signer certificate against each trusted timestamp authority
//! separately, at the token's own `genTime` (hybrid model).
//!
//! The CMS structure is walked as raw DER rather than decoded with the `cms`
//! types: the signature covers the signed attributes *as sent*, and der 0.8
//! re-sorts `SET OF` on decode, so a re-encoding could differ from the signed
//! bytes. Walking the TLVs also keeps the exact embedded certificate bytes.

use crate::crypto::{HashAlg, PublicKey, Scheme};
use crate::error::{Error, Result, err};
use crate::time::{TimeRange, Timestamp};
use crate::trust_root::CertificateAuthority;
use cms::signed_data::SignerIdentifier;
use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode, Reader, SliceReader, Tagged};
use pki_types::{CertificateDer, TrustAnchor, UnixTime};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectKeyIdentifier};

/// id-signedData (1.2.840.113549.1.7.2).
const OID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4).
const OID_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// CMS content-type attribute (1.2.840.113549.1.9.3).
const OID_ATTR_CONTENT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// CMS message-digest attribute (1.2.840.113549.1.9.4).
const OID_ATTR_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-aa-signingCertificateV2 (1.2.840.113549.1.9.16.2.47, RFC 5035).
const OID_ATTR_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-aa-signingCertificate (1.2.840.113549.1.9.16.2.12, RFC 2634): SHA-1 ESSCertIDs.
const OID_ATTR_SIGNING_CERTIFICATE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.12");
/// id-kp-timeStamping (1.3.6.1.5.5.7.3.8).
const OID_KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
/// id-kp-timeStamping as DER OID contents, for webpki.
const TIME_STAMPING_DER: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];
/// id-ecPublicKey, which some signers put in `signatureAlgorithm`.
const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// rsaEncryption, the usual CMS `signatureAlgorithm` for RSA signers.
const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

// DER identifier octets used while walking the token.
const TAG_INTEGER: u8 = 0x02;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OID: u8 = 0x06;
const TAG_UTF8_STRING: u8 = 0x0c;
const TAG_GENERALIZED_TIME: u8 = 0x18;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_SET: u8 = 0x31;
const TAG_CTX0_PRIMITIVE: u8 = 0x80;
const TAG_CTX0: u8 = 0xa0;
const TAG_CTX1: u8 = 0xa1;

/// Most certificates read from a token's `SignedData.certificates`.
pub const MAX_TOKEN_CERTIFICATES: usize = 32;

/// The trusted timestamp authorities, prepared once per verifier (parse certificates,
/// pre-verify what can be pre-verified).
pub struct TimestampAuthorities {
    authorities: Vec<Authority>,
}

/// One trusted authority, ready to validate signer certificates.
struct Authority {
    uri: String,
    valid_for: Option<TimeRange>,
    /// The last chain certificate: the only anchor of this authority.
    anchor: TrustAnchor<'static>,
    anchor_der: Vec<u8>,
    /// Certificates between the pinned leaf (if any) and the anchor.
    intermediates: Vec<CertificateDer<'static>>,
    /// The pinned TSA leaf: the first chain certificate when it is not a CA
    /// and not the anchor itself.
    leaf: Option<(Vec<u8>, Certificate)>,
    /// The anchor, parsed, for one-certificate authorities whose anchor signs tokens.
    anchor_cert: Certificate,
    /// Validity of each chain certificate below the anchor (`None`: unreadable).
    chain_windows: Vec<Option<(Timestamp, Timestamp)>>,
    /// The anchor's own validity, which webpki does not check (`None`: unreadable).
    anchor_window: Option<(Timestamp, Timestamp)>,
    /// Once the pinned leaf's path to the anchor has been validated (lazily, on the
    /// first token it signs, so a cold one-bundle process that never sees a token pays
    /// nothing): the window in which every certificate of that path (the leaf and the
    /// intermediates; webpki never checks the anchor's validity) is valid. Path
    /// validation does not depend on the time otherwise, so a token signed by the
    /// pinned leaf at a time inside the window needs no new path validation (a P-384
    /// verification or more per bundle saved).
    pinned_path_window: std::sync::OnceLock<Option<(Timestamp, Timestamp)>>,
}

/// A timestamp that verified against a trusted authority.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedTimestamp {
    /// The token's `genTime`, full precision.
    pub time: Timestamp,
    /// Index into the trusted root's `timestampAuthorities`.
    pub authority_index: usize,
    /// The `uri` of that authority (informational; useful for de-duplication).
    pub authority_uri: String,
}

impl TimestampAuthorities {
    /// Prepare the trusted root's `timestampAuthorities`.
    ///
    /// Malformed authority certificates → [`ErrorKind::TrustedRoot`](crate::ErrorKind::TrustedRoot).
    pub fn new(tsas: &[CertificateAuthority]) -> Result<TimestampAuthorities> {
        let authorities = tsas
            .iter()
            .enumerate()
            .map(|(i, ca)| {
                Authority::new(ca).map_err(|e| {
                    err!(
                        TrustedRoot,
                        "timestamp authority {i} ({}): {}",
                        ca.uri,
                        e.message()
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TimestampAuthorities { authorities })
    }

    /// Verify one DER `TimeStampResp` over `signature` (the bundle's signature bytes).
    ///
    /// Any failure → [`ErrorKind::Timestamp`](crate::ErrorKind::Timestamp), with a message
    /// naming the failed check. Authorities are tried one at a time; the first that
    /// validates the signer certificate at `genTime`, and whose `validFor` contains it,
    /// is reported.
    pub fn verify(&self, timestamp_der: &[u8], signature: &[u8]) -> Result<VerifiedTimestamp> {
        let token = Token::parse(timestamp_der)?;
        let named_signer = token.check_content(signature)?;
        if self.authorities.is_empty() {
            return Err(err!(
                Timestamp,
                "the trusted root has no timestamp authorities"
            ));
        }
        let mut reasons = Vec::new();
        for (i, a) in self.authorities.iter().enumerate() {
            match a.verify_token(&token, &named_signer) {
                Ok(()) => {
                    return Ok(VerifiedTimestamp {
                        time: token.gen_time,
                        authority_index: i,
                        authority_uri: a.uri.clone(),
                    });
                }
                Err(why) => reasons.push(format!("authority {i} ({}): {why}", a.uri)),
            }
        }
        Err(err!(
            Timestamp,
            "no trusted timestamp authority verified the token (genTime {}): {}",
            token.gen_time,
            reasons.join("; ")
        ))
    }
}

impl Authority {
    fn new(ca: &CertificateAuthority) -> Result<Authority> {
        let (anchor_der, rest) = ca
            .cert_chain
            .split_last()
            .ok_or_else(|| err!(TrustedRoot, "empty certificate chain"))?;
        let parse = |der: &[u8], what: &str| {
            Certificate::from_der(der)
                .map_err(|e| err!(TrustedRoot, "{what} is not a valid certificate: {e}"))
        };
        let anchor_cert = parse(anchor_der, "the anchor (last certificate)")?;
        let anchor = webpki::anchor_from_trusted_cert(&CertificateDer::from(anchor_der.as_slice()))
            .map_err(|e| err!(TrustedRoot, "the anchor is not usable: {e:?}"))?
            .to_owned();
        let mut leaf = None;
        let mut intermediates = Vec::with_capacity(rest.len());
        let mut windows = Vec::with_capacity(rest.len());
        for (j, der) in rest.iter().enumerate() {
            let cert = parse(der, &format!("certificate {j}"))?;
            windows.push(validity(&cert).ok());
            if j == 0 && !is_ca(&cert).map_err(|m| err!(TrustedRoot, "certificate 0: {m}"))? {
                leaf = Some((der.clone(), cert));
            } else {
                intermediates.push(CertificateDer::from(der.clone()));
            }
        }
        Ok(Authority {
            uri: ca.uri.clone(),
            valid_for: ca.valid_for,
            anchor,
            anchor_der: anchor_der.clone(),
            intermediates,
            leaf,
            anchor_window: validity(&anchor_cert).ok(),
            anchor_cert,
            chain_windows: windows,
            pinned_path_window: std::sync::OnceLock::new(),
        })
    }

    /// Validate the pinned leaf's path once, at the start of the window where the
    /// validity of all chain certificates below the anchor overlaps; `None` when there
    /// is no pinned leaf, no overlap, or no valid path (then every token gets a full
    /// path validation, with its precise error).
    fn validate_pinned_path(&self) -> Option<(Timestamp, Timestamp)> {
        let (leaf_der, _) = self.leaf.as_ref()?;
        let mut window: Option<(Timestamp, Timestamp)> = None;
        for w in &self.chain_windows {
            let (nb, na) = (*w)?;
            window = Some(match window {
                None => (nb, na),
                Some((lo, hi)) => (lo.max(nb), hi.min(na)),
            });
        }
        let (lo, hi) = window.filter(|(lo, hi)| lo <= hi)?;
        // Certificate times are whole seconds, so `lo` is exact for webpki.
        let secs = u64::try_from(lo.unix_secs()).ok()?;
        let ee_der = CertificateDer::from(leaf_der.as_slice());
        let ee = webpki::EndEntityCert::try_from(&ee_der).ok()?;
        ee.verify_for_usage(
            crate::crypto::webpki_algs::ALL,
            std::slice::from_ref(&self.anchor),
            &self.intermediates,
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs)),
            webpki::KeyUsage::required_if_present(TIME_STAMPING_DER),
            None,
            None,
        )
        .ok()?;
        Some((lo, hi))
    }

    /// Verify `token` under this authority alone; `named_signer` is what the token's
    /// signingCertificate(V2) attributes say its signer certificate is. The error is
    /// a plain reason; the caller wraps all reasons into one `Timestamp` error.
    fn verify_token(
        &self,
        token: &Token<'_>,
        named_signer: &[SignerCertHash],
    ) -> std::result::Result<(), String> {
        let t = token.gen_time;
        // Signer certificate (SPEC §7.2.3): embedded match, else the pinned leaf.
        let embedded = token.signer_cert()?;
        let pinned = self.leaf.as_ref().map(|(der, cert)| (der.as_slice(), cert));
        let (signer_der, signer) = match (embedded, pinned) {
            (Some(e), Some(p)) => {
                if e.0 != p.0 {
                    return Err(
                        "the embedded signer certificate differs from the authority's \
                                pinned TSA certificate"
                            .into(),
                    );
                }
                e
            }
            (Some(e), None) => e,
            (None, Some(p)) => {
                if !sid_matches(&token.sid, p.1)? {
                    return Err(
                        "the authority's TSA certificate does not match the signer identifier"
                            .into(),
                    );
                }
                p
            }
            (None, None) => {
                if self.intermediates.is_empty() && sid_matches(&token.sid, &self.anchor_cert)? {
                    (self.anchor_der.as_slice(), &self.anchor_cert)
                } else {
                    return Err(
                        "no usable signer certificate (none embedded matches the signer \
                                identifier and the authority pins no TSA certificate)"
                            .into(),
                    );
                }
            }
        };

        check_signer_profile(signer)?;
        let (nb, na) = validity(signer)?;
        if t < nb || t > na {
            return Err(format!(
                "genTime {t} is outside the signer certificate's validity {nb} to {na}"
            ));
        }
        if let Some(w) = &self.valid_for
            && !w.contains(t)
        {
            return Err(format!(
                "genTime {t} is outside the authority's validFor {} to {}",
                w.start,
                w.end
                    .map_or_else(|| "(open)".to_string(), |e| e.to_string())
            ));
        }
        token.check_signature(signer)?;
        // SPEC §7.2.2 (SHOULD): the TSA signed which certificate is its own; a token
        // naming another certificate is not taken to be signed by this one, even
        // when both hold the same key.
        // (A SHA-1 certHash binds as well as any: what counts here is second-preimage
        // resistance, which SHA-1 still has.)
        if let Some(named) = named_signer
            .iter()
            .find(|n| n.alg.digest(signer_der) != n.hash)
        {
            return Err(format!(
                "the {} attribute names another certificate: its {} certHash is not the \
                 signer certificate's",
                named.attribute(),
                named.alg.name()
            ));
        }

        if signer_der == self.anchor_der.as_slice() {
            // A one-certificate authority whose anchor signs tokens itself:
            // the anchor is trusted as is; its validity was checked above.
            return Ok(());
        }
        self.validate_path(signer_der, token, t)
    }

    /// Path validation of the signer certificate to this authority's anchor at `t`.
    fn validate_path(
        &self,
        signer_der: &[u8],
        token: &Token<'_>,
        t: Timestamp,
    ) -> std::result::Result<(), String> {
        // The pinned leaf's path was validated once; inside its window it still holds
        // (whole-second bounds, so both of webpki's roundings of `t` lie inside too).
        // Extra intermediates from the token could only add paths, never remove one.
        if let Some((pinned, _)) = &self.leaf
            && signer_der == pinned.as_slice()
            && let Some((lo, hi)) = *self
                .pinned_path_window
                .get_or_init(|| self.validate_pinned_path())
            && lo <= t
            && t <= hi
        {
            return self.check_anchor_validity(t);
        }
        let ee_der = CertificateDer::from(signer_der);
        let ee = webpki::EndEntityCert::try_from(&ee_der)
            .map_err(|e| format!("the signer certificate is not acceptable: {e:?}"))?;
        let mut intermediates: Vec<CertificateDer<'_>> = self
            .intermediates
            .iter()
            .map(|c| CertificateDer::from(c.as_ref()))
            .collect();
        intermediates.extend(
            token
                .certs
                .iter()
                .filter(|(raw, _)| *raw != signer_der)
                .map(|(raw, _)| CertificateDer::from(*raw)),
        );
        let secs =
            u64::try_from(t.unix_secs()).map_err(|_| format!("genTime {t} is before 1970"))?;
        // webpki takes whole seconds. Certificate times are whole seconds, so a
        // fractional genTime lies inside every window iff both its floor and its
        // ceiling do.
        let mut times = vec![secs];
        if t.subsec_nanos() > 0 {
            times.push(secs.checked_add(1).ok_or("genTime overflows")?);
        }
        for s in times {
            ee.verify_for_usage(
                crate::crypto::webpki_algs::ALL,
                std::slice::from_ref(&self.anchor),
                &intermediates,
                UnixTime::since_unix_epoch(std::time::Duration::from_secs(s)),
                // Intermediates may lack an EKU (DEPS gotcha 1); the leaf's EKU is
                // checked separately in `check_signer_profile`.
                webpki::KeyUsage::required_if_present(TIME_STAMPING_DER),
                None,
                None,
            )
            .map_err(|e| {
                format!("the signer certificate chain is not valid at genTime {t}: {e:?}")
            })?;
        }
        self.check_anchor_validity(t)
    }

    /// The anchor must be valid at genTime too (SPEC §7.2.5, as for Fulcio CAs):
    /// webpki treats an anchor as a bare name and key.
    fn check_anchor_validity(&self, t: Timestamp) -> std::result::Result<(), String> {
        match self.anchor_window {
            Some((nb, na)) if nb <= t && t <= na => Ok(()),
            Some((nb, na)) => Err(format!(
                "genTime {t} is outside the validity of the authority's root certificate \
                 {nb} to {na}"
            )),
            None => Err("the authority's root certificate has an unreadable validity".into()),
        }
    }
}

/// The parts of a parsed token that the checks need, borrowed from its DER.
struct Token<'a> {
    /// eContent octets: the DER TSTInfo.
    tst_info: &'a [u8],
    imprint_alg: HashAlg,
    imprint: &'a [u8],
    gen_time: Timestamp,
    /// Embedded certificates: exact DER and parsed form.
    certs: Vec<(&'a [u8], Certificate)>,
    sid: SignerIdentifier,
    digest_alg: HashAlg,
    /// The signed attributes TLV as sent, tagged `[0]`.
    signed_attrs: &'a [u8],
    scheme_oid: ObjectIdentifier,
    signature: &'a [u8],
}

impl<'a> Token<'a> {
    /// Parse the structure (SPEC §7.1); every structural failure → `Timestamp`.
    fn parse(der: &'a [u8]) -> Result<Token<'a>> {
        let resp = single(der, TAG_SEQUENCE, "TimeStampResp")?;
        let mut resp = children(resp.value, "TimeStampResp")?.into_iter();
        let status = next(&mut resp, TAG_SEQUENCE, "TimeStampResp.status")?;
        let status = children(status.value, "PKIStatusInfo")?;
        // PKIStatusInfo { status, statusString PKIFreeText OPTIONAL, failInfo OPTIONAL }:
        // a granted response carries no failInfo.
        let (code, free_text) = match status.as_slice() {
            [code] => (code, None),
            [code, text] => (code, Some(text)),
            _ => return Err(err!(Timestamp, "PKIStatusInfo has unexpected fields")),
        };
        expect_tag(code, TAG_INTEGER, "PKIStatusInfo.status")?;
        if let Some(text) = free_text {
            expect_tag(text, TAG_SEQUENCE, "PKIStatusInfo.statusString")?;
            if children(text.value, "statusString")?
                .iter()
                .any(|t| t.tag != TAG_UTF8_STRING)
            {
                return Err(err!(
                    Timestamp,
                    "PKIStatusInfo.statusString is not UTF8Strings"
                ));
            }
        }
        // Only 0 (granted) is accepted: 1 (grantedWithMods) means the TSA changed
        // the request, which SPEC §7.1 does not allow (sigstore-python agrees).
        if code.value != [0] {
            return Err(err!(
                Timestamp,
                "bad status: the TimeStampResp status is {} (only 0, granted, is accepted)",
                small_int(code.value)
            ));
        }
        let ci = resp
            .next()
            .ok_or_else(|| err!(Timestamp, "the TimeStampResp carries no timeStampToken"))?;
        expect_tag(&ci, TAG_SEQUENCE, "timeStampToken")?;
        if resp.next().is_some() {
            return Err(err!(Timestamp, "trailing data in TimeStampResp"));
        }

        // ContentInfo { contentType, [0] EXPLICIT SignedData }.
        let ci = children(ci.value, "ContentInfo")?;
        let [ct, content] = ci.as_slice() else {
            return Err(err!(Timestamp, "ContentInfo must have exactly 2 fields"));
        };
        if oid(ct, "ContentInfo.contentType")? != OID_SIGNED_DATA {
            return Err(err!(Timestamp, "the token's contentType is not signedData"));
        }
        expect_tag(content, TAG_CTX0, "ContentInfo.content")?;
        let sd = single(content.value, TAG_SEQUENCE, "SignedData")?;
        let mut sd = children(sd.value, "SignedData")?.into_iter().peekable();
        // RFC 5652 §5.1: version 3 for any eContentType but id-data (4 and 5 only
        // with attribute or other-format certificates).
        let version = next(&mut sd, TAG_INTEGER, "SignedData.version")?;
        if !matches!(version.value, [3..=5]) {
            return Err(err!(Timestamp, "SignedData.version is not 3"));
        }
        let digest_algs = next(&mut sd, TAG_SET, "SignedData.digestAlgorithms")?;
        let digest_algs = children(digest_algs.value, "SignedData.digestAlgorithms")?
            .iter()
            .map(|a| {
                expect_tag(a, TAG_SEQUENCE, "SignedData.digestAlgorithms")?;
                spki::AlgorithmIdentifierRef::from_der(a.raw).map_err(|e| {
                    err!(Timestamp, "SignedData.digestAlgorithms is malformed: {e}")
                })?;
                Ok(hash_alg(a, "SignedData.digestAlgorithms").ok())
            })
            .collect::<Result<Vec<Option<HashAlg>>>>()?;
        let eci = next(&mut sd, TAG_SEQUENCE, "SignedData.encapContentInfo")?;
        let mut certs = Vec::new();
        if let Some(c) = sd.next_if(|c| c.tag == TAG_CTX0) {
            let list = children(c.value, "SignedData.certificates")?;
            if list.len() > MAX_TOKEN_CERTIFICATES {
                return Err(err!(
                    Limit,
                    "the timestamp token carries {} certificates, over {MAX_TOKEN_CERTIFICATES}",
                    list.len()
                ));
            }
            for (j, c) in list.iter().enumerate() {
                // Other CertificateChoices (attribute certs etc.) are never signers.
                if c.tag == TAG_SEQUENCE {
                    let cert = Certificate::from_der(c.raw).map_err(|e| {
                        err!(Timestamp, "embedded certificate {j} is malformed: {e}")
                    })?;
                    certs.push((c.raw, cert));
                }
            }
        }
        sd.next_if(|c| c.tag == TAG_CTX1); // crls: unused
        let sis = next(&mut sd, TAG_SET, "SignedData.signerInfos")?;
        if sd.next().is_some() {
            return Err(err!(Timestamp, "trailing fields in SignedData"));
        }

        // encapContentInfo { eContentType = id-ct-TSTInfo, [0] EXPLICIT OCTET STRING }.
        let eci = children(eci.value, "encapContentInfo")?;
        let [ect, econtent] = eci.as_slice() else {
            return Err(err!(
                Timestamp,
                "encapContentInfo must have an eContentType and an eContent"
            ));
        };
        if oid(ect, "eContentType")? != OID_TST_INFO {
            return Err(err!(Timestamp, "eContentType is not id-ct-TSTInfo"));
        }
        expect_tag(econtent, TAG_CTX0, "eContent")?;
        let tst_info = single(econtent.value, TAG_OCTET_STRING, "eContent")?.value;

        // Exactly one SignerInfo.
        let sis = children(sis.value, "signerInfos")?;
        let [si] = sis.as_slice() else {
            return Err(err!(
                Timestamp,
                "the token has {} SignerInfos; exactly one is required",
                sis.len()
            ));
        };
        expect_tag(si, TAG_SEQUENCE, "SignerInfo")?;
        let mut si = children(si.value, "SignerInfo")?.into_iter().peekable();
        let si_version = next(&mut si, TAG_INTEGER, "SignerInfo.version")?;
        let sid = si
            .next()
            .filter(|s| s.tag == TAG_SEQUENCE || s.tag == TAG_CTX0_PRIMITIVE)
            .ok_or_else(|| err!(Timestamp, "SignerInfo.sid is missing or malformed"))?;
        // RFC 5652 §5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier.
        let expected_version: &[u8] = if sid.tag == TAG_SEQUENCE { &[1] } else { &[3] };
        if si_version.value != expected_version {
            return Err(err!(
                Timestamp,
                "SignerInfo.version does not fit its signer identifier"
            ));
        }
        let sid = SignerIdentifier::from_der(sid.raw)
            .map_err(|e| err!(Timestamp, "SignerInfo.sid is malformed: {e}"))?;
        let digest_alg = next(&mut si, TAG_SEQUENCE, "SignerInfo.digestAlgorithm")?;
        let digest_alg = hash_alg(&digest_alg, "SignerInfo.digestAlgorithm")?;
        if !digest_algs.contains(&Some(digest_alg)) {
            return Err(err!(
                Timestamp,
                "SignedData.digestAlgorithms does not list the SignerInfo's digest algorithm"
            ));
        }
        let signed_attrs = si
            .next_if(|a| a.tag == TAG_CTX0)
            .ok_or_else(|| err!(Timestamp, "the SignerInfo has no signed attributes"))?
            .raw;
        let sig_alg = next(&mut si, TAG_SEQUENCE, "SignerInfo.signatureAlgorithm")?;
        let sig_alg = spki::AlgorithmIdentifierRef::from_der(sig_alg.raw)
            .map_err(|e| err!(Timestamp, "SignerInfo.signatureAlgorithm is malformed: {e}"))?;
        let scheme_oid = sig_alg.oid;
        // RFC 5754: ECDSA identifiers have no parameters; RSA ones NULL or none.
        let rsa =
            scheme_oid == OID_RSA_ENCRYPTION || scheme_oid.parent() == OID_RSA_ENCRYPTION.parent();
        if sig_alg.parameters.is_some_and(|p| !(rsa && p.is_null()))
            && scheme_oid != OID_EC_PUBLIC_KEY
        {
            return Err(err!(
                Timestamp,
                "SignerInfo.signatureAlgorithm has unexpected parameters"
            ));
        }
        let signature = next(&mut si, TAG_OCTET_STRING, "SignerInfo.signature")?.value;
        si.next_if(|a| a.tag == TAG_CTX1); // unsignedAttrs: unused
        if si.next().is_some() {
            return Err(err!(Timestamp, "trailing fields in SignerInfo"));
        }

        // TSTInfo: version, policy, messageImprint, serialNumber, genTime, then
        // optional fields that nothing offline can check (they must still be
        // well-formed TLVs).
        let tst = single(tst_info, TAG_SEQUENCE, "TSTInfo")?;
        let mut tst = children(tst.value, "TSTInfo")?.into_iter();
        let version = next(&mut tst, TAG_INTEGER, "TSTInfo.version")?;
        if version.value != [1] {
            return Err(err!(Timestamp, "TSTInfo.version is not 1"));
        }
        next(&mut tst, TAG_OID, "TSTInfo.policy")?;
        let mi = next(&mut tst, TAG_SEQUENCE, "TSTInfo.messageImprint")?;
        let mi = children(mi.value, "messageImprint")?;
        let [mi_alg, mi_hash] = mi.as_slice() else {
            return Err(err!(Timestamp, "messageImprint must have exactly 2 fields"));
        };
        expect_tag(mi_alg, TAG_SEQUENCE, "messageImprint.hashAlgorithm")?;
        let imprint_alg = hash_alg(mi_alg, "messageImprint.hashAlgorithm")?;
        expect_tag(mi_hash, TAG_OCTET_STRING, "messageImprint.hashedMessage")?;
        next(&mut tst, TAG_INTEGER, "TSTInfo.serialNumber")?;
        let gt = next(&mut tst, TAG_GENERALIZED_TIME, "TSTInfo.genTime")?;
        let gen_time = Timestamp::parse_generalized_time(gt.value).ok_or_else(|| {
            err!(
                Timestamp,
                "TSTInfo.genTime {:?} is not a valid GeneralizedTime",
                String::from_utf8_lossy(gt.value)
            )
        })?;

        Ok(Token {
            tst_info,
            imprint_alg,
            imprint: mi_hash.value,
            gen_time,
            certs,
            sid,
            digest_alg,
            signed_attrs,
            scheme_oid,
            signature,
        })
    }

    /// Authority-independent checks: the imprint covers `signature` (SPEC §7.2.1)
    /// and the signed attributes bind the TSTInfo (§7.2.2). Returns the signer
    /// certificate hashes of the signingCertificateV2 and signingCertificate
    /// attributes, those present.
    fn check_content(&self, signature: &[u8]) -> Result<Vec<SignerCertHash>> {
        if self.imprint_alg.digest(signature) != self.imprint {
            return Err(err!(
                Timestamp,
                "imprint mismatch: messageImprint is not the {} of the bundle signature",
                self.imprint_alg.short_name()
            ));
        }
        let attrs = self.signed_attrs_set();
        let attrs = x509_cert::attr::Attributes::from_der(&attrs)
            .map_err(|e| err!(Timestamp, "the signed attributes are malformed: {e}"))?;
        let optional_value = |oid: ObjectIdentifier, name: &str| {
            let mut found = attrs.iter().filter(|a| a.oid == oid);
            match (found.next(), found.next()) {
                (Some(a), None) if a.values.len() == 1 => Ok(a.values.iter().next()),
                (None, _) => Ok(None),
                _ => Err(err!(
                    Timestamp,
                    "the {name} signed attribute must occur once with one value"
                )),
            }
        };
        let single_value = |oid: ObjectIdentifier, name: &str| {
            optional_value(oid, name)?
                .ok_or_else(|| err!(Timestamp, "the {name} signed attribute is missing"))
        };
        let ct = single_value(OID_ATTR_CONTENT_TYPE, "content-type")?
            .decode_as::<ObjectIdentifier>()
            .map_err(|e| {
                err!(
                    Timestamp,
                    "the content-type signed attribute is malformed: {e}"
                )
            })?;
        if ct != OID_TST_INFO {
            return Err(err!(
                Timestamp,
                "the content-type signed attribute is {ct}, not id-ct-TSTInfo"
            ));
        }
        let md = single_value(OID_ATTR_MESSAGE_DIGEST, "message-digest")?;
        if md.tag() != der::Tag::OctetString {
            return Err(err!(
                Timestamp,
                "the message-digest signed attribute is not an OCTET STRING"
            ));
        }
        if self.digest_alg.digest(self.tst_info) != md.value() {
            return Err(err!(
                Timestamp,
                "signed-attributes digest mismatch: message-digest is not the {} of the TSTInfo",
                self.digest_alg.short_name()
            ));
        }
        // RFC 5816: ESSCertIDv2 or the SHA-1 ESSCertID (OpenSSL's default); each
        // present is checked. Reference verifiers check neither, so a token with
        // neither is accepted.
        let mut named = Vec::new();
        for (oid, name, v1) in [
            (
                OID_ATTR_SIGNING_CERTIFICATE_V2,
                "signingCertificateV2",
                false,
            ),
            (OID_ATTR_SIGNING_CERTIFICATE, "signingCertificate", true),
        ] {
            if let Some(v) = optional_value(oid, name)? {
                named.push(SignerCertHash::parse(v.tag(), v.value(), v1)?);
            }
        }
        Ok(named)
    }

    /// The signed attributes re-tagged `SET OF`, which is what the signature covers.
    fn signed_attrs_set(&self) -> Vec<u8> {
        let mut v = self.signed_attrs.to_vec();
        if let Some(b) = v.first_mut() {
            *b = TAG_SET;
        }
        v
    }

    /// The first embedded certificate that matches the signer identifier.
    fn signer_cert(&self) -> std::result::Result<Option<(&'a [u8], &Certificate)>, String> {
        for (raw, cert) in &self.certs {
            if sid_matches(&self.sid, cert)? {
                return Ok(Some((raw, cert)));
            }
        }
        Ok(None)
    }

    /// The CMS signature over the signed attributes, with `signer`'s key and the
    /// hash named by `digestAlgorithm` (never the curve's hash: the public-good TSA
    /// signs with P-384 and SHA-256).
    fn check_signature(&self, signer: &Certificate) -> std::result::Result<(), String> {
        let hash = self.digest_alg;
        let named = |h: HashAlg| {
            if h == hash {
                Ok(())
            } else {
                Err(format!(
                    "signatureAlgorithm {} disagrees with digestAlgorithm {}",
                    self.scheme_oid,
                    hash.short_name()
                ))
            }
        };
        let scheme = match self.scheme_oid {
            o if o == OID_EC_PUBLIC_KEY => Scheme::Ecdsa(hash),
            o if o == OID_RSA_ENCRYPTION => Scheme::RsaPkcs1(hash),
            o if o == const_oid::db::rfc5912::ECDSA_WITH_SHA_256 => {
                named(HashAlg::Sha256)?;
                Scheme::Ecdsa(hash)
            }
            o if o == const_oid::db::rfc5912::ECDSA_WITH_SHA_384 => {
                named(HashAlg::Sha384)?;
                Scheme::Ecdsa(hash)
            }
            o if o == const_oid::db::rfc5912::ECDSA_WITH_SHA_512 => {
                named(HashAlg::Sha512)?;
                Scheme::Ecdsa(hash)
            }
            o if o == const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION => {
                named(HashAlg::Sha256)?;
                Scheme::RsaPkcs1(hash)
            }
            o if o == const_oid::db::rfc5912::SHA_384_WITH_RSA_ENCRYPTION => {
                named(HashAlg::Sha384)?;
                Scheme::RsaPkcs1(hash)
            }
            o if o == const_oid::db::rfc5912::SHA_512_WITH_RSA_ENCRYPTION => {
                named(HashAlg::Sha512)?;
                Scheme::RsaPkcs1(hash)
            }
            o => return Err(format!("unsupported CMS signatureAlgorithm {o}")),
        };
        let spki = signer
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| format!("the signer certificate's key cannot be encoded: {e}"))?;
        let key = PublicKey::from_spki_der(&spki)
            .map_err(|e| format!("the signer certificate's key is unusable: {e}"))?;
        key.verify(scheme, &self.signed_attrs_set(), self.signature)
            .map_err(|e| format!("CMS signature: {e}"))
    }
}

/// The signer certificate as a signingCertificate(V2) attribute names it: the
/// hash of its DER, from the first ESSCertID(v2) (RFC 2634 §5.4: the signer's).
struct SignerCertHash {
    alg: CertHashAlg,
    hash: Vec<u8>,
}

/// An ESSCertID hash: SHA-1 (v1), or a SHA-2 (v2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CertHashAlg {
    Sha1,
    Sha2(HashAlg),
}

impl CertHashAlg {
    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            CertHashAlg::Sha1 => {
                use sha1::Digest;
                sha1::Sha1::digest(data).to_vec()
            }
            CertHashAlg::Sha2(h) => h.digest(data),
        }
    }

    fn output_len(self) -> usize {
        match self {
            CertHashAlg::Sha1 => 20,
            CertHashAlg::Sha2(h) => h.output_len(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            CertHashAlg::Sha1 => "sha1",
            CertHashAlg::Sha2(h) => h.short_name(),
        }
    }
}

impl SignerCertHash {
    /// Parse `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2,
    /// policies SEQUENCE OF PolicyInformation OPTIONAL }` (RFC 5035), or with `v1`
    /// its SHA-1 predecessor `SigningCertificate` of `ESSCertID`s (RFC 2634), given
    /// the attribute value's tag and contents.
    fn parse(tag: der::Tag, contents: &[u8], v1: bool) -> Result<SignerCertHash> {
        let (what, id_name) = if v1 {
            ("signingCertificate attribute", "ESSCertID")
        } else {
            ("signingCertificateV2 attribute", "ESSCertIDv2")
        };
        if tag != der::Tag::Sequence {
            return Err(malformed(what, "not a SEQUENCE"));
        }
        let fields = children(contents, what)?;
        let certs = match fields.as_slice() {
            [certs] => certs,
            [certs, policies] if policies.tag == TAG_SEQUENCE => certs,
            _ => return Err(malformed(what, "unexpected fields")),
        };
        expect_tag(certs, TAG_SEQUENCE, what)?;
        let first = children(certs.value, what)?
            .into_iter()
            .next()
            .ok_or_else(|| malformed(what, "it lists no certificate"))?;
        expect_tag(&first, TAG_SEQUENCE, id_name)?;
        // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash
        // OCTET STRING, issuerSerial OPTIONAL }; ESSCertID has no hashAlgorithm.
        let mut id = children(first.value, id_name)?.into_iter().peekable();
        let alg = if v1 {
            CertHashAlg::Sha1
        } else {
            match id.next_if(|t| t.tag == TAG_SEQUENCE) {
                Some(a) => CertHashAlg::Sha2(hash_alg(&a, "ESSCertIDv2.hashAlgorithm")?),
                None => CertHashAlg::Sha2(HashAlg::Sha256),
            }
        };
        let hash = next(&mut id, TAG_OCTET_STRING, &format!("{id_name}.certHash"))?.value;
        // issuerSerial adds nothing once the hash of the whole certificate matches.
        id.next_if(|t| t.tag == TAG_SEQUENCE);
        if id.next().is_some() {
            return Err(malformed(id_name, "trailing fields"));
        }
        if hash.len() != alg.output_len() {
            return Err(malformed(
                &format!("{id_name}.certHash"),
                format_args!("{} bytes for {}", hash.len(), alg.name()),
            ));
        }
        Ok(SignerCertHash {
            alg,
            hash: hash.to_vec(),
        })
    }

    /// The attribute's name, for messages.
    fn attribute(&self) -> &'static str {
        match self.alg {
            CertHashAlg::Sha1 => "signingCertificate",
            CertHashAlg::Sha2(_) => "signingCertificateV2",
        }
    }
}

/// Whether `cert` is the certificate named by the signer identifier.
fn sid_matches(sid: &SignerIdentifier, cert: &Certificate) -> std::result::Result<bool, String> {
    let tbs = cert.tbs_certificate();
    Ok(match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            isn.issuer == *tbs.issuer() && isn.serial_number == *tbs.serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            match tbs
                .get_extension::<SubjectKeyIdentifier>()
                .map_err(|e| format!("a certificate's subjectKeyIdentifier is malformed: {e}"))?
            {
                Some((_, own)) => own.0.as_bytes() == ski.0.as_bytes(),
                None => false,
            }
        }
    })
}

/// Whether the certificate's basicConstraints says CA.
fn is_ca(cert: &Certificate) -> std::result::Result<bool, String> {
    cert.tbs_certificate()
        .get_extension::<BasicConstraints>()
        .map(|bc| bc.is_some_and(|(_, bc)| bc.ca))
        .map_err(|e| format!("basicConstraints is malformed: {e}"))
}

/// The TSA signer profile (SPEC §7.2.5, RFC 3161 §2.3): not a CA, and a
/// critical extendedKeyUsage naming id-kp-timeStamping as its only purpose
/// (sigstore-go, through timestamp-authority, refuses a non-critical one too).
fn check_signer_profile(cert: &Certificate) -> std::result::Result<(), String> {
    if is_ca(cert)? {
        return Err("the signer certificate is a CA".into());
    }
    let eku = cert
        .tbs_certificate()
        .get_extension::<ExtendedKeyUsage>()
        .map_err(|e| format!("the signer certificate's extendedKeyUsage is malformed: {e}"))?;
    match eku {
        Some((true, eku)) if eku.0 == [OID_KP_TIME_STAMPING] => Ok(()),
        Some((false, eku)) if eku.0 == [OID_KP_TIME_STAMPING] => {
            Err("the signer certificate's extendedKeyUsage is not marked critical".into())
        }
        Some(_) => Err(
            "the signer certificate's extendedKeyUsage is not exactly id-kp-timeStamping".into(),
        ),
        None => Err("the signer certificate has no extendedKeyUsage (timeStamping)".into()),
    }
}

/// A certificate's validity window at full precision.
fn validity(cert: &Certificate) -> std::result::Result<(Timestamp, Timestamp), String> {
    let v = cert.tbs_certificate().validity();
    let conv = |t: x509_cert::time::Time| {
        i64::try_from(t.to_unix_duration().as_secs())
            .map(Timestamp::from_unix)
            .map_err(|_| "the signer certificate's validity is out of range".to_string())
    };
    Ok((conv(v.not_before)?, conv(v.not_after)?))
}

/// One DER TLV: identifier octet, whole encoding and contents.
struct Tlv<'a> {
    tag: u8,
    raw: &'a [u8],
    value: &'a [u8],
}

fn malformed(what: &str, e: impl std::fmt::Display) -> Error {
    err!(Timestamp, "malformed {what}: {e}")
}

/// Read one TLV from `r` (DER rules: definite lengths only).
fn read_tlv<'a>(r: &mut SliceReader<'a>, what: &str) -> Result<Tlv<'a>> {
    let raw = r.tlv_bytes().map_err(|e| malformed(what, e))?;
    let any = AnyRef::from_der(raw).map_err(|e| malformed(what, e))?;
    let tag = *raw.first().ok_or_else(|| malformed(what, "empty"))?;
    Ok(Tlv {
        tag,
        raw,
        value: any.value(),
    })
}

/// `bytes` must be exactly one TLV with identifier `tag`.
fn single<'a>(bytes: &'a [u8], tag: u8, what: &str) -> Result<Tlv<'a>> {
    let mut r = SliceReader::new(bytes).map_err(|e| malformed(what, e))?;
    let tlv = read_tlv(&mut r, what)?;
    if !r.is_finished() {
        return Err(malformed(what, "trailing data"));
    }
    expect_tag(&tlv, tag, what)?;
    Ok(tlv)
}

/// Split constructed contents into their TLVs.
fn children<'a>(bytes: &'a [u8], what: &str) -> Result<Vec<Tlv<'a>>> {
    let mut r = SliceReader::new(bytes).map_err(|e| malformed(what, e))?;
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(read_tlv(&mut r, what)?);
    }
    Ok(out)
}

fn expect_tag(tlv: &Tlv<'_>, tag: u8, what: &str) -> Result<()> {
    if tlv.tag == tag {
        Ok(())
    } else {
        Err(malformed(
            what,
            format!("tag 0x{:02x}, expected 0x{tag:02x}", tlv.tag),
        ))
    }
}

fn next<'a>(it: &mut impl Iterator<Item = Tlv<'a>>, tag: u8, what: &str) -> Result<Tlv<'a>> {
    let tlv = it.next().ok_or_else(|| malformed(what, "missing"))?;
    expect_tag(&tlv, tag, what)?;
    Ok(tlv)
}

fn oid(tlv: &Tlv<'_>, what: &str) -> Result<ObjectIdentifier> {
    if !crate::certificate::oid_is_minimal(tlv.value) {
        return Err(malformed(what, "an arc is not minimally encoded"));
    }
    ObjectIdentifier::from_der(tlv.raw).map_err(|e| malformed(what, e))
}

/// A hash AlgorithmIdentifier: SHA-256/384/512 with absent or NULL parameters.
fn hash_alg(tlv: &Tlv<'_>, what: &str) -> Result<HashAlg> {
    let alg = spki::AlgorithmIdentifierRef::from_der(tlv.raw).map_err(|e| malformed(what, e))?;
    if alg.parameters.is_some_and(|p| !p.is_null()) {
        return Err(err!(Timestamp, "{what} has unexpected parameters"));
    }
    HashAlg::from_oid(&alg.oid).ok_or_else(|| {
        err!(
            Timestamp,
            "{what} {} is not SHA-256, SHA-384 or SHA-512",
            alg.oid
        )
    })
}

/// A small INTEGER's value for messages.
fn small_int(v: &[u8]) -> String {
    match v {
        [b] => i8::from_ne_bytes([*b]).to_string(),
        _ => "a non-granted value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::bundle::Bundle;
    use crate::trust_root::TrustedRoot;
    use std::path::PathBuf;

    fn case_dir(case: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../test-vectors/conformance")
            .join(case)
    }

    /// The case's bundle and trusted root (its own, else production).
    fn load(case: &str) -> (Bundle, TrustedRoot) {
        let dir = case_dir(case);
        let bundle =
            Bundle::from_json(&std::fs::read(dir.join("bundle.sigstore.json")).unwrap()).unwrap();
        let root_path = dir.join("trusted_root.json");
        let root_path = if root_path.exists() {
            root_path
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../test-vectors/trust/production_trusted_root.json")
        };
        let root = TrustedRoot::from_json(&std::fs::read(root_path).unwrap()).unwrap();
        (bundle, root)
    }

    /// Verify every timestamp of a case.
    fn verify_case(case: &str) -> Vec<Result<VerifiedTimestamp>> {
        let (bundle, root) = load(case);
        let tsas = TimestampAuthorities::new(&root.timestamp_authorities).unwrap();
        assert!(
            !bundle.rfc3161_timestamps.is_empty(),
            "{case} has no timestamps"
        );
        bundle
            .rfc3161_timestamps
            .iter()
            .map(|t| tsas.verify(t, bundle.signature_bytes()))
            .collect()
    }

    /// A copy of a trusted-root authority with another chain and window.
    fn authority(
        base: &CertificateAuthority,
        chain: Vec<Vec<u8>>,
        valid_for: Option<TimeRange>,
    ) -> CertificateAuthority {
        CertificateAuthority {
            uri: base.uri.clone(),
            cert_chain: chain,
            valid_for,
            operator: base.operator.clone(),
        }
    }

    /// The only timestamp of a case, its signed bytes and its trusted root.
    fn token(case: &str) -> (Vec<u8>, Vec<u8>, TrustedRoot) {
        let (bundle, root) = load(case);
        let [t] = bundle.rfc3161_timestamps.as_slice() else {
            panic!("{case} must have exactly one timestamp");
        };
        (t.clone(), bundle.signature_bytes().to_vec(), root)
    }

    fn expect_timestamp_err(r: Result<VerifiedTimestamp>, needle: &str) {
        match r {
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Timestamp, "{e}");
                assert!(e.message().contains(needle), "{needle:?} not in {e}");
            }
            Ok(v) => panic!("expected a failure containing {needle:?}, got {v:?}"),
        }
    }

    /// Offset of `part` inside `whole` (a subslice).
    fn offset(whole: &[u8], part: &[u8]) -> usize {
        part.as_ptr() as usize - whole.as_ptr() as usize
    }

    #[test]
    fn token_oids_must_be_minimally_encoded() {
        // id-ct-TSTInfo, 1.2.840.113549.1.9.16.1.4, then with its last arc padded.
        let minimal = [
            0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
        ];
        let tlv = single(&minimal, 0x06, "eContentType").unwrap();
        assert_eq!(oid(&tlv, "eContentType").unwrap(), OID_TST_INFO);
        let padded = [
            0x06, 0x0c, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x80, 0x04,
        ];
        let tlv = single(&padded, 0x06, "eContentType").unwrap();
        let e = oid(&tlv, "eContentType").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Timestamp, "{e}");
        assert!(e.to_string().contains("not minimally encoded"), "{e}");
    }

    #[test]
    fn conformance_passes() {
        for case in [
            "rekor2-happy-path",
            "rekor2-timestamp-with-embedded-cert",
            "rekor2-timestamp-with-expired-cert-chain",
            "rekor2-timestamp-without-embedded-cert",
            "trust-root-tsa-validity-end-inclusive",
            "managed-key-happy-path",
            "bundle-with-sct-with-extensions",
            "intoto-with-custom-trust-root",
        ] {
            for r in verify_case(case) {
                let v = r.unwrap_or_else(|e| panic!("{case}: {e}"));
                assert_eq!(v.authority_index, 0, "{case}");
                assert!(!v.authority_uri.is_empty(), "{case}");
            }
        }
        let (bundle, _) = load("rekor2-happy-path");
        let v = verify_case("rekor2-happy-path").remove(0).unwrap();
        assert_eq!(v.time, Timestamp::from_unix(1_749_729_740));
        assert_eq!(bundle.rfc3161_timestamps.len(), 1);
    }

    #[test]
    fn conformance_failures() {
        for (case, needle) in [
            (
                "rekor2-timestamp-outside-trust-root-tsa-validity_fail",
                "outside the authority's validFor",
            ),
            (
                "rekor2-timestamp-outside-tsa-cert-validity_fail",
                "outside the signer certificate's validity",
            ),
            ("rekor2-timestamp-payload-mismatch_fail", "imprint mismatch"),
            (
                "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail",
                "differs from the authority's pinned TSA certificate",
            ),
            (
                "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail",
                "does not match the signer identifier",
            ),
        ] {
            let rs = verify_case(case);
            for r in rs {
                expect_timestamp_err(r, needle);
            }
        }
    }

    #[test]
    fn valid_for_is_inclusive_and_only_the_verifying_authority_counts() {
        let (t, sig, root) = token("rekor2-happy-path");
        let base = &root.timestamp_authorities[0];
        let gen_t = Timestamp::from_unix(1_749_729_740);
        let window = |start: Timestamp, end: Option<Timestamp>| {
            let a = authority(
                base,
                base.cert_chain.clone(),
                Some(TimeRange { start, end }),
            );
            TimestampAuthorities::new(&[a]).unwrap().verify(&t, &sig)
        };
        assert!(window(gen_t, Some(gen_t)).is_ok());
        let just_before = Timestamp::new(gen_t.unix_secs() - 1, 999_999_999).unwrap();
        let just_after = Timestamp::new(gen_t.unix_secs(), 1).unwrap();
        expect_timestamp_err(window(gen_t, Some(just_before)), "validFor");
        expect_timestamp_err(window(just_after, None), "validFor");
        // Unrestricted authority.
        let open = authority(base, base.cert_chain.clone(), None);
        assert!(
            TimestampAuthorities::new(&[open])
                .unwrap()
                .verify(&t, &sig)
                .is_ok()
        );

        // An untrusted authority listed first must not lend its (open) window, and the
        // trusted one whose window excludes genTime must not verify either.
        let (_, _, other_root) = token("rekor2-timestamp-outside-tsa-cert-validity_fail");
        let other = &other_root.timestamp_authorities[0];
        let stranger = authority(other, other.cert_chain.clone(), None);
        let closed = authority(
            base,
            base.cert_chain.clone(),
            Some(TimeRange {
                start: gen_t,
                end: Some(just_before),
            }),
        );
        let both = TimestampAuthorities::new(&[stranger, closed]).unwrap();
        expect_timestamp_err(both.verify(&t, &sig), "authority 1");
        // With the trusted authority in its window second, index 1 is reported.
        let stranger = authority(other, other.cert_chain.clone(), None);
        let fine = authority(base, base.cert_chain.clone(), None);
        let both = TimestampAuthorities::new(&[stranger, fine]).unwrap();
        assert_eq!(both.verify(&t, &sig).unwrap().authority_index, 1);
    }

    #[test]
    fn embedded_signer_chains_to_the_anchor_only() {
        let (t, sig, root) = token("rekor2-timestamp-with-embedded-cert");
        let base = &root.timestamp_authorities[0];
        // Without the pinned leaf, the embedded signer must chain to the anchor.
        let anchor_only = authority(base, vec![base.cert_chain.last().unwrap().clone()], None);
        let v = TimestampAuthorities::new(&[anchor_only])
            .unwrap()
            .verify(&t, &sig);
        assert!(v.is_ok(), "{v:?}");
        // A foreign anchor: the embedded certificate never becomes trusted.
        let (_, _, other_root) = token("rekor2-timestamp-outside-tsa-cert-validity_fail");
        let other = &other_root.timestamp_authorities[0];
        let foreign = authority(other, vec![other.cert_chain.last().unwrap().clone()], None);
        expect_timestamp_err(
            TimestampAuthorities::new(&[foreign])
                .unwrap()
                .verify(&t, &sig),
            "chain is not valid at genTime",
        );
    }

    #[test]
    fn no_usable_signer_certificate() {
        // No embedded certificate and an authority that pins no TSA leaf.
        let (t, sig, root) = token("rekor2-timestamp-without-embedded-cert");
        let base = &root.timestamp_authorities[0];
        let anchor_only = authority(base, vec![base.cert_chain.last().unwrap().clone()], None);
        expect_timestamp_err(
            TimestampAuthorities::new(&[anchor_only])
                .unwrap()
                .verify(&t, &sig),
            "no usable signer certificate",
        );
        expect_timestamp_err(
            TimestampAuthorities::new(&[]).unwrap().verify(&t, &sig),
            "no timestamp authorities",
        );
    }

    #[test]
    fn one_certificate_authority_whose_anchor_signs() {
        let (t, sig, root) = token("rekor2-timestamp-without-embedded-cert");
        let base = &root.timestamp_authorities[0];
        let leaf_only = authority(base, vec![base.cert_chain[0].clone()], None);
        let v = TimestampAuthorities::new(&[leaf_only])
            .unwrap()
            .verify(&t, &sig);
        assert!(v.is_ok(), "{v:?}");
    }

    #[test]
    fn signer_profile() {
        let (_, _, root) = token("rekor2-happy-path");
        let chain = &root.timestamp_authorities[0].cert_chain;
        let tsa_leaf = Certificate::from_der(&chain[0]).unwrap();
        let tsa_root = Certificate::from_der(chain.last().unwrap()).unwrap();
        assert!(check_signer_profile(&tsa_leaf).is_ok());
        assert!(
            check_signer_profile(&tsa_root)
                .unwrap_err()
                .contains("is a CA")
        );
        // The same leaf with its extendedKeyUsage no longer critical.
        let eku_value = tsa_leaf
            .tbs_certificate()
            .extensions()
            .unwrap()
            .iter()
            .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE)
            .map(|e| e.extn_value.as_bytes().to_vec())
            .unwrap();
        let relaxed = crate::certificate::test_support::edit_extension(
            &chain[0],
            "2.5.29.37",
            Some(&eku_value),
        );
        let relaxed = Certificate::from_der(&relaxed).unwrap();
        assert!(
            check_signer_profile(&relaxed)
                .unwrap_err()
                .contains("not marked critical")
        );
        let (bundle, _) = load("rekor2-happy-path");
        let fulcio = Certificate::from_der(bundle.leaf_certificate().unwrap()).unwrap();
        assert!(
            check_signer_profile(&fulcio)
                .unwrap_err()
                .contains("not exactly id-kp-timeStamping")
        );
    }

    #[test]
    fn malformed_authorities_are_trusted_root_errors() {
        let (_, _, root) = token("rekor2-happy-path");
        let base = &root.timestamp_authorities[0];
        for chain in [vec![], vec![b"garbage".to_vec()], {
            let mut c = base.cert_chain.clone();
            c[0].truncate(40);
            c
        }] {
            let a = authority(base, chain, None);
            let e = TimestampAuthorities::new(&[a]).err().unwrap();
            assert_eq!(e.kind(), ErrorKind::TrustedRoot, "{e}");
        }
    }

    #[test]
    fn mutated_signed_parts_fail() {
        for case in [
            "rekor2-timestamp-with-embedded-cert",
            "rekor2-timestamp-without-embedded-cert",
        ] {
            let (t, sig, root) = token(case);
            let tsas = TimestampAuthorities::new(&root.timestamp_authorities).unwrap();
            assert!(tsas.verify(&t, &sig).is_ok());
            let tok = Token::parse(&t).unwrap();
            let mutate = |at: usize, x: u8| {
                let mut m = t.clone();
                m[at] ^= x;
                tsas.verify(&m, &sig)
            };
            // The last signed-attribute byte: the CMS signature no longer verifies.
            let end = offset(&t, tok.signed_attrs) + tok.signed_attrs.len() - 1;
            expect_timestamp_err(mutate(end, 0x01), "CMS signature");
            // The signature itself.
            let end = offset(&t, tok.signature) + tok.signature.len() - 1;
            expect_timestamp_err(mutate(end, 0x01), "CMS signature");
            // The TSTInfo policy OID: message-digest no longer matches.
            let tst = single(tok.tst_info, TAG_SEQUENCE, "t").unwrap();
            let fields = children(tst.value, "t").unwrap();
            let policy = &fields[1];
            let at = offset(&t, policy.raw) + policy.raw.len() - 1;
            expect_timestamp_err(mutate(at, 0x01), "signed-attributes digest mismatch");
            // The imprint hash algorithm: SHA-256 becomes SHA-224 (…2.4).
            let mi = children(fields[2].value, "t").unwrap();
            let alg = offset(&t, mi[0].raw) + 12;
            assert_eq!(t[alg], 0x01);
            expect_timestamp_err(mutate(alg, 0x05), "is not SHA-256, SHA-384 or SHA-512");
            // The imprint itself.
            let at = offset(&t, tok.imprint);
            expect_timestamp_err(mutate(at, 0x80), "imprint mismatch");
            // A different signed payload.
            expect_timestamp_err(tsas.verify(&t, b"other bytes"), "imprint mismatch");
            // Status grantedWithMods (1) and rejection (2).
            let status = t.windows(3).position(|w| w == [2, 1, 0]).unwrap();
            expect_timestamp_err(mutate(status + 2, 1), "bad status");
            expect_timestamp_err(mutate(status + 2, 2), "bad status");
        }
    }

    /// Fields outside the signature that RFC 5652 / RFC 3161 constrain: each wrong
    /// value below used to be accepted (found by tests/mutation.rs).
    #[test]
    fn unsigned_cms_fields_are_checked() {
        use crate::certificate::push_tlv;
        let (t, sig, root) = token("rekor2-happy-path");
        let tsas = TimestampAuthorities::new(&root.timestamp_authorities).unwrap();
        tsas.verify(&t, &sig).unwrap();
        let mutate = |at: usize, x: u8| {
            let mut m = t.clone();
            m[at] ^= x;
            tsas.verify(&m, &sig)
        };
        let resp = single(&t, TAG_SEQUENCE, "t").unwrap();
        let parts = children(resp.value, "t").unwrap();
        let ci = children(parts[1].value, "t").unwrap();
        let sd = single(ci[1].value, TAG_SEQUENCE, "t").unwrap();
        let sd = children(sd.value, "t").unwrap();
        // SignedData.version 3 -> 2 (and 4, which attribute certificates would need, passes).
        let version = offset(&t, sd[0].value);
        expect_timestamp_err(mutate(version, 0x01), "SignedData.version");
        assert!(mutate(version, 0x07).is_ok());
        // digestAlgorithms: SHA-256 -> SHA-384, no longer the signer's algorithm.
        let algs = children(sd[1].value, "t").unwrap();
        let oid_end = offset(&t, algs[0].raw) + algs[0].raw.len() - 1;
        expect_timestamp_err(mutate(oid_end, 0x03), "does not list");
        // SignerInfo.version 1 -> 3 with an issuerAndSerialNumber identifier.
        let si = single(sd.last().unwrap().value, TAG_SEQUENCE, "t").unwrap();
        let si_version = offset(&t, children(si.value, "t").unwrap()[0].value);
        expect_timestamp_err(mutate(si_version, 0x02), "does not fit");

        // PKIStatusInfo: a statusString of UTF8Strings is fine; failInfo or other text types are not.
        let with_status = |fields: &[u8]| {
            let mut body = Vec::new();
            push_tlv(&mut body, TAG_SEQUENCE, fields);
            body.extend_from_slice(parts[1].raw);
            let mut out = Vec::new();
            push_tlv(&mut out, TAG_SEQUENCE, &body);
            out
        };
        let granted = [TAG_INTEGER, 1, 0];
        let text = |tag: u8| {
            let mut s = Vec::new();
            push_tlv(&mut s, tag, b"Operation Okay");
            let mut f = granted.to_vec();
            push_tlv(&mut f, TAG_SEQUENCE, &s);
            f
        };
        tsas.verify(&with_status(&text(TAG_UTF8_STRING)), &sig)
            .unwrap();
        expect_timestamp_err(tsas.verify(&with_status(&text(0x16)), &sig), "statusString");
        let mut fail_info = text(TAG_UTF8_STRING);
        fail_info.extend_from_slice(&[0x03, 0x02, 0x07, 0x80]);
        expect_timestamp_err(
            tsas.verify(&with_status(&fail_info), &sig),
            "unexpected fields",
        );
    }

    #[test]
    fn truncated_garbage_and_fuzzed_tokens_never_panic() {
        let (t, sig, root) = token("rekor2-timestamp-with-embedded-cert");
        let tsas = TimestampAuthorities::new(&root.timestamp_authorities).unwrap();
        for n in 0..t.len() {
            let r = tsas.verify(&t[..n], &sig);
            assert_eq!(r.unwrap_err().kind(), ErrorKind::Timestamp, "prefix {n}");
        }
        let mut long = t.clone();
        long.push(0);
        assert_eq!(
            tsas.verify(&long, &sig).unwrap_err().kind(),
            ErrorKind::Timestamp
        );
        // Status only, no token; and a rejection without token.
        expect_timestamp_err(
            tsas.verify(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00], &sig),
            "no timeStampToken",
        );
        expect_timestamp_err(
            tsas.verify(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02], &sig),
            "bad status",
        );
        let mut x: u32 = 0x1234_5678;
        let mut rand = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        for len in [0usize, 1, 2, 16, 300, 2000] {
            let g: Vec<u8> = (0..len).map(|_| rand() as u8).collect();
            assert_eq!(
                tsas.verify(&g, &sig).unwrap_err().kind(),
                ErrorKind::Timestamp
            );
        }
        // Every single-byte change: never a panic, every failure a Timestamp error,
        // and nothing inside the signed content, the signed attributes or the
        // signature is ever accepted (unsigned fields such as digestAlgorithms or
        // an embedded certificate that no longer matches the sid may change).
        let tok = Token::parse(&t).unwrap();
        let protected = [tok.tst_info, tok.signed_attrs, tok.signature]
            .map(|p| offset(&t, p)..offset(&t, p) + p.len());
        for i in 0..t.len() {
            for xor in [0x01u8, 0x80, 0xff] {
                let mut m = t.clone();
                m[i] ^= xor;
                match tsas.verify(&m, &sig) {
                    Ok(_) => assert!(
                        !protected.iter().any(|r| r.contains(&i)),
                        "mutation at {i} (^{xor:#x}) accepted"
                    ),
                    Err(e) => assert_eq!(e.kind(), ErrorKind::Timestamp, "{e}"),
                }
            }
        }
    }

    /// The pinned leaf's path is validated once, then reused only inside its window:
    /// a repeat verification gives the same answer, and a time outside the window
    /// still gets (and fails) the full path validation.
    #[test]
    fn pinned_path_is_validated_once_and_only_inside_its_window() {
        let (bundle, root) = load("rekor2-happy-path");
        let tsas = TimestampAuthorities::new(&root.timestamp_authorities).unwrap();
        let der = &bundle.rfc3161_timestamps[0];
        let first = tsas.verify(der, bundle.signature_bytes()).unwrap();
        let a = &tsas.authorities[first.authority_index];
        let (lo, hi) = a.pinned_path_window.get().copied().flatten().unwrap();
        assert!(lo <= first.time && first.time <= hi);
        assert_eq!(tsas.verify(der, bundle.signature_bytes()).unwrap(), first);
        let token = Token::parse(der).unwrap();
        let (leaf_der, _) = a.leaf.as_ref().unwrap();
        let after = Timestamp::from_unix(hi.unix_secs() + 1);
        assert!(a.validate_path(leaf_der, &token, after).is_err());
        assert!(a.validate_path(leaf_der, &token, first.time).is_ok());
    }

    /// Every corpus token names its signer in a signingCertificateV2 attribute
    /// (and no v1 one), by the SHA-256 of the certificate that verifies it
    /// (embedded or pinned).
    #[test]
    fn corpus_tokens_name_their_signer_certificate() {
        for case in [
            "rekor2-happy-path",
            "rekor2-timestamp-with-embedded-cert",
            "rekor2-timestamp-without-embedded-cert",
        ] {
            let (der, signature, root) = token(case);
            let token = Token::parse(&der).unwrap();
            let named = token.check_content(&signature).unwrap();
            let [named] = named.as_slice() else {
                panic!("{case}: {} signer hashes", named.len());
            };
            assert_eq!(named.alg, CertHashAlg::Sha2(HashAlg::Sha256), "{case}");
            assert_eq!(named.attribute(), "signingCertificateV2");
            let signer = match token.signer_cert().unwrap() {
                Some((raw, _)) => raw.to_vec(),
                None => root.timestamp_authorities[0].cert_chain[0].clone(),
            };
            assert_eq!(named.hash, HashAlg::Sha256.digest(&signer), "{case}");
        }
    }

    #[test]
    fn signing_certificate_parsing() {
        let seq = |parts: &[&[u8]]| {
            let body = parts.concat();
            assert!(body.len() < 128);
            [&[TAG_SEQUENCE, body.len() as u8][..], &body].concat()
        };
        let octets = |b: &[u8]| [&[TAG_OCTET_STRING, b.len() as u8][..], b].concat();
        let sha384 = spki::AlgorithmIdentifierRef {
            oid: const_oid::db::rfc5912::ID_SHA_384,
            parameters: None,
        }
        .to_der()
        .unwrap();
        let parse = |v: &[u8], v1: bool| {
            let all = children(v, "test").unwrap();
            let [one] = all.as_slice() else { panic!() };
            let tag = match one.tag {
                TAG_SEQUENCE => der::Tag::Sequence,
                _ => der::Tag::OctetString,
            };
            SignerCertHash::parse(tag, one.value, v1)
        };
        let sha256 = CertHashAlg::Sha2(HashAlg::Sha256);
        let (h20, h32, h48) = (octets(&[5; 20]), octets(&[7; 32]), octets(&[9; 48]));
        // hashAlgorithm absent: SHA-256; issuerSerial and policies tolerated.
        let ok = parse(&seq(&[&seq(&[&seq(&[&h32])])]), false).unwrap();
        assert_eq!((ok.alg, ok.hash), (sha256, vec![7; 32]));
        let with_serial = seq(&[&h32, &seq(&[&seq(&[]), &[2, 1, 5]])]);
        let ok = parse(&seq(&[&seq(&[&with_serial]), &seq(&[])]), false).unwrap();
        assert_eq!(ok.alg, sha256);
        // Only the first ESSCertIDv2 names the signer.
        let two = seq(&[&seq(&[&seq(&[&sha384, &h48]), &seq(&[&h32])])]);
        let ok = parse(&two, false).unwrap();
        assert_eq!(
            (ok.alg, ok.hash),
            (CertHashAlg::Sha2(HashAlg::Sha384), vec![9; 48])
        );
        // v1: SHA-1, no hashAlgorithm field.
        let ok = parse(&seq(&[&seq(&[&seq(&[&h20])])]), true).unwrap();
        assert_eq!(ok.attribute(), "signingCertificate");
        assert_eq!((ok.alg, ok.hash), (CertHashAlg::Sha1, vec![5; 20]));

        for (value, v1, needle) in [
            (
                octets(&[0; 4]),
                false,
                "malformed signingCertificateV2 attribute: not a SEQUENCE",
            ),
            (
                seq(&[]),
                false,
                "malformed signingCertificateV2 attribute: unexpected fields",
            ),
            (
                seq(&[&seq(&[])]),
                false,
                "malformed signingCertificateV2 attribute: it lists no certificate",
            ),
            (
                seq(&[&seq(&[&seq(&[&h48])])]),
                false,
                "malformed ESSCertIDv2.certHash: 48 bytes for sha256",
            ),
            (
                seq(&[&seq(&[&seq(&[&sha384, &h32])])]),
                false,
                "malformed ESSCertIDv2.certHash: 32 bytes for sha384",
            ),
            (
                seq(&[&seq(&[&seq(&[])])]),
                false,
                "malformed ESSCertIDv2.certHash: missing",
            ),
            (
                seq(&[&seq(&[&seq(&[&h32, &h32])])]),
                false,
                "malformed ESSCertIDv2: trailing fields",
            ),
            (
                seq(&[&seq(&[&seq(&[&h32])]), &h32]),
                false,
                "malformed signingCertificateV2 attribute: unexpected fields",
            ),
            (
                seq(&[&seq(&[&octets(&[1])])]),
                false,
                "malformed ESSCertIDv2: tag 0x04, expected 0x30",
            ),
            (
                seq(&[&seq(&[&seq(&[&h32])])]),
                true,
                "malformed ESSCertID.certHash: 32 bytes for sha1",
            ),
            (
                seq(&[&seq(&[&seq(&[&sha384, &h20])])]),
                true,
                "malformed ESSCertID.certHash: tag 0x30, expected 0x04",
            ),
        ] {
            match parse(&value, v1) {
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Timestamp, "{e}");
                    assert!(e.message().contains(needle), "{needle:?} not in {e}");
                }
                Ok(_) => panic!("accepted {value:02x?}"),
            }
        }
        // A v2 hash algorithm outside SHA-2 is refused, not skipped: the token then
        // cannot be bound to its signer (documented in SECURITY.md).
        let md5 = spki::AlgorithmIdentifierRef {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.2.5"),
            parameters: None,
        }
        .to_der()
        .unwrap();
        let e = parse(&seq(&[&seq(&[&seq(&[&md5, &octets(&[0; 16])])])]), false)
            .err()
            .unwrap();
        assert!(
            e.message().contains("not SHA-256, SHA-384 or SHA-512"),
            "{e}"
        );
        // SHA-1 as the crate computes it (FIPS 180 "abc" vector).
        assert_eq!(
            crate::encoding::hex_encode(&CertHashAlg::Sha1.digest(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }
}
