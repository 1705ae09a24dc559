//! The boundary machinery every exported function goes through: the panic
//! guard, the internal error type, and checked conversions of C arguments.

use crate::error::sigverify_error;
use crate::{
    SIGVERIFY_ERR_INVALID_ARGUMENT, SIGVERIFY_ERR_INVALID_UTF8, SIGVERIFY_ERR_NULL_ARGUMENT,
    SIGVERIFY_ERR_PANIC, SIGVERIFY_OK,
};
use std::any::Any;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A failure on its way to C: a status code and a message.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) code: i32,
    pub(crate) message: String,
}

impl FfiError {
    pub(crate) fn new(code: i32, message: impl Into<String>) -> Self {
        FfiError {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn null(what: &str) -> Self {
        Self::new(SIGVERIFY_ERR_NULL_ARGUMENT, format!("{what} is NULL"))
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(SIGVERIFY_ERR_INVALID_ARGUMENT, message)
    }

    fn panic(payload: Box<dyn Any + Send>) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".into());
        Self::new(
            SIGVERIFY_ERR_PANIC,
            format!("internal error (please report): {what}"),
        )
    }
}

impl From<sigverify::Error> for FfiError {
    fn from(e: sigverify::Error) -> Self {
        // Core codes are 1..=17; anything unrepresentable is our bug, not the caller's.
        let code = i32::try_from(e.kind().code()).unwrap_or(SIGVERIFY_ERR_PANIC);
        FfiError::new(code, e.message())
    }
}

/// Run `f` behind a panic boundary; on failure store an error object in
/// `*err_out` (when not NULL) and return its code.
pub(crate) fn guard(
    err_out: *mut *mut sigverify_error,
    f: impl FnOnce() -> Result<(), FfiError>,
) -> i32 {
    let e = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return SIGVERIFY_OK,
        Ok(Err(e)) => e,
        Err(payload) => FfiError::panic(payload),
    };
    let code = e.code;
    if !err_out.is_null() {
        let obj = Box::into_raw(Box::new(sigverify_error::from(e)));
        // SAFETY: the caller promises `err_out` is NULL or valid for writes.
        unsafe { err_out.write(obj) };
    }
    code
}

/// Like [`guard`] for functions that report only a status code (getters).
pub(crate) fn guard_code(f: impl FnOnce() -> Result<(), i32>) -> i32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => SIGVERIFY_OK,
        Ok(Err(code)) => code,
        Err(_) => SIGVERIFY_ERR_PANIC,
    }
}

/// Like [`guard`] for functions that return a value directly; `fallback` on panic.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Borrow a handle, refusing NULL.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` for `'a`.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, FfiError> {
    // SAFETY: non-NULL handles are live per the caller's contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::null(what))
}

/// Refuse a NULL out-pointer before any work is done.
pub(crate) fn out<T>(ptr: *mut T, what: &str) -> Result<(), FfiError> {
    if ptr.is_null() {
        Err(FfiError::null(what))
    } else {
        Ok(())
    }
}

/// Borrow a (pointer, length) byte buffer. NULL with length 0 is the empty buffer.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], FfiError> {
    // SAFETY: the same contract.
    unsafe { array(ptr, len, what) }
}

/// Borrow a (pointer, count) array. A count of 0 is the empty array whatever
/// the pointer (NULL or unaligned included); NULL with a nonzero count is
/// refused, and so is a count whose size overflows (`INVALID_ARGUMENT`).
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` elements for `'a`.
pub(crate) unsafe fn array<'a, T>(
    ptr: *const T,
    len: usize,
    what: &str,
) -> Result<&'a [T], FfiError> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(FfiError::null(what));
    }
    if len > isize::MAX as usize / size_of::<T>().max(1) {
        return Err(FfiError::invalid(format!(
            "{what}: length {len} is too large"
        )));
    }
    // SAFETY: checked non-NULL and size in range; validity is the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrow a NUL-terminated UTF-8 string, refusing NULL and invalid UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string live for `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str().map_err(|e| {
        FfiError::new(
            SIGVERIFY_ERR_INVALID_UTF8,
            format!("{what} is not valid UTF-8: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_catches_panics_and_reports_them() {
        let mut err: *mut sigverify_error = std::ptr::null_mut();
        let code = guard(&mut err, || panic!("boom {}", 42));
        assert_eq!(code, SIGVERIFY_ERR_PANIC);
        assert!(!err.is_null());
        let e = unsafe { Box::from_raw(err) };
        assert_eq!(e.code(), SIGVERIFY_ERR_PANIC);
        assert!(e.message().contains("boom 42"), "{}", e.message());
        assert_eq!(
            guard(std::ptr::null_mut(), || panic!("static")),
            SIGVERIFY_ERR_PANIC
        );
        assert_eq!(guard_code(|| panic!("x")), SIGVERIFY_ERR_PANIC);
        assert_eq!(guard_value(7, || panic!("x")), 7);
    }

    #[test]
    fn guard_leaves_err_untouched_on_success() {
        let sentinel = 0x10 as *mut sigverify_error;
        let mut err = sentinel;
        assert_eq!(guard(&mut err, || Ok(())), SIGVERIFY_OK);
        assert_eq!(err, sentinel);
    }

    #[test]
    fn argument_checks() {
        unsafe {
            assert_eq!(bytes(std::ptr::null(), 0, "x").unwrap(), b"");
            assert_eq!(
                bytes(std::ptr::null(), 1, "x").unwrap_err().code,
                SIGVERIFY_ERR_NULL_ARGUMENT
            );
            let b = [1u8];
            assert_eq!(
                bytes(b.as_ptr(), usize::MAX, "x").unwrap_err().code,
                SIGVERIFY_ERR_INVALID_ARGUMENT
            );
            assert_eq!(
                text(std::ptr::null(), "x").unwrap_err().code,
                SIGVERIFY_ERR_NULL_ARGUMENT
            );
            assert_eq!(
                text(c"\xff".as_ptr(), "x").unwrap_err().code,
                SIGVERIFY_ERR_INVALID_UTF8
            );
            assert_eq!(text(c"ok".as_ptr(), "x").unwrap(), "ok");
            assert_eq!(
                handle::<u8>(std::ptr::null(), "h").unwrap_err().code,
                SIGVERIFY_ERR_NULL_ARGUMENT
            );
        }
        assert_eq!(
            out::<u8>(std::ptr::null_mut(), "o").unwrap_err().code,
            SIGVERIFY_ERR_NULL_ARGUMENT
        );
    }
}
