//! The only module that knows the crypto backend. Everything else asks it to
//! hash, to parse a public key, and to verify a signature.
//!
//! The backend sits behind the small [`Backend`] trait: aws-lc-rs by default
//! (fastest measured here), RustCrypto as the `rustcrypto` feature for targets
//! where aws-lc-rs cannot build.

#[cfg(feature = "aws-lc-rs")]
mod awslc;
mod ed25519ph;
#[cfg(test)]
pub(crate) use ed25519ph::rfc8032;
#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc-rs")))]
mod rustcrypto;
pub(crate) mod webpki_algs;

#[cfg(not(any(feature = "aws-lc-rs", feature = "rustcrypto")))]
compile_error!("enable one crypto backend: feature `aws-lc-rs` (default) or `rustcrypto`");

#[cfg(feature = "aws-lc-rs")]
type Active = awslc::AwsLc;
#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc-rs")))]
type Active = rustcrypto::RustCrypto;

use der::asn1::{ObjectIdentifier, UintRef};
use der::{Decode, Sequence};
use sha2::Digest;
use std::fmt;

/// Name of the compiled-in crypto backend.
pub fn backend_name() -> &'static str {
    <Active as Backend>::NAME
}

/// A hash algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-256
    Sha256,
    /// SHA-384
    Sha384,
    /// SHA-512
    Sha512,
}

impl HashAlg {
    /// Digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }

    /// Hash `data` in one go (SHA-256 on [`sha256`]'s faster code).
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => sha256(data).to_vec(),
            HashAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    /// Name as the protobuf enum spells it (`SHA2_256`).
    pub fn proto_name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "SHA2_256",
            HashAlg::Sha384 => "SHA2_384",
            HashAlg::Sha512 => "SHA2_512",
        }
    }

    /// Name as Rekor v1 bodies and in-toto subjects spell it (`sha256`).
    pub fn short_name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha256",
            HashAlg::Sha384 => "sha384",
            HashAlg::Sha512 => "sha512",
        }
    }

    /// Parse a protobuf enum name (`SHA2_256`).
    pub fn from_proto_name(s: &str) -> Option<HashAlg> {
        [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512]
            .into_iter()
            .find(|h| h.proto_name() == s)
    }

    /// Parse a short name (`sha256`).
    pub fn from_short_name(s: &str) -> Option<HashAlg> {
        [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512]
            .into_iter()
            .find(|h| h.short_name() == s)
    }

    /// The AlgorithmIdentifier OID (NIST hash arc).
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            HashAlg::Sha256 => const_oid::db::rfc5912::ID_SHA_256,
            HashAlg::Sha384 => const_oid::db::rfc5912::ID_SHA_384,
            HashAlg::Sha512 => const_oid::db::rfc5912::ID_SHA_512,
        }
    }

    /// The hash whose AlgorithmIdentifier OID is `oid`.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<HashAlg> {
        [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512]
            .into_iter()
            .find(|h| h.oid() == *oid)
    }
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h = Sha256Hasher::new();
    h.update(data);
    h.finish()
}

/// Incremental SHA-256 on the fastest code at hand: aws-lc's assembly when it is
/// the backend, else the `sha2` crate. Both use SHA-NI where the CPU has it; without
/// it `sha2` falls back to portable code, while aws-lc has AVX/AVX2 code roughly
/// twice as fast (log bodies, Merkle paths and artifacts are all SHA-256).
#[derive(Clone)]
pub(crate) struct Sha256Hasher(
    #[cfg(feature = "aws-lc-rs")] aws_lc_rs::digest::Context,
    #[cfg(not(feature = "aws-lc-rs"))] sha2::Sha256,
);

impl Default for Sha256Hasher {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256Hasher {
    /// A fresh hasher.
    pub(crate) fn new() -> Self {
        #[cfg(feature = "aws-lc-rs")]
        return Self(aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256));
        #[cfg(not(feature = "aws-lc-rs"))]
        return Self(sha2::Sha256::new());
    }

    /// Feed more bytes.
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The digest.
    pub(crate) fn finish(self) -> [u8; 32] {
        #[cfg(feature = "aws-lc-rs")]
        {
            let mut out = [0u8; 32];
            // Always 32 bytes; zip keeps this free of a length assertion.
            for (o, b) in out.iter_mut().zip(self.0.finish().as_ref()) {
                *o = *b;
            }
            out
        }
        #[cfg(not(feature = "aws-lc-rs"))]
        {
            self.0.finalize().into()
        }
    }
}

/// Incremental hashing of one input under every supported algorithm at once,
/// so a streamed artifact is read a single time.
#[derive(Clone, Default)]
pub struct MultiHasher {
    sha256: Sha256Hasher,
    sha384: sha2::Sha384,
    sha512: sha2::Sha512,
}

impl MultiHasher {
    /// A fresh hasher.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed more bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.sha256.update(data);
        self.sha384.update(data);
        self.sha512.update(data);
    }

    /// The digests, in SHA-256, SHA-384, SHA-512 order.
    pub fn finish(self) -> ArtifactDigests {
        ArtifactDigests {
            sha256: self.sha256.finish(),
            sha384: self.sha384.finalize().to_vec(),
            sha512: self.sha512.finalize().to_vec(),
        }
    }
}

/// Digests of one artifact under every supported algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtifactDigests {
    /// SHA-256
    pub sha256: [u8; 32],
    /// SHA-384
    pub sha384: Vec<u8>,
    /// SHA-512
    pub sha512: Vec<u8>,
}

impl ArtifactDigests {
    /// Hash a whole in-memory artifact.
    pub fn of(data: &[u8]) -> Self {
        let mut h = MultiHasher::new();
        h.update(data);
        h.finish()
    }

    /// The digest under `alg`.
    pub fn get(&self, alg: HashAlg) -> &[u8] {
        match alg {
            HashAlg::Sha256 => &self.sha256,
            HashAlg::Sha384 => &self.sha384,
            HashAlg::Sha512 => &self.sha512,
        }
    }
}

/// The type of a public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// ECDSA on NIST P-256
    EcdsaP256,
    /// ECDSA on NIST P-384
    EcdsaP384,
    /// ECDSA on NIST P-521
    EcdsaP521,
    /// Ed25519
    Ed25519,
    /// RSA with a modulus of this many bits
    Rsa(u32),
}

impl KeyType {
    /// The hash conventionally paired with this key (SPEC §5).
    pub fn natural_hash(self) -> HashAlg {
        match self {
            KeyType::EcdsaP256 | KeyType::Rsa(_) => HashAlg::Sha256,
            KeyType::EcdsaP384 => HashAlg::Sha384,
            KeyType::EcdsaP521 | KeyType::Ed25519 => HashAlg::Sha512,
        }
    }

    /// Short human name, e.g. `ECDSA P-256`.
    pub fn name(self) -> String {
        match self {
            KeyType::EcdsaP256 => "ECDSA P-256".into(),
            KeyType::EcdsaP384 => "ECDSA P-384".into(),
            KeyType::EcdsaP521 => "ECDSA P-521".into(),
            KeyType::Ed25519 => "Ed25519".into(),
            KeyType::Rsa(bits) => format!("RSA-{bits}"),
        }
    }
}

/// How a signature is formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// ECDSA with this hash, DER `Ecdsa-Sig-Value` signature.
    Ecdsa(HashAlg),
    /// RSASSA-PKCS1-v1_5 with this hash.
    RsaPkcs1(HashAlg),
    /// Pure Ed25519 (message signed directly).
    Ed25519,
    /// Ed25519ph: Ed25519 over the message's SHA-512 digest, empty context
    /// (RFC 8032 §5.1). Message signatures by Ed25519 keys (SPEC §5).
    Ed25519ph,
}

impl Scheme {
    /// The natural scheme for a key: ECDSA/RSA with the key's natural hash, pure Ed25519.
    pub fn natural_for(key: KeyType) -> Scheme {
        Scheme::with_hash(key, key.natural_hash())
    }

    /// The scheme for `key` using `hash` (ignored for Ed25519).
    pub fn with_hash(key: KeyType, hash: HashAlg) -> Scheme {
        match key {
            KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521 => Scheme::Ecdsa(hash),
            KeyType::Rsa(_) => Scheme::RsaPkcs1(hash),
            KeyType::Ed25519 => Scheme::Ed25519,
        }
    }

    fn fits(self, key: KeyType) -> bool {
        matches!(
            (self, key),
            (
                Scheme::Ecdsa(_),
                KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::EcdsaP521
            ) | (Scheme::RsaPkcs1(_), KeyType::Rsa(_))
                | (Scheme::Ed25519 | Scheme::Ed25519ph, KeyType::Ed25519)
        )
    }
}

/// Why a key or signature was refused. Callers wrap it in their own error kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// The key bytes are not a supported, well-formed public key.
    BadKey(String),
    /// The signature scheme does not fit the key or is unsupported.
    Unsupported(String),
    /// The signature does not verify.
    BadSignature,
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptoError::BadKey(m) => write!(f, "invalid public key: {m}"),
            CryptoError::Unsupported(m) => write!(f, "unsupported: {m}"),
            CryptoError::BadSignature => f.write_str("signature does not verify"),
        }
    }
}

/// The backend interface: parse a raw key once, verify many times.
pub(crate) trait Backend {
    /// Backend name for diagnostics.
    const NAME: &'static str;
    /// A parsed key, ready to verify.
    type Key: Clone + Send + Sync;
    /// Parse raw key material: an uncompressed/compressed EC point, a PKCS#1
    /// `RSAPublicKey`, or 32 Ed25519 bytes.
    fn parse_key(kind: KeyType, raw: &[u8]) -> Option<Self::Key>;
    /// Verify `sig` over `msg` (the backend hashes).
    fn verify(key: &Self::Key, kind: KeyType, scheme: Scheme, msg: &[u8], sig: &[u8]) -> bool;
    /// Verify `sig` over a precomputed digest (ECDSA and RSA only).
    fn verify_digest(
        key: &Self::Key,
        kind: KeyType,
        scheme: Scheme,
        digest: &[u8],
        sig: &[u8],
    ) -> bool;
}

/// A parsed public key with its SubjectPublicKeyInfo DER.
#[derive(Clone)]
pub struct PublicKey {
    key_type: KeyType,
    spki: Vec<u8>,
    inner: <Active as Backend>::Key,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_type.name())
    }
}

#[derive(Sequence)]
struct RsaPublicKeyDer<'a> {
    modulus: UintRef<'a>,
    #[allow(dead_code)]
    exponent: UintRef<'a>,
}

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

fn rsa_bits(pkcs1: &[u8]) -> Result<u32, CryptoError> {
    let k = RsaPublicKeyDer::from_der(pkcs1)
        .map_err(|e| CryptoError::BadKey(format!("RSA public key: {e}")))?;
    let m = k.modulus.as_bytes();
    let first = *m
        .first()
        .ok_or_else(|| CryptoError::BadKey("RSA modulus is zero".into()))?;
    let bits = (m.len() as u32 - 1) * 8 + (8 - first.leading_zeros());
    if !(2048..=8192).contains(&bits) {
        return Err(CryptoError::Unsupported(format!(
            "RSA modulus of {bits} bits (2048 to 8192 supported)"
        )));
    }
    Ok(bits)
}

impl KeyType {
    /// The type of the key in a DER SubjectPublicKeyInfo, without parsing the key
    /// itself (an EC point is not checked to be on its curve).
    pub fn of_spki_der(der: &[u8]) -> Result<KeyType, CryptoError> {
        spki_parts(der).map(|(key_type, _)| key_type)
    }
}

/// A SubjectPublicKeyInfo's key type and raw key bytes.
fn spki_parts(der: &[u8]) -> Result<(KeyType, &[u8]), CryptoError> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| CryptoError::BadKey(format!("SubjectPublicKeyInfo: {e}")))?;
    let raw = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| CryptoError::BadKey("public key bit string is not whole bytes".into()))?;
    let oid = spki.algorithm.oid;
    let key_type = if oid == OID_EC_PUBLIC_KEY {
        let curve: ObjectIdentifier = spki
            .algorithm
            .parameters
            .ok_or_else(|| CryptoError::BadKey("EC key without curve".into()))?
            .decode_as()
            .map_err(|e| CryptoError::BadKey(format!("EC curve: {e}")))?;
        match curve {
            c if c == OID_P256 => KeyType::EcdsaP256,
            c if c == OID_P384 => KeyType::EcdsaP384,
            c if c == OID_P521 => KeyType::EcdsaP521,
            c => return Err(CryptoError::Unsupported(format!("EC curve {c}"))),
        }
    } else if oid == OID_ED25519 {
        KeyType::Ed25519
    } else if oid == OID_RSA {
        KeyType::Rsa(rsa_bits(raw)?)
    } else {
        return Err(CryptoError::Unsupported(format!("key algorithm {oid}")));
    };
    Ok((key_type, raw))
}

impl PublicKey {
    /// Parse a DER SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, CryptoError> {
        let (key_type, raw) = spki_parts(der)?;
        Self::from_raw(key_type, raw, der.to_vec())
    }

    /// Parse a PKCS#1 `RSAPublicKey` (the deprecated `PKCS1_RSA_PKCS1V5` trusted-root form).
    pub fn from_pkcs1_rsa_der(pkcs1: &[u8]) -> Result<PublicKey, CryptoError> {
        let bits = rsa_bits(pkcs1)?;
        let spki = spki::SubjectPublicKeyInfoRef {
            algorithm: spki::AlgorithmIdentifierRef {
                oid: OID_RSA,
                parameters: Some(der::asn1::AnyRef::NULL),
            },
            subject_public_key: der::asn1::BitStringRef::from_bytes(pkcs1)
                .map_err(|e| CryptoError::BadKey(e.to_string()))?,
        };
        let der = der::Encode::to_der(&spki).map_err(|e| CryptoError::BadKey(e.to_string()))?;
        Self::from_raw(KeyType::Rsa(bits), pkcs1, der)
    }

    /// Parse a PEM `PUBLIC KEY` block (SPKI).
    pub fn from_pem(pem: &[u8]) -> Result<PublicKey, CryptoError> {
        let der = crate::encoding::pem_decode(pem, "PUBLIC KEY")
            .map_err(|e| CryptoError::BadKey(format!("PEM: {e}")))?;
        Self::from_spki_der(&der)
    }

    fn from_raw(key_type: KeyType, raw: &[u8], spki: Vec<u8>) -> Result<PublicKey, CryptoError> {
        let inner = <Active as Backend>::parse_key(key_type, raw).ok_or_else(|| {
            CryptoError::BadKey(format!("{} key does not parse", key_type.name()))
        })?;
        Ok(PublicKey {
            key_type,
            spki,
            inner,
        })
    }

    /// The key's type.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// Verify `sig` over `msg` under `scheme`.
    pub fn verify(&self, scheme: Scheme, msg: &[u8], sig: &[u8]) -> Result<(), CryptoError> {
        self.check_fits(scheme)?;
        if scheme == Scheme::Ed25519ph {
            return self.verify_digest(scheme, &HashAlg::Sha512.digest(msg), sig);
        }
        if <Active as Backend>::verify(&self.inner, self.key_type, scheme, msg, sig) {
            Ok(())
        } else {
            Err(CryptoError::BadSignature)
        }
    }

    /// Verify `sig` over `msg` with the key's natural scheme.
    pub fn verify_natural(&self, msg: &[u8], sig: &[u8]) -> Result<(), CryptoError> {
        self.verify(Scheme::natural_for(self.key_type), msg, sig)
    }

    /// Verify `sig` over a precomputed `digest` (ECDSA, RSA, or Ed25519ph with a
    /// SHA-512 digest; the digest length must fit the hash).
    pub fn verify_digest(
        &self,
        scheme: Scheme,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), CryptoError> {
        self.check_fits(scheme)?;
        let hash = match scheme {
            Scheme::Ecdsa(h) | Scheme::RsaPkcs1(h) => h,
            Scheme::Ed25519ph => HashAlg::Sha512,
            Scheme::Ed25519 => {
                return Err(CryptoError::Unsupported(
                    "pure Ed25519 cannot verify a precomputed digest".into(),
                ));
            }
        };
        if digest.len() != hash.output_len() {
            return Err(CryptoError::Unsupported(format!(
                "digest of {} bytes for {hash:?}",
                digest.len()
            )));
        }
        let verified = if scheme == Scheme::Ed25519ph {
            ed25519ph::verify_digest(self.raw_key()?, digest, sig)
        } else {
            <Active as Backend>::verify_digest(&self.inner, self.key_type, scheme, digest, sig)
        };
        if verified {
            Ok(())
        } else {
            Err(CryptoError::BadSignature)
        }
    }

    /// The key bytes inside the SubjectPublicKeyInfo (32 bytes for Ed25519).
    fn raw_key(&self) -> Result<&[u8], CryptoError> {
        spki_parts(&self.spki).map(|(_, raw)| raw)
    }

    fn check_fits(&self, scheme: Scheme) -> Result<(), CryptoError> {
        if scheme.fits(self.key_type) {
            Ok(())
        } else {
            Err(CryptoError::Unsupported(format!(
                "{scheme:?} with a {} key",
                self.key_type.name()
            )))
        }
    }
}

#[cfg(test)]
mod tests;
