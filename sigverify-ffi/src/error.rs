//! The error object: a stable numeric code, the failing step and a message.

use crate::ffi::{FfiError, guard_value};
use crate::{SIGVERIFY_ERR_NULL_ARGUMENT, code_step};
use std::ffi::{CString, c_char};

/// Why a call failed: a stable code (`SIGVERIFY_ERR_*`), the failing step
/// (e.g. "identity") and a message naming the exact check.
///
/// Created by the library on failure and stored through a
/// `sigverify_error **err` argument; released with `sigverify_error_free`.
/// Immutable: it may be read from any thread.
pub struct sigverify_error {
    code: i32,
    step: CString,
    message: CString,
}

impl From<FfiError> for sigverify_error {
    fn from(e: FfiError) -> Self {
        // Messages can quote input; keep them representable as C strings.
        let message = e.message.replace('\0', "\\0");
        sigverify_error {
            code: e.code,
            step: CString::new(code_step(e.code)).unwrap_or_default(),
            message: CString::new(message).unwrap_or_default(),
        }
    }
}

impl sigverify_error {
    #[cfg(test)]
    pub(crate) fn code(&self) -> i32 {
        self.code
    }

    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        self.message.to_str().unwrap_or("")
    }
}

/// The status code of `err` (one of `SIGVERIFY_ERR_*`, never `SIGVERIFY_OK`).
///
/// Returns `SIGVERIFY_ERR_NULL_ARGUMENT` when `err` is NULL. Thread-safe.
///
/// # Safety
/// `err` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_error_code(err: *const sigverify_error) -> i32 {
    // SAFETY: NULL or live, per the contract above.
    guard_value(SIGVERIFY_ERR_NULL_ARGUMENT, || {
        unsafe { err.as_ref() }.map_or(SIGVERIFY_ERR_NULL_ARGUMENT, |e| e.code)
    })
}

/// The failing step of `err`: the core's step name ("parse", "chain",
/// "identity", ...) for codes 1..=17, or "null-argument", "invalid-utf8",
/// "io", "panic", "invalid-argument", "not-found", "unrepresentable".
///
/// The string is owned by `err` and valid until `sigverify_error_free(err)`.
/// Returns "" when `err` is NULL; never returns NULL. Thread-safe.
///
/// # Safety
/// `err` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_error_step(err: *const sigverify_error) -> *const c_char {
    // SAFETY: NULL or live, per the contract above.
    guard_value(c"".as_ptr(), || {
        unsafe { err.as_ref() }.map_or(c"".as_ptr(), |e| e.step.as_ptr())
    })
}

/// The message of `err`, naming the exact check that failed (without the
/// step prefix), e.g. "certificate identity ... does not match the expected ...".
///
/// The string is owned by `err` and valid until `sigverify_error_free(err)`.
/// Returns "" when `err` is NULL; never returns NULL. Thread-safe.
///
/// # Safety
/// `err` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_error_message(err: *const sigverify_error) -> *const c_char {
    // SAFETY: NULL or live, per the contract above.
    guard_value(c"".as_ptr(), || {
        unsafe { err.as_ref() }.map_or(c"".as_ptr(), |e| e.message.as_ptr())
    })
}

/// Free an error object. NULL is accepted and ignored. After the call `err`
/// and the strings obtained from it are invalid; set your pointer to NULL.
/// No other thread may be using `err` during the call.
///
/// # Safety
/// `err` is NULL or a live error object not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_error_free(err: *mut sigverify_error) {
    if !err.is_null() {
        // SAFETY: created by Box::into_raw in `guard`, freed once per the contract.
        guard_value((), || drop(unsafe { Box::from_raw(err) }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigverify::ErrorKind;
    use std::ffi::CStr;

    #[test]
    fn core_errors_keep_kind_step_and_message() {
        let e: sigverify_error =
            FfiError::from(sigverify::Error::new(ErrorKind::Chain, "no path")).into();
        let p: *const sigverify_error = &e;
        unsafe {
            assert_eq!(sigverify_error_code(p), 10);
            assert_eq!(
                CStr::from_ptr(sigverify_error_step(p)).to_str().unwrap(),
                "chain"
            );
            assert_eq!(
                CStr::from_ptr(sigverify_error_message(p)).to_str().unwrap(),
                "no path"
            );
        }
    }

    #[test]
    fn nul_in_a_message_is_escaped() {
        let e: sigverify_error = FfiError::new(crate::SIGVERIFY_ERR_PARSE, "bad \0 byte").into();
        let msg = unsafe { CStr::from_ptr(sigverify_error_message(&e)) };
        assert_eq!(msg.to_str().unwrap(), "bad \\0 byte");
    }
}
