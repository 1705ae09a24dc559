//! Whole-bundle verification. Input: one byte choosing a test vector (its
//! trusted root, policy and artifact), then the bundle JSON. Seeded with
//! every vector's bundle behind its own case number.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bundle)) = data.split_first() else {
        return;
    };
    let cases = sigverify_fuzz::cases();
    let Some(Some(case)) = cases.get(usize::from(pick) % cases.len()) else {
        return;
    };
    let _ = case
        .verifier
        .verify_json(bundle, &case.artifact, &case.policy);
});
