//! `sigverify`: verify Sigstore bundles offline.
//!
//! Two front doors: `verify`, for people, and `verify-bundle`, the
//! sigstore-conformance CLI protocol. Exit status: 0 verified, 1 not verified,
//! 2 usage error.

use sigverify::{Artifact, Bundle, Identity, Matcher, Policy, TrustedRoot, Verified, Verifier};
use std::fs::File;
use std::process::ExitCode;

const USAGE: &str = "\
sigverify: verify Sigstore bundles offline

Usage:
  sigverify verify --bundle FILE (--identity ID | --identity-regex RE)
                   (--issuer URL | --issuer-regex RE) [--trusted-root FILE]
                   [--staging] [--json] ARTIFACT
  sigverify verify --bundle FILE --key PEM [--trusted-root FILE] [--staging] [--json] ARTIFACT
  sigverify verify-bundle [--staging] --bundle FILE
                   (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
                   [--trusted-root FILE] FILE_OR_DIGEST

ARTIFACT is a file path, or sha256:<64 hex digits> (a digest of the artifact).
Without --trusted-root the embedded Sigstore production root is used
(--staging: the embedded staging root). Regular expressions must match the
whole value.

Exit status: 0 verified, 1 verification failed, 2 usage error.
";

/// A usage error: exit 2 with a message.
struct Usage(String);

/// Parsed command line of either front door.
#[derive(Default)]
struct Args {
    bundle: Option<String>,
    identity: Option<String>,
    identity_regex: Option<String>,
    issuer: Option<String>,
    issuer_regex: Option<String>,
    key: Option<String>,
    trusted_root: Option<String>,
    staging: bool,
    json: bool,
    artifact: Option<String>,
}

fn parse_args(conformance: bool, argv: &[String]) -> Result<Args, Usage> {
    let mut a = Args::default();
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, Usage> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| Usage(format!("{name} needs a value")))
        };
        let slot = match (flag, conformance) {
            ("--bundle", _) => &mut a.bundle,
            ("--certificate-identity", true) | ("--identity", false) => &mut a.identity,
            ("--certificate-oidc-issuer", true) | ("--issuer", false) => &mut a.issuer,
            ("--identity-regex", false) => &mut a.identity_regex,
            ("--issuer-regex", false) => &mut a.issuer_regex,
            ("--key", _) => &mut a.key,
            ("--trusted-root", _) => &mut a.trusted_root,
            ("--staging", _) => {
                a.staging = true;
                continue;
            }
            ("--json", false) => {
                a.json = true;
                continue;
            }
            (f, _) if f.starts_with("--") => return Err(Usage(format!("unknown option {f}"))),
            _ => {
                if a.artifact.replace(arg.clone()).is_some() {
                    return Err(Usage("more than one artifact given".into()));
                }
                continue;
            }
        };
        if slot.replace(value(flag)?).is_some() {
            return Err(Usage(format!("{flag} given twice")));
        }
    }
    Ok(a)
}

fn read(path: &str, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {what} {path}: {e}"))
}

/// `sha256:<64 hex>` that is not an existing file is a digest; anything else is a path.
fn is_digest(s: &str) -> bool {
    s.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        && !std::path::Path::new(s).exists()
}

fn build_policy(a: &Args) -> Result<Policy, Usage> {
    let identity_given = a.identity.is_some() || a.identity_regex.is_some();
    let issuer_given = a.issuer.is_some() || a.issuer_regex.is_some();
    if let Some(key) = &a.key {
        if identity_given || issuer_given {
            return Err(Usage(
                "give either --key or an identity and issuer, not both".into(),
            ));
        }
        let pem = read(key, "key").map_err(Usage)?;
        // An unusable key is a verification failure (exit 1), not a usage error.
        return Ok(Policy::public_key(&pem).unwrap_or_else(|e| fail(&e.to_string())));
    }
    let matcher = |exact: &Option<String>,
                   regex: &Option<String>,
                   what: &str|
     -> Result<Matcher, Usage> {
        match (exact, regex) {
            (Some(s), None) => Ok(Matcher::exact(s.clone())),
            (None, Some(r)) => Matcher::regex(r).map_err(|e| Usage(e.message().to_string())),
            (Some(_), Some(_)) => Err(Usage(format!("give --{what} or --{what}-regex, not both"))),
            (None, None) => Err(Usage(format!(
                "an identity policy needs --{what} (or --{what}-regex)"
            ))),
        }
    };
    Ok(Policy::Identities(vec![Identity {
        san: matcher(&a.identity, &a.identity_regex, "identity")?,
        issuer: matcher(&a.issuer, &a.issuer_regex, "issuer")?,
    }]))
}

fn fail(msg: &str) -> ! {
    eprintln!("sigverify: verification failed: {msg}");
    std::process::exit(1)
}

fn run(conformance: bool, argv: &[String]) -> Result<(), Usage> {
    let a = parse_args(conformance, argv)?;
    let bundle_path = a
        .bundle
        .as_deref()
        .ok_or_else(|| Usage("--bundle is required".into()))?;
    let target = a
        .artifact
        .as_deref()
        .ok_or_else(|| Usage("the artifact (a path or sha256:<hex>) is required".into()))?;
    let policy = build_policy(&a)?;

    let root = match &a.trusted_root {
        Some(p) => TrustedRoot::from_json(&read(p, "trusted root").unwrap_or_else(|e| fail(&e))),
        None if a.staging => TrustedRoot::staging(),
        None => TrustedRoot::production(),
    }
    .unwrap_or_else(|e| fail(&e.to_string()));
    let verifier = Verifier::new(root).unwrap_or_else(|e| fail(&e.to_string()));
    let bundle_bytes = read(bundle_path, "bundle").unwrap_or_else(|e| fail(&e));
    let bundle = Bundle::from_json(&bundle_bytes).unwrap_or_else(|e| fail(&e.to_string()));
    let artifact = if is_digest(target) {
        Artifact::parse_digest(target).unwrap_or_else(|e| fail(&e.to_string()))
    } else {
        let file = File::open(target)
            .unwrap_or_else(|e| fail(&format!("cannot read artifact {target}: {e}")));
        Artifact::from_reader(file)
            .unwrap_or_else(|e| fail(&format!("cannot read artifact {target}: {e}")))
    };
    let verified = verifier
        .verify(&bundle, &artifact, &policy)
        .unwrap_or_else(|e| fail(&e.to_string()));
    if a.json {
        println!("{}", verified.to_json());
    } else if !conformance {
        print_summary(target, &verified);
    }
    Ok(())
}

fn print_summary(target: &str, v: &Verified) {
    println!("Verified OK: {target}");
    match &v.identity {
        Some(id) => println!(
            "  signed by  {} (issuer {})",
            id.san(),
            id.issuer.as_deref().unwrap_or("unknown")
        ),
        None => println!(
            "  signed by  key sha256:{} ({})",
            v.key_fingerprint,
            v.key_type.name()
        ),
    }
    for t in &v.verified_times {
        println!("  at         {} ({})", t.time, t.source.describe());
    }
    for e in &v.tlog_entries {
        println!(
            "  logged in  {} entry {} ({} {})",
            e.base_url, e.log_index, e.kind, e.version
        );
    }
    if let Some((payload_type, _)) = &v.dsse_payload {
        println!("  payload    {payload_type}");
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (conformance, rest) = match argv.first().map(String::as_str) {
        Some("verify-bundle") => (true, &argv[1..]),
        Some("verify") => (false, &argv[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("-V" | "--version") => {
            println!("sigverify {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("sigverify: unknown command {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(conformance, rest) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Usage(msg)) => {
            eprintln!("sigverify: {msg}\nRun `sigverify --help` for usage.");
            ExitCode::from(2)
        }
    }
}
