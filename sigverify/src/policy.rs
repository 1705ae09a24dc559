//! The caller's policy (SPEC §12, §11.5): who must have signed.
//!
//! Identities are matched exactly by default; regular expressions are always
//! anchored to the whole value, so `@example\.com` can never match
//! `mallory@example.com.attacker.net` (SPEC §15.8).

use crate::certificate::{LeafCertificate, SubjectAltName};
use crate::crypto::PublicKey;
use crate::error::{Result, err};
use crate::time::TimeRange;

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
        // It would match only an empty value: an unset variable, not a policy.
        if pattern.is_empty() {
            return Err(err!(PolicyMisuse, "empty regular expression"));
        }
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

/// A Fulcio claim the certificate must carry (SPEC §12.2): extension `oid`
/// (under 1.3.6.1.4.1.57264.1), decoded as SPEC §12.3, must be present and match.
#[derive(Clone, Debug)]
pub struct ExtensionMatcher {
    /// Dotted OID, e.g. `1.3.6.1.4.1.57264.1.12` (Source Repository URI).
    pub oid: String,
    /// Matches the extension's decoded value.
    pub value: Matcher,
}

/// One acceptable signer: a certificate identity (SAN) and OIDC issuer, and
/// optionally Fulcio claims (all must match).
#[derive(Clone, Debug)]
pub struct Identity {
    /// Matches the certificate's Subject Alternative Name (URI, email or username).
    pub san: Matcher,
    /// Matches the OIDC issuer recorded by Fulcio.
    pub issuer: Matcher,
    /// Fulcio claims that must also match, e.g. the source repository.
    pub extensions: Vec<ExtensionMatcher>,
}

impl Identity {
    /// Exact identity and issuer, as `sigstore verify identity` and conformance use.
    pub fn exact(san: impl Into<String>, issuer: impl Into<String>) -> Identity {
        Identity::new(Matcher::exact(san), Matcher::exact(issuer))
    }

    /// An identity from a SAN and an issuer matcher, with no claim required.
    pub fn new(san: Matcher, issuer: Matcher) -> Identity {
        Identity {
            san,
            issuer,
            extensions: Vec::new(),
        }
    }

    /// Also require the Fulcio claim `oid_or_name` to match `value`.
    /// `oid_or_name` is an OID under 1.3.6.1.4.1.57264.1 or a claim name of
    /// SPEC §12.3, spaces and case ignored (`SourceRepositoryURI`,
    /// `Source Repository Ref`, `BuildSignerURI`; `Issuer` is the V2 issuer).
    /// Anything else is [`ErrorKind::PolicyMisuse`](crate::ErrorKind::PolicyMisuse).
    pub fn require_extension(mut self, oid_or_name: &str, value: Matcher) -> Result<Identity> {
        if matches!(&value, Matcher::Exact(v) if v.is_empty()) {
            return Err(err!(
                PolicyMisuse,
                "the required value of claim {:?} is empty",
                crate::error::excerpt(oid_or_name)
            ));
        }
        let oid = crate::certificate::fulcio_extension_oid(oid_or_name).ok_or_else(|| {
            err!(
                PolicyMisuse,
                "{:?} is neither a Fulcio extension OID (1.3.6.1.4.1.57264.1.N) nor a Fulcio claim name",
                crate::error::excerpt(oid_or_name)
            )
        })?;
        self.extensions.push(ExtensionMatcher { oid, value });
        Ok(self)
    }

    /// The index of the first SAN this identity accepts, when the issuer matches too.
    fn matching_san(&self, leaf: &LeafCertificate) -> Option<usize> {
        let issuer_ok = leaf
            .issuer
            .as_deref()
            .is_some_and(|i| self.issuer.matches(i));
        if !issuer_ok {
            return None;
        }
        let claims_ok = self.extensions.iter().all(|want| {
            leaf.extensions
                .iter()
                .find(|e| e.oid == want.oid)
                .is_some_and(|e| want.value.matches(&e.value))
        });
        if !claims_ok {
            return None;
        }
        leaf.sans
            .iter()
            .position(|san| self.san.matches(san_value(san)))
    }
}

pub(crate) fn san_value(san: &SubjectAltName) -> &str {
    match san {
        SubjectAltName::Uri(s) | SubjectAltName::Email(s) | SubjectAltName::OtherName(s) => s,
    }
}

/// Who must have signed.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Policy {
    /// Keyless: any one of these identities (never empty).
    Identities(Vec<Identity>),
    /// Managed keys: the bundle must be signed by one of these caller-trusted
    /// keys (never empty; several, say, across a key rotation). SPEC §11.5: a
    /// bundle whose public key hint is a key fingerprint is checked against the
    /// key it names only; otherwise each key is tried in turn.
    PublicKeys(Vec<ManagedKey>),
}

/// A caller-trusted signing key, optionally trusted only for signatures made
/// within a window of time (a rotated or revoked key).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ManagedKey {
    /// The key.
    pub key: PublicKey,
    /// When set, every verified time of a bundle (signed entry timestamps,
    /// RFC 3161 timestamps) must lie inside, and a bundle needs at least one.
    pub valid_for: Option<TimeRange>,
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
        Ok(Policy::PublicKeys(vec![ManagedKey {
            key,
            valid_for: None,
        }]))
    }

    /// Any one of the keys of several managed-key policies (a keyring, e.g. the
    /// old and the new key across a rotation, each with its own window from
    /// [`Policy::key_valid_for`]). An empty list or an identity policy is
    /// [`ErrorKind::PolicyMisuse`](crate::ErrorKind::PolicyMisuse).
    pub fn any_key(policies: Vec<Policy>) -> Result<Policy> {
        let mut keys = Vec::new();
        for p in policies {
            match p {
                Policy::PublicKeys(k) => keys.extend(k),
                Policy::Identities(_) => {
                    return Err(err!(
                        PolicyMisuse,
                        "a keyring holds managed-key policies only, not identities"
                    ));
                }
            }
        }
        if keys.is_empty() {
            return Err(err!(
                PolicyMisuse,
                "a keyring needs at least one key; it must never mean \"any key\""
            ));
        }
        Ok(Policy::PublicKeys(keys))
    }

    /// This managed-key policy, with its key trusted only for signatures made
    /// inside `window` (both ends inclusive): each of a bundle's verified times
    /// must lie inside, and a bundle with no verified time (say, a Rekor v2 entry
    /// without an RFC 3161 timestamp) is refused, since nothing then shows when
    /// it was signed (SPEC §8.2 rule 5). A key that already has a window keeps
    /// the overlap of the two, so a window never widens trust (an empty overlap
    /// trusts the key at no time); on a keyring this applies to every key
    /// (window keys one by one before [`Policy::any_key`] to give them their own).
    ///
    /// An identity policy, or a window that ends before it starts, is
    /// [`ErrorKind::PolicyMisuse`](crate::ErrorKind::PolicyMisuse).
    pub fn key_valid_for(self, window: TimeRange) -> Result<Policy> {
        if let Some(end) = window.end
            && end < window.start
        {
            return Err(err!(
                PolicyMisuse,
                "the key's validity window ends ({end}) before it starts ({})",
                window.start
            ));
        }
        match self {
            Policy::PublicKeys(mut keys) => {
                for k in &mut keys {
                    k.valid_for = Some(match k.valid_for {
                        None => window,
                        Some(earlier) => TimeRange {
                            start: earlier.start.max(window.start),
                            end: match (earlier.end, window.end) {
                                (Some(a), Some(b)) => Some(a.min(b)),
                                (a, b) => a.or(b),
                            },
                        },
                    });
                }
                Ok(Policy::PublicKeys(keys))
            }
            Policy::Identities(_) => Err(err!(
                PolicyMisuse,
                "a validity window applies to a managed key, not to an identity policy"
            )),
        }
    }

    /// Check a verified leaf against the identities; returns the index of the one
    /// that matched and of the SAN it accepted.
    pub(crate) fn check_identity(&self, leaf: &LeafCertificate) -> Result<(usize, usize)> {
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
        // An empty expected SAN or issuer is an unset configuration value, not a
        // policy (`Matcher::exact` cannot refuse it, so every front door's is
        // refused here).
        let empty = |m: &Matcher| matches!(m, Matcher::Exact(s) if s.is_empty());
        if let Some(i) = ids
            .iter()
            .position(|id| empty(&id.san) || empty(&id.issuer))
        {
            return Err(err!(
                PolicyMisuse,
                "identity {i} expects an empty SAN or issuer"
            ));
        }
        if let Some(found) = ids
            .iter()
            .enumerate()
            .find_map(|(i, id)| id.matching_san(leaf).map(|san| (i, san)))
        {
            return Ok(found);
        }
        let sans: Vec<&str> = leaf.sans.iter().map(san_value).collect();
        let claim = |oid: &str| {
            leaf.extensions
                .iter()
                .find(|e| e.oid == oid)
                .map_or("(absent)".to_string(), |e| format!("{:?}", e.value))
        };
        let wanted: Vec<String> = ids
            .iter()
            .map(|id| {
                let mut w = format!("{} from {}", id.san.describe(), id.issuer.describe());
                for m in &id.extensions {
                    w.push_str(&format!(
                        " with {} {} (certificate: {})",
                        m.oid,
                        m.value.describe(),
                        claim(&m.oid)
                    ));
                }
                w
            })
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
