//! rustls-webpki signature algorithms backed by our [`Backend`], so certificate
//! path validation never drags in a second crypto stack.

use super::{Active, Backend, HashAlg, KeyType, Scheme, rsa_bits};
use der::Decode;
use pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm, alg_id};

#[derive(Debug)]
struct Alg {
    public_key: AlgorithmIdentifier,
    signature: AlgorithmIdentifier,
    /// `None` for RSA, whose size is read from the key.
    key_type: Option<KeyType>,
    hash: HashAlg,
}

impl Alg {
    fn verify_with(
        &self,
        key: &<Active as Backend>::Key,
        kind: KeyType,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let scheme = Scheme::with_hash(kind, self.hash);
        if <Active as Backend>::verify(key, kind, scheme, message, signature) {
            Ok(())
        } else {
            Err(InvalidSignature)
        }
    }

    /// Whether a key of type `kind` is one this algorithm takes.
    fn takes(&self, kind: KeyType) -> bool {
        match self.key_type {
            Some(k) => k == kind,
            None => matches!(kind, KeyType::Rsa(_)),
        }
    }
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
        self.verify_with(&key, kind, message, signature)
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
static ALGS: [&Alg; 13] = [
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

/// [`ALGS`] as webpki takes them.
pub(crate) static ALL: &[&dyn SignatureVerificationAlgorithm] = &[
    ALGS[0], ALGS[1], ALGS[2], ALGS[3], ALGS[4], ALGS[5], ALGS[6], ALGS[7], ALGS[8], ALGS[9],
    ALGS[10], ALGS[11], ALGS[12],
];

/// A trusted issuer's key, parsed once. webpki hands an algorithm only the
/// key's raw bits, which it would parse (a curve point check) at every path
/// validation; a CA key signs every leaf it issued.
#[derive(Clone)]
pub(crate) struct KnownKey {
    kind: KeyType,
    raw: Vec<u8>,
    key: <Active as Backend>::Key,
}

impl std::fmt::Debug for KnownKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KnownKey({})", self.kind.name())
    }
}

impl KnownKey {
    /// The key of a DER SubjectPublicKeyInfo, or `None` if it does not parse
    /// (webpki then parses it at use and fails as it would have).
    pub(crate) fn from_spki_der(spki: &[u8]) -> Option<KnownKey> {
        let parsed = super::PublicKey::from_spki_der(spki).ok()?;
        let raw = spki::SubjectPublicKeyInfoRef::from_der(spki)
            .ok()?
            .subject_public_key
            .as_bytes()?
            .to_vec();
        Some(KnownKey {
            kind: parsed.key_type,
            raw,
            key: parsed.inner,
        })
    }
}

/// An [`Alg`] that looks the key up among known keys before parsing it.
struct WithKnown<'a> {
    alg: &'static Alg,
    known: &'a [KnownKey],
}

impl std::fmt::Debug for WithKnown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.alg.fmt(f)
    }
}

impl SignatureVerificationAlgorithm for WithKnown<'_> {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // Same bits, same key: parsing them again would give exactly this key.
        match self
            .known
            .iter()
            .find(|k| k.raw == public_key && self.alg.takes(k.kind))
        {
            Some(k) => self.alg.verify_with(&k.key, k.kind, message, signature),
            None => self.alg.verify_signature(public_key, message, signature),
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.alg.public_key
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.alg.signature
    }
}

/// Run `f` with [`ALL`]'s algorithms, each trying `known` keys before parsing.
pub(crate) fn with_known_keys<R>(
    known: &[KnownKey],
    f: impl FnOnce(&[&dyn SignatureVerificationAlgorithm]) -> R,
) -> R {
    let algs = ALGS.map(|alg| WithKnown { alg, known });
    f(&algs
        .each_ref()
        .map(|a| a as &dyn SignatureVerificationAlgorithm))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::{CertInfo, RawCert};

    /// The happy-path v0.3 leaf, and the production CA that issued it.
    fn leaf_and_issuer() -> (Vec<u8>, Vec<u8>) {
        let path = format!(
            "{}/../test-vectors/conformance/happy-path-v0.3/bundle.sigstore.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let bundle = crate::Bundle::from_json(&std::fs::read(path).unwrap()).unwrap();
        let leaf = bundle.leaf_certificate().unwrap().to_vec();
        let issuer_name = RawCert::split(&leaf).unwrap().issuer.to_vec();
        let root = crate::TrustedRoot::production().unwrap();
        let issuer = root
            .certificate_authorities
            .iter()
            .filter_map(|ca| ca.cert_chain.first())
            .find(|c| RawCert::split(c).unwrap().subject == issuer_name.as_slice())
            .unwrap()
            .clone();
        (leaf, issuer)
    }

    /// The leaf's signature as webpki would check it: the issuer key's raw
    /// bits, the TBS bytes and the signature value.
    fn signed_parts(leaf: &[u8], issuer: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let bits = spki::SubjectPublicKeyInfoRef::from_der(RawCert::split(issuer).unwrap().spki)
            .unwrap()
            .subject_public_key
            .as_bytes()
            .unwrap()
            .to_vec();
        let info = CertInfo::parse(leaf).unwrap();
        let sig = info.signature.as_bytes().unwrap().to_vec();
        (bits, info.raw.tbs.to_vec(), sig)
    }

    fn p384_sha384<'a>(
        algs: &[&'a dyn SignatureVerificationAlgorithm],
    ) -> &'a dyn SignatureVerificationAlgorithm {
        *algs
            .iter()
            .find(|a| {
                a.signature_alg_id() == alg_id::ECDSA_SHA384
                    && a.public_key_alg_id() == alg_id::ECDSA_P384
            })
            .unwrap()
    }

    #[test]
    fn known_keys_give_the_same_answers_as_parsing() {
        let (leaf, issuer) = leaf_and_issuer();
        let (bits, tbs, sig) = signed_parts(&leaf, &issuer);
        let mut bad_sig = sig.clone();
        *bad_sig.last_mut().unwrap() ^= 1;
        let known = [KnownKey::from_spki_der(RawCert::split(&issuer).unwrap().spki).unwrap()];
        for keys in [&known[..], &[]] {
            with_known_keys(keys, |algs| {
                let alg = p384_sha384(algs);
                alg.verify_signature(&bits, &tbs, &sig).unwrap();
                assert!(alg.verify_signature(&bits, &tbs, &bad_sig).is_err());
                assert!(alg.verify_signature(&bits, &tbs[1..], &sig).is_err());
            });
        }
        // A P-256 algorithm never takes the known P-384 key, even for the same bits.
        with_known_keys(&known, |algs| {
            let p256 = algs
                .iter()
                .find(|a| {
                    a.signature_alg_id() == alg_id::ECDSA_SHA384
                        && a.public_key_alg_id() == alg_id::ECDSA_P256
                })
                .unwrap();
            assert!(p256.verify_signature(&bits, &tbs, &sig).is_err());
        });
    }

    /// The lookup is really used: a known entry whose parsed key differs from
    /// its bits decides the answer (the bits alone would verify).
    #[test]
    fn a_known_key_is_used_instead_of_parsing_its_bits() {
        let (leaf, issuer) = leaf_and_issuer();
        let (bits, tbs, sig) = signed_parts(&leaf, &issuer);
        let genuine = KnownKey::from_spki_der(RawCert::split(&issuer).unwrap().spki).unwrap();
        // Another P-384 key of the production root's CAs.
        let root = crate::TrustedRoot::production().unwrap();
        let other_spki = root
            .certificate_authorities
            .iter()
            .flat_map(|ca| ca.cert_chain.iter())
            .map(|c| RawCert::split(c).unwrap().spki.to_vec())
            .find(|s| {
                KnownKey::from_spki_der(s)
                    .is_some_and(|k| k.kind == KeyType::EcdsaP384 && k.raw != bits)
            })
            .unwrap();
        let other = KnownKey::from_spki_der(&other_spki).unwrap();
        let mislabelled = KnownKey {
            raw: bits.clone(),
            ..other
        };
        with_known_keys(&[genuine], |algs| {
            p384_sha384(algs).verify_signature(&bits, &tbs, &sig)
        })
        .unwrap();
        let r = with_known_keys(&[mislabelled], |algs| {
            p384_sha384(algs).verify_signature(&bits, &tbs, &sig)
        });
        assert!(r.is_err());
    }
}
