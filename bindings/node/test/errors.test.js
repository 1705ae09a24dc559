'use strict';
// Every error step of the core surfaces as a SigverifyError with its code.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { TrustedRoot, Verifier, SigverifyError, ErrorCodes } = require('sigverify');
const { loadCase } = require('./helpers.js');

/** Run a conformance case, optionally with changed inputs; returns the thrown error. */
function failure(name, change = (c) => c) {
  const c = change(loadCase(name));
  const verifier = new Verifier(c.root);
  try {
    verifier.verify(c.bundle, { artifact: c.artifact }, c.policy);
  } catch (e) {
    return e;
  }
  assert.fail(`${name} verified`);
}

const withBundle = (edit) => (c) => {
  const b = JSON.parse(c.bundle);
  edit(b);
  return { ...c, bundle: b };
};

// step -> how to provoke it. Every step of the core must be listed (checked below).
const PROVOKE = {
  parse: () => failure('bundle-malformed-json_fail'),
  'unsupported-version': () => failure('bundle-unknown-version_fail'),
  'trusted-root': () => {
    try {
      loadCase('trust-root-tlog-missing-validity-start_fail');
    } catch (e) {
      return e;
    }
    assert.fail('root accepted');
  },
  'tlog-body-mismatch': () => failure('wrong-hashedrekord-entry_fail'),
  set: () => failure('set-invalid-signature_fail'),
  'inclusion-proof': () => failure('inclusion-proof-corrupted-hash_fail'),
  checkpoint: () => failure('checkpoint-bad-keyhint_fail'),
  timestamp: () => failure('rekor2-timestamp-payload-mismatch_fail'),
  'time-window': () => failure('intoto-expired-certificate_fail'),
  chain: () => failure('bundle-with-root-cert_fail'),
  sct: () => failure('invalid-ct-key_fail'),
  signature: () =>
    failure('managed-key-happy-path', (c) => ({
      ...c,
      policy: { publicKey: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey },
    })),
  'artifact-mismatch': () => failure('wrong-material_fail'),
  identity: () => failure('happy-path-v0.3', (c) => ({ ...c, policy: { ...c.policy, identity: c.policy.identity + 'x' } })),
  'policy-misuse': () => failure('managed-key-no-key_fail'),
  limit: () =>
    failure(
      'happy-path-v0.3',
      withBundle((b) => {
        const e = b.verificationMaterial.tlogEntries[0];
        b.verificationMaterial.tlogEntries = Array(33).fill(e);
      }),
    ),
  tlog: () => failure('rekor2-no-inclusion-proof_fail'),
};

test('every core error step has a provoking case here', () => {
  assert.deepEqual(Object.keys(PROVOKE).sort(), Object.keys(ErrorCodes).sort());
  assert.equal(Object.keys(ErrorCodes).length, 17);
});

for (const [step, provoke] of Object.entries(PROVOKE)) {
  test(`step ${step} -> SigverifyError code ${ErrorCodes[step]}`, () => {
    const e = provoke();
    assert.ok(e instanceof SigverifyError, `${step}: got ${e && e.stack}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'SigverifyError');
    assert.equal(e.step, step, e.message);
    assert.equal(e.code, ErrorCodes[step]);
    assert.ok(e.message.startsWith(`${step}: `), e.message);
    assert.ok(e.message.length > step.length + 10, 'the message names the failed check');
  });
}

test('codes are the stable core codes', () => {
  assert.equal(ErrorCodes.parse, 1);
  assert.equal(ErrorCodes['inclusion-proof'], 6);
  assert.equal(ErrorCodes.tlog, 17);
  assert.ok(Object.isFrozen(ErrorCodes));
});

test('values the core rejects are SigverifyError policy-misuse, not TypeError', () => {
  const c = loadCase('happy-path-v0.3');
  const v = new Verifier(c.root);
  const cases = [
    [{ digest: 'sha256:abcd' }, c.policy],
    [{ digest: 'md5:00' }, c.policy],
    [{ artifact: c.artifact }, { identityRegex: '(', issuer: c.policy.issuer }],
    [{ artifact: c.artifact }, { publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }],
  ];
  for (const [artifact, policy] of cases) {
    assert.throws(() => v.verify(c.bundle, artifact, policy), { name: 'SigverifyError', step: 'policy-misuse', code: 15 });
  }
});

test('a malformed trusted root is a SigverifyError', () => {
  assert.throws(() => TrustedRoot.fromJSON('{'), (e) => e instanceof SigverifyError && e.code >= 1);
  assert.throws(() => TrustedRoot.fromJSON({}), SigverifyError);
});

test('an identity mismatch names both identities', () => {
  const e = PROVOKE.identity();
  assert.match(e.message, /extremely-dangerous-oidc-beacon/);
});
