//! Peer harness: sigstore-rust's `sigstore-verify` crate.
//! Usage: harness (warm ITERS | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER
//! warm: one Verifier, ITERS x (parse bundle JSON + verify); prints JSON timings.
//! cold: one verification, as a CLI would do it; exit 0 on success.
use sigstore_trust_root::TrustedRoot;
use sigstore_types::Bundle;
use sigstore_verify::{VerificationPolicy, Verifier};
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (mode, rest) = (a[1].as_str(), &a[2..]);
    let (iters, rest) = if mode == "warm" { (rest[0].parse::<usize>().unwrap(), &rest[1..]) } else { (0, rest) };
    let [root, bundle, artifact, identity, issuer] = rest else { panic!("usage") };
    let root = TrustedRoot::from_json(&std::fs::read_to_string(root).unwrap()).unwrap();
    let verifier = Verifier::new(&root).unwrap();
    let bundle_json = std::fs::read_to_string(bundle).unwrap();
    let artifact = std::fs::read(artifact).unwrap();
    let policy = VerificationPolicy::new(identity.as_str(), issuer.as_str());
    let once = || {
        let b = Bundle::from_json(&bundle_json).map_err(|e| e.to_string())?;
        verifier.verify(artifact.as_slice(), &b, &policy).map_err(|e| e.to_string())
    };
    if let Err(e) = once() {
        eprintln!("REJECTED: {e}");
        std::process::exit(1);
    }
    if mode == "cold" {
        return;
    }
    let mut t = Vec::with_capacity(iters);
    for _ in 0..iters {
        let s = Instant::now();
        std::hint::black_box(once().unwrap());
        t.push(s.elapsed().as_secs_f64() * 1e6);
    }
    println!("{{\"times_us\":{:?}}}", t);
}
