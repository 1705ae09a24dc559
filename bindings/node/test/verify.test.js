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

test('a managed key trusted for a window (validFrom, validUntil; inclusive)', async () => {
  // The bundle's verified times: 2025-12-18T17:04:39Z (log and TSA).
  const c = loadCase('managed-key-happy-path');
  const v = new Verifier(c.root);
  const at = new Date('2025-12-18T17:04:39Z');
  const ms = (d) => new Date(at.getTime() + d);
  const verify = (window) => v.verify(c.bundle, { artifact: c.artifact }, { ...c.policy, ...window });
  for (const window of [{ validFrom: at }, { validUntil: at }, { validFrom: ms(-1000), validUntil: ms(1000) }]) {
    assert.equal(verify(window).verified, true);
  }
  for (const window of [{ validFrom: ms(1) }, { validUntil: ms(-1) }]) {
    assert.throws(() => verify(window), { name: 'SigverifyError', step: 'time-window', message: /outside the managed key's validity/ });
    await assert.rejects(v.verifyAsync(c.bundle, { artifact: c.artifact }, { ...c.policy, ...window }), { step: 'time-window' });
  }
  assert.throws(() => verify({ validFrom: at, validUntil: ms(-1) }), { name: 'SigverifyError', step: 'policy-misuse', message: /ends/ });
  for (const bad of [{ validFrom: '2025-01-01' }, { validUntil: 1766077479000 }, { validFrom: new Date(NaN) }, { validUntil: null }, { validUntil: undefined }]) {
    assert.throws(() => verify(bad), TypeError);
  }
  // Bounds are read as publicKey is: inherited and getter bounds count too.
  assert.throws(() => v.verify(c.bundle, { artifact: c.artifact }, Object.create({ publicKey: c.policy.publicKey, validUntil: new Date(at.getTime() - 1) })), {
    step: 'time-window',
  });
  const inherited = Object.assign(Object.create({ validUntil: new Date(at.getTime() - 1) }), { publicKey: c.policy.publicKey });
  assert.throws(() => v.verify(c.bundle, { artifact: c.artifact }, inherited), { step: 'time-window' });
  const getter = { publicKey: c.policy.publicKey, get validUntil() { return new Date(at.getTime() - 1); } };
  assert.throws(() => v.verify(c.bundle, { artifact: c.artifact }, getter), { step: 'time-window' });
  // A Date from another realm is a Date; an own getTime override is not consulted.
  const foreign = require('node:vm').runInNewContext('new Date("2025-12-18T17:04:38Z")');
  assert.throws(() => verify({ validUntil: foreign }), { step: 'time-window' });
  const liar = new Date(at.getTime() - 1);
  liar.getTime = () => at.getTime() + 1e9;
  assert.throws(() => verify({ validUntil: liar }), { step: 'time-window' });
  // A window belongs to a key: on an identity policy it is an unknown option.
  const k = loadCase('happy-path-v0.3');
  assert.throws(() => v.verify(k.bundle, { artifact: k.artifact }, { ...k.policy, validFrom: at }), TypeError);
});

test('a keyring: any one of several public keys, each with its own window', async () => {
  // The bundle's key hint is its key's fingerprint, so only that key is tried.
  const c = loadCase('managed-key-happy-path');
  const v = new Verifier(c.root);
  const stranger = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  const real = c.policy.publicKey;
  const sha = crypto.createHash('sha256').update(crypto.createPublicKey(real).export({ type: 'spki', format: 'der' })).digest('hex');
  const verify = (policy) => v.verify(c.bundle, { artifact: c.artifact }, policy);
  for (const ring of [[{ publicKey: stranger() }, { publicKey: real }], [{ publicKey: real }, { publicKey: stranger() }]]) {
    assert.equal(verify(ring).key.sha256, sha);
    assert.equal((await v.verifyAsync(c.bundle, { artifact: c.artifact }, ring)).key.sha256, sha);
  }
  assert.throws(() => verify([{ publicKey: stranger() }, { publicKey: stranger() }]), {
    name: 'SigverifyError',
    step: 'signature',
    message: /names none of the keys supplied/,
  });
  const at = new Date('2025-12-18T17:04:39Z');
  assert.throws(() => verify([{ publicKey: stranger() }, { publicKey: real, validUntil: new Date(at.getTime() - 1) }]), {
    step: 'time-window',
  });
  assert.equal(verify([{ publicKey: stranger(), validUntil: new Date(0) }, { publicKey: real, validFrom: at }]).verified, true);
  // Identities and keys do not mix; every element is checked.
  assert.throws(() => verify([{ publicKey: real }, { identity: IDENTITY, issuer: ISSUER }]), TypeError);
  assert.throws(() => verify([{ publicKey: real }, { publicKey: real, validFrom: 'now' }]), /policy\[1\]\.validFrom/);
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

// ---- Results are built lazily from a native handle; they must look exactly
// like the plain objects the binding used to build from the core's JSON.

const util = require('node:util');
const v8 = require('node:v8');
const vm = require('node:vm');
const path = require('node:path');
const fs = require('node:fs');
const native = require(path.join(__dirname, '..', 'sigverify.node'));
const { MANIFEST, CONFORMANCE } = require('./helpers.js');

// The result as index.js used to build it: JSON.parse of the addon's JSON
// text (Verified::to_json plus matchedPolicy and the DSSE payload; the Rust
// test result_text_is_the_whole_result_json checks that the text is still
// byte for byte what serde_json wrote, on every passing case), then reshaped
// eagerly. The reference the lazy results are compared with.
const CLAIM_KEYS = {
  1: 'issuerV1', 2: 'githubWorkflowTrigger', 3: 'githubWorkflowSHA', 4: 'githubWorkflowName',
  5: 'githubWorkflowRepository', 6: 'githubWorkflowRef', 8: 'issuerV2', 9: 'buildSignerURI',
  10: 'buildSignerDigest', 11: 'runnerEnvironment', 12: 'sourceRepositoryURI', 13: 'sourceRepositoryDigest',
  14: 'sourceRepositoryRef', 15: 'sourceRepositoryIdentifier', 16: 'sourceRepositoryOwnerURI',
  17: 'sourceRepositoryOwnerIdentifier', 18: 'buildConfigURI', 19: 'buildConfigDigest', 20: 'buildTrigger',
  21: 'runInvocationURI', 22: 'sourceRepositoryVisibilityAtSigning', 23: 'deploymentEnvironment', 24: 'tokenSubject',
};
function eagerFromJson(json) {
  const raw = JSON.parse(json);
  const id = raw.identity;
  const claims = {};
  for (const ext of id ? id.extensions : []) {
    const arc = ext.oid.startsWith('1.3.6.1.4.1.57264.1.') ? ext.oid.slice(20) : undefined;
    if (arc !== undefined && CLAIM_KEYS[arc] !== undefined) claims[CLAIM_KEYS[arc]] = ext.value;
  }
  return {
    verified: true,
    artifactBound: raw.artifactBound,
    mode: raw.mode,
    bundleVersion: raw.bundleVersion,
    identity: id
      ? {
          san: id.san,
          sans: id.sans,
          issuer: id.issuer,
          claims,
          extensions: id.extensions,
          certificate: Buffer.from(id.certificate, 'base64'),
          matchedPolicy: id.matchedPolicy,
        }
      : null,
    key: raw.key,
    verifiedTimes: raw.verifiedTimes.map((t) => ({ ...t, date: new Date(t.time) })),
    tlogEntries: raw.tlogEntries,
    scts: raw.scts,
    dsse: raw.dsse
      ? { payloadType: raw.dsse.payloadType, payloadSha256: raw.dsse.payloadSha256, payload: Buffer.from(raw.dsse.payload, 'base64') }
      : null,
    statement: raw.statement,
  };
}

const FIELDS = ['verified', 'artifactBound', 'mode', 'bundleVersion', 'identity', 'key', 'verifiedTimes', 'tlogEntries', 'scts', 'dsse', 'statement'];
const IDENTITY_FIELDS = ['san', 'sans', 'issuer', 'claims', 'extensions', 'certificate', 'matchedPolicy'];

/** Every passing conformance case, with a native verifier over the same root, for the core's JSON. */
function passingCases() {
  const out = [];
  for (const m of MANIFEST.cases.filter((m) => m.expect === 'pass')) {
    const c = loadCase(m.name);
    const root = m.trusted_root_is_default
      ? native.NativeTrustedRoot.production()
      : native.NativeTrustedRoot.fromJson(fs.readFileSync(path.join(CONFORMANCE, m.trusted_root)));
    const nativePolicy = c.policy.publicKey
      ? { keys: [{ publicKey: Buffer.from(c.policy.publicKey) }] }
      : { identities: [{ identity: c.policy.identity, issuer: c.policy.issuer }] };
    const nv = new native.NativeVerifier(root);
    c.coreJson = () => nv.verify(c.bundle, c.artifact, undefined, nativePolicy).json;
    c.coreDsseJson = () => nv.verifyDsse(c.bundle, nativePolicy).json;
    out.push(c);
  }
  assert.ok(out.length >= 20, `${out.length} passing cases`);
  return out;
}

/** Strict equality with the reference, key order included (JSON.stringify and util.inspect). */
function assertSameAsEager(result, expected, what) {
  assert.equal(Object.getPrototypeOf(result), Object.prototype, what);
  assert.deepStrictEqual(Object.keys(result), FIELDS, what);
  if (result.identity) assert.deepStrictEqual(Object.keys(result.identity), IDENTITY_FIELDS, what);
  assert.deepStrictEqual(result, expected, what);
  assert.equal(JSON.stringify(result), JSON.stringify(expected), what);
  assert.equal(util.inspect(result, { depth: Infinity }), util.inspect(expected, { depth: Infinity }), what);
}

test('lazy result fields equal the core JSON results, on every passing conformance case', async () => {
  for (const c of passingCases()) {
    const name = c.case.name;
    const expected = eagerFromJson(c.coreJson());
    const sync = c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy);
    assertSameAsEager(sync, expected, name);
    // By digest and off the main thread: the same result.
    assertSameAsEager(c.verifier.verify(c.bundle, { digest: c.digest }, c.policy), expected, `${name} (digest)`);
    assertSameAsEager(await c.verifier.verifyAsync(c.bundle, { artifact: c.artifact }, c.policy), expected, `${name} (async)`);
    // Each field read on its own, in reverse order, on a fresh result.
    const fresh = c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy);
    for (const k of [...FIELDS].reverse()) assert.deepStrictEqual(fresh[k], expected[k], `${name}: ${k}`);
    if (expected.identity) {
      const id = c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy).identity;
      for (const k of [...IDENTITY_FIELDS].reverse()) assert.deepStrictEqual(id[k], expected.identity[k], `${name}: identity.${k}`);
    }
    if (expected.dsse) {
      const dsse = c.verifier.verifyDsse(c.bundle, c.policy);
      assertSameAsEager(dsse, eagerFromJson(c.coreDsseJson()), `${name} (verifyDsse)`);
      assert.equal(dsse.artifactBound, false);
    }
  }
});

test('a result behaves as a plain object: JSON round trip, spread, keys, clone, inspect, memoised fields', () => {
  const c = loadCase('happy-path-intoto-in-dsse-v3');
  const fresh = () => c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy);
  const expected = fresh();
  // JSON round trip, before and after any field was read.
  const text = JSON.stringify(fresh());
  assert.equal(text, JSON.stringify(expected));
  assert.deepStrictEqual(JSON.parse(text), JSON.parse(JSON.stringify(expected)));
  const parsed = JSON.parse(text);
  assert.equal(Buffer.from(parsed.identity.certificate.data).equals(expected.identity.certificate), true);
  assert.equal(parsed.verifiedTimes[0].date, expected.verifiedTimes[0].date.toISOString());
  // Spread, Object.assign and Object.entries copy values, not accessors.
  for (const copy of [{ ...fresh() }, Object.assign({}, fresh()), Object.fromEntries(Object.entries(fresh()))]) {
    assert.deepStrictEqual(copy, expected);
    for (const k of FIELDS) assert.ok('value' in Object.getOwnPropertyDescriptor(copy, k), k);
  }
  // structuredClone (and postMessage) too; Buffers come back as Uint8Arrays, as from any object.
  assert.deepStrictEqual(structuredClone(fresh()), structuredClone(expected));
  // A field is computed once: the same object on every read, then a plain data property.
  const r = fresh();
  assert.equal(r.tlogEntries, r.tlogEntries);
  assert.equal(r.identity.certificate, r.identity.certificate);
  assert.equal(r.identity.claims, r.identity.claims);
  assert.deepStrictEqual(Object.getOwnPropertyDescriptor(r, 'tlogEntries'), {
    value: r.tlogEntries, writable: true, enumerable: true, configurable: true,
  });
  // Fields are writable and deletable, as on a plain object.
  r.key = 'replaced';
  r.statement = undefined;
  assert.equal(r.key, 'replaced');
  assert.equal(r.statement, undefined);
  assert.equal(delete r.scts, true);
  assert.equal('scts' in r, false);
  // console.log shows values, not [Getter/Setter].
  assert.doesNotMatch(util.inspect(fresh(), { depth: Infinity }), /Getter|Setter/);
  assert.equal(util.inspect(fresh()), util.inspect(expected));
  // Frozen before any field was read: reads still work and stay stable.
  const frozen = Object.freeze(fresh());
  assert.deepStrictEqual(frozen, expected);
  assert.equal(frozen.tlogEntries, frozen.tlogEntries);
  assert.throws(() => {
    frozen.key = 1;
  }, TypeError);
  const id = Object.freeze(fresh().identity);
  assert.equal(id.certificate, id.certificate);
  assert.deepStrictEqual(id, expected.identity);
  // Distinct results never share mutable parts.
  const a = fresh();
  const b = fresh();
  assert.notEqual(a.identity, b.identity);
  assert.notEqual(a.identity.certificate, b.identity.certificate);
  a.identity.certificate[0] = 0;
  assert.equal(b.identity.certificate[0], 0x30);
  assert.notEqual(a.dsse.payload.buffer, b.dsse.payload.buffer);
});

test('a public-key result has identity null and the same lazy fields', () => {
  const c = loadCase('managed-key-happy-path');
  const r = c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy);
  assert.equal(r.identity, null);
  assert.deepStrictEqual(Object.keys(r), FIELDS);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(r)).key, r.key);
});

test('the addon hands a success back as JS values only: no native object waits for a finalizer', () => {
  const c = loadCase('happy-path-v0.3');
  const nv = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const out = nv.verify(c.bundle, c.artifact, undefined, { identities: [{ identity: IDENTITY, issuer: ISSUER }] });
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepStrictEqual(Object.keys(out).sort(), ['issuer', 'json', 'san', 'sections', 'summary']);
  for (const [k, v] of Object.entries(out)) assert.ok(typeof v === 'string' || typeof v === 'number', k);
  assert.equal(out.san, IDENTITY);
  assert.equal(out.issuer, ISSUER);
  assert.equal(JSON.parse(out.json).identity.san, IDENTITY);
  // A public-key result: no identity, so no SAN and no issuer.
  const k = loadCase('managed-key-happy-path');
  const key = nv.verify(k.bundle, k.artifact, undefined, { keys: [{ publicKey: Buffer.from(k.policy.publicKey) }] });
  assert.equal(key.san, null);
  assert.equal(key.issuer, null);
});

test('results stay valid after their verifier (and its root) is garbage-collected', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const c = loadCase('intoto-with-custom-trust-root');
  const rootJson = fs.readFileSync(path.join(CONFORMANCE, c.case.trusted_root));
  const expected = c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy);
  const make = async () => {
    const verifier = new Verifier(TrustedRoot.fromJSON(rootJson));
    const results = [
      verifier.verify(c.bundle, { artifact: c.artifact }, c.policy),
      await verifier.verifyAsync(c.bundle, { artifact: c.artifact }, c.policy),
    ];
    return { results, gone: new WeakRef(verifier) };
  };
  const { results, gone } = await make();
  for (let i = 0; i < 20 && gone.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  assert.equal(gone.deref(), undefined, 'the verifier was collected');
  for (const r of results) assert.deepStrictEqual(r, expected);
});

test('Fulcio claims in the policy (extensions, extensionsRegex)', () => {
  const c = loadCase('happy-path-v0.3');
  const v = new Verifier(c.root);
  const repo = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon';
  const policy = (extra) => ({ ...c.policy, ...extra });
  const ok = v.verify(c.bundle, { artifact: c.artifact }, policy({
    extensions: { SourceRepositoryURI: repo, '1.3.6.1.4.1.57264.1.11': 'github-hosted' },
    extensionsRegex: { 'Source Repository Ref': 'refs/heads/.*' },
  }));
  assert.equal(ok.verified, true);
  assert.throws(
    () => v.verify(c.bundle, { artifact: c.artifact }, policy({ extensions: { SourceRepositoryURI: `${repo}-fork` } })),
    { name: 'SigverifyError', step: 'identity', message: /1\.3\.6\.1\.4\.1\.57264\.1\.12/ },
  );
  // Anchored, as every regex: a prefix of the claim does not match.
  assert.throws(
    () => v.verify(c.bundle, { artifact: c.artifact }, policy({ extensionsRegex: { SourceRepositoryURI: 'https://github.com' } })),
    { name: 'SigverifyError', step: 'identity' },
  );
  assert.throws(
    () => v.verify(c.bundle, { artifact: c.artifact }, policy({ extensions: { NoSuchClaim: 'x' } })),
    { name: 'SigverifyError', step: 'policy-misuse' },
  );
  const bads = [
    { extensions: 'x' },
    { extensions: { SourceRepositoryRef: '' } },
    { extensionsRegex: { a: 1 } },
    { extensions: new Map([['SourceRepositoryURI', `${repo}-fork`]]) },
  ];
  for (const bad of bads) {
    assert.throws(() => v.verify(c.bundle, { artifact: c.artifact }, policy(bad)), TypeError);
  }
});
