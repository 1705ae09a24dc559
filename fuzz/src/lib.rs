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

// Minimal DER editing, to splice fuzz input into a real certificate; shared
// with the core's integration tests.
#[path = "../../sigverify/tests/support/der.rs"]
mod der;

/// `der` with the contents of its SCT-list extension replaced by `list`.
pub fn with_sct_list(cert: &[u8], list: &[u8]) -> Option<Vec<u8>> {
    der::with_sct_list(cert, &|_| Some(list.to_vec()))
}
