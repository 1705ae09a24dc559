//! Pure-Rust RustCrypto backend (feature `rustcrypto`), for targets where
//! aws-lc-rs cannot build. Behaves like the aws-lc-rs backend: the same key
//! encodings, the same curve x hash pairings, the same RSA size range.

use super::{Backend, HashAlg, KeyType, Scheme};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use signature::hazmat::PrehashVerifier;

pub(crate) struct RustCrypto;

/// A parsed public key. ECDSA keys keep no hash: every curve x hash pairing
/// is verified over a prehash, since the crates' `Verifier` impls only offer
/// each curve's natural hash (the Sigstore TSA signs P-384 with SHA-256).
#[derive(Clone)]
pub(crate) enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(rsa::PublicKey),
}

/// The RSA modulus sizes accepted, matching aws-lc-rs's `RSA_PKCS1_2048_8192_*`.
const RSA_BITS: std::ops::RangeInclusive<u32> = 2048..=8192;

fn parse_rsa(bits: u32, pkcs1: &[u8]) -> Option<rsa::PublicKey> {
    let key = rsa::PublicKey::from_pkcs1_der(pkcs1).ok()?;
    let n_bits = key.n().as_ref().bit_width_vartime();
    // The caller derived `bits` from the same DER; a disagreement means the
    // key type and the bytes do not belong together.
    (n_bits == bits && RSA_BITS.contains(&n_bits)).then_some(key)
}

/// RSASSA-PKCS1-v1_5 over `digest`; the hash type only picks the DigestInfo
/// prefix (and the digest length it expects).
fn rsa_verify_digest(key: &rsa::PublicKey, hash: HashAlg, digest: &[u8], sig: &[u8]) -> bool {
    use rsa::sha2::{Sha256, Sha384, Sha512};
    match hash {
        HashAlg::Sha256 => key.pkcs1v15_verify_prehash::<Sha256>(digest, sig),
        HashAlg::Sha384 => key.pkcs1v15_verify_prehash::<Sha384>(digest, sig),
        HashAlg::Sha512 => key.pkcs1v15_verify_prehash::<Sha512>(digest, sig),
    }
    .is_ok()
}

impl Backend for RustCrypto {
    const NAME: &'static str = "rustcrypto";
    type Key = Key;

    fn parse_key(kind: KeyType, raw: &[u8]) -> Option<Key> {
        Some(match kind {
            KeyType::EcdsaP256 => Key::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(raw).ok()?),
            KeyType::EcdsaP384 => Key::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(raw).ok()?),
            KeyType::EcdsaP521 => Key::P521(p521::ecdsa::VerifyingKey::from_sec1_bytes(raw).ok()?),
            KeyType::Ed25519 => {
                let bytes: &[u8; 32] = raw.try_into().ok()?;
                Key::Ed25519(ed25519_dalek::VerifyingKey::from_bytes(bytes).ok()?)
            }
            KeyType::Rsa(bits) => Key::Rsa(parse_rsa(bits, raw)?),
        })
    }

    fn verify(key: &Key, kind: KeyType, scheme: Scheme, msg: &[u8], sig: &[u8]) -> bool {
        match (key, scheme) {
            (Key::Ed25519(k), Scheme::Ed25519) => {
                // verify_strict only adds the small-order R / key checks, which
                // honest signers never trip; it closes malleability for free.
                ed25519_dalek::Signature::from_slice(sig)
                    .is_ok_and(|s| k.verify_strict(msg, &s).is_ok())
            }
            (_, Scheme::Ecdsa(h) | Scheme::RsaPkcs1(h)) => {
                Self::verify_digest(key, kind, scheme, &h.digest(msg), sig)
            }
            _ => false,
        }
    }

    fn verify_digest(key: &Key, kind: KeyType, scheme: Scheme, digest: &[u8], sig: &[u8]) -> bool {
        // The caller checks the scheme against `kind`; check the parsed key
        // too, so a mismatched pair fails closed instead of verifying.
        match (key, kind, scheme) {
            (Key::P256(k), KeyType::EcdsaP256, Scheme::Ecdsa(h)) => {
                digest.len() == h.output_len()
                    && p256::ecdsa::Signature::from_der(sig)
                        .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
            }
            (Key::P384(k), KeyType::EcdsaP384, Scheme::Ecdsa(h)) => {
                digest.len() == h.output_len()
                    && p384::ecdsa::Signature::from_der(sig)
                        .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
            }
            (Key::P521(k), KeyType::EcdsaP521, Scheme::Ecdsa(h)) => {
                digest.len() == h.output_len()
                    && p521::ecdsa::Signature::from_der(sig)
                        .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
            }
            (Key::Rsa(k), KeyType::Rsa(_), Scheme::RsaPkcs1(h)) => {
                rsa_verify_digest(k, h, digest, sig)
            }
            _ => false,
        }
    }
}
