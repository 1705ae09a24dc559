//! The C ABI of sigverify (`libsigverify`, `include/sigverify.h`).
//!
//! Conventions, the same for every exported function:
//! - Fallible functions return an `int32_t` status: `SIGVERIFY_OK` (0) or one
//!   of the `SIGVERIFY_ERR_*` codes. Codes 1..=17 are the core's stable error
//!   kinds; 100 and up are misuse of the C API itself.
//! - Outputs go through out-pointers that are written only on success. On
//!   failure, a function that takes `sigverify_error **err` stores a new error
//!   object there (when `err` is not NULL), which the caller frees.
//! - Handles are opaque, created by `*_new*` functions and released by their
//!   `*_free` function, which accepts NULL.
//! - A panic never crosses the boundary: it becomes `SIGVERIFY_ERR_PANIC`.
#![warn(missing_docs)]
// No panics on input (the guard would catch them, but they are bugs): non-test
// code may not unwrap, index or panic, as in the core.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]
// The exported type names are the C names.
#![allow(non_camel_case_types)]

// Declared in the order the header presents them.
mod error;
mod ffi;
mod policy;
mod root;
mod verified;
mod verifier;
mod verify;

pub use error::*;
pub use policy::*;
pub use root::*;
pub use verified::*;
pub use verifier::*;
pub use verify::*;

use std::ffi::{CString, c_char};
use std::sync::OnceLock;

/// Major version of the library this header belongs to.
pub const SIGVERIFY_VERSION_MAJOR: u32 = 0;
/// Minor version of the library this header belongs to.
pub const SIGVERIFY_VERSION_MINOR: u32 = 1;
/// Patch version of the library this header belongs to.
pub const SIGVERIFY_VERSION_PATCH: u32 = 0;

/// Success.
pub const SIGVERIFY_OK: i32 = 0;
/// Malformed input: JSON, base64, DER, PEM or a structural rule of the bundle.
pub const SIGVERIFY_ERR_PARSE: i32 = 1;
/// A bundle media type or log entry kind/version this verifier does not accept.
pub const SIGVERIFY_ERR_UNSUPPORTED_VERSION: i32 = 2;
/// The trusted root is malformed or cannot be used.
pub const SIGVERIFY_ERR_TRUSTED_ROOT: i32 = 3;
/// A transparency-log entry body does not describe this bundle.
pub const SIGVERIFY_ERR_TLOG_BODY_MISMATCH: i32 = 4;
/// A signed entry timestamp (inclusion promise) did not verify.
pub const SIGVERIFY_ERR_SET: i32 = 5;
/// A Merkle inclusion proof did not verify.
pub const SIGVERIFY_ERR_INCLUSION_PROOF: i32 = 6;
/// A checkpoint (signed note) is malformed, unsigned or does not match the proof.
pub const SIGVERIFY_ERR_CHECKPOINT: i32 = 7;
/// An RFC 3161 timestamp did not verify.
pub const SIGVERIFY_ERR_TIMESTAMP: i32 = 8;
/// A verified time falls outside a validity window, or too few verified times.
pub const SIGVERIFY_ERR_TIME_WINDOW: i32 = 9;
/// The certificate chain does not lead to a trusted Fulcio CA.
pub const SIGVERIFY_ERR_CHAIN: i32 = 10;
/// Signed certificate timestamps failed or too few verified.
pub const SIGVERIFY_ERR_SCT: i32 = 11;
/// The artifact signature (message or DSSE) did not verify.
pub const SIGVERIFY_ERR_SIGNATURE: i32 = 12;
/// The artifact, digest or in-toto subject does not match what was signed.
pub const SIGVERIFY_ERR_ARTIFACT_MISMATCH: i32 = 13;
/// The certificate identity or OIDC issuer does not match the policy.
pub const SIGVERIFY_ERR_IDENTITY: i32 = 14;
/// The policy or inputs are inconsistent (identity policy for a key bundle,
/// bad regular expression, unusable public key, wrong digest length).
pub const SIGVERIFY_ERR_POLICY_MISUSE: i32 = 15;
/// A resource limit was exceeded (input size, list length).
pub const SIGVERIFY_ERR_LIMIT: i32 = 16;
/// Transparency-log requirements not met (missing proof, too few verified logs).
pub const SIGVERIFY_ERR_TLOG: i32 = 17;
/// C API misuse: a required pointer argument was NULL.
pub const SIGVERIFY_ERR_NULL_ARGUMENT: i32 = 100;
/// C API misuse: a string argument is not valid UTF-8.
pub const SIGVERIFY_ERR_INVALID_UTF8: i32 = 101;
/// Reading the artifact from the file descriptor or read callback failed.
pub const SIGVERIFY_ERR_IO: i32 = 102;
/// Internal error: a panic was caught at the API boundary (please report it).
pub const SIGVERIFY_ERR_PANIC: i32 = 103;
/// C API misuse: an argument is out of range (unknown flag or constant,
/// negative file descriptor, length too large, empty list).
pub const SIGVERIFY_ERR_INVALID_ARGUMENT: i32 = 104;
/// The requested value does not exist in this result (index out of range,
/// identity of a public-key result, DSSE payload of a message signature).
pub const SIGVERIFY_ERR_NOT_FOUND: i32 = 105;
/// The value contains a NUL byte and cannot be returned as a C string; it is
/// still available, escaped, in `sigverify_verified_json`.
pub const SIGVERIFY_ERR_UNREPRESENTABLE: i32 = 106;

/// Every status code with its step name and description, in code order.
const CODES: &[(i32, &str, &str)] = &[
    (SIGVERIFY_OK, "ok", "success"),
    (
        SIGVERIFY_ERR_PARSE,
        "parse",
        "malformed input (JSON, base64, DER, PEM or bundle structure)",
    ),
    (
        SIGVERIFY_ERR_UNSUPPORTED_VERSION,
        "unsupported-version",
        "unsupported bundle media type or log entry kind/version",
    ),
    (
        SIGVERIFY_ERR_TRUSTED_ROOT,
        "trusted-root",
        "the trusted root is malformed or unusable",
    ),
    (
        SIGVERIFY_ERR_TLOG_BODY_MISMATCH,
        "tlog-body-mismatch",
        "a transparency-log entry body does not describe this bundle",
    ),
    (
        SIGVERIFY_ERR_SET,
        "set",
        "a signed entry timestamp did not verify",
    ),
    (
        SIGVERIFY_ERR_INCLUSION_PROOF,
        "inclusion-proof",
        "a Merkle inclusion proof did not verify",
    ),
    (
        SIGVERIFY_ERR_CHECKPOINT,
        "checkpoint",
        "a checkpoint is malformed, unsigned or does not match the proof",
    ),
    (
        SIGVERIFY_ERR_TIMESTAMP,
        "timestamp",
        "an RFC 3161 timestamp did not verify",
    ),
    (
        SIGVERIFY_ERR_TIME_WINDOW,
        "time-window",
        "a verified time is outside a validity window, or too few verified times",
    ),
    (
        SIGVERIFY_ERR_CHAIN,
        "chain",
        "the certificate chain does not lead to a trusted Fulcio CA",
    ),
    (
        SIGVERIFY_ERR_SCT,
        "sct",
        "signed certificate timestamps failed or too few verified",
    ),
    (
        SIGVERIFY_ERR_SIGNATURE,
        "signature",
        "the artifact signature did not verify",
    ),
    (
        SIGVERIFY_ERR_ARTIFACT_MISMATCH,
        "artifact-mismatch",
        "the artifact does not match what was signed",
    ),
    (
        SIGVERIFY_ERR_IDENTITY,
        "identity",
        "the certificate identity or OIDC issuer does not match the policy",
    ),
    (
        SIGVERIFY_ERR_POLICY_MISUSE,
        "policy-misuse",
        "the policy or inputs are inconsistent",
    ),
    (
        SIGVERIFY_ERR_LIMIT,
        "limit",
        "a resource limit was exceeded",
    ),
    (
        SIGVERIFY_ERR_TLOG,
        "tlog",
        "transparency-log requirements not met",
    ),
    (
        SIGVERIFY_ERR_NULL_ARGUMENT,
        "null-argument",
        "a required pointer argument was NULL",
    ),
    (
        SIGVERIFY_ERR_INVALID_UTF8,
        "invalid-utf8",
        "a string argument is not valid UTF-8",
    ),
    (SIGVERIFY_ERR_IO, "io", "reading the artifact failed"),
    (
        SIGVERIFY_ERR_PANIC,
        "panic",
        "internal error: a panic was caught at the API boundary",
    ),
    (
        SIGVERIFY_ERR_INVALID_ARGUMENT,
        "invalid-argument",
        "an argument is out of range",
    ),
    (
        SIGVERIFY_ERR_NOT_FOUND,
        "not-found",
        "the requested value does not exist in this result",
    ),
    (
        SIGVERIFY_ERR_UNREPRESENTABLE,
        "unrepresentable",
        "the value contains a NUL byte and cannot be returned as a C string",
    ),
];

/// The step name of a status code (`"identity"`, `"null-argument"`, ...), or
/// `"unknown"`.
pub(crate) fn code_step(code: i32) -> &'static str {
    CODES
        .iter()
        .find(|c| c.0 == code)
        .map_or("unknown", |c| c.1)
}

/// The library version, "MAJOR.MINOR.PATCH", as a static NUL-terminated string.
///
/// Compare with `SIGVERIFY_VERSION_STRING` to detect a header/library
/// mismatch. The string is static: never NULL, never freed. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn sigverify_version() -> *const c_char {
    // A constant: nothing here can panic, so no guard is needed.
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// A static, NUL-terminated English description of a status code, e.g.
/// `sigverify_result_str(SIGVERIFY_ERR_IDENTITY)` is "identity: the
/// certificate identity or OIDC issuer does not match the policy".
///
/// Unknown codes give "unknown status code". Never returns NULL; the string
/// must not be freed. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn sigverify_result_str(code: i32) -> *const c_char {
    // Built once from CODES, then static: nothing for the caller to free.
    static STRINGS: OnceLock<Vec<(i32, CString)>> = OnceLock::new();
    let unknown = c"unknown status code".as_ptr();
    ffi::guard_value(unknown, || {
        let strings = STRINGS.get_or_init(|| {
            CODES
                .iter()
                .filter_map(|&(code, step, desc)| {
                    Some((code, CString::new(format!("{step}: {desc}")).ok()?))
                })
                .collect()
        });
        strings
            .iter()
            .find(|s| s.0 == code)
            .map_or(unknown, |s| s.1.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigverify::ErrorKind;
    use std::ffi::CStr;

    #[test]
    fn version_macros_match_the_package() {
        assert_eq!(
            SIGVERIFY_VERSION_MAJOR.to_string(),
            env!("CARGO_PKG_VERSION_MAJOR")
        );
        assert_eq!(
            SIGVERIFY_VERSION_MINOR.to_string(),
            env!("CARGO_PKG_VERSION_MINOR")
        );
        assert_eq!(
            SIGVERIFY_VERSION_PATCH.to_string(),
            env!("CARGO_PKG_VERSION_PATCH")
        );
        let v = unsafe { CStr::from_ptr(sigverify_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn core_codes_match_error_kinds() {
        // The header's constants are literals (cbindgen cannot evaluate
        // `ErrorKind::X as i32`), so pin them to the core's codes here.
        for kind in ErrorKind::ALL {
            let code = i32::try_from(kind.code()).unwrap();
            assert_eq!(code_step(code), kind.step(), "code {code}");
            let s = unsafe { CStr::from_ptr(sigverify_result_str(code)) }
                .to_str()
                .unwrap();
            assert!(s.starts_with(&format!("{}: ", kind.step())), "{s}");
        }
        assert_eq!(CODES.len(), ErrorKind::ALL.len() + 8);
    }

    #[test]
    fn result_str_matches_the_table_and_handles_unknown_codes() {
        for &(code, step, desc) in CODES {
            let s = unsafe { CStr::from_ptr(sigverify_result_str(code)) }
                .to_str()
                .unwrap();
            assert_eq!(s, format!("{step}: {desc}"));
        }
        for code in [-1, 18, 99, 107, i32::MAX, i32::MIN] {
            let s = unsafe { CStr::from_ptr(sigverify_result_str(code)) };
            assert_eq!(s.to_str().unwrap(), "unknown status code");
            assert_eq!(code_step(code), "unknown");
        }
    }
}
