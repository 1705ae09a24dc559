//! Harness for sigverify itself, the same protocol as the peer harnesses.
//! Usage: harness (warm ITERS | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER
//! warm: one Verifier, ITERS x (parse bundle JSON + verify); prints JSON timings.
//! cold: one verification, as a CLI would do it; exit 0 on success.
use sigverify::{Artifact, Policy, TrustedRoot, Verifier};
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (mode, rest) = (a[1].as_str(), &a[2..]);
    let (iters, rest) = if mode == "warm" { (rest[0].parse::<usize>().unwrap(), &rest[1..]) } else { (0, rest) };
    let [root, bundle, artifact, identity, issuer] = rest else { panic!("usage") };
    let verifier = Verifier::new(TrustedRoot::from_json(&std::fs::read(root).unwrap()).unwrap()).unwrap();
    let bundle_json = std::fs::read(bundle).unwrap();
    let artifact = std::fs::read(artifact).unwrap();
    let policy = Policy::identity(identity.as_str(), issuer.as_str());
    // The artifact is hashed inside the timed call, as the peers do.
    let once = || verifier.verify_json(&bundle_json, &Artifact::from_bytes(&artifact), &policy);
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
