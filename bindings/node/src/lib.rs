//! Node.js bindings for sigverify (napi-rs).
//!
//! This is the native layer only. The public JavaScript API (`TrustedRoot`,
//! `Verifier`, `SigverifyError`, argument checking with `TypeError`s, result
//! shaping) lives in `index.js`, which is the only supported caller of these
//! functions. The split keeps JS conventions in JS and lets this layer stay
//! small: it never throws for a verification failure, it returns a
//! [`NativeOutcome`] carrying the core's error code, so sync and async calls
//! report failures the same way. A success is a [`NativeVerified`]: the
//! result as JS values only, its JSON text written directly (several times
//! faster than through `serde_json::Value`) with the ranges of the fields that
//! index.js parses only when they are first read.

use napi::bindgen_prelude::{AsyncTask, Either, Latin1String, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use sigverify::bundle::BundleVersion;
use sigverify::certificate::SubjectAltName;
use sigverify::encoding::{b64_encode, hex_encode};
use sigverify::result::Mode;
use sigverify::time::{TimeRange, Timestamp};
use sigverify::{
    Artifact, Bundle, Error, ErrorKind, Identity, Matcher, Policy, TrustedRoot, Verified, Verifier,
};
use std::sync::Arc;

/// One error kind of the core: its stable numeric code and step name.
#[napi(object)]
pub struct NativeErrorKind {
    /// `ErrorKind::code()`.
    pub code: u32,
    /// `ErrorKind::step()`, e.g. `"inclusion-proof"`.
    pub step: String,
}

/// Every error kind of the core, in code order, so the JS layer never keeps
/// its own copy of the table.
#[napi]
pub fn error_kinds() -> Vec<NativeErrorKind> {
    ErrorKind::ALL
        .iter()
        .map(|k| NativeErrorKind {
            code: k.code(),
            step: k.step().to_owned(),
        })
        .collect()
}

/// A failure reported by the core.
#[napi(object)]
pub struct NativeFailure {
    /// `ErrorKind::code()` of the failed check.
    pub code: u32,
    /// `ErrorKind::step()` of the failed check.
    pub step: String,
    /// The core's message, naming the exact check.
    pub message: String,
}

impl From<&Error> for NativeFailure {
    fn from(e: &Error) -> Self {
        NativeFailure {
            code: e.kind().code(),
            step: e.kind().step().to_owned(),
            message: e.message().to_owned(),
        }
    }
}

/// A verification that did not succeed: exactly one field is set. (A success
/// is a [`NativeVerified`] instead.)
#[napi(object)]
pub struct NativeOutcome {
    /// Why verification failed.
    pub failure: Option<NativeFailure>,
    /// A panic in the core (a bug): reported instead of aborting the process.
    pub internal: Option<String>,
}

/// A successful verification, as JS values only (strings and a number),
/// which the garbage collector frees with the result. (A native object
/// holding the result would wait for Node's deferred finalizers, which never
/// run during a synchronous loop of verifications: memory would grow by
/// every result until the loop yields.)
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct NativeVerified {
    /// The whole result as JSON text (see [`result_text`]): what index.js
    /// parses, a section at a time, when a field is first read. ASCII, so
    /// made a JS string as Latin-1: a copy, no UTF-8 decoding.
    #[napi(ts_type = "string")]
    pub json: Latin1String,
    /// Where the lazily parsed fields are in `json` (see [`result_text`]).
    pub sections: String,
    /// The scalars as one number (see [`summary`]).
    pub summary: f64,
    /// The signer's (first) SAN; `null` without an identity (public key).
    pub san: Option<String>,
    /// The OIDC issuer; `null` without one or without an identity.
    pub issuer: Option<String>,
}

/// What [`run`] produced, as text, or the message of a panic it raised.
type Ran = Result<Result<NativeVerified, Error>, String>;

/// What `verify`, `verifyDsse` and `verifyAsync` hand to index.js.
type Answer = Either<NativeVerified, NativeOutcome>;

fn answer(r: Ran) -> Answer {
    match r {
        Ok(Ok(verified)) => Either::A(verified),
        Ok(Err(e)) => Either::B(NativeOutcome {
            failure: Some(NativeFailure::from(&e)),
            internal: None,
        }),
        Err(panic) => Either::B(NativeOutcome {
            failure: None,
            internal: Some(panic),
        }),
    }
}

/// Run `f` and write its result as text (on the thread that verified),
/// turning a panic into its message: a panic must not unwind into Node (that
/// aborts the process, e.g. a whole `npm install`).
fn guarded(f: impl FnOnce() -> Result<Verified, Error>) -> Ran {
    let run_and_write = || f().map(|v| native_verified(&v));
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run_and_write)).map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned())
    })
}

/// One acceptable signer. Exactly one of `identity`/`identityRegex` and one
/// of `issuer`/`issuerRegex` must be set (index.js checks this with
/// `TypeError`s; this layer checks again and reports `policy-misuse`).
#[napi(object)]
#[derive(Clone)]
pub struct NativeIdentity {
    /// Exact Subject Alternative Name.
    pub identity: Option<String>,
    /// Full-match regular expression for the SAN.
    pub identity_regex: Option<String>,
    /// Exact OIDC issuer.
    pub issuer: Option<String>,
    /// Full-match regular expression for the issuer.
    pub issuer_regex: Option<String>,
    /// Fulcio claims the certificate must also carry.
    pub claims: Option<Vec<NativeClaim>>,
}

/// A Fulcio claim an identity requires (index.js builds these from
/// `extensions` and `extensionsRegex`).
#[napi(object)]
#[derive(Clone)]
pub struct NativeClaim {
    /// Claim name (e.g. `SourceRepositoryURI`) or OID under 1.3.6.1.4.1.57264.1.
    pub name: String,
    /// The exact value, or a full-match regular expression when `regex`.
    pub value: String,
    /// Whether `value` is a regular expression.
    pub regex: bool,
}

/// The caller's policy: identities (any one may match) or managed keys (any
/// one may have signed).
#[napi(object)]
pub struct NativePolicy {
    /// Keyless: acceptable signers.
    pub identities: Option<Vec<NativeIdentity>>,
    /// Managed keys: a keyring of one or more.
    pub keys: Option<Vec<NativeKey>>,
}

/// One managed key, perhaps trusted for a window only.
#[napi(object)]
pub struct NativeKey {
    /// PEM or DER SubjectPublicKeyInfo.
    // Uint8Array, not Buffer: napi-rs's Buffer conversion leaks a reference
    // when handed a non-Buffer object (found by node-memcheck).
    pub public_key: Uint8Array,
    /// Trusted from this instant (`Date` milliseconds since the epoch).
    pub valid_from_ms: Option<f64>,
    /// Trusted until this instant, inclusive (`Date` milliseconds).
    pub valid_until_ms: Option<f64>,
}

/// An owned copy of the policy, so it can move to a worker thread.
enum PolicySpec {
    Identities(Vec<NativeIdentity>),
    /// Each key, and the window it is trusted for, if any.
    PublicKeys(Vec<(Vec<u8>, Option<TimeRange>)>),
}

/// `Date` milliseconds since the epoch as a timestamp.
fn from_date_ms(ms: f64, what: &str) -> Result<Timestamp, Error> {
    // Dates span ±8.64e15 ms; anything else is not one.
    if !ms.is_finite() || ms.abs() > 8.64e15 {
        return Err(misuse(format!("{what} is not a valid Date")));
    }
    let secs = (ms / 1000.0).floor();
    let nanos = ((ms - secs * 1000.0) * 1e6)
        .round()
        .clamp(0.0, 999_999_999.0);
    Timestamp::new(secs as i64, nanos as u32)
        .ok_or_else(|| misuse(format!("{what} is not a valid Date")))
}

fn misuse(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::PolicyMisuse, msg)
}

impl PolicySpec {
    fn from_native(p: NativePolicy) -> Result<PolicySpec, Error> {
        match (p.identities, p.keys) {
            (Some(ids), None) => Ok(PolicySpec::Identities(ids)),
            (None, Some(keys)) => keys
                .into_iter()
                .map(|k| {
                    let window = TimeRange::from_bounds(
                        k.valid_from_ms
                            .map(|ms| from_date_ms(ms, "validFrom"))
                            .transpose()?,
                        k.valid_until_ms
                            .map(|ms| from_date_ms(ms, "validUntil"))
                            .transpose()?,
                    );
                    Ok((k.public_key.to_vec(), window))
                })
                .collect::<Result<_, Error>>()
                .map(PolicySpec::PublicKeys),
            (Some(_), Some(_)) => Err(misuse(
                "a policy has either identities or a public key, not both",
            )),
            (None, None) => Err(misuse("a policy needs identities or a public key")),
        }
    }

    /// Compile into the core's policy (regexes are compiled here).
    fn build(&self) -> Result<Policy, Error> {
        match self {
            PolicySpec::PublicKeys(keys) => Policy::any_key(
                keys.iter()
                    .map(|(key, window)| match window {
                        None => Policy::public_key(key),
                        Some(w) => Policy::public_key(key)?.key_valid_for(*w),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            PolicySpec::Identities(ids) => Policy::any_of(
                ids.iter()
                    .map(|id| {
                        let mut identity = Identity::new(
                            matcher(&id.identity, &id.identity_regex, "identity")?,
                            matcher(&id.issuer, &id.issuer_regex, "issuer")?,
                        );
                        for claim in id.claims.iter().flatten() {
                            let m = if claim.regex {
                                Matcher::regex(&claim.value)?
                            } else {
                                Matcher::exact(claim.value.clone())
                            };
                            identity = identity.require_extension(&claim.name, m)?;
                        }
                        Ok(identity)
                    })
                    .collect::<Result<Vec<_>, Error>>()?,
            ),
        }
    }
}

fn matcher(exact: &Option<String>, regex: &Option<String>, what: &str) -> Result<Matcher, Error> {
    match (exact, regex) {
        (Some(s), None) => Ok(Matcher::exact(s.clone())),
        (None, Some(r)) => Matcher::regex(r),
        (Some(_), Some(_)) => Err(misuse(format!("give {what} or {what}Regex, not both"))),
        (None, None) => Err(misuse(format!(
            "an identity policy needs {what} or {what}Regex"
        ))),
    }
}

/// What was signed, borrowed from the caller or from a task.
enum ArtifactRef<'a> {
    Bytes(&'a [u8]),
    Digest(&'a str),
    /// None: a DSSE bundle verified without the subject match (`verifyDsse`).
    Unbound,
}

fn artifact_ref<'a>(
    bytes: Option<&'a [u8]>,
    digest: Option<&'a str>,
) -> Result<ArtifactRef<'a>, Error> {
    match (bytes, digest) {
        (Some(b), None) => Ok(ArtifactRef::Bytes(b)),
        (None, Some(d)) => Ok(ArtifactRef::Digest(d)),
        _ => Err(misuse(
            "give exactly one of the artifact bytes or its digest",
        )),
    }
}

/// Parse and verify: the whole request, on whichever thread runs it.
fn run(
    verifier: &Verifier,
    bundle: &[u8],
    artifact: Result<ArtifactRef<'_>, Error>,
    policy: Result<&PolicySpec, &Error>,
) -> Result<Verified, Error> {
    let policy = policy.map_err(Clone::clone)?.build()?;
    let artifact = match artifact? {
        ArtifactRef::Bytes(b) => Some(Artifact::from_bytes(b)),
        ArtifactRef::Digest(d) => Some(Artifact::parse_digest(d)?),
        ArtifactRef::Unbound => None,
    };
    let bundle = Bundle::from_json_with_limits(bundle, &verifier.options().limits)?;
    match &artifact {
        Some(a) => verifier.verify(&bundle, a, &policy),
        None => verifier.verify_dsse(&bundle, &policy),
    }
}

/// JSON text written directly (no `serde_json::Value` tree to build and
/// drop: several times faster), in ASCII.
struct JsonText(Vec<u8>);

impl JsonText {
    /// `[` + one object per item, written by `write` between its braces + `]`.
    fn array<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut Self, T),
    ) {
        self.raw("[");
        for (i, item) in items.into_iter().enumerate() {
            self.raw(if i == 0 { "{" } else { ",{" });
            write(self, item);
            self.raw("}");
        }
        self.raw("]");
    }

    fn raw(&mut self, text: &str) -> &mut Self {
        self.0.extend_from_slice(text.as_bytes());
        self
    }

    /// A JSON string, in ASCII: `"`, `\\` and the control characters
    /// escaped as serde_json escapes them, every non-ASCII character as
    /// `\uXXXX` (UTF-16), so that the text reads the same as Latin-1.
    fn str(&mut self, s: &str) -> &mut Self {
        // Most strings (URLs, OIDs, base64, hex) need no escaping: copy them.
        // (A fold, not `all`: without the early exit the scan vectorises.)
        let plain = s.bytes().fold(true, |ok, b| {
            ok & (0x20..0x80).contains(&b) & (b != b'"') & (b != b'\\')
        });
        self.0.reserve(s.len() + 2);
        self.0.push(b'"');
        if plain {
            self.0.extend_from_slice(s.as_bytes());
        } else {
            for c in s.chars() {
                let escape = match c {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    '\u{8}' => "\\b",
                    '\u{c}' => "\\f",
                    ' '..='~' => {
                        self.0.push(c as u8);
                        continue;
                    }
                    _ => {
                        for unit in c.encode_utf16(&mut [0; 2]) {
                            self.0
                                .extend_from_slice(format!("\\u{unit:04x}").as_bytes());
                        }
                        continue;
                    }
                };
                self.0.extend_from_slice(escape.as_bytes());
            }
        }
        self.0.push(b'"');
        self
    }

    /// Standard padded base64 of `data`, without quotes.
    fn base64(&mut self, data: &[u8]) -> &mut Self {
        self.raw(&b64_encode(data))
    }

    fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }

    fn bool(&mut self, b: bool) -> &mut Self {
        self.raw(if b { "true" } else { "false" })
    }

    /// The first key of an object.
    fn key_first(&mut self, key: &str) -> &mut Self {
        self.str(key).raw(":")
    }

    /// A further key of an object.
    fn key(&mut self, key: &str) -> &mut Self {
        self.raw(",").str(key).raw(":")
    }
}

/// Every bundle version, in the order the summary numbers them.
const BUNDLE_VERSIONS: [BundleVersion; 3] = [
    BundleVersion::V0_1,
    BundleVersion::V0_2,
    BundleVersion::V0_3,
];

fn version_index(v: BundleVersion) -> u8 {
    match v {
        BundleVersion::V0_1 => 0,
        BundleVersion::V0_2 => 1,
        BundleVersion::V0_3 => 2,
    }
}

/// The strings behind the summary's bits, and the names of the sections.
#[napi(object, object_from_js = false)]
pub struct NativeResultLabels {
    /// `mode` for keyless bit 0 and 1.
    pub modes: Vec<&'static str>,
    /// `bundleVersion` by index.
    pub bundle_versions: Vec<&'static str>,
    /// The fields whose ranges [`NativeVerified::sections`] gives, in order.
    pub sections: Vec<&'static str>,
}

/// The labels of the summary's bits and the sections' names, read once by
/// index.js (the strings come from the core, as the error table does).
#[napi]
pub fn result_labels() -> NativeResultLabels {
    NativeResultLabels {
        modes: vec![Mode::PublicKey.as_str(), Mode::Keyless.as_str()],
        bundle_versions: BUNDLE_VERSIONS.iter().map(|v| v.as_str()).collect(),
        sections: SECTIONS.to_vec(),
    }
}

/// The fields index.js parses lazily, in the order of the ranges in
/// [`NativeVerified::sections`].
const SECTIONS: [&str; 9] = [
    "sans",
    "extensions",
    "certificate",
    "key",
    "verifiedTimes",
    "tlogEntries",
    "scts",
    "dsse",
    "statement",
];

/// The summary: the scalars of a result as one number. Bit 0
/// `artifactBound`, bit 1 keyless, bits 2-3 the index of `bundleVersion`
/// in [`result_labels`]`().bundleVersions`, bits 4 and up `matchedPolicy`
/// (0 without an identity). Exact: below 2^53 for any policy list.
fn summary(v: &Verified) -> f64 {
    let bits = u8::from(v.artifact_bound)
        | u8::from(v.mode == Mode::Keyless) << 1
        | version_index(v.bundle_version) << 2;
    // A policy list is far shorter than 2^49 entries.
    #[allow(clippy::cast_precision_loss)]
    let matched = v.identity.as_ref().map_or(0, |id| id.matched_policy) as f64;
    matched * 16.0 + f64::from(bits)
}

fn native_verified(v: &Verified) -> NativeVerified {
    let (json, ranges) = result_text(v);
    let id = v.identity.as_ref();
    NativeVerified {
        json: Latin1String::from(json),
        sections: ranges
            .iter()
            .map(|(start, end)| format!("{start},{end}"))
            .collect::<Vec<_>>()
            .join(","),
        summary: summary(v),
        san: id.map(|id| id.san().to_owned()),
        issuer: id.and_then(|id| id.issuer.clone()),
    }
}

/// The whole result as JSON text, as this layer used to serialise it
/// through `serde_json::Value` (`Verified::to_json` plus
/// `identity.matchedPolicy` and `dsse.payload` in base64, keys in serde_json's
/// sorted order, so every object parses as it always did), but written
/// directly, several times faster, and in ASCII (non-ASCII characters
/// escaped). With it, the byte (= character) range of each of the
/// [`SECTIONS`]' values: `certificate` without its quotes (the base64);
/// `sans`, `extensions` and `certificate` empty without an identity.
fn result_text(v: &Verified) -> (String, [(usize, usize); SECTIONS.len()]) {
    let mut ranges = [(0, 0); SECTIONS.len()];
    let mut j = JsonText(Vec::with_capacity(8192));
    // Record the range of section `name` as what `write` writes.
    fn section(
        j: &mut JsonText,
        ranges: &mut [(usize, usize); SECTIONS.len()],
        name: &str,
        write: impl FnOnce(&mut JsonText),
    ) {
        let start = j.0.len();
        write(j);
        let i = SECTIONS.iter().position(|s| *s == name).expect("a section");
        ranges[i] = (start, j.0.len());
    }
    j.raw("{").key_first("artifactBound").bool(v.artifact_bound);
    j.key("bundleVersion").str(v.bundle_version.as_str());
    j.key("dsse");
    section(&mut j, &mut ranges, "dsse", |j| match &v.dsse_payload {
        Some((t, p)) => {
            j.raw("{")
                .key_first("payload")
                .raw("\"")
                .base64(p)
                .raw("\"");
            let sha = hex_encode(&sigverify::crypto::sha256(p));
            j.key("payloadSha256")
                .str(&sha)
                .key("payloadType")
                .str(t)
                .raw("}");
        }
        None => {
            j.raw("null");
        }
    });
    j.key("identity");
    match &v.identity {
        Some(id) => {
            j.raw("{").key_first("certificate").raw("\"");
            section(&mut j, &mut ranges, "certificate", |j| {
                j.base64(&id.certificate_der);
            });
            j.raw("\"").key("extensions");
            section(&mut j, &mut ranges, "extensions", |j| {
                j.array(&id.extensions, |j, e| {
                    j.key_first("name").str(e.name);
                    j.key("oid").str(&e.oid).key("value").str(&e.value);
                });
            });
            j.key("issuer").opt_str(id.issuer.as_deref());
            j.key("matchedPolicy").raw(&id.matched_policy.to_string());
            j.key("san").str(id.san()).key("sans");
            section(&mut j, &mut ranges, "sans", |j| {
                j.array(&id.sans, |j, s| {
                    let (kind, v) = match s {
                        SubjectAltName::Uri(v) => ("uri", v),
                        SubjectAltName::Email(v) => ("email", v),
                        SubjectAltName::OtherName(v) => ("otherName", v),
                    };
                    j.key_first("type").str(kind).key("value").str(v);
                });
            });
            j.raw("}");
        }
        None => {
            j.raw("null");
        }
    }
    j.key("key");
    section(&mut j, &mut ranges, "key", |j| {
        j.raw("{").key_first("sha256").str(&v.key_fingerprint);
        j.key("type").str(&v.key_type.name()).raw("}");
    });
    j.key("mode").str(v.mode.as_str()).key("scts");
    section(&mut j, &mut ranges, "scts", |j| {
        j.array(&v.scts, |j, s| {
            j.key_first("logId").raw("\"").base64(&s.log_id).raw("\"");
            j.key("time").str(&s.timestamp.to_rfc3339());
        });
    });
    j.key("statement");
    section(&mut j, &mut ranges, "statement", |j| match &v.statement {
        // Keys sorted as serde_json's maps sort them; a subject's digest map
        // has keys chosen by the signer: sorted and de-duplicated (the last
        // one wins) as a serde_json map does.
        Some(st) => {
            j.raw("{")
                .key_first("predicateType")
                .str(&st.predicate_type);
            j.key("subjects").array(&st.subjects, |j, sub| {
                let digests: std::collections::BTreeMap<&str, &str> = sub
                    .digests
                    .iter()
                    .map(|(a, h)| (a.as_str(), h.as_str()))
                    .collect();
                j.key_first("digest").raw("{");
                for (i, (alg, hex)) in digests.into_iter().enumerate() {
                    if i == 0 {
                        j.key_first(alg);
                    } else {
                        j.key(alg);
                    }
                    j.str(hex);
                }
                j.raw("}").key("name").str(&sub.name);
            });
            j.key("type").str(&st.statement_type).raw("}");
        }
        None => {
            j.raw("null");
        }
    });
    j.key("tlogEntries");
    section(&mut j, &mut ranges, "tlogEntries", |j| {
        j.array(&v.tlog_entries, |j, e| {
            let time = e.integrated_time.map(|t| t.to_rfc3339());
            j.key_first("integratedTime").opt_str(time.as_deref());
            j.key("kind").str(&e.kind).key("log").str(&e.base_url);
            j.key("logId").raw("\"").base64(&e.log_id).raw("\"");
            j.key("logIndex").raw(&e.log_index.to_string());
            j.key("rekorV2").bool(e.rekor_v2);
            j.key("version").str(&e.version);
        });
    });
    j.key("verified").bool(true).key("verifiedTimes");
    section(&mut j, &mut ranges, "verifiedTimes", |j| {
        j.array(&v.verified_times, |j, t| {
            j.key_first("source").str(t.source.kind());
            j.key("time")
                .str(&t.time.to_rfc3339())
                .key("url")
                .str(t.source.url());
        });
    });
    j.raw("}");
    let text = String::from_utf8(j.0).expect("JSON text in ASCII is UTF-8");
    (text, ranges)
}

/// A trusted root, already prepared for verification (CA and TSA chains
/// checked once). Holds the preparation error instead of throwing, so index.js
/// can raise a `SigverifyError` for it.
#[napi]
pub struct NativeTrustedRoot {
    prepared: Result<Arc<Verifier>, Error>,
}

impl NativeTrustedRoot {
    fn prepare(root: Result<TrustedRoot, Error>) -> Self {
        NativeTrustedRoot {
            prepared: root.and_then(Verifier::new).map(Arc::new),
        }
    }
}

#[napi]
impl NativeTrustedRoot {
    /// The embedded Sigstore production root.
    #[napi(factory)]
    pub fn production() -> Self {
        Self::prepare(TrustedRoot::production())
    }

    /// The embedded Sigstore staging root.
    #[napi(factory)]
    pub fn staging() -> Self {
        Self::prepare(TrustedRoot::staging())
    }

    /// A root from `trusted_root.json` bytes.
    #[napi(factory)]
    pub fn from_json(json: &[u8]) -> Self {
        Self::prepare(TrustedRoot::from_json(json))
    }

    /// Why the root is unusable, if it is.
    #[napi]
    pub fn failure(&self) -> Option<NativeFailure> {
        self.prepared.as_ref().err().map(NativeFailure::from)
    }
}

/// A verifier sharing a prepared trusted root (`Send + Sync`, behind an `Arc`).
#[napi]
pub struct NativeVerifier {
    inner: Arc<Verifier>,
}

#[napi]
impl NativeVerifier {
    /// A verifier over `root`; fails (plain `Error`) if the root is unusable,
    /// which index.js rules out by checking `root.failure()` first.
    #[napi(constructor)]
    pub fn new(root: &NativeTrustedRoot) -> napi::Result<Self> {
        match &root.prepared {
            Ok(v) => Ok(NativeVerifier { inner: v.clone() }),
            Err(e) => Err(napi::Error::from_reason(e.to_string())),
        }
    }

    /// Verify on the calling (main) thread, borrowing the inputs.
    #[napi(ts_return_type = "NativeVerified | NativeOutcome")]
    pub fn verify(
        &self,
        bundle: &[u8],
        artifact: Option<&[u8]>,
        digest: Option<String>,
        policy: NativePolicy,
    ) -> Answer {
        let policy = PolicySpec::from_native(policy);
        answer(guarded(|| {
            run(
                &self.inner,
                bundle,
                artifact_ref(artifact, digest.as_deref()),
                policy.as_ref(),
            )
        }))
    }

    /// Verify a DSSE bundle without its artifact, on the calling thread:
    /// every check but the in-toto subject match.
    #[napi(ts_return_type = "NativeVerified | NativeOutcome")]
    pub fn verify_dsse(&self, bundle: &[u8], policy: NativePolicy) -> Answer {
        let policy = PolicySpec::from_native(policy);
        answer(guarded(|| {
            run(
                &self.inner,
                bundle,
                Ok(ArtifactRef::Unbound),
                policy.as_ref(),
            )
        }))
    }

    /// Verify on the libuv thread pool. The inputs are copied first, so the
    /// caller may reuse or mutate its buffers while the work runs. The result
    /// and its text are computed there; only making JS values of them
    /// happens back on the main thread.
    #[napi(ts_return_type = "Promise<NativeVerified | NativeOutcome>")]
    pub fn verify_async(
        &self,
        bundle: &[u8],
        artifact: Option<&[u8]>,
        digest: Option<String>,
        policy: NativePolicy,
    ) -> AsyncTask<VerifyTask> {
        AsyncTask::new(VerifyTask {
            verifier: self.inner.clone(),
            bundle: bundle.to_vec(),
            artifact: artifact.map(<[u8]>::to_vec),
            digest,
            policy: PolicySpec::from_native(policy),
        })
    }
}

/// One `verifyAsync` call, owned so it can run off the main thread.
pub struct VerifyTask {
    verifier: Arc<Verifier>,
    bundle: Vec<u8>,
    artifact: Option<Vec<u8>>,
    digest: Option<String>,
    policy: Result<PolicySpec, Error>,
}

impl Task for VerifyTask {
    type Output = Ran;
    type JsValue = Answer;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| {
            run(
                &self.verifier,
                &self.bundle,
                artifact_ref(self.artifact.as_deref(), self.digest.as_deref()),
                self.policy.as_ref(),
            )
        }))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Answer> {
        Ok(answer(output))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// `Verified::to_json` plus what a JS caller needs that the CLI JSON
    /// leaves out: the index of the matched policy identity and the DSSE
    /// payload bytes. What this layer used to serialise for every result,
    /// and what [`result_text`] writes.
    fn result_json(v: &Verified) -> Value {
        let mut json = v.to_json();
        if let (Some(id), Some(obj)) = (
            &v.identity,
            json.get_mut("identity").and_then(Value::as_object_mut),
        ) {
            obj.insert("matchedPolicy".into(), id.matched_policy.into());
        }
        if let (Some((_, payload)), Some(obj)) = (
            &v.dsse_payload,
            json.get_mut("dsse").and_then(Value::as_object_mut),
        ) {
            obj.insert("payload".into(), b64_encode(payload).into());
        }
        json
    }

    fn vectors() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors")
    }

    /// Guard for DEPS.md gotcha 11: nothing in this crate's dependency graph
    /// (napi's `serde-json-ordered` in particular) may turn on serde_json's
    /// `preserve_order`, because the core builds SET payloads from serde_json's
    /// sorted map. Feature unification would apply it to the core too.
    #[test]
    fn serde_json_maps_stay_sorted() {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":2,"c":{"z":0,"y":1}}"#).unwrap();
        assert_eq!(v.to_string(), r#"{"a":2,"b":1,"c":{"y":1,"z":0}}"#);
    }

    const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    const ISSUER: &str = "https://token.actions.githubusercontent.com";

    /// The conformance corpus's manifest entries.
    fn manifest() -> Vec<Value> {
        let text = std::fs::read(vectors().join("conformance/manifest.json")).unwrap();
        let manifest: Value = serde_json::from_slice(&text).unwrap();
        manifest["cases"].as_array().unwrap().clone()
    }

    /// Verify conformance case `name`, which must pass, through the
    /// binding's path.
    fn verify_case(name: &str) -> Verified {
        let case = manifest().into_iter().find(|c| c["name"] == name).unwrap();
        let dir = vectors().join("conformance");
        let file = |key: &str| std::fs::read(dir.join(case[key].as_str().unwrap())).unwrap();
        let verifier = if case["trusted_root_is_default"] == true {
            Verifier::production().unwrap()
        } else {
            Verifier::new(TrustedRoot::from_json(&file("trusted_root")).unwrap()).unwrap()
        };
        let spec = if case["key"].is_string() {
            PolicySpec::PublicKeys(vec![(file("key"), None)])
        } else {
            PolicySpec::Identities(vec![NativeIdentity {
                identity: case["identity"].as_str().map(Into::into),
                identity_regex: None,
                issuer: case["issuer"].as_str().map(Into::into),
                issuer_regex: None,
                claims: None,
            }])
        };
        let (bundle, artifact) = (file("bundle"), file("artifact"));
        let artifact = Ok(ArtifactRef::Bytes(&artifact));
        run(&verifier, &bundle, artifact, Ok(&spec)).unwrap()
    }

    /// The same guard end to end: a v0.1 bundle is accepted only through its
    /// SET, which needs the canonical (sorted) payload.
    #[test]
    fn set_only_bundle_verifies_through_binding_path() {
        let Ok(Ok(out)) = guarded(|| Ok(verify_case("happy-path-v0.1"))) else {
            panic!("the v0.1 bundle verifies");
        };
        let v: Value = serde_json::from_slice(&out.json).unwrap();
        assert_eq!(v["identity"]["matchedPolicy"], 0);
        assert_eq!(v["mode"], "keyless");
        assert_eq!(out.san.as_deref(), Some(IDENTITY));
        assert_eq!(out.issuer.as_deref(), Some(ISSUER));
    }

    /// On every passing case of the corpus, the text is the JSON this layer
    /// used to write with serde_json, byte for byte (the corpus is ASCII);
    /// its sections are the fields' values; the summary holds the scalars.
    #[test]
    fn result_text_is_the_whole_result_json() {
        let cases = manifest();
        let passing = cases.iter().filter(|c| c["expect"] == "pass");
        let names: Vec<&str> = passing.map(|c| c["name"].as_str().unwrap()).collect();
        assert!(names.len() >= 20, "{} passing cases", names.len());
        for name in names {
            let v = verify_case(name);
            let whole = result_json(&v);
            let out = native_verified(&v);
            let json = std::str::from_utf8(&out.json).unwrap();
            assert_eq!(json, whole.to_string(), "{name}");
            let bounds: Vec<usize> = out
                .sections
                .split(',')
                .map(|b| b.parse().unwrap())
                .collect();
            assert_eq!(bounds.len(), 2 * SECTIONS.len(), "{name}");
            let id = &whole["identity"];
            for (i, field) in SECTIONS.into_iter().enumerate() {
                let text = &json[bounds[2 * i]..bounds[2 * i + 1]];
                let expected = match field {
                    "sans" | "extensions" => &id[field],
                    "certificate" => &id["certificate"],
                    _ => &whole[field],
                };
                if id.is_null() && i < 3 {
                    assert_eq!(text, "", "{name}: {field}");
                } else if field == "certificate" {
                    assert_eq!(text, expected.as_str().unwrap(), "{name}: {field}");
                } else {
                    assert_eq!(text, expected.to_string(), "{name}: {field}");
                }
            }
            let labels = result_labels();
            let bits = (out.summary % 16.0) as usize;
            assert_eq!(whole["artifactBound"], bits & 1 == 1, "{name}");
            assert_eq!(whole["mode"], labels.modes[(bits >> 1) & 1], "{name}");
            assert_eq!(
                whole["bundleVersion"],
                labels.bundle_versions[bits >> 2],
                "{name}"
            );
            let matched = ((out.summary - bits as f64) / 16.0) as u64;
            assert_eq!(id["matchedPolicy"].as_u64().unwrap_or(0), matched, "{name}");
            assert_eq!(json!(out.san), id["san"], "{name}");
            assert_eq!(json!(out.issuer), id["issuer"], "{name}");
        }
    }

    /// Non-ASCII text is escaped (the same values), and digest maps are
    /// sorted and de-duplicated as a serde_json map does.
    #[test]
    fn result_text_escapes_and_sorts_like_serde_json() {
        use sigverify::signature::dsse::{InTotoStatement, Subject};
        let mut v = verify_case("happy-path-intoto-in-dsse-v3");
        v.statement = Some(InTotoStatement {
            statement_type: "t\u{e9}".into(),
            predicate_type: "p\"q\n".into(),
            subjects: vec![Subject {
                name: "n\u{1F600}\u{2028}".into(),
                digests: vec![
                    ("sha512".into(), "b".into()),
                    ("sha256".into(), "a".into()),
                    ("sha512".into(), "c".into()),
                    ("__proto__".into(), "d".into()),
                ],
            }],
        });
        if let Some(id) = v.identity.as_mut() {
            id.issuer = Some("https://\u{e9}x.example/\u{0}".into());
        }
        let (text, _) = result_text(&v);
        assert!(text.is_ascii());
        let ours: Value = serde_json::from_str(&text).unwrap();
        let whole = result_json(&v);
        assert_eq!(ours, whole);
        // Same key order too.
        assert_eq!(ours.to_string(), whole.to_string());
    }

    #[test]
    fn json_text_writes_valid_json() {
        let tricky = [
            "plain",
            "quote \" back \\ slash",
            "ctl \u{0}\u{1f}\n\t\r\u{8}\u{c}",
            "é ☃ 😀 \u{2028}",
            "",
        ];
        for s in tricky {
            let mut j = JsonText(Vec::new());
            j.raw("{").key_first(s).str(s).key("n").opt_str(None);
            j.key("t").bool(true).raw("}");
            assert!(j.0.is_ascii(), "{s}");
            let v: Value = serde_json::from_slice(&j.0).unwrap();
            assert_eq!(v, json!({ s: s, "n": null, "t": true }));
        }
        let mut j = JsonText(Vec::new());
        j.array(tricky, |j, s| {
            j.key_first("s").str(s);
        });
        let expected = Value::Array(tricky.iter().map(|s| json!({ "s": s })).collect());
        assert_eq!(serde_json::from_slice::<Value>(&j.0).unwrap(), expected);
        // ASCII strings come out as serde_json writes them.
        let ascii = &tricky[..3];
        let mut j = JsonText(Vec::new());
        j.array(ascii, |j, s| {
            j.key_first("s").str(s);
        });
        let expected = Value::Array(ascii.iter().map(|s| json!({ "s": s })).collect());
        assert_eq!(j.0, expected.to_string().into_bytes());
        let mut j = JsonText(Vec::new());
        j.array(Vec::<&str>::new(), |_, _| {});
        assert_eq!(j.0, b"[]");
    }

    #[test]
    fn policy_shape_errors_are_policy_misuse() {
        let none = NativeIdentity {
            identity: None,
            identity_regex: None,
            issuer: Some("x".into()),
            issuer_regex: None,
            claims: None,
        };
        let both = NativeIdentity {
            identity: Some("a".into()),
            identity_regex: Some("a".into()),
            ..none.clone()
        };
        let unknown_claim = NativeIdentity {
            identity: Some("a".into()),
            claims: Some(vec![NativeClaim {
                name: "NoSuchClaim".into(),
                value: "x".into(),
                regex: false,
            }]),
            ..none.clone()
        };
        for id in [none, both, unknown_claim] {
            let err = PolicySpec::Identities(vec![id]).build().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PolicyMisuse);
        }
        let err = PolicySpec::Identities(vec![]).build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PolicyMisuse);
        let err = artifact_ref(None, None).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::PolicyMisuse);
        let err = artifact_ref(Some(b"x"), Some("sha256:00")).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::PolicyMisuse);
    }

    #[test]
    fn panics_become_internal_outcomes() {
        let Either::B(out) = answer(guarded(|| panic!("boom {}", 1))) else {
            panic!("a panic is not a result");
        };
        assert_eq!(out.internal.as_deref(), Some("boom 1"));
        assert!(out.failure.is_none());
        let Either::B(out) = answer(guarded(|| Err(misuse("x")))) else {
            panic!("a failure is not a result");
        };
        assert_eq!(out.failure.map(|f| f.code), Some(15));
        assert!(out.internal.is_none());
    }

    #[test]
    fn error_table_matches_core() {
        let kinds = error_kinds();
        assert_eq!(kinds.len(), ErrorKind::ALL.len());
        assert!(
            kinds
                .iter()
                .any(|k| k.code == 6 && k.step == "inclusion-proof")
        );
    }
}
