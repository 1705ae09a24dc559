//! Python bindings for sigverify: the native module `sigverify._native`,
//! re-exported by the `sigverify` package (`python/sigverify/__init__.py`).
//!
//! Every verification rule lives in the core crate. This layer converts Python
//! inputs (bytes, paths, file objects, digests), releases the GIL around hashing
//! and verification, and maps core errors to one exception class per step.

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDateAccess, PyDateTime, PyDelta, PyDeltaAccess, PyDict, PyInt,
    PyMemoryView, PySlice, PyString, PyTimeAccess, PyTuple, PyType, PyTzInfo, PyTzInfoAccess,
};
use sigverify::bundle::{
    Content, Limits, MAX_BUNDLE_BYTES, MAX_DSSE_PAYLOAD_BYTES, SigningMaterial,
};
use sigverify::certificate::SubjectAltName;
use sigverify::crypto::{HashAlg, MultiHasher};
use sigverify::policy::check_public_key_len;
use sigverify::trust_root::check_trusted_root_len;
use sigverify::{Artifact, ErrorKind};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Bytes read from a file object per call to its `read` (hashed with the GIL released).
const READ_CHUNK: usize = 1 << 20;

// ---------------------------------------------------------------------------
// Exceptions

/// The exception classes, built once per interpreter from [`ErrorKind::ALL`].
struct ErrorTypes {
    base: Py<PyType>,
    /// `(code, class)` for every kind the core knows.
    by_code: Vec<(u32, Py<PyType>)>,
}

static ERROR_TYPES: PyOnceLock<ErrorTypes> = PyOnceLock::new();

/// Python class name of a kind: `inclusion-proof` -> `InclusionProofError`.
fn class_name(kind: ErrorKind) -> String {
    match kind {
        // "SetError" would read as an error about Python sets.
        ErrorKind::Set => "SignedEntryTimestampError".to_string(),
        _ => {
            let mut name = String::new();
            for part in kind.step().split('-') {
                let mut chars = part.chars();
                if let Some(first) = chars.next() {
                    name.extend(first.to_uppercase());
                    name.push_str(chars.as_str());
                }
            }
            name + "Error"
        }
    }
}

/// One-line description of a kind, used as the class docstring.
fn class_doc(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Parse => {
            "Malformed input: JSON, base64, DER, PEM or a structural rule of the bundle."
        }
        ErrorKind::UnsupportedVersion => {
            "A bundle media type or log entry kind/version this verifier does not accept."
        }
        ErrorKind::TrustedRoot => "The trusted root is malformed or cannot be used.",
        ErrorKind::TlogBodyMismatch => {
            "A transparency-log entry body does not describe this bundle."
        }
        ErrorKind::Set => "A signed entry timestamp (inclusion promise) did not verify.",
        ErrorKind::InclusionProof => "A Merkle inclusion proof did not verify.",
        ErrorKind::Checkpoint => {
            "A checkpoint (signed note) is malformed, unsigned or does not match the proof."
        }
        ErrorKind::Timestamp => "An RFC 3161 timestamp did not verify.",
        ErrorKind::TimeWindow => {
            "A verified time falls outside a validity window, or too few verified times."
        }
        ErrorKind::Chain => "The certificate chain does not lead to a trusted Fulcio CA.",
        ErrorKind::Sct => "Signed certificate timestamps failed or too few verified.",
        ErrorKind::Signature => "The artifact signature (message or DSSE) did not verify.",
        ErrorKind::ArtifactMismatch => {
            "The artifact, digest or in-toto subject does not match what was signed."
        }
        ErrorKind::Identity => "The certificate identity or OIDC issuer does not match the policy.",
        ErrorKind::PolicyMisuse => {
            "The policy or inputs are inconsistent (e.g. an identity policy for a key bundle). Also a ValueError."
        }
        ErrorKind::Limit => "A resource limit was exceeded.",
        ErrorKind::Tlog => {
            "Transparency-log requirements not met (missing proof, too few verified logs)."
        }
        _ => "A verification step failed.",
    }
}

fn build_error_types(py: Python<'_>) -> PyResult<ErrorTypes> {
    let type_fn = py.import("builtins")?.getattr("type")?;
    let exception = py.get_type::<pyo3::exceptions::PyException>();
    let value_error = py.get_type::<PyValueError>();
    let make = |name: &str,
                bases: Bound<'_, PyTuple>,
                doc: &str,
                code: Option<u32>,
                step: Option<&str>|
     -> PyResult<Py<PyType>> {
        let ns = PyDict::new(py);
        ns.set_item("__module__", "sigverify")?;
        ns.set_item("__doc__", doc)?;
        ns.set_item("code", code)?;
        ns.set_item("step", step)?;
        Ok(type_fn
            .call1((name, bases, ns))?
            .cast_into::<PyType>()?
            .unbind())
    };
    let base = make(
        "VerificationError",
        PyTuple::new(py, [exception])?,
        "A bundle did not verify.\n\n\
         ``code`` (int) and ``step`` (str) name the failed step with the core's stable\n\
         error kinds; ``message`` is the detail without the step prefix. Each step has\n\
         its own subclass (ChainError, SignatureError, ...).",
        None,
        None,
    )?;
    let mut by_code = Vec::with_capacity(ErrorKind::ALL.len());
    for kind in ErrorKind::ALL {
        let bases = if kind == ErrorKind::PolicyMisuse {
            // Misuse by the caller: `except ValueError` must catch it too.
            PyTuple::new(py, [base.bind(py).clone(), value_error.clone()])?
        } else {
            PyTuple::new(py, [base.bind(py).clone()])?
        };
        let cls = make(
            &class_name(kind),
            bases,
            class_doc(kind),
            Some(kind.code()),
            Some(kind.step()),
        )?;
        by_code.push((kind.code(), cls));
    }
    Ok(ErrorTypes { base, by_code })
}

fn error_types(py: Python<'_>) -> PyResult<&'static ErrorTypes> {
    ERROR_TYPES.get_or_try_init(py, || build_error_types(py))
}

/// Convert a core error into the exception class of its step.
fn to_pyerr(py: Python<'_>, e: sigverify::Error) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let types = error_types(py)?;
        let code = e.kind().code();
        let cls = types
            .by_code
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(&types.base, |(_, cls)| cls)
            .bind(py);
        let inst = cls.call1((e.to_string(),))?;
        inst.setattr("code", code)?;
        inst.setattr("step", e.kind().step())?;
        inst.setattr("message", e.message())?;
        Ok(PyErr::from_value(inst))
    };
    make().unwrap_or_else(|err| err)
}

/// A core-style misuse error raised by this layer (e.g. an empty `AllOf`).
fn misuse(message: impl Into<String>) -> sigverify::Error {
    sigverify::Error::new(ErrorKind::PolicyMisuse, message)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

// ---------------------------------------------------------------------------
// Byte-like inputs

/// JSON or PEM text given as bytes, bytearray, memoryview or str; `Send`, so it
/// can be parsed with the GIL released.
enum Text {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
}

/// The core's size check for a document, given its length before its bytes
/// are copied (`Limits::check_bundle_len`, `check_trusted_root_len`,
/// `check_public_key_len`).
type SizeCheck<'a> = &'a dyn Fn(usize) -> Result<(), sigverify::Error>;

impl Text {
    /// `bytes` and `str` are borrowed (a non-ASCII `str` is encoded to UTF-8
    /// once, by Python). A `bytearray` or `memoryview` must be copied (the
    /// parse runs without the GIL, when other threads may change it). Every
    /// kind is checked against `cap` before anything copies it, so callers
    /// that copy the text (a trusted root is kept) never copy an oversized one.
    fn extract(obj: &Bound<'_, PyAny>, what: &str, cap: Option<SizeCheck<'_>>) -> PyResult<Text> {
        let check = |len: usize| match cap {
            Some(check) => check(len).map_err(|e| to_pyerr(obj.py(), e)),
            None => Ok(()),
        };
        let borrowed = if obj.is_instance_of::<PyString>() {
            Some(Text::Str(obj.extract()?))
        } else if obj.is_instance_of::<PyBytes>() {
            Some(Text::Bytes(obj.extract()?))
        } else {
            None
        };
        if let Some(text) = borrowed {
            check(text.as_bytes().len())?;
            return Ok(text);
        }
        let array = obj.cast::<PyByteArray>().ok();
        let len = match &array {
            Some(array) => array.len(),
            // In bytes, whatever the item format and shape (len() counts items).
            None if obj.is_instance_of::<PyMemoryView>() => obj.getattr("nbytes")?.extract()?,
            None => {
                return Err(PyTypeError::new_err(format!(
                    "{what} must be bytes or str, not {}",
                    type_name(obj)
                )));
            }
        };
        check(len)?;
        Ok(Text::Bytes(match array {
            Some(array) => array.extract()?,
            None => obj.call_method0("tobytes")?.extract()?,
        }))
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Bytes(b) => b,
            Text::Str(s) => s.as_bytes(),
        }
    }
}

// ---------------------------------------------------------------------------
// Trusted root and verifier

enum RootSource {
    Production,
    Staging,
    Json(Vec<u8>),
}

/// A Sigstore trusted root: the CAs, logs and timestamp authorities to trust.
///
/// Use ``TrustedRoot.production()`` or ``TrustedRoot.staging()`` for the
/// snapshots embedded in the module, or ``TrustedRoot.from_json(data)`` for a
/// ``trusted_root.json`` you obtained and authenticated yourself.
#[pyclass(frozen, module = "sigverify")]
struct TrustedRoot {
    source: RootSource,
    /// The parsed root, handed to the first `Verifier` built from it; later
    /// verifiers parse the source again (the core root is not `Clone`).
    parsed: Mutex<Option<sigverify::TrustedRoot>>,
}

impl TrustedRoot {
    fn parse(source: &RootSource) -> sigverify::Result<sigverify::TrustedRoot> {
        match source {
            RootSource::Production => sigverify::TrustedRoot::production(),
            RootSource::Staging => sigverify::TrustedRoot::staging(),
            RootSource::Json(b) => sigverify::TrustedRoot::from_json(b),
        }
    }

    fn load(py: Python<'_>, source: RootSource) -> PyResult<TrustedRoot> {
        let parsed = py
            .detach(|| Self::parse(&source))
            .map_err(|e| to_pyerr(py, e))?;
        Ok(TrustedRoot {
            source,
            parsed: Mutex::new(Some(parsed)),
        })
    }

    fn take(&self) -> sigverify::Result<sigverify::TrustedRoot> {
        let cached = self.parsed.lock().ok().and_then(|mut g| g.take());
        match cached {
            Some(root) => Ok(root),
            None => Self::parse(&self.source),
        }
    }
}

#[pymethods]
impl TrustedRoot {
    /// The Sigstore public-good (production) trusted root embedded in this module.
    #[staticmethod]
    fn production(py: Python<'_>) -> PyResult<TrustedRoot> {
        Self::load(py, RootSource::Production)
    }

    /// The Sigstore staging trusted root embedded in this module.
    #[staticmethod]
    fn staging(py: Python<'_>) -> PyResult<TrustedRoot> {
        Self::load(py, RootSource::Staging)
    }

    /// Parse a ``trusted_root.json`` document (bytes or str).
    ///
    /// Raises TrustedRootError (or ParseError) when it is malformed or unusable.
    #[staticmethod]
    fn from_json(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<TrustedRoot> {
        let text = Text::extract(data, "trusted root JSON", Some(&check_trusted_root_len))?;
        Self::load(py, RootSource::Json(text.as_bytes().to_vec()))
    }

    fn __repr__(&self) -> String {
        match self.source {
            RootSource::Production => "TrustedRoot.production()".into(),
            RootSource::Staging => "TrustedRoot.staging()".into(),
            RootSource::Json(ref b) => format!("<TrustedRoot from JSON, {} bytes>", b.len()),
        }
    }
}

/// Verifies bundles against one trusted root.
///
/// Build it once and reuse it: it is immutable and thread-safe, and every
/// verification releases the GIL, so threads sharing one verifier run in parallel.
#[pyclass(frozen, module = "sigverify")]
struct Verifier {
    inner: Arc<sigverify::Verifier>,
}

impl Verifier {
    fn build(
        py: Python<'_>,
        root: sigverify::Result<sigverify::TrustedRoot>,
        allow_v0_1: bool,
    ) -> PyResult<Verifier> {
        let mut options = sigverify::Options::default();
        options.allow_v0_1 = allow_v0_1;
        py.detach(|| root.and_then(|r| sigverify::Verifier::with_options(r, options)))
            .map(|v| Verifier { inner: Arc::new(v) })
            .map_err(|e| to_pyerr(py, e))
    }

    /// Verify under a policy; an `AllOf` runs the core once per member and
    /// requires every run to succeed.
    fn run(
        &self,
        py: Python<'_>,
        bundle: Arc<sigverify::Bundle>,
        artifact: Option<Artifact>,
        policy: PolicySet,
    ) -> PyResult<sigverify::Verified> {
        let verifier = Arc::clone(&self.inner);
        // Without an artifact (verify_dsse) the core checks everything but the subject match.
        let one = move |p: &sigverify::Policy| match &artifact {
            Some(a) => verifier.verify(&bundle, a, p),
            None => verifier.verify_dsse(&bundle, p),
        };
        py.detach(move || match policy {
            PolicySet::One(p) => one(&p),
            PolicySet::All(ps) => {
                let mut first = None;
                for p in ps {
                    let verified = one(&p)?;
                    first.get_or_insert(verified);
                }
                first.ok_or_else(|| misuse("an AllOf policy needs at least one member"))
            }
        })
        .map_err(|e| to_pyerr(py, e))
    }
}

#[pymethods]
impl Verifier {
    /// A verifier for ``trusted_root``.
    ///
    /// ``allow_v0_1=False`` rejects v0.1 bundles (which rely on a signed entry
    /// timestamp alone); leave it on unless you never receive such bundles.
    #[new]
    #[pyo3(signature = (trusted_root, *, allow_v0_1 = true))]
    fn new(
        py: Python<'_>,
        trusted_root: &Bound<'_, TrustedRoot>,
        allow_v0_1: bool,
    ) -> PyResult<Verifier> {
        let root = trusted_root.get();
        let taken = py.detach(|| root.take());
        Self::build(py, taken, allow_v0_1)
    }

    /// A verifier on the embedded production trusted root.
    #[staticmethod]
    fn production(py: Python<'_>) -> PyResult<Verifier> {
        Self::build(py, sigverify::TrustedRoot::production(), true)
    }

    /// A verifier on the embedded staging trusted root.
    #[staticmethod]
    fn staging(py: Python<'_>) -> PyResult<Verifier> {
        Self::build(py, sigverify::TrustedRoot::staging(), true)
    }

    /// Verify ``bundle`` over an artifact under ``policy``.
    ///
    /// ``input`` is the artifact: ``bytes``/``bytearray``/``memoryview``; a path
    /// (``os.PathLike``, or ``str``); a binary file object (read in chunks until
    /// EOF, never loaded whole); or a digest (a ``Digest``, or a ``str`` of the form
    /// ``"sha256:<hex>"`` that is not the name of an existing file). For a DSSE
    /// bundle the artifact must be a subject of its in-toto statement.
    ///
    /// Returns a VerificationResult; raises a VerificationError subclass naming
    /// the failed step, TypeError/ValueError for misuse, OSError when a path or
    /// file cannot be read.
    fn verify_artifact(
        &self,
        py: Python<'_>,
        input: &Bound<'_, PyAny>,
        bundle: &Bound<'_, Bundle>,
        policy: &Bound<'_, PyAny>,
    ) -> PyResult<VerificationResult> {
        let policy = PolicySet::extract(policy)?;
        let artifact = artifact_from(py, input)?;
        let bundle = Arc::clone(&bundle.get().inner);
        let inner = self.run(py, bundle, Some(artifact), policy)?;
        Ok(VerificationResult { inner })
    }

    /// Verify a DSSE ``bundle`` under ``policy``; return ``(payload_type, payload)``.
    ///
    /// With ``input`` (same forms as ``verify_artifact``), the in-toto statement
    /// must name it as a subject. Without it, the envelope signature, log entries,
    /// times, certificate and identity are all verified, but binding the payload
    /// to an artifact is the caller's job (any payload type is accepted).
    #[pyo3(signature = (bundle, policy, input = None))]
    fn verify_dsse<'py>(
        &self,
        py: Python<'py>,
        bundle: &Bound<'py, Bundle>,
        policy: &Bound<'py, PyAny>,
        input: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<(String, Bound<'py, PyBytes>)> {
        let policy = PolicySet::extract(policy)?;
        let bundle = Arc::clone(&bundle.get().inner);
        // This method's contract, not the core's rule: it returns the verified
        // payload, which only a DSSE bundle has. Refused before any work, with or
        // without `input` (the core refuses only the artifact-less form).
        if !matches!(bundle.content, Content::Dsse(_)) {
            return Err(to_pyerr(
                py,
                misuse(
                    "the bundle holds a message signature, not a DSSE envelope; use verify_artifact",
                ),
            ));
        }
        let artifact = match input {
            Some(obj) => Some(artifact_from(py, obj)?),
            None => None,
        };
        let inner = self.run(py, bundle, artifact, policy)?;
        let (payload_type, payload) = inner
            .dsse_payload
            .ok_or_else(|| to_pyerr(py, misuse("the verified bundle has no DSSE payload")))?;
        Ok((payload_type, PyBytes::new(py, &payload)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Verifier allow_v0_1={}>",
            if self.inner.options().allow_v0_1 {
                "True"
            } else {
                "False"
            }
        )
    }
}

// ---------------------------------------------------------------------------
// Artifacts

/// A precomputed artifact digest, e.g. ``Digest.parse("sha256:<hex>")`` or
/// ``Digest("sha256", raw_bytes)``. Algorithms: sha256, sha384, sha512.
#[pyclass(frozen, module = "sigverify")]
struct Digest {
    algorithm: HashAlg,
    digest: Vec<u8>,
}

impl Digest {
    fn artifact(&self) -> Artifact {
        Artifact::Digest(self.algorithm, self.digest.clone())
    }
}

#[pymethods]
impl Digest {
    /// A digest from an algorithm name and the raw digest bytes.
    ///
    /// Raises PolicyMisuseError (a ValueError) for an unknown algorithm or a
    /// digest of the wrong length.
    #[new]
    fn new(py: Python<'_>, algorithm: &str, digest: &[u8]) -> PyResult<Digest> {
        let alg = HashAlg::from_short_name(algorithm).ok_or_else(|| {
            to_pyerr(
                py,
                misuse(format!(
                    "unsupported digest algorithm {algorithm:?} (use sha256, sha384 or sha512)"
                )),
            )
        })?;
        Artifact::from_digest(alg, digest).map_err(|e| to_pyerr(py, e))?;
        Ok(Digest {
            algorithm: alg,
            digest: digest.to_vec(),
        })
    }

    /// Parse ``"sha256:<hex>"`` (also ``sha384:``/``sha512:``).
    #[staticmethod]
    fn parse(py: Python<'_>, text: &str) -> PyResult<Digest> {
        match Artifact::parse_digest(text).map_err(|e| to_pyerr(py, e))? {
            Artifact::Digest(algorithm, digest) => Ok(Digest { algorithm, digest }),
            Artifact::Digests(_) => Err(to_pyerr(py, misuse("not a digest"))),
        }
    }

    /// The algorithm name, e.g. ``"sha256"``.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.algorithm.short_name()
    }

    /// The raw digest bytes.
    #[getter]
    fn digest<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.digest)
    }

    fn __str__(&self) -> String {
        format!(
            "{}:{}",
            self.algorithm.short_name(),
            sigverify::encoding::hex_encode(&self.digest)
        )
    }

    fn __repr__(&self) -> String {
        format!("Digest.parse({:?})", self.__str__())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Digest>()
            .is_ok_and(|o| o.get().algorithm == self.algorithm && o.get().digest == self.digest)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.algorithm.short_name().hash(&mut h);
        self.digest.hash(&mut h);
        h.finish()
    }
}

/// A `str` input is a digest when it names an algorithm and is not an existing path.
fn str_is_digest(s: &str) -> bool {
    s.split_once(':')
        .is_some_and(|(alg, _)| HashAlg::from_short_name(alg).is_some())
        && !std::path::Path::new(s).exists()
}

/// An `OSError` (its errno subclass, e.g. FileNotFoundError) naming the file.
fn os_error(py: Python<'_>, e: std::io::Error, path: &std::path::Path) -> PyErr {
    let name = path.to_string_lossy().into_owned();
    match e.raw_os_error() {
        Some(errno) => {
            let strerror = py
                .import("os")
                .and_then(|os| os.getattr("strerror")?.call1((errno,))?.extract::<String>())
                .unwrap_or_else(|_| e.to_string());
            PyOSError::new_err((errno, strerror, name))
        }
        None => PyOSError::new_err(format!("{name}: {e}")),
    }
}

fn hash_path(py: Python<'_>, path: PathBuf) -> PyResult<Artifact> {
    // As open() does: a NUL cannot be in a file name, so it is a bad value.
    if path.as_os_str().as_encoded_bytes().contains(&0) {
        return Err(PyValueError::new_err(
            "embedded null byte in the artifact path",
        ));
    }
    py.detach(|| std::fs::File::open(&path).and_then(Artifact::from_reader))
        .map_err(|e| os_error(py, e, &path))
}

/// Hash a binary file object in chunks: each `read` holds the GIL, each
/// chunk is hashed without it.
fn hash_stream(py: Python<'_>, file: &Bound<'_, PyAny>) -> PyResult<Artifact> {
    if let Ok(closed) = file.getattr("closed")
        && closed.is_truthy()?
    {
        return Err(PyValueError::new_err("I/O operation on closed file"));
    }
    let mut hasher = MultiHasher::new();
    loop {
        let chunk = file.call_method1("read", (READ_CHUNK,))?;
        if chunk.is_none() {
            return Err(PyValueError::new_err(
                "the file object's read() returned None (a non-blocking stream with no data)",
            ));
        }
        if chunk.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "the file object must be opened in binary mode ('rb'); read() returned str",
            ));
        }
        let bytes: PyBackedBytes = chunk.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "the file object's read() must return bytes, not {}",
                type_name(&chunk)
            ))
        })?;
        if bytes.is_empty() {
            break;
        }
        py.detach(|| hasher.update(&bytes));
    }
    Ok(Artifact::Digests(hasher.finish()))
}

/// Hash a bytearray or memoryview without copying it whole: each chunk is
/// copied under the GIL (other threads may change the buffer) and hashed
/// without it. Our memoryview on the buffer keeps a bytearray from being
/// resized until we are done, but another thread may still write to it
/// between chunks: the digest is then of no single state of the buffer, and
/// verification fails unless it matches the signed one. Callers that share a
/// buffer across threads must not change it while it is being verified.
fn hash_buffer(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Artifact> {
    let view = PyMemoryView::from(obj)?;
    // Any C-contiguous buffer reads as flat bytes; others (strided views,
    // formats `cast` refuses) are copied whole, in C order, as `bytes()` does.
    let flat = if view.getattr("c_contiguous")?.is_truthy()? {
        view.call_method1("cast", ("B",)).ok()
    } else {
        None
    };
    let Some(flat) = flat else {
        let data: PyBackedBytes = py.get_type::<PyBytes>().call1((&view,))?.extract()?;
        return Ok(py.detach(|| Artifact::from_bytes(&data)));
    };
    let mut hasher = MultiHasher::new();
    // Not PySlice::new: pyo3 0.30 leaks the ints it makes for it.
    let slice = py.get_type::<PySlice>();
    for (start, end) in chunks(flat.len()?, READ_CHUNK) {
        let part = flat.get_item(slice.call1((start, end))?)?;
        let chunk: PyBackedBytes = py.get_type::<PyBytes>().call1((part,))?.extract()?;
        py.detach(|| hasher.update(&chunk));
    }
    Ok(Artifact::Digests(hasher.finish()))
}

/// `(start, end)` of consecutive chunks of at most `size` covering `0..len`.
fn chunks(len: usize, size: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..len)
        .step_by(size.max(1))
        .map(move |start| (start, start.saturating_add(size).min(len)))
}

/// Turn the `input` argument into what the core verifies against.
fn artifact_from(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Artifact> {
    if let Ok(d) = obj.cast::<Digest>() {
        return Ok(d.get().artifact());
    }
    if obj.is_instance_of::<PyBytes>() {
        let data: PyBackedBytes = obj.extract()?;
        return Ok(py.detach(|| Artifact::from_bytes(&data)));
    }
    if obj.is_instance_of::<PyByteArray>() || obj.is_instance_of::<PyMemoryView>() {
        return hash_buffer(py, obj);
    }
    if obj.is_instance_of::<PyString>() {
        // A str that is not UTF-8 (os.fsdecode of a non-UTF-8 file name carries
        // lone surrogates) is no digest; it is encoded as the filesystem does.
        if let Ok(s) = obj.extract::<PyBackedStr>() {
            if str_is_digest(&s) {
                return Artifact::parse_digest(&s).map_err(|e| to_pyerr(py, e));
            }
            if s.is_empty() {
                return Err(PyValueError::new_err("the artifact path is empty"));
            }
        }
        return hash_path(py, obj.extract()?);
    }
    if obj.hasattr("__fspath__")? {
        let path: PathBuf = obj.extract()?;
        return hash_path(py, path);
    }
    if obj.hasattr("read")? {
        return hash_stream(py, obj);
    }
    Err(PyTypeError::new_err(format!(
        "input must be bytes, a path, a binary file object or a Digest, not {}",
        type_name(obj)
    )))
}

// ---------------------------------------------------------------------------
// Bundles

/// A size-limit keyword argument: None means `ceiling`; an int (or any object
/// with `__index__`, bool excepted) must not be negative, and a value above
/// `ceiling` acts as `ceiling`, as it does in the core's `Limits`.
fn limit_arg(value: Option<&Bound<'_, PyAny>>, name: &str, ceiling: usize) -> PyResult<usize> {
    let Some(value) = value else {
        return Ok(ceiling);
    };
    let py = value.py();
    let not_int = || {
        PyTypeError::new_err(format!(
            "{name} must be an int or None, not {}",
            type_name(value)
        ))
    };
    if value.is_instance_of::<PyBool>() {
        return Err(not_int());
    }
    let index = match py.import("operator")?.getattr("index")?.call1((value,)) {
        Ok(index) => index.cast_into::<PyInt>().map_err(|_| not_int())?,
        Err(e) if e.is_instance_of::<PyTypeError>(py) => return Err(not_int()),
        Err(e) => return Err(e),
    };
    if index.lt(0)? {
        return Err(PyValueError::new_err(format!(
            "{name} must not be negative (got {index})"
        )));
    }
    // Past u64 (or usize) it is above every ceiling.
    Ok(index
        .extract::<u64>()
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .map_or(ceiling, |n| n.min(ceiling)))
}

/// A parsed Sigstore bundle (v0.1, v0.2 or v0.3; message signature or DSSE).
#[pyclass(frozen, module = "sigverify")]
struct Bundle {
    inner: Arc<sigverify::Bundle>,
}

#[pymethods]
impl Bundle {
    /// Parse a bundle from its JSON (bytes or str).
    ///
    /// ``max_bundle_bytes`` caps the size of ``data`` and ``max_dsse_payload_bytes``
    /// the decoded DSSE payload. They can only tighten the built-in ceilings
    /// (``MAX_BUNDLE_BYTES``, 64 MiB, and ``MAX_DSSE_PAYLOAD_BYTES``, 32 MiB): a
    /// larger value, or None, means the ceiling. A bad value raises TypeError
    /// (not an int) or ValueError (negative).
    ///
    /// Raises ParseError, UnsupportedVersionError or LimitError (over a limit) for
    /// bad input; an oversized bytearray or memoryview is refused before it is copied.
    #[staticmethod]
    #[pyo3(signature = (data, *, max_bundle_bytes = None, max_dsse_payload_bytes = None))]
    fn from_json(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        max_bundle_bytes: Option<&Bound<'_, PyAny>>,
        max_dsse_payload_bytes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bundle> {
        let mut limits = Limits::default();
        limits.max_bundle_bytes =
            limit_arg(max_bundle_bytes, "max_bundle_bytes", MAX_BUNDLE_BYTES)?;
        limits.max_dsse_payload_bytes = limit_arg(
            max_dsse_payload_bytes,
            "max_dsse_payload_bytes",
            MAX_DSSE_PAYLOAD_BYTES,
        )?;
        let check = |len| limits.check_bundle_len(len);
        let text = Text::extract(data, "bundle JSON", Some(&check))?;
        py.detach(|| sigverify::Bundle::from_json_with_limits(text.as_bytes(), &limits))
            .map(|b| Bundle { inner: Arc::new(b) })
            .map_err(|e| to_pyerr(py, e))
    }

    /// The bundle's media type as written.
    #[getter]
    fn media_type(&self) -> &str {
        &self.inner.media_type
    }

    /// The bundle format version, e.g. ``"0.3"``.
    #[getter]
    fn version(&self) -> &'static str {
        self.inner.version.as_str()
    }

    /// True when the content is a DSSE envelope, False for a message signature.
    #[getter]
    fn is_dsse(&self) -> bool {
        matches!(self.inner.content, Content::Dsse(_))
    }

    /// True when signed with a Fulcio certificate, False for a managed key.
    #[getter]
    fn is_keyless(&self) -> bool {
        matches!(self.inner.material, SigningMaterial::Certificate { .. })
    }

    fn __repr__(&self) -> String {
        format!(
            "<Bundle {} {} {}>",
            self.inner.version.as_str(),
            if self.is_dsse() {
                "dsse"
            } else {
                "message-signature"
            },
            if self.is_keyless() {
                "keyless"
            } else {
                "public-key"
            }
        )
    }
}

// ---------------------------------------------------------------------------
// Policies

/// What the core verifies against: one policy, or several that must all hold.
enum PolicySet {
    One(Arc<sigverify::Policy>),
    All(Vec<Arc<sigverify::Policy>>),
}

impl PolicySet {
    fn extract(obj: &Bound<'_, PyAny>) -> PyResult<PolicySet> {
        if let Ok(p) = obj.cast::<Identity>() {
            return Ok(PolicySet::One(Arc::clone(&p.get().policy)));
        }
        if let Ok(p) = obj.cast::<AnyOf>() {
            return Ok(PolicySet::One(Arc::clone(&p.get().policy)));
        }
        if let Ok(p) = obj.cast::<PublicKey>() {
            return Ok(PolicySet::One(Arc::clone(&p.get().policy)));
        }
        if let Ok(p) = obj.cast::<AllOf>() {
            return Ok(PolicySet::All(p.get().policies.clone()));
        }
        Err(PyTypeError::new_err(format!(
            "policy must be Identity, AnyOf, AllOf or PublicKey, not {}",
            type_name(obj)
        )))
    }
}

fn matcher(
    py: Python<'_>,
    exact: Option<String>,
    regex: Option<String>,
    what: &str,
) -> PyResult<sigverify::Matcher> {
    match (exact, regex) {
        (Some(_), Some(_)) => Err(PyValueError::new_err(format!(
            "give {what}= or {what}_regex=, not both"
        ))),
        (None, None) => Err(PyValueError::new_err(format!(
            "an Identity needs {what}= (or {what}_regex=)"
        ))),
        (Some(s), None) if s.is_empty() => {
            Err(PyValueError::new_err(format!("{what}= must not be empty")))
        }
        (Some(s), None) => Ok(sigverify::Matcher::exact(s)),
        (None, Some(r)) => sigverify::Matcher::regex(&r).map_err(|e| to_pyerr(py, e)),
    }
}

/// A keyless signer: certificate identity (SAN) and OIDC issuer.
///
/// ``Identity(identity=..., issuer=...)`` matches both exactly;
/// ``identity_regex=``/``issuer_regex=`` take a regular expression instead
/// (Rust ``regex`` syntax, always matched against the whole value). Exactly one
/// form of each is required. ``extensions={name: value}`` (exact) and
/// ``extensions_regex={name: pattern}`` also require Fulcio claims of the
/// certificate, each named by OID or claim name, e.g.
/// ``{"SourceRepositoryURI": "https://github.com/org/repo"}``.
#[pyclass(frozen, module = "sigverify")]
struct Identity {
    core: sigverify::Identity,
    policy: Arc<sigverify::Policy>,
    /// The exact identity, if given.
    #[pyo3(get)]
    identity: Option<String>,
    /// The identity regular expression, if given.
    #[pyo3(get)]
    identity_regex: Option<String>,
    /// The exact issuer, if given.
    #[pyo3(get)]
    issuer: Option<String>,
    /// The issuer regular expression, if given.
    #[pyo3(get)]
    issuer_regex: Option<String>,
    /// Required Fulcio claims, matched exactly (name or OID to value).
    #[pyo3(get)]
    extensions: BTreeMap<String, String>,
    /// Required Fulcio claims, matched by regular expression.
    #[pyo3(get)]
    extensions_regex: BTreeMap<String, String>,
}

#[pymethods]
impl Identity {
    #[new]
    #[pyo3(signature = (
        *,
        identity = None,
        issuer = None,
        identity_regex = None,
        issuer_regex = None,
        extensions = None,
        extensions_regex = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        identity: Option<String>,
        issuer: Option<String>,
        identity_regex: Option<String>,
        issuer_regex: Option<String>,
        extensions: Option<BTreeMap<String, String>>,
        extensions_regex: Option<BTreeMap<String, String>>,
    ) -> PyResult<Identity> {
        let mut core = sigverify::Identity::new(
            matcher(py, identity.clone(), identity_regex.clone(), "identity")?,
            matcher(py, issuer.clone(), issuer_regex.clone(), "issuer")?,
        );
        let extensions = extensions.unwrap_or_default();
        let extensions_regex = extensions_regex.unwrap_or_default();
        for (claims, regex) in [(&extensions, false), (&extensions_regex, true)] {
            for (name, value) in claims {
                let what = format!("extensions[{name:?}]");
                let m = if regex {
                    matcher(py, None, Some(value.clone()), &what)?
                } else {
                    matcher(py, Some(value.clone()), None, &what)?
                };
                core = core
                    .require_extension(name, m)
                    .map_err(|e| to_pyerr(py, e))?;
            }
        }
        let policy = Arc::new(sigverify::Policy::Identities(vec![core.clone()]));
        Ok(Identity {
            core,
            policy,
            identity,
            identity_regex,
            issuer,
            issuer_regex,
            extensions,
            extensions_regex,
        })
    }

    fn __repr__(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("identity", &self.identity),
            ("identity_regex", &self.identity_regex),
            ("issuer", &self.issuer),
            ("issuer_regex", &self.issuer_regex),
        ] {
            if let Some(v) = v {
                parts.push(format!("{k}={v:?}"));
            }
        }
        for (k, claims) in [
            ("extensions", &self.extensions),
            ("extensions_regex", &self.extensions_regex),
        ] {
            if !claims.is_empty() {
                let items: Vec<String> = claims
                    .iter()
                    .map(|(n, v)| format!("{n:?}: {v:?}"))
                    .collect();
                parts.push(format!("{k}={{{}}}", items.join(", ")));
            }
        }
        format!("Identity({})", parts.join(", "))
    }
}

/// Collect the core identities of an iterable of Identity (or nested AnyOf).
/// Add an AnyOf member's alternatives: identities to `ids`, managed keys to `keys`.
fn alternatives_of(
    obj: &Bound<'_, PyAny>,
    ids: &mut Vec<sigverify::Identity>,
    keys: &mut Vec<sigverify::Policy>,
) -> PyResult<()> {
    let policy = if let Ok(i) = obj.cast::<Identity>() {
        ids.push(i.get().core.clone());
        return Ok(());
    } else if let Ok(k) = obj.cast::<PublicKey>() {
        &k.get().policy
    } else if let Ok(a) = obj.cast::<AnyOf>() {
        &a.get().policy
    } else {
        return Err(PyTypeError::new_err(format!(
            "AnyOf members must be Identity, PublicKey or AnyOf, not {}",
            type_name(obj)
        )));
    };
    match &**policy {
        sigverify::Policy::Identities(i) => ids.extend(i.iter().cloned()),
        keyring => keys.push(keyring.clone()),
    }
    Ok(())
}

fn iterate<'py>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{what} takes a list of policies, not {}",
            type_name(obj)
        )));
    }
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} takes a list of policies, not {}",
            type_name(obj)
        ))
    })?;
    iter.collect()
}

/// Accept a signature by any one of several identities, ``AnyOf([Identity(...), ...])``,
/// or by any one of several managed keys, ``AnyOf([PublicKey(...), ...])`` (a keyring,
/// e.g. across a key rotation, each key with its own window).
///
/// An empty list, or one that mixes identities and keys, raises PolicyMisuseError
/// (a ValueError): it must never mean "anyone".
#[pyclass(frozen, module = "sigverify")]
struct AnyOf {
    members: Vec<Py<PyAny>>,
    policy: Arc<sigverify::Policy>,
}

#[pymethods]
impl AnyOf {
    #[new]
    fn new(py: Python<'_>, policies: &Bound<'_, PyAny>) -> PyResult<AnyOf> {
        let members = iterate(policies, "AnyOf")?;
        let (mut ids, mut keys) = (Vec::new(), Vec::new());
        for m in &members {
            alternatives_of(m, &mut ids, &mut keys)?;
        }
        let policy = match (ids.is_empty(), keys.is_empty()) {
            (false, false) => Err(misuse(
                "an AnyOf holds identities or public keys, not both: a bundle is signed \
                 either by a certificate or by a managed key",
            )),
            (true, false) => sigverify::Policy::any_key(keys),
            _ => sigverify::Policy::any_of(ids),
        }
        .map_err(|e| to_pyerr(py, e))?;
        Ok(AnyOf {
            members: members.into_iter().map(Bound::unbind).collect(),
            policy: Arc::new(policy),
        })
    }

    /// The member policies, as given.
    #[getter]
    fn policies(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.members.iter().map(|m| m.clone_ref(py)).collect()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        members_repr(py, "AnyOf", &self.members)
    }
}

fn members_repr(py: Python<'_>, name: &str, members: &[Py<PyAny>]) -> PyResult<String> {
    let parts: PyResult<Vec<String>> = members
        .iter()
        .map(|m| Ok(m.bind(py).repr()?.to_string()))
        .collect();
    Ok(format!("{name}([{}])", parts?.join(", ")))
}

/// Require every member to hold for the one signing certificate:
/// ``AllOf([Identity(...), AnyOf([...]), ...])``.
///
/// The core checks one identity policy per verification, so an AllOf runs a full
/// verification per member (cost grows with the member count) and succeeds only
/// if all do. Members are Identity, AnyOf or AllOf (flattened); an empty list
/// raises PolicyMisuseError (a ValueError).
#[pyclass(frozen, module = "sigverify")]
struct AllOf {
    policies: Vec<Arc<sigverify::Policy>>,
    members: Vec<Py<PyAny>>,
}

#[pymethods]
impl AllOf {
    #[new]
    fn new(py: Python<'_>, policies: &Bound<'_, PyAny>) -> PyResult<AllOf> {
        let members = iterate(policies, "AllOf")?;
        let mut out = Vec::new();
        for m in &members {
            if let Ok(i) = m.cast::<Identity>() {
                out.push(Arc::clone(&i.get().policy));
            } else if let Ok(a) = m.cast::<AnyOf>()
                && matches!(*a.get().policy, sigverify::Policy::Identities(_))
            {
                out.push(Arc::clone(&a.get().policy));
            } else if let Ok(a) = m.cast::<AllOf>() {
                out.extend(a.get().policies.iter().cloned());
            } else {
                return Err(PyTypeError::new_err(format!(
                    "AllOf members must be Identity, AnyOf of identities or AllOf, not {}",
                    type_name(m)
                )));
            }
        }
        if out.is_empty() {
            return Err(to_pyerr(
                py,
                misuse("an AllOf policy needs at least one member; it must never mean \"anyone\""),
            ));
        }
        Ok(AllOf {
            policies: out,
            members: members.into_iter().map(Bound::unbind).collect(),
        })
    }

    /// The member policies, as given.
    #[getter]
    fn policies(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.members.iter().map(|m| m.clone_ref(py)).collect()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        members_repr(py, "AllOf", &self.members)
    }
}

/// A managed signing key the caller trusts: PEM (``PUBLIC KEY``) text or DER
/// SubjectPublicKeyInfo bytes.
///
/// ``valid_from`` / ``valid_until`` (timezone-aware ``datetime``, both
/// inclusive) trust the key only for signatures made in that window, as for a
/// rotated or revoked key: every verified time of a bundle must lie inside, and
/// a bundle with none fails (TimeWindowError).
///
/// Raises PolicyMisuseError (a ValueError) when the key cannot be parsed or the
/// window ends before it starts, ValueError for a naive ``datetime``, and
/// LimitError for more than 64 KiB of input (checked before it is copied).
#[pyclass(frozen, module = "sigverify")]
struct PublicKey {
    policy: Arc<sigverify::Policy>,
    fingerprint: String,
    key_type: String,
    valid_from: Option<sigverify::time::Timestamp>,
    valid_until: Option<sigverify::time::Timestamp>,
}

#[pymethods]
impl PublicKey {
    #[new]
    #[pyo3(signature = (key, *, valid_from = None, valid_until = None))]
    fn new(
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        valid_from: Option<&Bound<'_, PyAny>>,
        valid_until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PublicKey> {
        let text = Text::extract(key, "key", Some(&check_public_key_len))?;
        let mut policy =
            sigverify::Policy::public_key(text.as_bytes()).map_err(|e| to_pyerr(py, e))?;
        let valid_from = valid_from
            .map(|t| from_datetime(t, "valid_from"))
            .transpose()?;
        let valid_until = valid_until
            .map(|t| from_datetime(t, "valid_until"))
            .transpose()?;
        if let Some(window) = sigverify::time::TimeRange::from_bounds(valid_from, valid_until) {
            policy = policy.key_valid_for(window).map_err(|e| to_pyerr(py, e))?;
        }
        let (fingerprint, key_type) = match &policy {
            sigverify::Policy::PublicKeys(keys) => keys
                .first()
                .map(|k| {
                    (
                        sigverify::encoding::hex_encode(&sigverify::crypto::sha256(
                            k.key.spki_der(),
                        )),
                        k.key.key_type().name(),
                    )
                })
                .unwrap_or_default(),
            _ => Default::default(),
        };
        Ok(PublicKey {
            policy: Arc::new(policy),
            fingerprint,
            key_type,
            valid_from,
            valid_until,
        })
    }

    /// Trusted for signatures made from this time on (``None``: no start).
    #[getter]
    fn valid_from<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.valid_from.map(|t| to_datetime(py, t)).transpose()
    }

    /// Trusted for signatures made up to this time, inclusive (``None``: no end).
    #[getter]
    fn valid_until<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.valid_until.map(|t| to_datetime(py, t)).transpose()
    }

    /// Lowercase hex SHA-256 of the key's SubjectPublicKeyInfo.
    #[getter]
    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The key type, e.g. ``"ECDSA P-256"``.
    #[getter]
    fn key_type(&self) -> &str {
        &self.key_type
    }

    fn __repr__(&self) -> String {
        let mut window = String::new();
        if let Some(t) = self.valid_from {
            window.push_str(&format!(" valid_from={t}"));
        }
        if let Some(t) = self.valid_until {
            window.push_str(&format!(" valid_until={t}"));
        }
        format!(
            "<PublicKey {} sha256:{}{window}>",
            self.key_type, self.fingerprint
        )
    }
}

// ---------------------------------------------------------------------------
// Results

static EPOCH: PyOnceLock<Py<PyDateTime>> = PyOnceLock::new();

/// A timezone-aware UTC `datetime` (microsecond precision).
fn to_datetime<'py>(py: Python<'py>, t: sigverify::time::Timestamp) -> PyResult<Bound<'py, PyAny>> {
    let epoch = EPOCH.get_or_try_init(py, || {
        let utc = PyTzInfo::utc(py)?;
        Ok::<_, PyErr>(PyDateTime::new(py, 1970, 1, 1, 0, 0, 0, 0, Some(&utc))?.unbind())
    })?;
    let secs = t.unix_secs();
    let days = i32::try_from(secs.div_euclid(86_400))
        .map_err(|_| PyValueError::new_err("time out of range"))?;
    let rem = i32::try_from(secs.rem_euclid(86_400)).unwrap_or(0);
    let micros = i32::try_from(t.subsec_nanos() / 1000).unwrap_or(0);
    let delta = PyDelta::new(py, days, rem, micros, true)?;
    epoch.bind(py).as_any().add(delta)
}

/// A timezone-aware `datetime` as a [`Timestamp`](sigverify::time::Timestamp),
/// exact to the microsecond.
fn from_datetime(t: &Bound<'_, PyAny>, what: &str) -> PyResult<sigverify::time::Timestamp> {
    let t = t.cast::<PyDateTime>().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be a datetime, got {}", type_name(t)))
    })?;
    let naive = || {
        PyValueError::new_err(format!(
            "{what} must be timezone-aware (a naive datetime names no instant)"
        ))
    };
    // The instant from the datetime's own fields and its zone's UTC offset, not
    // from datetime arithmetic, which a subclass could redefine.
    let offset = t
        .get_tzinfo()
        .ok_or_else(naive)?
        .call_method1("utcoffset", (t,))?;
    if offset.is_none() {
        return Err(naive());
    }
    let offset = offset
        .cast::<PyDelta>()
        .map_err(|_| PyTypeError::new_err(format!("{what}'s utcoffset() is not a timedelta")))?;
    let offset_micros = (i64::from(offset.get_days()) * 86_400 + i64::from(offset.get_seconds()))
        * 1_000_000
        + i64::from(offset.get_microseconds());
    // As datetime itself requires of utcoffset(): strictly within a day.
    if offset_micros.abs() >= 86_400 * 1_000_000 {
        return Err(PyValueError::new_err(format!(
            "{what}'s utcoffset() must be strictly between -24 and 24 hours"
        )));
    }
    let wall = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.get_year(),
        t.get_month(),
        t.get_day(),
        t.get_hour(),
        t.get_minute(),
        t.get_second()
    );
    let out_of_range = || PyValueError::new_err(format!("{what} is out of range"));
    let wall = sigverify::time::Timestamp::parse_rfc3339(&wall).ok_or_else(out_of_range)?;
    let micros = wall
        .unix_secs()
        .checked_mul(1_000_000)
        .and_then(|m| m.checked_add(i64::from(t.get_microsecond())))
        .and_then(|m| m.checked_sub(offset_micros))
        .ok_or_else(out_of_range)?;
    let nanos = u32::try_from(micros.rem_euclid(1_000_000) * 1000).map_err(|_| out_of_range())?;
    sigverify::time::Timestamp::new(micros.div_euclid(1_000_000), nanos).ok_or_else(out_of_range)
}

/// A time a trusted party vouched for, and who.
#[pyclass(frozen, get_all, module = "sigverify")]
struct VerifiedTime {
    /// The time (timezone-aware UTC ``datetime``).
    time: Py<PyAny>,
    /// ``"transparency-log"`` or ``"timestamp-authority"``.
    source: String,
    /// The log's base URL or the authority's URI.
    url: String,
}

#[pymethods]
impl VerifiedTime {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "VerifiedTime(time={}, source={:?}, url={:?})",
            self.time.bind(py).repr()?,
            self.source,
            self.url
        ))
    }
}

/// A transparency-log entry that verified.
#[pyclass(frozen, get_all, module = "sigverify")]
struct LogEntry {
    /// The log's 32-byte ID.
    log_id: Py<PyBytes>,
    /// The entry's index in the log.
    log_index: u64,
    /// Entry kind, e.g. ``"hashedrekord"``.
    kind: String,
    /// Entry kind version, e.g. ``"0.0.1"``.
    version: String,
    /// The log's base URL.
    log_url: String,
    /// The integrated time, when a signed entry timestamp vouched for it (else None).
    integrated_time: Option<Py<PyAny>>,
    /// Whether the log is a Rekor v2 (tile-based) log.
    rekor_v2: bool,
    /// Whether an inclusion proof and its checkpoint verified.
    inclusion_proof_verified: bool,
    /// Whether a signed entry timestamp verified.
    set_verified: bool,
}

#[pymethods]
impl LogEntry {
    fn __repr__(&self) -> String {
        format!(
            "LogEntry(log_url={:?}, log_index={}, kind={:?}, version={:?})",
            self.log_url, self.log_index, self.kind, self.version
        )
    }
}

/// A signed certificate timestamp that verified.
#[pyclass(frozen, get_all, module = "sigverify")]
struct Sct {
    /// The CT log's 32-byte ID.
    log_id: Py<PyBytes>,
    /// When the log promised to include the certificate.
    time: Py<PyAny>,
}

#[pymethods]
impl Sct {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Sct(log_id={}, time={})",
            self.log_id.bind(py).repr()?,
            self.time.bind(py).repr()?
        ))
    }
}

/// A Fulcio certificate extension (OID arc 1.3.6.1.4.1.57264.1).
#[pyclass(frozen, get_all, module = "sigverify")]
struct FulcioExtension {
    /// Dotted OID, e.g. ``"1.3.6.1.4.1.57264.1.8"``.
    oid: String,
    /// Human-readable name, e.g. ``"Issuer (V2)"``; ``"Unknown"`` past the known table.
    name: String,
    /// The decoded value.
    value: String,
}

#[pymethods]
impl FulcioExtension {
    fn __repr__(&self) -> String {
        format!(
            "FulcioExtension(oid={:?}, name={:?}, value={:?})",
            self.oid, self.name, self.value
        )
    }
}

/// The outcome of a successful verification.
#[pyclass(frozen, module = "sigverify")]
struct VerificationResult {
    inner: sigverify::Verified,
}

#[pymethods]
impl VerificationResult {
    /// ``"keyless"`` (Fulcio certificate) or ``"public-key"`` (managed key).
    #[getter]
    fn mode(&self) -> &'static str {
        self.inner.mode.as_str()
    }

    /// The bundle format version, e.g. ``"0.3"``.
    #[getter]
    fn bundle_version(&self) -> &'static str {
        self.inner.bundle_version.as_str()
    }

    /// The signer's certificate identity (the SAN the policy accepted), or None
    /// for a managed key.
    #[getter]
    fn identity(&self) -> Option<&str> {
        self.inner.identity.as_ref().map(|i| i.san())
    }

    /// The OIDC issuer recorded in the certificate, or None.
    #[getter]
    fn issuer(&self) -> Option<&str> {
        self.inner
            .identity
            .as_ref()
            .and_then(|i| i.issuer.as_deref())
    }

    /// Every Subject Alternative Name as ``(type, value)``; type is
    /// ``"uri"``, ``"email"`` or ``"otherName"``.
    #[getter]
    fn sans(&self) -> Vec<(&'static str, String)> {
        let Some(id) = &self.inner.identity else {
            return Vec::new();
        };
        id.sans
            .iter()
            .map(|s| match s {
                SubjectAltName::Uri(v) => ("uri", v.clone()),
                SubjectAltName::Email(v) => ("email", v.clone()),
                SubjectAltName::OtherName(v) => ("otherName", v.clone()),
            })
            .collect()
    }

    /// The Fulcio claims of the certificate (build and source metadata), in certificate order.
    #[getter]
    fn extensions(&self) -> Vec<FulcioExtension> {
        let Some(id) = &self.inner.identity else {
            return Vec::new();
        };
        id.extensions
            .iter()
            .map(|e| FulcioExtension {
                oid: e.oid.clone(),
                name: e.name.to_string(),
                value: e.value.clone(),
            })
            .collect()
    }

    /// The Fulcio claims as ``{oid: value}``, in certificate order.
    #[getter]
    fn fulcio_claims<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for e in self
            .inner
            .identity
            .iter()
            .flat_map(|id| id.extensions.iter())
        {
            d.set_item(&e.oid, &e.value)?;
        }
        Ok(d)
    }

    /// The value of the Fulcio extension with this dotted OID or name (e.g.
    /// ``"Source Repository URI"``), or None.
    fn extension(&self, oid_or_name: &str) -> Option<String> {
        let id = self.inner.identity.as_ref()?;
        // The names the policy accepts (spaces and case ignored), or the
        // result's own `name` spelling.
        let oid = sigverify::certificate::fulcio_extension_oid(oid_or_name);
        id.extensions
            .iter()
            .find(|e| Some(&e.oid) == oid.as_ref() || e.name == oid_or_name)
            .map(|e| e.value.clone())
    }

    /// The signing certificate (DER), or None for a managed key.
    #[getter]
    fn certificate<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner
            .identity
            .as_ref()
            .map(|i| PyBytes::new(py, &i.certificate_der))
    }

    /// Lowercase hex SHA-256 of the signing key's SubjectPublicKeyInfo.
    #[getter]
    fn key_fingerprint(&self) -> &str {
        &self.inner.key_fingerprint
    }

    /// The signing key's type, e.g. ``"ECDSA P-256"``.
    #[getter]
    fn key_type(&self) -> String {
        self.inner.key_type.name()
    }

    /// Every verified time, with its source.
    #[getter]
    fn verified_times(&self, py: Python<'_>) -> PyResult<Vec<VerifiedTime>> {
        self.inner
            .verified_times
            .iter()
            .map(|t| {
                Ok(VerifiedTime {
                    time: to_datetime(py, t.time)?.unbind(),
                    source: t.source.kind().to_string(),
                    url: t.source.url().to_string(),
                })
            })
            .collect()
    }

    /// The transparency-log entries that verified.
    #[getter]
    fn tlog_entries(&self, py: Python<'_>) -> PyResult<Vec<LogEntry>> {
        self.inner
            .tlog_entries
            .iter()
            .map(|e| {
                Ok(LogEntry {
                    log_id: PyBytes::new(py, &e.log_id).unbind(),
                    log_index: e.log_index,
                    kind: e.kind.clone(),
                    version: e.version.clone(),
                    log_url: e.base_url.clone(),
                    integrated_time: e
                        .integrated_time
                        .map(|t| to_datetime(py, t).map(Bound::unbind))
                        .transpose()?,
                    rekor_v2: e.rekor_v2,
                    inclusion_proof_verified: e.inclusion_proof_verified,
                    set_verified: e.set_verified,
                })
            })
            .collect()
    }

    /// The signed certificate timestamps that verified (keyless bundles).
    #[getter]
    fn scts(&self, py: Python<'_>) -> PyResult<Vec<Sct>> {
        self.inner
            .scts
            .iter()
            .map(|s| {
                Ok(Sct {
                    log_id: PyBytes::new(py, &s.log_id).unbind(),
                    time: to_datetime(py, s.timestamp)?.unbind(),
                })
            })
            .collect()
    }

    /// The DSSE payload type, or None for a message-signature bundle.
    #[getter]
    fn payload_type(&self) -> Option<&str> {
        self.inner.dsse_payload.as_ref().map(|(t, _)| t.as_str())
    }

    /// The DSSE payload, or None for a message-signature bundle.
    #[getter]
    fn payload<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner
            .dsse_payload
            .as_ref()
            .map(|(_, p)| PyBytes::new(py, p))
    }

    /// The verified in-toto statement as ``{"_type", "predicateType", "subject":
    /// [{"name", "digest": {alg: hex}}]}`` (the predicate is not included), or None.
    #[getter]
    fn statement<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(s) = &self.inner.statement else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        d.set_item("_type", &s.statement_type)?;
        d.set_item("predicateType", &s.predicate_type)?;
        let mut subjects = Vec::with_capacity(s.subjects.len());
        for sub in &s.subjects {
            let sd = PyDict::new(py);
            sd.set_item("name", &sub.name)?;
            let digest = PyDict::new(py);
            for (alg, hex) in &sub.digests {
                digest.set_item(alg, hex)?;
            }
            sd.set_item("digest", digest)?;
            subjects.push(sd);
        }
        d.set_item("subject", subjects)?;
        Ok(Some(d))
    }

    /// The whole result as JSON text (the CLI's ``--json`` format).
    fn to_json(&self) -> String {
        self.inner.to_json().to_string()
    }

    fn __repr__(&self) -> String {
        match &self.inner.identity {
            Some(id) => format!(
                "<VerificationResult keyless {:?} from {:?}>",
                id.san(),
                id.issuer.as_deref().unwrap_or("")
            ),
            None => format!(
                "<VerificationResult public-key sha256:{}>",
                self.inner.key_fingerprint
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// Module

/// Native part of the ``sigverify`` package; import ``sigverify`` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_BUNDLE_BYTES", MAX_BUNDLE_BYTES)?;
    m.add("MAX_DSSE_PAYLOAD_BYTES", MAX_DSSE_PAYLOAD_BYTES)?;
    m.add_class::<TrustedRoot>()?;
    m.add_class::<Verifier>()?;
    m.add_class::<Bundle>()?;
    m.add_class::<Digest>()?;
    m.add_class::<Identity>()?;
    m.add_class::<AnyOf>()?;
    m.add_class::<AllOf>()?;
    m.add_class::<PublicKey>()?;
    m.add_class::<VerificationResult>()?;
    m.add_class::<VerifiedTime>()?;
    m.add_class::<LogEntry>()?;
    m.add_class::<Sct>()?;
    m.add_class::<FulcioExtension>()?;
    let types = error_types(py)?;
    m.add("VerificationError", types.base.bind(py))?;
    for (_, cls) in &types.by_code {
        let cls = cls.bind(py);
        m.add(cls.name()?.to_string(), cls)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_are_unique_and_stable() {
        let names: Vec<String> = ErrorKind::ALL.into_iter().map(class_name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert_eq!(class_name(ErrorKind::InclusionProof), "InclusionProofError");
        assert_eq!(
            class_name(ErrorKind::TlogBodyMismatch),
            "TlogBodyMismatchError"
        );
        assert_eq!(class_name(ErrorKind::Set), "SignedEntryTimestampError");
        assert_eq!(class_name(ErrorKind::Sct), "SctError");
    }

    #[test]
    fn chunks_cover_the_buffer_once() {
        for len in [0, 1, 4, 5, 7, 8, 9, 16, 17] {
            let parts: Vec<(usize, usize)> = chunks(len, 4).collect();
            let mut next = 0;
            for &(start, end) in &parts {
                assert_eq!(start, next, "len {len}: {parts:?}");
                assert!(start < end && end - start <= 4, "len {len}: {parts:?}");
                next = end;
            }
            assert_eq!(next, len, "len {len}: {parts:?}");
            assert_eq!(parts.len(), len.div_ceil(4));
        }
        assert_eq!(chunks(3, 0).count(), 3);
    }

    #[test]
    fn buffers_hash_as_their_bytes() {
        // Sizes around the chunk boundaries, through both paths of hash_buffer:
        // chunked (bytearray, memoryview) and whole (a strided memoryview).
        Python::initialize();
        Python::attach(|py| -> PyResult<()> {
            for len in [
                0,
                1,
                READ_CHUNK - 1,
                READ_CHUNK,
                READ_CHUNK + 1,
                2 * READ_CHUNK + 7,
            ] {
                let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
                let want = Artifact::from_bytes(&data);
                let array = PyByteArray::new(py, &data);
                let view = PyMemoryView::from(array.as_any())?;
                let doubled: Vec<u8> = data.iter().flat_map(|&b| [b, !b]).collect();
                let every_other = py.get_type::<PySlice>().call1((py.None(), py.None(), 2))?;
                let strided = PyMemoryView::from(PyBytes::new(py, &doubled).as_any())?
                    .get_item(every_other)?;
                for (what, input) in [
                    ("bytearray", array.as_any()),
                    ("memoryview", view.as_any()),
                    ("strided", &strided),
                ] {
                    assert_eq!(hash_buffer(py, input)?, want, "{what} of {len} bytes");
                }
            }
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn digest_strings() {
        assert!(str_is_digest(&format!("sha256:{}", "ab".repeat(32))));
        assert!(
            str_is_digest("sha512:zz"),
            "malformed digests are reported, not opened"
        );
        assert!(!str_is_digest("md5:00"));
        assert!(!str_is_digest("a.txt"));
        assert!(!str_is_digest("/"));
    }
}
