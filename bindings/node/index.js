'use strict';
// sigverify for Node: offline Sigstore bundle verification in-process.
//
// This file is the public API. It checks arguments (TypeError for misuse),
// turns the native layer's failure records into SigverifyError, and shapes
// the result. The native addon (sigverify.node, built by `npm run build`)
// does all parsing and cryptography.

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

function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isBytes(v);
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isBytes(v)) return 'a byte array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** JSON input given as an object, a string or bytes -> Buffer of JSON text. */
function jsonBytes(value, what) {
  if (isBytes(value)) return asBuffer(value);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (isPlainObject(value)) return Buffer.from(JSON.stringify(value), 'utf8');
  throw new TypeError(`${what} must be an object, a JSON string or a Buffer, got ${describe(value)}`);
}

/** The keys of `obj` whose value is not undefined. */
function presentKeys(obj) {
  return Object.keys(obj).filter((k) => obj[k] !== undefined);
}

function rejectUnknownKeys(obj, allowed, what) {
  for (const k of presentKeys(obj)) {
    if (!allowed.includes(k)) {
      throw new TypeError(`${what} has an unknown option ${JSON.stringify(k)} (allowed: ${allowed.join(', ')})`);
    }
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

const IDENTITY_KEYS = ['identity', 'identityRegex', 'issuer', 'issuerRegex'];

function oneOf(obj, exact, regex, what) {
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
  return { [key]: value };
}

function identityArgs(p, what) {
  if (!isPlainObject(p)) throw new TypeError(`${what} must be an object, got ${describe(p)}`);
  rejectUnknownKeys(p, IDENTITY_KEYS, what);
  return {
    ...oneOf(p, 'identity', 'identityRegex', what),
    ...oneOf(p, 'issuer', 'issuerRegex', what),
  };
}

function publicKeyBytes(key) {
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  if (isBytes(key)) return asBuffer(key);
  // A node:crypto KeyObject holding a public key.
  if (key && typeof key === 'object' && key.type === 'public' && typeof key.export === 'function') {
    return key.export({ type: 'spki', format: 'der' });
  }
  throw new TypeError(`policy.publicKey must be a PEM string, a DER Buffer or a public KeyObject, got ${describe(key)}`);
}

function policyArgs(policy) {
  if (Array.isArray(policy)) {
    if (policy.length === 0) throw new TypeError('an identity policy list must not be empty');
    return { identities: policy.map((p, i) => identityArgs(p, `policy[${i}]`)) };
  }
  if (!isPlainObject(policy)) {
    throw new TypeError(
      `policy must be { identity | identityRegex, issuer | issuerRegex }, a list of those, or { publicKey }, got ${describe(policy)}`,
    );
  }
  if (policy.publicKey !== undefined) {
    rejectUnknownKeys(policy, ['publicKey'], 'a publicKey policy');
    return { publicKey: publicKeyBytes(policy.publicKey) };
  }
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

function shapeResult(json) {
  const raw = JSON.parse(json);
  const id = raw.identity;
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
          claims: claimsOf(id.extensions),
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
      ? {
          payloadType: raw.dsse.payloadType,
          payloadSha256: raw.dsse.payloadSha256,
          payload: Buffer.from(raw.dsse.payload, 'base64'),
        }
      : null,
    statement: raw.statement,
  };
}

function unwrap(outcome) {
  if (outcome.failure) raise(outcome.failure);
  if (outcome.internal !== undefined && outcome.internal !== null) {
    throw new Error(`sigverify: internal error (please report): ${outcome.internal}`);
  }
  return shapeResult(outcome.json);
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
    return unwrap(this.#native.verify(...verifyArgs(bundle, artifact, policy)));
  }

  /**
   * Verify a DSSE bundle without its artifact: every check but matching the
   * in-toto subjects, which is then the caller's job (`result.statement`,
   * `result.dsse.payload`; `result.artifactBound` is false). A message-signature
   * bundle throws SigverifyError (`policy-misuse`).
   */
  verifyDsse(bundle, policy) {
    return unwrap(this.#native.verifyDsse(jsonBytes(bundle, 'bundle'), policyArgs(policy)));
  }

  /** Verify off the main thread; resolves to the result, rejects with SigverifyError / TypeError. */
  async verifyAsync(bundle, artifact, policy) {
    const args = verifyArgs(bundle, artifact, policy);
    return unwrap(await this.#native.verifyAsync(...args));
  }
}

module.exports = { TrustedRoot, Verifier, SigverifyError, ErrorCodes };
