//! DSSE envelope verification (SPEC §11.3): the signature over the
//! pre-authentication encoding, then the in-toto subject binding.

use crate::artifact::Artifact;
use crate::bundle::DsseEnvelope;
use crate::crypto::{CryptoError, HashAlg, KeyType, PublicKey, Scheme};
use crate::error::{Result, err};
use crate::json::LIMIT_MARKER;
use crate::signature::message::hash_label;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The only DSSE payload type that can be bound to an artifact.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// in-toto Statement `_type` values accepted.
pub const STATEMENT_TYPES: [&str; 2] = [
    "https://in-toto.io/Statement/v1",
    "https://in-toto.io/Statement/v0.1",
];
/// Most subjects accepted in one statement (SPEC §2.1).
pub const MAX_SUBJECTS: usize = 1024;
/// Most digests accepted per subject (SPEC §2.1).
pub const MAX_SUBJECT_DIGESTS: usize = 32;
/// Deepest JSON nesting accepted in an in-toto statement (predicates nest freely).
pub const MAX_STATEMENT_DEPTH: usize = 64;

/// DSSE pre-authentication encoding (SPEC §11.3):
/// `"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload`, lengths in ASCII decimal.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let type_len = payload_type.len().to_string();
    let payload_len = payload.len().to_string();
    let mut out = Vec::with_capacity(
        10 + type_len.len() + payload_type.len() + payload_len.len() + payload.len(),
    );
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(type_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// What a verified in-toto statement says. Callers must check `predicate_type`
/// themselves; the predicate is not interpreted here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InTotoStatement {
    /// `_type`, one of [`STATEMENT_TYPES`].
    pub statement_type: String,
    /// `predicateType` as written.
    pub predicate_type: String,
    /// The subjects, in statement order.
    pub subjects: Vec<Subject>,
}

/// One in-toto subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// `name` (empty when absent); never compared during binding.
    pub name: String,
    /// `(algorithm name as written, hex digest as written)`, in statement order.
    pub digests: Vec<(String, String)>,
}

/// Verify a DSSE envelope with `key` and, when `artifact` is given, bind it.
///
/// The single signature must verify over [`pae`] with the key's natural scheme
/// (ECDSA with the curve's hash, pure Ed25519, RSA PKCS#1 v1.5 SHA-256); a
/// failing P-384/P-521 signature is retried with SHA-256 (legacy clients, SPEC §5).
/// Failure is [`ErrorKind::Signature`]. Nothing in the payload is read before this.
///
/// Then, for an in-toto payload, the statement is parsed: malformed JSON, a missing
/// `_type`/`subject`/`predicateType`/`digest`, an unknown `_type` or a duplicated
/// digest algorithm is [`ErrorKind::Parse`]; more than [`MAX_SUBJECTS`] subjects or
/// [`MAX_SUBJECT_DIGESTS`] digests in one subject is [`ErrorKind::Limit`].
///
/// With an artifact, the binding requires the in-toto payload type, a non-empty
/// subject list, and some subject digest under `sha256`/`sha384`/`sha512` equal to
/// the artifact's digest under that algorithm (in digest mode only the supplied
/// algorithm can match; digests that are not valid hex never match). Otherwise
/// [`ErrorKind::ArtifactMismatch`].
///
/// Returns the statement for an in-toto payload; `None` for any other payload type,
/// which is only possible when `artifact` is `None`.
///
/// [`ErrorKind::Signature`]: crate::ErrorKind::Signature
/// [`ErrorKind::Parse`]: crate::ErrorKind::Parse
/// [`ErrorKind::Limit`]: crate::ErrorKind::Limit
/// [`ErrorKind::ArtifactMismatch`]: crate::ErrorKind::ArtifactMismatch
pub fn verify_dsse(
    env: &DsseEnvelope,
    key: &PublicKey,
    artifact: Option<&Artifact>,
) -> Result<Option<InTotoStatement>> {
    verify_envelope_signature(env, key)?;
    bind(env, artifact)
}

fn verify_envelope_signature(env: &DsseEnvelope, key: &PublicKey) -> Result<()> {
    let key_type = key.key_type();
    let message = pae(&env.payload_type, &env.payload);
    let natural = Scheme::natural_for(key_type);
    match key.verify(natural, &message, &env.signature) {
        Ok(()) => Ok(()),
        Err(CryptoError::BadSignature)
            if matches!(key_type, KeyType::EcdsaP384 | KeyType::EcdsaP521) =>
        {
            key.verify(Scheme::Ecdsa(HashAlg::Sha256), &message, &env.signature)
                .map_err(|_| {
                    err!(
                        Signature,
                        "DSSE signature does not verify with the {} key over the envelope's PAE \
                         ({}, nor legacy SHA-256)",
                        key_type.name(),
                        hash_label(key_type.natural_hash())
                    )
                })
        }
        Err(e) => Err(err!(
            Signature,
            "DSSE signature with the {} key over the envelope's PAE: {e}",
            key_type.name()
        )),
    }
}

/// The post-signature half of [`verify_dsse`]: parse the statement and bind it.
pub(super) fn bind(
    env: &DsseEnvelope,
    artifact: Option<&Artifact>,
) -> Result<Option<InTotoStatement>> {
    if env.payload_type != IN_TOTO_PAYLOAD_TYPE {
        return match artifact {
            Some(_) => Err(err!(
                ArtifactMismatch,
                "DSSE payloadType {:?} cannot be bound to an artifact; only {IN_TOTO_PAYLOAD_TYPE:?} can",
                env.payload_type
            )),
            None => Ok(None),
        };
    }
    let statement = parse_statement(&env.payload)?;
    if let Some(artifact) = artifact {
        match_subject(&statement, artifact)?;
    }
    Ok(Some(statement))
}

/// SPEC §11.3 matching rule. Subject names are not compared.
fn match_subject(statement: &InTotoStatement, artifact: &Artifact) -> Result<()> {
    if statement.subjects.is_empty() {
        return Err(err!(
            ArtifactMismatch,
            "in-toto statement has an empty subject list; it cannot match the artifact"
        ));
    }
    let matched = statement.subjects.iter().any(|s| {
        s.digests.iter().any(|(alg, hex)| {
            // A digest of the wrong length (an `Artifact::Digest` built by hand)
            // matches nothing, not even an equally short subject digest.
            HashAlg::from_short_name(alg).is_some_and(|h| {
                artifact
                    .digest(h)
                    .is_some_and(|d| d.len() == h.output_len() && hex_equals(hex, d))
            })
        })
    });
    if matched {
        return Ok(());
    }
    Err(match artifact {
        Artifact::Digest(alg, _) => err!(
            ArtifactMismatch,
            "no in-toto subject has a {} digest equal to the supplied digest",
            alg.short_name()
        ),
        Artifact::Digests(_) => err!(
            ArtifactMismatch,
            "no in-toto subject has a sha256, sha384 or sha512 digest equal to the artifact's"
        ),
    })
}

/// Case-insensitive comparison of hex text with bytes, without allocating.
fn hex_equals(hex: &str, bytes: &[u8]) -> bool {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let hex = hex.as_bytes();
    hex.len() == bytes.len().saturating_mul(2)
        && hex.chunks_exact(2).zip(bytes).all(|(pair, &b)| match pair {
            [h, l] => matches!((nibble(*h), nibble(*l)), (Some(h), Some(l)) if h << 4 | l == b),
            _ => false,
        })
}

/// Parse an in-toto Statement from the DSSE payload, within the statement caps.
pub(crate) fn parse_statement(payload: &[u8]) -> Result<InTotoStatement> {
    if !crate::json::depth_within(payload, MAX_STATEMENT_DEPTH) {
        return Err(err!(
            Limit,
            "in-toto statement nests deeper than {MAX_STATEMENT_DEPTH} levels"
        ));
    }
    // Objects only: serde's derive would also read a statement from a JSON array.
    let mut de = serde_json::Deserializer::from_slice(payload);
    let raw =
        crate::json::object::<_, RawStatement>(&mut de).and_then(|raw| de.end().map(|()| raw));
    let raw = raw.map_err(|e| {
        let msg = e.to_string();
        match msg.strip_prefix(LIMIT_MARKER) {
            Some(rest) => err!(Limit, "in-toto statement: {rest}"),
            None => err!(
                Parse,
                "DSSE payload is not a valid in-toto statement: {msg}"
            ),
        }
    })?;
    if !STATEMENT_TYPES.contains(&raw.statement_type.as_str()) {
        return Err(err!(
            Parse,
            "in-toto statement _type {:?} is not a supported Statement type (v1 or v0.1)",
            raw.statement_type
        ));
    }
    Ok(InTotoStatement {
        statement_type: raw.statement_type,
        predicate_type: raw.predicate_type,
        subjects: raw.subject.0,
    })
}

/// Unknown members (`predicate`, v1 descriptor fields) are ignored; duplicate
/// members are rejected by serde.
#[derive(Deserialize)]
struct RawStatement {
    #[serde(rename = "_type")]
    statement_type: String,
    subject: Subjects,
    #[serde(rename = "predicateType")]
    predicate_type: String,
}

#[derive(Deserialize)]
struct RawSubject {
    #[serde(default)]
    name: Option<String>,
    digest: DigestSet,
}

/// A subject list that stops reading past [`MAX_SUBJECTS`].
struct Subjects(Vec<Subject>);

impl<'de> Deserialize<'de> for Subjects {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Subjects;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of subjects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Subjects, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(1).min(16));
                while out.len() < MAX_SUBJECTS {
                    match seq.next_element::<crate::json::Obj<RawSubject>>()? {
                        Some(crate::json::Obj(s)) => out.push(Subject {
                            name: s.name.unwrap_or_default(),
                            digests: s.digest.0,
                        }),
                        None => return Ok(Subjects(out)),
                    }
                }
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom(format!(
                        "{LIMIT_MARKER}more than {MAX_SUBJECTS} subjects"
                    )));
                }
                Ok(Subjects(out))
            }
        }
        d.deserialize_seq(V)
    }
}

/// A subject's `digest` map, in order, capped at [`MAX_SUBJECT_DIGESTS`];
/// a repeated algorithm is an error rather than a silent overwrite.
struct DigestSet(Vec<(String, String)>);

impl<'de> Deserialize<'de> for DigestSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DigestSet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of digest algorithm to hex digest")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DigestSet, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some(alg) = map.next_key::<String>()? {
                    if out.len() >= MAX_SUBJECT_DIGESTS {
                        return Err(de::Error::custom(format!(
                            "{LIMIT_MARKER}a subject has more than {MAX_SUBJECT_DIGESTS} digests"
                        )));
                    }
                    if out.iter().any(|(a, _)| *a == alg) {
                        return Err(de::Error::custom(format!(
                            "subject digest algorithm {alg:?} appears twice"
                        )));
                    }
                    let hex = map.next_value::<String>()?;
                    out.push((alg, hex));
                }
                Ok(DigestSet(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(digests: &[(&str, &str)]) -> InTotoStatement {
        InTotoStatement {
            statement_type: STATEMENT_TYPES[0].into(),
            predicate_type: "p".into(),
            subjects: vec![Subject {
                name: String::new(),
                digests: digests
                    .iter()
                    .map(|(a, h)| (a.to_string(), h.to_string()))
                    .collect(),
            }],
        }
    }

    /// A digest of the wrong length never matches, even an equally short
    /// subject digest (an empty `Artifact::Digest` against `"sha256": ""`).
    #[test]
    fn digests_of_the_wrong_length_match_nothing() {
        let empty = Artifact::Digest(HashAlg::Sha256, Vec::new());
        let e = match_subject(&statement(&[("sha256", "")]), &empty).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::ArtifactMismatch);
        let short = Artifact::Digest(HashAlg::Sha256, vec![0xab]);
        assert!(match_subject(&statement(&[("sha256", "ab")]), &short).is_err());
        // The right length still matches, in either case of hex.
        let full = Artifact::Digest(HashAlg::Sha256, vec![0xab; 32]);
        assert!(match_subject(&statement(&[("sha256", &"AB".repeat(32))]), &full).is_ok());
    }
}
