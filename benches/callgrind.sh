#!/usr/bin/env bash
# Instructions per warm verify, per happy-path case, under valgrind's callgrind:
# (Ir of 11 verifies - Ir of 1 verify) / 10, so process start, trusted-root parse
# and Verifier::new cancel out. Noise-free on a shared machine (DEPS.md gotcha 18),
# so fit for before/after comparisons and regression gates.
#
#   benches/callgrind.sh [HARNESS]
#
# HARNESS speaks the benches/compare protocol (`warm N ROOT BUNDLE ARTIFACT ID ISSUER`);
# default: the sigverify harness that benches/compare/compare.py builds
# (target/release/harness). Note: valgrind hides SHA-NI, so the sha2 crate falls
# back to portable code there and SHA-256 weighs several times more than natively.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
H=${1:-$here/target/release/harness}
V=$here/test-vectors
ID=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
IS=https://token.actions.githubusercontent.com
ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$H" warm "$1" "$2" \
    "$V/conformance/$3/bundle.sigstore.json" "$V/conformance/a.txt" "$ID" "$IS" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for c in happy-path-v0.1 happy-path-v0.2 happy-path-v0.3 happy-path-intoto-in-dsse-v3 rekor2-happy-path rekor2-dsse-happy-path; do
  r=$V/trust/production_trusted_root.json
  [ -f "$V/conformance/$c/trusted_root.json" ] && r=$V/conformance/$c/trusted_root.json
  a=$(ir 1 "$r" "$c"); b=$(ir 11 "$r" "$c")
  printf '%-30s %12d\n' "$c" $(( (b - a) / 10 ))
done
