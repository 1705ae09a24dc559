//! rustls-webpki signature algorithms backed by our [`Backend`], so certificate
//! path validation never drags in a second crypto stack.

use super::{Active, Backend, HashAlg, KeyType, Scheme, rsa_bits};
use pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm, alg_id};

#[derive(Debug)]
struct Alg {
    public_key: AlgorithmIdentifier,
    signature: AlgorithmIdentifier,
    /// `None` for RSA, whose size is read from the key.
    key_type: Option<KeyType>,
    hash: HashAlg,
}

impl SignatureVerificationAlgorithm for Alg {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let kind = match self.key_type {
            Some(k) => k,
            None => KeyType::Rsa(rsa_bits(public_key).map_err(|_| InvalidSignature)?),
        };
        let key = <Active as Backend>::parse_key(kind, public_key).ok_or(InvalidSignature)?;
        let scheme = Scheme::with_hash(kind, self.hash);
        if <Active as Backend>::verify(&key, kind, scheme, message, signature) {
            Ok(())
        } else {
            Err(InvalidSignature)
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature
    }
}

macro_rules! ecdsa {
    ($name:ident, $curve:ident, $kt:ident, $sig:ident, $hash:ident) => {
        static $name: Alg = Alg {
            public_key: alg_id::$curve,
            signature: alg_id::$sig,
            key_type: Some(KeyType::$kt),
            hash: HashAlg::$hash,
        };
    };
}

ecdsa!(P256_SHA256, ECDSA_P256, EcdsaP256, ECDSA_SHA256, Sha256);
ecdsa!(P256_SHA384, ECDSA_P256, EcdsaP256, ECDSA_SHA384, Sha384);
ecdsa!(P256_SHA512, ECDSA_P256, EcdsaP256, ECDSA_SHA512, Sha512);
ecdsa!(P384_SHA256, ECDSA_P384, EcdsaP384, ECDSA_SHA256, Sha256);
ecdsa!(P384_SHA384, ECDSA_P384, EcdsaP384, ECDSA_SHA384, Sha384);
ecdsa!(P384_SHA512, ECDSA_P384, EcdsaP384, ECDSA_SHA512, Sha512);
ecdsa!(P521_SHA256, ECDSA_P521, EcdsaP521, ECDSA_SHA256, Sha256);
ecdsa!(P521_SHA384, ECDSA_P521, EcdsaP521, ECDSA_SHA384, Sha384);
ecdsa!(P521_SHA512, ECDSA_P521, EcdsaP521, ECDSA_SHA512, Sha512);

macro_rules! rsa {
    ($name:ident, $sig:ident, $hash:ident) => {
        static $name: Alg = Alg {
            public_key: alg_id::RSA_ENCRYPTION,
            signature: alg_id::$sig,
            key_type: None,
            hash: HashAlg::$hash,
        };
    };
}

rsa!(RSA_SHA256, RSA_PKCS1_SHA256, Sha256);
rsa!(RSA_SHA384, RSA_PKCS1_SHA384, Sha384);
rsa!(RSA_SHA512, RSA_PKCS1_SHA512, Sha512);

static ED25519: Alg = Alg {
    public_key: alg_id::ED25519,
    signature: alg_id::ED25519,
    key_type: Some(KeyType::Ed25519),
    hash: HashAlg::Sha512,
};

/// Every certificate signature algorithm we accept in a path.
pub(crate) static ALL: &[&dyn SignatureVerificationAlgorithm] = &[
    &P256_SHA256,
    &P256_SHA384,
    &P256_SHA512,
    &P384_SHA256,
    &P384_SHA384,
    &P384_SHA512,
    &P521_SHA256,
    &P521_SHA384,
    &P521_SHA512,
    &RSA_SHA256,
    &RSA_SHA384,
    &RSA_SHA512,
    &ED25519,
];
