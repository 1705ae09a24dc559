//! `messageSignature` verification (SPEC §11.2): bind the bundle's claimed
//! digest to the artifact, then verify the signature over the artifact.

use crate::artifact::Artifact;
use crate::bundle::MessageSignature;
use crate::crypto::{CryptoError, HashAlg, KeyType, PublicKey, Scheme};
use crate::error::{Result, err};

/// Verify a bundle's `messageSignature` against `artifact` with `key` (the leaf's
/// or the caller's managed key).
///
/// 1. The bundle's `messageDigest` must equal the artifact's digest under
///    `messageDigest.algorithm`; in digest mode the supplied algorithm must be that
///    algorithm too. Otherwise [`ErrorKind::ArtifactMismatch`].
/// 2. The signature must verify over the artifact with the key's natural hash
///    (ECDSA, RSA PKCS#1 v1.5), using the artifact's digest under that hash. A
///    P-384/P-521 signature that fails is retried with SHA-256 (legacy clients,
///    SPEC §5). Failure is [`ErrorKind::Signature`]. In digest mode, a key whose
///    hash differs from the supplied digest's algorithm cannot be checked (except
///    by the legacy SHA-256 retry) and is [`ErrorKind::PolicyMisuse`].
///
/// An Ed25519 key's message signature is Ed25519ph over the artifact's SHA-512
/// digest (hashedrekord logs only a digest; SPEC §5), with no legacy retry.
///
/// [`ErrorKind::ArtifactMismatch`]: crate::ErrorKind::ArtifactMismatch
/// [`ErrorKind::Signature`]: crate::ErrorKind::Signature
/// [`ErrorKind::PolicyMisuse`]: crate::ErrorKind::PolicyMisuse
pub fn verify_message_signature(
    msg: &MessageSignature,
    key: &PublicKey,
    artifact: &Artifact,
) -> Result<()> {
    check_message_digest(msg, artifact)?;

    let key_type = key.key_type();
    let hash = key_type.natural_hash();
    let legacy = matches!(key_type, KeyType::EcdsaP384 | KeyType::EcdsaP521);

    let Some(digest) = artifact.digest(hash) else {
        // Digest mode with a digest under another algorithm. Only the legacy
        // SHA-256 form of a P-384/P-521 signature can still be checked.
        if legacy
            && let Some(d256) = artifact.digest(HashAlg::Sha256)
            && verify_digest(key, HashAlg::Sha256, d256, &msg.signature).is_ok()
        {
            return Ok(());
        }
        return Err(err!(
            PolicyMisuse,
            "a {} key needs the artifact's {} digest to verify the message signature; {}",
            key_type.name(),
            hash_label(hash),
            supplied(artifact)
        ));
    };

    match verify_digest(key, hash, digest, &msg.signature) {
        Ok(()) => Ok(()),
        Err(CryptoError::BadSignature) if legacy => {
            let d256 = artifact.digest(HashAlg::Sha256).ok_or_else(|| {
                err!(
                    Signature,
                    "message signature does not verify with the {} key over the artifact's {} digest \
                     (the legacy SHA-256 form cannot be tried: {})",
                    key_type.name(),
                    hash_label(hash),
                    supplied(artifact)
                )
            })?;
            verify_digest(key, HashAlg::Sha256, d256, &msg.signature).map_err(|_| {
                err!(
                    Signature,
                    "message signature does not verify with the {} key over the artifact's {} digest, \
                     nor over its SHA-256 digest (legacy form)",
                    key_type.name(),
                    hash_label(hash)
                )
            })
        }
        Err(e) => Err(err!(
            Signature,
            "message signature with the {} key over the artifact's {} digest: {e}",
            key_type.name(),
            hash_label(hash)
        )),
    }
}

/// SPEC §11.2 step 1: the bundle's claimed digest is the artifact's digest.
pub fn check_message_digest(msg: &MessageSignature, artifact: &Artifact) -> Result<()> {
    let alg = msg.digest_algorithm;
    match artifact.digest(alg) {
        Some(d) if d == msg.digest.as_slice() => Ok(()),
        Some(_) => Err(err!(
            ArtifactMismatch,
            "the artifact's {} digest does not equal the bundle's messageDigest",
            hash_label(alg)
        )),
        None => Err(err!(
            ArtifactMismatch,
            "the bundle's messageDigest uses {} but {}",
            alg.proto_name(),
            supplied(artifact)
        )),
    }
}

fn verify_digest(
    key: &PublicKey,
    hash: HashAlg,
    digest: &[u8],
    sig: &[u8],
) -> Result<(), CryptoError> {
    let scheme = match key.key_type() {
        // `hash` is the key's natural one here, SHA-512.
        KeyType::Ed25519 => Scheme::Ed25519ph,
        k => Scheme::with_hash(k, hash),
    };
    key.verify_digest(scheme, digest, sig)
}

/// `SHA-256`-style label for messages.
pub(crate) fn hash_label(h: HashAlg) -> &'static str {
    match h {
        HashAlg::Sha256 => "SHA-256",
        HashAlg::Sha384 => "SHA-384",
        HashAlg::Sha512 => "SHA-512",
    }
}

/// Describe what the caller supplied, for digest-mode errors.
fn supplied(artifact: &Artifact) -> String {
    match artifact {
        Artifact::Digest(a, _) => format!("only a {} digest was supplied", hash_label(*a)),
        Artifact::Digests(_) => "the artifact bytes were supplied".into(),
    }
}
