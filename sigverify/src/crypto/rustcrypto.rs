//! Pure-Rust RustCrypto backend (feature `rustcrypto`). Filled in separately.
