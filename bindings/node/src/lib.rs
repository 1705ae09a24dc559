//! Node.js bindings for sigverify (napi-rs).
//!
//! This is the native layer only. The public JavaScript API (`TrustedRoot`,
//! `Verifier`, `SigverifyError`, argument checking with `TypeError`s, result
//! shaping) lives in `index.js`, which is the only supported caller of these
//! functions. The split keeps JS conventions in JS and lets this layer stay
//! small: it never throws for a verification failure, it returns a
//! [`NativeOutcome`] carrying the core's error code, so sync and async calls
//! report failures the same way.

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::Value;
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

/// The result of one verification: exactly one field is set.
#[napi(object)]
pub struct NativeOutcome {
    /// The verified result as JSON text (`Verified::to_json` plus
    /// `identity.matchedPolicy` and `dsse.payload`).
    pub json: Option<String>,
    /// Why verification failed.
    pub failure: Option<NativeFailure>,
    /// A panic in the core (a bug): reported instead of aborting the process.
    pub internal: Option<String>,
}

/// What [`run`] produced, or the message of a panic it raised.
type Ran = Result<Result<String, Error>, String>;

impl From<Ran> for NativeOutcome {
    fn from(r: Ran) -> Self {
        let mut out = NativeOutcome {
            json: None,
            failure: None,
            internal: None,
        };
        match r {
            Ok(Ok(json)) => out.json = Some(json),
            Ok(Err(e)) => out.failure = Some(NativeFailure::from(&e)),
            Err(panic) => out.internal = Some(panic),
        }
        out
    }
}

/// Run `f`, turning a panic into its message: a panic must not unwind into
/// Node (that aborts the process, e.g. a whole `npm install`).
fn guarded(f: impl FnOnce() -> Result<String, Error>) -> Ran {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
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
}

/// The caller's policy: identities (any one may match) or a public key.
#[napi(object)]
pub struct NativePolicy {
    /// Keyless: acceptable signers.
    pub identities: Option<Vec<NativeIdentity>>,
    /// Managed key: PEM or DER SubjectPublicKeyInfo.
    pub public_key: Option<Buffer>,
}

/// An owned copy of the policy, so it can move to a worker thread.
enum PolicySpec {
    Identities(Vec<NativeIdentity>),
    PublicKey(Vec<u8>),
}

fn misuse(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::PolicyMisuse, msg)
}

impl PolicySpec {
    fn from_native(p: NativePolicy) -> Result<PolicySpec, Error> {
        match (p.identities, p.public_key) {
            (Some(ids), None) => Ok(PolicySpec::Identities(ids)),
            (None, Some(key)) => Ok(PolicySpec::PublicKey(key.to_vec())),
            (Some(_), Some(_)) => Err(misuse(
                "a policy has either identities or a public key, not both",
            )),
            (None, None) => Err(misuse("a policy needs identities or a public key")),
        }
    }

    /// Compile into the core's policy (regexes are compiled here).
    fn build(&self) -> Result<Policy, Error> {
        match self {
            PolicySpec::PublicKey(key) => Policy::public_key(key),
            PolicySpec::Identities(ids) => Policy::any_of(
                ids.iter()
                    .map(|id| {
                        Ok(Identity {
                            san: matcher(&id.identity, &id.identity_regex, "identity")?,
                            issuer: matcher(&id.issuer, &id.issuer_regex, "issuer")?,
                        })
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

/// Parse, verify and serialise: the whole request, on whichever thread runs it.
fn run(
    verifier: &Verifier,
    bundle: &[u8],
    artifact: Result<ArtifactRef<'_>, Error>,
    policy: Result<&PolicySpec, &Error>,
) -> Result<String, Error> {
    let policy = policy.map_err(Clone::clone)?.build()?;
    let artifact = match artifact? {
        ArtifactRef::Bytes(b) => Some(Artifact::from_bytes(b)),
        ArtifactRef::Digest(d) => Some(Artifact::parse_digest(d)?),
        ArtifactRef::Unbound => None,
    };
    let bundle = Bundle::from_json_with_limits(bundle, &verifier.options().limits)?;
    let verified = match &artifact {
        Some(a) => verifier.verify(&bundle, a, &policy)?,
        None => verifier.verify_dsse(&bundle, &policy)?,
    };
    Ok(result_json(&verified).to_string())
}

/// `Verified::to_json` plus what a JS caller needs that the CLI JSON leaves
/// out: the index of the matched policy identity and the DSSE payload bytes.
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
        obj.insert(
            "payload".into(),
            sigverify::encoding::b64_encode(payload).into(),
        );
    }
    json
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
    #[napi]
    pub fn verify(
        &self,
        bundle: &[u8],
        artifact: Option<&[u8]>,
        digest: Option<String>,
        policy: NativePolicy,
    ) -> NativeOutcome {
        let policy = PolicySpec::from_native(policy);
        guarded(|| {
            run(
                &self.inner,
                bundle,
                artifact_ref(artifact, digest.as_deref()),
                policy.as_ref(),
            )
        })
        .into()
    }

    /// Verify a DSSE bundle without its artifact, on the calling thread:
    /// every check but the in-toto subject match.
    #[napi]
    pub fn verify_dsse(&self, bundle: &[u8], policy: NativePolicy) -> NativeOutcome {
        let policy = PolicySpec::from_native(policy);
        guarded(|| {
            run(
                &self.inner,
                bundle,
                Ok(ArtifactRef::Unbound),
                policy.as_ref(),
            )
        })
        .into()
    }

    /// Verify on the libuv thread pool. The inputs are copied first, so the
    /// caller may reuse or mutate its buffers while the work runs.
    #[napi(ts_return_type = "Promise<NativeOutcome>")]
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
    type JsValue = NativeOutcome;

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

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<NativeOutcome> {
        Ok(output.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The same guard end to end: a v0.1 bundle is accepted only through its
    /// SET, which needs the canonical (sorted) payload.
    #[test]
    fn set_only_bundle_verifies_through_binding_path() {
        let dir = vectors().join("conformance/happy-path-v0.1");
        let bundle = std::fs::read(dir.join("bundle.sigstore.json")).unwrap();
        let artifact = std::fs::read(vectors().join("conformance/a.txt")).unwrap();
        let verifier = Verifier::production().unwrap();
        let spec = PolicySpec::Identities(vec![NativeIdentity {
            identity: Some("https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main".into()),
            identity_regex: None,
            issuer: Some("https://token.actions.githubusercontent.com".into()),
            issuer_regex: None,
        }]);
        let json = run(
            &verifier,
            &bundle,
            Ok(ArtifactRef::Bytes(&artifact)),
            Ok(&spec),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["identity"]["matchedPolicy"], 0);
        assert_eq!(v["mode"], "keyless");
    }

    #[test]
    fn policy_shape_errors_are_policy_misuse() {
        let none = NativeIdentity {
            identity: None,
            identity_regex: None,
            issuer: Some("x".into()),
            issuer_regex: None,
        };
        let both = NativeIdentity {
            identity: Some("a".into()),
            identity_regex: Some("a".into()),
            ..none.clone()
        };
        for id in [none, both] {
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
        let out = NativeOutcome::from(guarded(|| panic!("boom {}", 1)));
        assert_eq!(out.internal.as_deref(), Some("boom 1"));
        assert!(out.json.is_none() && out.failure.is_none());
        let out = NativeOutcome::from(guarded(|| Err(misuse("x"))));
        assert_eq!(out.failure.map(|f| f.code), Some(15));
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
