//! The error model: one enum of failure kinds with stable numeric codes, plus a
//! message naming the exact check and the entry or certificate involved.

use std::fmt;

/// What failed. The numeric codes are stable across releases and shared by the
/// C ABI, the Python and the Node bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed input: JSON, base64, DER, PEM or a structural rule of the bundle.
    Parse = 1,
    /// A bundle media type or log entry kind/version this verifier does not accept.
    UnsupportedVersion = 2,
    /// The trusted root is malformed or cannot be used.
    TrustedRoot = 3,
    /// A transparency-log entry body does not describe this bundle.
    TlogBodyMismatch = 4,
    /// A signed entry timestamp (inclusion promise) did not verify.
    Set = 5,
    /// A Merkle inclusion proof did not verify.
    InclusionProof = 6,
    /// A checkpoint (signed note) is malformed, unsigned or does not match the proof.
    Checkpoint = 7,
    /// An RFC 3161 timestamp did not verify.
    Timestamp = 8,
    /// A verified time falls outside a validity window, or too few verified times.
    TimeWindow = 9,
    /// The certificate chain does not lead to a trusted Fulcio CA.
    Chain = 10,
    /// Signed certificate timestamps failed or too few verified.
    Sct = 11,
    /// The artifact signature (message or DSSE) did not verify.
    Signature = 12,
    /// The artifact, digest or in-toto subject does not match what was signed.
    ArtifactMismatch = 13,
    /// The certificate identity or OIDC issuer does not match the policy.
    Identity = 14,
    /// The caller's policy or inputs are inconsistent (e.g. identity policy for a key bundle).
    PolicyMisuse = 15,
    /// A resource limit was exceeded.
    Limit = 16,
    /// Transparency-log requirements not met (missing proof, too few verified logs).
    Tlog = 17,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 17] = [
        ErrorKind::Parse,
        ErrorKind::UnsupportedVersion,
        ErrorKind::TrustedRoot,
        ErrorKind::TlogBodyMismatch,
        ErrorKind::Set,
        ErrorKind::InclusionProof,
        ErrorKind::Checkpoint,
        ErrorKind::Timestamp,
        ErrorKind::TimeWindow,
        ErrorKind::Chain,
        ErrorKind::Sct,
        ErrorKind::Signature,
        ErrorKind::ArtifactMismatch,
        ErrorKind::Identity,
        ErrorKind::PolicyMisuse,
        ErrorKind::Limit,
        ErrorKind::Tlog,
    ];

    /// Stable numeric code.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// Stable step name, e.g. `"inclusion-proof"`.
    pub fn step(self) -> &'static str {
        match self {
            ErrorKind::Parse => "parse",
            ErrorKind::UnsupportedVersion => "unsupported-version",
            ErrorKind::TrustedRoot => "trusted-root",
            ErrorKind::TlogBodyMismatch => "tlog-body-mismatch",
            ErrorKind::Set => "set",
            ErrorKind::InclusionProof => "inclusion-proof",
            ErrorKind::Checkpoint => "checkpoint",
            ErrorKind::Timestamp => "timestamp",
            ErrorKind::TimeWindow => "time-window",
            ErrorKind::Chain => "chain",
            ErrorKind::Sct => "sct",
            ErrorKind::Signature => "signature",
            ErrorKind::ArtifactMismatch => "artifact-mismatch",
            ErrorKind::Identity => "identity",
            ErrorKind::PolicyMisuse => "policy-misuse",
            ErrorKind::Limit => "limit",
            ErrorKind::Tlog => "tlog",
        }
    }

    /// The kind with this code, if any.
    pub fn from_code(code: u32) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.step())
    }
}

/// A verification failure: what kind of check failed and a message naming it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// A new error of `kind`. Messages longer than [`MAX_MESSAGE_BYTES`] are
    /// cut (at a character boundary, with a note of the full length): they may
    /// quote attacker-chosen input, which must not come back to the caller
    /// megabytes long.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: tidy(message.into()),
        }
    }

    /// The kind of check that failed.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without the step prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prefix the message with context (e.g. which entry), keeping the kind.
    pub fn context(mut self, ctx: impl fmt::Display) -> Self {
        self.message = tidy(format!("{ctx}: {}", self.message));
        self
    }
}

/// At most the first 100 characters of `s`, for quoting input in a message
/// without copying all of it first.
pub(crate) fn excerpt(s: &str) -> &str {
    s.char_indices()
        .nth(100)
        .and_then(|(i, _)| s.get(..i))
        .unwrap_or(s)
}

/// Longest error message kept, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// Whether `c` would change how text around it is shown: a control character,
/// or a bidirectional formatting character (which can make text read in
/// another order than it is stored).
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` fit to print: control and bidirectional formatting characters escaped
/// (`\u{1b}`, `\n`, `\u{202e}`), so quoted input cannot move a terminal's
/// cursor, forge a line of output or reorder what is shown. Borrowed when
/// nothing needed escaping.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A message fit to print ([`printable`]), then [`capped`].
fn tidy(message: String) -> String {
    match printable(&message) {
        std::borrow::Cow::Borrowed(_) => capped(message),
        std::borrow::Cow::Owned(escaped) => capped(escaped),
    }
}

fn capped(mut message: String) -> String {
    if message.len() <= MAX_MESSAGE_BYTES {
        return message;
    }
    let full = message.len();
    let mut cut = MAX_MESSAGE_BYTES;
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    message.truncate(cut);
    message.push_str(&format!("… (message cut; {full} bytes in all)"));
    message.shrink_to_fit();
    message
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.step(), self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Build an error of a kind with a formatted message: `err!(Parse, "bad {x}")`.
macro_rules! err {
    ($kind:ident, $($arg:tt)+) => {
        $crate::error::Error::new($crate::error::ErrorKind::$kind, format!($($arg)+))
    };
}
pub(crate) use err;

/// The size check shared by every input cap: `what` of `len` bytes within `max`,
/// else [`ErrorKind::Limit`] naming both numbers.
pub(crate) fn check_size(what: &str, len: usize, max: usize) -> Result<()> {
    if len > max {
        return Err(err!(
            Limit,
            "{what} of {len} bytes exceeds the {max}-byte limit"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        let forged = "hashedrekord\u{1b}[2K\rVerified OK\n\u{9b}";
        let e = Error::new(ErrorKind::Tlog, format!("kind {forged}"));
        assert!(!e.message().chars().any(char::is_control), "{e}");
        assert_eq!(
            e.message(),
            r"kind hashedrekord\u{1b}[2K\rVerified OK\n\u{9b}"
        );
        // Context goes through the same door, and escaping twice changes nothing.
        let e = e.context(format!("entry \t{}", 1));
        assert!(
            e.message()
                .starts_with(r"entry \t1: kind hashedrekord\u{1b}"),
            "{e}"
        );
        assert!(!e.to_string().chars().any(char::is_control), "{e}");
        // Bidirectional overrides too; plain text is borrowed unchanged.
        assert_eq!(printable("a\u{202e}b\u{2066}c"), r"a\u{202e}b\u{2066}c");
        assert!(matches!(
            printable("plain é ✓"),
            std::borrow::Cow::Borrowed("plain é ✓")
        ));
    }

    #[test]
    fn long_messages_are_cut_at_a_char_boundary() {
        let quoted = "é".repeat(MAX_MESSAGE_BYTES);
        let e = Error::new(ErrorKind::Parse, format!("bad value {quoted}"));
        assert!(
            e.message().len() < MAX_MESSAGE_BYTES + 64,
            "{}",
            e.message().len()
        );
        assert!(e.message().starts_with("bad value éé"));
        assert!(
            e.message()
                .ends_with(&format!("; {} bytes in all)", 10 + 2 * MAX_MESSAGE_BYTES))
        );
        let e = e.context("x".repeat(MAX_MESSAGE_BYTES));
        assert!(e.message().len() < MAX_MESSAGE_BYTES + 64);
        let short = Error::new(ErrorKind::Parse, "short");
        assert_eq!(short.message(), "short");
    }

    #[test]
    fn codes_are_stable_and_unique() {
        for (i, k) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(k.code() as usize, i + 1);
            assert_eq!(ErrorKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(ErrorKind::from_code(0), None);
        assert_eq!(ErrorKind::from_code(18), None);
    }

    #[test]
    fn display_names_step() {
        let e = err!(Set, "entry {}: bad signature", 3).context("bundle");
        assert_eq!(e.to_string(), "set: bundle: entry 3: bad signature");
        assert_eq!(e.kind(), ErrorKind::Set);
    }
}
