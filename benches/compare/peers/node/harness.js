// Peer harness: sigstore-js (@sigstore/verify).
// Usage: node harness.js (warm ITERS | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER
// warm: one Verifier, ITERS x (parse bundle JSON + verify); prints JSON timings.
// cold: one verification, as a CLI would do it; exit 0 on success.
'use strict';
const fs = require('fs');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const argv = process.argv.slice(2);
const mode = argv.shift();
const iters = mode === 'warm' ? Number(argv.shift()) : 0;
const [root, bundlePath, artifactPath, identity, issuer] = argv;
const trust = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(root, 'utf8'))));
const verifier = new Verifier(trust);
const bundleText = fs.readFileSync(bundlePath, 'utf8');
const artifact = fs.readFileSync(artifactPath);
const policy = { subjectAlternativeName: identity, extensions: { issuer } };
const dsse = bundleText.includes('"dsseEnvelope"');

function once() {
  const b = bundleFromJSON(JSON.parse(bundleText));
  verifier.verify(toSignedEntity(b, dsse ? undefined : artifact), policy);
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
