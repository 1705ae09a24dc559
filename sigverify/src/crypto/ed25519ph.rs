//! Ed25519ph (RFC 8032 §5.1, empty context): Ed25519 over the SHA-512 digest of
//! the message. hashedrekord logs only a digest, so a message signature made
//! with an Ed25519 key is Ed25519ph (SPEC §5). aws-lc-rs does not expose it, so
//! both backends verify it with ed25519-dalek.

use sha2::digest::consts::U64;
use sha2::digest::{FixedOutput, HashMarker, Output, OutputSizeUser, Update};

/// ed25519-dalek's Ed25519ph verification takes the message's SHA-512 *hasher*
/// and only finalizes it; this one finalizes to a digest computed earlier (the
/// artifact's, possibly supplied by the caller as `sha512:<hex>`). Data fed to it
/// poisons it: it then finalizes to no digest of anything (all zero bytes), so a
/// change in how the crate drives the hasher fails closed. The RFC 8032 vector
/// in the tests pins the behaviour.
#[derive(Default)]
struct KnownSha512 {
    digest: Option<[u8; 64]>,
}

impl HashMarker for KnownSha512 {}

impl OutputSizeUser for KnownSha512 {
    type OutputSize = U64;
}

impl Update for KnownSha512 {
    fn update(&mut self, _data: &[u8]) {
        self.digest = None;
    }
}

impl FixedOutput for KnownSha512 {
    fn finalize_into(self, out: &mut Output<Self>) {
        match self.digest {
            Some(d) => out.copy_from_slice(&d),
            None => out.fill(0),
        }
    }
}

/// Verify an Ed25519ph signature by the 32-byte Ed25519 key `raw_key` over the
/// message whose SHA-512 digest is `digest`. Strict verification: a small-order
/// key or R, which honest signers never produce, is refused.
pub(crate) fn verify_digest(raw_key: &[u8], digest: &[u8], sig: &[u8]) -> bool {
    let (Ok(key), Ok(digest), Ok(sig)) = (
        <&[u8; 32]>::try_from(raw_key),
        <[u8; 64]>::try_from(digest),
        ed25519_dalek::Signature::from_slice(sig),
    ) else {
        return false;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(key) else {
        return false;
    };
    let prehash = KnownSha512 {
        digest: Some(digest),
    };
    key.verify_prehashed_strict(prehash, None, &sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest_finalizes_to_itself_unless_fed() {
        let d = [7u8; 64];
        let mut out = Output::<KnownSha512>::default();
        KnownSha512 { digest: Some(d) }.finalize_into(&mut out);
        assert_eq!(out.as_slice(), &d[..]);
        let mut fed = KnownSha512 { digest: Some(d) };
        fed.update(b"");
        fed.finalize_into(&mut out);
        assert_eq!(out.as_slice(), &[0u8; 64][..]);
    }

    #[test]
    fn malformed_inputs_do_not_verify() {
        let key = [0x11u8; 32];
        assert!(!verify_digest(&key[..31], &[0; 64], &[0; 64]));
        assert!(!verify_digest(&key, &[0; 32], &[0; 64]));
        assert!(!verify_digest(&key, &[0; 64], &[0; 63]));
    }
}
