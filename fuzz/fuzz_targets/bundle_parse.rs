//! Bundle JSON parsing and structural validation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(b) = sigverify::Bundle::from_json(data) {
        let _ = (b.signature_bytes(), b.leaf_certificate(), format!("{b:?}"));
    }
});
