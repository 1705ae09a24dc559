//! Signed entry timestamps (SETs, Rekor v1 `inclusionPromise`), SPEC §6.5.

use crate::bundle::LogBody;
use crate::encoding::hex_encode;
use crate::error::{Result, err};
use crate::time::Timestamp;
use crate::trust_root::TransparencyLog;

/// The canonical (RFC 8785) SET payload. With these four members JCS is
/// exactly sorted keys without whitespace (`"logID"` sorts before `"logIndex"`),
/// and every value is base64, hex or a decimal integer, so no escaping arises;
/// written by hand so no serde feature can reorder it.
/// `body_base64` is the body's standard padded base64 ([`LogBody::standard_base64`]).
///
/// [`LogBody::standard_base64`]: crate::bundle::LogBody::standard_base64
pub fn payload(body_base64: &str, integrated_time: u64, log_id: &[u8], log_index: u64) -> String {
    format!(
        r#"{{"body":"{body_base64}","integratedTime":{integrated_time},"logID":"{}","logIndex":{log_index}}}"#,
        hex_encode(log_id)
    )
}

/// Verify `set` over the entry's canonical payload with `log`'s key and
/// scheme, then require the log key's `validFor` to contain `integrated_time`
/// (inclusive). Returns the now-verified integrated time.
///
/// `body` is the entry's `canonicalizedBody` and `log_index` its top-level
/// (global) index. Errors are [`ErrorKind::Set`](crate::ErrorKind::Set).
pub fn verify(
    set: &[u8],
    body: &LogBody,
    integrated_time: u64,
    log_id: &[u8],
    log_index: u64,
    log: &TransparencyLog,
) -> Result<Timestamp> {
    let log_key = log
        .key
        .as_ref()
        .ok_or_else(|| err!(Set, "log {} has no usable key", log.base_url))?;
    let msg = payload(&body.standard_base64(), integrated_time, log_id, log_index);
    log_key
        .key
        .verify(log_key.scheme, msg.as_bytes(), set)
        .map_err(|e| err!(Set, "signed entry timestamp of log {}: {e}", log.base_url))?;
    let secs = i64::try_from(integrated_time)
        .map_err(|_| err!(Set, "integratedTime {integrated_time} is out of range"))?;
    let t = Timestamp::from_unix(secs);
    if !log.valid_for.contains(t) {
        return Err(err!(
            Set,
            "integratedTime {t} is outside the validity of log {}'s key ({} to {})",
            log.base_url,
            log.valid_for.start,
            log.valid_for
                .end
                .map_or_else(|| "open".to_string(), |e| e.to_string())
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_is_canonical() {
        assert_eq!(
            payload("e30=", 1689177396, &[0xc0, 0xd2], 27246492),
            r#"{"body":"e30=","integratedTime":1689177396,"logID":"c0d2","logIndex":27246492}"#
        );
    }
}
