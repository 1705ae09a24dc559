// Type definitions for sigverify (Node binding). Hand-written: they describe
// the public API of index.js, not the native layer (native.d.ts, generated).
/// <reference types="node" />

import type { KeyObject } from 'node:crypto';

/** Stable step names of the core's error kinds. */
export type ErrorStep =
  | 'parse'
  | 'unsupported-version'
  | 'trusted-root'
  | 'tlog-body-mismatch'
  | 'set'
  | 'inclusion-proof'
  | 'checkpoint'
  | 'timestamp'
  | 'time-window'
  | 'chain'
  | 'sct'
  | 'signature'
  | 'artifact-mismatch'
  | 'identity'
  | 'policy-misuse'
  | 'limit'
  | 'tlog';

/**
 * Step name -> stable numeric code (the core's `ErrorKind::code()`, shared with
 * the C ABI and the Python binding). Kept equal to the runtime table by a test.
 */
export declare const ErrorCodes: Readonly<{
  parse: 1;
  'unsupported-version': 2;
  'trusted-root': 3;
  'tlog-body-mismatch': 4;
  set: 5;
  'inclusion-proof': 6;
  checkpoint: 7;
  timestamp: 8;
  'time-window': 9;
  chain: 10;
  sct: 11;
  signature: 12;
  'artifact-mismatch': 13;
  identity: 14;
  'policy-misuse': 15;
  limit: 16;
  tlog: 17;
}>;

/** A numeric error code. */
export type ErrorCode = (typeof ErrorCodes)[ErrorStep];

/**
 * A verification failure (or an unusable trusted root, policy or digest).
 * Misuse of the API (wrong argument types or shapes) throws `TypeError` instead.
 */
export declare class SigverifyError extends Error {
  /** Constructed by the library; `message` is prefixed with the step name. */
  constructor(code: ErrorCode, message: string);
  readonly name: 'SigverifyError';
  /** Stable numeric code of the failed check. */
  readonly code: ErrorCode;
  /** Stable step name of the failed check, e.g. `'inclusion-proof'`. */
  readonly step: ErrorStep;
}

/** JSON given as a parsed object, JSON text, or its bytes. */
export type JsonInput = object | string | Uint8Array | ArrayBuffer;

/**
 * A Sigstore trusted root, parsed and prepared once; immutable and shareable.
 * There is no public constructor.
 */
export declare class TrustedRoot {
  #private;
  private constructor();
  /** The Sigstore production root embedded in the addon (the same object on every call). */
  static production(): TrustedRoot;
  /** The Sigstore staging root embedded in the addon (the same object on every call). */
  static staging(): TrustedRoot;
  /** A root from `trusted_root.json`. Throws `SigverifyError` (`trusted-root`, `parse`) if unusable. */
  static fromJSON(json: JsonInput): TrustedRoot;
}

/** What was signed: the artifact's bytes, or its digest (`sha256:<hex>`, also sha384/sha512). */
export type ArtifactInput =
  | { artifact: Uint8Array; digest?: undefined }
  | { digest: string; artifact?: undefined };

type SanMatcher =
  | { /** Exact Subject Alternative Name. */ identity: string; identityRegex?: undefined }
  | { /** Regular expression (Rust `regex` syntax) that must match the whole SAN. */ identityRegex: string; identity?: undefined };
type IssuerMatcher =
  | { /** Exact OIDC issuer. */ issuer: string; issuerRegex?: undefined }
  | { /** Regular expression that must match the whole issuer. */ issuerRegex: string; issuer?: undefined };

/**
 * Fulcio claims the certificate must also carry, by claim name (`SourceRepositoryURI`,
 * `Source Repository Ref`, ...) or OID under 1.3.6.1.4.1.57264.1: exact values, or
 * regular expressions that must match the whole value.
 */
interface ClaimMatchers {
  extensions?: Readonly<Record<string, string>>;
  extensionsRegex?: Readonly<Record<string, string>>;
}

/** A keyless signer: a certificate identity and its OIDC issuer (and optionally Fulcio claims). Strings are exact matches. */
export type IdentityPolicy = SanMatcher & IssuerMatcher & ClaimMatchers;

/**
 * A managed-key signer: PEM text, DER SubjectPublicKeyInfo bytes, or a public KeyObject.
 * `validFrom` / `validUntil` (inclusive) trust the key only for signatures made in that
 * window (a rotated or revoked key): every verified time of a bundle must lie inside, and
 * a bundle with none fails (`time-window`).
 */
export interface PublicKeyPolicy {
  publicKey: string | Uint8Array | KeyObject;
  validFrom?: Date;
  validUntil?: Date;
}

/**
 * Who must have signed: one identity, any of several identities, a public key, or any of
 * several public keys (a keyring, e.g. across a key rotation; a bundle whose key hint is a
 * key fingerprint is checked against the key it names only).
 */
export type Policy = IdentityPolicy | readonly IdentityPolicy[] | PublicKeyPolicy | readonly PublicKeyPolicy[];

export interface SubjectAltName {
  type: 'uri' | 'email' | 'otherName';
  value: string;
}

/** A Fulcio claim extension (OID 1.3.6.1.4.1.57264.1.*) as found in the certificate. */
export interface FulcioExtension {
  /** Dotted OID. */
  oid: string;
  /** Human-readable name, e.g. `'Build Signer URI'`; `'Unknown'` past the known arcs. */
  name: string;
  value: string;
}

/** The known Fulcio claims of the certificate, by name (absent when not in the certificate). */
export interface FulcioClaims {
  issuerV1?: string;
  githubWorkflowTrigger?: string;
  githubWorkflowSHA?: string;
  githubWorkflowName?: string;
  githubWorkflowRepository?: string;
  githubWorkflowRef?: string;
  issuerV2?: string;
  buildSignerURI?: string;
  buildSignerDigest?: string;
  runnerEnvironment?: string;
  sourceRepositoryURI?: string;
  sourceRepositoryDigest?: string;
  sourceRepositoryRef?: string;
  sourceRepositoryIdentifier?: string;
  sourceRepositoryOwnerURI?: string;
  sourceRepositoryOwnerIdentifier?: string;
  buildConfigURI?: string;
  buildConfigDigest?: string;
  buildTrigger?: string;
  runInvocationURI?: string;
  sourceRepositoryVisibilityAtSigning?: string;
  deploymentEnvironment?: string;
  tokenSubject?: string;
}

/** The verified signer of a keyless bundle. */
export interface SignerIdentity {
  /** The certificate's Subject Alternative Name that the policy accepted. */
  san: string;
  sans: SubjectAltName[];
  /** The OIDC issuer recorded by Fulcio. */
  issuer: string | null;
  claims: FulcioClaims;
  extensions: FulcioExtension[];
  /** The leaf certificate, DER. */
  certificate: Buffer;
  /** Index of the policy identity that matched (0 for a single-identity policy). */
  matchedPolicy: number;
}

/** A time vouched for by a trusted party and checked. */
export interface VerifiedTime {
  /** RFC 3339, full precision. */
  time: string;
  /** The same time as a Date (millisecond precision). */
  date: Date;
  source: 'transparency-log' | 'timestamp-authority';
  /** The log's base URL or the timestamp authority's URI. */
  url: string;
}

/** A transparency-log entry that verified. */
export interface TlogEntry {
  /** Base64 log ID. */
  logId: string;
  logIndex: number;
  /** Entry kind, e.g. `'hashedrekord'`, `'dsse'`, `'intoto'`. */
  kind: string;
  /** Entry kind version, e.g. `'0.0.1'`. */
  version: string;
  /** The trusted log's base URL. */
  log: string;
  /** RFC 3339; only when its signed entry timestamp verified (never for Rekor v2). */
  integratedTime: string | null;
  rekorV2: boolean;
}

/** A signed certificate timestamp that verified. */
export interface Sct {
  /** Base64 CT log ID. */
  logId: string;
  /** RFC 3339. */
  time: string;
}

/** The DSSE envelope's payload, for DSSE bundles. */
export interface DssePayload {
  payloadType: string;
  /** Lowercase hex SHA-256 of the payload. */
  payloadSha256: string;
  payload: Buffer;
}

/** The in-toto statement, when the DSSE payload is one. */
export interface InTotoStatement {
  type: string;
  predicateType: string;
  subjects: { name: string; digest: Record<string, string> }[];
}

interface VerificationResultBase {
  verified: true;
  /** `false` only from `verifyDsse`: the in-toto subjects were not matched to an artifact. */
  artifactBound: boolean;
  bundleVersion: '0.1' | '0.2' | '0.3';
  /** The signing key: type (e.g. `'ECDSA P-256'`) and hex SHA-256 of its SubjectPublicKeyInfo. */
  key: { type: string; sha256: string };
  verifiedTimes: VerifiedTime[];
  tlogEntries: TlogEntry[];
  scts: Sct[];
  dsse: DssePayload | null;
  statement: InTotoStatement | null;
}

/** A keyless (Fulcio certificate) bundle that verified under an identity policy. */
export interface KeylessResult extends VerificationResultBase {
  mode: 'keyless';
  identity: SignerIdentity;
}

/** A managed-key bundle that verified under a public-key policy. */
export interface PublicKeyResult extends VerificationResultBase {
  mode: 'public-key';
  identity: null;
}

/** What a successful verification established. */
export type VerificationResult = KeylessResult | PublicKeyResult;

/** Verifies bundles against one trusted root; reusable and safe to call concurrently. */
export declare class Verifier {
  #private;
  /** Throws `TypeError` unless `trustedRoot` comes from a `TrustedRoot` static method. */
  constructor(trustedRoot: TrustedRoot);
  /**
   * Verify on the calling thread. Returns the result, or throws `SigverifyError`
   * (verification failed) or `TypeError` (misuse).
   */
  verify(bundle: JsonInput, artifact: ArtifactInput, policy: IdentityPolicy | readonly IdentityPolicy[]): KeylessResult;
  verify(bundle: JsonInput, artifact: ArtifactInput, policy: PublicKeyPolicy | readonly PublicKeyPolicy[]): PublicKeyResult;
  verify(bundle: JsonInput, artifact: ArtifactInput, policy: Policy): VerificationResult;
  /**
   * Verify on the libuv thread pool; the inputs are copied when called. The
   * promise rejects with `SigverifyError` or `TypeError`.
   */
  verifyAsync(
    bundle: JsonInput,
    artifact: ArtifactInput,
    policy: IdentityPolicy | readonly IdentityPolicy[],
  ): Promise<KeylessResult>;
  verifyAsync(
    bundle: JsonInput,
    artifact: ArtifactInput,
    policy: PublicKeyPolicy | readonly PublicKeyPolicy[],
  ): Promise<PublicKeyResult>;
  verifyAsync(bundle: JsonInput, artifact: ArtifactInput, policy: Policy): Promise<VerificationResult>;
  /**
   * Verify a DSSE bundle without its artifact: every check but matching the
   * in-toto subjects, which is then up to the caller (`statement`,
   * `dsse.payload`; `artifactBound` is false). A message-signature bundle
   * throws `SigverifyError` with step `policy-misuse`.
   */
  verifyDsse(bundle: JsonInput, policy: IdentityPolicy | readonly IdentityPolicy[]): KeylessResult;
  verifyDsse(bundle: JsonInput, policy: PublicKeyPolicy | readonly PublicKeyPolicy[]): PublicKeyResult;
  verifyDsse(bundle: JsonInput, policy: Policy): VerificationResult;
}
