//! The verify functions, one per artifact form.

use crate::SIGVERIFY_ERR_IO;
use crate::error::sigverify_error;
use crate::ffi::{FfiError, bytes, guard, handle, out, text};
use crate::policy::sigverify_policy;
use crate::verified::sigverify_verified;
use crate::verifier::sigverify_verifier;
use sigverify::crypto::HashAlg;
use sigverify::{Artifact, Bundle};
use std::ffi::{c_char, c_int, c_void};
use std::io::Read;

/// `hash_alg` of `sigverify_verify_digest`: SHA-256 (32-byte digest).
pub const SIGVERIFY_HASH_SHA256: u32 = 1;
/// `hash_alg` of `sigverify_verify_digest`: SHA-384 (48-byte digest).
pub const SIGVERIFY_HASH_SHA384: u32 = 2;
/// `hash_alg` of `sigverify_verify_digest`: SHA-512 (64-byte digest).
pub const SIGVERIFY_HASH_SHA512: u32 = 3;

/// A read callback for `sigverify_verify_read`: copy up to `buf_len` bytes of
/// the artifact into `buf` and return how many (0 at the end of the
/// artifact), or a negative value on error (reported as `SIGVERIFY_ERR_IO`
/// with that value in the message). It must return normally (no longjmp).
pub type sigverify_read_fn =
    Option<unsafe extern "C" fn(ctx: *mut c_void, buf: *mut u8, buf_len: usize) -> i64>;

/// Where the artifact comes from, checked before any work is done.
enum Source<'a> {
    Bytes(&'a [u8]),
    Digest(HashAlg, &'a [u8]),
    DigestText(&'a str),
    Fd(c_int),
    Read(
        unsafe extern "C" fn(*mut c_void, *mut u8, usize) -> i64,
        *mut c_void,
    ),
    /// No artifact: a DSSE bundle verified without the subject match.
    Unbound,
}

struct CallbackReader {
    read: unsafe extern "C" fn(*mut c_void, *mut u8, usize) -> i64,
    ctx: *mut c_void,
}

impl Read for CallbackReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // SAFETY: `buf` is valid for writes of its length; the callback's
        // contract is documented on `sigverify_read_fn`.
        let n = unsafe { (self.read)(self.ctx, buf.as_mut_ptr(), buf.len()) };
        match usize::try_from(n) {
            Ok(n) if n <= buf.len() => Ok(n),
            Ok(n) => Err(std::io::Error::other(format!(
                "the read callback returned {n}, more than the {} bytes asked for",
                buf.len()
            ))),
            Err(_) => Err(std::io::Error::other(format!(
                "the read callback returned {n}"
            ))),
        }
    }
}

fn io_error(e: std::io::Error) -> FfiError {
    FfiError::new(SIGVERIFY_ERR_IO, format!("reading the artifact: {e}"))
}

impl Source<'_> {
    /// The artifact, `None` for `Unbound`.
    fn artifact(self) -> Result<Option<Artifact>, FfiError> {
        match self {
            Source::Unbound => Ok(None),
            Source::Bytes(b) => Ok(Some(Artifact::from_bytes(b))),
            Source::Digest(alg, d) => Ok(Some(Artifact::from_digest(alg, d)?)),
            Source::DigestText(s) => Ok(Some(Artifact::parse_digest(s)?)),
            Source::Read(read, ctx) => Artifact::from_reader(CallbackReader { read, ctx })
                .map(Some)
                .map_err(io_error),
            #[cfg(unix)]
            Source::Fd(fd) => {
                use std::os::fd::FromRawFd;
                // SAFETY: `fd` is non-negative and open per the caller's contract;
                // ManuallyDrop leaves it open for the caller.
                let file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
                Artifact::from_reader(&*file).map(Some).map_err(io_error)
            }
            #[cfg(not(unix))]
            Source::Fd(_) => Err(FfiError::invalid(
                "file descriptors are not supported on this platform",
            )),
        }
    }
}

/// The common body of every verify function.
///
/// # Safety
/// As documented on the exported functions.
unsafe fn verify_from(
    verifier: *const sigverify_verifier,
    bundle: *const u8,
    bundle_len: usize,
    policy: *const sigverify_policy,
    verified_out: *mut *mut sigverify_verified,
    err: *mut *mut sigverify_error,
    source: impl FnOnce() -> Result<Source<'static>, FfiError>,
) -> i32 {
    guard(err, || {
        out(verified_out, "verified_out")?;
        // SAFETY: per the caller's contract.
        let verifier = unsafe { handle(verifier, "verifier") }?;
        // SAFETY: per the caller's contract.
        let policy = unsafe { handle(policy, "policy") }?;
        // SAFETY: per the caller's contract.
        let bundle = unsafe { bytes(bundle, bundle_len, "bundle") }?;
        let source = source()?;
        // Parse the bundle before reading a possibly large artifact.
        let bundle = Bundle::from_json_with_limits(bundle, &verifier.inner.options().limits)?;
        let verified = match source.artifact()? {
            Some(artifact) => verifier.inner.verify(&bundle, &artifact, &policy.inner)?,
            None => verifier.inner.verify_dsse(&bundle, &policy.inner)?,
        };
        let v = Box::into_raw(Box::new(sigverify_verified::new(verified)));
        // SAFETY: checked non-NULL; valid for writes per the caller's contract.
        unsafe { verified_out.write(v) };
        Ok(())
    })
}

/// Verify a bundle (`bundle_len` bytes of `*.sigstore.json` at `bundle`) over
/// an artifact held in memory (`artifact_len` bytes at `artifact`) under
/// `policy`.
///
/// On success stores a new result in `*verified_out` (free it with
/// `sigverify_verified_free`) and returns `SIGVERIFY_OK`. On failure returns
/// the code of the first failing check (`SIGVERIFY_ERR_PARSE` ..
/// `SIGVERIFY_ERR_TLOG`, or a misuse code), leaves `*verified_out` untouched
/// and, when `err` is not NULL, stores an error object naming the check in
/// `*err`. A NULL buffer is accepted only with length 0. Thread-safe: many
/// threads may verify with one verifier and one policy at once.
///
/// # Safety
/// `verifier` and `policy` are NULL or live handles; `bundle` and `artifact`
/// are NULL or valid for reads of their lengths; `verified_out` and `err`
/// are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verify(
    verifier: *const sigverify_verifier,
    bundle: *const u8,
    bundle_len: usize,
    artifact: *const u8,
    artifact_len: usize,
    policy: *const sigverify_policy,
    verified_out: *mut *mut sigverify_verified,
    err: *mut *mut sigverify_error,
) -> i32 {
    // SAFETY: per the contract above.
    unsafe {
        verify_from(
            verifier,
            bundle,
            bundle_len,
            policy,
            verified_out,
            err,
            || Ok(Source::Bytes(bytes(artifact, artifact_len, "artifact")?)),
        )
    }
}

/// Verify a DSSE bundle without its artifact: every check of
/// `sigverify_verify` except matching the in-toto statement's subjects to an
/// artifact, which is then the caller's job (the statement and payload are in
/// the result's JSON, whose `artifactBound` is `false`). A message-signature
/// bundle, which signs only its artifact, fails with
/// `SIGVERIFY_ERR_POLICY_MISUSE`. Outputs and errors otherwise as
/// `sigverify_verify`. Thread-safe, as `sigverify_verify`.
///
/// # Safety
/// As `sigverify_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verify_dsse(
    verifier: *const sigverify_verifier,
    bundle: *const u8,
    bundle_len: usize,
    policy: *const sigverify_policy,
    verified_out: *mut *mut sigverify_verified,
    err: *mut *mut sigverify_error,
) -> i32 {
    // SAFETY: per the contract above.
    unsafe {
        verify_from(
            verifier,
            bundle,
            bundle_len,
            policy,
            verified_out,
            err,
            || Ok(Source::Unbound),
        )
    }
}

/// Like `sigverify_verify`, with the artifact given by its digest:
/// `digest_len` bytes at `digest` under `hash_alg` (`SIGVERIFY_HASH_SHA256`,
/// `_SHA384` or `_SHA512`). For DSSE bundles the digest must match an in-toto
/// subject.
///
/// `SIGVERIFY_ERR_INVALID_ARGUMENT` for an unknown `hash_alg`,
/// `SIGVERIFY_ERR_POLICY_MISUSE` for a digest of the wrong length. The digest
/// is copied. Thread-safe, as `sigverify_verify`.
///
/// # Safety
/// As `sigverify_verify`, with `digest` NULL or valid for reads of `digest_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verify_digest(
    verifier: *const sigverify_verifier,
    bundle: *const u8,
    bundle_len: usize,
    hash_alg: u32,
    digest: *const u8,
    digest_len: usize,
    policy: *const sigverify_policy,
    verified_out: *mut *mut sigverify_verified,
    err: *mut *mut sigverify_error,
) -> i32 {
    // SAFETY: per the contract above.
    unsafe {
        verify_from(
            verifier,
            bundle,
            bundle_len,
            policy,
            verified_out,
            err,
            || {
                let alg = match hash_alg {
                    SIGVERIFY_HASH_SHA256 => HashAlg::Sha256,
                    SIGVERIFY_HASH_SHA384 => HashAlg::Sha384,
                    SIGVERIFY_HASH_SHA512 => HashAlg::Sha512,
                    other => return Err(FfiError::invalid(format!("unknown hash_alg {other}"))),
                };
                Ok(Source::Digest(alg, bytes(digest, digest_len, "digest")?))
            },
        )
    }
}

/// Like `sigverify_verify_digest`, with the digest as text:
/// "sha256:<64 hex digits>" (also "sha384:" and "sha512:"), NUL-terminated.
///
/// `SIGVERIFY_ERR_POLICY_MISUSE` for a malformed digest string. Thread-safe,
/// as `sigverify_verify`.
///
/// # Safety
/// As `sigverify_verify`, with `digest` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verify_digest_str(
    verifier: *const sigverify_verifier,
    bundle: *const u8,
    bundle_len: usize,
    digest: *const c_char,
    policy: *const sigverify_policy,
    verified_out: *mut *mut sigverify_verified,
    err: *mut *mut sigverify_error,
) -> i32 {
    // SAFETY: per the contract above.
    unsafe {
        verify_from(
            verifier,
            bundle,
            bundle_len,
            policy,
            verified_out,
            err,
            || Ok(Source::DigestText(text(digest, "digest")?)),
        )
    }
}

/// Like `sigverify_verify`, reading the artifact from the open file
/// descriptor `fd` to its end, in chunks, so memory use stays flat however
/// large the artifact is. Reading starts at the current offset; `fd` is not
/// closed and is left at the end. The bundle is parsed before the artifact is
/// read. The descriptor must be in blocking mode. Unix only (elsewhere
/// `SIGVERIFY_ERR_INVALID_ARGUMENT`).
///
/// `SIGVERIFY_ERR_INVALID_ARGUMENT` for a negative `fd`, `SIGVERIFY_ERR_IO`
/// when reading fails.
///
/// # Safety
/// As `sigverify_verify`; `fd` is negative or an open, readable descriptor
/// that no other thread reads at the same time.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verify_fd(
    verifier: *const sigverify_verifier,
    bundle: *const u8,
    bundle_len: usize,
    fd: c_int,
    policy: *const sigverify_policy,
    verified_out: *mut *mut sigverify_verified,
    err: *mut *mut sigverify_error,
) -> i32 {
    // SAFETY: per the contract above.
    unsafe {
        verify_from(
            verifier,
            bundle,
            bundle_len,
            policy,
            verified_out,
            err,
            || {
                if fd < 0 {
                    return Err(FfiError::invalid(format!("fd {fd} is negative")));
                }
                Ok(Source::Fd(fd))
            },
        )
    }
}

/// Like `sigverify_verify`, reading the artifact through `read(ctx, buf,
/// buf_len)` until it returns 0 (see `sigverify_read_fn`), so the artifact is
/// streamed, never held whole. The bundle is parsed before the first call.
/// `ctx` is passed through untouched and may be NULL. `read` is called on
/// the calling thread only, and never after this function returns.
/// Thread-safe, as `sigverify_verify`.
///
/// `SIGVERIFY_ERR_NULL_ARGUMENT` when `read` is NULL, `SIGVERIFY_ERR_IO`
/// when it returns a negative value or more than `buf_len`.
///
/// # Safety
/// As `sigverify_verify`; `read` is NULL or a function following the
/// `sigverify_read_fn` contract for `ctx`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_verify_read(
    verifier: *const sigverify_verifier,
    bundle: *const u8,
    bundle_len: usize,
    read: sigverify_read_fn,
    ctx: *mut c_void,
    policy: *const sigverify_policy,
    verified_out: *mut *mut sigverify_verified,
    err: *mut *mut sigverify_error,
) -> i32 {
    // SAFETY: per the contract above.
    unsafe {
        verify_from(
            verifier,
            bundle,
            bundle_len,
            policy,
            verified_out,
            err,
            || {
                Ok(Source::Read(
                    read.ok_or_else(|| FfiError::null("read"))?,
                    ctx,
                ))
            },
        )
    }
}
