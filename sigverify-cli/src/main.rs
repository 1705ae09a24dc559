//! `sigverify`: verify Sigstore bundles offline.
//!
//! Three front doors: `verify`, for people, `verify-bundle`, the
//! sigstore-conformance CLI protocol, and `verify-many`, a batch over a manifest
//! of bundles, verified on every core. Exit status: 0 verified, 1 not verified,
//! 2 usage error.

// Signer-chosen text (certificate names, the DSSE payload type) is printed
// through `printable`: control and bidirectional characters escaped.
use sigverify::error::printable;
use sigverify::time::{TimeRange, Timestamp};
use sigverify::{
    Artifact, BatchItem, Bundle, Identity, Matcher, Policy, TrustedRoot, Verified, Verifier,
};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
sigverify: verify Sigstore bundles offline

Usage:
  sigverify verify --bundle FILE (--identity ID | --identity-regex RE)
                   (--issuer URL | --issuer-regex RE) [--extension NAME=VALUE ...]
                   [--trusted-root FILE] [--staging] [--json] ARTIFACT
  sigverify verify --bundle FILE KEYS [--trusted-root FILE] [--staging] [--json] ARTIFACT
  sigverify verify-bundle [--staging] --bundle FILE
                   (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
                   [--trusted-root FILE] FILE_OR_DIGEST
  sigverify verify-many --manifest FILE (--identity ID | --identity-regex RE)
                   (--issuer URL | --issuer-regex RE) [--extension NAME=VALUE ...]
                   [--trusted-root FILE] [--staging] [--threads N] [--json]
  sigverify verify-many --manifest FILE KEYS [--trusted-root FILE] [--staging]
                   [--threads N] [--json]

KEYS is one or more `--key PEM [--key-valid-from TIME] [--key-valid-until TIME]`.

ARTIFACT is a file path, or sha256:<64 hex digits> (a digest of the artifact)
when no file of that name exists.
Without --trusted-root the embedded Sigstore production root is used
(--staging: the embedded staging root). Regular expressions must match the
whole value.

--extension NAME=VALUE (or --extension-regex NAME=RE), repeatable, also
requires a Fulcio claim of the certificate, by name or OID, e.g.
--extension SourceRepositoryURI=https://github.com/org/repo
--extension SourceRepositoryRef=refs/heads/main

--key may be repeated (a keyring): the bundle must be signed by one of the
keys. --key-valid-from and --key-valid-until (RFC 3339, e.g.
2026-01-01T00:00:00Z, both inclusive) after a --key trust that key only for
signatures made in that window (a rotated or revoked key): every verified
time of the bundle (signed entry timestamp, RFC 3161 timestamp) must lie
inside, and a bundle with none fails. For a rotation:
--key old.pem --key-valid-until 2026-06-01T00:00:00Z --key new.pem

verify-many reads a manifest with one item per line, `BUNDLE ARTIFACT`
(separated by a tab, or else by spaces), where ARTIFACT is a path or
sha256:<hex>; relative paths are relative to the manifest's folder (so is the
file test for sha256:<hex>), `-` as the manifest reads standard input, and
blank lines and lines starting with `#` are skipped; a manifest without items
is a usage error. Every item is checked against the same policy and trusted
root, on --threads threads (default: every core). It prints one line per
item in manifest order, `OK BUNDLE` or `FAIL BUNDLE: reason` (--json: one
JSON object per line), then a count and the throughput on standard error.

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
    /// `--key`, repeatable in `verify` and `verify-many` (a keyring), each with
    /// the window flags that follow it.
    keys: Vec<KeyArg>,
    trusted_root: Option<String>,
    staging: bool,
    json: bool,
    artifact: Option<String>,
    manifest: Option<String>,
    threads: Option<String>,
    /// `--extension NAME=VALUE` / `--extension-regex NAME=RE`: (text, is regex).
    extensions: Vec<(String, bool)>,
}

/// One `--key` and its `--key-valid-from` / `--key-valid-until`, if given.
struct KeyArg {
    path: String,
    valid_from: Option<String>,
    valid_until: Option<String>,
}

/// Which front door parses the command line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Verify,
    Conformance,
    Many,
}

fn parse_args(mode: Mode, argv: &[String]) -> Result<Args, Usage> {
    let conformance = mode == Mode::Conformance;
    let many = mode == Mode::Many;
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
            ("--bundle", _) if !many => &mut a.bundle,
            ("--manifest", _) if many => &mut a.manifest,
            ("--threads", _) if many => &mut a.threads,
            ("--certificate-identity", true) | ("--identity", false) => &mut a.identity,
            ("--certificate-oidc-issuer", true) | ("--issuer", false) => &mut a.issuer,
            ("--identity-regex", false) => &mut a.identity_regex,
            ("--issuer-regex", false) => &mut a.issuer_regex,
            ("--key", _) => {
                if conformance && !a.keys.is_empty() {
                    return Err(Usage("--key given twice".into()));
                }
                a.keys.push(KeyArg {
                    path: value(flag)?,
                    valid_from: None,
                    valid_until: None,
                });
                continue;
            }
            // A window belongs to the --key before it.
            ("--key-valid-from" | "--key-valid-until", false) => {
                let key = a
                    .keys
                    .last_mut()
                    .ok_or_else(|| Usage(format!("{flag} follows the --key it applies to")))?;
                if flag == "--key-valid-from" {
                    &mut key.valid_from
                } else {
                    &mut key.valid_until
                }
            }
            ("--trusted-root", _) => &mut a.trusted_root,
            // On/off flags take no value: `--staging=false` must not mean staging.
            ("--staging" | "--json", _) if inline.is_some() => {
                return Err(Usage(format!("{flag} takes no value")));
            }
            ("--staging", _) => {
                a.staging = true;
                continue;
            }
            ("--json", false) => {
                a.json = true;
                continue;
            }
            ("--extension" | "--extension-regex", false) => {
                let claim = value(flag)?;
                a.extensions.push((claim, flag == "--extension-regex"));
                continue;
            }
            (f, _) if f.starts_with("--") => return Err(Usage(format!("unknown option {f}"))),
            _ if many => return Err(Usage(format!("unexpected argument {arg:?}"))),
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
    is_digest_at(s, Path::new(s))
}

/// [`is_digest`] for `s` read as the file `path` (a manifest's relative path).
/// Anything there, even a dangling link or a file we may not see, is a path:
/// only a name that certainly names nothing is read as a digest.
fn is_digest_at(s: &str, path: &Path) -> bool {
    s.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        && matches!(path.symlink_metadata(), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

fn build_policy(a: &Args) -> Result<Policy, Usage> {
    let identity_given = a.identity.is_some() || a.identity_regex.is_some();
    let issuer_given = a.issuer.is_some() || a.issuer_regex.is_some();
    if !a.keys.is_empty() {
        if identity_given || issuer_given || !a.extensions.is_empty() {
            return Err(Usage(
                "give either --key or an identity and issuer (and extensions), not both".into(),
            ));
        }
        // The windows first: a malformed time is a usage error (exit 2) even when a
        // key would also fail to load (exit 1).
        let time = |v: &Option<String>, flag: &str| {
            v.as_deref()
                .map(|t| {
                    Timestamp::parse_rfc3339(t).ok_or_else(|| {
                        Usage(format!(
                            "{flag} needs an RFC 3339 time such as 2026-01-01T00:00:00Z, not {t:?}"
                        ))
                    })
                })
                .transpose()
        };
        let mut windows = Vec::with_capacity(a.keys.len());
        for k in &a.keys {
            windows.push(
                match (
                    time(&k.valid_from, "--key-valid-from")?,
                    time(&k.valid_until, "--key-valid-until")?,
                ) {
                    (None, None) => None,
                    (Some(from), Some(until)) if until < from => {
                        return Err(Usage(format!(
                            "--key-valid-until {until} is before --key-valid-from {from} \
                             (key {})",
                            k.path
                        )));
                    }
                    (from, until) => TimeRange::from_bounds(from, until),
                },
            );
        }
        let mut keys = Vec::with_capacity(a.keys.len());
        for (k, window) in a.keys.iter().zip(windows) {
            let pem = read(&k.path, "key").map_err(Usage)?;
            // An unusable key is a verification failure (exit 1), not a usage error.
            let key = Policy::public_key(&pem).unwrap_or_else(|e| fail(&e.to_string()));
            keys.push(match window {
                None => key,
                Some(w) => key
                    .key_valid_for(w)
                    .map_err(|e| Usage(e.message().to_string()))?,
            });
        }
        return Ok(Policy::any_key(keys).unwrap_or_else(|e| fail(&e.to_string())));
    }
    let matcher = |exact: &Option<String>,
                   regex: &Option<String>,
                   what: &str|
     -> Result<Matcher, Usage> {
        match (exact, regex) {
            // An unset shell variable must not become a policy (as in Python and Node).
            (Some(s), None) | (None, Some(s)) if s.is_empty() => {
                Err(Usage(format!("--{what} must not be empty")))
            }
            (Some(s), None) => Ok(Matcher::exact(s.clone())),
            (None, Some(r)) => Matcher::regex(r).map_err(|e| Usage(e.message().to_string())),
            (Some(_), Some(_)) => Err(Usage(format!("give --{what} or --{what}-regex, not both"))),
            (None, None) => Err(Usage(format!(
                "an identity policy needs --{what} (or --{what}-regex)"
            ))),
        }
    };
    let mut identity = Identity::new(
        matcher(&a.identity, &a.identity_regex, "identity")?,
        matcher(&a.issuer, &a.issuer_regex, "issuer")?,
    );
    for (claim, regex) in &a.extensions {
        let (name, value) = claim.split_once('=').ok_or_else(|| {
            let flag = if *regex {
                "--extension-regex NAME=RE"
            } else {
                "--extension NAME=VALUE"
            };
            Usage(format!("{flag} needs a NAME=, not {claim:?}"))
        })?;
        let m = if *regex {
            Matcher::regex(value).map_err(|e| Usage(e.message().to_string()))?
        } else {
            Matcher::exact(value)
        };
        identity = identity
            .require_extension(name, m)
            .map_err(|e| Usage(e.message().to_string()))?;
    }
    Ok(Policy::Identities(vec![identity]))
}

fn fail(msg: &str) -> ! {
    eprintln!("sigverify: verification failed: {msg}");
    std::process::exit(1)
}

fn load_verifier(a: &Args) -> Verifier {
    match &a.trusted_root {
        Some(p) => TrustedRoot::from_json(&read(p, "trusted root").unwrap_or_else(|e| fail(&e)))
            .and_then(Verifier::new),
        // The embedded roots' own constructors skip re-verifying their constant CA links.
        None if a.staging => Verifier::staging(),
        None => Verifier::production(),
    }
    .unwrap_or_else(|e| fail(&e.to_string()))
}

fn run(conformance: bool, argv: &[String]) -> Result<(), Usage> {
    let mode = if conformance {
        Mode::Conformance
    } else {
        Mode::Verify
    };
    let a = parse_args(mode, argv)?;
    let bundle_path = a
        .bundle
        .as_deref()
        .ok_or_else(|| Usage("--bundle is required".into()))?;
    let target = a
        .artifact
        .as_deref()
        .ok_or_else(|| Usage("the artifact (a path or sha256:<hex>) is required".into()))?;
    let policy = build_policy(&a)?;

    let verifier = load_verifier(&a);
    let bundle_bytes = read(bundle_path, "bundle").unwrap_or_else(|e| fail(&e));
    let bundle = Bundle::from_json(&bundle_bytes).unwrap_or_else(|e| fail(&e.to_string()));
    let artifact = if is_digest(target) {
        Artifact::parse_digest(target).unwrap_or_else(|e| fail(&e.to_string()))
    } else {
        let file = File::open(target)
            .unwrap_or_else(|e| fail(&format!("cannot read artifact {target}: {e}")));
        // Only the digests this bundle can use: each algorithm is a full pass over the file.
        Artifact::from_reader_with(file, &Artifact::hashes_needed(&bundle))
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

/// One manifest line: where the bundle is, and the artifact path or digest.
#[derive(Debug, PartialEq, Eq)]
struct ManifestItem {
    bundle: String,
    artifact: String,
}

/// Parse a manifest (see the usage text); `base` is the folder relative paths start from.
fn parse_manifest(text: &str, base: &Path) -> Result<Vec<ManifestItem>, String> {
    // A relative name is a file in `base`, or else (sha256:<hex> naming nothing
    // there) a digest: the same test as for a single artifact, in the folder the
    // file would be read from.
    let resolve = |p: &str| {
        let path = base.join(p);
        if Path::new(p).is_absolute() || is_digest_at(p, &path) {
            p.to_string()
        } else {
            path.to_string_lossy().into_owned()
        }
    };
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = if line.contains('\t') {
            line.split('\t').collect()
        } else {
            line.split_whitespace().collect()
        };
        match fields.as_slice() {
            [b, a] if !b.is_empty() && !a.is_empty() => out.push(ManifestItem {
                bundle: resolve(b),
                artifact: resolve(a),
            }),
            _ => {
                return Err(format!(
                    "manifest line {}: expected `BUNDLE ARTIFACT`, got {line:?}",
                    n + 1
                ));
            }
        }
    }
    Ok(out)
}

/// The parsed bundle and artifact digests of one item, or why they could not be had.
type Loaded = Result<(Bundle, Artifact), String>;

fn load_item(it: &ManifestItem) -> Loaded {
    let bundle = Bundle::from_json(&read(&it.bundle, "bundle")?).map_err(|e| e.to_string())?;
    let artifact = if is_digest(&it.artifact) {
        Artifact::parse_digest(&it.artifact).map_err(|e| e.to_string())?
    } else {
        let file = File::open(&it.artifact)
            .map_err(|e| format!("cannot read artifact {}: {e}", it.artifact))?;
        Artifact::from_reader_with(file, &Artifact::hashes_needed(&bundle))
            .map_err(|e| format!("cannot read artifact {}: {e}", it.artifact))?
    };
    Ok((bundle, artifact))
}

/// Read, parse and hash every item on `threads` threads (artifacts may be large).
/// Manifest items `verify-many` loads and verifies per round: memory is bounded
/// by this many bundles and their results, not by the manifest's length; large
/// enough that the threads' idle time at the end of a round is negligible.
const MANY_WINDOW: usize = 1024;

fn load_all(items: &[ManifestItem], threads: usize) -> Vec<Loaded> {
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(load_item).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn run_many(argv: &[String]) -> Result<bool, Usage> {
    let a = parse_args(Mode::Many, argv)?;
    let manifest = a
        .manifest
        .as_deref()
        .ok_or_else(|| Usage("--manifest is required".into()))?;
    let threads = match &a.threads {
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| Usage(format!("--threads {t:?} is not a positive number")))?,
    };
    let policy = build_policy(&a)?;
    let (text, base) = if manifest == "-" {
        let mut t = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut t)
            .map_err(|e| Usage(format!("cannot read the manifest from standard input: {e}")))?;
        (t, std::path::PathBuf::from("."))
    } else {
        let t = std::fs::read_to_string(manifest)
            .map_err(|e| Usage(format!("cannot read manifest {manifest}: {e}")))?;
        let base = Path::new(manifest)
            .parent()
            .map_or_else(|| ".".into(), Path::to_path_buf);
        (t, base)
    };
    let items = parse_manifest(&text, &base).map_err(Usage)?;
    // Nothing to verify is not a pass: an empty list from a broken generator
    // must not let a release through.
    if items.is_empty() {
        return Err(Usage(format!(
            "manifest {manifest} lists no bundles: nothing to verify"
        )));
    }
    let verifier = load_verifier(&a);

    // Rounds of MANY_WINDOW items: load, verify, report, drop, so memory stays
    // that of one round however long the manifest is. Timed from reading the
    // bundles to the last verdict, without writing the report (the root is
    // parsed before).
    let mut elapsed = std::time::Duration::ZERO;
    let (mut failed, mut verified_items) = (0usize, 0usize);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for window in items.chunks(MANY_WINDOW) {
        let started = Instant::now();
        let loaded = load_all(window, threads);
        let batch: Vec<BatchItem<'_>> = loaded
            .iter()
            .filter_map(|l| l.as_ref().ok())
            .map(|(b, art)| BatchItem::parsed(b, art, &policy))
            .collect();
        let mut results = verifier
            .verify_many_with_threads(&batch, threads)
            .into_iter();
        elapsed += started.elapsed();
        verified_items += batch.len();
        for (it, l) in window.iter().zip(&loaded) {
            let r: Result<Verified, String> = match l {
                Err(e) => Err(e.clone()),
                Ok(_) => match results.next() {
                    Some(r) => r.map_err(|e| e.to_string()),
                    None => Err("internal error: missing result".into()),
                },
            };
            // A closed standard output only loses the report; the exit status stays.
            let _ = match (&r, a.json) {
                (Ok(v), true) => writeln!(
                    out,
                    "{{\"bundle\":{},\"ok\":true,\"result\":{}}}",
                    json_string(&it.bundle),
                    v.to_json()
                ),
                (Ok(_), false) => writeln!(out, "OK {}", it.bundle),
                (Err(e), true) => writeln!(
                    out,
                    "{{\"bundle\":{},\"ok\":false,\"error\":{}}}",
                    json_string(&it.bundle),
                    json_string(e)
                ),
                (Err(e), false) => writeln!(out, "FAIL {}: {e}", it.bundle),
            };
            failed += usize::from(r.is_err());
        }
    }
    let _ = out.flush();
    drop(out);
    let secs = elapsed.as_secs_f64();
    eprintln!(
        "sigverify: {} verified, {failed} failed; {} bundles in {:.3} s on {threads} thread(s), {:.0} bundles/s",
        items.len() - failed,
        verified_items,
        secs,
        if secs > 0.0 {
            verified_items as f64 / secs
        } else {
            0.0
        }
    );
    Ok(failed == 0)
}

fn print_summary(target: &str, v: &Verified) {
    println!("Verified OK: {}", printable(target));
    match &v.identity {
        Some(id) => println!(
            "  signed by  {} (issuer {})",
            printable(id.san()),
            printable(id.issuer.as_deref().unwrap_or("unknown"))
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
        println!("  payload    {}", printable(payload_type));
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (conformance, rest) = match argv.first().map(String::as_str) {
        Some("verify-bundle") => (true, &argv[1..]),
        Some("verify") => (false, &argv[1..]),
        Some("verify-many") => {
            return match run_many(&argv[1..]) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::from(1),
                Err(Usage(msg)) => {
                    eprintln!("sigverify: {msg}\nRun `sigverify --help` for usage.");
                    ExitCode::from(2)
                }
            };
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines() {
        let base = Path::new("/m");
        let digest = format!("sha256:{}", "ab".repeat(32));
        let text = format!(
            "# comment\n\na.json a.txt\n/abs/b.json\t{digest}\r\n  c d.json\tart with space\n"
        );
        let items = parse_manifest(&text, base).unwrap();
        assert_eq!(
            items,
            vec![
                ManifestItem {
                    bundle: "/m/a.json".into(),
                    artifact: "/m/a.txt".into()
                },
                ManifestItem {
                    bundle: "/abs/b.json".into(),
                    artifact: digest.clone()
                },
                ManifestItem {
                    bundle: "/m/  c d.json".into(),
                    artifact: "/m/art with space".into()
                },
            ]
        );
        for bad in ["only-one-field", "a b c", "a\t"] {
            assert!(
                parse_manifest(bad, base).unwrap_err().contains("line 1"),
                "{bad}"
            );
        }
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\n"), r#""a\"b\\c\u000a""#);
    }
}
