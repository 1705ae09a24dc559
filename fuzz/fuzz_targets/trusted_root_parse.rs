//! Trusted-root JSON parsing, then preparing a verifier from it (which parses
//! every CA and TSA certificate and checks the CA links).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(root) = sigverify::TrustedRoot::from_json(data) {
        let _ = sigverify::Verifier::new(root);
    }
});
