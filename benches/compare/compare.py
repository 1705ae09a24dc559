#!/usr/bin/env python3
"""Compare sigverify with the other Sigstore verifiers on the same bundles.

Installs each peer from its registry into a scratch folder (nothing is
installed system-wide; in the repository only build outputs change: target/,
bindings/node/sigverify.node), runs every peer
offline on the happy-path conformance bundles with the same trusted root, checks
that each accepts them, and prints one table: warm microseconds per verify
(median and min), cold process milliseconds, peak RSS, and ratios to sigverify.

Peers (each behind a tiny harness in benches/compare/peers/<peer>/, same
protocol: `harness (warm N | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER`):
  sigverify      this repository (harness depends on ../../sigverify by path;
                 cold = the real `sigverify verify` command)
  sigstore-rust  the `sigstore-verify` crate from crates.io
  python         sigstore-python (`sigstore` on PyPI), in a venv
  node           @sigstore/verify from npm
  go             sigstore-go through the Go module proxy (only when `go` exists)
  sigverify-python  this repository's Python binding: the wheel in target/wheels
                 (built by `make python-wheel` when missing or older than the
                 sources) installed into a venv in the scratch folder
  sigverify-node this repository's Node binding: bindings/node (sigverify.node
                 built by `npm run build` / `make node-build` when missing or
                 stale) copied into the scratch folder's node_modules

With a binding peer the script also prints a "bindings" summary: per-call
overhead over the Rust harness (binding warm / sigverify warm - 1, from medians
and from minimums), the cold ratio of the ecosystem's verifier to the binding
(sigstore-python / sigverify-python, @sigstore/verify / sigverify-node), and
the runtimes' own start (`python -c pass`, `node -e 0`), interleaved with the
cold runs.

Usage: python3 benches/compare/compare.py [--scratch DIR] [--iters N] [--rounds N]
           [--cold-runs N] [--peers a,b,...] [--no-install] [--callgrind]
           [--keep-env] [--json FILE]
Needs: cargo, python3 (venv, pip), node + npm, optionally go, /usr/bin/time,
optionally valgrind (--callgrind: instruction counts per verify for the
compiled peers, a noise-free measure on a shared machine).
"""

import argparse
import functools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PEERS_SRC = Path(__file__).resolve().parent / "peers"
VECTORS = REPO / "test-vectors"
IDENTITY = (
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
    ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
)
ISSUER = "https://token.actions.githubusercontent.com"
# The root compiled into sigverify, and whether its cold runs use it (--embedded-root).
EMBEDDED_PRODUCTION = REPO / "sigverify" / "trust" / "production_trusted_root.json"
EMBEDDED_ROOT = False
CASES = [
    ("v0.1", "happy-path-v0.1"),
    ("v0.2", "happy-path-v0.2"),
    ("v0.3", "happy-path-v0.3"),
    ("dsse-v0.3", "happy-path-intoto-in-dsse-v3"),
    ("rekor2", "rekor2-happy-path"),
    ("rekor2-dsse", "rekor2-dsse-happy-path"),
]
ALL_PEERS = ["sigverify", "sigstore-rust", "python", "node", "go", "sigverify-python", "sigverify-node"]
# Interpreted peers whose calls cost milliseconds: a third of the warm calls and
# a fifth of the cold runs, for about the same wall time.
SLOW_PEERS = ("python", "node")
# Binding peer -> the same ecosystem's Sigstore verifier, for the cold ratio.
BINDINGS = {"sigverify-python": "python", "sigverify-node": "node"}
SIGSTORE_RUST_VERSION = "0.15.1"
# Newest first; the first whose go directive the local toolchain satisfies is used.
SIGSTORE_GO_VERSIONS = ["v1.4.0", "v1.3.0", "v1.2.2"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, cwd=None, env=None, check=True, capture=True):
    r = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )
    if check and r.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n{(r.stderr or '')[-3000:]}"
        )
    return r


def newest_mtime(*paths):
    """The newest modification time of the files under `paths` (0 if none)."""
    newest = 0.0
    for p in paths:
        p = Path(p)
        files = [p] if p.is_file() else (f for f in p.rglob("*") if f.is_file()) if p.is_dir() else []
        for f in files:
            newest = max(newest, f.stat().st_mtime)
    return newest


def source_state():
    """The commit, "+dirty" if the core or binding sources differ from it (builds use the working tree)."""
    head = run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, check=False).stdout.strip() or "?"
    dirty = run(["git", "status", "--porcelain", "--", "sigverify/src", "sigverify/Cargo.toml", "Cargo.lock",
                 "bindings/python/src", "bindings/python/python", "bindings/node/src", "bindings/node/index.js"],
                cwd=REPO, check=False).stdout.strip()
    return head + ("+dirty" if dirty else "")


def mark_built(peer):
    """Record in the peer's scratch folder which tree its build came from."""
    peer.dir.mkdir(parents=True, exist_ok=True)
    (peer.dir / "built-from").write_text(source_state() + " " + time.strftime("%Y-%m-%dT%H:%M:%S%z") + "\n")


def built_note(peer):
    f = peer.dir / "built-from"
    return f" (built from {f.read_text().split()[0]})" if f.exists() else ""


# What the core's build depends on, for the bindings' staleness checks.
CORE_SOURCES = [REPO / "sigverify" / "src", REPO / "sigverify" / "Cargo.toml", REPO / "Cargo.lock"]


def case_files(dirname):
    d = VECTORS / "conformance" / dirname
    root = d / "trusted_root.json"
    if not root.exists():
        root = VECTORS / "trust" / "production_trusted_root.json"
    return [str(root), str(d / "bundle.sigstore.json"), str(VECTORS / "conformance" / "a.txt"), IDENTITY, ISSUER]


# ---------------------------------------------------------------- installation


class Peer:
    """A peer: how to install it, its warm harness and its cold command."""

    def __init__(self, name, scratch):
        self.name = name
        self.dir = scratch / name
        self.version = "?"
        self.error = None  # why it cannot run here, if it cannot

    def harness(self):
        raise NotImplementedError

    def cold_cmd(self, files):
        return self.harness() + ["cold"] + files

    def probe(self):
        """With --no-install: check the scratch folder has the peer, and its version."""


class SigverifyPeer(Peer):
    def install(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(PEERS_SRC / "sigverify" / "main.rs", self.dir / "main.rs")
        toml = (PEERS_SRC / "sigverify" / "Cargo.toml").read_text().replace("@REPO@", str(REPO))
        (self.dir / "Cargo.toml").write_text(toml)
        # The repository's lock file, so the harness builds the versions the repo tests.
        shutil.copy(REPO / "Cargo.lock", self.dir / "Cargo.lock")
        # The repository's target folder: the dependencies are built there already.
        env = dict(os.environ, CARGO_TARGET_DIR=str(REPO / "target"))
        log("  cargo build --release (harness)")
        run(["cargo", "build", "--release", "--quiet"], cwd=self.dir, env=env)
        # The CLI as `make build` ships it (statically linked on Linux/glibc).
        log("  make build (the release CLI)")
        run(["make", "--quiet", "build"], cwd=REPO)
        mark_built(self)
        self.probe()

    def probe(self):
        cli = run([str(release_cli()), "--version"], check=False).stdout.strip().split()
        self.version = "workspace" + (f" {cli[-1]}" if cli else "") + built_note(self)

    def harness(self):
        return [str(REPO / "target/release/harness")]

    def cold_cmd(self, files):
        root, bundle, artifact, identity, issuer = files
        # --embedded-root: the issue's cold case, `sigverify verify` on its built-in
        # production root, for the cases whose root file is that same root.
        use_file = not (EMBEDDED_ROOT and Path(root).read_bytes() == EMBEDDED_PRODUCTION.read_bytes())
        return [str(release_cli()), "verify", *(["--trusted-root", root] if use_file else []),
                "--bundle", bundle, "--identity", identity, "--issuer", issuer, artifact]


@functools.cache
def release_cli():
    """Where `make build` puts the CLI: target/<host triple>/release."""
    host = next(l.split()[1] for l in run(["rustc", "-vV"]).stdout.splitlines() if l.startswith("host:"))
    return Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target") / host / "release" / "sigverify"


class SigstoreRustPeer(Peer):
    def install(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(PEERS_SRC / "sigstore-rust" / "main.rs", self.dir / "main.rs")
        shutil.copy(PEERS_SRC / "sigstore-rust" / "Cargo.toml", self.dir / "Cargo.toml")
        log(f"  cargo build --release (sigstore-verify {SIGSTORE_RUST_VERSION}; first build takes minutes)")
        run(["cargo", "build", "--release", "--quiet"], cwd=self.dir)
        self.version = SIGSTORE_RUST_VERSION

    def harness(self):
        return [str(self.dir / "target/release/harness")]

    def probe(self):
        self.version = SIGSTORE_RUST_VERSION


class PythonPeer(Peer):
    def install(self):
        venv = self.dir / "venv"
        if not (venv / "bin" / "python").exists():
            run([sys.executable, "-m", "venv", str(venv)])
        log("  pip install sigstore")
        run([str(venv / "bin/pip"), "install", "--quiet", "--upgrade", "sigstore"])
        shutil.copy(PEERS_SRC / "python" / "harness.py", self.dir / "harness.py")
        self.probe()

    def probe(self):
        self.version = run(
            [str(self.dir / "venv/bin/python"), "-c", "import importlib.metadata as m; print(m.version('sigstore'))"]
        ).stdout.strip()

    def harness(self):
        return [str(self.dir / "venv/bin/python"), str(self.dir / "harness.py")]


class NodePeer(Peer):
    def install(self):
        if not shutil.which("npm"):
            raise RuntimeError("npm is not installed")
        self.dir.mkdir(parents=True, exist_ok=True)
        if not (self.dir / "package.json").exists():
            run(["npm", "init", "-y"], cwd=self.dir)
        log("  npm install @sigstore/verify")
        run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent",
             "@sigstore/verify", "@sigstore/bundle", "@sigstore/protobuf-specs"],
            cwd=self.dir,
        )
        shutil.copy(PEERS_SRC / "node" / "harness.js", self.dir / "harness.js")
        self.probe()

    def probe(self):
        pkg = json.loads((self.dir / "node_modules/@sigstore/verify/package.json").read_text())
        self.version = pkg["version"]

    def harness(self):
        return ["node", str(self.dir / "harness.js")]


class GoPeer(Peer):
    def install(self):
        if not shutil.which("go"):
            raise RuntimeError("go is not installed")
        self.dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(PEERS_SRC / "go" / "main.go", self.dir / "main.go")
        if not (self.dir / "go.mod").exists():
            run(["go", "mod", "init", "peer-sigstore-go"], cwd=self.dir)
        # Never download a newer toolchain: use the newest release this `go` can build.
        env = dict(os.environ, GOTOOLCHAIN="local")
        errors = []
        for v in SIGSTORE_GO_VERSIONS:
            r = run(["go", "get", f"github.com/sigstore/sigstore-go@{v}"], cwd=self.dir, env=env, check=False)
            if r.returncode == 0:
                self.version = v
                break
            errors.append(f"{v}: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
        else:
            raise RuntimeError("no sigstore-go release builds with this go: " + "; ".join(errors))
        log(f"  go build (sigstore-go {self.version})")
        run(["go", "mod", "tidy"], cwd=self.dir, env=env)
        run(["go", "build", "-o", "harness", "."], cwd=self.dir, env=env)

    def probe(self):
        mod = self.dir / "go.mod"
        m = re.search(r"github.com/sigstore/sigstore-go (v\S+)", mod.read_text()) if mod.exists() else None
        self.version = m.group(1) if m else "?"

    def harness(self):
        return [str(self.dir / "harness")]


class SigverifyPythonPeer(Peer):
    """The Python binding as a user installs it: the abi3 wheel in a venv."""

    WHEELS = REPO / "target" / "wheels"
    SOURCES = CORE_SOURCES + [REPO / "bindings/python/src", REPO / "bindings/python/python",
                              REPO / "bindings/python/Cargo.toml", REPO / "bindings/python/pyproject.toml"]

    def wheel(self):
        wheels = sorted(self.WHEELS.glob("sigverify-*.whl"), key=lambda w: w.stat().st_mtime)
        return wheels[-1] if wheels else None

    def install(self):
        w = self.wheel()
        if w is None or w.stat().st_mtime < newest_mtime(*self.SOURCES):
            log("  make python-wheel (wheel missing or older than the sources)")
            run(["make", "python-wheel"], cwd=REPO)
            w = self.wheel()
            if w is None:
                raise RuntimeError("make python-wheel made no wheel in target/wheels")
        venv = self.dir / "venv"
        if not (venv / "bin" / "python").exists():
            # The same interpreter as the sigstore-python peer's venv.
            run([sys.executable, "-m", "venv", str(venv)])
        log(f"  pip install {w.name}")
        run([str(venv / "bin/pip"), "install", "--quiet", "--disable-pip-version-check",
             "--force-reinstall", "--no-deps", str(w)])
        shutil.copy(PEERS_SRC / "sigverify-python" / "harness.py", self.dir / "harness.py")
        mark_built(self)
        self.probe()

    def probe(self):
        py = self.dir / "venv/bin/python"
        if not (py.exists() and (self.dir / "harness.py").exists()):
            raise RuntimeError(f"not installed in {self.dir}; run once without --no-install")
        self.version = ("wheel " + run([str(py), "-c", "import sigverify; print(sigverify.__version__)"]).stdout.strip()
                        + built_note(self))

    def python(self):
        return str(self.dir / "venv/bin/python")

    def harness(self):
        return [self.python(), str(self.dir / "harness.py")]


class SigverifyNodePeer(Peer):
    """The Node binding as a user loads it: index.js + sigverify.node in node_modules."""

    PKG = REPO / "bindings" / "node"
    SOURCES = CORE_SOURCES + [PKG / "src", PKG / "Cargo.toml", PKG / "build.rs"]
    # The package's published files (package.json "files") and its manifest.
    FILES = ["package.json", "index.js", "index.mjs", "index.d.ts", "index.d.mts", "sigverify.node"]

    def install(self):
        if not shutil.which("node"):
            raise RuntimeError("node is not installed")
        addon = self.PKG / "sigverify.node"
        if not addon.exists() or addon.stat().st_mtime < newest_mtime(*self.SOURCES):
            if (self.PKG / "node_modules/.bin/napi").exists():
                log("  npm run build in bindings/node (addon missing or older than the sources)")
                run(["npm", "run", "build", "--silent"], cwd=self.PKG)
            else:
                log("  make node-build (addon missing or older than the sources)")
                run(["make", "node-build"], cwd=REPO)
        # A copy, so a rebuild in bindings/node during the run cannot change what is measured.
        pkg = self.dir / "node_modules" / "sigverify"
        if pkg.exists():
            shutil.rmtree(pkg)
        pkg.mkdir(parents=True)
        for f in self.FILES:
            if (self.PKG / f).exists():
                shutil.copy2(self.PKG / f, pkg / f)
        shutil.copy(PEERS_SRC / "sigverify-node" / "harness.js", self.dir / "harness.js")
        mark_built(self)
        self.probe()

    def probe(self):
        pkg = self.dir / "node_modules" / "sigverify"
        if not ((pkg / "sigverify.node").exists() and (self.dir / "harness.js").exists()):
            raise RuntimeError(f"not installed in {self.dir}; run once without --no-install")
        self.version = "addon " + json.loads((pkg / "package.json").read_text())["version"] + built_note(self)

    def harness(self):
        return ["node", str(self.dir / "harness.js")]


PEER_CLASSES = {
    "sigverify": SigverifyPeer,
    "sigstore-rust": SigstoreRustPeer,
    "python": PythonPeer,
    "node": NodePeer,
    "go": GoPeer,
    "sigverify-python": SigverifyPythonPeer,
    "sigverify-node": SigverifyNodePeer,
}


# ---------------------------------------------------------------- measurement

# The environment of the measured processes (not of the installs). By default
# without NODE_EXTRA_CA_CERTS: when set (some sandboxes and corporate setups point it
# at the system CA bundle) every node process parses that bundle at start, about
# 0.1 s here, which neither verifier uses offline; --keep-env keeps it.
MEASURE_ENV = None
DROPPED_ENV = ["NODE_EXTRA_CA_CERTS"]


def warm(peer, files, iters):
    """Per-call microseconds of `iters` warm calls, or the rejection message."""
    r = run(peer.harness() + ["warm", str(iters)] + files, env=MEASURE_ENV, check=False)
    if r.returncode != 0:
        msg = (r.stderr or "").strip().splitlines()
        return None, (msg[-1] if msg else f"exit {r.returncode}")[:200]
    return json.loads(r.stdout.strip().splitlines()[-1])["times_us"], None


def cold_once(peer, files):
    """Wall milliseconds of one fresh process, or the rejection message."""
    cmd = peer.cold_cmd(files)
    s = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       env=MEASURE_ENV)
    ms = (time.perf_counter() - s) * 1e3
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1][:200]
    return ms, None


def peak_rss(peer, files, runs=3):
    """Median peak RSS (MB) of a few fresh processes, from /usr/bin/time."""
    if not Path("/usr/bin/time").exists():
        return None
    rss = []
    for _ in range(runs):
        t = subprocess.run(["/usr/bin/time", "-f", "%M"] + peer.cold_cmd(files),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=MEASURE_ENV)
        rss.append(int(t.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(rss)


def instructions(peer, files):
    """Instructions per warm verify under callgrind: (Ir(1 + k calls) - Ir(1 call)) / k,
    k = 10, or 40 under Node, whose garbage collector runs in bursts."""
    node = peer.harness()[0] == "node"
    k = 40 if node else 10

    def ir(n):
        # --smc-check: Node's JIT rewrites code valgrind has already translated.
        smc = ["--smc-check=all"] if node else []
        r = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + smc
                + peer.harness() + ["warm", str(n)] + files, env=MEASURE_ENV, check=False)
        m = re.search(r"Collected : (\d+)", r.stderr or "")
        return int(m.group(1)) if m else None
    a, b = ir(1), ir(1 + k)
    return (b - a) / k if a and b else None


def floor_once(cmd):
    """Wall milliseconds of a runtime's empty start (`python -c pass`, `node -e 0`)."""
    s = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=MEASURE_ENV)
    return (time.perf_counter() - s) * 1e3


def fmt(x, digits=0):
    return "—" if x is None else f"{x:,.{digits}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scratch", default=os.environ.get("SIGVERIFY_COMPARE_DIR", "/tmp/sigverify-compare"))
    ap.add_argument("--iters", type=int, default=300, help="warm calls per case and peer (default 300)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved warm rounds (default 3)")
    ap.add_argument("--cold-runs", type=int, default=30, help="fresh processes per case and peer (default 30)")
    ap.add_argument("--peers", default=",".join(ALL_PEERS))
    ap.add_argument("--no-install", action="store_true", help="reuse what the scratch folder has")
    ap.add_argument("--callgrind", action="store_true",
                    help="also count instructions per warm verify for sigverify, sigstore-rust "
                         "and the bindings (valgrind; noise-free, about a minute per case and peer)")
    ap.add_argument("--keep-env", action="store_true",
                    help="measure with the environment as is (default: without " + ", ".join(DROPPED_ENV) + ")")
    ap.add_argument("--json", help="also write the raw results to this file")
    ap.add_argument("--embedded-root", action="store_true",
                    help="sigverify's cold runs use its embedded production root where the case's root is it")
    args = ap.parse_args()
    global MEASURE_ENV, EMBEDDED_ROOT
    EMBEDDED_ROOT = args.embedded_root
    dropped = [] if args.keep_env else [k for k in DROPPED_ENV if k in os.environ]
    MEASURE_ENV = {k: v for k, v in os.environ.items() if k not in dropped}

    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    names = [p for p in args.peers.split(",") if p]
    if "sigverify" not in names:
        names.insert(0, "sigverify")
    peers = []
    for n in names:
        p = PEER_CLASSES[n](n, scratch)
        log(f"{'checking' if args.no_install else 'installing'} {n} in {p.dir}")
        try:
            if not args.no_install:
                p.install()
            else:
                p.probe()
        except Exception as e:  # reported in the table, the run goes on
            p.error = str(e).strip().splitlines()[-1][:300] if str(e).strip() else repr(e)
            log(f"  cannot use {n}: {p.error}")
        peers.append(p)

    # The runtimes' own start, timed between the cold runs when a binding is measured.
    floors = {}
    for p in peers:
        if p.name == "sigverify-python" and not p.error:
            floors["python -c pass"] = [p.python(), "-c", "pass"]
        if p.name == "sigverify-node" and not p.error:
            floors["node -e 0"] = ["node", "-e", "0"]
    floor_ms = {k: [] for k in floors}

    load_start = os.getloadavg()
    results = {}
    for case, dirname in CASES:
        files = case_files(dirname)
        log(f"case {case}")
        per = {p.name: {"times": [], "reject": p.error} for p in peers}
        # Interleave rounds so a burst of load on the shared machine hits every peer.
        for _ in range(args.rounds):
            for p in peers:
                if per[p.name]["reject"]:
                    continue
                n = max(1, args.iters // args.rounds)
                if p.name in SLOW_PEERS:
                    n = max(1, n // 3)  # ms-scale peers: fewer calls, same wall time
                t, why = warm(p, files, n)
                if why:
                    per[p.name]["reject"] = why
                else:
                    per[p.name]["times"] += t
        # Cold runs interleaved too; the slow interpreters get fewer.
        for i in range(args.cold_runs):
            for p in peers:
                r = per[p.name]
                if r["reject"] or (p.name in SLOW_PEERS and i >= max(3, args.cold_runs // 5)):
                    continue
                ms, why = cold_once(p, files)
                if why:
                    r["reject"] = "cold: " + why
                else:
                    r.setdefault("cold", []).append(ms)
            for k, cmd in floors.items():
                floor_ms[k].append(floor_once(cmd))
        for p in peers:
            r = per[p.name]
            if r["reject"]:
                continue
            r["rss"] = peak_rss(p, files)
            if args.callgrind and shutil.which("valgrind") and p.name in ("sigverify", "sigstore-rust", *BINDINGS):
                r["ir"] = instructions(p, files)
        results[case] = per

    # ---- the table
    lines = []
    host = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()} driver"
    lines.append(f"Peers: " + ", ".join(f"{p.name} {p.version}" for p in peers if not p.error))
    if any(p.name in ("sigverify", *BINDINGS) for p in peers):
        lines.append(f"Repository at the end of the run: {source_state()} (the builds: \"built from\" above)")
    if dropped:
        lines.append("Measured without " + ", ".join(dropped) + " in the environment (--keep-env keeps it).")
    lines.append("Load average (1, 5, 15 min) at the start: " + ", ".join(f"{x:.2f}" for x in load_start)
                 + "; at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    lines.append(f"Machine: {host}; warm = one verifier, parse bundle JSON + verify per call; "
                 f"cold = fresh process, same trusted root file, one bundle"
                 + (" (sigverify: its embedded root where the case's root is the production root)."
                    if EMBEDDED_ROOT else "."))
    lines.append("")
    hdr = ["case", "verifier", "warm median µs", "warm min µs", "× sigverify (median)",
           "cold min ms", "cold median ms", "× sigverify (cold min)", "peak RSS MB"]
    if args.callgrind:
        hdr.insert(5, "instructions/verify (× sigverify)")
    lines.append("| " + " | ".join(hdr) + " |")
    lines.append("|" + "---|" * len(hdr))
    for case, per in results.items():
        base = per["sigverify"]
        bmed = statistics.median(base["times"]) if base.get("times") else None
        bcold = min(base["cold"]) if base.get("cold") else None
        for p in peers:
            r = per[p.name]
            if r["reject"]:
                row = [case, p.name, f"does not run or rejects: {r['reject']}"] + [""] * (len(hdr) - 3)
            else:
                med, mn = statistics.median(r["times"]), min(r["times"])
                cmin, cmed = min(r["cold"]), statistics.median(r["cold"])
                row = [case, p.name, fmt(med), fmt(mn),
                       fmt(med / bmed, 2) if bmed else "—",
                       fmt(cmin, 2), fmt(cmed, 2),
                       fmt(cmin / bcold, 2) if bcold else "—", fmt(r["rss"], 1)]
                if args.callgrind:
                    ir, bir = r.get("ir"), base.get("ir")
                    row.insert(5, "—" if not ir else f"{ir / 1e6:.2f} M" + (f" ({ir / bir:.2f}×)" if bir else ""))
            lines.append("| " + " | ".join(row) + " |")
    lines += bindings_summary(peers, results, floor_ms, args.callgrind)
    table = "\n".join(lines)
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"peers": {p.name: {"version": p.version, "error": p.error} for p in peers},
             "results": results, "floors_ms": floor_ms}, indent=1))


def bindings_summary(peers, results, floor_ms, callgrind):
    """Per case and binding: per-call overhead over the Rust harness and the cold ratio to the peer."""
    names = {p.name for p in peers}
    bindings = [b for b in BINDINGS if b in names]
    if not bindings:
        return []

    def ratio(a, b, minus_one=False, digits=2):
        if not a or not b:
            return "—"
        x = a / b - (1 if minus_one else 0)
        return f"{x * 100:+.1f}%" if minus_one else f"{x:.{digits}f}"

    hdr = ["case", "binding", "per-call overhead (medians)", "per-call overhead (mins)"]
    if callgrind:
        hdr.append("overhead (instructions)")
    hdr += ["cold min / median ms", "peer", "peer cold min / median ms",
            "peer ÷ binding (cold min)", "peer ÷ binding (cold median)"]
    out = ["", "Bindings: per-call overhead = binding warm / Rust sigverify warm − 1; "
               "cold ratio = the ecosystem's verifier cold / the binding cold.", "",
           "| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
    for case, per in results.items():
        base = per["sigverify"]
        for b in bindings:
            r, peer = per[b], BINDINGS[b]
            if r["reject"]:
                out.append("| " + " | ".join([case, b, f"does not run or rejects: {r['reject']}"]
                                             + [""] * (len(hdr) - 3)) + " |")
                continue
            bt = base.get("times") or []
            row = [case, b,
                   ratio(statistics.median(r["times"]), bt and statistics.median(bt), True),
                   ratio(min(r["times"]), bt and min(bt), True)]
            if callgrind:
                row.append(ratio(r.get("ir"), base.get("ir"), True))
            pr = per.get(peer, {})
            pc = pr.get("cold") if pr and not pr.get("reject") else None
            row += [f"{min(r['cold']):.1f} / {statistics.median(r['cold']):.1f}", peer,
                    f"{min(pc):.1f} / {statistics.median(pc):.1f}" if pc else
                    ("not measured" if not pr else f"rejects: {pr.get('reject')}"),
                    ratio(pc and min(pc), min(r["cold"]), digits=1),
                    ratio(pc and statistics.median(pc), statistics.median(r["cold"]), digits=1)]
            out.append("| " + " | ".join(row) + " |")
    if any(floor_ms.values()):
        out.append("")
        out.append("Runtime start alone (interleaved with the cold runs): " + "; ".join(
            f"`{k}` {min(v):.1f} ms min / {statistics.median(v):.1f} ms median ({len(v)} runs)"
            for k, v in floor_ms.items() if v) + ".")
    return out


if __name__ == "__main__":
    main()
