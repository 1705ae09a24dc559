//! aws-lc-rs backend (default): the fastest P-384/P-256 verification measured here.

use super::{Backend, HashAlg, KeyType, Scheme};
use aws_lc_rs::digest;
use aws_lc_rs::signature::{self as sig, ParsedPublicKey, VerificationAlgorithm};

pub(crate) struct AwsLc;

/// A raw key plus a parsed key for its natural algorithm (the common case);
/// other hash pairings parse on demand.
#[derive(Clone)]
pub(crate) struct Key {
    raw: Vec<u8>,
    natural: ParsedPublicKey,
}

fn algorithm(kind: KeyType, scheme: Scheme) -> Option<&'static dyn VerificationAlgorithm> {
    use HashAlg::*;
    Some(match (kind, scheme) {
        (KeyType::EcdsaP256, Scheme::Ecdsa(Sha256)) => &sig::ECDSA_P256_SHA256_ASN1,
        (KeyType::EcdsaP256, Scheme::Ecdsa(Sha384)) => &sig::ECDSA_P256_SHA384_ASN1,
        (KeyType::EcdsaP256, Scheme::Ecdsa(Sha512)) => &sig::ECDSA_P256_SHA512_ASN1,
        (KeyType::EcdsaP384, Scheme::Ecdsa(Sha256)) => &sig::ECDSA_P384_SHA256_ASN1,
        (KeyType::EcdsaP384, Scheme::Ecdsa(Sha384)) => &sig::ECDSA_P384_SHA384_ASN1,
        (KeyType::EcdsaP384, Scheme::Ecdsa(Sha512)) => &sig::ECDSA_P384_SHA512_ASN1,
        (KeyType::EcdsaP521, Scheme::Ecdsa(Sha256)) => &sig::ECDSA_P521_SHA256_ASN1,
        (KeyType::EcdsaP521, Scheme::Ecdsa(Sha384)) => &sig::ECDSA_P521_SHA384_ASN1,
        (KeyType::EcdsaP521, Scheme::Ecdsa(Sha512)) => &sig::ECDSA_P521_SHA512_ASN1,
        (KeyType::Rsa(_), Scheme::RsaPkcs1(Sha256)) => &sig::RSA_PKCS1_2048_8192_SHA256,
        (KeyType::Rsa(_), Scheme::RsaPkcs1(Sha384)) => &sig::RSA_PKCS1_2048_8192_SHA384,
        (KeyType::Rsa(_), Scheme::RsaPkcs1(Sha512)) => &sig::RSA_PKCS1_2048_8192_SHA512,
        (KeyType::Ed25519, Scheme::Ed25519) => &sig::ED25519,
        _ => return None,
    })
}

fn digest_alg(h: HashAlg) -> &'static digest::Algorithm {
    match h {
        HashAlg::Sha256 => &digest::SHA256,
        HashAlg::Sha384 => &digest::SHA384,
        HashAlg::Sha512 => &digest::SHA512,
    }
}

impl Key {
    fn for_scheme(&self, kind: KeyType, scheme: Scheme) -> Option<ParsedPublicKey> {
        if scheme == Scheme::natural_for(kind) {
            return Some(self.natural.clone());
        }
        ParsedPublicKey::new(algorithm(kind, scheme)?, &self.raw).ok()
    }
}

impl Backend for AwsLc {
    const NAME: &'static str = "aws-lc-rs";
    type Key = Key;

    fn parse_key(kind: KeyType, raw: &[u8]) -> Option<Key> {
        let alg = algorithm(kind, Scheme::natural_for(kind))?;
        let natural = ParsedPublicKey::new(alg, raw).ok()?;
        Some(Key {
            raw: raw.to_vec(),
            natural,
        })
    }

    fn verify(key: &Key, kind: KeyType, scheme: Scheme, msg: &[u8], sig: &[u8]) -> bool {
        if scheme == Scheme::natural_for(kind) {
            return key.natural.verify_sig(msg, sig).is_ok();
        }
        match key.for_scheme(kind, scheme) {
            Some(k) => k.verify_sig(msg, sig).is_ok(),
            None => false,
        }
    }

    fn verify_digest(key: &Key, kind: KeyType, scheme: Scheme, digest: &[u8], sig: &[u8]) -> bool {
        let hash = match scheme {
            Scheme::Ecdsa(h) | Scheme::RsaPkcs1(h) => h,
            // Ed25519ph never gets here (`PublicKey::verify_digest`).
            Scheme::Ed25519 | Scheme::Ed25519ph => return false,
        };
        let Ok(d) = digest::Digest::import_less_safe(digest, digest_alg(hash)) else {
            return false;
        };
        match key.for_scheme(kind, scheme) {
            Some(k) => k.verify_digest_sig(&d, sig).is_ok(),
            None => false,
        }
    }
}
