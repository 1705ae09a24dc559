//! Shared serde helpers for the protobuf-JSON mapping.

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, de};
use std::fmt;

/// protobuf int64: a JSON string of decimal digits or a JSON number.
///
/// A visitor rather than an untagged enum: serde buffers an untagged value and
/// builds an error for every variant it rejects, which was a measurable cost on
/// every tlog entry.
pub(crate) fn int64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an int64 as a number or a string of digits")
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<i64, E> {
            Ok(n)
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<i64, E> {
            i64::try_from(n).map_err(|_| E::custom(format!("int64 out of range: {n}")))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<i64, E> {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(E::custom(format!("invalid int64 {s:?}")));
            }
            s.parse::<i64>()
                .map_err(|_| E::custom(format!("int64 out of range: {s:?}")))
        }
    }
    d.deserialize_any(V)
}

/// Optional protobuf int64.
pub(crate) fn opt_int64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    int64(d).map(Some)
}

/// protobuf bytes: base64 text decoded eagerly, so malformed input fails at parse time.
pub(crate) fn bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s = text(d)?;
    crate::encoding::b64_decode(&s).map_err(de::Error::custom)
}

/// A JSON string, borrowed from the input when it has no escapes. (serde's own
/// `Cow<str>` always copies, which would double the memory of large fields.)
pub(crate) fn text<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = std::borrow::Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Borrowed(s))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(s.to_owned()))
        }
        fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(s))
        }
    }
    d.deserialize_str(V)
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

/// Prefix of serde errors raised for resource limits (here and in the in-toto
/// statement parser), so callers can report them
/// as [`ErrorKind::Limit`](crate::ErrorKind::Limit) rather than as parse errors.
pub(crate) const LIMIT_MARKER: &str = "resource limit: ";

/// Whether a serde error message was raised for a resource limit: our own
/// limit errors start with the marker (serde_json only appends the position),
/// while a message that merely quotes input containing it (an unknown field
/// named `resource limit: …`) does not.
pub(crate) fn is_limit(message: &str) -> bool {
    message.starts_with(LIMIT_MARKER)
}

/// A struct read only from a JSON object. serde's derive also accepts a JSON
/// array, field by field in declaration order, which protobuf JSON does not:
/// `"messageDigest": ["SHA2_256", "…"]` must be a type error, not a digest.
pub(crate) struct Obj<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(StructAsMap(d)).map(Obj)
    }
}

/// A message-typed field (see [`Obj`]).
pub(crate) fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Obj::deserialize(d).map(|o| o.0)
}

/// An optional message-typed field (see [`Obj`]); `null` means absent.
pub(crate) fn opt_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<Obj<T>>::deserialize(d).map(|o| o.map(|o| o.0))
}

/// A repeated field that stops reading at `max + 1` elements with a limit
/// error, so an oversized list costs no more than `max` parsed elements.
pub(crate) fn capped_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    max: usize,
    what: &'static str,
) -> Result<Vec<T>, D::Error> {
    CappedSeq::new(max, what).deserialize(d)
}

/// [`capped_vec`] with JSON `null` read as an empty list (protojson semantics).
pub(crate) fn nullable_capped_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    max: usize,
    what: &'static str,
) -> Result<Vec<T>, D::Error> {
    struct V<T>(CappedSeq<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of {} or null", self.0.what)
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<T>, D2::Error> {
            self.0.deserialize(d)
        }
    }
    d.deserialize_option(V(CappedSeq::new(max, what)))
}

/// Reads a JSON array of at most `max` elements (see [`capped_vec`]).
struct CappedSeq<T> {
    max: usize,
    what: &'static str,
    marker: std::marker::PhantomData<T>,
}

impl<T> CappedSeq<T> {
    fn new(max: usize, what: &'static str) -> Self {
        CappedSeq {
            max,
            what,
            marker: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> de::DeserializeSeed<'de> for CappedSeq<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for CappedSeq<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {}", self.what)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // Never trust the size hint for the allocation.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max).min(16));
        while let Some(x) = seq.next_element()? {
            if out.len() == self.max {
                return Err(de::Error::custom(format!(
                    "{LIMIT_MARKER}more than {} {}",
                    self.max, self.what
                )));
            }
            out.push(x);
        }
        Ok(out)
    }
}

/// A repeated message-typed field, capped (see [`capped_vec`] and [`Obj`]).
pub(crate) fn capped_objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    max: usize,
    what: &'static str,
) -> Result<Vec<T>, D::Error> {
    capped_vec::<D, Obj<T>>(d, max, what).map(|v| v.into_iter().map(|o| o.0).collect())
}

/// [`capped_objects`] with JSON `null` read as an empty list.
pub(crate) fn nullable_capped_objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    max: usize,
    what: &'static str,
) -> Result<Vec<T>, D::Error> {
    nullable_capped_vec::<D, Obj<T>>(d, max, what).map(|v| v.into_iter().map(|o| o.0).collect())
}

/// Optional protobuf bytes of at most `max` decoded bytes. The base64 text is
/// measured before it is decoded, so an oversized value allocates nothing.
pub(crate) fn opt_capped_bytes<'de, D: Deserializer<'de>>(
    d: D,
    max: usize,
    what: &'static str,
) -> Result<Option<Vec<u8>>, D::Error> {
    let s = text(d)?;
    // n base64 data characters carry n * 3 / 4 bytes (rounded down); padding
    // and line breaks carry none, so they are only counted out when the length
    // alone is over.
    let over = |n: usize| n.saturating_mul(3) / 4 > max;
    if over(s.len())
        && over(
            s.bytes()
                .filter(|b| !matches!(b, b'\n' | b'\r' | b'='))
                .count(),
        )
    {
        return Err(de::Error::custom(format!(
            "{LIMIT_MARKER}{what} is over {max} bytes"
        )));
    }
    crate::encoding::b64_decode(&s)
        .map(Some)
        .map_err(de::Error::custom)
}

/// The deepest nesting of JSON arrays and objects in `json`, counted without
/// parsing (strings are skipped), stopping as soon as it exceeds `max`.
/// Returns whether the nesting stays within `max`.
pub(crate) fn depth_within(json: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut rest = json;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        match b {
            b'"' => rest = skip_string(rest),
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// What follows the closing quote of the string that `s` starts inside (empty if it
/// never closes). Words of 8 bytes with no quote or backslash are skipped whole:
/// base64 strings are most of a bundle, and every bundle is scanned (this was the
/// largest non-crypto cost of a warm verify while it went byte by byte).
fn skip_string(mut s: &[u8]) -> &[u8] {
    const LO: u64 = u64::from_ne_bytes([0x01; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTE: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASH: u64 = u64::from_ne_bytes([b'\\'; 8]);
    loop {
        while let Some((word, tail)) = s.split_first_chunk::<8>() {
            let w = u64::from_ne_bytes(*word);
            let (q, bs) = (w ^ QUOTE, w ^ BACKSLASH);
            // Exact "some byte is zero" test on each XOR: a quote or backslash is here.
            if ((q.wrapping_sub(LO) & !q) | (bs.wrapping_sub(LO) & !bs)) & HI != 0 {
                break;
            }
            s = tail;
        }
        match s.split_first() {
            None => return s,
            Some((b'"', tail)) => return tail,
            Some((b'\\', tail)) => s = tail.get(1..).unwrap_or_default(),
            Some((_, tail)) => s = tail,
        }
    }
}

/// Forwards everything to `D` except structs, which are read as maps only.
struct StructAsMap<D>(D);

macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $name<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$name($($arg,)* visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for StructAsMap<D> {
    type Error = D::Error;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Pair {
        a: u8,
        b: u8,
    }

    #[test]
    fn structs_only_from_objects() {
        let o: Obj<Pair> = serde_json::from_str(r#"{"a":1,"b":2}"#).unwrap();
        assert_eq!(o.0, Pair { a: 1, b: 2 });
        // The derive alone accepts the positional form; `Obj` does not.
        assert!(serde_json::from_str::<Pair>("[1,2]").is_ok());
        assert!(serde_json::from_str::<Obj<Pair>>("[1,2]").is_err());
    }

    #[test]
    fn int64_takes_numbers_and_digit_strings_only() {
        #[derive(Deserialize)]
        struct N {
            #[serde(deserialize_with = "int64")]
            n: i64,
        }
        let ok = |j: &str| serde_json::from_str::<N>(j).map(|n| n.n);
        let bad = |j: &str| ok(j).unwrap_err().to_string();
        assert_eq!(ok(r#"{"n":42}"#).unwrap(), 42);
        assert_eq!(ok(r#"{"n":-7}"#).unwrap(), -7);
        assert_eq!(ok(r#"{"n":"42"}"#).unwrap(), 42);
        assert_eq!(ok(r#"{"n":"-9223372036854775808"}"#).unwrap(), i64::MIN);
        assert_eq!(ok(r#"{"n":"4\u0032"}"#).unwrap(), 42); // escaped: an owned string
        assert!(bad(r#"{"n":9223372036854775808}"#).contains("int64 out of range"));
        assert!(bad(r#"{"n":"9223372036854775808"}"#).contains("int64 out of range"));
        for s in [
            r#""""#, r#""+1""#, r#"" 1""#, r#""1e3""#, r#""-""#, r#""0x1""#,
        ] {
            assert!(
                bad(&format!(r#"{{"n":{s}}}"#)).contains("invalid int64"),
                "{s}"
            );
        }
        for s in ["1.0", "null", "true", "[1]", r#"{"a":1}"#] {
            assert!(
                bad(&format!(r#"{{"n":{s}}}"#)).contains("invalid type"),
                "{s}"
            );
        }
    }

    #[test]
    fn capped_lists_stop_early() {
        #[derive(Deserialize)]
        struct L {
            #[serde(deserialize_with = "three")]
            v: Vec<u8>,
        }
        fn three<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
            capped_vec(d, 3, "numbers")
        }
        assert_eq!(
            serde_json::from_str::<L>(r#"{"v":[1,2,3]}"#).unwrap().v,
            [1, 2, 3]
        );
        let e = serde_json::from_str::<L>(r#"{"v":[1,2,3,4]}"#)
            .err()
            .unwrap();
        assert!(is_limit(&e.to_string()), "{e}");
        // Input that quotes the marker is not a limit.
        let e = serde_json::from_str::<L>(r#"{"v":"resource limit: x"}"#)
            .err()
            .unwrap();
        assert!(e.to_string().contains(LIMIT_MARKER), "{e}");
        assert!(!is_limit(&e.to_string()), "{e}");
    }

    #[test]
    fn depth_is_counted_outside_strings() {
        assert!(depth_within(br#"{"a":[1,{"b":"[[[[{{{{"}]}"#, 3));
        assert!(!depth_within(br#"{"a":[1,{"b":[]}]}"#, 3));
        assert!(depth_within(br#"{"a":"\"[[[["}"#, 1));
        assert!(!depth_within(&b"[".repeat(100_000), 64));
    }

    /// The word-at-a-time string skip agrees with a byte-by-byte reference scan.
    #[test]
    fn depth_scan_matches_a_byte_by_byte_reference() {
        fn reference(json: &[u8], max: usize) -> bool {
            let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
            for &b in json {
                if in_string {
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'[' | b'{' => {
                        depth += 1;
                        if depth > max {
                            return false;
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            true
        }
        let alphabet = b"\"\\[]{}aa\xc3\xa9";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in 0..20_000 {
            let len = n % 97;
            let input: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            for max in [0, 1, 2, 5] {
                assert_eq!(
                    depth_within(&input, max),
                    reference(&input, max),
                    "{input:?} {max}"
                );
            }
        }
    }
}
