//! Small decoding helpers shared by the parsers: base64 (protobuf JSON bytes), hex, PEM.
//!
//! Base64 goes through `base64-simd`: a bundle is mostly base64 (certificate,
//! log body, the PEM inside the body), and its vector decoder and encoder run
//! 3-5x faster here than a scalar one (benches/README.md).

use base64_simd::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// Decode protobuf-JSON `bytes`: standard alphabet, padding optional; the URL-safe
/// alphabet is accepted as protojson does. Anything else is an error.
pub fn b64_decode(s: &str) -> Result<Vec<u8>, String> {
    b64_decode_noting_standard(s).map(|(bytes, _)| bytes)
}

/// [`b64_decode`], also telling whether `s` is exactly the standard padded
/// encoding of the result (no line breaks, standard alphabet, padded). The
/// decoder refuses non-zero trailing bits, so such text is the only standard
/// encoding of its bytes.
pub fn b64_decode_noting_standard(s: &str) -> Result<(Vec<u8>, bool), String> {
    // As protojson decides: padded when the length is a multiple of four,
    // unpadded otherwise; the standard alphabet first, then the URL-safe one.
    // Both decoders refuse non-zero trailing bits and partial padding ("AQ=").
    let padded = s.len().is_multiple_of(4);
    let (standard, url_safe) = if padded {
        (STANDARD, URL_SAFE)
    } else {
        (STANDARD_NO_PAD, URL_SAFE_NO_PAD)
    };
    if let Ok(bytes) = standard.decode_to_vec(s) {
        return Ok((bytes, padded));
    }
    // Go's decoder (and so protojson) skips line breaks; some real bundles wrap
    // base64. Neither alphabet has them, so only text that failed can hold one.
    if s.as_bytes().contains(&b'\n') || s.as_bytes().contains(&b'\r') {
        let joined: String = s.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
        return b64_decode(&joined).map(|bytes| (bytes, false));
    }
    url_safe
        .decode_to_vec(s)
        .map(|bytes| (bytes, false))
        .map_err(|_| format!("invalid base64: {}", why_not_base64(s.as_bytes())))
}

/// Why `text` (without line breaks) failed to decode as base64; for error
/// messages only, so it runs on the failure path alone.
pub(crate) fn why_not_base64(text: &[u8]) -> String {
    let valid = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
    if let Some(at) = text.iter().position(|&b| !valid(b)) {
        return format!(
            "byte 0x{:02x} at offset {at} is not a base64 character",
            text.get(at).copied().unwrap_or(0)
        );
    }
    if text.iter().any(|&b| matches!(b, b'+' | b'/'))
        && text.iter().any(|&b| matches!(b, b'-' | b'_'))
    {
        return "mixes the standard and URL-safe alphabets".into();
    }
    let data = text.iter().take_while(|&&b| b != b'=').count();
    if data < text.len()
        && text
            .get(data..)
            .is_some_and(|pad| pad.iter().any(|&b| b != b'='))
    {
        return format!("padding at offset {data} is followed by data");
    }
    if data % 4 == 1 {
        return format!("{data} characters cannot encode whole bytes");
    }
    if data < text.len() && !text.len().is_multiple_of(4) {
        return "padding does not complete the last group of four".into();
    }
    "the last character has non-zero unused bits (not a canonical encoding)".into()
}

/// Standard padded base64, as Sigstore emitters write it.
pub fn b64_encode(data: &[u8]) -> String {
    STANDARD.encode_to_string(data)
}

/// Lowercase hex.
pub fn hex_encode(data: &[u8]) -> String {
    let digit = |n: u8| char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 });
    let mut s = String::with_capacity(data.len().saturating_mul(2));
    for b in data {
        s.push(digit(b >> 4));
        s.push(digit(b & 15));
    }
    s
}

/// Decode hex (either case). Odd length or non-hex characters are errors.
pub fn hex_decode(s: &str) -> Result<Vec<u8>, String> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err("hex string of odd length".into());
    }
    bytes
        .chunks_exact(2)
        .map(|p| match *p {
            [h, l] => match (nibble(h), nibble(l)) {
                (Some(h), Some(l)) => Ok(h << 4 | l),
                _ => Err("invalid hex character".to_string()),
            },
            _ => Err("hex string of odd length".to_string()),
        })
        .collect()
}

/// Decode the first PEM block labelled `label` (e.g. `CERTIFICATE`). Line
/// wrapping and surrounding text are tolerated; the base64 must be valid.
pub fn pem_decode(pem: &[u8], label: &str) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(pem).map_err(|_| "PEM is not UTF-8".to_string())?;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let (_, after_begin) = text
        .split_once(&begin)
        .ok_or_else(|| format!("no `{begin}` line"))?;
    let (block, _) = after_begin
        .split_once(&end)
        .ok_or_else(|| format!("no `{end}` line"))?;
    pem_block_body(block)
}

/// Decode `pem` that is exactly one PEM block labelled `label`: its `BEGIN`
/// line first and its `END` line last, each a whole line, with only whitespace
/// around them and nothing else (no second block, no headers). For PEM an
/// attacker writes (log entry bodies): text around a block could make another
/// parser (Go's `pem.Decode`, which Rekor and sigstore-go use) read a different
/// block than this one.
pub fn pem_decode_single(pem: &[u8], label: &str) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(pem).map_err(|_| "PEM is not UTF-8".to_string())?;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    // Before the block only line breaks (BEGIN starts a line, as Go requires);
    // after it any whitespace.
    let block = text
        .trim_start_matches(['\r', '\n'])
        .trim_end_matches(|c: char| c.is_ascii_whitespace())
        .strip_prefix(&begin)
        .and_then(|rest| rest.strip_suffix(&end))
        .ok_or_else(|| format!("not a single `{begin}` block"))?;
    if !block.starts_with(['\r', '\n']) || !block.ends_with('\n') {
        return Err(format!("`{begin}` and `{end}` must be lines of their own"));
    }
    pem_block_body(block)
}

/// The bytes of a PEM block's base64 lines (whitespace ignored).
fn pem_block_body(block: &str) -> Result<Vec<u8>, String> {
    // Bytes, not chars: a UTF-8 decode per character showed in the per-bundle profile.
    let body: Vec<u8> = block.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if body.is_empty() {
        return Err("empty PEM block".into());
    }
    STANDARD
        .decode_to_vec(&body)
        .map_err(|_| format!("invalid base64 in PEM: {}", why_not_base64(&body)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn single_pem_blocks_only() {
        let block = |label: &str, der: &[u8]| {
            format!(
                "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
                b64_encode(der)
            )
        };
        let (a, b) = (
            block("CERTIFICATE", b"leaf"),
            block("CERTIFICATE", b"other"),
        );
        assert_eq!(
            pem_decode_single(a.as_bytes(), "CERTIFICATE").unwrap(),
            b"leaf"
        );
        let spaced = format!("\r\n{}\n \n", a.replace('\n', "\r\n"));
        assert_eq!(
            pem_decode_single(spaced.as_bytes(), "CERTIFICATE").unwrap(),
            b"leaf"
        );
        // What the tolerant decoder reads as the first block, others read differently.
        for hostile in [
            format!("x{a}{b}"),
            format!("{a}{b}"),
            format!("{a}x"),
            format!("junk\n{a}"),
            format!("  {a}"),
            format!("\t{a}"),
            a.replacen("-----\n", "-----", 1),
            a.replacen("\n-----END", "-----END", 1),
            a.replacen("-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n", 1),
        ] {
            assert!(
                pem_decode_single(hostile.as_bytes(), "CERTIFICATE").is_err(),
                "{hostile:?}"
            );
        }
        assert_eq!(
            pem_decode(format!("x{a}{b}").as_bytes(), "CERTIFICATE").unwrap(),
            b"leaf"
        );
        assert!(pem_decode_single(a.as_bytes(), "PUBLIC KEY").is_err());
    }

    #[test]
    fn base64_variants() {
        assert_eq!(b64_decode("AQID").unwrap(), vec![1, 2, 3]);
        assert_eq!(b64_decode("AQI=").unwrap(), vec![1, 2]);
        assert_eq!(b64_decode("AQI").unwrap(), vec![1, 2]);
        assert_eq!(b64_decode("-_8=").unwrap(), vec![0xfb, 0xff]);
        assert!(b64_decode("AQ!D").is_err());
        assert!(b64_decode("A").is_err());
        assert_eq!(b64_decode("AQ\r\nID").unwrap(), vec![1, 2, 3]);
        assert!(b64_decode("AQ ID").is_err());
    }

    /// The decoder against an independent one (the `base64` crate, lenient
    /// about padding, standard then URL-safe alphabet) on every string of up to
    /// five characters over each character class: they agree everywhere except
    /// partial padding, which we refuse and it accepts.
    #[test]
    fn base64_agrees_with_a_reference_decoder() {
        use base64::Engine;
        use base64::engine::DecodePaddingMode;
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
        const LENIENT: GeneralPurposeConfig =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let reference = |s: &str| {
            GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT)
                .decode(s)
                .or_else(|_| GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT).decode(s))
                .ok()
        };
        let (mut decodable, mut partial_padding) = (0, 0);
        for s in every_string(b"AQgw/+-_= \n", 5) {
            let ours = b64_decode(&s).ok();
            let joined = s.replace('\n', "");
            let theirs = reference(&joined);
            decodable += usize::from(ours.is_some());
            if ours != theirs {
                let data = joined.trim_end_matches('=').len();
                // Only "xx=" / "xxxxxx=": padding that stops short of four.
                assert!(
                    ours.is_none() && !joined.len().is_multiple_of(4) && joined.len() > data,
                    "{s:?}: ours {ours:?}, reference {theirs:?}"
                );
                partial_padding += 1;
            }
        }
        assert!(
            decodable > 2_000 && partial_padding > 0,
            "{decodable} {partial_padding}"
        );
    }

    /// Every string of up to `max_len` characters over `alphabet` (ASCII).
    pub(crate) fn every_string(alphabet: &[u8], max_len: u32) -> impl Iterator<Item = String> {
        (0..=max_len).flat_map(move |len| {
            (0..alphabet.len().pow(len)).map(move |mut n| {
                let mut s = String::with_capacity(len as usize);
                for _ in 0..len {
                    s.push(char::from(alphabet[n % alphabet.len()]));
                    n /= alphabet.len();
                }
                s
            })
        })
    }

    #[test]
    fn base64_errors_say_what_is_wrong() {
        let why = |s: &str| b64_decode(s).unwrap_err();
        assert_eq!(
            why("AQ!D"),
            "invalid base64: byte 0x21 at offset 2 is not a base64 character"
        );
        assert_eq!(
            why("A+_B"),
            "invalid base64: mixes the standard and URL-safe alphabets"
        );
        assert_eq!(
            why("AQ==AQID"),
            "invalid base64: padding at offset 2 is followed by data"
        );
        assert_eq!(
            why("AQIDA"),
            "invalid base64: 5 characters cannot encode whole bytes"
        );
        assert_eq!(
            why("AQ="),
            "invalid base64: padding does not complete the last group of four"
        );
        assert_eq!(
            why("AR=="),
            "invalid base64: the last character has non-zero unused bits (not a canonical encoding)"
        );
    }

    #[test]
    fn hex_round_trip_and_errors() {
        assert_eq!(hex_encode(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode("00ABff").unwrap(), vec![0, 0xab, 0xff]);
        assert!(hex_decode("abc").is_err());
        assert!(hex_decode("zz").is_err());
    }

    #[test]
    fn pem_blocks() {
        let pem = b"junk\n-----BEGIN PUBLIC KEY-----\nAQID\nBA==\n-----END PUBLIC KEY-----\n";
        assert_eq!(pem_decode(pem, "PUBLIC KEY").unwrap(), vec![1, 2, 3, 4]);
        assert!(pem_decode(pem, "CERTIFICATE").is_err());
        assert!(pem_decode(b"-----BEGIN X-----\n-----END X-----", "X").is_err());
        assert!(pem_decode(b"-----BEGIN X-----\n!!\n-----END X-----", "X").is_err());
    }
}
