//! The policy handle: who must have signed (identities or a public key).

use crate::error::sigverify_error;
use crate::ffi::{FfiError, array, bytes, guard, guard_value, out, text};
use sigverify::time::{TimeRange, Timestamp};
use sigverify::{Identity, Matcher, Policy};
use std::ffi::c_char;

/// Flag for `sigverify_identity.flags`: `san` is a regular expression that
/// must match the whole SAN (anchored), not an exact string.
pub const SIGVERIFY_MATCH_SAN_REGEX: u32 = 1;
/// Flag for `sigverify_identity.flags`: `issuer` is a regular expression that
/// must match the whole OIDC issuer (anchored), not an exact string.
pub const SIGVERIFY_MATCH_ISSUER_REGEX: u32 = 2;

/// Flag for `sigverify_policy_require_extension`: `value` is a regular
/// expression that must match the whole claim (anchored), not an exact string.
pub const SIGVERIFY_MATCH_VALUE_REGEX: u32 = 4;

/// One acceptable keyless signer, as input to `sigverify_policy_new_identities`.
#[repr(C)]
pub struct sigverify_identity {
    /// The certificate identity (Subject Alternative Name: URI, email or
    /// username): NUL-terminated UTF-8, exact unless `SIGVERIFY_MATCH_SAN_REGEX`.
    pub san: *const c_char,
    /// The OIDC issuer: NUL-terminated UTF-8, exact unless
    /// `SIGVERIFY_MATCH_ISSUER_REGEX`.
    pub issuer: *const c_char,
    /// Bitwise OR of `SIGVERIFY_MATCH_*` flags, or 0 for exact matches.
    pub flags: u32,
}

/// Who must have signed: one or more identities (keyless bundles) or a public
/// key (managed-key bundles). Create with `sigverify_policy_new_identity`,
/// `sigverify_policy_new_identities` or `sigverify_policy_new_public_key`;
/// release with `sigverify_policy_free`. Immutable: one policy may be used by
/// many threads at once.
pub struct sigverify_policy {
    pub(crate) inner: Policy,
}

// Policies are shared across threads by C callers.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<sigverify_policy>();
};

fn matcher(value: &str, regex: bool) -> Result<Matcher, FfiError> {
    if regex {
        Ok(Matcher::regex(value)?)
    } else {
        Ok(Matcher::exact(value))
    }
}

/// Convert one C identity.
///
/// # Safety
/// The strings are NULL or NUL-terminated.
unsafe fn identity(id: &sigverify_identity, index: usize) -> Result<Identity, FfiError> {
    let known = SIGVERIFY_MATCH_SAN_REGEX | SIGVERIFY_MATCH_ISSUER_REGEX;
    if id.flags & !known != 0 {
        return Err(FfiError::invalid(format!(
            "identity {index}: unknown flags {:#x}",
            id.flags & !known
        )));
    }
    // SAFETY: per the contract above.
    let san = unsafe { text(id.san, "san") }?;
    // SAFETY: per the contract above.
    let issuer = unsafe { text(id.issuer, "issuer") }?;
    // An unset configuration value must not become a policy (as in Python and Node).
    for (value, what) in [(san, "san"), (issuer, "issuer")] {
        if value.is_empty() {
            return Err(FfiError::invalid(format!(
                "identity {index}: {what} is empty"
            )));
        }
    }
    Ok(Identity::new(
        matcher(san, id.flags & SIGVERIFY_MATCH_SAN_REGEX != 0)?,
        matcher(issuer, id.flags & SIGVERIFY_MATCH_ISSUER_REGEX != 0)?,
    ))
}

fn store(policy: Policy, policy_out: *mut *mut sigverify_policy) {
    let p = Box::into_raw(Box::new(sigverify_policy { inner: policy }));
    // SAFETY: the callers checked `policy_out` is non-NULL; valid per their contract.
    unsafe { policy_out.write(p) };
}

/// A keyless policy with one identity: the certificate's SAN must equal
/// `san` and its OIDC issuer must equal `issuer` (or match them as anchored
/// regular expressions, per `flags`: `SIGVERIFY_MATCH_SAN_REGEX`,
/// `SIGVERIFY_MATCH_ISSUER_REGEX`). The strings are copied.
///
/// On success stores a new handle in `*policy_out` and returns `SIGVERIFY_OK`.
/// Errors (`*policy_out` untouched, `*err` set when `err` is not NULL):
/// `SIGVERIFY_ERR_NULL_ARGUMENT` (a string or `policy_out` is NULL),
/// `SIGVERIFY_ERR_INVALID_UTF8`, `SIGVERIFY_ERR_INVALID_ARGUMENT` (unknown
/// flag, or an empty `san` or `issuer`), `SIGVERIFY_ERR_POLICY_MISUSE`
/// (invalid regular expression).
/// Free the policy with `sigverify_policy_free`. Thread-safe.
///
/// # Safety
/// `san` and `issuer` are NULL or NUL-terminated; `policy_out` and `err`
/// are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_policy_new_identity(
    san: *const c_char,
    issuer: *const c_char,
    flags: u32,
    policy_out: *mut *mut sigverify_policy,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(policy_out, "policy_out")?;
        // SAFETY: per the contract above.
        let id = unsafe { identity(&sigverify_identity { san, issuer, flags }, 0) }?;
        store(Policy::Identities(vec![id]), policy_out);
        Ok(())
    })
}

/// A keyless policy that accepts any one of `count` identities (see
/// `sigverify_identity`); the result reports which one matched
/// (`sigverify_verified_matched_identity`). The array and strings are copied.
///
/// An empty list is refused (`SIGVERIFY_ERR_POLICY_MISUSE`): it must never mean
/// "anyone". `identities` may be NULL only when `count` is 0. Other errors as
/// `sigverify_policy_new_identity`; the message names the failing index.
/// Free the policy with `sigverify_policy_free`. Thread-safe.
///
/// # Safety
/// `identities` is NULL or valid for reads of `count` elements whose strings
/// are NULL or NUL-terminated; `policy_out` and `err` are NULL or valid for
/// writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_policy_new_identities(
    identities: *const sigverify_identity,
    count: usize,
    policy_out: *mut *mut sigverify_policy,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(policy_out, "policy_out")?;
        // SAFETY: per the contract above.
        let list = unsafe { array(identities, count, "identities") }?;
        let ids = list
            .iter()
            .enumerate()
            // SAFETY: per the contract above.
            .map(|(i, id)| {
                unsafe { identity(id, i) }
                    .map_err(|e| FfiError::new(e.code, format!("identity {i}: {}", e.message)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        store(Policy::any_of(ids)?, policy_out);
        Ok(())
    })
}

/// A managed-key policy: the bundle must be signed by this public key, given
/// as PEM ("-----BEGIN PUBLIC KEY-----") or DER SubjectPublicKeyInfo bytes
/// (`key_len` bytes at `key`, copied).
///
/// Errors: `SIGVERIFY_ERR_POLICY_MISUSE` (unusable or unsupported key),
/// `SIGVERIFY_ERR_LIMIT` (more than 64 KiB of key),
/// `SIGVERIFY_ERR_NULL_ARGUMENT` (`policy_out` NULL, or `key` NULL with a
/// nonzero length). Otherwise as `sigverify_policy_new_identity`. Free the
/// policy with `sigverify_policy_free`. Thread-safe.
///
/// # Safety
/// `key` is NULL or valid for reads of `key_len` bytes; `policy_out` and
/// `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_policy_new_public_key(
    key: *const u8,
    key_len: usize,
    policy_out: *mut *mut sigverify_policy,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(policy_out, "policy_out")?;
        // SAFETY: per the contract above.
        let key = unsafe { bytes(key, key_len, "key") }?;
        store(Policy::public_key(key)?, policy_out);
        Ok(())
    })
}

/// A new policy: a copy of `base` whose identity `index` (0 for a policy made
/// by `sigverify_policy_new_identity`) also requires a Fulcio claim of the
/// certificate. `claim` names it, as a claim name (`"SourceRepositoryURI"`,
/// `"Source Repository Ref"`, `"BuildSignerURI"`; spaces and case ignored) or
/// an OID under 1.3.6.1.4.1.57264.1; the claim must equal `value`, or match it
/// as an anchored regular expression with `SIGVERIFY_MATCH_VALUE_REGEX`. An
/// absent claim never matches. `base` is not changed (it may be in use on
/// other threads); call again on the result to require more claims. The
/// strings are copied.
///
/// On success stores a new handle in `*policy_out` and returns `SIGVERIFY_OK`.
/// Errors (`*policy_out` untouched, `*err` set when `err` is not NULL):
/// `SIGVERIFY_ERR_NULL_ARGUMENT`, `SIGVERIFY_ERR_INVALID_UTF8`,
/// `SIGVERIFY_ERR_INVALID_ARGUMENT` (unknown flag, or `index` past the last
/// identity), `SIGVERIFY_ERR_POLICY_MISUSE` (a public-key policy, an unknown
/// claim name, an invalid regular expression). Free the policy with
/// `sigverify_policy_free`. Thread-safe.
///
/// # Safety
/// `base` is NULL or a live policy; `claim` and `value` are NULL or
/// NUL-terminated; `policy_out` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_policy_require_extension(
    base: *const sigverify_policy,
    index: usize,
    claim: *const c_char,
    value: *const c_char,
    flags: u32,
    policy_out: *mut *mut sigverify_policy,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(policy_out, "policy_out")?;
        // SAFETY: per the contract above.
        let base = unsafe { base_policy(base, "base") }?;
        if flags & !SIGVERIFY_MATCH_VALUE_REGEX != 0 {
            return Err(FfiError::invalid(format!(
                "unknown flags {:#x}",
                flags & !SIGVERIFY_MATCH_VALUE_REGEX
            )));
        }
        // SAFETY: per the contract above.
        let claim = unsafe { text(claim, "claim") }?;
        // SAFETY: per the contract above.
        let value = unsafe { text(value, "value") }?;
        let Policy::Identities(ids) = base else {
            return Err(sigverify::Error::new(
                sigverify::ErrorKind::PolicyMisuse,
                "a public-key policy has no identity to require a claim of",
            )
            .into());
        };
        let mut ids = ids.clone();
        let count = ids.len();
        let slot = ids.get_mut(index).ok_or_else(|| {
            FfiError::invalid(format!(
                "identity index {index} is past the policy's {count} identities"
            ))
        })?;
        let m = matcher(value, flags & SIGVERIFY_MATCH_VALUE_REGEX != 0)?;
        *slot = slot.clone().require_extension(claim, m)?;
        store(Policy::Identities(ids), policy_out);
        Ok(())
    })
}

/// A keyring: a new policy that accepts a bundle signed by any one of the
/// keys of `count` public-key policies (from `sigverify_policy_new_public_key`,
/// perhaps windowed by `sigverify_policy_key_valid_for`, or keyrings
/// themselves), e.g. the old and the new key across a rotation. A bundle whose
/// public key hint is a key fingerprint is checked against the key it names
/// only; otherwise each key is tried in turn, and the result's key
/// fingerprint tells which one verified. The policies are copied, not
/// consumed.
///
/// On success stores a new handle in `*policy_out` and returns `SIGVERIFY_OK`.
/// Errors (`*policy_out` untouched, `*err` set when `err` is not NULL):
/// `SIGVERIFY_ERR_NULL_ARGUMENT` (`policy_out` NULL, `keys` NULL with a
/// nonzero `count`, or a NULL element), `SIGVERIFY_ERR_INVALID_ARGUMENT` (a
/// `count` too large to address), `SIGVERIFY_ERR_POLICY_MISUSE` (no keys, or
/// an identity policy among them). Free the policy with
/// `sigverify_policy_free`. Thread-safe.
///
/// # Safety
/// `keys` is NULL or valid for reads of `count` pointers, each NULL or a live
/// policy; `policy_out` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_policy_new_any_key(
    keys: *const *const sigverify_policy,
    count: usize,
    policy_out: *mut *mut sigverify_policy,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(policy_out, "policy_out")?;
        // SAFETY: per the contract above.
        let list = unsafe { array(keys, count, "keys") }?;
        let policies = list
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                // SAFETY: per the contract above.
                unsafe { base_policy(p, &format!("keys[{i}]")) }.cloned()
            })
            .collect::<Result<Vec<_>, _>>()?;
        store(Policy::any_key(policies)?, policy_out);
        Ok(())
    })
}

/// `sigverify_policy_key_valid_for`: a window with no end.
pub const SIGVERIFY_NO_END: i64 = i64::MAX;

/// A new policy: a copy of the public-key policy `base` whose key is trusted
/// only for signatures made from `valid_from_unix_seconds` to
/// `valid_until_unix_seconds`, both inclusive (`SIGVERIFY_NO_END`: no end), as
/// for a rotated or revoked key. The bounds are instants: `until` T admits
/// T.0 but not a timestamp at T.5 (fractional RFC 3161 times are kept). Every
/// verified time of a bundle (signed entry timestamp, RFC 3161 timestamp) must
/// then lie inside, and a bundle with fewer verified times than the options'
/// `verified_time_threshold` (at least one) fails too, with
/// `SIGVERIFY_ERR_TIME_WINDOW`. A key that already has a window keeps only the
/// overlap of the two (a window never widens trust); on a keyring this holds
/// for every key. `base` is not changed (it may be in use on other threads).
///
/// On success stores a new handle in `*policy_out` and returns `SIGVERIFY_OK`.
/// Errors (`*policy_out` untouched, `*err` set when `err` is not NULL):
/// `SIGVERIFY_ERR_NULL_ARGUMENT` (`base` or `policy_out` NULL),
/// `SIGVERIFY_ERR_POLICY_MISUSE` (an identity policy, or a window that ends
/// before it starts). Free the policy with `sigverify_policy_free`.
/// Thread-safe.
///
/// # Safety
/// `base` is NULL or a live policy; `policy_out` and `err` are NULL or valid
/// for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_policy_key_valid_for(
    base: *const sigverify_policy,
    valid_from_unix_seconds: i64,
    valid_until_unix_seconds: i64,
    policy_out: *mut *mut sigverify_policy,
    err: *mut *mut sigverify_error,
) -> i32 {
    guard(err, || {
        out(policy_out, "policy_out")?;
        // SAFETY: per the contract above.
        let base = unsafe { base_policy(base, "base") }?;
        let window = TimeRange {
            start: Timestamp::from_unix(valid_from_unix_seconds),
            end: match valid_until_unix_seconds {
                SIGVERIFY_NO_END => None,
                secs => Some(Timestamp::from_unix(secs)),
            },
        };
        store(base.clone().key_valid_for(window)?, policy_out);
        Ok(())
    })
}

/// The policy a `base` (or keyring element) argument points to, read only.
///
/// # Safety
/// `base` is NULL or a live policy for the returned lifetime.
unsafe fn base_policy<'a>(
    base: *const sigverify_policy,
    what: &str,
) -> Result<&'a Policy, FfiError> {
    if base.is_null() {
        return Err(FfiError::null(what));
    }
    // SAFETY: non-NULL, and live per the caller's contract; only read.
    Ok(&unsafe { &*base }.inner)
}

/// Free a policy. NULL is accepted and ignored.
///
/// # Safety
/// `policy` is NULL or a live handle not freed before, and no other thread
/// is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigverify_policy_free(policy: *mut sigverify_policy) {
    if !policy.is_null() {
        // SAFETY: created by Box::into_raw in `store`, freed once per the contract.
        guard_value((), || drop(unsafe { Box::from_raw(policy) }));
    }
}
