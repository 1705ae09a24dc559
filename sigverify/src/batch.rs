//! Batch verification: many bundles against one [`Verifier`], spread over the
//! machine's cores (a mirror or a lockfile install checks thousands at once).
//!
//! Work is handed out one item at a time from a shared counter, so a slow
//! bundle does not hold up a whole pre-assigned chunk. No new dependencies:
//! `std::thread::scope` borrows the verifier and the items directly.

use crate::artifact::Artifact;
use crate::bundle::Bundle;
use crate::error::Result;
use crate::policy::Policy;
use crate::result::Verified;
use crate::verifier::Verifier;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A bundle for [`Verifier::verify_many`]: JSON bytes (parsed on the worker
/// thread, so parsing is spread too) or an already parsed [`Bundle`].
#[derive(Clone, Copy, Debug)]
pub enum BundleRef<'a> {
    /// Bundle JSON as read from disk.
    Json(&'a [u8]),
    /// A bundle parsed by the caller.
    Parsed(&'a Bundle),
}

/// One unit of work for [`Verifier::verify_many`]: a bundle, the artifact it
/// should cover and the policy it must meet. Items borrow, so a policy shared by
/// every item is written once.
#[derive(Clone, Copy, Debug)]
pub struct BatchItem<'a> {
    /// The bundle.
    pub bundle: BundleRef<'a>,
    /// The artifact (or its digest).
    pub artifact: &'a Artifact,
    /// The policy the signer must meet.
    pub policy: &'a Policy,
}

impl<'a> BatchItem<'a> {
    /// An item whose bundle is JSON bytes.
    pub fn json(bundle_json: &'a [u8], artifact: &'a Artifact, policy: &'a Policy) -> Self {
        BatchItem {
            bundle: BundleRef::Json(bundle_json),
            artifact,
            policy,
        }
    }

    /// An item whose bundle is already parsed.
    pub fn parsed(bundle: &'a Bundle, artifact: &'a Artifact, policy: &'a Policy) -> Self {
        BatchItem {
            bundle: BundleRef::Parsed(bundle),
            artifact,
            policy,
        }
    }
}

impl Verifier {
    /// Verify every item, in parallel over the available cores; the results are in
    /// item order and each is exactly what [`Verifier::verify`] (or
    /// [`Verifier::verify_json`]) returns for that item alone.
    pub fn verify_many(&self, items: &[BatchItem<'_>]) -> Vec<Result<Verified>> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.verify_many_with_threads(items, threads)
    }

    /// [`Verifier::verify_many`] on at most `threads` threads (0 counts as 1; with
    /// one thread, or one item, everything runs on the calling thread).
    pub fn verify_many_with_threads(
        &self,
        items: &[BatchItem<'_>],
        threads: usize,
    ) -> Vec<Result<Verified>> {
        let threads = threads.clamp(1, items.len().max(1));
        if threads == 1 {
            return items.iter().map(|it| self.verify_item(it)).collect();
        }
        let next = AtomicUsize::new(0);
        let mut done: Vec<(usize, Result<Verified>)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            out.push((i, self.verify_item(item)));
                        }
                        out
                    })
                })
                .collect();
            workers
                .into_iter()
                // A worker only panics if `verify` does; re-raise it on the caller's thread.
                .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        done.sort_unstable_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    }

    fn verify_item(&self, item: &BatchItem<'_>) -> Result<Verified> {
        match item.bundle {
            BundleRef::Json(json) => self.verify_json(json, item.artifact, item.policy),
            BundleRef::Parsed(b) => self.verify(b, item.artifact, item.policy),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::trust_root::TrustedRoot;

    const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    const ISSUER: &str = "https://token.actions.githubusercontent.com";

    fn read(rel: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../test-vectors/{rel}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn many_matches_one_by_one_in_order() {
        let verifier = Verifier::new(
            TrustedRoot::from_json(&read("trust/production_trusted_root.json")).unwrap(),
        )
        .unwrap();
        let artifact = Artifact::from_bytes(&read("conformance/a.txt"));
        let wrong_artifact = Artifact::from_bytes(b"not the artifact");
        let policy = Policy::identity(IDENTITY, ISSUER);
        let wrong_policy = Policy::identity("https://example.com/someone-else", ISSUER);
        let good: Vec<Vec<u8>> = ["happy-path-v0.1", "happy-path-v0.2", "happy-path-v0.3"]
            .iter()
            .map(|c| read(&format!("conformance/{c}/bundle.sigstore.json")))
            .collect();
        let parsed = Bundle::from_json(&good[2]).unwrap();
        let mut items = Vec::new();
        let mut expect: Vec<Option<ErrorKind>> = Vec::new();
        for round in 0..4 {
            for g in &good {
                items.push(BatchItem::json(g, &artifact, &policy));
                expect.push(None);
            }
            items.push(BatchItem::parsed(&parsed, &artifact, &policy));
            expect.push(None);
            items.push(BatchItem::json(&good[round % 3], &wrong_artifact, &policy));
            expect.push(Some(ErrorKind::ArtifactMismatch));
            items.push(BatchItem::json(&good[1], &artifact, &wrong_policy));
            expect.push(Some(ErrorKind::Identity));
            items.push(BatchItem::json(b"{not json", &artifact, &policy));
            expect.push(Some(ErrorKind::Parse));
        }
        for threads in [0, 1, 2, 3, 64] {
            let got = verifier.verify_many_with_threads(&items, threads);
            assert_eq!(got.len(), items.len());
            for (i, (r, want)) in got.iter().zip(&expect).enumerate() {
                assert_eq!(
                    r.as_ref().err().map(|e| e.kind()),
                    *want,
                    "item {i}, {threads} threads"
                );
                // Each result is the single-item result.
                let single = verifier.verify_item(&items[i]);
                assert_eq!(
                    r.as_ref().ok().map(|v| &v.key_fingerprint),
                    single.as_ref().ok().map(|v| &v.key_fingerprint)
                );
            }
        }
        assert_eq!(verifier.verify_many(&items).len(), items.len());
        assert!(verifier.verify_many(&[]).is_empty());
    }
}
