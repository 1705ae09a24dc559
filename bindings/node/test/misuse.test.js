'use strict';
// API misuse throws TypeError (sync) or rejects with TypeError (async), before any verification.
const test = require('node:test');
const assert = require('node:assert/strict');
const { TrustedRoot, Verifier, SigverifyError } = require('sigverify');
const { loadCase, IDENTITY, ISSUER } = require('./helpers.js');

const c = loadCase('happy-path-v0.3');
const verifier = new Verifier(c.root);
const good = { bundle: c.bundle, artifact: { artifact: c.artifact }, policy: { identity: IDENTITY, issuer: ISSUER } };

const BAD_CALLS = {
  'bundle missing': [undefined, good.artifact, good.policy],
  'bundle a number': [42, good.artifact, good.policy],
  'bundle null': [null, good.artifact, good.policy],
  'bundle an array': [[], good.artifact, good.policy],
  'artifact missing': [good.bundle, undefined, good.policy],
  'artifact a bare Buffer': [good.bundle, c.artifact, good.policy],
  'artifact a path string': [good.bundle, { artifact: 'a.txt' }, good.policy],
  'artifact and digest both': [good.bundle, { artifact: c.artifact, digest: c.digest }, good.policy],
  'neither artifact nor digest': [good.bundle, {}, good.policy],
  'digest not a string': [good.bundle, { digest: 123 }, good.policy],
  'unknown artifact option': [good.bundle, { artifact: c.artifact, hash: 'x' }, good.policy],
  'policy missing': [good.bundle, good.artifact, undefined],
  'policy a string': [good.bundle, good.artifact, IDENTITY],
  'policy empty': [good.bundle, good.artifact, {}],
  'issuer missing': [good.bundle, good.artifact, { identity: IDENTITY }],
  'identity missing': [good.bundle, good.artifact, { issuer: ISSUER }],
  'identity and identityRegex': [good.bundle, good.artifact, { identity: IDENTITY, identityRegex: '.*', issuer: ISSUER }],
  'issuer and issuerRegex': [good.bundle, good.artifact, { identity: IDENTITY, issuer: ISSUER, issuerRegex: '.*' }],
  'identity empty': [good.bundle, good.artifact, { identity: '', issuer: ISSUER }],
  'identity a RegExp': [good.bundle, good.artifact, { identityRegex: /.*/, issuer: ISSUER }],
  'typo in option': [good.bundle, good.artifact, { identity: IDENTITY, issuer: ISSUER, identityRegexp: 'x' }],
  'publicKey with identity': [good.bundle, good.artifact, { publicKey: 'x', identity: IDENTITY, issuer: ISSUER }],
  'publicKey a number': [good.bundle, good.artifact, { publicKey: 1 }],
  'empty identity list': [good.bundle, good.artifact, []],
  'bad entry in identity list': [good.bundle, good.artifact, [{ identity: IDENTITY, issuer: ISSUER }, { identity: IDENTITY }]],
};

for (const [name, args] of Object.entries(BAD_CALLS)) {
  test(`TypeError: ${name}`, async () => {
    assert.throws(() => verifier.verify(...args), TypeError);
    await assert.rejects(verifier.verifyAsync(...args), TypeError);
  });
}

test('the good call used above verifies (so the TypeErrors are about the changed argument)', async () => {
  assert.equal(verifier.verify(good.bundle, good.artifact, good.policy).verified, true);
  assert.equal((await verifier.verifyAsync(good.bundle, good.artifact, good.policy)).verified, true);
});

test('Verifier needs a TrustedRoot', () => {
  for (const bad of [undefined, null, {}, 'production', Object.create(TrustedRoot.prototype)]) {
    assert.throws(() => new Verifier(bad), TypeError);
  }
  assert.throws(() => Verifier(TrustedRoot.production()), TypeError, 'class needs new');
});

test('TrustedRoot has no public constructor; fromJSON needs JSON input', () => {
  assert.throws(() => new TrustedRoot(), TypeError);
  for (const bad of [undefined, null, 42, true]) {
    assert.throws(() => TrustedRoot.fromJSON(bad), TypeError);
  }
});

test('misuse is never reported as SigverifyError', () => {
  try {
    verifier.verify(good.bundle, {}, good.policy);
  } catch (e) {
    assert.ok(!(e instanceof SigverifyError));
    return;
  }
  assert.fail('no error');
});
