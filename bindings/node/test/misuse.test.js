'use strict';
// Misuse and hostile input, at the public API and at the native addon itself.
//
// API misuse throws TypeError (sync) or rejects with TypeError (async), before
// any verification; hostile data gives the SigverifyError of the step that
// rejects it (parse, limit, ...). The addon, called directly, refuses wrong
// argument and handle types with its own errors. Never a crash, never a pass,
// and every check asserts the exact error class (and code where there is one).
//
// `make node-memcheck` runs this file under valgrind memcheck: keep it fast,
// and keep each gigantic input one cheap allocation.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { TrustedRoot, Verifier, SigverifyError, ErrorCodes } = require('sigverify');
const { loadCase, IDENTITY, ISSUER } = require('./helpers.js');

const native = require(path.join(__dirname, '..', 'sigverify.node'));

const c = loadCase('happy-path-v0.3');
const dsse = loadCase('happy-path-intoto-in-dsse-v3');
const keyCase = loadCase('managed-key-happy-path');
const verifier = new Verifier(c.root);
const good = { bundle: c.bundle, artifact: { artifact: c.artifact }, policy: { identity: IDENTITY, issuer: ISSUER } };
const ROOT_JSON = fs.readFileSync(path.join(__dirname, '../../../test-vectors/trust/production_trusted_root.json'));
const MIB = 1 << 20;
// Larger than every input cap of the core (64 MiB bundle, 4 MiB trusted root).
const GIGANTIC = 100 * MIB;

/** A matcher for assert.throws/rejects: exactly this class (not a subclass), plus properties. */
function exactly(cls, props = {}) {
  return (e) => {
    assert.equal(e && e.constructor, cls, `expected exactly ${cls.name}, got ${e && e.stack}`);
    for (const [k, v] of Object.entries(props)) {
      if (v instanceof RegExp) assert.match(String(e[k]), v, `${k} of ${e.stack}`);
      else assert.equal(e[k], v, `${k} of ${e.stack}`);
    }
    return true;
  };
}

/** A SigverifyError of this step, with its stable code. */
function failedAt(step, message) {
  assert.ok(step in ErrorCodes, step);
  return exactly(SigverifyError, { step, code: ErrorCodes[step], ...(message ? { message } : {}) });
}

/** The same rejection from verify and verifyAsync. */
async function bothReject(args, matcher, v = verifier) {
  assert.throws(() => v.verify(...args), matcher);
  await assert.rejects(v.verifyAsync(...args), matcher);
}

/** `count` proper prefixes of `buf` (trailing whitespace removed first). */
function prefixes(buf, count = 48) {
  const data = Buffer.from(buf.toString('latin1').trimEnd(), 'latin1');
  const step = Math.max(1, Math.floor(data.length / count));
  const out = [];
  for (let n = 0; n < data.length; n += step) out.push(data.subarray(0, n));
  out.push(data.subarray(0, data.length - 1));
  return out;
}

// ---------------------------------------------------------------------------
// Public API: wrong types, missing and malformed options

const BAD_CALLS = {
  'bundle missing': [undefined, good.artifact, good.policy],
  'bundle a number': [42, good.artifact, good.policy],
  'bundle null': [null, good.artifact, good.policy],
  'bundle an array': [[], good.artifact, good.policy],
  'bundle a boolean': [true, good.artifact, good.policy],
  'bundle a BigInt': [10n, good.artifact, good.policy],
  'bundle a Symbol': [Symbol('b'), good.artifact, good.policy],
  'bundle a function': [() => c.bundle, good.artifact, good.policy],
  'artifact missing': [good.bundle, undefined, good.policy],
  'artifact null': [good.bundle, null, good.policy],
  'artifact a bare Buffer': [good.bundle, c.artifact, good.policy],
  'artifact a path string': [good.bundle, { artifact: 'a.txt' }, good.policy],
  'artifact.artifact null': [good.bundle, { artifact: null }, good.policy],
  'artifact.artifact an ArrayBuffer': [good.bundle, { artifact: new ArrayBuffer(4) }, good.policy],
  'artifact.artifact a Uint16Array': [good.bundle, { artifact: new Uint16Array(4) }, good.policy],
  'artifact.artifact a DataView': [good.bundle, { artifact: new DataView(new ArrayBuffer(4)) }, good.policy],
  'artifact.artifact an array of numbers': [good.bundle, { artifact: [1, 2, 3] }, good.policy],
  'artifact and digest both': [good.bundle, { artifact: c.artifact, digest: c.digest }, good.policy],
  'neither artifact nor digest': [good.bundle, {}, good.policy],
  'digest not a string': [good.bundle, { digest: 123 }, good.policy],
  'digest null': [good.bundle, { digest: null }, good.policy],
  'digest a Buffer': [good.bundle, { digest: Buffer.from(c.digest) }, good.policy],
  'unknown artifact option': [good.bundle, { artifact: c.artifact, hash: 'x' }, good.policy],
  'policy missing': [good.bundle, good.artifact, undefined],
  'policy null': [good.bundle, good.artifact, null],
  'policy a string': [good.bundle, good.artifact, IDENTITY],
  'policy empty': [good.bundle, good.artifact, {}],
  'issuer missing': [good.bundle, good.artifact, { identity: IDENTITY }],
  'identity missing': [good.bundle, good.artifact, { issuer: ISSUER }],
  'identity null': [good.bundle, good.artifact, { identity: null, issuer: ISSUER }],
  'identity and identityRegex': [good.bundle, good.artifact, { identity: IDENTITY, identityRegex: '.*', issuer: ISSUER }],
  'issuer and issuerRegex': [good.bundle, good.artifact, { identity: IDENTITY, issuer: ISSUER, issuerRegex: '.*' }],
  'identity empty': [good.bundle, good.artifact, { identity: '', issuer: ISSUER }],
  'identity a String object': [good.bundle, good.artifact, { identity: new String(IDENTITY), issuer: ISSUER }],
  'identity a RegExp': [good.bundle, good.artifact, { identityRegex: /.*/, issuer: ISSUER }],
  'identity an object with toString': [good.bundle, good.artifact, { identity: { toString: () => IDENTITY }, issuer: ISSUER }],
  'typo in option': [good.bundle, good.artifact, { identity: IDENTITY, issuer: ISSUER, identityRegexp: 'x' }],
  'publicKey with identity': [good.bundle, good.artifact, { publicKey: 'x', identity: IDENTITY, issuer: ISSUER }],
  'publicKey a number': [good.bundle, good.artifact, { publicKey: 1 }],
  'publicKey null': [good.bundle, good.artifact, { publicKey: null }],
  'publicKey a private KeyObject-like': [good.bundle, good.artifact, { publicKey: { type: 'private', export: () => Buffer.alloc(0) } }],
  'empty identity list': [good.bundle, good.artifact, []],
  'null in identity list': [good.bundle, good.artifact, [null]],
  'bad entry in identity list': [good.bundle, good.artifact, [{ identity: IDENTITY, issuer: ISSUER }, { identity: IDENTITY }]],
};

for (const [name, args] of Object.entries(BAD_CALLS)) {
  test(`TypeError: ${name}`, async () => {
    await bothReject(args, exactly(TypeError));
  });
}

test('the good call used above verifies (so the TypeErrors are about the changed argument)', async () => {
  assert.equal(verifier.verify(good.bundle, good.artifact, good.policy).verified, true);
  assert.equal((await verifier.verifyAsync(good.bundle, good.artifact, good.policy)).verified, true);
});

test('Verifier needs a TrustedRoot', () => {
  for (const bad of [undefined, null, {}, 'production', 42, Object.create(TrustedRoot.prototype)]) {
    assert.throws(() => new Verifier(bad), exactly(TypeError));
  }
  assert.throws(() => Verifier(TrustedRoot.production()), exactly(TypeError), 'class needs new');
});

test('TrustedRoot has no public constructor; fromJSON needs JSON input', () => {
  assert.throws(() => new TrustedRoot(), exactly(TypeError));
  for (const bad of [undefined, null, 42, true, 10n, Symbol('r'), () => '{}']) {
    assert.throws(() => TrustedRoot.fromJSON(bad), exactly(TypeError));
  }
});

test('SigverifyError refuses codes the core does not have', () => {
  for (const bad of [0, 18, 999, -1, '1', undefined]) {
    assert.throws(() => new SigverifyError(bad, 'x'), exactly(TypeError));
  }
});

test('misuse is never reported as SigverifyError', () => {
  assert.throws(() => verifier.verify(good.bundle, {}, good.policy), (e) => !(e instanceof SigverifyError) && e instanceof TypeError);
});

// ---------------------------------------------------------------------------
// Wrong handle types

test('a TrustedRoot lookalike holding a foreign native handle is refused by the addon', () => {
  const real = TrustedRoot.production();
  const [slot] = Object.getOwnPropertySymbols(real);
  assert.ok(Object.isFrozen(real), 'the real root cannot be re-pointed');
  const nativeVerifier = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const cases = [
    [nativeVerifier, /not an instance of class `NativeTrustedRoot`/],
    [{}, /NativeTrustedRoot/],
    [Object.create(native.NativeTrustedRoot.prototype), /NativeTrustedRoot/],
    [Buffer.from(ROOT_JSON), /NativeTrustedRoot/],
  ];
  for (const [handle, message] of cases) {
    const fake = Object.create(TrustedRoot.prototype);
    fake[slot] = handle;
    assert.throws(() => new Verifier(fake), exactly(Error, { code: 'InvalidArg', message }));
  }
});

test('Verifier methods on a foreign receiver', async () => {
  for (const self of [{}, TrustedRoot.production(), Object.create(Verifier.prototype)]) {
    assert.throws(() => Verifier.prototype.verify.call(self, ...Object.values(good)), exactly(TypeError, { message: /#native/ }));
    await assert.rejects(Verifier.prototype.verifyAsync.call(self, ...Object.values(good)), exactly(TypeError));
  }
});

// ---------------------------------------------------------------------------
// Empty input

test('empty bundles are parse errors', async () => {
  for (const empty of ['', Buffer.alloc(0), new Uint8Array(0), new ArrayBuffer(0), {}]) {
    await bothReject([empty, good.artifact, good.policy], failedAt('parse'));
  }
});

test('empty trusted roots are trusted-root errors', () => {
  for (const empty of ['', Buffer.alloc(0), new Uint8Array(0), new ArrayBuffer(0), {}]) {
    assert.throws(() => TrustedRoot.fromJSON(empty), failedAt('trusted-root'));
  }
});

test('empty artifacts, digests and keys', async () => {
  await bothReject([c.bundle, { artifact: Buffer.alloc(0) }, good.policy], failedAt('artifact-mismatch'));
  await bothReject([c.bundle, { artifact: new Uint8Array(0) }, good.policy], failedAt('artifact-mismatch'));
  await bothReject([dsse.bundle, { artifact: Buffer.alloc(0) }, dsse.policy], failedAt('artifact-mismatch'), dsse.verifier);
  for (const digest of ['', 'sha256:', ':']) {
    await bothReject([c.bundle, { digest }, good.policy], failedAt('policy-misuse'));
  }
  for (const publicKey of ['', Buffer.alloc(0), new Uint8Array(0)]) {
    await bothReject([keyCase.bundle, { artifact: keyCase.artifact }, { publicKey }], failedAt('policy-misuse'), keyCase.verifier);
  }
});

// ---------------------------------------------------------------------------
// Truncated input

test('truncated bundles are parse errors', async () => {
  for (const bundle of [c.bundle, dsse.bundle, keyCase.bundle]) {
    for (const part of prefixes(bundle)) {
      assert.throws(() => verifier.verify(part, good.artifact, good.policy), failedAt('parse'));
    }
  }
  for (const part of prefixes(c.bundle, 6)) {
    await bothReject([part.toString('utf8'), good.artifact, good.policy], failedAt('parse'));
  }
});

test('truncated trusted roots are trusted-root errors', () => {
  for (const part of [...prefixes(ROOT_JSON), ...prefixes(fs.readFileSync(path.join(__dirname, '../../../test-vectors/trust/staging_trusted_root.json')), 8)]) {
    assert.throws(() => TrustedRoot.fromJSON(part), failedAt('trusted-root'));
  }
});

test('truncated keys and artifacts', async () => {
  const pem = keyCase.policy.publicKey;
  for (let n = 0; n < pem.length; n += Math.ceil(pem.length / 12)) {
    assert.throws(() => keyCase.verifier.verify(keyCase.bundle, { artifact: keyCase.artifact }, { publicKey: pem.slice(0, n) }), failedAt('policy-misuse'));
  }
  for (const n of [0, 1, c.artifact.length - 1]) {
    await bothReject([c.bundle, { artifact: c.artifact.subarray(0, n) }, good.policy], failedAt('artifact-mismatch'));
  }
});

// ---------------------------------------------------------------------------
// Gigantic input: the limit (or parse) error, no out-of-memory

test('a 100 MiB bundle of spaces is a limit error (Buffer and string)', async () => {
  await bothReject([Buffer.alloc(GIGANTIC, 0x20), good.artifact, good.policy], failedAt('limit', /exceeds the 67108864-byte limit/));
  // A string just past the cap (the UTF-8 encoding of a 100 MiB one is slow under valgrind).
  assert.throws(() => verifier.verify(' '.repeat(65 * MIB), good.artifact, good.policy), failedAt('limit', /exceeds the 67108864-byte limit/));
});

test('a 100 MiB trusted root is a limit error', () => {
  assert.throws(() => TrustedRoot.fromJSON(Buffer.alloc(GIGANTIC, 0x20)), failedAt('limit', /4194304-byte limit/));
  assert.throws(() => TrustedRoot.fromJSON(Buffer.concat([ROOT_JSON, Buffer.alloc(4 * MIB, 0x20)])), failedAt('limit'));
});

test('a 40 MiB string inside a bundle under the size cap hits the DSSE payload cap', () => {
  const marker = Buffer.from('"payload": "');
  const start = dsse.bundle.indexOf(marker) + marker.length;
  const end = dsse.bundle.indexOf('"', start);
  assert.ok(start > marker.length && end > start);
  const payload = Buffer.alloc(Math.floor((40 * MIB) / 3) * 4, 'A');
  const big = Buffer.concat([dsse.bundle.subarray(0, start), payload, dsse.bundle.subarray(end)]);
  assert.ok(big.length < 64 * MIB);
  assert.throws(() => dsse.verifier.verify(big, { artifact: dsse.artifact }, dsse.policy), failedAt('limit', /DSSE payload/));
});

test('deep nesting is a limit error', async () => {
  for (const doc of ['['.repeat(100_000), '{"a":'.repeat(100_000)]) {
    await bothReject([doc, good.artifact, good.policy], failedAt('limit'));
    assert.throws(() => TrustedRoot.fromJSON(doc), failedAt('limit'));
  }
});

test('gigantic digests, identities, regexes and keys', async () => {
  // Far past every plausible size (the caps are 64 bytes of digest, 4 KiB of regex, 64 KiB of key).
  await bothReject([c.bundle, { digest: 'sha256:' + '0'.repeat(MIB) }, good.policy], failedAt('policy-misuse'));
  await bothReject([c.bundle, good.artifact, { identityRegex: 'a'.repeat(MIB), issuer: ISSUER }], failedAt('policy-misuse', /regular expression longer/));
  assert.throws(() => verifier.verify(c.bundle, good.artifact, { identity: 'a'.repeat(MIB), issuer: ISSUER }), failedAt('identity'));
  const pem = '-----BEGIN PUBLIC KEY-----\n' + 'A'.repeat(MIB) + '\n-----END PUBLIC KEY-----\n';
  assert.throws(
    () => keyCase.verifier.verify(keyCase.bundle, { artifact: keyCase.artifact }, { publicKey: pem }),
    failedAt('limit', /public key of 1048629 bytes exceeds the 65536-byte limit/),
  );
  const many = Array.from({ length: 2000 }, (_, i) => ({ identity: `${IDENTITY}${i}`, issuer: ISSUER }));
  await bothReject([c.bundle, good.artifact, many], failedAt('identity'));
});

// ---------------------------------------------------------------------------
// Claimed lengths: typed arrays whose own properties lie

function lying(prop, value) {
  const u = new Uint8Array(c.bundle);
  Object.defineProperty(u, prop, { value });
  return u;
}

test('a Uint8Array claiming a gigantic length or offset is refused before the addon', async () => {
  const cases = [
    [lying('byteLength', 2 ** 40), exactly(RangeError, { code: 'ERR_BUFFER_OUT_OF_BOUNDS' })],
    [lying('byteOffset', 2 ** 40), exactly(RangeError, { code: 'ERR_BUFFER_OUT_OF_BOUNDS' })],
    [lying('buffer', { length: 2 ** 40 }), exactly(RangeError, { message: /Invalid typed array length/ })],
  ];
  for (const [bundle, matcher] of cases) {
    await bothReject([bundle, good.artifact, good.policy], matcher);
    await bothReject([c.bundle, { artifact: bundle }, good.policy], matcher);
    assert.throws(() => TrustedRoot.fromJSON(bundle), matcher);
  }
});

test('a short or negative claimed length only narrows the view', async () => {
  for (const claimed of [10, 0, -1]) {
    await bothReject([lying('byteLength', claimed), good.artifact, good.policy], failedAt('parse'));
    await bothReject([c.bundle, { artifact: lying('byteLength', claimed) }, good.policy], failedAt('artifact-mismatch'));
    assert.throws(() => TrustedRoot.fromJSON(lying('byteLength', claimed)), failedAt('trusted-root'));
  }
});

test('the addon reads a typed array by its real extent, whatever its properties claim', () => {
  const v = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const policy = { identities: [{ identity: IDENTITY, issuer: ISSUER }] };
  const bundle = new Uint8Array(c.bundle);
  Object.defineProperty(bundle, 'byteLength', { value: 2 ** 40 });
  Object.defineProperty(bundle, 'length', { value: 2 ** 40 });
  const artifact = new Uint8Array(c.artifact);
  Object.defineProperty(artifact, 'byteLength', { value: 1 });
  nativeOk(v.verify(bundle, artifact, undefined, policy));
});

test('views into larger buffers are read within their bounds only', async () => {
  const junk = (n) => Buffer.alloc(n, '}{\xff"', 'latin1');
  const bundle = Buffer.concat([junk(4096), c.bundle, junk(4096)]).subarray(4096, 4096 + c.bundle.length);
  const artifact = Buffer.concat([junk(1), c.artifact, junk(1)]).subarray(1, 1 + c.artifact.length);
  assert.equal(verifier.verify(bundle, { artifact }, good.policy).verified, true);
  assert.equal((await verifier.verifyAsync(bundle, { artifact }, good.policy)).verified, true);
  const u8 = new Uint8Array(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  assert.equal(verifier.verify(u8, { artifact }, good.policy).verified, true);
});

test('detached, shared and resizable buffers', async () => {
  const detached = new Uint8Array(c.bundle);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  assert.equal(detached.byteLength, 0);
  await bothReject([detached, good.artifact, good.policy], exactly(TypeError, { message: /detached/ }));
  await bothReject([c.bundle, { artifact: detached }, good.policy], exactly(TypeError, { message: /detached/ }));
  const shared = new Uint8Array(new SharedArrayBuffer(c.bundle.length));
  shared.set(c.bundle);
  assert.equal(verifier.verify(shared, good.artifact, good.policy).verified, true);
  const resizable = new ArrayBuffer(c.bundle.length, { maxByteLength: GIGANTIC });
  new Uint8Array(resizable).set(c.bundle);
  const tracking = new Uint8Array(resizable);
  assert.equal((await verifier.verifyAsync(tracking, good.artifact, good.policy)).verified, true);
  resizable.resize(1);
  await bothReject([tracking, good.artifact, good.policy], failedAt('parse'));
  // The addon sees the detached view as empty.
  const v = new native.NativeVerifier(native.NativeTrustedRoot.production());
  assert.equal(nativeCode(v.verify(detached, c.artifact, undefined, { identities: [{ identity: IDENTITY, issuer: ISSUER }] })), ErrorCodes.parse);
});

test('a buffer changed after verifyAsync returns does not change the answer', async () => {
  const bundle = Buffer.from(c.bundle);
  const pending = verifier.verifyAsync(bundle, good.artifact, good.policy);
  bundle.fill(0);
  assert.equal((await pending).verified, true);
});

// ---------------------------------------------------------------------------
// Invalid UTF-8 and unpaired surrogates

test('invalid UTF-8 in bundles and trusted roots', async () => {
  await bothReject([Buffer.from([0xff, 0xfe, 0xfd]), good.artifact, good.policy], failedAt('parse'));
  assert.throws(() => TrustedRoot.fromJSON(Buffer.from([0xff, 0xfe, 0xfd])), failedAt('trusted-root'));
  const at = (buf, bad) => {
    const marker = Buffer.from('"mediaType": "');
    assert.ok(buf.includes(marker));
    const i = buf.indexOf(marker) + marker.length;
    return Buffer.concat([buf.subarray(0, i), Buffer.from(bad), buf.subarray(i)]);
  };
  for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]) {
    await bothReject([at(c.bundle, bad), good.artifact, good.policy], failedAt('parse', /invalid unicode|UTF-8/));
    assert.throws(() => TrustedRoot.fromJSON(at(ROOT_JSON, bad)), failedAt('trusted-root'));
  }
});

test('invalid UTF-8 keys; artifacts are bytes', async () => {
  for (const publicKey of [Buffer.alloc(64, 0xff), Buffer.from('-----BEGIN PUBLIC KEY-----\n\xff\xfe\n-----END PUBLIC KEY-----\n', 'latin1')]) {
    await bothReject([keyCase.bundle, { artifact: keyCase.artifact }, { publicKey }], failedAt('policy-misuse'), keyCase.verifier);
  }
  await bothReject([c.bundle, { artifact: Buffer.concat([Buffer.from([0xff]), c.artifact]) }, good.policy], failedAt('artifact-mismatch'));
});

test('unpaired surrogates in strings become U+FFFD, never raw bytes', async () => {
  const lone = '\ud800';
  const text = c.bundle.toString('utf8');
  assert.ok(text.includes('"mediaType": "'));
  const raw = text.replace('"mediaType": "', `"mediaType": "${lone}`);
  await bothReject([raw, good.artifact, good.policy], failedAt('unsupported-version', /\ufffd/));
  // As an object, JSON.stringify writes the surrogate as a \ud800 escape, which JSON parsers refuse.
  const doc = JSON.parse(c.bundle);
  doc.mediaType += lone;
  await bothReject([doc, good.artifact, good.policy], failedAt('parse', /escape|surrogate/));
  await bothReject([c.bundle, good.artifact, { identity: IDENTITY + lone, issuer: ISSUER }], failedAt('identity'));
  await bothReject([c.bundle, good.artifact, { identityRegex: lone, issuer: ISSUER }], failedAt('identity'));
  await bothReject([c.bundle, { digest: `sha256:${lone}` }, good.policy], failedAt('policy-misuse'));
  await bothReject([keyCase.bundle, { artifact: keyCase.artifact }, { publicKey: lone }], failedAt('policy-misuse'), keyCase.verifier);
  assert.throws(() => TrustedRoot.fromJSON(lone), failedAt('trusted-root'));
});

test('NUL bytes', async () => {
  await bothReject([Buffer.concat([Buffer.from([0]), c.bundle]), good.artifact, good.policy], failedAt('parse'));
  await bothReject([c.bundle, good.artifact, { identity: `${IDENTITY}\0`, issuer: ISSUER }], failedAt('identity'));
  await bothReject([c.bundle, { digest: `${c.digest}\0` }, good.policy], failedAt('policy-misuse'));
});

// ---------------------------------------------------------------------------
// Hostile objects: conversions that throw or return the wrong thing

class Boom extends Error {}

test('a throwing toJSON, getter or Proxy trap propagates unchanged', async () => {
  const boom = () => {
    throw new Boom('boom');
  };
  const hostile = {
    'bundle toJSON': [{ toJSON: boom }, good.artifact, good.policy],
    'bundle getter': [{ get mediaType() { return boom(); } }, good.artifact, good.policy],
    'bundle Proxy': [new Proxy({}, { ownKeys: boom }), good.artifact, good.policy],
    'artifact getter': [c.bundle, { get artifact() { return boom(); } }, good.policy],
    'artifact Proxy': [c.bundle, new Proxy({ artifact: c.artifact }, { get: boom }), good.policy],
    'artifact buffer getter': [c.bundle, { artifact: Object.defineProperty(new Uint8Array(4), 'buffer', { get: boom }) }, good.policy],
    'policy getter': [c.bundle, good.artifact, { issuer: ISSUER, get identity() { return boom(); } }],
    'policy Proxy': [c.bundle, good.artifact, new Proxy({}, { ownKeys: boom })],
    'policy list getter': [c.bundle, good.artifact, Object.defineProperty([{}], 0, { get: boom })],
    'KeyObject export': [keyCase.bundle, { artifact: keyCase.artifact }, { publicKey: { type: 'public', export: boom } }],
  };
  for (const [name, args] of Object.entries(hostile)) {
    assert.throws(() => verifier.verify(...args), exactly(Boom), name);
    await assert.rejects(verifier.verifyAsync(...args), exactly(Boom), name);
  }
  assert.throws(() => TrustedRoot.fromJSON({ toJSON: boom }), exactly(Boom));
});

test('toString is never called to turn an object into text', async () => {
  const poisoned = { toString: () => { throw new Boom('toString'); }, [Symbol.toPrimitive]: () => { throw new Boom('toPrimitive'); } };
  await bothReject([c.bundle, good.artifact, { identity: poisoned, issuer: ISSUER }], exactly(TypeError));
  await bothReject([c.bundle, { digest: poisoned }, good.policy], exactly(TypeError));
  await bothReject([c.bundle, good.artifact, { publicKey: poisoned }], exactly(TypeError));
  // A plain object bundle is JSON-serialised (its toString is never called).
  await bothReject([poisoned, good.artifact, good.policy], failedAt('parse'));
});

test('values JSON cannot represent', async () => {
  const cyclic = {};
  cyclic.self = cyclic;
  await bothReject([cyclic, good.artifact, good.policy], exactly(TypeError, { message: /circular/ }));
  await bothReject([{ n: 1n }, good.artifact, good.policy], exactly(TypeError, { message: /BigInt/ }));
  assert.throws(() => TrustedRoot.fromJSON(cyclic), exactly(TypeError, { message: /circular/ }));
});

test('a KeyObject-like whose export returns no bytes is refused by the addon', async () => {
  for (const exported of [42, 'pem', null, {}, [1, 2]]) {
    const publicKey = { type: 'public', export: () => exported };
    await bothReject([keyCase.bundle, { artifact: keyCase.artifact }, { publicKey }], exactly(Error, { code: 'InvalidArg' }), keyCase.verifier);
  }
});

test('binary containers other than Uint8Array and ArrayBuffer are type errors, not JSON objects', async () => {
  await bothReject([new Uint16Array([0x7b7b]), good.artifact, good.policy],
    exactly(TypeError, { message: /bundle must be .* got a Uint16Array$/ }));
  await bothReject([new DataView(c.bundle.buffer.slice(0)), good.artifact, good.policy],
    exactly(TypeError, { message: /bundle must be .* got a DataView$/ }));
  await bothReject([new SharedArrayBuffer(8), good.artifact, good.policy],
    exactly(TypeError, { message: /bundle must be .* got a SharedArrayBuffer$/ }));
  assert.throws(() => TrustedRoot.fromJSON(new Float64Array(2)),
    exactly(TypeError, { message: /got a Float64Array$/ }));
});

// ---------------------------------------------------------------------------
// verifyDsse: a DSSE bundle without its artifact

test('verifyDsse: wrong types', () => {
  const bad = [
    [undefined, dsse.policy],
    [null, dsse.policy],
    [42, dsse.policy],
    [[], dsse.policy],
    [Symbol('b'), dsse.policy],
    [dsse.bundle, undefined],
    [dsse.bundle, null],
    [dsse.bundle, IDENTITY],
    [dsse.bundle, {}],
    [dsse.bundle, []],
    [dsse.bundle, [null]],
    [dsse.bundle, { identity: '', issuer: ISSUER }],
    [dsse.bundle, { identity: { toString: () => IDENTITY }, issuer: ISSUER }],
    [dsse.bundle, { publicKey: 1 }],
    [dsse.bundle, { ...dsse.policy, artifact: dsse.artifact }],
  ];
  for (const args of bad) {
    assert.throws(() => dsse.verifier.verifyDsse(...args), exactly(TypeError));
  }
  assert.equal(dsse.verifier.verifyDsse(dsse.bundle, dsse.policy).verified, true, 'the good call verifies');
});

test('extra arguments are refused, not ignored', async () => {
  const v = dsse.verifier;
  // Python's order, verify_dsse(bundle, policy, input): the artifact would go unchecked.
  assert.throws(() => v.verifyDsse(dsse.bundle, dsse.policy, { artifact: dsse.artifact }),
    exactly(TypeError, { message: /^verifyDsse takes \(bundle, policy\); to check an artifact, use verify/ }));
  assert.throws(() => v.verifyDsse(dsse.bundle, dsse.policy, undefined), exactly(TypeError));
  const artifact = { artifact: dsse.artifact };
  assert.throws(() => v.verify(dsse.bundle, artifact, dsse.policy, {}),
    exactly(TypeError, { message: /^verify takes \(bundle, artifact, policy\)$/ }));
  await assert.rejects(v.verifyAsync(dsse.bundle, artifact, dsse.policy, {}),
    exactly(TypeError, { message: /^verifyAsync takes/ }));
  assert.equal(v.verify(dsse.bundle, artifact, dsse.policy).artifactBound, true);
});

test('verifyDsse: empty, truncated, gigantic and invalid UTF-8 bundles', () => {
  const v = dsse.verifier;
  for (const empty of ['', Buffer.alloc(0), new ArrayBuffer(0), {}]) {
    assert.throws(() => v.verifyDsse(empty, dsse.policy), failedAt('parse'));
  }
  for (const part of prefixes(dsse.bundle, 16)) {
    assert.throws(() => v.verifyDsse(part, dsse.policy), failedAt('parse'));
  }
  assert.throws(() => v.verifyDsse(Buffer.alloc(GIGANTIC, 0x20), dsse.policy), failedAt('limit'));
  assert.throws(() => v.verifyDsse('['.repeat(100_000), dsse.policy), failedAt('limit'));
  assert.throws(() => v.verifyDsse(Buffer.from([0xff, 0xfe]), dsse.policy), failedAt('parse'));
  assert.throws(() => v.verifyDsse(lying('byteLength', 2 ** 40), dsse.policy), exactly(RangeError, { code: 'ERR_BUFFER_OUT_OF_BOUNDS' }));
  // A message signature can only be checked against its artifact.
  assert.throws(() => verifier.verifyDsse(c.bundle, good.policy), failedAt('policy-misuse'));
  assert.throws(() => keyCase.verifier.verifyDsse(keyCase.bundle, { publicKey: '' }), failedAt('policy-misuse'));
});

test('verifyDsse: hostile objects and a foreign receiver', () => {
  const boom = () => {
    throw new Boom('boom');
  };
  assert.throws(() => dsse.verifier.verifyDsse({ toJSON: boom }, dsse.policy), exactly(Boom));
  assert.throws(() => dsse.verifier.verifyDsse(dsse.bundle, new Proxy({}, { ownKeys: boom })), exactly(Boom));
  assert.throws(() => dsse.verifier.verifyDsse(dsse.bundle, { publicKey: { type: 'public', export: boom } }), exactly(Boom));
  for (const self of [{}, TrustedRoot.production()]) {
    assert.throws(() => Verifier.prototype.verifyDsse.call(self, dsse.bundle, dsse.policy), exactly(TypeError));
  }
});

// ---------------------------------------------------------------------------
// The native addon called directly (index.js is the only supported caller,
// but the addon must not trust it)

const nativePolicy = { identities: [{ identity: IDENTITY, issuer: ISSUER }] };

/** A native answer that is neither a failure nor an internal error (its success shape is index.js's business). */
function nativeOk(out) {
  assert.ok(out && out.failure == null && out.internal == null, JSON.stringify(out && (out.failure || out.internal)));
  return true;
}

/** The core error code of a native answer that must be a failure. */
function nativeCode(out) {
  assert.ok(out && out.failure, `expected a failure, got ${JSON.stringify(out)}`);
  assert.equal(out.internal == null, true);
  return out.failure.code;
}

test('addon: wrong argument types', () => {
  const v = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const bad = [
    [() => native.NativeTrustedRoot.fromJson(), 'InvalidArg'],
    [() => native.NativeTrustedRoot.fromJson(null), 'InvalidArg'],
    [() => native.NativeTrustedRoot.fromJson('{}'), 'InvalidArg'],
    [() => native.NativeTrustedRoot.fromJson(42), 'InvalidArg'],
    [() => native.NativeTrustedRoot.fromJson(new ArrayBuffer(4)), 'InvalidArg'],
    [() => native.NativeTrustedRoot.fromJson(new DataView(new ArrayBuffer(4))), 'InvalidArg'],
    [() => native.NativeTrustedRoot.fromJson(new Uint16Array(4)), 'InvalidArg'],
    [() => native.NativeTrustedRoot.fromJson(new Float64Array(4)), 'InvalidArg'],
    [() => v.verify(), 'InvalidArg'],
    [() => v.verify(null, c.artifact, undefined, nativePolicy), 'InvalidArg'],
    [() => v.verify('{}', c.artifact, undefined, nativePolicy), 'InvalidArg'],
    [() => v.verify(c.bundle, 'artifact', undefined, nativePolicy), 'InvalidArg'],
    [() => v.verify(c.bundle, new Uint32Array(2), undefined, nativePolicy), 'InvalidArg'],
    [() => v.verify(c.bundle, undefined, 42, nativePolicy), 'StringExpected'],
    [() => v.verify(c.bundle, undefined, Buffer.from('sha256:00'), nativePolicy), 'StringExpected'],
    [() => v.verify(c.bundle, c.artifact, undefined, { identities: 5 }), 'ArrayExpected'],
    [() => v.verify(c.bundle, c.artifact, undefined, { identities: new Proxy([], {}) }), 'ArrayExpected'],
    [() => v.verify(c.bundle, c.artifact, undefined, { identities: [{ identity: 5, issuer: ISSUER }] }), 'StringExpected'],
    [() => v.verify(c.bundle, c.artifact, undefined, { identities: [{ identity: { toString: () => IDENTITY }, issuer: ISSUER }] }), 'StringExpected'],
    [() => v.verify(c.bundle, c.artifact, undefined, { keys: [{ publicKey: 42 }] }), 'InvalidArg'],
    [() => v.verify(c.bundle, c.artifact, undefined, { keys: [{ publicKey: 'pem' }] }), 'InvalidArg'],
    [() => v.verify(c.bundle, c.artifact, undefined, { keys: 5 }), 'ArrayExpected'],
    [() => v.verify(c.bundle, c.artifact, undefined, { keys: [{ publicKey: Buffer.from('k'), validFromMs: 'x' }] }), 'NumberExpected'],
    [() => v.verifyAsync(null, c.artifact, undefined, nativePolicy), 'InvalidArg'],
    [() => v.verifyDsse(null, nativePolicy), 'InvalidArg'],
    [() => v.verifyDsse('{}', nativePolicy), 'InvalidArg'],
    [() => v.verifyDsse(dsse.bundle, { identities: 'x' }), 'ArrayExpected'],
    [() => v.verifyDsse(dsse.bundle, { keys: [{ publicKey: 7 }] }), 'InvalidArg'],
    [() => v.verifyAsync(c.bundle, c.artifact, undefined, { identities: [{ issuer: 7 }] }), 'StringExpected'],
  ];
  for (const [call, code] of bad) {
    assert.throws(call, exactly(Error, { code }), String(call));
  }
  // null/undefined where an object is needed: V8's own TypeError.
  for (const policy of [null, undefined]) {
    assert.throws(() => v.verify(c.bundle, c.artifact, undefined, policy), exactly(TypeError));
    assert.throws(() => v.verifyDsse(dsse.bundle, policy), exactly(TypeError));
  }
  assert.throws(() => v.verify(c.bundle, c.artifact, undefined, { identities: [null] }), exactly(TypeError));
  assert.throws(() => v.verify(c.bundle, c.artifact, undefined, { identities: [,] }), exactly(TypeError));
});

test('addon: consistent types, inconsistent values are policy-misuse failures', async () => {
  const v = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const cases = [
    [c.bundle, c.artifact, c.digest, nativePolicy],
    [c.bundle, undefined, undefined, nativePolicy],
    [c.bundle, null, null, nativePolicy],
    [c.bundle, c.artifact, undefined, {}],
    [c.bundle, c.artifact, undefined, { identities: [] }],
    [c.bundle, c.artifact, undefined, { identities: nativePolicy.identities, keys: [{ publicKey: Buffer.from('k') }] }],
    [c.bundle, c.artifact, undefined, { keys: [] }],
    [c.bundle, c.artifact, undefined, { keys: [{ publicKey: Buffer.from('k'), validFromMs: NaN }] }],
    [c.bundle, c.artifact, undefined, { keys: [{ publicKey: Buffer.from('k'), validFromMs: 2, validUntilMs: 1 }] }],
    [c.bundle, c.artifact, undefined, { identities: [{ identity: 'a', identityRegex: 'a', issuer: ISSUER }] }],
    [c.bundle, c.artifact, undefined, { identities: [{ issuer: ISSUER }] }],
    [c.bundle, c.artifact, undefined, { identities: [{}] }],
    [c.bundle, c.artifact, undefined, { identities: [{ identityRegex: '(', issuer: ISSUER }] }],
    [c.bundle, undefined, 'sha256:zz', nativePolicy],
  ];
  for (const args of cases) {
    assert.equal(nativeCode(v.verify(...args)), ErrorCodes['policy-misuse']);
    assert.equal(nativeCode(await v.verifyAsync(...args)), ErrorCodes['policy-misuse']);
  }
  for (const policy of cases.map((args) => args[3]).filter((p) => p !== nativePolicy)) {
    assert.equal(nativeCode(v.verifyDsse(dsse.bundle, policy)), ErrorCodes['policy-misuse']);
  }
});

test('addon: empty, truncated, gigantic and invalid UTF-8 trusted roots', () => {
  const failure = (json) => native.NativeTrustedRoot.fromJson(json).failure();
  assert.equal(failure(Buffer.alloc(0)).code, ErrorCodes['trusted-root']);
  assert.equal(failure(ROOT_JSON.subarray(0, ROOT_JSON.length >> 1)).code, ErrorCodes['trusted-root']);
  assert.equal(failure(Buffer.from([0xff])).code, ErrorCodes['trusted-root']);
  assert.equal(failure(Buffer.alloc(GIGANTIC, 0x20)).code, ErrorCodes.limit);
  assert.equal(failure(ROOT_JSON), null);
  // An unusable root cannot make a verifier.
  assert.throws(() => new native.NativeVerifier(native.NativeTrustedRoot.fromJson(Buffer.alloc(0))), exactly(Error, { message: /trusted-root/ }));
});

test('addon: handles of the wrong class', async () => {
  const root = native.NativeTrustedRoot.production();
  const v = new native.NativeVerifier(root);
  for (const bad of [v, {}, null, undefined, 42, Object.create(native.NativeTrustedRoot.prototype), Buffer.from(ROOT_JSON)]) {
    assert.throws(() => new native.NativeVerifier(bad), exactly(Error, { code: 'InvalidArg' }));
  }
  // Methods called on an object of the other class, or on a plain object.
  const args = [c.bundle, c.artifact, undefined, nativePolicy];
  for (const self of [root, {}, Object.create(native.NativeVerifier.prototype)]) {
    assert.throws(() => native.NativeVerifier.prototype.verify.apply(self, args), exactly(TypeError, { message: 'Illegal invocation' }));
    assert.throws(() => native.NativeVerifier.prototype.verifyAsync.apply(self, args), exactly(TypeError, { message: 'Illegal invocation' }));
    assert.throws(() => native.NativeVerifier.prototype.verifyDsse.call(self, dsse.bundle, nativePolicy), exactly(TypeError, { message: 'Illegal invocation' }));
  }
  for (const self of [v, {}, Object.create(native.NativeTrustedRoot.prototype)]) {
    assert.throws(() => native.NativeTrustedRoot.prototype.failure.call(self), exactly(TypeError, { message: 'Illegal invocation' }));
  }
  assert.throws(() => new native.NativeTrustedRoot(), exactly(Error));
  // Reflect.construct with another class as new.target still yields a NativeVerifier
  // that only NativeVerifier methods accept.
  const odd = Reflect.construct(native.NativeVerifier, [root], native.NativeTrustedRoot);
  assert.throws(() => odd.failure(), exactly(TypeError, { message: 'Illegal invocation' }));
  nativeOk(native.NativeVerifier.prototype.verify.apply(odd, args));
});

test('addon: the constructor called without new cannot forge a verifier', () => {
  const root = native.NativeTrustedRoot.production();
  const target = {};
  Reflect.apply(native.NativeVerifier, target, [root]);
  assert.throws(() => Reflect.apply(native.NativeVerifier, target, [root]), exactly(Error, { code: 'InvalidArg' }), 'an object is wrapped once');
  assert.throws(() => Reflect.apply(native.NativeVerifier, root, [root]), exactly(Error, { code: 'InvalidArg' }));
  const args = [c.bundle, c.artifact, undefined, nativePolicy];
  assert.throws(() => native.NativeVerifier.prototype.verify.apply(target, args), exactly(TypeError, { message: 'Illegal invocation' }));
});

test('addon: JS exceptions raised during argument conversion propagate', async () => {
  const v = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const throwing = Object.defineProperty([{}], 0, { get: () => { throw new Boom('element'); } });
  assert.throws(() => v.verify(c.bundle, c.artifact, undefined, { identities: throwing }), exactly(Boom));
  assert.throws(() => v.verifyAsync(c.bundle, c.artifact, undefined, { identities: throwing }), exactly(Boom));
  const policy = Object.defineProperty({}, 'identities', { enumerable: true, get: () => { throw new Boom('policy'); } });
  assert.throws(() => v.verify(c.bundle, c.artifact, undefined, policy), exactly(Boom));
  const identity = { issuer: ISSUER, get identity() { throw new Boom('identity'); } };
  assert.throws(() => v.verify(c.bundle, c.artifact, undefined, { identities: [identity] }), exactly(Boom));
  assert.throws(() => v.verifyDsse(dsse.bundle, { identities: throwing }), exactly(Boom));
  // The addon is still usable afterwards.
  nativeOk(v.verify(c.bundle, c.artifact, undefined, nativePolicy));
  nativeOk(await v.verifyAsync(c.bundle, c.artifact, undefined, nativePolicy));
});

test('addon: gigantic and hostile data gives failures, sync and async', async () => {
  const v = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const cases = [
    [Buffer.alloc(GIGANTIC, 0x20), ErrorCodes.limit],
    [Buffer.from('['.repeat(100_000)), ErrorCodes.limit],
    [Buffer.alloc(0), ErrorCodes.parse],
    [c.bundle.subarray(0, c.bundle.length >> 1), ErrorCodes.parse],
    [Buffer.from([0xff, 0xfe]), ErrorCodes.parse],
  ];
  for (const [bundle, code] of cases) {
    assert.equal(nativeCode(v.verify(bundle, c.artifact, undefined, nativePolicy)), code);
    assert.equal(nativeCode(await v.verifyAsync(bundle, c.artifact, undefined, nativePolicy)), code);
    assert.equal(nativeCode(v.verifyDsse(bundle, nativePolicy)), code);
  }
});

test('addon: many handles and tasks are created and collected', async () => {
  const v = new native.NativeVerifier(native.NativeTrustedRoot.production());
  const pending = [];
  const expected = [];
  for (let i = 0; i < 16; i++) {
    const root = native.NativeTrustedRoot.fromJson(i % 4 ? Buffer.from('{') : ROOT_JSON);
    if (!root.failure()) new native.NativeVerifier(root);
    const bundle = i % 3 ? c.bundle : Buffer.alloc(i);
    const digest = i % 5 ? undefined : c.digest;
    pending.push(v.verifyAsync(bundle, c.artifact, digest, nativePolicy));
    expected.push(digest ? ErrorCodes['policy-misuse'] : i % 3 ? undefined : ErrorCodes.parse);
  }
  const outcomes = await Promise.all(pending);
  assert.deepEqual(outcomes.map((o) => (o.failure ? o.failure.code : undefined)), expected);
  assert.ok(outcomes.every((o) => o.internal == null));
  // Under `node --expose-gc` (as in make node-memcheck) the finalizers run now.
  if (typeof global.gc === 'function') {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
    global.gc();
  }
  nativeOk(v.verify(c.bundle, c.artifact, undefined, nativePolicy));
});
