//! sigverify: an offline, embeddable Sigstore bundle verifier.
//!
//! Callers pass bytes: a bundle, a trusted root (or the embedded production
//! and staging roots), the artifact (bytes, a reader, or a digest) and a
//! policy. No network, no file I/O, no global state.
//!
//! ```no_run
//! use sigverify::{Artifact, Bundle, Policy, Verifier};
//! # fn main() -> sigverify::Result<()> {
//! # let (bundle_bytes, artifact_bytes) = (Vec::new(), Vec::new());
//! let verifier = Verifier::production()?; // parse once, share across threads
//! let bundle = Bundle::from_json(&bundle_bytes)?;
//! let policy = Policy::identity(
//!     "https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0",
//!     "https://token.actions.githubusercontent.com",
//! );
//! let verified = verifier.verify(&bundle, &Artifact::from_bytes(&artifact_bytes), &policy)?;
//! # let _ = verified;
//! # Ok(())
//! # }
//! ```
//!
//! The modules follow the verification steps: [`bundle`] and [`trust_root`]
//! parse, [`tlog`] checks log entries, [`timestamp`] RFC 3161 tokens, [`chain`]
//! and [`sct`] the Fulcio certificate, [`signature`] the artifact signature,
//! [`policy`] the identity, and [`verifier`] runs them in order.
#![forbid(unsafe_code)]
// No panics on input: non-test code may not unwrap, index or panic (tests may).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]
#![warn(missing_docs)]

pub mod artifact;
pub mod batch;
pub mod bundle;
pub mod certificate;
pub mod chain;
pub mod crypto;
pub mod encoding;
pub mod error;
pub(crate) mod json;
pub mod policy;
pub mod result;
pub mod sct;
pub mod signature;
pub mod time;
pub mod timestamp;
pub mod tlog;
pub mod trust_root;
pub mod verifier;

pub use artifact::Artifact;
pub use batch::{BatchItem, BundleRef};
pub use bundle::{Bundle, Limits};
pub use error::{Error, ErrorKind, Result};
pub use policy::{ExtensionMatcher, Identity, ManagedKey, Matcher, Policy};
pub use result::Verified;
pub use trust_root::TrustedRoot;
pub use verifier::{Options, Verifier};
