//! Artifact signature verification (SPEC §11). Placeholder; being written.
