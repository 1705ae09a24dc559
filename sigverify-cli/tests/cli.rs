//! The command's contract: exit 0 verified, 1 not verified, 2 usage error;
//! one line naming the failed step; a human summary or JSON on success.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn corpus(rel: &str) -> String {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-vectors/conformance")
        .join(rel);
    p.to_string_lossy().into_owned()
}

fn sigverify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sigverify"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn verify_prints_a_summary_with_the_embedded_root() {
    let bundle = corpus("happy-path-v0.3/bundle.sigstore.json");
    let out = sigverify(&[
        "verify",
        "--bundle",
        &bundle,
        "--identity",
        IDENTITY,
        "--issuer",
        ISSUER,
        &corpus("a.txt"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Verified OK"), "{stdout}");
    assert!(
        stdout.contains(IDENTITY) && stdout.contains("rekor.sigstore.dev"),
        "{stdout}"
    );
}

#[test]
fn verify_json_and_regex() {
    let bundle = corpus("happy-path-v0.3/bundle.sigstore.json");
    let out = sigverify(&[
        "verify",
        "--bundle",
        &bundle,
        "--identity-regex",
        "https://github.com/sigstore-conformance/.*",
        "--issuer",
        ISSUER,
        "--json",
        &corpus("a.txt"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mode"], "keyless");
    assert_eq!(v["identity"]["san"], IDENTITY);
    assert_eq!(v["identity"]["issuer"], ISSUER);
    // An unanchored pattern that only matches part of the identity must fail.
    let partial = sigverify(&[
        "verify",
        "--bundle",
        &bundle,
        "--identity-regex",
        "sigstore-conformance",
        "--issuer",
        ISSUER,
        &corpus("a.txt"),
    ]);
    assert_eq!(partial.status.code(), Some(1));
    assert!(
        text(&partial.stderr).contains("identity:"),
        "{}",
        text(&partial.stderr)
    );
}

#[test]
fn failure_names_the_step_and_exits_1() {
    let out = sigverify(&[
        "verify",
        "--bundle",
        &corpus("happy-path-v0.3/bundle.sigstore.json"),
        "--identity",
        IDENTITY,
        "--issuer",
        ISSUER,
        &corpus("happy-path-v0.3/bundle.sigstore.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("sigverify: verification failed: artifact-mismatch:"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["verify", "--bundle", "x"],
        vec!["verify", "--bundle", "x", "--identity", "a", "a.txt"],
        vec![
            "verify",
            "--bundle",
            "x",
            "--key",
            "k",
            "--identity",
            "a",
            "--issuer",
            "b",
            "a.txt",
        ],
        vec!["verify", "--nope"],
        vec![
            "verify-bundle",
            "--bundle",
            "x",
            "--certificate-identity",
            "a",
            "--certificate-oidc-issuer",
            "b",
            "a",
            "b",
        ],
    ] {
        let out = sigverify(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(sigverify(&["--help"]).status.code(), Some(0));
}

#[test]
fn conformance_protocol_digest_form() {
    let digest = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
    let out = sigverify(&[
        "verify-bundle",
        "--bundle",
        &corpus("happy-path-v0.3/bundle.sigstore.json"),
        "--certificate-identity",
        IDENTITY,
        "--certificate-oidc-issuer",
        ISSUER,
        digest,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let missing = sigverify(&[
        "verify-bundle",
        "--bundle",
        &corpus("nope.json"),
        "--certificate-identity",
        IDENTITY,
        "--certificate-oidc-issuer",
        ISSUER,
        digest,
    ]);
    assert_eq!(missing.status.code(), Some(1));
}
