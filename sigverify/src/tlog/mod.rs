//! Transparency-log entry verification (SPEC §6).
//!
//! Per entry: check the kind is supported, find the entry's log by exact log
//! ID, require a SET or an inclusion proof (Rekor v2: a proof), check the body
//! describes this bundle (Rekor v2: rebuild it), verify the SET (Rekor v1), and
//! verify the inclusion proof against a checkpoint signed by the log.
//!
//! Error kinds: body mismatch → `TlogBodyMismatch`; SET signature or SET time
//! outside the log key's `validFor` → `Set`; Merkle proof failure or a Rekor v2
//! `inclusionProof.logIndex` ≠ `logIndex` → `InclusionProof`; a malformed
//! checkpoint, no matching signature line, a matching line that fails, **or a
//! checkpoint whose signed size/root differs from the proof's** → `Checkpoint`
//! (the signed note is what fails to vouch for the proof); no SET and no proof
//! (Rekor v2: no proof) → `Tlog`; unsupported kind → `UnsupportedVersion`.

pub mod body;
pub mod checkpoint;
pub mod merkle;
pub mod set;

use crate::bundle::{Bundle, LogBody, TlogEntry};
use crate::crypto::PublicKey;
use crate::error::{Result, err};
use crate::time::Timestamp;
use crate::trust_root::TransparencyLog;

/// Who signed, as the log body must name it.
#[derive(Clone, Copy, Debug)]
pub enum Signer<'a> {
    /// Keyless: leaf certificate DER and its parsed public key.
    Certificate {
        /// Leaf certificate DER.
        leaf_der: &'a [u8],
        /// The leaf's public key.
        key: &'a PublicKey,
    },
    /// Managed key: the caller's key (its SPKI DER is `key.spki_der()`).
    PublicKey {
        /// The caller's key.
        key: &'a PublicKey,
    },
}

impl<'a> Signer<'a> {
    /// The signing public key.
    pub fn key(&self) -> &'a PublicKey {
        match *self {
            Signer::Certificate { key, .. } | Signer::PublicKey { key } => key,
        }
    }
}

/// One entry that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedEntry {
    /// The entry's (and its trusted log's) 32-byte log ID.
    pub log_id: Vec<u8>,
    /// Top-level log index (global for Rekor v1). Authenticated by the SET for
    /// Rekor v1 entries (`set_verified`) and equal to the proven index for Rekor v2;
    /// a Rekor v1 entry verified by its inclusion proof alone proves only its index
    /// within the log shard, so there this value is the bundle's unauthenticated claim.
    pub log_index: u64,
    /// Entry kind, e.g. `hashedrekord`.
    pub kind: String,
    /// Entry kind version, e.g. `0.0.1`.
    pub version: String,
    /// `baseUrl` of the trusted log.
    pub base_url: String,
    /// `integratedTime`, only when its SET verified and the log key's
    /// `validFor` contains it. Always `None` for Rekor v2 entries.
    pub integrated_time: Option<Timestamp>,
    /// Whether this is a Rekor v2 (tile-based log) entry.
    pub rekor_v2: bool,
    /// Whether an inclusion proof and its checkpoint verified.
    pub inclusion_proof_verified: bool,
    /// Whether a signed entry timestamp verified.
    pub set_verified: bool,
}

/// Verify every entry of the bundle against the trusted logs (SPEC §6.2):
/// look up each entry's log by exact logId equality with `logs[*].log_id`; entries of unknown logs
/// (or logs whose key is None) are skipped (not an error, they count for nothing); every entry of a known log must fully verify
/// or the whole call fails. Returns the verified entries (threshold counting is the caller's job).
///
/// An unsupported entry kind is rejected even when its log is unknown, since
/// that is a structural check (SPEC §3.6).
pub fn verify_entries(
    bundle: &Bundle,
    logs: &[TransparencyLog],
    signer: &Signer<'_>,
) -> Result<Vec<VerifiedEntry>> {
    let mut out = Vec::with_capacity(bundle.tlog_entries.len());
    // The Rekor v2 body and its leaf hash depend only on the bundle: build once.
    let mut v2_leaf: Option<(Vec<u8>, [u8; 32])> = None;
    for (i, entry) in bundle.tlog_entries.iter().enumerate() {
        let verified = verify_entry(entry, bundle, logs, signer, &mut v2_leaf).map_err(|e| {
            e.context(format!(
                "tlog entry {i} (log index {}, {} {})",
                entry.log_index,
                crate::error::excerpt(&entry.kind),
                crate::error::excerpt(&entry.version)
            ))
        })?;
        out.extend(verified);
    }
    Ok(out)
}

fn verify_entry(
    entry: &TlogEntry,
    bundle: &Bundle,
    logs: &[TransparencyLog],
    signer: &Signer<'_>,
    v2_leaf: &mut Option<(Vec<u8>, [u8; 32])>,
) -> Result<Option<VerifiedEntry>> {
    body::check_supported(&entry.kind, &entry.version)?;
    let Some(log) = logs.iter().find(|l| l.log_id == entry.log_id) else {
        return Ok(None);
    };
    if log.key.is_none() {
        return Ok(None);
    }
    let rekor_v2 = entry.is_rekor_v2();
    if rekor_v2 && entry.inclusion_proof.is_none() {
        return Err(err!(
            Tlog,
            "Rekor v2 entry has no inclusion proof (it carries no usable SET)"
        ));
    }
    if entry.inclusion_promise.is_none() && entry.inclusion_proof.is_none() {
        return Err(err!(
            Tlog,
            "entry has neither a signed entry timestamp nor an inclusion proof"
        ));
    }

    // Body consistency, and the leaf data for the proof; `v1_body` is what a SET signs.
    let (leaf_data, leaf_hash, v1_body): (&[u8], Option<[u8; 32]>, Option<&LogBody>) = if rekor_v2 {
        let (rebuilt, hash) = match v2_leaf {
            Some(cached) => &*cached,
            None => {
                let rebuilt = body::reconstruct_v2(&bundle.content, signer)?;
                let hash = merkle::leaf_hash(&rebuilt);
                &*v2_leaf.insert((rebuilt, hash))
            }
        };
        if let Some(supplied) = &entry.canonicalized_body
            && supplied.as_bytes() != rebuilt.as_slice()
        {
            return Err(err!(
                TlogBodyMismatch,
                "canonicalizedBody differs from the hashedrekord 0.0.2 body rebuilt from the bundle: {}",
                body::describe_v2_mismatch(supplied.as_bytes(), rebuilt)
            ));
        }
        (rebuilt, Some(*hash), None)
    } else {
        let supplied = entry
            .canonicalized_body
            .as_ref()
            .ok_or_else(|| err!(Parse, "Rekor v1 entry has no canonicalizedBody"))?;
        body::check_v1(
            &entry.kind,
            &entry.version,
            supplied,
            &bundle.content,
            signer,
        )?;
        (supplied.as_bytes(), None, Some(supplied))
    };

    // SET: Rekor v1 only; a v2 promise is never a time source.
    let integrated_time = match (&entry.inclusion_promise, v1_body) {
        (Some(promise), Some(body)) => Some(set::verify(
            promise,
            body,
            entry.integrated_time,
            &entry.log_id,
            entry.log_index,
            log,
        )?),
        _ => None,
    };

    let inclusion_proof_verified = match &entry.inclusion_proof {
        None => false,
        Some(proof) => {
            if rekor_v2 && proof.log_index != entry.log_index {
                return Err(err!(
                    InclusionProof,
                    "inclusionProof.logIndex {} differs from logIndex {}",
                    proof.log_index,
                    entry.log_index
                ));
            }
            let leaf = leaf_hash.unwrap_or_else(|| merkle::leaf_hash(leaf_data));
            merkle::verify_inclusion(
                &leaf,
                proof.log_index,
                proof.tree_size,
                &proof.hashes,
                &proof.root_hash,
            )?;
            let note = proof
                .checkpoint
                .as_deref()
                .ok_or_else(|| err!(Checkpoint, "inclusion proof has no checkpoint"))?;
            let cp = checkpoint::parse(note)?;
            checkpoint::verify(&cp, log, rekor_v2)?;
            if cp.size != proof.tree_size || cp.root_hash != proof.root_hash {
                return Err(err!(
                    Checkpoint,
                    "signed checkpoint (size {}) does not match the inclusion proof (tree size {}) or its root hash",
                    cp.size,
                    proof.tree_size
                ));
            }
            true
        }
    };

    Ok(Some(VerifiedEntry {
        log_id: entry.log_id.clone(),
        log_index: entry.log_index,
        kind: entry.kind.clone(),
        version: entry.version.clone(),
        base_url: log.base_url.clone(),
        integrated_time,
        rekor_v2,
        inclusion_proof_verified,
        set_verified: integrated_time.is_some(),
    }))
}

#[cfg(test)]
mod tests;
