//! What the caller says was signed: the artifact's digests (hashed once, under
//! every supported algorithm) or one precomputed digest.

use crate::bundle::{Bundle, Content, SigningMaterial};
use crate::crypto::{ArtifactDigests, HashAlg, KeyType, MultiHasher};
use crate::error::{Result, err};
use sha2::Digest;
use std::io::Read;

/// Read buffer for streamed artifacts: large enough that hashing, not syscalls,
/// sets the pace; small enough that memory stays flat whatever the artifact size.
const READ_CHUNK: usize = 256 * 1024;

/// Feed `reader` to `update` in chunks until EOF.
fn stream(mut reader: impl Read, mut update: impl FnMut(&[u8])) -> std::io::Result<()> {
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => update(buf.get(..n).ok_or_else(|| {
                std::io::Error::other("the reader returned more bytes than it was asked for")
            })?),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The artifact, reduced to what verification needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Artifact {
    /// Digests of the full artifact bytes under SHA-256, SHA-384 and SHA-512.
    Digests(ArtifactDigests),
    /// A single precomputed digest (e.g. `sha256:<hex>` from the command line).
    Digest(HashAlg, Vec<u8>),
}

impl Artifact {
    /// Hash in-memory artifact bytes.
    pub fn from_bytes(data: &[u8]) -> Artifact {
        Artifact::Digests(ArtifactDigests::of(data))
    }

    /// Hash an artifact read from `reader` in chunks, so memory stays flat.
    pub fn from_reader(reader: impl Read) -> std::io::Result<Artifact> {
        let mut h = MultiHasher::new();
        stream(reader, |chunk| h.update(chunk))?;
        Ok(Artifact::Digests(h.finish()))
    }

    /// Like [`Artifact::from_reader`], but hashing only under SHA-256 and whichever
    /// of SHA-384 / SHA-512 `algs` lists: on a large artifact each algorithm costs a
    /// full pass of hashing, and a bundle needs one or two of them
    /// ([`Artifact::hashes_needed`]). Digests not computed read as absent.
    pub fn from_reader_with(reader: impl Read, algs: &[HashAlg]) -> std::io::Result<Artifact> {
        let mut sha256 = crate::crypto::Sha256Hasher::new();
        let mut sha384 = algs.contains(&HashAlg::Sha384).then(sha2::Sha384::new);
        let mut sha512 = algs.contains(&HashAlg::Sha512).then(sha2::Sha512::new);
        stream(reader, |chunk| {
            sha256.update(chunk);
            if let Some(h) = &mut sha384 {
                h.update(chunk);
            }
            if let Some(h) = &mut sha512 {
                h.update(chunk);
            }
        })?;
        Ok(Artifact::Digests(ArtifactDigests {
            sha256: sha256.finish(),
            sha384: sha384.map_or_else(Vec::new, |h| h.finalize().to_vec()),
            sha512: sha512.map_or_else(Vec::new, |h| h.finalize().to_vec()),
        }))
    }

    /// The digest algorithms verifying `bundle` can consult, for
    /// [`Artifact::from_reader_with`]: a message signature needs its messageDigest
    /// algorithm and the signing key's hash (plus SHA-256 for the legacy form of a
    /// P-384/P-521 signature); a DSSE envelope needs the algorithms its in-toto
    /// subjects use. When that cannot be told from the bundle alone (a managed key,
    /// an unreadable certificate or statement), every algorithm.
    pub fn hashes_needed(bundle: &Bundle) -> Vec<HashAlg> {
        const ALL: [HashAlg; 3] = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512];
        let mut out = vec![HashAlg::Sha256];
        let mut add = |h: HashAlg| {
            if !out.contains(&h) {
                out.push(h);
            }
        };
        match &bundle.content {
            Content::MessageSignature(m) => {
                add(m.digest_algorithm);
                // Only the leaf's key type: the DER walked to its SPKI, not the
                // whole certificate decoded (verification does that).
                let key = match &bundle.material {
                    SigningMaterial::Certificate { leaf, .. } => {
                        crate::certificate::RawCert::split(leaf)
                            .and_then(|c| KeyType::of_spki_der(c.spki).ok())
                    }
                    SigningMaterial::PublicKey { .. } => None,
                };
                match key {
                    // Ed25519's natural hash is SHA-512: Ed25519ph.
                    Some(k) => add(k.natural_hash()),
                    None => ALL.into_iter().for_each(add),
                }
            }
            Content::Dsse(env) => {
                // The verifier's own statement parser, with its caps on nesting,
                // subjects and digests: this runs before any signature is
                // checked, so the payload must not become a whole JSON tree.
                let algs = crate::signature::dsse::parse_statement(&env.payload)
                    .ok()
                    .map(|statement| {
                        statement
                            .subjects
                            .iter()
                            .flat_map(|s| &s.digests)
                            .filter_map(|(alg, _)| HashAlg::from_short_name(alg))
                            .collect::<Vec<_>>()
                    })
                    .filter(|a| !a.is_empty());
                match algs {
                    Some(algs) => algs.into_iter().for_each(add),
                    None => ALL.into_iter().for_each(add),
                }
            }
        }
        out
    }

    /// A precomputed digest; its length must fit the algorithm.
    pub fn from_digest(alg: HashAlg, digest: &[u8]) -> Result<Artifact> {
        if digest.len() != alg.output_len() {
            return Err(err!(
                PolicyMisuse,
                "a {} digest must be {} bytes, got {}",
                alg.short_name(),
                alg.output_len(),
                digest.len()
            ));
        }
        Ok(Artifact::Digest(alg, digest.to_vec()))
    }

    /// Parse `sha256:<64 hex>` (also `sha384:`/`sha512:`).
    pub fn parse_digest(s: &str) -> Result<Artifact> {
        let (alg, hex) = s
            .split_once(':')
            .ok_or_else(|| err!(PolicyMisuse, "digest {s:?} is not of the form sha256:<hex>"))?;
        let alg = HashAlg::from_short_name(alg)
            .ok_or_else(|| err!(PolicyMisuse, "unsupported digest algorithm {alg:?}"))?;
        let bytes = crate::encoding::hex_decode(hex)
            .map_err(|e| err!(PolicyMisuse, "digest {s:?}: {e}"))?;
        Self::from_digest(alg, &bytes)
    }

    /// The artifact's digest under `alg`, if known.
    pub fn digest(&self, alg: HashAlg) -> Option<&[u8]> {
        match self {
            // An empty digest was not computed (see `from_reader_with`).
            Artifact::Digests(d) => Some(d.get(alg)).filter(|d| !d.is_empty()),
            Artifact::Digest(a, d) => (*a == alg).then_some(d.as_slice()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn digest_forms() {
        let a = Artifact::from_bytes(b"abc");
        let hex = crate::encoding::hex_encode(a.digest(HashAlg::Sha256).unwrap());
        let d = Artifact::parse_digest(&format!("sha256:{hex}")).unwrap();
        assert_eq!(d.digest(HashAlg::Sha256), a.digest(HashAlg::Sha256));
        assert_eq!(d.digest(HashAlg::Sha512), None);
        assert_eq!(Artifact::from_reader(&b"abc"[..]).unwrap(), a);
        let only256 = Artifact::from_reader_with(&b"abc"[..], &[]).unwrap();
        assert_eq!(only256.digest(HashAlg::Sha256), a.digest(HashAlg::Sha256));
        assert_eq!(only256.digest(HashAlg::Sha384), None);
        assert_eq!(only256.digest(HashAlg::Sha512), None);
        let all = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512];
        assert_eq!(Artifact::from_reader_with(&b"abc"[..], &all).unwrap(), a);
        for bad in ["sha256:abc", "md5:00", "sha256", "sha256:zz"] {
            assert_eq!(
                Artifact::parse_digest(bad).unwrap_err().kind(),
                ErrorKind::PolicyMisuse,
                "{bad}"
            );
        }
    }

    #[test]
    fn hashes_needed_follow_the_bundle() {
        let read = |c: &str| {
            std::fs::read(format!(
                "{}/../test-vectors/conformance/{c}/bundle.sigstore.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        };
        // P-256 Fulcio leaf, SHA2_256 messageDigest: SHA-256 alone.
        let b = Bundle::from_json(&read("happy-path-v0.3")).unwrap();
        assert_eq!(Artifact::hashes_needed(&b), vec![HashAlg::Sha256]);
        // DSSE with sha256 subjects.
        let mut b = Bundle::from_json(&read("happy-path-intoto-in-dsse-v3")).unwrap();
        assert_eq!(Artifact::hashes_needed(&b), vec![HashAlg::Sha256]);
        // Subjects with sha512 digests; an unreadable statement: every algorithm.
        let Content::Dsse(env) = &mut b.content else {
            unreachable!("a DSSE case")
        };
        env.payload = br#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"p",
            "subject":[{"digest":{"sha512":"00"}}]}"#
            .to_vec();
        assert_eq!(
            Artifact::hashes_needed(&b),
            vec![HashAlg::Sha256, HashAlg::Sha512]
        );
        let Content::Dsse(env) = &mut b.content else {
            unreachable!("a DSSE case")
        };
        env.payload = br#"{"subject":[{"digest":{"sha512":"00"}}]}"#.to_vec();
        assert_eq!(Artifact::hashes_needed(&b).len(), 3);
        // Managed key: the key type is unknown, so every algorithm.
        let b = Bundle::from_json(&read("managed-key-happy-path")).unwrap();
        assert_eq!(Artifact::hashes_needed(&b).len(), 3);
        // A P-384 key in the leaf position (the production intermediate's
        // certificate): its natural hash too.
        let mut b = Bundle::from_json(&read("happy-path-v0.3")).unwrap();
        let root = crate::TrustedRoot::production().unwrap();
        let p384 = root
            .certificate_authorities
            .iter()
            .find_map(|ca| ca.cert_chain.first().filter(|_| ca.cert_chain.len() > 1))
            .unwrap()
            .clone();
        fn leaf(b: &mut Bundle) -> &mut Vec<u8> {
            match &mut b.material {
                SigningMaterial::Certificate { leaf, .. } => leaf,
                SigningMaterial::PublicKey { .. } => unreachable!("keyless case"),
            }
        }
        *leaf(&mut b) = p384;
        assert_eq!(
            Artifact::hashes_needed(&b),
            vec![HashAlg::Sha256, HashAlg::Sha384]
        );
        // An Ed25519 key (a self-signed certificate made with `openssl req -x509`
        // for this test): Ed25519ph needs the SHA-512 digest.
        const ED25519_CERT: &str = "MIIBRjCB+aADAgECAhQIXw5idrTyx/4QTaLej2O4qGx4TTAFBgMrZXAwGTEXMBUGA1UEAwwOc2lndmVyaWZ5IHRlc3QwHhcNMjYxMTI5MTczNTI5WhcNMjYxMTMwMTczNTI5WjAZMRcwFQYDVQQDDA5zaWd2ZXJpZnkgdGVzdDAqMAUGAytlcAMhACsrLSqRj/wQ2EJ2BrYI6hf1UT7WF41bTpbtUn3OXwSYo1MwUTAdBgNVHQ4EFgQUmfAfG9us7rnPg5EnuhGfQmt4JT4wHwYDVR0jBBgwFoAUmfAfG9us7rnPg5EnuhGfQmt4JT4wDwYDVR0TAQH/BAUwAwEB/zAFBgMrZXADQQDggYsMRGhseOluyGrIhL4cwdeh/NYlEOpU5EMny6KZ/C8LIQKlbTWXkaOf/iMz2DzliDW7sbe0w36ygz3Ue2sC";
        *leaf(&mut b) = crate::encoding::b64_decode(ED25519_CERT).unwrap();
        assert_eq!(
            Artifact::hashes_needed(&b),
            vec![HashAlg::Sha256, HashAlg::Sha512]
        );
        // An unreadable leaf: every algorithm.
        *leaf(&mut b) = vec![0x30, 0x03, 0x02, 0x01, 0x01];
        assert_eq!(Artifact::hashes_needed(&b).len(), 3);
        // And the reduced artifact verifies like the full one.
        let artifact_bytes = std::fs::read(format!(
            "{}/../test-vectors/conformance/a.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let b = Bundle::from_json(&read("happy-path-v0.3")).unwrap();
        let reduced =
            Artifact::from_reader_with(&artifact_bytes[..], &Artifact::hashes_needed(&b)).unwrap();
        let v = crate::Verifier::production().unwrap();
        let policy = crate::Policy::identity(
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
            "https://token.actions.githubusercontent.com",
        );
        v.verify(&b, &reduced, &policy).unwrap();
        // A digest that was not computed is absent, not a mismatch.
        assert_eq!(reduced.digest(HashAlg::Sha512), None);
    }
}
