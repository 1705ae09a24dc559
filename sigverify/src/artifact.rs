//! What the caller says was signed: the artifact's digests (hashed once, under
//! every supported algorithm) or one precomputed digest.

use crate::crypto::{ArtifactDigests, HashAlg, MultiHasher};
use crate::error::{Result, err};
use std::io::Read;

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
    pub fn from_reader(mut reader: impl Read) -> std::io::Result<Artifact> {
        let mut h = MultiHasher::new();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => h.update(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(Artifact::Digests(h.finish()))
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
            Artifact::Digests(d) => Some(d.get(alg)),
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
        for bad in ["sha256:abc", "md5:00", "sha256", "sha256:zz"] {
            assert_eq!(
                Artifact::parse_digest(bad).unwrap_err().kind(),
                ErrorKind::PolicyMisuse,
                "{bad}"
            );
        }
    }
}
