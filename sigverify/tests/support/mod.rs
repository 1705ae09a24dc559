//! Helpers shared by the integration tests (and, by `#[path]`, the fuzz crate).
pub mod der;
pub mod forge;
