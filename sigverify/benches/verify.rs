//! Criterion benches of the core (issue 6).
//!
//! * `whole/<case>`: warm `Verifier::verify_json` (bundle parse + verify) with one
//!   reused verifier, for each happy-path conformance bundle.
//! * `floor/<case>`: the same bundle's signature operations alone, with the same
//!   backend, through `sigverify::crypto::PublicKey`: what no verifier can skip.
//! * `step/<name>/<case>`: bundle parse, trusted root parse + `Verifier::new`, leaf
//!   parse, chain, SCT, tlog entries, RFC 3161 timestamp.
//!
//! `benches/summarize.py` turns criterion's samples into medians, minimums and
//! the verify/floor ratios. `cargo bench -p sigverify --bench verify -- --test`
//! runs every bench once (the smoke run).

use criterion::{Criterion, criterion_group, criterion_main};
use der::{Decode, Encode};
use sigverify::bundle::{Content, SigningMaterial};
use sigverify::certificate::LeafCertificate;
use sigverify::chain::FulcioTrust;
use sigverify::crypto::{HashAlg, KeyType, PublicKey, Scheme, sha256};
use sigverify::timestamp::TimestampAuthorities;
use sigverify::tlog::{self, Signer};
use sigverify::{Artifact, Bundle, Policy, TrustedRoot, Verifier};
use std::hint::black_box;
use std::path::PathBuf;

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

/// (name, case directory, whether the case carries its own trusted root).
const CASES: &[(&str, &str, bool)] = &[
    ("v0.1", "happy-path-v0.1", false),
    ("v0.2", "happy-path-v0.2", false),
    ("v0.3", "happy-path-v0.3", false),
    ("dsse-v0.3", "happy-path-intoto-in-dsse-v3", false),
    ("rekor2", "rekor2-happy-path", true),
    ("rekor2-dsse", "rekor2-dsse-happy-path", true),
];

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-vectors")
}

struct Case {
    name: &'static str,
    bundle_json: Vec<u8>,
    root_json: Vec<u8>,
    artifact: Artifact,
}

fn load_cases() -> Vec<Case> {
    let v = vectors();
    let artifact = Artifact::from_bytes(&std::fs::read(v.join("conformance/a.txt")).unwrap());
    CASES
        .iter()
        .map(|&(name, dir, own_root)| {
            let root = if own_root {
                v.join("conformance").join(dir).join("trusted_root.json")
            } else {
                v.join("trust/production_trusted_root.json")
            };
            Case {
                name,
                bundle_json: std::fs::read(
                    v.join("conformance").join(dir).join("bundle.sigstore.json"),
                )
                .unwrap(),
                root_json: std::fs::read(root).unwrap(),
                artifact: artifact.clone(),
            }
        })
        .collect()
}

// ---- a minimal DER walker, enough to find the signed bytes of each operation ----

/// (tag, content, whole TLV, rest) of the first TLV in `d` (single-byte tags).
fn tlv(d: &[u8]) -> (u8, &[u8], &[u8], &[u8]) {
    let tag = d[0];
    let (len, hdr) = match d[1] {
        n if n < 0x80 => (n as usize, 2),
        0x81 => (d[2] as usize, 3),
        0x82 => ((d[2] as usize) << 8 | d[3] as usize, 4),
        0x83 => (
            (d[2] as usize) << 16 | (d[3] as usize) << 8 | d[4] as usize,
            5,
        ),
        _ => panic!("long DER length"),
    };
    (tag, &d[hdr..hdr + len], &d[..hdr + len], &d[hdr + len..])
}

fn children(mut d: &[u8]) -> Vec<(u8, &[u8], &[u8])> {
    let mut out = Vec::new();
    while !d.is_empty() {
        let (t, c, raw, rest) = tlv(d);
        out.push((t, c, raw));
        d = rest;
    }
    out
}

fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    match n {
        0..=0x7f => out.push(n as u8),
        0x80..=0xff => out.extend([0x81, n as u8]),
        0x100..=0xffff => out.extend([0x82, (n >> 8) as u8, n as u8]),
        _ => out.extend([0x83, (n >> 16) as u8, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// (TBS TLV, signature) of a certificate.
fn cert_tbs_sig(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (_, content, _, _) = tlv(der);
    let parts = children(content);
    (parts[0].2.to_vec(), parts[2].1[1..].to_vec())
}

fn cert_spki(der: &[u8]) -> Vec<u8> {
    let c = x509_cert::Certificate::from_der(der).unwrap();
    c.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap()
}

const SCT_OID: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x02];

/// (precertificate TBS, TLS SCT list) of a leaf.
fn precert(leaf: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (tbs, _) = cert_tbs_sig(leaf);
    let mut body = Vec::new();
    let mut list = Vec::new();
    for (tag, content, raw) in children(tlv(&tbs).1) {
        if tag != 0xA3 {
            body.extend_from_slice(raw);
            continue;
        }
        let mut kept = Vec::new();
        for (_, ext, raw) in children(tlv(content).1) {
            let parts = children(ext);
            if parts[0].1 == SCT_OID {
                let octets = parts.last().unwrap().1;
                list = tlv(octets).1.to_vec();
            } else {
                kept.extend_from_slice(raw);
            }
        }
        body.extend(encode(0xA3, &encode(0x30, &kept)));
    }
    (encode(0x30, &body), list)
}

/// RFC 6962 signed data of every SCT in `list`, for the issuer key hash `ikh`.
fn sct_messages(list: &[u8], tbs: &[u8], ikh: &[u8; 32]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let u16at = |d: &[u8], i: usize| (d[i] as usize) << 8 | d[i + 1] as usize;
    let mut out = Vec::new();
    let mut d = &list[2..];
    while !d.is_empty() {
        let n = u16at(d, 0);
        let s = &d[2..2 + n];
        d = &d[2 + n..];
        let ts = &s[33..41];
        let en = u16at(s, 41);
        let ext = &s[43..43 + en];
        let sig = &s[43 + en + 2 + 2..];
        let mut m = vec![0, 0];
        m.extend_from_slice(ts);
        m.extend_from_slice(&[0, 1]);
        m.extend_from_slice(ikh);
        m.extend_from_slice(&(tbs.len() as u32).to_be_bytes()[1..]);
        m.extend_from_slice(tbs);
        m.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        m.extend_from_slice(ext);
        out.push((m, sig.to_vec()));
    }
    out
}

/// (signed attributes as a SET, signature, embedded certificates) of a TimeStampResp.
fn tsa_parts(resp: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<Vec<u8>>) {
    let resp = children(tlv(resp).1);
    let content_info = children(resp[1].1);
    let sd = children(tlv(content_info[1].1).1);
    let certs = sd
        .iter()
        .find(|p| p.0 == 0xA0)
        .map(|p| children(p.1).iter().map(|c| c.2.to_vec()).collect())
        .unwrap_or_default();
    let signer_infos = sd.last().unwrap();
    let si = children(children(signer_infos.1)[0].1);
    let attrs = si.iter().find(|p| p.0 == 0xA0).unwrap();
    let sig = si.last().unwrap().1.to_vec();
    (encode(0x31, attrs.1), sig, certs)
}

// ---- the crypto floor ----

/// One signature operation: which key (index into the key list, or the leaf key,
/// parsed afresh each time as a verifier must), the scheme, the input, the signature.
struct Op {
    key: Option<usize>,
    scheme: Scheme,
    input: Vec<u8>,
    digest: bool,
    sig: Vec<u8>,
    what: String,
}

struct Floor {
    keys: Vec<PublicKey>,
    leaf_spki: Vec<u8>,
    ops: Vec<Op>,
}

impl Floor {
    fn run(&self) {
        let leaf = PublicKey::from_spki_der(&self.leaf_spki).unwrap();
        for op in &self.ops {
            let k = op.key.map_or(&leaf, |i| &self.keys[i]);
            let r = if op.digest {
                k.verify_digest(op.scheme, &op.input, &op.sig)
            } else {
                k.verify(op.scheme, &op.input, &op.sig)
            };
            black_box(r).unwrap();
        }
    }

    fn describe(&self) -> String {
        let leaf = PublicKey::from_spki_der(&self.leaf_spki).unwrap();
        self.ops
            .iter()
            .map(|o| {
                let k = o.key.map_or(&leaf, |i| &self.keys[i]);
                format!("{} ({})", o.what, k.key_type().name())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn schemes(k: KeyType) -> Vec<Scheme> {
    use HashAlg::*;
    match k {
        KeyType::Ed25519 => vec![Scheme::Ed25519],
        KeyType::Rsa(_) => vec![
            Scheme::RsaPkcs1(Sha256),
            Scheme::RsaPkcs1(Sha384),
            Scheme::RsaPkcs1(Sha512),
        ],
        _ => vec![
            Scheme::Ecdsa(Sha256),
            Scheme::Ecdsa(Sha384),
            Scheme::Ecdsa(Sha512),
        ],
    }
}

/// Find the trusted key and scheme under which `sig` verifies over `input`.
fn find_op(keys: &[PublicKey], input: &[u8], sig: &[u8], what: &str) -> Option<Op> {
    keys.iter().enumerate().find_map(|(i, k)| {
        schemes(k.key_type()).into_iter().find_map(|s| {
            k.verify(s, input, sig).ok().map(|()| Op {
                key: Some(i),
                scheme: s,
                input: input.to_vec(),
                digest: false,
                sig: sig.to_vec(),
                what: what.to_string(),
            })
        })
    })
}

/// The signature operations one verification of `bundle` needs. Every key the
/// trusted root or the bundle holds is a candidate; each operation keeps the one
/// that verifies (and the setup asserts that each expected operation was found).
fn floor_for(root_json: &[u8], bundle: &Bundle, artifact: &Artifact) -> Floor {
    let root = TrustedRoot::from_json(root_json).unwrap();
    let mut keys: Vec<PublicKey> = Vec::new();
    let mut ca_spkis: Vec<Vec<u8>> = Vec::new();
    for l in root.tlogs.iter().chain(&root.ctlogs) {
        if let Some(k) = &l.key {
            keys.push(PublicKey::from_spki_der(k.key.spki_der()).unwrap());
        }
    }
    for ca in root
        .certificate_authorities
        .iter()
        .chain(&root.timestamp_authorities)
    {
        for c in &ca.cert_chain {
            ca_spkis.push(cert_spki(c));
        }
    }
    let leaf_der = bundle.leaf_certificate().unwrap().to_vec();
    let tsa_resps: Vec<_> = bundle
        .rfc3161_timestamps
        .iter()
        .map(|t| tsa_parts(t))
        .collect();
    for s in ca_spkis.iter().chain(
        tsa_resps
            .iter()
            .flat_map(|(_, _, certs)| certs.iter())
            .map(|c| cert_spki(c))
            .collect::<Vec<_>>()
            .iter(),
    ) {
        keys.push(PublicKey::from_spki_der(s).unwrap());
    }
    let mut ops = Vec::new();

    // Fulcio leaf <- issuing CA.
    let (tbs, sig) = cert_tbs_sig(&leaf_der);
    ops.push(find_op(&keys, &tbs, &sig, "chain").expect("chain link"));

    // SCTs: the issuer key hash is that of the CA that signed the leaf.
    let (pre, list) = precert(&leaf_der);
    let sct = ca_spkis
        .iter()
        .find_map(|spki| {
            sct_messages(&list, &pre, &sha256(spki))
                .into_iter()
                .find_map(|(m, s)| find_op(&keys, &m, &s, "SCT"))
        })
        .expect("an SCT");
    ops.push(sct);

    for e in &bundle.tlog_entries {
        if let Some(set) = &e.inclusion_promise
            && !e.is_rekor_v2()
        {
            let body = e.canonicalized_body.as_ref().unwrap().standard_base64();
            let payload = tlog::set::payload(&body, e.integrated_time, &e.log_id, e.log_index);
            ops.push(find_op(&keys, payload.as_bytes(), set, "SET").expect("SET"));
        }
        if let Some(p) = &e.inclusion_proof {
            let cp = tlog::checkpoint::parse(p.checkpoint.as_deref().unwrap()).unwrap();
            let found: Vec<Op> = cp
                .signatures
                .iter()
                .filter_map(|s| find_op(&keys, cp.text.as_bytes(), &s.signature, "checkpoint"))
                .collect();
            assert!(!found.is_empty(), "checkpoint signature");
            ops.extend(found);
        }
    }
    for (attrs, sig, _) in &tsa_resps {
        ops.push(find_op(&keys, attrs, sig, "TSA token").expect("TSA signature"));
    }

    // The artifact signature, under the leaf key.
    let leaf = LeafCertificate::parse(&leaf_der).unwrap();
    let leaf_spki = leaf.public_key.spki_der().to_vec();
    let natural = Scheme::natural_for(leaf.public_key.key_type());
    let op = match &bundle.content {
        Content::MessageSignature(m) => Op {
            key: None,
            scheme: natural,
            input: artifact.digest(m.digest_algorithm).unwrap().to_vec(),
            digest: true,
            sig: m.signature.clone(),
            what: "artifact signature".into(),
        },
        Content::Dsse(env) => Op {
            key: None,
            scheme: natural,
            input: tlog::body::pae(&env.payload_type, &env.payload),
            digest: false,
            sig: env.signature.clone(),
            what: "DSSE signature".into(),
        },
    };
    ops.push(op);
    let f = Floor {
        keys,
        leaf_spki,
        ops,
    };
    f.run(); // every operation verifies
    f
}

/// Alternate `k` calls of `a` with `k` calls of `b` for `rounds` rounds: the
/// median per-round ratio a/b survives load bursts on a shared machine far better
/// than two separate measurements, and the minimum per-call times are reported too.
fn interleaved(a: impl Fn(), b: impl Fn(), rounds: usize, k: usize) -> (f64, f64, f64) {
    let time = |f: &dyn Fn()| {
        let s = std::time::Instant::now();
        for _ in 0..k {
            f();
        }
        s.elapsed().as_secs_f64() * 1e6 / k as f64
    };
    let (mut ratios, mut amin, mut bmin) = (Vec::new(), f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let (ta, tb) = (time(&a), time(&b));
        ratios.push(ta / tb);
        amin = amin.min(ta);
        bmin = bmin.min(tb);
    }
    ratios.sort_by(f64::total_cmp);
    (ratios[ratios.len() / 2], amin, bmin)
}

fn benches(c: &mut Criterion) {
    let cases = load_cases();
    let policy = Policy::identity(IDENTITY, ISSUER);
    // One pass of everything when run as a test: `cargo test --bench verify`
    // (no `--bench` flag; the smoke run in `make test`) or `cargo bench -- --test`.
    let smoke =
        std::env::args().any(|a| a == "--test") || !std::env::args().any(|a| a == "--bench");
    let mut ratios = Vec::new();

    for case in &cases {
        let root = TrustedRoot::from_json(&case.root_json).unwrap();
        let verifier = Verifier::new(root).unwrap();
        verifier
            .verify_json(&case.bundle_json, &case.artifact, &policy)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let bundle = Bundle::from_json(&case.bundle_json).unwrap();
        let floor = floor_for(&case.root_json, &bundle, &case.artifact);
        eprintln!("floor/{}: {}", case.name, floor.describe());

        c.bench_function(&format!("whole/{}", case.name), |b| {
            b.iter(|| {
                verifier
                    .verify_json(black_box(&case.bundle_json), &case.artifact, &policy)
                    .unwrap()
            })
        });
        c.bench_function(&format!("verify-parsed/{}", case.name), |b| {
            b.iter(|| {
                verifier
                    .verify(black_box(&bundle), &case.artifact, &policy)
                    .unwrap()
            })
        });
        c.bench_function(&format!("floor/{}", case.name), |b| b.iter(|| floor.run()));
        let (rounds, k) = if smoke { (1, 1) } else { (200, 5) };
        let (ratio, wmin, fmin) = interleaved(
            || {
                verifier
                    .verify_json(black_box(&case.bundle_json), &case.artifact, &policy)
                    .unwrap();
            },
            || floor.run(),
            rounds,
            k,
        );
        ratios.push(format!(
            "{{\"case\":\"{}\",\"ratio_median\":{ratio:.4},\"whole_min_us\":{wmin:.1},\"floor_min_us\":{fmin:.1}}}",
            case.name
        ));
        eprintln!(
            "ratio/{}: verify/floor {ratio:.3} (median of interleaved rounds); min µs: verify {wmin:.1}, floor {fmin:.1}",
            case.name
        );
    }
    if !smoke {
        let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(
            out.join("ratios.json"),
            format!("[{}]\n", ratios.join(",\n")),
        )
        .unwrap();
    }

    // Per step.
    for case in &cases {
        let n = case.name;
        let root = TrustedRoot::from_json(&case.root_json).unwrap();
        let bundle = Bundle::from_json(&case.bundle_json).unwrap();
        let leaf_der = bundle.leaf_certificate().unwrap().to_vec();
        c.bench_function(&format!("step/bundle-parse/{n}"), |b| {
            b.iter(|| Bundle::from_json(black_box(&case.bundle_json)).unwrap())
        });
        c.bench_function(&format!("step/leaf-parse/{n}"), |b| {
            b.iter(|| LeafCertificate::parse(black_box(&leaf_der)).unwrap())
        });
        let leaf = LeafCertificate::parse(&leaf_der).unwrap();
        let fulcio = FulcioTrust::new(&root.certificate_authorities).unwrap();
        // A verified time: the SET's integrated time or a TSA genTime, else notBefore.
        let tsas = TimestampAuthorities::new(&root.timestamp_authorities).unwrap();
        let t = bundle
            .rfc3161_timestamps
            .first()
            .map(|ts| tsas.verify(ts, bundle.signature_bytes()).unwrap().time)
            .unwrap_or(leaf.not_before);
        c.bench_function(&format!("step/chain/{n}"), |b| {
            b.iter(|| fulcio.verify_at(black_box(&leaf), t).unwrap())
        });
        let issuer = fulcio.verify_at(&leaf, t).unwrap().issuer_spki_der;
        c.bench_function(&format!("step/sct/{n}"), |b| {
            b.iter(|| {
                sigverify::sct::verify_embedded_scts(black_box(&leaf), &issuer, &root.ctlogs)
                    .unwrap()
            })
        });
        let signer = match &bundle.material {
            SigningMaterial::Certificate { leaf: der, .. } => Signer::Certificate {
                leaf_der: der,
                key: &leaf.public_key,
            },
            SigningMaterial::PublicKey { .. } => unreachable!(),
        };
        c.bench_function(&format!("step/tlog/{n}"), |b| {
            b.iter(|| tlog::verify_entries(black_box(&bundle), &root.tlogs, &signer).unwrap())
        });
        if let Some(ts) = bundle.rfc3161_timestamps.first() {
            c.bench_function(&format!("step/timestamp/{n}"), |b| {
                b.iter(|| {
                    tsas.verify(black_box(ts), bundle.signature_bytes())
                        .unwrap()
                })
            });
        }
        if n == "v0.3" || n == "rekor2" {
            c.bench_function(&format!("step/root+Verifier::new/{n}"), |b| {
                b.iter(|| {
                    Verifier::new(TrustedRoot::from_json(black_box(&case.root_json)).unwrap())
                        .unwrap()
                })
            });
        }
    }
    c.bench_function("step/Verifier::production", |b| {
        b.iter(|| Verifier::production().unwrap())
    });
}

criterion_group! {
    name = verify;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(verify);
