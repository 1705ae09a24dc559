//! The trusted-root handle: the embedded production or staging root, or one
//! supplied as JSON bytes.

use crate::error::sigverify_error;
use crate::ffi::{FfiError, bytes, guard, guard_value, out};
use sigverify::TrustedRoot;
use sigverify::trust_root::{PRODUCTION_JSON, STAGING_JSON};
use std::borrow::Cow;

/// A validated trusted root (Fulcio CAs, Rekor logs, CT logs, timestamp
/// authorities). Create with `sigverify_trusted_root_production`,
/// `sigverify_trusted_root_staging` or `sigverify_trusted_root_from_json`;
/// release with `sigverify_trusted_root_free`. Immutable and thread-safe.
pub struct sigverify_trusted_root {
    // The core's parsed root is consumed by each verifier built from it, so
    // the handle keeps the validated JSON and each verifier parses its own.
    pub(crate) json: Cow<'static, [u8]>,
}

impl sigverify_trusted_root {
    pub(crate) fn parse(&self) -> sigverify::Result<TrustedRoot> {
        TrustedRoot::from_json(&self.json)
    }
}

/// Validate `json` and store a new handle in `*root_out`.
fn store_root(
    json: Cow<'static, [u8]>,
    root_out: *mut *mut sigverify_trusted_root,
) -> Result<(), FfiError> {
    out(root_out, "root_out")?;
    let root = sigverify_trusted_root { json };
    root.parse()?;
    // SAFETY: checked non-NULL; valid for writes per the caller's contract.
    unsafe { root_out.write(Box::into_raw(Box::new(root))) };
    Ok(())
}

/// The Sigstore public-good (production) trusted root embedded in the library.
///
/// On success stores a new handle in `*root_out` and returns `SIGVERIFY_OK`.
/// On failure returns a code, leaves `*root_out` untouched and, when `err` is
/// not NULL, stores an error object in `*err` (free it with
/// `sigverify_error_free`). `root_out` must not be NULL
/// (`SIGVERIFY_ERR_NULL_ARGUMENT`). Free the handle with
/// `sigverify_trusted_root_free`. Thread-safe.
///
/// # Safety
/// `root_out` is NULL or valid for writes; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_trusted_root_production(
    root_out: *mut *mut sigverify_trusted_root,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || store_root(Cow::Borrowed(PRODUCTION_JSON), root_out))
}

/// The Sigstore staging trusted root embedded in the library. Same contract
/// as `sigverify_trusted_root_production` (free the handle with
/// `sigverify_trusted_root_free`). Thread-safe.
///
/// # Safety
/// `root_out` is NULL or valid for writes; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_trusted_root_staging(
    root_out: *mut *mut sigverify_trusted_root,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || store_root(Cow::Borrowed(STAGING_JSON), root_out))
}

/// Parse and validate a trusted root from `json_len` bytes of
/// `trusted_root.json` at `json` (copied; the buffer may be freed after the
/// call). It replaces, not extends, the embedded roots.
///
/// Errors: `SIGVERIFY_ERR_TRUSTED_ROOT` or `SIGVERIFY_ERR_PARSE` for a
/// malformed root, `SIGVERIFY_ERR_LIMIT` for an oversized one,
/// `SIGVERIFY_ERR_NULL_ARGUMENT` when `root_out` is NULL or `json` is NULL
/// with a nonzero length. Otherwise as `sigverify_trusted_root_production`.
/// Thread-safe.
///
/// # Safety
/// `json` is NULL or valid for reads of `json_len` bytes; `root_out` and
/// `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_trusted_root_from_json(
    json: *const u8,
    json_len: usize,
    root_out: *mut *mut sigverify_trusted_root,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(root_out, "root_out")?;
        // SAFETY: per the contract above.
        let json = unsafe { bytes(json, json_len, "json") }?;
        store_root(Cow::Owned(json.to_vec()), root_out)
    })
}

/// Free a trusted root. NULL is accepted and ignored. Verifiers built from
/// it stay valid. No other thread may be using `root` during the call.
///
/// # Safety
/// `root` is NULL or a live handle not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_trusted_root_free(root: *mut sigverify_trusted_root) {
    if !root.is_null() {
        // SAFETY: created by Box::into_raw in `store_root`, freed once per the contract.
        guard_value((), || drop(unsafe { Box::from_raw(root) }));
    }
}
