//! Certificate DER: leaf parsing (SANs, Fulcio extensions), the bundle-chain
//! self-signed check, path validation against every trusted root's Fulcio CAs,
//! and embedded-SCT extraction and verification.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigverify::certificate::LeafCertificate;

fuzz_target!(|data: &[u8]| {
    let _ = sigverify::chain::check_bundle_chain_extras(&[data.to_vec()]);
    let Ok(leaf) = LeafCertificate::parse(data) else {
        return;
    };
    for (root, trust) in sigverify_fuzz::fulcio() {
        for t in [leaf.not_before, leaf.not_after] {
            if let Ok(chain) = trust.verify_at(&leaf, t) {
                let _ = sigverify::sct::verify_embedded_scts(
                    &leaf,
                    &chain.issuer_spki_der,
                    &root.ctlogs,
                );
            }
        }
        let _ = sigverify::sct::verify_embedded_scts(&leaf, &[], &root.ctlogs);
    }
});
