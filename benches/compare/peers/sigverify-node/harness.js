// Peer harness: sigverify's Node binding (napi-rs addon, public API of index.js).
// Usage: node harness.js (warm ITERS | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER
// warm: one Verifier, ITERS x verifier.verify(bundle bytes, { artifact: bytes },
//       policy) and reading result.identity.san and .issuer; prints JSON
//       timings. The same work per call as the Rust `sigverify` harness's
//       verify_json: the bundle JSON is parsed and the artifact hashed inside
//       the timed call; the verifier and the policy object are built once,
//       outside it. Reading the signer is what a real caller (a package
//       manager) does with the result, so a binding that computes result
//       fields on access pays for them inside the timed call too.
// cold: require, verifier from the root file, one verification; exit 0 on success.
// `require('sigverify')` resolves to the copy of bindings/node (index.js,
// sigverify.node) that compare.py puts in this folder's node_modules.
'use strict';
const fs = require('fs');
const { TrustedRoot, Verifier } = require('sigverify');

const argv = process.argv.slice(2);
const mode = argv.shift();
const iters = mode === 'warm' ? Number(argv.shift()) : 0;
const [root, bundlePath, artifactPath, identity, issuer] = argv;
const verifier = new Verifier(TrustedRoot.fromJSON(fs.readFileSync(root)));
const bundleJson = fs.readFileSync(bundlePath);
const artifact = { artifact: fs.readFileSync(artifactPath) };
const policy = { identity, issuer };

function once() {
  const result = verifier.verify(bundleJson, artifact, policy);
  // What a package manager reads: the signer's SAN and OIDC issuer.
  if (result.identity.san !== identity || result.identity.issuer !== issuer) {
    throw new Error(`unexpected signer ${result.identity.san} / ${result.identity.issuer}`);
  }
  return result;
}

try {
  once();
} catch (e) {
  process.stderr.write(`REJECTED: ${e}\n`);
  process.exit(1);
}
if (mode === 'warm') {
  const times = [];
  for (let i = 0; i < iters; i++) {
    const s = process.hrtime.bigint();
    once();
    times.push(Number(process.hrtime.bigint() - s) / 1e3);
  }
  console.log(JSON.stringify({ times_us: times }));
}
