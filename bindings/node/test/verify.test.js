'use strict';
// Happy paths, one per bundle kind, with the result fields checked.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { TrustedRoot, Verifier } = require('sigverify');
const { loadCase, IDENTITY, ISSUER } = require('./helpers.js');

function verifyCase(name, opts = {}) {
  const c = loadCase(name);
  const verifier = new Verifier(c.root);
  const artifact = opts.digest ? { digest: c.digest } : { artifact: c.artifact };
  return { c, result: verifier.verify(c.bundle, artifact, c.policy) };
}

function assertKeyless(result, c) {
  assert.equal(result.verified, true);
  assert.equal(result.mode, 'keyless');
  assert.equal(result.identity.san, c.case.identity);
  assert.equal(result.identity.issuer, c.case.issuer);
  assert.equal(result.identity.matchedPolicy, 0);
  assert.ok(result.identity.sans.some((s) => s.value === c.case.identity));
  assert.ok(Buffer.isBuffer(result.identity.certificate));
  assert.equal(result.identity.certificate[0], 0x30, 'certificate is DER');
  assert.ok(result.scts.length >= 1, 'an SCT verified');
  assert.ok(result.verifiedTimes.length >= 1, 'a verified time');
  for (const t of result.verifiedTimes) {
    assert.ok(t.date instanceof Date && !Number.isNaN(t.date.getTime()));
    assert.match(t.source, /^(transparency-log|timestamp-authority)$/);
  }
}

test('v0.1 bundle (SET-only time; sorted-key SET canonicalisation intact)', () => {
  const { c, result } = verifyCase('happy-path-v0.1');
  assertKeyless(result, c);
  assert.equal(result.bundleVersion, '0.1');
  const [entry] = result.tlogEntries;
  assert.equal(entry.kind, 'hashedrekord');
  assert.equal(entry.version, '0.0.1');
  assert.equal(entry.log, 'https://rekor.sigstore.dev');
  assert.equal(entry.rekorV2, false);
  assert.match(entry.integratedTime, /^\d{4}-\d\d-\d\dT/);
  assert.equal(result.verifiedTimes[0].source, 'transparency-log');
  assert.equal(result.dsse, null);
  assert.equal(result.statement, null);
});

test('v0.2 bundle', () => {
  const { c, result } = verifyCase('happy-path-v0.2');
  assertKeyless(result, c);
  assert.equal(result.bundleVersion, '0.2');
});

test('v0.3 bundles (legacy and new media type), by bytes and by digest', () => {
  for (const name of ['happy-path-v0.3', 'happy-path-v0.3-new-mediaType']) {
    for (const digest of [false, true]) {
      const { c, result } = verifyCase(name, { digest });
      assertKeyless(result, c);
      assert.equal(result.bundleVersion, '0.3');
    }
  }
});

test('Fulcio claims are exposed by name and as raw extensions', () => {
  const { result } = verifyCase('happy-path-intoto-in-dsse-v3');
  const { claims, extensions } = result.identity;
  assert.equal(claims.issuerV2, ISSUER);
  assert.equal(claims.buildSignerURI, IDENTITY);
  assert.equal(claims.sourceRepositoryURI, 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon');
  assert.equal(claims.runnerEnvironment, 'github-hosted');
  const v2 = extensions.find((e) => e.oid === '1.3.6.1.4.1.57264.1.8');
  assert.deepEqual(v2, { oid: '1.3.6.1.4.1.57264.1.8', name: 'Issuer (V2)', value: ISSUER });
});

test('DSSE (in-toto) bundle: payload and statement', () => {
  const { c, result } = verifyCase('happy-path-intoto-in-dsse-v3');
  assertKeyless(result, c);
  assert.equal(result.tlogEntries[0].kind, 'dsse');
  assert.equal(result.dsse.payloadType, 'application/vnd.in-toto+json');
  assert.equal(crypto.createHash('sha256').update(result.dsse.payload).digest('hex'), result.dsse.payloadSha256);
  const statement = JSON.parse(result.dsse.payload);
  assert.equal(result.statement.predicateType, statement.predicateType);
  const sha = crypto.createHash('sha256').update(c.artifact).digest('hex');
  assert.ok(result.statement.subjects.some((s) => s.digest.sha256 === sha));
});

test('verifyDsse: a DSSE bundle without its artifact', () => {
  const c = loadCase('happy-path-intoto-in-dsse-v3');
  const verifier = new Verifier(c.root);
  const result = verifier.verifyDsse(c.bundle, c.policy);
  assertKeyless(result, c);
  assert.equal(result.artifactBound, false);
  assert.equal(result.dsse.payloadType, 'application/vnd.in-toto+json');
  const sha = crypto.createHash('sha256').update(c.artifact).digest('hex');
  assert.ok(result.statement.subjects.some((s) => s.digest.sha256 === sha));
  assert.equal(verifier.verify(c.bundle, { artifact: c.artifact }, c.policy).artifactBound, true);
  // Every other check still runs, and a message signature needs its artifact.
  assert.throws(
    () => verifier.verifyDsse(c.bundle, { ...c.policy, issuer: 'https://accounts.google.com' }),
    (e) => e.name === 'SigverifyError' && e.step === 'identity',
  );
  const v03 = loadCase('happy-path-v0.3');
  assert.throws(
    () => verifier.verifyDsse(v03.bundle, v03.policy),
    (e) => e.name === 'SigverifyError' && e.step === 'policy-misuse',
  );
  assert.throws(() => verifier.verifyDsse(c.bundle), TypeError);
});

test('in-toto 0.0.2 entry with a custom trusted root', () => {
  const { c, result } = verifyCase('intoto-with-custom-trust-root');
  assertKeyless(result, c);
  assert.equal(result.tlogEntries[0].kind, 'intoto');
  assert.equal(result.tlogEntries[0].version, '0.0.2');
});

test('Rekor v2 bundle: hashedrekord 0.0.2 with an RFC 3161 time', () => {
  const { c, result } = verifyCase('rekor2-happy-path');
  assertKeyless(result, c);
  const [entry] = result.tlogEntries;
  assert.equal(entry.rekorV2, true);
  assert.equal(entry.kind, 'hashedrekord');
  assert.equal(entry.version, '0.0.2');
  assert.equal(entry.integratedTime, null, 'Rekor v2 has no trusted integrated time');
  assert.ok(result.verifiedTimes.every((t) => t.source === 'timestamp-authority'));
});

test('Rekor v2 DSSE bundle', () => {
  const { c, result } = verifyCase('rekor2-dsse-happy-path');
  assertKeyless(result, c);
  assert.equal(result.tlogEntries[0].rekorV2, true);
  assert.ok(result.dsse && result.dsse.payload.length > 0);
});

test('managed-key bundles: PEM string, DER bytes and KeyObject', () => {
  for (const name of ['managed-key-happy-path', 'managed-key-and-trusted-root']) {
    const c = loadCase(name);
    const verifier = new Verifier(c.root);
    const keyObject = crypto.createPublicKey(c.policy.publicKey);
    const der = keyObject.export({ type: 'spki', format: 'der' });
    const sha = crypto.createHash('sha256').update(der).digest('hex');
    for (const publicKey of [c.policy.publicKey, der, keyObject]) {
      const result = verifier.verify(c.bundle, { artifact: c.artifact }, { publicKey });
      assert.equal(result.mode, 'public-key');
      assert.equal(result.identity, null);
      assert.equal(result.key.sha256, sha);
      assert.ok(result.tlogEntries.length >= 1);
    }
  }
});

test('bundle as object, string, Buffer and Uint8Array; root from object and string', () => {
  const c = loadCase('intoto-with-custom-trust-root');
  const rootJson = require('node:fs').readFileSync(require('node:path').join(require('./helpers.js').CONFORMANCE, c.case.trusted_root), 'utf8');
  for (const root of [TrustedRoot.fromJSON(JSON.parse(rootJson)), TrustedRoot.fromJSON(rootJson)]) {
    const verifier = new Verifier(root);
    const text = c.bundle.toString('utf8');
    for (const bundle of [JSON.parse(text), text, c.bundle, new Uint8Array(c.bundle)]) {
      assert.equal(verifier.verify(bundle, { artifact: new Uint8Array(c.artifact) }, c.policy).mode, 'keyless');
    }
  }
});

test('identity regexes are anchored; a list of identities reports which matched', () => {
  const c = loadCase('happy-path-v0.3');
  const verifier = new Verifier(c.root);
  const ok = verifier.verify(c.bundle, { artifact: c.artifact }, {
    identityRegex: 'https://github\\.com/sigstore-conformance/.*',
    issuerRegex: 'https://token\\.actions\\.githubusercontent\\.com',
  });
  assert.equal(ok.identity.san, IDENTITY);
  const list = verifier.verify(c.bundle, { artifact: c.artifact }, [
    { identity: 'https://example.com/other', issuer: ISSUER },
    { identity: IDENTITY, issuer: ISSUER },
  ]);
  assert.equal(list.identity.matchedPolicy, 1);
});

test('TrustedRoot.production() and .staging() are cached, distinct and frozen', () => {
  assert.equal(TrustedRoot.production(), TrustedRoot.production());
  assert.equal(TrustedRoot.staging(), TrustedRoot.staging());
  assert.notEqual(TrustedRoot.production(), TrustedRoot.staging());
  assert.ok(Object.isFrozen(TrustedRoot.production()));
  // The staging root is a different root: a production-signed bundle does not verify under it.
  const c = loadCase('happy-path-v0.3');
  assert.throws(() => new Verifier(TrustedRoot.staging()).verify(c.bundle, { artifact: c.artifact }, c.policy), {
    name: 'SigverifyError',
  });
});
