//! Checkpoint (signed note) parsing, then signature-line selection and
//! verification against every Rekor log of every trusted root.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigverify::tlog::checkpoint;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cp) = checkpoint::parse(text) else {
        return;
    };
    for root in sigverify_fuzz::roots() {
        for log in &root.tlogs {
            let _ = checkpoint::verify(&cp, log, false);
            let _ = checkpoint::verify(&cp, log, true);
        }
    }
});
