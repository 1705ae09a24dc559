//! Shared serde helpers for the protobuf-JSON mapping.

use serde::{Deserialize, Deserializer, de};

/// protobuf int64: a JSON string of decimal digits or a JSON number.
pub(crate) fn int64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum StrOrNum<'a> {
        Num(i64),
        Str(&'a str),
        Owned(String),
    }
    let parse = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(de::Error::custom(format!("invalid int64 {s:?}")));
        }
        s.parse::<i64>()
            .map_err(|_| de::Error::custom(format!("int64 out of range: {s:?}")))
    };
    match StrOrNum::deserialize(d)? {
        StrOrNum::Num(n) => Ok(n),
        StrOrNum::Str(s) => parse(s),
        StrOrNum::Owned(s) => parse(&s),
    }
}

/// Optional protobuf int64.
pub(crate) fn opt_int64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    int64(d).map(Some)
}

/// protobuf bytes: base64 text decoded eagerly, so malformed input fails at parse time.
pub(crate) fn bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
    crate::encoding::b64_decode(&s).map_err(de::Error::custom)
}

/// Optional protobuf bytes.
pub(crate) fn opt_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
    bytes(d).map(Some)
}

/// A base64 `bytes` element of a repeated field.
pub(crate) struct B64(pub Vec<u8>);

impl<'de> Deserialize<'de> for B64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        bytes(d).map(B64)
    }
}

/// A string field where JSON `null` means absent (protojson semantics).
pub(crate) fn nullable_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Option::<String>::deserialize(d).map(Option::unwrap_or_default)
}

/// A repeated field where JSON `null` means empty (protojson semantics).
pub(crate) fn nullable_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
}
