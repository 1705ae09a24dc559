//! Ed25519ph (RFC 8032 §5.1, empty context): Ed25519 over the SHA-512 digest of
//! the message. hashedrekord logs only a digest, so a message signature made
//! with an Ed25519 key is Ed25519ph (SPEC §5). aws-lc-rs does not expose it, so
//! both backends verify it with ed25519-dalek.

use sha2::digest::consts::U64;
use sha2::digest::{FixedOutput, HashMarker, Output, OutputSizeUser, Update};

/// ed25519-dalek's Ed25519ph verification takes the message's SHA-512 *hasher*
/// and only finalizes it; this one finalizes to a digest computed earlier (the
/// artifact's, possibly supplied by the caller as `sha512:<hex>`). Should the
/// crate ever feed it data or make a fresh one, it finalizes instead to a
/// domain-separated hash no signer signs (never to a fixed value such as zeros,
/// which a trusted key might have signed), so verification fails closed. The
/// RFC 8032 vector in the tests pins the behaviour.
#[derive(Default)]
struct KnownSha512 {
    digest: Option<[u8; 64]>,
    fed: bool,
}

/// Prefix of what a misused [`KnownSha512`] finalizes to.
const MISUSED: &[u8] = b"sigverify: Ed25519ph prehash misused\0";

impl HashMarker for KnownSha512 {}

impl OutputSizeUser for KnownSha512 {
    type OutputSize = U64;
}

impl Update for KnownSha512 {
    fn update(&mut self, _data: &[u8]) {
        self.fed = true;
    }
}

impl FixedOutput for KnownSha512 {
    fn finalize_into(self, out: &mut Output<Self>) {
        match (self.digest, self.fed) {
            (Some(d), false) => out.copy_from_slice(&d),
            (d, _) => {
                let mut h = <sha2::Sha512 as sha2::Digest>::new_with_prefix(MISUSED);
                Update::update(&mut h, &d.unwrap_or([0; 64]));
                out.copy_from_slice(&sha2::Digest::finalize(h));
            }
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
        fed: false,
    };
    key.verify_prehashed_strict(prehash, None, &sig).is_ok()
}

/// RFC 8032 section 7.3's Ed25519ph test vector, shared by the crate's tests.
#[cfg(test)]
pub(crate) mod rfc8032 {
    /// The signed message.
    pub(crate) const MESSAGE: &[u8] = b"abc";
    const SECRET: &str = "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42";
    const KEY: &str = "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf";
    const SIG: &str = concat!(
        "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41",
        "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"
    );

    fn hex(s: &str) -> Vec<u8> {
        crate::encoding::hex_decode(s).unwrap()
    }

    /// The secret key (for signing controls in tests).
    pub(crate) fn secret() -> [u8; 32] {
        hex(SECRET).try_into().unwrap()
    }

    /// The raw 32-byte public key.
    pub(crate) fn key() -> Vec<u8> {
        hex(KEY)
    }

    /// The public key as a SubjectPublicKeyInfo.
    pub(crate) fn spki() -> Vec<u8> {
        [hex("302a300506032b6570032100"), key()].concat()
    }

    /// The Ed25519ph signature over [`MESSAGE`].
    pub(crate) fn sig() -> Vec<u8> {
        hex(SIG)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finalized(h: KnownSha512) -> [u8; 64] {
        let mut out = Output::<KnownSha512>::default();
        h.finalize_into(&mut out);
        out.as_slice().try_into().unwrap()
    }

    #[test]
    fn known_digest_finalizes_to_itself_unless_misused() {
        let d = [7u8; 64];
        let known = || KnownSha512 {
            digest: Some(d),
            fed: false,
        };
        assert_eq!(finalized(known()), d);
        // Fed anything (even nothing) or made fresh: neither the digest nor zeros.
        let mut fed = known();
        fed.update(b"");
        let fresh = KnownSha512::default();
        for misused in [finalized(fed), finalized(fresh)] {
            assert_ne!(misused, d);
            assert_ne!(misused, [0; 64]);
        }
    }

    #[test]
    fn only_exact_sizes_verify() {
        let (key, sig) = (rfc8032::key(), rfc8032::sig());
        let digest = crate::crypto::HashAlg::Sha512.digest(rfc8032::MESSAGE);
        assert!(verify_digest(&key, &digest, &sig));
        assert!(!verify_digest(&key[..31], &digest, &sig));
        assert!(!verify_digest(
            &[key.as_slice(), &[0]].concat(),
            &digest,
            &sig
        ));
        assert!(!verify_digest(&key, &digest[..32], &sig));
        assert!(!verify_digest(&key, &digest, &sig[..63]));
        assert!(!verify_digest(
            &key,
            &digest,
            &[sig.as_slice(), &[0]].concat()
        ));
    }
}
