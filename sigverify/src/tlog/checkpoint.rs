//! Checkpoints: C2SP signed notes carrying a tlog-checkpoint body (SPEC §6.7).
//!
//! Parsing is strict (§6.7.1): a malformed note is rejected outright rather
//! than partially used. Verification (§6.7.2) picks the signature lines that
//! belong to the entry's log and requires every one of them to verify.

use crate::encoding::hex_encode;
use crate::encoding::why_not_base64;
use crate::error::{Result, err};
use crate::trust_root::TransparencyLog;
use base64_simd::STANDARD;

/// Most signature lines accepted in one note (golang `sumdb/note` uses the same cap).
pub const MAX_SIGNATURE_LINES: usize = 100;
/// Most note text lines (origin, size, root hash and extension lines) accepted.
pub const MAX_NOTE_LINES: usize = 100;
/// Largest checkpoint (note text and signatures) accepted, in bytes.
pub const MAX_CHECKPOINT_BYTES: usize = 64 << 10;

/// A parsed checkpoint. Borrowed from the envelope text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint<'a> {
    /// First line: the log's origin string.
    pub origin: &'a str,
    /// Tree size.
    pub size: u64,
    /// Root hash of the tree of `size` leaves.
    pub root_hash: [u8; 32],
    /// Extension lines after the root hash (e.g. Rekor v1's `Timestamp: <ns>`).
    pub extensions: Vec<&'a str>,
    /// The signed note text, final newline included, blank line excluded.
    pub text: &'a str,
    /// Every signature line, in order.
    pub signatures: Vec<NoteSignature<'a>>,
}

/// One `— <name> <base64(key ID ‖ signature)>` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature<'a> {
    /// Key name.
    pub name: &'a str,
    /// 4-byte key ID (key hint).
    pub key_id: [u8; 4],
    /// Signature bytes after the key ID.
    pub signature: Vec<u8>,
}

/// Parse a signed note holding a checkpoint (SPEC §6.7.1).
///
/// Errors are [`ErrorKind::Checkpoint`](crate::ErrorKind::Checkpoint), or
/// [`ErrorKind::Limit`](crate::ErrorKind::Limit) over [`MAX_SIGNATURE_LINES`].
pub fn parse(envelope: &str) -> Result<Checkpoint<'_>> {
    crate::error::check_size("checkpoint", envelope.len(), MAX_CHECKPOINT_BYTES)?;
    if let Some(c) = envelope.chars().find(|&c| c.is_control() && c != '\n') {
        return Err(err!(
            Checkpoint,
            "checkpoint contains control character U+{:04X}",
            c as u32
        ));
    }
    // Signature lines are never empty, so the last blank line separates text and signatures.
    let (note, block) = envelope
        .rsplit_once("\n\n")
        .ok_or_else(|| err!(Checkpoint, "checkpoint has no blank line before signatures"))?;
    // The signed text runs through the first of the two newlines.
    let text = envelope
        .get(..note.len() + 1)
        .ok_or_else(|| err!(Checkpoint, "checkpoint text is malformed"))?;
    let block = block
        .strip_suffix('\n')
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            if block.is_empty() && note.contains("\n\u{2014} ") {
                // "…signatures\n\n": the last blank line is a trailing one.
                err!(
                    Checkpoint,
                    "checkpoint ends with a blank line after its signature lines"
                )
            } else if block.is_empty() {
                err!(Checkpoint, "checkpoint has no signature lines")
            } else {
                err!(
                    Checkpoint,
                    "checkpoint signature block does not end in a newline"
                )
            }
        })?;
    let line_count = block.split('\n').count();
    if line_count > MAX_SIGNATURE_LINES {
        return Err(err!(
            Limit,
            "checkpoint has {line_count} signature lines, over {MAX_SIGNATURE_LINES}"
        ));
    }
    let signatures = block
        .split('\n')
        .map(parse_signature_line)
        .collect::<Result<Vec<_>>>()?;

    let note_lines = note.bytes().filter(|&b| b == b'\n').count() + 1;
    if note_lines > MAX_NOTE_LINES {
        return Err(err!(
            Limit,
            "checkpoint note has {note_lines} lines, over {MAX_NOTE_LINES}"
        ));
    }
    // `note` is `text` without its final '\n', so split yields exactly the note lines.
    let mut lines = note.split('\n');
    let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next()) else {
        return Err(err!(
            Checkpoint,
            "checkpoint note needs origin, tree size and root hash lines"
        ));
    };
    if origin.is_empty() {
        return Err(err!(Checkpoint, "checkpoint origin line is empty"));
    }
    let size = parse_size(size)?;
    let root_hash: [u8; 32] = STANDARD
        .decode_to_vec(root)
        .ok()
        .and_then(|r| r.try_into().ok())
        .ok_or_else(|| {
            err!(
                Checkpoint,
                "checkpoint root hash line {root:?} is not base64 of 32 bytes"
            )
        })?;
    let extensions: Vec<&str> = lines.collect();
    if extensions.iter().any(|l| l.is_empty()) {
        return Err(err!(Checkpoint, "checkpoint has an empty extension line"));
    }
    Ok(Checkpoint {
        origin,
        size,
        root_hash,
        extensions,
        text,
        signatures,
    })
}

fn parse_size(s: &str) -> Result<u64> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    canonical
        .then(|| s.parse::<u64>().ok())
        .flatten()
        .ok_or_else(|| {
            err!(
                Checkpoint,
                "checkpoint tree size {s:?} is not a decimal u64"
            )
        })
}

fn parse_signature_line(line: &str) -> Result<NoteSignature<'_>> {
    let rest = line.strip_prefix("\u{2014} ").ok_or_else(|| {
        err!(
            Checkpoint,
            "checkpoint signature line does not start with an em dash and a space"
        )
    })?;
    let (name, sig) = rest
        .split_once(' ')
        .ok_or_else(|| err!(Checkpoint, "checkpoint signature line has no signature"))?;
    if name.is_empty() || name.contains(char::is_whitespace) || name.contains('+') {
        return Err(err!(
            Checkpoint,
            "checkpoint signature key name {name:?} is invalid"
        ));
    }
    let raw = STANDARD.decode_to_vec(sig).map_err(|_| {
        err!(
            Checkpoint,
            "checkpoint signature by {name} is not base64: {}",
            why_not_base64(sig.as_bytes())
        )
    })?;
    match raw.split_first_chunk::<4>() {
        Some((id, signature)) if !signature.is_empty() => Ok(NoteSignature {
            name,
            key_id: *id,
            signature: signature.to_vec(),
        }),
        _ => Err(err!(
            Checkpoint,
            "checkpoint signature by {name} is shorter than 5 bytes"
        )),
    }
}

/// Verify a parsed checkpoint's signature for `log` (SPEC §6.7.2).
///
/// A line belongs to the log when its key ID equals the log's checkpoint key
/// hint and, for Rekor v2 (`rekor_v2`), its key name equals the log's origin
/// (host of `baseUrl`); for Rekor v2 the note's origin must also equal it.
/// Other lines (witness cosignatures, other keys) are ignored. At least one
/// line must belong to the log and every such line must verify.
pub fn verify(cp: &Checkpoint<'_>, log: &TransparencyLog, rekor_v2: bool) -> Result<()> {
    let log_key = log
        .key
        .as_ref()
        .ok_or_else(|| err!(Checkpoint, "log {} has no usable key", log.base_url))?;
    let hint = log
        .checkpoint_key_hint()
        .ok_or_else(|| err!(Checkpoint, "log {} has no 4-byte key ID", log.base_url))?;
    let origin = log.origin();
    if rekor_v2 && cp.origin != origin {
        return Err(err!(
            Checkpoint,
            "checkpoint origin {:?} is not the log's origin {origin:?}",
            cp.origin
        ));
    }
    let mut matched = 0usize;
    for (i, s) in cp.signatures.iter().enumerate() {
        if s.key_id != hint || (rekor_v2 && s.name != origin) {
            continue;
        }
        // An identical duplicate line proves nothing new.
        if cp.signatures.iter().take(i).any(|p| p == s) {
            continue;
        }
        log_key
            .key
            .verify(log_key.scheme, cp.text.as_bytes(), &s.signature)
            .map_err(|e| {
                err!(
                    Checkpoint,
                    "checkpoint signature by {} (key ID {}) does not verify: {e}",
                    s.name,
                    hex_encode(&s.key_id)
                )
            })?;
        matched += 1;
    }
    if matched == 0 {
        return Err(if rekor_v2 {
            err!(
                Checkpoint,
                "checkpoint has no signature by {origin} with key ID {}",
                hex_encode(&hint)
            )
        } else {
            err!(
                Checkpoint,
                "checkpoint has no signature with key ID {}",
                hex_encode(&hint)
            )
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const V2: &str = "log2025-alpha1.rekor.sigstage.dev\n736\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n\u{2014} log2025-alpha1.rekor.sigstage.dev 8w1amdbj1mjNN674dHAkD92+QZoEgBC7o0mXYSTRluDjQrOPjrps3zQB9ut+ShLepyZPsWBDi5IB3yXyjgjQT6OG9A8=\n";

    #[test]
    fn parses_rekor_v1_and_v2_notes() {
        let v1 = "rekor.sigstore.dev - 2605736670972794746\n23083062\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\nTimestamp: 1689177396617352539\n\n\u{2014} rekor.sigstore.dev wNI9ajBFAiBxaGyEtxkzFLkaCSEJqFuSS3dJjEZCNiyByVs1CNVQ8gIhAOoNnXtmMtTctV2oRnSRUZAo4EWUYPK/vBsqOzAU6TMs\n";
        let cp = parse(v1).unwrap();
        assert_eq!(cp.origin, "rekor.sigstore.dev - 2605736670972794746");
        assert_eq!(cp.size, 23083062);
        assert_eq!(cp.extensions, ["Timestamp: 1689177396617352539"]);
        assert!(cp.text.ends_with("1689177396617352539\n"));
        assert_eq!(cp.signatures.len(), 1);
        assert_eq!(cp.signatures[0].name, "rekor.sigstore.dev");
        assert_eq!(cp.signatures[0].key_id, [0xc0, 0xd2, 0x3d, 0x6a]);

        let cp = parse(V2).unwrap();
        assert_eq!(cp.size, 736);
        assert!(cp.extensions.is_empty());
        assert_eq!(cp.signatures[0].signature.len(), 64);
    }

    #[test]
    fn malformed_notes_are_rejected() {
        let kind = |s: &str| parse(s).unwrap_err().kind();
        let sig = "\u{2014} k AAAAAAA=\n";
        for bad in [
            String::new(),
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n".to_string(),
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n".to_string(),
            format!(
                "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{}",
                "\u{2014} k AAAAAAA="
            ),
            format!("1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{sig}"),
            format!("o\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{sig}"),
            format!("o\n1\n\n{sig}"),
            format!("\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{sig}"),
            format!("o\n01\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{sig}"),
            format!("o\n-1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{sig}"),
            format!("o\n1\nAAAA\n\n{sig}"),
            format!("o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n\n{sig}"),
            format!("o\r\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{sig}"),
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n- k AAAAAAA=\n".to_string(),
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n\u{2014} k+x AAAAAAA=\n"
                .to_string(),
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n\u{2014} k AAAAAA==\n"
                .to_string(),
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n\u{2014} k !!!!\n".to_string(),
        ] {
            assert_eq!(kind(&bad), ErrorKind::Checkpoint, "{bad:?}");
        }
        let many = format!(
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{}",
            sig.repeat(MAX_SIGNATURE_LINES + 1)
        );
        assert_eq!(kind(&many), ErrorKind::Limit);
        // A trailing blank line is named as such, not as missing signatures.
        let trailing = format!("o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{sig}\n");
        let e = parse(&trailing).unwrap_err();
        assert!(e.to_string().contains("ends with a blank line"), "{e}");
        let none = "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n";
        assert!(
            parse(none)
                .unwrap_err()
                .to_string()
                .contains("no signature lines")
        );
        let enough = format!(
            "o\n1\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n{}",
            sig.repeat(MAX_SIGNATURE_LINES)
        );
        assert_eq!(
            parse(&enough).unwrap().signatures.len(),
            MAX_SIGNATURE_LINES
        );
    }
}
