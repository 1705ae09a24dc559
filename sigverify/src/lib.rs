//! sigverify: an offline, embeddable Sigstore bundle verifier.
//!
//! Callers pass bytes: a bundle, a trusted root (or the embedded production
//! and staging roots), the artifact (bytes, a reader, or a digest) and a
//! policy. No network, no file I/O, no global state.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod crypto;
pub mod encoding;
pub mod error;

pub use error::{Error, ErrorKind, Result};
pub mod artifact;
pub mod bundle;
pub mod certificate;
pub mod chain;
pub(crate) mod json;
pub mod sct;
pub mod signature;
pub mod time;
pub mod timestamp;
pub mod tlog;
pub mod trust_root;

pub use artifact::Artifact;
pub use bundle::Bundle;
pub use trust_root::TrustedRoot;
