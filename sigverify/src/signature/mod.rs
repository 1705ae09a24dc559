//! Artifact signature verification (SPEC §11.1–§11.4): the bundle's message
//! signature or DSSE envelope, checked with the leaf or managed key and bound
//! to the artifact the caller supplied.
//!
//! Only after one of these functions succeeds may the artifact be reported as
//! verified (SPEC §11.4); a verified log entry never stands in for it.

pub mod dsse;
pub mod message;

pub use dsse::{InTotoStatement, Subject, pae, verify_dsse};
pub use message::verify_message_signature;

#[cfg(test)]
mod tests;
