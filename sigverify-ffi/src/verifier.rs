//! The verifier handle and its options.

use crate::SIGVERIFY_ERR_NULL_ARGUMENT;
use crate::error::sigverify_error;
use crate::ffi::{FfiError, guard, guard_value, handle, out};
use crate::root::sigverify_trusted_root;
use sigverify::Verifier;
use sigverify::time::Timestamp;
use sigverify::verifier::Options;

/// Verification options for `sigverify_verifier_new_with_options`. Fill it
/// with `sigverify_options_init` first, then change what you need. Flags are
/// `uint8_t`, not `bool`, so that any byte value is a defined input: 0 is
/// false, anything else true.
#[repr(C)]
pub struct sigverify_options {
    /// Distinct transparency logs that must have verified an entry (default 1, at least 1).
    pub tlog_threshold: u32,
    /// Distinct CT logs whose SCT must verify, keyless bundles (default 1, at least 1).
    pub sct_threshold: u32,
    /// Verified times required for keyless bundles, and for managed keys with
    /// a validity window (default 1, at least 1).
    pub verified_time_threshold: u32,
    /// Nonzero: accept v0.1 bundles (default 1). Their media type is chosen
    /// by the bundle's author, so callers that never see v0.1 bundles should set 0.
    pub allow_v0_1: u8,
    /// Nonzero: `now_unix_seconds` is the clock for the "integrated time is
    /// not in the future" rule; 0 (default): the system clock is read at each
    /// verification.
    pub use_fixed_now: u8,
    /// The fixed clock, in seconds since the Unix epoch (used when `use_fixed_now` is nonzero).
    pub now_unix_seconds: i64,
    /// Seconds an integrated time may lie ahead of the clock (default 0, not negative).
    pub future_tolerance_seconds: i64,
}

/// A trusted root prepared for verifying many bundles. Create with
/// `sigverify_verifier_new` or `sigverify_verifier_new_with_options`; release
/// with `sigverify_verifier_free`. Immutable: one verifier may be used by any
/// number of threads at once (create it once, share it).
pub struct sigverify_verifier {
    pub(crate) inner: Verifier,
}

// Verifiers are shared across threads by C callers.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<sigverify_verifier>();
};

/// Fill `*options` with the defaults (what the Sigstore conformance suite and
/// the public-good instance expect).
///
/// Returns `SIGVERIFY_OK`, or `SIGVERIFY_ERR_NULL_ARGUMENT` when `options` is NULL.
/// Thread-safe.
///
/// # Safety
/// `options` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_options_init(options: *mut sigverify_options) -> i32 {
    if options.is_null() {
        return SIGVERIFY_ERR_NULL_ARGUMENT;
    }
    guard(std::ptr::null_mut(), || {
        let d = Options::default();
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let opts = sigverify_options {
            tlog_threshold: clamp(d.tlog_threshold),
            sct_threshold: clamp(d.sct_threshold),
            verified_time_threshold: clamp(d.verified_time_threshold),
            allow_v0_1: u8::from(d.allow_v0_1),
            use_fixed_now: u8::from(d.now.is_some()),
            now_unix_seconds: d.now.map_or(0, Timestamp::unix_secs),
            future_tolerance_seconds: d.future_tolerance_secs,
        };
        // SAFETY: checked non-NULL; valid for writes per the contract above.
        unsafe { options.write(opts) };
        Ok(())
    })
}

fn options(o: &sigverify_options) -> Result<Options, FfiError> {
    let at_least_one = |n: u32, what: &str| {
        if n == 0 {
            // Zero would silently skip a check; such switches are not offered.
            Err(FfiError::invalid(format!(
                "options.{what} must be at least 1"
            )))
        } else {
            Ok(n as usize)
        }
    };
    if o.future_tolerance_seconds < 0 {
        return Err(FfiError::invalid(
            "options.future_tolerance_seconds must not be negative",
        ));
    }
    let now = if o.use_fixed_now != 0 {
        Some(Timestamp::new(o.now_unix_seconds, 0).ok_or_else(|| {
            FfiError::invalid(format!(
                "options.now_unix_seconds {} is out of range",
                o.now_unix_seconds
            ))
        })?)
    } else {
        None
    };
    let mut options = Options::default();
    options.tlog_threshold = at_least_one(o.tlog_threshold, "tlog_threshold")?;
    options.sct_threshold = at_least_one(o.sct_threshold, "sct_threshold")?;
    options.verified_time_threshold =
        at_least_one(o.verified_time_threshold, "verified_time_threshold")?;
    options.allow_v0_1 = o.allow_v0_1 != 0;
    options.now = now;
    options.future_tolerance_secs = o.future_tolerance_seconds;
    Ok(options)
}

/// A verifier on `root` with default options. `root` is not consumed: free
/// it whenever convenient; the verifier keeps what it needs.
///
/// On success stores a new handle in `*verifier_out` and returns `SIGVERIFY_OK`.
/// Errors (`*verifier_out` untouched, `*err` set when `err` is not NULL):
/// `SIGVERIFY_ERR_NULL_ARGUMENT`, `SIGVERIFY_ERR_TRUSTED_ROOT` (e.g. a CA
/// chain that does not link). Free the verifier with
/// `sigverify_verifier_free`. Thread-safe.
///
/// # Safety
/// `root` is NULL or a live trusted root; `verifier_out` and `err` are NULL
/// or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verifier_new(
    root: *const sigverify_trusted_root,
    verifier_out: *mut *mut sigverify_verifier,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(verifier_out, "verifier_out")?;
        // SAFETY: per the contract above.
        let root = unsafe { handle(root, "root") }?;
        store_verifier(Verifier::new(root.parse()?)?, verifier_out);
        Ok(())
    })
}

/// A verifier on `root` with `options` (see `sigverify_options`; start from
/// `sigverify_options_init`). `SIGVERIFY_ERR_INVALID_ARGUMENT` for a zero
/// threshold or a negative tolerance; otherwise as `sigverify_verifier_new`.
/// `options` is copied. Free the verifier with `sigverify_verifier_free`.
/// Thread-safe.
///
/// # Safety
/// `root` is NULL or a live trusted root; `options` is NULL or valid for
/// reads; `verifier_out` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verifier_new_with_options(
    root: *const sigverify_trusted_root,
    options: *const sigverify_options,
    verifier_out: *mut *mut sigverify_verifier,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(verifier_out, "verifier_out")?;
        // SAFETY: per the contract above.
        let root = unsafe { handle(root, "root") }?;
        // SAFETY: per the contract above.
        let opts = self::options(unsafe { handle(options, "options") }?)?;
        store_verifier(Verifier::with_options(root.parse()?, opts)?, verifier_out);
        Ok(())
    })
}

fn store_verifier(v: Verifier, verifier_out: *mut *mut sigverify_verifier) {
    let p = Box::into_raw(Box::new(sigverify_verifier { inner: v }));
    // SAFETY: the callers checked `verifier_out` is non-NULL; valid per their contract.
    unsafe { verifier_out.write(p) };
}

/// Free a verifier. NULL is accepted and ignored.
///
/// # Safety
/// `verifier` is NULL or a live handle not freed before, and no other thread
/// is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verifier_free(verifier: *mut sigverify_verifier) {
    if !verifier.is_null() {
        // SAFETY: created by Box::into_raw in `store_verifier`, freed once per the contract.
        guard_value((), || drop(unsafe { Box::from_raw(verifier) }));
    }
}
