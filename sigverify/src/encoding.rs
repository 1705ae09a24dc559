//! Small decoding helpers shared by the parsers: base64 (protobuf JSON bytes), hex, PEM.

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};

const PAD_INDIFFERENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, PAD_INDIFFERENT);
const URL_SAFE_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::URL_SAFE, PAD_INDIFFERENT);

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
    // Go's decoder (and so protojson) skips line breaks; some real bundles wrap base64.
    // `[u8]::contains` is core's word-at-a-time memchr; a `char` pattern decodes
    // UTF-8 per character and was a visible cost per bundle.
    if s.as_bytes().contains(&b'\n') || s.as_bytes().contains(&b'\r') {
        let joined: String = s.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
        return b64_decode(&joined).map(|bytes| (bytes, false));
    }
    match STANDARD_LENIENT.decode(s) {
        Ok(bytes) => Ok((bytes, s.len().is_multiple_of(4))),
        Err(_) => URL_SAFE_LENIENT
            .decode(s)
            .map(|bytes| (bytes, false))
            .map_err(|e| format!("invalid base64: {e}")),
    }
}

/// Standard padded base64, as Sigstore emitters write it.
pub fn b64_encode(data: &[u8]) -> String {
    general_purpose::STANDARD.encode(data)
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
    // Bytes, not chars: a UTF-8 decode per character showed in the per-bundle profile.
    let body: Vec<u8> = block.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if body.is_empty() {
        return Err("empty PEM block".into());
    }
    general_purpose::STANDARD
        .decode(body)
        .map_err(|e| format!("invalid base64 in PEM: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
