//! RFC 3161 `TimeStampResp` DER, verified against every trusted root's
//! timestamp authorities. Input: a 2-byte big-endian length, the timestamped
//! signature bytes, then the token (seeds keep the imprint consistent, so the
//! fuzzer reaches the CMS signature and certificate checks).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((n, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let Some((sig, token)) = rest.split_at_checked(usize::from(u16::from_be_bytes(*n))) else {
        return;
    };
    for tsas in sigverify_fuzz::timestamp_authorities() {
        let _ = tsas.verify(token, sig);
    }
});
