'use strict';
// Shared fixtures: the conformance corpus in test-vectors/ at the repo root.
const fs = require('node:fs');
const path = require('node:path');
const { TrustedRoot, Verifier } = require('sigverify');

const VECTORS = path.resolve(__dirname, '../../../test-vectors');
const CONFORMANCE = path.join(VECTORS, 'conformance');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(CONFORMANCE, 'manifest.json'), 'utf8'));
const CASES = new Map(MANIFEST.cases.map((c) => [c.name, c]));

const IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const A_TXT = fs.readFileSync(path.join(CONFORMANCE, 'a.txt'));

/** Everything needed to verify conformance case `name`, in binding terms (with a Verifier). */
function loadCase(name) {
  const c = CASES.get(name);
  if (!c) throw new Error(`no conformance case ${name}`);
  const file = (p) => fs.readFileSync(path.join(CONFORMANCE, p));
  const artifact = file(c.artifact);
  const root = c.trusted_root_is_default ? TrustedRoot.production() : TrustedRoot.fromJSON(file(c.trusted_root));
  return {
    case: c,
    bundle: file(c.bundle),
    artifact,
    digest: 'sha256:' + require('node:crypto').createHash('sha256').update(artifact).digest('hex'),
    root,
    verifier: new Verifier(root),
    policy: c.key ? { publicKey: file(c.key).toString('utf8') } : { identity: c.identity, issuer: c.issuer },
  };
}

module.exports = { VECTORS, CONFORMANCE, MANIFEST, IDENTITY, ISSUER, A_TXT, loadCase };
