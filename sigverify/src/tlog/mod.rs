//! Transparency-log verification (SPEC §6). Placeholder; being written.
