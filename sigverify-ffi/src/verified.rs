//! The result handle: what a successful verification established, with
//! getters that lend C strings owned by the handle.

use crate::ffi::guard_code;
use crate::{
    SIGVERIFY_ERR_INVALID_UTF8, SIGVERIFY_ERR_NOT_FOUND, SIGVERIFY_ERR_NULL_ARGUMENT,
    SIGVERIFY_ERR_UNREPRESENTABLE,
};
use sigverify::Verified;
use sigverify::encoding::hex_encode;
use sigverify::result::{Mode, TimeSource};
use std::ffi::{CStr, CString, c_char};
use std::sync::OnceLock;

/// `sigverify_verified_mode`: signed by a Fulcio certificate bound to an OIDC identity.
pub const SIGVERIFY_MODE_KEYLESS: i32 = 1;
/// `sigverify_verified_mode`: signed by the caller-supplied public key.
pub const SIGVERIFY_MODE_PUBLIC_KEY: i32 = 2;

/// `sigverify_time.source`: a kind of source this header does not name yet
/// (a newer library may add sources; treat it as "some trusted party").
pub const SIGVERIFY_TIME_SOURCE_UNKNOWN: i32 = 0;
/// `sigverify_time.source`: a transparency log's signed entry timestamp.
pub const SIGVERIFY_TIME_SOURCE_TLOG: i32 = 1;
/// `sigverify_time.source`: an RFC 3161 timestamp authority.
pub const SIGVERIFY_TIME_SOURCE_TSA: i32 = 2;

/// One Fulcio claim (certificate extension under 1.3.6.1.4.1.57264.1). The
/// strings are owned by the result and valid until it is freed.
#[repr(C)]
pub struct sigverify_claim {
    /// Dotted OID, e.g. "1.3.6.1.4.1.57264.1.12".
    pub oid: *const c_char,
    /// Name as in the Fulcio OID table, e.g. "Source Repository URI"; "Unknown" past the table.
    pub name: *const c_char,
    /// The decoded value.
    pub value: *const c_char,
}

/// One verified time and who vouched for it. `source_url` is owned by the
/// result and valid until it is freed.
#[repr(C)]
pub struct sigverify_time {
    /// Seconds since the Unix epoch.
    pub unix_seconds: i64,
    /// Nanoseconds past `unix_seconds` (0..999999999).
    pub nanoseconds: u32,
    /// `SIGVERIFY_TIME_SOURCE_TLOG` or `SIGVERIFY_TIME_SOURCE_TSA`
    /// (`SIGVERIFY_TIME_SOURCE_UNKNOWN` for a source newer than this header).
    pub source: i32,
    /// The log's base URL or the timestamp authority's URI.
    pub source_url: *const c_char,
}

/// One transparency-log entry that verified. The strings are owned by the
/// result and valid until it is freed.
#[repr(C)]
pub struct sigverify_tlog_entry {
    /// The entry's log index.
    pub log_index: u64,
    /// The log ID, lowercase hex (64 digits).
    pub log_id: *const c_char,
    /// The log's base URL from the trusted root.
    pub log_url: *const c_char,
    /// Entry kind, e.g. "hashedrekord", "dsse", "intoto".
    pub kind: *const c_char,
    /// Entry kind version, e.g. "0.0.1".
    pub version: *const c_char,
    /// Whether `integrated_time` holds a verified integrated time.
    pub has_integrated_time: bool,
    /// The integrated time, seconds since the Unix epoch (0 when absent).
    pub integrated_time: i64,
    /// Whether the entry is from a Rekor v2 (tile-based) log.
    pub rekor_v2: bool,
}

/// A C string, or `None` when the value holds a NUL byte.
type CText = Option<CString>;

fn ctext(s: &str) -> CText {
    CString::new(s).ok()
}

struct EntryText {
    log_id: CString,
    log_url: CText,
    kind: CText,
    version: CText,
}

/// The outcome of a successful verification. Created by the `sigverify_verify*`
/// functions; released with `sigverify_verified_free`. Immutable: the getters
/// may be called from any thread. Strings and buffers they return are owned
/// by the result and stay valid until it is freed.
pub struct sigverify_verified {
    inner: Verified,
    san: Option<CText>,
    issuer: Option<CText>,
    fingerprint: CText,
    claims: Vec<(CText, CText, CText)>,
    time_urls: Vec<CText>,
    entries: Vec<EntryText>,
    payload_type: Option<CText>,
    json: OnceLock<CString>,
}

impl sigverify_verified {
    pub(crate) fn new(inner: Verified) -> Self {
        let id = inner.identity.as_ref();
        sigverify_verified {
            san: id.map(|i| ctext(i.san())),
            issuer: id.and_then(|i| i.issuer.as_deref().map(ctext)),
            fingerprint: ctext(&inner.key_fingerprint),
            claims: id
                .map(|i| {
                    i.extensions
                        .iter()
                        .map(|e| (ctext(&e.oid), ctext(e.name), ctext(&e.value)))
                        .collect()
                })
                .unwrap_or_default(),
            time_urls: inner
                .verified_times
                .iter()
                .map(|t| ctext(t.source.url()))
                .collect(),
            entries: inner
                .tlog_entries
                .iter()
                .map(|e| EntryText {
                    log_id: CString::new(hex_encode(&e.log_id)).unwrap_or_default(),
                    log_url: ctext(&e.base_url),
                    kind: ctext(&e.kind),
                    version: ctext(&e.version),
                })
                .collect(),
            payload_type: inner.dsse_payload.as_ref().map(|(t, _)| ctext(t)),
            json: OnceLock::new(),
            inner,
        }
    }
}

/// Borrow the result, refusing NULL.
///
/// # Safety
/// `v` is NULL or a live result.
unsafe fn get<'a>(v: *const sigverify_verified) -> Result<&'a sigverify_verified, i32> {
    // SAFETY: per the caller's contract.
    unsafe { v.as_ref() }.ok_or(SIGVERIFY_ERR_NULL_ARGUMENT)
}

fn nonnull<T>(p: *mut T) -> Result<(), i32> {
    if p.is_null() {
        Err(SIGVERIFY_ERR_NULL_ARGUMENT)
    } else {
        Ok(())
    }
}

/// Write through an out-pointer already checked non-NULL.
fn put<T>(p: *mut T, value: T) {
    // SAFETY: checked non-NULL by `nonnull`; valid for writes per the caller's contract.
    unsafe { p.write(value) };
}

fn ptr(t: &CText) -> Result<*const c_char, i32> {
    t.as_ref()
        .map(|c| c.as_ptr())
        .ok_or(SIGVERIFY_ERR_UNREPRESENTABLE)
}

/// Free a result. NULL is accepted and ignored. Strings and buffers obtained
/// from it become invalid. No other thread may be using `verified` during
/// the call.
///
/// # Safety
/// `verified` is NULL or a live result not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_free(verified: *mut sigverify_verified) {
    if !verified.is_null() {
        // SAFETY: created by Box::into_raw in a verify function, freed once per the contract.
        crate::ffi::guard_value((), || drop(unsafe { Box::from_raw(verified) }));
    }
}

/// How the signer was identified: stores `SIGVERIFY_MODE_KEYLESS` or
/// `SIGVERIFY_MODE_PUBLIC_KEY` in `*mode`.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `mode` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_mode(
    verified: *const sigverify_verified,
    mode: *mut i32,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(mode)?;
        let m = match v.inner.mode {
            Mode::Keyless => SIGVERIFY_MODE_KEYLESS,
            Mode::PublicKey => SIGVERIFY_MODE_PUBLIC_KEY,
        };
        put(mode, m);
        Ok(())
    })
}

/// The signer's certificate identity (the SAN: URI, email or username) of a
/// keyless result: the one the policy accepted, when the certificate has
/// several. `SIGVERIFY_ERR_NOT_FOUND` for a public-key result.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `san` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_san(
    verified: *const sigverify_verified,
    san: *mut *const c_char,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(san)?;
        put(san, ptr(v.san.as_ref().ok_or(SIGVERIFY_ERR_NOT_FOUND)?)?);
        Ok(())
    })
}

/// The OIDC issuer of a keyless result (the value the policy matched).
/// `SIGVERIFY_ERR_NOT_FOUND` for a public-key result.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `issuer` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_issuer(
    verified: *const sigverify_verified,
    issuer: *mut *const c_char,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(issuer)?;
        put(
            issuer,
            ptr(v.issuer.as_ref().ok_or(SIGVERIFY_ERR_NOT_FOUND)?)?,
        );
        Ok(())
    })
}

/// Which identity of the policy matched (its index in the array given to
/// `sigverify_policy_new_identities`; 0 for `sigverify_policy_new_identity`).
/// `SIGVERIFY_ERR_NOT_FOUND` for a public-key result.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `index` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_matched_identity(
    verified: *const sigverify_verified,
    index: *mut usize,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(index)?;
        let id = v.inner.identity.as_ref().ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        put(index, id.matched_policy);
        Ok(())
    })
}

/// The signing key's fingerprint: lowercase hex SHA-256 of its
/// SubjectPublicKeyInfo (both modes).
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `hex` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_key_fingerprint(
    verified: *const sigverify_verified,
    hex: *mut *const c_char,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(hex)?;
        put(hex, ptr(&v.fingerprint)?);
        Ok(())
    })
}

/// The signing certificate (DER) of a keyless result: stores a pointer to
/// `*der_len` bytes owned by the result. `SIGVERIFY_ERR_NOT_FOUND` for a
/// public-key result.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `der` and `der_len` are NULL or
/// valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_certificate(
    verified: *const sigverify_verified,
    der: *mut *const u8,
    der_len: *mut usize,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(der)?;
        nonnull(der_len)?;
        let id = v.inner.identity.as_ref().ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        put(der, id.certificate_der.as_ptr());
        put(der_len, id.certificate_der.len());
        Ok(())
    })
}

/// How many Fulcio claims the certificate carries (0 for a public-key result).
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `count` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_claim_count(
    verified: *const sigverify_verified,
    count: *mut usize,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(count)?;
        put(count, v.claims.len());
        Ok(())
    })
}

/// Fulcio claim number `index` (0-based, in certificate order).
/// `SIGVERIFY_ERR_NOT_FOUND` when `index` >= the count.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `claim` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_claim(
    verified: *const sigverify_verified,
    index: usize,
    claim: *mut sigverify_claim,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(claim)?;
        let (oid, name, value) = v.claims.get(index).ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        let c = sigverify_claim {
            oid: ptr(oid)?,
            name: ptr(name)?,
            value: ptr(value)?,
        };
        put(claim, c);
        Ok(())
    })
}

/// The value of the first Fulcio claim whose OID or name equals `key`, e.g.
/// "1.3.6.1.4.1.57264.1.12" or "Source Repository URI".
/// `SIGVERIFY_ERR_NOT_FOUND` when there is none.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `key` is NULL or NUL-terminated;
/// `value` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_claim_value(
    verified: *const sigverify_verified,
    key: *const c_char,
    value: *mut *const c_char,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(value)?;
        if key.is_null() {
            return Err(SIGVERIFY_ERR_NULL_ARGUMENT);
        }
        // SAFETY: non-NULL and NUL-terminated per the contract above.
        let key = unsafe { CStr::from_ptr(key) }
            .to_str()
            .map_err(|_| SIGVERIFY_ERR_INVALID_UTF8)?;
        let ext = v
            .inner
            .identity
            .as_ref()
            .and_then(|id| {
                id.extensions
                    .iter()
                    .position(|e| e.oid == key || e.name == key)
            })
            .ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        let (_, _, text) = v.claims.get(ext).ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        put(value, ptr(text)?);
        Ok(())
    })
}

/// How many verified times the result holds.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `count` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_time_count(
    verified: *const sigverify_verified,
    count: *mut usize,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(count)?;
        put(count, v.inner.verified_times.len());
        Ok(())
    })
}

/// Verified time number `index` (0-based) and its source.
/// `SIGVERIFY_ERR_NOT_FOUND` when `index` >= the count.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `time` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_time(
    verified: *const sigverify_verified,
    index: usize,
    time: *mut sigverify_time,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(time)?;
        let t = v
            .inner
            .verified_times
            .get(index)
            .ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        let url = v.time_urls.get(index).ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        let out = sigverify_time {
            unix_seconds: t.time.unix_secs(),
            nanoseconds: t.time.subsec_nanos(),
            source: match t.source {
                TimeSource::TransparencyLog { .. } => SIGVERIFY_TIME_SOURCE_TLOG,
                TimeSource::TimestampAuthority { .. } => SIGVERIFY_TIME_SOURCE_TSA,
                // A source newer than this header (the enum is non_exhaustive).
                _ => SIGVERIFY_TIME_SOURCE_UNKNOWN,
            },
            source_url: ptr(url)?,
        };
        put(time, out);
        Ok(())
    })
}

/// How many transparency-log entries verified.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `count` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_tlog_entry_count(
    verified: *const sigverify_verified,
    count: *mut usize,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(count)?;
        put(count, v.inner.tlog_entries.len());
        Ok(())
    })
}

/// Verified transparency-log entry number `index` (0-based).
/// `SIGVERIFY_ERR_NOT_FOUND` when `index` >= the count.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `entry` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_tlog_entry(
    verified: *const sigverify_verified,
    index: usize,
    entry: *mut sigverify_tlog_entry,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(entry)?;
        let e = v
            .inner
            .tlog_entries
            .get(index)
            .ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        let t = v.entries.get(index).ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        let out = sigverify_tlog_entry {
            log_index: e.log_index,
            log_id: t.log_id.as_ptr(),
            log_url: ptr(&t.log_url)?,
            kind: ptr(&t.kind)?,
            version: ptr(&t.version)?,
            has_integrated_time: e.integrated_time.is_some(),
            integrated_time: e.integrated_time.map_or(0, |t| t.unix_secs()),
            rekor_v2: e.rekor_v2,
        };
        put(entry, out);
        Ok(())
    })
}

/// The DSSE envelope's payload type and payload (e.g. an in-toto statement),
/// owned by the result. `SIGVERIFY_ERR_NOT_FOUND` for a message-signature bundle.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; the out-pointers are NULL or valid
/// for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_dsse_payload(
    verified: *const sigverify_verified,
    payload_type: *mut *const c_char,
    payload: *mut *const u8,
    payload_len: *mut usize,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(payload_type)?;
        nonnull(payload)?;
        nonnull(payload_len)?;
        let (_, body) = v
            .inner
            .dsse_payload
            .as_ref()
            .ok_or(SIGVERIFY_ERR_NOT_FOUND)?;
        let ty = ptr(v.payload_type.as_ref().ok_or(SIGVERIFY_ERR_NOT_FOUND)?)?;
        put(payload_type, ty);
        put(payload, body.as_ptr());
        put(payload_len, body.len());
        Ok(())
    })
}

/// The whole result as compact JSON (stable field names: "verified", "mode",
/// "bundleVersion", "identity", "key", "verifiedTimes", "tlogEntries",
/// "scts", "dsse", "statement"), NUL-terminated and owned by the result.
/// Built on first use; thread-safe.
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `verified`
/// or an out-pointer is NULL. Outputs are written only on success; what they
/// point to is owned by `verified`. Thread-safe.
///
/// # Safety
/// `verified` is NULL or a live result; `json` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verified_json(
    verified: *const sigverify_verified,
    json: *mut *const c_char,
) -> i32 {
    guard_code(|| {
        // SAFETY: per the contract above.
        let v = unsafe { get(verified) }?;
        nonnull(json)?;
        // serde_json escapes control characters, so the text has no NUL byte.
        let s = v
            .json
            .get_or_init(|| CString::new(v.inner.to_json().to_string()).unwrap_or_default());
        put(json, s.as_ptr());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SIGVERIFY_OK;
    use sigverify::certificate::SubjectAltName;
    use sigverify::{Artifact, Policy, Verifier};
    use std::ptr;

    const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    const ISSUER: &str = "https://token.actions.githubusercontent.com";

    fn happy_path() -> Verified {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors/conformance");
        let bundle = std::fs::read(format!("{dir}/happy-path-v0.3/bundle.sigstore.json")).unwrap();
        let artifact = std::fs::read(format!("{dir}/a.txt")).unwrap();
        Verifier::production()
            .unwrap()
            .verify_json(
                &bundle,
                &Artifact::from_bytes(&artifact),
                &Policy::identity(IDENTITY, ISSUER),
            )
            .unwrap()
    }

    fn text(p: *const c_char) -> &'static str {
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn getters_lend_the_results_strings() {
        let h = sigverify_verified::new(happy_path());
        let mut s = ptr::null();
        assert_eq!(unsafe { sigverify_verified_san(&h, &mut s) }, SIGVERIFY_OK);
        assert_eq!(text(s), IDENTITY);
        assert_eq!(
            unsafe { sigverify_verified_issuer(&h, &mut s) },
            SIGVERIFY_OK
        );
        assert_eq!(text(s), ISSUER);
        let mut t = sigverify_time {
            unix_seconds: 0,
            nanoseconds: 0,
            source: 0,
            source_url: ptr::null(),
        };
        assert_eq!(
            unsafe { sigverify_verified_time(&h, 0, &mut t) },
            SIGVERIFY_OK
        );
        assert_eq!(t.source, SIGVERIFY_TIME_SOURCE_TLOG);
        assert_eq!(t.unix_seconds, h.inner.verified_times[0].time.unix_secs());
        assert_eq!(unsafe { sigverify_verified_json(&h, &mut s) }, SIGVERIFY_OK);
        let json: serde_json::Value = serde_json::from_str(text(s)).unwrap();
        assert_eq!(json["identity"]["san"], IDENTITY);
    }

    #[test]
    fn nul_bytes_are_unrepresentable_but_kept_in_json() {
        let mut v = happy_path();
        let id = v.identity.as_mut().unwrap();
        id.sans = vec![SubjectAltName::Uri("a\0b".into())];
        id.extensions[0].value = "x\0y".into();
        let oid = id.extensions[0].oid.clone();
        let h = sigverify_verified::new(v);

        let mut s = ptr::null();
        assert_eq!(
            unsafe { sigverify_verified_san(&h, &mut s) },
            SIGVERIFY_ERR_UNREPRESENTABLE
        );
        assert!(s.is_null(), "outputs are written only on success");
        let oid = CString::new(oid).unwrap();
        assert_eq!(
            unsafe { sigverify_verified_claim_value(&h, oid.as_ptr(), &mut s) },
            SIGVERIFY_ERR_UNREPRESENTABLE
        );
        let mut c = sigverify_claim {
            oid: ptr::null(),
            name: ptr::null(),
            value: ptr::null(),
        };
        assert_eq!(
            unsafe { sigverify_verified_claim(&h, 0, &mut c) },
            SIGVERIFY_ERR_UNREPRESENTABLE
        );
        assert!(c.oid.is_null());
        assert_eq!(
            unsafe { sigverify_verified_claim(&h, 1, &mut c) },
            SIGVERIFY_OK
        );
        assert_eq!(
            unsafe { sigverify_verified_issuer(&h, &mut s) },
            SIGVERIFY_OK
        );

        assert_eq!(unsafe { sigverify_verified_json(&h, &mut s) }, SIGVERIFY_OK);
        let json: serde_json::Value = serde_json::from_str(text(s)).unwrap();
        assert_eq!(json["identity"]["san"], "a\0b");
    }
}
