//! Embedded Signed Certificate Timestamps (SPEC §10, RFC 6962 §3).
//!
//! The SCTs sit in the leaf's extension 1.3.6.1.4.1.11129.2.4.2. Each one signs
//! the *precertificate*: the leaf's TBS without that extension, which we rebuild
//! by walking the DER (x509-cert cannot edit a TBS in place) and re-encoding
//! only the lengths that change.

use crate::certificate::{
    LeafCertificate, OID_SCT_LIST, RawCert, TAG_SEQUENCE, push_tlv, split_tlv,
};
use crate::crypto::{HashAlg, KeyType, Scheme, sha256};
use crate::encoding::hex_encode;
use crate::error::{Result, err};
use crate::time::Timestamp;
use crate::trust_root::TransparencyLog;

/// An SCT whose signature verified under a trusted CT log's key.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedSct {
    /// The CT log's 32-byte ID (SHA-256 of its SPKI).
    pub log_id: Vec<u8>,
    /// When the log promised to include the certificate (millisecond precision).
    pub timestamp: Timestamp,
}

/// Context tag of the TBS `[3] EXPLICIT Extensions` element.
const TAG_EXTENSIONS: u8 = 0xA3;
const TAG_OID: u8 = 0x06;
const TAG_BOOLEAN: u8 = 0x01;
const TAG_OCTET_STRING: u8 = 0x04;
/// RFC 5246 HashAlgorithm `sha256`.
const HASH_SHA256: u8 = 4;
/// RFC 5246 SignatureAlgorithm `rsa` and `ecdsa`.
const SIG_RSA: u8 = 1;
const SIG_ECDSA: u8 = 3;

/// Most SCTs read from one certificate's SCT list.
pub const MAX_SCTS: usize = 64;

/// Verify the leaf's embedded SCTs against the trusted CT logs (SPEC §10).
///
/// `issuer_spki_der` is the SPKI of the leaf's validated issuer
/// ([`crate::chain::ValidatedChain::issuer_spki_der`]). SCTs from logs not in `ctlogs`,
/// from logs whose key type is unsupported, of an unknown SCT version, or whose
/// timestamp lies outside the log key's `validFor` are ignored. An SCT from a known
/// log that fails to verify is an [`ErrorKind::Sct`](crate::ErrorKind::Sct) error, as
/// is a malformed SCT list. No SCT extension means no SCTs.
///
/// Returns one entry per distinct verified log, logs of one stated operator
/// counting once (the first SCT's timestamp); the threshold is the caller's to
/// enforce.
pub fn verify_embedded_scts(
    leaf: &LeafCertificate,
    issuer_spki_der: &[u8],
    ctlogs: &[TransparencyLog],
) -> Result<Vec<VerifiedSct>> {
    verify_embedded_scts_noting(leaf, issuer_spki_der, ctlogs, &mut Vec::new())
}

/// Most reasons [`verify_embedded_scts_noting`] records.
const MAX_NOTES: usize = 8;

/// [`verify_embedded_scts`], also recording in `ignored` why each ignored SCT
/// was ignored (at most a few), for a threshold error that says more than a count.
pub(crate) fn verify_embedded_scts_noting(
    leaf: &LeafCertificate,
    issuer_spki_der: &[u8],
    ctlogs: &[TransparencyLog],
    ignored: &mut Vec<String>,
) -> Result<Vec<VerifiedSct>> {
    let mut note = |why: String| {
        if ignored.len() < MAX_NOTES {
            ignored.push(why);
        }
    };
    let raw = RawCert::split(&leaf.der)
        .ok_or_else(|| err!(Parse, "leaf certificate TBS structure is malformed"))?;
    let Some((precert_tbs, list)) = split_precert(raw.tbs)? else {
        return Ok(Vec::new());
    };
    if precert_tbs.len() >= 1 << 24 {
        return Err(err!(Sct, "precertificate TBS is too long for an SCT"));
    }
    let issuer_key_hash = sha256(issuer_spki_der);
    let mut out: Vec<VerifiedSct> = Vec::new();
    let mut counted = crate::trust_root::Parties::new();
    for (i, sct) in parse_sct_list(list)?.iter().enumerate() {
        let Some(sct) = sct else {
            note(format!("SCT {i} is not a v1 SCT"));
            continue;
        };
        let Some(log) = ctlogs.iter().find(|l| l.log_id == sct.log_id) else {
            note(format!(
                "SCT {i} is from log {}, not a trusted CT log",
                hex_encode(sct.log_id)
            ));
            continue;
        };
        let Some(key) = &log.key else {
            note(format!(
                "SCT {i} is from {}, whose key is unusable",
                log.base_url
            ));
            continue;
        };
        let timestamp = sct.time()?;
        if !log.valid_for.contains(timestamp) {
            note(format!(
                "SCT {i} from {} has timestamp {timestamp}, outside the log's validFor",
                log.base_url
            ));
            continue;
        }
        let who = || {
            format!(
                "SCT {i} from CT log {} ({})",
                log.base_url,
                hex_encode(sct.log_id)
            )
        };
        if sct.hash_alg != HASH_SHA256 {
            return Err(err!(
                Sct,
                "{} uses hash algorithm {}, not SHA-256",
                who(),
                sct.hash_alg
            ));
        }
        let scheme = match (sct.sig_alg, key.key.key_type()) {
            (SIG_ECDSA, KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521) => {
                Scheme::Ecdsa(HashAlg::Sha256)
            }
            (SIG_RSA, KeyType::Rsa(_)) => Scheme::RsaPkcs1(HashAlg::Sha256),
            (alg, kt) => {
                return Err(err!(
                    Sct,
                    "{} uses signature algorithm {alg}, which does not fit the log's {} key",
                    who(),
                    kt.name()
                ));
            }
        };
        let signed = signed_data(sct, &issuer_key_hash, &precert_tbs);
        key.key
            .verify(scheme, &signed, sct.signature)
            .map_err(|e| err!(Sct, "{}: {e}", who()))?;
        // One per log, and logs of one stated operator count once (SPEC §6.8,
        // §10.3): one party must not meet a threshold alone.
        if counted.add(log.log_id.as_slice(), &log.operator) {
            out.push(VerifiedSct {
                log_id: sct.log_id.to_vec(),
                timestamp,
            });
        } else {
            note(format!(
                "SCT {i} from {} counts with an earlier SCT of the same log or operator",
                log.base_url
            ));
        }
    }
    Ok(out)
}

/// RFC 6962 §3.2 `digitally-signed` input for a precert entry.
fn signed_data(sct: &Sct<'_>, issuer_key_hash: &[u8; 32], tbs: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(47 + tbs.len() + 2 + sct.extensions.len());
    m.push(0); // sct_version v1
    m.push(0); // signature_type certificate_timestamp
    m.extend_from_slice(&sct.timestamp_ms.to_be_bytes());
    m.extend_from_slice(&[0, 1]); // entry_type precert_entry
    m.extend_from_slice(issuer_key_hash);
    // Lengths were bounded by the caller (TBS < 2^24) and the parser (extensions < 2^16).
    m.extend_from_slice(&(tbs.len() as u32).to_be_bytes()[1..]);
    m.extend_from_slice(tbs);
    m.extend_from_slice(&(sct.extensions.len() as u16).to_be_bytes());
    m.extend_from_slice(sct.extensions);
    m
}

/// Split the leaf TBS into the precertificate TBS (SCT-list extension removed, other
/// extensions in order, lengths re-encoded) and the TLS-encoded SCT list. `None`
/// when the leaf has no SCT-list extension.
fn split_precert(tbs: &[u8]) -> Result<Option<(Vec<u8>, &[u8])>> {
    let malformed = || err!(Parse, "leaf certificate TBS is malformed");
    let (tbs, _) = split_tlv(tbs).ok_or_else(malformed)?;
    let mut body = Vec::with_capacity(tbs.content.len());
    let mut list = None;
    let mut items = tbs.content;
    while !items.is_empty() {
        let (el, rest) = split_tlv(items).ok_or_else(malformed)?;
        items = rest;
        if el.tag != TAG_EXTENSIONS {
            body.extend_from_slice(el.raw);
            continue;
        }
        let (seq, rest) = split_tlv(el.content).ok_or_else(malformed)?;
        if seq.tag != TAG_SEQUENCE || !rest.is_empty() {
            return Err(malformed());
        }
        let mut kept = Vec::with_capacity(seq.content.len());
        let mut exts = seq.content;
        while !exts.is_empty() {
            let (ext, rest) = split_tlv(exts).ok_or_else(malformed)?;
            exts = rest;
            let (oid, _) = split_tlv(ext.content).ok_or_else(malformed)?;
            if oid.tag != TAG_OID || oid.content != OID_SCT_LIST.as_bytes() {
                kept.extend_from_slice(ext.raw);
            } else if list.is_some() {
                return Err(err!(Parse, "leaf certificate has two SCT-list extensions"));
            } else {
                list = Some(sct_list_value(ext.content)?);
            }
        }
        // Extensions is SIZE (1..MAX): drop the element if the SCT list was all it held.
        if !kept.is_empty() {
            let mut seq_out = Vec::with_capacity(kept.len() + 4);
            push_tlv(&mut seq_out, TAG_SEQUENCE, &kept);
            push_tlv(&mut body, TAG_EXTENSIONS, &seq_out);
        }
    }
    let Some(list) = list else { return Ok(None) };
    let mut out = Vec::with_capacity(body.len() + 4);
    push_tlv(&mut out, TAG_SEQUENCE, &body);
    Ok(Some((out, list)))
}

/// The TLS list inside an SCT-list Extension's contents: `extnID`, optional
/// `critical`, then `extnValue` OCTET STRING wrapping another OCTET STRING.
fn sct_list_value(ext: &[u8]) -> Result<&[u8]> {
    let bad = || {
        err!(
            Sct,
            "the SCT-list extension is not an OCTET STRING in an OCTET STRING"
        )
    };
    let (_, mut rest) = split_tlv(ext).ok_or_else(bad)?;
    let (mut v, mut after) = split_tlv(rest).ok_or_else(bad)?;
    if v.tag == TAG_BOOLEAN {
        rest = after;
        (v, after) = split_tlv(rest).ok_or_else(bad)?;
    }
    if v.tag != TAG_OCTET_STRING || !after.is_empty() {
        return Err(bad());
    }
    let (inner, after) = split_tlv(v.content).ok_or_else(bad)?;
    if inner.tag != TAG_OCTET_STRING || !after.is_empty() {
        return Err(bad());
    }
    Ok(inner.content)
}

/// One parsed v1 SCT, borrowed from the certificate.
#[derive(Debug)]
struct Sct<'a> {
    log_id: &'a [u8],
    timestamp_ms: u64,
    extensions: &'a [u8],
    hash_alg: u8,
    sig_alg: u8,
    signature: &'a [u8],
}

impl Sct<'_> {
    fn time(&self) -> Result<Timestamp> {
        let secs = i64::try_from(self.timestamp_ms / 1000)
            .map_err(|_| err!(Sct, "SCT timestamp is out of range"))?;
        // (ms % 1000) * 10^6 < 10^9, so this is always a valid Timestamp.
        Timestamp::new(secs, (self.timestamp_ms % 1000) as u32 * 1_000_000)
            .ok_or_else(|| err!(Sct, "SCT timestamp is out of range"))
    }
}

/// A cursor over TLS-encoded bytes.
struct Tls<'a>(&'a [u8]);

impl<'a> Tls<'a> {
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.bytes(1)?.first().copied()
    }
    fn u16(&mut self) -> Option<usize> {
        let b = self.bytes(2)?;
        Some(usize::from(u16::from_be_bytes(b.try_into().ok()?)))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.bytes(8)?.try_into().ok()?))
    }
    /// A `<0..2^16-1>` vector.
    fn vec16(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()?;
        self.bytes(n)
    }
}

/// Parse a `SignedCertificateTimestampList`. Entries of an unknown SCT version are
/// `None` (RFC 6962 §3.3: clients ignore them); any length error or trailing byte is
/// an [`ErrorKind::Sct`](crate::ErrorKind::Sct) error.
fn parse_sct_list(list: &[u8]) -> Result<Vec<Option<Sct<'_>>>> {
    let bad = |what: &str| err!(Sct, "malformed SCT list: {what}");
    let mut outer = Tls(list);
    let body = outer.vec16().ok_or_else(|| bad("list length"))?;
    if !outer.0.is_empty() {
        return Err(bad("bytes after the list"));
    }
    if body.is_empty() {
        return Err(bad("empty list"));
    }
    let mut items = Tls(body);
    let mut out = Vec::new();
    while !items.0.is_empty() {
        if out.len() == MAX_SCTS {
            return Err(err!(
                Limit,
                "the certificate carries more than {MAX_SCTS} SCTs"
            ));
        }
        let one = items.vec16().ok_or_else(|| bad("SCT length"))?;
        if one.is_empty() {
            return Err(bad("empty SCT"));
        }
        let mut r = Tls(one);
        let version = r.u8().ok_or_else(|| bad("version"))?;
        if version != 0 {
            out.push(None);
            continue;
        }
        let sct = (|| {
            Some(Sct {
                log_id: r.bytes(32)?,
                timestamp_ms: r.u64()?,
                extensions: r.vec16()?,
                hash_alg: r.u8()?,
                sig_alg: r.u8()?,
                signature: r.vec16()?,
            })
        })()
        .ok_or_else(|| bad("SCT is truncated"))?;
        if !r.0.is_empty() {
            return Err(bad("bytes after an SCT"));
        }
        out.push(Some(sct));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::test_support::*;
    use crate::chain::FulcioTrust;
    use crate::error::ErrorKind;
    use crate::trust_root::TrustedRoot;

    /// Leaf, issuer SPKI (from real path validation) and trusted root of a case.
    fn setup(name: &str) -> (LeafCertificate, Vec<u8>, TrustedRoot) {
        let (b, root) = case(name);
        let leaf = LeafCertificate::parse(&leaf_der(&b)).unwrap();
        let t = integrated_time(&b).unwrap_or(leaf.not_before);
        let chain = FulcioTrust::new(&root.certificate_authorities)
            .unwrap()
            .verify_at(&leaf, t)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        (leaf, chain.issuer_spki_der, root)
    }

    fn sct_list_of(leaf: &LeafCertificate) -> Vec<u8> {
        let raw = RawCert::split(&leaf.der).unwrap();
        split_precert(raw.tbs).unwrap().unwrap().1.to_vec()
    }

    /// Replace the leaf's SCT list (unsigned edit; SCT checks only read the TBS).
    fn with_sct_list(leaf: &LeafCertificate, list: &[u8]) -> LeafCertificate {
        let mut inner = Vec::new();
        push_tlv(&mut inner, TAG_OCTET_STRING, list);
        let der = edit_extension(&leaf.der, "1.3.6.1.4.1.11129.2.4.2", Some(&inner));
        LeafCertificate::parse(&der).unwrap()
    }

    #[test]
    fn happy_paths_verify() {
        for name in [
            "happy-path-v0.1",
            "happy-path-v0.2",
            "happy-path-v0.3",
            "happy-path-intoto-in-dsse-v3",
            "intoto-with-custom-trust-root",
            "bundle-with-sct-with-extensions",
            "rekor2-happy-path",
        ] {
            let (leaf, issuer, root) = setup(name);
            let scts = verify_embedded_scts(&leaf, &issuer, &root.ctlogs)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(scts.len(), 1, "{name}");
            assert!(
                root.ctlogs.iter().any(|l| l.log_id == scts[0].log_id),
                "{name}"
            );
            // The log stamped the certificate within its validity window.
            let ts = scts[0].timestamp;
            assert!(
                ts >= Timestamp::from_unix(leaf.not_before.unix_secs() - 60)
                    && ts <= leaf.not_after,
                "{name}: {ts}"
            );
        }
    }

    #[test]
    fn sct_extensions_are_signed_verbatim() {
        let (leaf, issuer, root) = setup("bundle-with-sct-with-extensions");
        let list = sct_list_of(&leaf);
        let scts = parse_sct_list(&list).unwrap();
        let sct = scts[0].as_ref().unwrap();
        // TesseraCT leaf_index: type 0, length 5, 40-bit index.
        assert_eq!(sct.extensions.len(), 8);
        assert_eq!(&sct.extensions[..3], &[0, 0, 5]);
        assert_eq!(
            verify_embedded_scts(&leaf, &issuer, &root.ctlogs)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn unknown_ct_log_verifies_nothing() {
        // invalid-ct-key_fail ships staging CT logs with a production certificate.
        let (leaf, issuer, root) = setup("invalid-ct-key_fail");
        assert!(
            verify_embedded_scts(&leaf, &issuer, &root.ctlogs)
                .unwrap()
                .is_empty()
        );
        let (leaf, issuer, _) = setup("happy-path-v0.3");
        assert!(
            verify_embedded_scts(&leaf, &issuer, &[])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn sct_outside_log_validity_is_ignored() {
        let (leaf, issuer, mut root) = setup("happy-path-v0.3");
        let ts = verify_embedded_scts(&leaf, &issuer, &root.ctlogs).unwrap()[0].timestamp;
        for log in &mut root.ctlogs {
            log.valid_for.start = Timestamp::new(ts.unix_secs(), ts.subsec_nanos() + 1).unwrap();
            log.valid_for.end = None;
        }
        assert!(
            verify_embedded_scts(&leaf, &issuer, &root.ctlogs)
                .unwrap()
                .is_empty()
        );
        // Inclusive at the SCT's exact millisecond.
        for log in &mut root.ctlogs {
            log.valid_for.start = ts;
            log.valid_for.end = Some(ts);
        }
        assert_eq!(
            verify_embedded_scts(&leaf, &issuer, &root.ctlogs)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn flipped_signature_byte_is_sct_error() {
        let (leaf, issuer, root) = setup("happy-path-v0.3");
        let mut list = sct_list_of(&leaf);
        let last = list.len() - 1;
        list[last] ^= 0x01;
        let bad = with_sct_list(&leaf, &list);
        let e = verify_embedded_scts(&bad, &issuer, &root.ctlogs).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Sct, "{e}");
        // The untouched list re-embedded the same way still verifies (the edit is sound).
        let same = with_sct_list(&leaf, &sct_list_of(&leaf));
        assert_eq!(
            verify_embedded_scts(&same, &issuer, &root.ctlogs)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn changed_tbs_or_wrong_issuer_is_sct_error() {
        let (leaf, issuer, root) = setup("happy-path-v0.3");
        let edited = edit_extension(&leaf.der, "1.3.6.1.4.1.57264.1.2", Some(b"push"));
        let edited = LeafCertificate::parse(&edited).unwrap();
        let e = verify_embedded_scts(&edited, &issuer, &root.ctlogs).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Sct, "{e}");
        let root_spki = {
            let prod = TrustedRoot::production().unwrap();
            let der = prod.certificate_authorities[1].cert_chain[1].clone();
            RawCert::split(&der).unwrap().spki.to_vec()
        };
        let e = verify_embedded_scts(&leaf, &root_spki, &root.ctlogs).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Sct, "{e}");
    }

    #[test]
    fn duplicate_log_counts_once() {
        let (leaf, issuer, root) = setup("happy-path-v0.3");
        let list = sct_list_of(&leaf);
        let one = &list[2..];
        let mut doubled = Vec::new();
        doubled.extend_from_slice(&((one.len() * 2) as u16).to_be_bytes());
        doubled.extend_from_slice(one);
        doubled.extend_from_slice(one);
        let leaf2 = with_sct_list(&leaf, &doubled);
        assert_eq!(parse_sct_list(&doubled).unwrap().len(), 2);
        assert_eq!(
            verify_embedded_scts(&leaf2, &issuer, &root.ctlogs)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn no_sct_extension_means_no_scts() {
        let (leaf, issuer, root) = setup("happy-path-v0.3");
        let der = edit_extension(&leaf.der, "1.3.6.1.4.1.11129.2.4.2", None);
        let bare = LeafCertificate::parse(&der).unwrap();
        assert!(
            verify_embedded_scts(&bare, &issuer, &root.ctlogs)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn malformed_lists_are_sct_errors() {
        let (leaf, issuer, root) = setup("happy-path-v0.3");
        let good = sct_list_of(&leaf);
        let mut trailing = good.clone();
        trailing.push(0);
        let mut short = good.clone();
        short.truncate(good.len() - 1);
        let mut long_inner = good.clone();
        // Grow the inner SCT length by one while the outer length stays.
        long_inner[3] = long_inner[3].wrapping_add(1);
        for bad in [
            vec![],
            vec![0, 0],
            vec![0, 2, 0, 0],
            trailing,
            short,
            long_inner,
        ] {
            let e = parse_sct_list(&bad)
                .err()
                .unwrap_or_else(|| panic!("{bad:?} parsed"));
            assert_eq!(e.kind(), ErrorKind::Sct, "{e}");
            let l = with_sct_list(&leaf, &bad);
            let e = verify_embedded_scts(&l, &issuer, &root.ctlogs).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Sct, "{e}");
        }
        // An extnValue that is not an OCTET STRING inside the OCTET STRING.
        let der = edit_extension(&leaf.der, "1.3.6.1.4.1.11129.2.4.2", Some(&[0x05, 0x00]));
        let l = LeafCertificate::parse(&der).unwrap();
        let e = verify_embedded_scts(&l, &issuer, &root.ctlogs).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Sct, "{e}");
    }

    #[test]
    fn unknown_sct_version_is_ignored() {
        let (leaf, issuer, root) = setup("happy-path-v0.3");
        let mut list = sct_list_of(&leaf);
        list[4] = 1; // version byte of the first SCT
        assert!(parse_sct_list(&list).unwrap()[0].is_none());
        let l = with_sct_list(&leaf, &list);
        assert!(
            verify_embedded_scts(&l, &issuer, &root.ctlogs)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn precert_tbs_drops_only_the_sct_extension() {
        let (leaf, _, _) = setup("happy-path-v0.3");
        let raw = RawCert::split(&leaf.der).unwrap();
        let (pre, list) = split_precert(raw.tbs).unwrap().unwrap();
        // The precert is the TBS minus the SCT extension TLV, with three lengths shrunk.
        assert!(pre.len() < raw.tbs.len());
        let removed = raw.tbs.len() - pre.len();
        assert!(
            removed > list.len() && removed < list.len() + 20,
            "{removed}"
        );
        assert!(
            !pre.windows(OID_SCT_LIST.as_bytes().len())
                .any(|w| w == OID_SCT_LIST.as_bytes())
        );
        // Re-running on a TBS without the extension finds none.
        assert!(split_precert(&pre).unwrap().is_none());
    }
}
