//! The caller's policy (SPEC §12, §11.5): who must have signed.
//!
//! Identities are matched exactly by default; regular expressions are always
//! anchored to the whole value, so `@example\.com` can never match
//! `mallory@example.com.attacker.net` (SPEC §15.8).

use crate::certificate::{LeafCertificate, SubjectAltName};
use crate::crypto::PublicKey;
use crate::error::{Result, err};

/// Longest regular expression accepted, in bytes (bounds compile time and memory).
pub const MAX_REGEX_LEN: usize = 4096;

/// Largest managed public key accepted, PEM or DER, in bytes. An RSA-8192 key is
/// about 1.5 KB of PEM; the cap bounds what a key file or buffer can make the
/// parser allocate.
pub const MAX_PUBLIC_KEY_BYTES: usize = 64 * 1024;

/// Whether a managed key of `len` bytes is within [`MAX_PUBLIC_KEY_BYTES`]: the
/// check [`Policy::public_key`] makes first, for callers that know the size
/// before they copy the bytes. Over it: [`ErrorKind::Limit`](crate::ErrorKind::Limit).
pub fn check_public_key_len(len: usize) -> Result<()> {
    crate::error::check_size("public key", len, MAX_PUBLIC_KEY_BYTES)
}

/// How one string is matched.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// Byte-for-byte equality.
    Exact(String),
    /// A regular expression that must match the whole value.
    Regex(regex::Regex),
}

impl Matcher {
    /// An exact matcher.
    pub fn exact(s: impl Into<String>) -> Matcher {
        Matcher::Exact(s.into())
    }

    /// A full-match regular expression (RE2-like syntax of the `regex` crate).
    pub fn regex(pattern: &str) -> Result<Matcher> {
        if pattern.len() > MAX_REGEX_LEN {
            return Err(err!(
                PolicyMisuse,
                "regular expression longer than {MAX_REGEX_LEN} bytes"
            ));
        }
        let build = |p: &str| {
            regex::RegexBuilder::new(p)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| err!(PolicyMisuse, "invalid regular expression {pattern:?}: {e}"))
        };
        // The pattern must be a whole regular expression by itself before it is
        // anchored: `a)|(b` is not one, yet `^(?:a)|(b)$` would compile and match
        // anything that starts with `a`.
        build(pattern)?;
        build(&format!("^(?:{pattern})$")).map(Matcher::Regex)
    }

    /// Whether `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Exact(s) => s == value,
            Matcher::Regex(r) => r.is_match(value),
        }
    }

    fn describe(&self) -> String {
        match self {
            Matcher::Exact(s) => format!("{s:?}"),
            Matcher::Regex(r) => {
                let p = r.as_str();
                let inner = p
                    .strip_prefix("^(?:")
                    .and_then(|p| p.strip_suffix(")$"))
                    .unwrap_or(p);
                format!("/{inner}/")
            }
        }
    }
}

/// One acceptable signer: a certificate identity (SAN) and OIDC issuer.
#[derive(Clone, Debug)]
pub struct Identity {
    /// Matches the certificate's Subject Alternative Name (URI, email or username).
    pub san: Matcher,
    /// Matches the OIDC issuer recorded by Fulcio.
    pub issuer: Matcher,
}

impl Identity {
    /// Exact identity and issuer, as `sigstore verify identity` and conformance use.
    pub fn exact(san: impl Into<String>, issuer: impl Into<String>) -> Identity {
        Identity {
            san: Matcher::exact(san),
            issuer: Matcher::exact(issuer),
        }
    }

    fn matches(&self, leaf: &LeafCertificate) -> bool {
        let issuer_ok = leaf
            .issuer
            .as_deref()
            .is_some_and(|i| self.issuer.matches(i));
        issuer_ok && leaf.sans.iter().any(|san| self.san.matches(san_value(san)))
    }
}

pub(crate) fn san_value(san: &SubjectAltName) -> &str {
    match san {
        SubjectAltName::Uri(s) | SubjectAltName::Email(s) | SubjectAltName::OtherName(s) => s,
    }
}

/// Who must have signed.
#[derive(Debug)]
pub enum Policy {
    /// Keyless: any one of these identities (never empty).
    Identities(Vec<Identity>),
    /// Managed key: the bundle must be signed by this caller-trusted key.
    PublicKey(Box<PublicKey>),
}

impl Policy {
    /// A single exact identity.
    pub fn identity(san: impl Into<String>, issuer: impl Into<String>) -> Policy {
        Policy::Identities(vec![Identity::exact(san, issuer)])
    }

    /// Any one of several identities. An empty list is refused: it must never mean "anyone".
    pub fn any_of(identities: Vec<Identity>) -> Result<Policy> {
        if identities.is_empty() {
            return Err(err!(
                PolicyMisuse,
                "an identity policy needs at least one identity"
            ));
        }
        Ok(Policy::Identities(identities))
    }

    /// A managed key from PEM (`PUBLIC KEY`) or DER SubjectPublicKeyInfo bytes, at
    /// most [`MAX_PUBLIC_KEY_BYTES`].
    pub fn public_key(pem_or_der: &[u8]) -> Result<Policy> {
        check_public_key_len(pem_or_der.len())?;
        let key =
            if pem_or_der.starts_with(b"-----") || pem_or_der.windows(5).any(|w| w == b"-----") {
                PublicKey::from_pem(pem_or_der)
            } else {
                PublicKey::from_spki_der(pem_or_der)
            }
            .map_err(|e| err!(PolicyMisuse, "the supplied public key is unusable: {e}"))?;
        Ok(Policy::PublicKey(Box::new(key)))
    }

    /// Check a verified leaf against the identities; returns the index of the one that matched.
    pub(crate) fn check_identity(&self, leaf: &LeafCertificate) -> Result<usize> {
        let Policy::Identities(ids) = self else {
            return Err(err!(
                PolicyMisuse,
                "a certificate bundle needs an identity policy"
            ));
        };
        if ids.is_empty() {
            return Err(err!(
                PolicyMisuse,
                "an identity policy needs at least one identity"
            ));
        }
        if let Some(i) = ids.iter().position(|id| id.matches(leaf)) {
            return Ok(i);
        }
        let sans: Vec<&str> = leaf.sans.iter().map(san_value).collect();
        let wanted: Vec<String> = ids
            .iter()
            .map(|id| format!("{} from {}", id.san.describe(), id.issuer.describe()))
            .collect();
        Err(err!(
            Identity,
            "certificate identity {:?} from issuer {:?} does not match the expected {}",
            sans.join(", "),
            leaf.issuer.as_deref().unwrap_or("(none)"),
            wanted.join(" or ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_are_anchored() {
        let m = Matcher::regex(r".*@example\.com").unwrap();
        assert!(m.matches("alice@example.com"));
        assert!(!m.matches("mallory@example.com.attacker.net"));
        let alt = Matcher::regex("a|b").unwrap();
        assert!(alt.matches("a") && alt.matches("b") && !alt.matches("ab"));
        assert_eq!(
            Matcher::regex("(").unwrap_err().kind(),
            crate::ErrorKind::PolicyMisuse
        );
        // A pattern that only parses once wrapped cannot escape the anchors.
        for escape in ["https://a)|(x", "a)|(", ")|(.*"] {
            let e = Matcher::regex(escape).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::PolicyMisuse, "{escape}");
            assert!(e.to_string().contains("invalid regular expression"), "{e}");
        }
        // A verbose-mode comment would swallow the closing anchor: refused too.
        assert!(Matcher::regex("(?x)a#").is_err());
        assert_eq!(
            Matcher::regex(&"a".repeat(MAX_REGEX_LEN + 1))
                .unwrap_err()
                .kind(),
            crate::ErrorKind::PolicyMisuse
        );
    }

    #[test]
    fn exact_is_exact() {
        let m = Matcher::exact("https://x");
        assert!(m.matches("https://x"));
        assert!(!m.matches("https://x/"));
        assert!(!m.matches("HTTPS://x"));
    }

    #[test]
    fn empty_identity_list_is_refused() {
        assert_eq!(
            Policy::any_of(vec![]).unwrap_err().kind(),
            crate::ErrorKind::PolicyMisuse
        );
    }

    #[test]
    fn oversized_key_is_a_limit_error() {
        // Over the cap: refused before parsing, whatever the bytes.
        let e = Policy::public_key(&vec![b'A'; MAX_PUBLIC_KEY_BYTES + 1]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Limit);
        assert!(e.message().contains("65537 bytes"), "{e}");
        assert_eq!(check_public_key_len(MAX_PUBLIC_KEY_BYTES), Ok(()));
        // At the cap: parsed (and refused as a key, not for its size).
        let e = Policy::public_key(&vec![b'A'; MAX_PUBLIC_KEY_BYTES]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::PolicyMisuse);
    }

    #[test]
    fn bad_key_is_refused() {
        assert_eq!(
            Policy::public_key(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                .unwrap_err()
                .kind(),
            crate::ErrorKind::PolicyMisuse
        );
        assert_eq!(
            Policy::public_key(b"\x30\x00").unwrap_err().kind(),
            crate::ErrorKind::PolicyMisuse
        );
    }
}
