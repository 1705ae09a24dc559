//! The TLS-encoded SCT list: the input replaces the list inside a real Fulcio
//! leaf, which is then verified against the production CT logs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigverify::certificate::LeafCertificate;

fuzz_target!(|data: &[u8]| {
    let (leaf, issuer) = sigverify_fuzz::leaf_and_issuer();
    let Some(der) = sigverify_fuzz::with_sct_list(leaf, data) else {
        return;
    };
    let Ok(leaf) = LeafCertificate::parse(&der) else {
        return;
    };
    let root = &sigverify_fuzz::roots()[0];
    let _ = sigverify::sct::verify_embedded_scts(&leaf, issuer, &root.ctlogs);
});
