'use strict';
// sigverify for Node: offline Sigstore bundle verification in-process.
//
// This file is the public API. It checks arguments (TypeError for misuse),
// turns the native layer's failure records into SigverifyError, and shapes
// the result. The native addon (sigverify.node, built by `npm run build`)
// does all parsing and cryptography.

const util = require('node:util');

let native;
try {
  native = require('./sigverify.node');
} catch (e) {
  const err = new Error(
    'sigverify: cannot load the native addon ./sigverify.node; ' +
      'build it with `npm install && npm run build` in the package directory' +
      ` (${e && e.message})`,
  );
  err.cause = e;
  throw err;
}

// Error kinds come from the core (ErrorKind::ALL), never from a copy here.
const KINDS = native.errorKinds();
const STEP_BY_CODE = new Map(KINDS.map((k) => [k.code, k.step]));
/** step name -> stable numeric code, e.g. ErrorCodes['inclusion-proof'] === 6 */
const ErrorCodes = Object.freeze(Object.fromEntries(KINDS.map((k) => [k.step, k.code])));

/**
 * A verification failure. `code` and `step` are the core's ErrorKind code and
 * step name (the same codes as the C ABI and the Python binding).
 */
class SigverifyError extends Error {
  constructor(code, message) {
    const step = STEP_BY_CODE.get(code);
    if (step === undefined) throw new TypeError(`unknown sigverify error code ${code}`);
    super(`${step}: ${message}`);
    this.name = 'SigverifyError';
    this.code = code;
    this.step = step;
  }
}

function raise(failure) {
  throw new SigverifyError(failure.code, failure.message);
}

const kNative = Symbol('sigverify.native');

function isBytes(v) {
  return v instanceof Uint8Array;
}

function asBuffer(u8) {
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

// Binary containers are never JSON objects: a Uint16Array or DataView of a
// bundle would otherwise be serialised as {"0":...} and fail as a parse error.
function isBinary(v) {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);
}

function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isBinary(v);
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isBytes(v)) return 'a byte array';
  if (isBinary(v)) return `a ${Object.prototype.toString.call(v).slice(8, -1)}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** JSON input given as an object, a string or bytes -> Buffer of JSON text. */
function jsonBytes(value, what) {
  if (isBytes(value)) return asBuffer(value);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (isPlainObject(value)) return Buffer.from(JSON.stringify(value), 'utf8');
  throw new TypeError(`${what} must be an object, a JSON string, a Buffer, a Uint8Array or an ArrayBuffer, got ${describe(value)}`);
}

// The argument checks run before every call, right after the previous call's
// verification has evicted the CPU caches: plain loops, no closures or
// spreads (half the time of Array.prototype.filter and object spread there).

/**
 * TypeError if `obj` has an own enumerable key outside `allowed` whose value
 * is not undefined. Reads every value first, in key order, then checks.
 */
function rejectUnknownKeys(obj, allowed, what) {
  const keys = Object.keys(obj);
  let unknown;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (obj[k] !== undefined && unknown === undefined && !allowed.includes(k)) unknown = k;
  }
  if (unknown !== undefined) {
    throw new TypeError(`${what} has an unknown option ${JSON.stringify(unknown)} (allowed: ${allowed.join(', ')})`);
  }
}

function artifactArgs(artifact) {
  if (!isPlainObject(artifact)) {
    throw new TypeError(
      `artifact must be { artifact: Buffer } or { digest: 'sha256:<hex>' }, got ${describe(artifact)}`,
    );
  }
  rejectUnknownKeys(artifact, ['artifact', 'digest'], 'artifact');
  const hasBytes = artifact.artifact !== undefined;
  const hasDigest = artifact.digest !== undefined;
  if (hasBytes === hasDigest) {
    throw new TypeError('artifact needs exactly one of { artifact: Buffer } or { digest: string }');
  }
  if (hasBytes) {
    if (!isBytes(artifact.artifact)) {
      throw new TypeError(
        `artifact.artifact must be a Buffer or Uint8Array of the artifact's bytes, got ${describe(artifact.artifact)}`,
      );
    }
    return [asBuffer(artifact.artifact), undefined];
  }
  if (typeof artifact.digest !== 'string') {
    throw new TypeError(`artifact.digest must be a string like 'sha256:<hex>', got ${describe(artifact.digest)}`);
  }
  return [undefined, artifact.digest];
}

const IDENTITY_KEYS = ['identity', 'identityRegex', 'issuer', 'issuerRegex', 'extensions', 'extensionsRegex'];

/** Copy exactly one of `obj[exact]` and `obj[regex]`, a non-empty string, to `out`. */
function oneOf(out, obj, exact, regex, what) {
  const hasExact = obj[exact] !== undefined;
  const hasRegex = obj[regex] !== undefined;
  if (hasExact === hasRegex) {
    throw new TypeError(`${what} needs exactly one of ${exact} (exact match) or ${regex}`);
  }
  const key = hasExact ? exact : regex;
  const value = obj[key];
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${what}.${key} must be a non-empty string, got ${describe(value)}`);
  }
  out[key] = value;
}

function identityArgs(p, what) {
  if (!isPlainObject(p)) throw new TypeError(`${what} must be an object, got ${describe(p)}`);
  rejectUnknownKeys(p, IDENTITY_KEYS, what);
  const out = {};
  oneOf(out, p, 'identity', 'identityRegex', what);
  oneOf(out, p, 'issuer', 'issuerRegex', what);
  // Fulcio claims: { name or OID: value }, exact or full-match regex.
  const claims = [];
  for (const [key, regex] of [['extensions', false], ['extensionsRegex', true]]) {
    const map = p[key];
    if (map === undefined) continue;
    // A plain object only: a Map's entries are not own keys, so it would require nothing.
    if (!isPlainObject(map) || ![Object.prototype, null].includes(Object.getPrototypeOf(map))) {
      throw new TypeError(`${what}.${key} must be an object of claim name to string, got ${describe(map)}`);
    }
    for (const name of Object.keys(map)) {
      const value = map[name];
      if (typeof value !== 'string' || value === '') {
        throw new TypeError(`${what}.${key}[${JSON.stringify(name)}] must be a non-empty string, got ${describe(value)}`);
      }
      claims.push({ name, value, regex });
    }
  }
  if (claims.length > 0) out.claims = claims;
  return out;
}

function publicKeyBytes(key, what) {
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  if (isBytes(key)) return asBuffer(key);
  // A node:crypto KeyObject holding a public key.
  if (key && typeof key === 'object' && key.type === 'public' && typeof key.export === 'function') {
    return key.export({ type: 'spki', format: 'der' });
  }
  throw new TypeError(`${what}.publicKey must be a PEM string, a DER Buffer or a public KeyObject, got ${describe(key)}`);
}

function keyArgs(policy, what) {
  rejectUnknownKeys(policy, ['publicKey', 'validFrom', 'validUntil'], 'a publicKey policy');
  const out = { publicKey: publicKeyBytes(policy.publicKey, what) };
  // A window the key is trusted for (a rotated or revoked key), as Date milliseconds.
  // A present but undefined bound is refused rather than read as "no bound":
  // `validUntil: revokedAt` with revokedAt unset must not trust the key forever.
  // Read as publicKey is (inherited properties and getters included), so no
  // bound the caller gave is ever left out.
  for (const [key, field, none] of [['validFrom', 'validFromMs', 'start'], ['validUntil', 'validUntilMs', 'end']]) {
    if (!(key in policy)) continue;
    const date = policy[key];
    // Dates of any realm; the intrinsic getTime, not an own-property override.
    const ms = util.types.isDate(date) ? Date.prototype.getTime.call(date) : NaN;
    if (Number.isNaN(ms)) {
      throw new TypeError(`${what}.${key} must be a valid Date (leave it out for no ${none}), got ${describe(date)}`);
    }
    out[field] = ms;
  }
  return out;
}

const isKeyPolicy = (p) => isPlainObject(p) && p.publicKey !== undefined;

function policyArgs(policy) {
  if (Array.isArray(policy)) {
    if (policy.length === 0) throw new TypeError('a policy list must not be empty');
    // A keyring (any one key may have signed) or identities (any one may match).
    if (policy.some(isKeyPolicy)) {
      if (!policy.every(isKeyPolicy)) {
        throw new TypeError('a policy list holds identities or public keys, not both');
      }
      return { keys: policy.map((p, i) => keyArgs(p, `policy[${i}]`)) };
    }
    return { identities: policy.map((p, i) => identityArgs(p, `policy[${i}]`)) };
  }
  if (!isPlainObject(policy)) {
    throw new TypeError(
      `policy must be { identity | identityRegex, issuer | issuerRegex }, { publicKey }, or a list of either, got ${describe(policy)}`,
    );
  }
  if (policy.publicKey !== undefined) return { keys: [keyArgs(policy, 'policy')] };
  return { identities: [identityArgs(policy, 'policy')] };
}

function verifyArgs(bundle, artifact, policy) {
  const [bytes, digest] = artifactArgs(artifact);
  return [jsonBytes(bundle, 'bundle'), bytes, digest, policyArgs(policy)];
}

// Fulcio claim extensions (OID 1.3.6.1.4.1.57264.1.<arc>) by arc, as result keys.
const CLAIM_KEYS = {
  1: 'issuerV1',
  2: 'githubWorkflowTrigger',
  3: 'githubWorkflowSHA',
  4: 'githubWorkflowName',
  5: 'githubWorkflowRepository',
  6: 'githubWorkflowRef',
  8: 'issuerV2',
  9: 'buildSignerURI',
  10: 'buildSignerDigest',
  11: 'runnerEnvironment',
  12: 'sourceRepositoryURI',
  13: 'sourceRepositoryDigest',
  14: 'sourceRepositoryRef',
  15: 'sourceRepositoryIdentifier',
  16: 'sourceRepositoryOwnerURI',
  17: 'sourceRepositoryOwnerIdentifier',
  18: 'buildConfigURI',
  19: 'buildConfigDigest',
  20: 'buildTrigger',
  21: 'runInvocationURI',
  22: 'sourceRepositoryVisibilityAtSigning',
  23: 'deploymentEnvironment',
  24: 'tokenSubject',
};
const FULCIO_ARC = '1.3.6.1.4.1.57264.1.';

function claimsOf(extensions) {
  const claims = {};
  for (const ext of extensions) {
    if (!ext.oid.startsWith(FULCIO_ARC)) continue;
    const key = CLAIM_KEYS[ext.oid.slice(FULCIO_ARC.length)];
    if (key !== undefined) claims[key] = ext.value;
  }
  return claims;
}

// ---- Results
//
// A result is a plain object (prototype Object.prototype, the same keys in
// the same order and the same values as ever), built with as little work per
// call as possible, since most callers read only the signer. The addon
// returns JS values only, which the garbage collector frees with the result:
// a number holding the scalars, the signer's SAN and issuer, and the whole
// result as JSON text (written natively, on the worker thread for
// verifyAsync) with the ranges of its fields. Every field but the scalars and
// the SAN and issuer is an enumerable accessor that parses its range of that
// text on first read and then replaces itself with an ordinary data property
// holding the value. JSON.stringify, Object.keys, spread, structuredClone
// and assert.deepStrictEqual read through the accessors, so they see what
// they would see on an eagerly built object; util.inspect (console.log)
// shows the values too. A result owns its data: it outlives its verifier.
//
// The accessors' functions are shared by all results (they find the text in
// a non-enumerable symbol-keyed property): V8 then reuses one hidden class
// for all results, where per-object closures would cost microseconds per
// call.

const kText = Symbol('sigverify.result');
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

// The summary's labels and the order of the sections come from the addon.
const LABELS = native.resultLabels();
const SECTION = Object.fromEntries(LABELS.sections.map((name, i) => [name, i]));

/** A result's JSON text and the ranges of its fields, shared by the result and its identity. */
class ResultText {
  constructor(verified) {
    this.json = verified.json;
    this.sections = verified.sections;
  }

  /** The text of field `name`'s value. */
  section(name) {
    if (typeof this.sections === 'string') this.sections = this.sections.split(',').map(Number);
    const i = 2 * SECTION[name];
    return this.json.slice(this.sections[i], this.sections[i + 1]);
  }
}

/** Values of lazy fields of results frozen or sealed before the field was read. */
const pinned = new WeakMap();

function dataProperty(obj, key, value) {
  return Reflect.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * An enumerable accessor for field `key` whose value is
 * `decode(text of key, obj)`, computed once; it then turns into a data
 * property holding the value. Assigning to it makes it a data property too,
 * as on a plain object.
 */
function lazy(key, decode) {
  return {
    get() {
      const kept = pinned.get(this);
      if (kept !== undefined && key in kept) return kept[key];
      const value = decode(this[kText].section(key), this);
      if (!dataProperty(this, key, value)) {
        // Frozen or sealed: keep the value aside so every read returns the same one.
        if (kept === undefined) pinned.set(this, { [key]: value });
        else kept[key] = value;
      }
      return value;
    },
    set(value) {
      if (!dataProperty(this, key, value)) {
        throw new TypeError(`Cannot assign to read only property '${key}' of object`);
      }
    },
    enumerable: true,
    configurable: true,
  };
}

/**
 * Base64 into a Buffer of its own: not a slice of Node's shared pool, which
 * a structuredClone that reads a lazy field would otherwise copy before this
 * Buffer's bytes were in it.
 */
function bytesOf(base64) {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(base64, 'base64'));
  bytes.write(base64, 0, 'base64');
  return bytes;
}

/** util.inspect shows the plain object the result stands for, not [Getter/Setter]. */
const INSPECT = {
  value: function inspectPlain() {
    return { ...this };
  },
  writable: true,
  enumerable: false,
  configurable: true,
};

function hide(obj, text) {
  Object.defineProperty(obj, kText, { value: text });
  Object.defineProperty(obj, inspectCustom, INSPECT);
  return obj;
}

const SANS = lazy('sans', JSON.parse);
const CLAIMS = lazy('claims', (text, id) => claimsOf(id.extensions));
const EXTENSIONS = lazy('extensions', JSON.parse);
const CERTIFICATE = lazy('certificate', bytesOf);

function identityOf(verified, text, matchedPolicy) {
  // Keys in the order of the public shape: san, sans, issuer, claims,
  // extensions, certificate, matchedPolicy.
  const id = { san: verified.san };
  Object.defineProperty(id, 'sans', SANS);
  id.issuer = verified.issuer;
  Object.defineProperty(id, 'claims', CLAIMS);
  Object.defineProperty(id, 'extensions', EXTENSIONS);
  Object.defineProperty(id, 'certificate', CERTIFICATE);
  id.matchedPolicy = matchedPolicy;
  return hide(id, text);
}

const KEY = lazy('key', JSON.parse);
const VERIFIED_TIMES = lazy('verifiedTimes', (text) => {
  const times = JSON.parse(text);
  for (const t of times) t.date = new Date(t.time);
  return times;
});
const TLOG_ENTRIES = lazy('tlogEntries', JSON.parse);
const SCTS = lazy('scts', JSON.parse);
const DSSE = lazy('dsse', (text) => {
  const dsse = JSON.parse(text);
  // The JSON has the payload in base64 and sorted keys; the result has the
  // payload's bytes, after its type and digest.
  return dsse === null
    ? null
    : { payloadType: dsse.payloadType, payloadSha256: dsse.payloadSha256, payload: bytesOf(dsse.payload) };
});
const STATEMENT = lazy('statement', JSON.parse);

function shapeResult(verified) {
  // The summary: bit 0 artifactBound, bit 1 keyless, bits 2-3 the bundle
  // version's index, bits 4+ matchedPolicy.
  const summary = verified.summary;
  const bits = summary % 16;
  const text = new ResultText(verified);
  const result = {
    verified: true,
    artifactBound: (bits & 1) === 1,
    mode: LABELS.modes[(bits >> 1) & 1],
    bundleVersion: LABELS.bundleVersions[bits >> 2],
    identity: verified.san === null ? null : identityOf(verified, text, (summary - bits) / 16),
  };
  Object.defineProperty(result, 'key', KEY);
  Object.defineProperty(result, 'verifiedTimes', VERIFIED_TIMES);
  Object.defineProperty(result, 'tlogEntries', TLOG_ENTRIES);
  Object.defineProperty(result, 'scts', SCTS);
  Object.defineProperty(result, 'dsse', DSSE);
  Object.defineProperty(result, 'statement', STATEMENT);
  return hide(result, text);
}

function unwrap(outcome) {
  if (outcome.failure) raise(outcome.failure);
  if (outcome.internal !== undefined && outcome.internal !== null) {
    throw new Error(`sigverify: internal error (please report): ${outcome.internal}`);
  }
  return shapeResult(outcome);
}

function prepared(nativeRoot) {
  const failure = nativeRoot.failure();
  if (failure) raise(failure);
  const root = Object.create(TrustedRoot.prototype);
  root[kNative] = nativeRoot;
  return Object.freeze(root);
}

let production;
let staging;

/**
 * A Sigstore trusted root, parsed and prepared once. Immutable; share it
 * between verifiers. Build one with a static method, not `new`.
 */
class TrustedRoot {
  constructor() {
    throw new TypeError('use TrustedRoot.production(), .staging() or .fromJSON(json)');
  }

  /** The Sigstore production root embedded in the addon (cached). */
  static production() {
    if (!production) production = prepared(native.NativeTrustedRoot.production());
    return production;
  }

  /** The Sigstore staging root embedded in the addon (cached). */
  static staging() {
    if (!staging) staging = prepared(native.NativeTrustedRoot.staging());
    return staging;
  }

  /** A root from `trusted_root.json`: an object, a JSON string or a Buffer. */
  static fromJSON(json) {
    return prepared(native.NativeTrustedRoot.fromJson(jsonBytes(json, 'trusted root')));
  }
}

/**
 * Verifies bundles against one trusted root. Reusable and cheap to call
 * concurrently; `verifyAsync` runs on the libuv thread pool.
 */
class Verifier {
  #native;

  constructor(trustedRoot) {
    if (!(trustedRoot instanceof TrustedRoot) || !trustedRoot[kNative]) {
      throw new TypeError(
        `new Verifier(trustedRoot) needs a TrustedRoot (TrustedRoot.production(), .staging() or .fromJSON()), got ${describe(trustedRoot)}`,
      );
    }
    this.#native = new native.NativeVerifier(trustedRoot[kNative]);
  }

  /** Verify synchronously; returns the result or throws SigverifyError / TypeError. */
  verify(bundle, artifact, policy) {
    if (arguments.length > 3) tooManyArguments('verify', '(bundle, artifact, policy)');
    return unwrap(this.#native.verify(...verifyArgs(bundle, artifact, policy)));
  }

  /**
   * Verify a DSSE bundle without its artifact: every check but matching the
   * in-toto subjects, which is then the caller's job (`result.statement`,
   * `result.dsse.payload`; `result.artifactBound` is false). A message-signature
   * bundle throws SigverifyError (`policy-misuse`).
   */
  verifyDsse(bundle, policy) {
    // verifyDsse(bundle, policy, { artifact }) is Python's argument order: an
    // artifact passed there would be silently left unchecked.
    if (arguments.length > 2) {
      tooManyArguments('verifyDsse', '(bundle, policy); to check an artifact, use verify(bundle, artifact, policy)');
    }
    return unwrap(this.#native.verifyDsse(jsonBytes(bundle, 'bundle'), policyArgs(policy)));
  }

  /** Verify off the main thread; resolves to the result, rejects with SigverifyError / TypeError. */
  async verifyAsync(bundle, artifact, policy) {
    if (arguments.length > 3) tooManyArguments('verifyAsync', '(bundle, artifact, policy)');
    const args = verifyArgs(bundle, artifact, policy);
    return unwrap(await this.#native.verifyAsync(...args));
  }
}

function tooManyArguments(method, takes) {
  throw new TypeError(`${method} takes ${takes}`);
}

module.exports = { TrustedRoot, Verifier, SigverifyError, ErrorCodes };
