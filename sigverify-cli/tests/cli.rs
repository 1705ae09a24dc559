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
        // An empty identity or issuer (an unset shell variable).
        vec![
            "verify",
            "--bundle",
            "x",
            "--identity",
            "",
            "--issuer",
            "b",
            "a.txt",
        ],
        vec![
            "verify",
            "--bundle",
            "x",
            "--identity",
            "a",
            "--issuer-regex",
            "",
            "a.txt",
        ],
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
    // On/off flags take no value (`--staging=false` once meant staging).
    for flag in ["--staging=false", "--json=no"] {
        let out = sigverify(&[
            "verify",
            flag,
            "--bundle",
            "x",
            "--identity",
            "a",
            "--issuer",
            "b",
            "a.txt",
        ]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(
            text(&out.stderr).contains("takes no value"),
            "{}",
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

/// `--extension NAME=VALUE` / `--extension-regex NAME=RE` require Fulcio claims.
#[test]
fn extension_claims() {
    let bundle = corpus("happy-path-v0.3/bundle.sigstore.json");
    let artifact = corpus("a.txt");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--bundle",
            &bundle,
            "--identity",
            IDENTITY,
            "--issuer",
            ISSUER,
        ];
        args.extend_from_slice(extra);
        args.push(&artifact);
        sigverify(&args)
    };
    let repo = "SourceRepositoryURI=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon";
    let ok = run(&[
        "--extension",
        repo,
        "--extension-regex",
        "SourceRepositoryRef=refs/heads/.*",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let fork = run(&["--extension=SourceRepositoryURI=https://github.com/evil/fork"]);
    assert_eq!(fork.status.code(), Some(1), "{}", text(&fork.stderr));
    assert!(
        text(&fork.stderr).contains("identity:"),
        "{}",
        text(&fork.stderr)
    );
    for usage in [
        &["--extension", "NoSuchClaim=x"][..],
        &["--extension", "SourceRepositoryURI"],
        &["--extension-regex", "SourceRepositoryRef=("],
    ] {
        let out = run(usage);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{usage:?}: {}",
            text(&out.stderr)
        );
    }
    // Claims belong to identity policies only.
    let key = corpus("managed-key-happy-path/key.pub");
    let out = sigverify(&[
        "verify",
        "--bundle",
        &bundle,
        "--key",
        &key,
        "--extension",
        repo,
        &artifact,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

/// `--key-valid-from` / `--key-valid-until` bound the key's trust in time: the
/// corpus bundle's verified times (2025-12-18T17:04:39Z) must lie inside.
#[test]
fn key_validity_window() {
    let bundle = corpus("managed-key-happy-path/bundle.sigstore.json");
    let key = corpus("managed-key-happy-path/key.pub");
    let artifact = corpus("a.txt");
    let run = |window: &[&str]| {
        let mut args = vec!["verify", "--bundle", &bundle, "--key", &key];
        args.extend_from_slice(window);
        args.push(&artifact);
        sigverify(&args)
    };
    for inside in [
        &["--key-valid-from", "2025-12-18T17:04:39Z"][..],
        &["--key-valid-until", "2025-12-18T17:04:39Z"],
        &[
            "--key-valid-from=2025-01-01T00:00:00Z",
            "--key-valid-until=2026-01-01T00:00:00Z",
        ],
    ] {
        let out = run(inside);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{inside:?}: {}",
            text(&out.stderr)
        );
    }
    for outside in [
        &["--key-valid-from", "2025-12-18T17:04:40Z"][..],
        &["--key-valid-until", "2025-12-18T17:04:38Z"],
    ] {
        let out = run(outside);
        assert_eq!(out.status.code(), Some(1), "{outside:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with("sigverify: verification failed: time-window: verified time")
                && err.contains("outside the managed key's validity"),
            "{err}"
        );
    }
    for misuse in [
        &["--key-valid-from", "yesterday"][..],
        &[
            "--key-valid-from",
            "2026-01-01T00:00:00Z",
            "--key-valid-until",
            "2025-01-01T00:00:00Z",
        ],
    ] {
        let out = run(misuse);
        assert_eq!(out.status.code(), Some(2), "{misuse:?}");
    }
    // A malformed time is a usage error even next to an unusable key (exit 1 alone).
    let corrupt = corpus("managed-key-wrong-key_fail/key.pub");
    let with_corrupt = |extra: &[&str]| {
        let mut args = vec!["verify", "--bundle", &bundle, "--key", &corrupt];
        args.extend_from_slice(extra);
        args.push(&artifact);
        sigverify(&args).status.code()
    };
    assert_eq!(with_corrupt(&[]), Some(1));
    assert_eq!(with_corrupt(&["--key-valid-until", "soon"]), Some(2));
    // A window belongs to a key, not to an identity policy.
    let out = sigverify(&[
        "verify",
        "--bundle",
        &corpus("happy-path-v0.3/bundle.sigstore.json"),
        "--identity",
        IDENTITY,
        "--issuer",
        ISSUER,
        "--key-valid-until",
        "2030-01-01T00:00:00Z",
        &artifact,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("follows the --key it applies to"));
}

/// `--key` repeated is a keyring: any one key may have signed.
#[test]
fn repeated_key_is_a_keyring() {
    let dir = std::env::temp_dir().join(format!("sigverify-cli-ring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stranger = dir.join("stranger.pub");
    std::fs::write(
        &stranger,
        "-----BEGIN PUBLIC KEY-----\n\
         MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEwUP+BpjJaPBhu0ccTdWz5YRpfTE6\n\
         gv9dqXzWM9gcga6h2VKEEP+QlL7HIfyRlk6qw4TSPaAwnq9s9Cpfpd3fbg==\n\
         -----END PUBLIC KEY-----\n",
    )
    .unwrap();
    let stranger = stranger.to_string_lossy().into_owned();
    let bundle = corpus("managed-key-happy-path/bundle.sigstore.json");
    let key = corpus("managed-key-happy-path/key.pub");
    let artifact = corpus("a.txt");
    let run = |keys: &[&str]| {
        let mut args = vec!["verify", "--bundle", &bundle];
        for k in keys {
            args.extend(["--key", k]);
        }
        args.push(&artifact);
        sigverify(&args)
    };
    for ring in [[&stranger, &key], [&key, &stranger]] {
        let out = run(&[ring[0], ring[1]]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    // Windows belong to the --key before them: a rotation. The bundle's key was
    // used at 2025-12-18T17:04:39Z.
    let windowed = |args: &[&str]| {
        let mut all = vec!["verify", "--bundle", &bundle];
        all.extend_from_slice(args);
        all.push(&artifact);
        sigverify(&all)
    };
    let (before, after) = ("2025-12-18T17:04:38Z", "2025-12-18T17:04:39Z");
    for (args, code) in [
        // the bundle's key retired before the signing: refused
        (
            vec![
                "--key",
                &key,
                "--key-valid-until",
                before,
                "--key",
                &stranger,
            ],
            1,
        ),
        // retired just at the signing (inclusive), the stranger windowed alone
        (
            vec![
                "--key",
                &key,
                "--key-valid-until",
                after,
                "--key",
                &stranger,
            ],
            0,
        ),
        (
            vec![
                "--key",
                &stranger,
                "--key-valid-until",
                before,
                "--key",
                &key,
            ],
            0,
        ),
        // the bundle's key trusted from after the signing: refused
        (
            vec![
                "--key",
                &stranger,
                "--key",
                &key,
                "--key-valid-from",
                "2026-01-01T00:00:00Z",
            ],
            1,
        ),
        // a window before any --key, or twice for one key: usage errors
        (vec!["--key-valid-until", after, "--key", &key], 2),
        (
            vec![
                "--key",
                &key,
                "--key-valid-until",
                after,
                "--key-valid-until",
                after,
            ],
            2,
        ),
    ] {
        let out = windowed(&args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            text(&out.stderr)
        );
        if code == 1 {
            assert!(
                text(&out.stderr).contains("time-window"),
                "{}",
                text(&out.stderr)
            );
        }
    }
    let out = run(&[&stranger, &stranger]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("sigverify: verification failed: signature:")
            && err.contains("names none of the keys"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh folder holding `manifest.txt` with `lines`: (folder, manifest path).
fn manifest_file(name: &str, lines: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("sigverify-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = dir.join("manifest.txt");
    std::fs::write(&manifest, lines).unwrap();
    let manifest = manifest.to_string_lossy().into_owned();
    (dir, manifest)
}

/// `verify-many` of `manifest` under the conformance identity, plus `extra`.
fn verify_many(manifest: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "verify-many",
        "--manifest",
        manifest,
        "--identity",
        IDENTITY,
        "--issuer",
        ISSUER,
    ];
    args.extend_from_slice(extra);
    sigverify(&args)
}

/// `verify-many`: one verdict line per manifest item in order, exit 1 when any
/// failed, and the same identity policy (claims included) for every item.
#[test]
fn verify_many_reports_each_item() {
    let good = corpus("happy-path-v0.3/bundle.sigstore.json");
    let bad = corpus("checkpoint-wrong-roothash_fail/bundle.sigstore.json");
    let artifact = corpus("a.txt");
    let (dir, manifest) = manifest_file(
        "many",
        &format!("# two items\n{good}\t{artifact}\n\n{bad}\t{artifact}\n"),
    );
    let run = |extra: &[&str]| verify_many(&manifest, &[&["--threads", "2"], extra].concat());
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0], format!("OK {good}"));
    assert!(lines[1].starts_with(&format!("FAIL {bad}: ")), "{stdout}");
    assert!(
        text(&out.stderr).contains("1 verified, 1 failed"),
        "{}",
        text(&out.stderr)
    );
    // A claim the good bundle's certificate does not carry fails it too.
    let out = run(&[
        "--extension",
        "SourceRepositoryURI=https://github.com/evil/fork",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let first: serde_json::Value =
        serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["ok"], false, "{first}");
    assert!(
        first["error"].as_str().unwrap().starts_with("identity: "),
        "{first}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A relative `sha256:<hex>` in a manifest names a file when one of that name
/// is in the manifest's folder, where relative paths are read from, whatever
/// the working directory; only a name that names nothing there is a digest. A
/// manifest that lists nothing verifies nothing, which is not a pass.
#[test]
fn verify_many_digest_names_and_empty_manifests() {
    const DIGEST: &str = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
    let good = corpus("happy-path-v0.3/bundle.sigstore.json");
    let (dir, manifest) = manifest_file("digest-names", &format!("{good}\t{DIGEST}\n"));
    let run = || verify_many(&manifest, &[]);
    let out = run();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A dangling link of that name is a file that cannot be read, not a digest.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join(DIGEST)).unwrap();
        let out = run();
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with(&format!("FAIL {good}: ")),
            "{}",
            text(&out.stdout)
        );
        std::fs::remove_file(dir.join(DIGEST)).unwrap();
    }
    // The tests run in the crate's folder, not the manifest's.
    std::fs::write(dir.join(DIGEST), b"not the signed artifact\n").unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with(&format!("FAIL {good}: ")),
        "{}",
        text(&out.stdout)
    );
    for empty in ["", "# nothing here\n\n"] {
        std::fs::write(&manifest, empty).unwrap();
        let out = run();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("lists no bundles"),
            "{}",
            text(&out.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A manifest longer than one round of `verify-many` (1024 items): every item
/// still gets its line, in manifest order, and the counts cover all rounds.
#[test]
fn verify_many_over_several_rounds() {
    let good = corpus("happy-path-v0.3/bundle.sigstore.json");
    let malformed = corpus("bundle-malformed-json_fail/bundle.sigstore.json");
    let artifact = corpus("a.txt");
    let mut lines_in = format!("{malformed}\t{artifact}\n").repeat(1100);
    lines_in.push_str(&format!("{good}\t{artifact}\n"));
    let (dir, manifest) = manifest_file("rounds", &lines_in);
    let out = verify_many(&manifest, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1101);
    assert!(
        lines[..1100].iter().all(|l| l.starts_with("FAIL ")),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1100], format!("OK {good}"));
    assert!(
        text(&out.stderr).contains("1 verified, 1100 failed"),
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
