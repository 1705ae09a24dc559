//! Shared set-up for the fuzz targets: the test vectors (conformance and our
//! own), read once per process, in manifest order so that `seed_corpus.py`
//! and the targets agree on case numbers.

use sigverify::chain::FulcioTrust;
use sigverify::timestamp::TimestampAuthorities;
use sigverify::{Artifact, Policy, TrustedRoot, Verifier};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The repository's `test-vectors` directory.
pub fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors")
}

/// What one vector is verified with.
pub struct Case {
    pub verifier: Arc<Verifier>,
    pub policy: Policy,
    pub artifact: Artifact,
}

/// Every trusted root the vectors use, by path, parsed.
pub struct Roots {
    pub by_path: Vec<(PathBuf, Arc<TrustedRoot>)>,
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn manifest_cases() -> Vec<(PathBuf, serde_json::Value)> {
    let mut out = Vec::new();
    for corpus in ["conformance", "ours"] {
        let dir = vectors().join(corpus);
        let m: serde_json::Value =
            serde_json::from_slice(&read(&dir.join("manifest.json"))).unwrap();
        for c in m["cases"].as_array().unwrap() {
            out.push((dir.clone(), c.clone()));
        }
    }
    out
}

/// Each manifest case in order; `None` where its trusted root does not load
/// (a case about a malformed root).
pub fn cases() -> &'static [Option<Case>] {
    static CASES: OnceLock<Vec<Option<Case>>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut verifiers: HashMap<PathBuf, Option<Arc<Verifier>>> = HashMap::new();
        manifest_cases()
            .into_iter()
            .map(|(dir, c)| {
                let s = |k: &str| c[k].as_str().map(str::to_string);
                let root = dir.join(s("trusted_root")?);
                let verifier = verifiers
                    .entry(root.clone())
                    .or_insert_with(|| {
                        let r = TrustedRoot::from_json(&read(&root)).ok()?;
                        Verifier::new(r).ok().map(Arc::new)
                    })
                    .clone()?;
                let policy = match s("key") {
                    Some(k) => Policy::public_key(&read(&dir.join(k))).ok()?,
                    None => Policy::identity(s("identity")?, s("issuer")?),
                };
                let artifact = Artifact::from_bytes(&read(&dir.join(s("artifact")?)));
                Some(Case {
                    verifier,
                    policy,
                    artifact,
                })
            })
            .collect()
    })
}

/// Every distinct trusted root of the vectors that loads, plus the embedded ones.
pub fn roots() -> &'static [Arc<TrustedRoot>] {
    static ROOTS: OnceLock<Vec<Arc<TrustedRoot>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut seen = Vec::new();
        let mut out = vec![
            Arc::new(TrustedRoot::production().unwrap()),
            Arc::new(TrustedRoot::staging().unwrap()),
        ];
        for (dir, c) in manifest_cases() {
            let Some(p) = c["trusted_root"].as_str() else {
                continue;
            };
            let bytes = read(&dir.join(p));
            if seen.contains(&bytes) {
                continue;
            }
            if let Ok(r) = TrustedRoot::from_json(&bytes) {
                out.push(Arc::new(r));
            }
            seen.push(bytes);
        }
        out
    })
}

/// The timestamp authorities of every root in [`roots`].
pub fn timestamp_authorities() -> &'static [TimestampAuthorities] {
    static TSAS: OnceLock<Vec<TimestampAuthorities>> = OnceLock::new();
    TSAS.get_or_init(|| {
        roots()
            .iter()
            .filter_map(|r| TimestampAuthorities::new(&r.timestamp_authorities).ok())
            .collect()
    })
}

/// The Fulcio CAs of every root in [`roots`].
pub fn fulcio() -> &'static [(Arc<TrustedRoot>, FulcioTrust)] {
    static CAS: OnceLock<Vec<(Arc<TrustedRoot>, FulcioTrust)>> = OnceLock::new();
    CAS.get_or_init(|| {
        roots()
            .iter()
            .filter_map(|r| {
                Some((
                    r.clone(),
                    FulcioTrust::new(&r.certificate_authorities).ok()?,
                ))
            })
            .collect()
    })
}

/// The happy-path-v0.3 leaf certificate DER and its issuer's SPKI DER.
pub fn leaf_and_issuer() -> &'static (Vec<u8>, Vec<u8>) {
    static LEAF: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    LEAF.get_or_init(|| {
        let b: serde_json::Value = serde_json::from_slice(&read(
            &vectors().join("conformance/happy-path-v0.3/bundle.sigstore.json"),
        ))
        .unwrap();
        let der = sigverify::encoding::b64_decode(
            b["verificationMaterial"]["certificate"]["rawBytes"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        let leaf = sigverify::certificate::LeafCertificate::parse(&der).unwrap();
        let trust =
            FulcioTrust::new(&TrustedRoot::production().unwrap().certificate_authorities).unwrap();
        let issuer = trust
            .verify_at(&leaf, leaf.not_before)
            .unwrap()
            .issuer_spki_der;
        (der, issuer)
    })
}

// Minimal DER editing, to splice fuzz input into a real certificate.

/// Tag, contents, whole encoding and what follows.
type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

fn tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let len = input
            .get(2..2 + n)?
            .iter()
            .fold(0usize, |a, &b| (a << 8) | usize::from(b));
        (len, 2 + n)
    };
    let raw = input.get(..hdr.checked_add(len)?)?;
    Some((tag, raw.get(hdr..)?, raw, input.get(hdr + len..)?))
}

fn enc(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let b = n.to_be_bytes();
        let skip = b.iter().take_while(|&&x| x == 0).count();
        out.push(0x80 | (b.len() - skip) as u8);
        out.extend_from_slice(&b[skip..]);
    }
    out.extend_from_slice(content);
    out
}

const OID_SCT_LIST: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02];

/// `der` with the contents of its SCT-list extension replaced by `list`.
pub fn with_sct_list(der: &[u8], list: &[u8]) -> Option<Vec<u8>> {
    let (_, cert, _, _) = tlv(der)?;
    let (_, tbs, _, after_tbs) = tlv(cert)?;
    let mut tbs_out = Vec::new();
    let mut items = tbs;
    while !items.is_empty() {
        let (tag, content, raw, rest) = tlv(items)?;
        items = rest;
        if tag != 0xa3 {
            tbs_out.extend_from_slice(raw);
            continue;
        }
        let (_, mut exts, _, _) = tlv(content)?;
        let mut list_out = Vec::new();
        while !exts.is_empty() {
            let (_, ext, raw, rest) = tlv(exts)?;
            exts = rest;
            let (_, oid, oid_raw, _) = tlv(ext)?;
            if oid == OID_SCT_LIST {
                let mut e = oid_raw.to_vec();
                e.extend(enc(0x04, &enc(0x04, list)));
                list_out.extend(enc(0x30, &e));
            } else {
                list_out.extend_from_slice(raw);
            }
        }
        tbs_out.extend(enc(0xa3, &enc(0x30, &list_out)));
    }
    let mut body = enc(0x30, &tbs_out);
    body.extend_from_slice(after_tbs);
    Some(enc(0x30, &body))
}
