#!/usr/bin/env node
'use strict';
// The sigstore-conformance CLI protocol (verification commands) on top of the
// Node binding:
//
//   conformance.js verify-bundle [--staging] --bundle FILE
//       (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
//       [--trusted-root FILE] FILE_OR_DIGEST
//
// Exit status: 0 verified, 1 not verified, 2 usage error. Verification runs
// through verifyAsync (the thread-pool path); SIGVERIFY_NODE_SYNC=1 switches
// to the synchronous verify.

const fs = require('node:fs');
const { TrustedRoot, Verifier, SigverifyError } = require('sigverify');

const USAGE = `usage: conformance.js verify-bundle [--staging] --bundle FILE
    (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
    [--trusted-root FILE] FILE_OR_DIGEST`;

class UsageError extends Error {}

const VALUE_FLAGS = {
  '--bundle': 'bundle',
  '--certificate-identity': 'identity',
  '--certificate-oidc-issuer': 'issuer',
  '--key': 'key',
  '--trusted-root': 'trustedRoot',
};

function parseArgs(argv) {
  if (argv[0] !== 'verify-bundle') {
    throw new UsageError(argv.length ? `unknown command ${JSON.stringify(argv[0])}` : 'missing command');
  }
  const a = { staging: false };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--staging') {
      a.staging = true;
    } else if (flag in VALUE_FLAGS) {
      const name = VALUE_FLAGS[flag];
      if (a[name] !== undefined) throw new UsageError(`${flag} given twice`);
      let value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      a[name] = value;
    } else if (flag.startsWith('--')) {
      throw new UsageError(`unknown option ${flag}`);
    } else {
      if (a.target !== undefined) throw new UsageError('more than one artifact given');
      a.target = arg;
    }
  }
  if (a.bundle === undefined) throw new UsageError('--bundle is required');
  if (a.target === undefined) throw new UsageError('the artifact (a path or sha256:<hex>) is required');
  const identityGiven = a.identity !== undefined || a.issuer !== undefined;
  if (a.key !== undefined && identityGiven) {
    throw new UsageError('give either --key or --certificate-identity and --certificate-oidc-issuer');
  }
  if (a.key === undefined && (a.identity === undefined || a.issuer === undefined)) {
    throw new UsageError('--certificate-identity and --certificate-oidc-issuer are required without --key');
  }
  return a;
}

/** sha256:<64 hex> that is not an existing path is a digest; anything else a path. */
function isDigest(s) {
  return /^sha256:[0-9a-fA-F]{64}$/.test(s) && !fs.existsSync(s);
}

async function main(argv) {
  let a;
  try {
    a = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`conformance.js: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const root =
      a.trustedRoot !== undefined
        ? TrustedRoot.fromJSON(fs.readFileSync(a.trustedRoot))
        : a.staging
          ? TrustedRoot.staging()
          : TrustedRoot.production();
    const verifier = new Verifier(root);
    const policy =
      a.key !== undefined
        ? { publicKey: fs.readFileSync(a.key) }
        : { identity: a.identity, issuer: a.issuer };
    const artifact = isDigest(a.target) ? { digest: a.target } : { artifact: fs.readFileSync(a.target) };
    const bundle = fs.readFileSync(a.bundle);
    const result =
      process.env.SIGVERIFY_NODE_SYNC === '1'
        ? verifier.verify(bundle, artifact, policy)
        : await verifier.verifyAsync(bundle, artifact, policy);
    const who = result.identity
      ? `${result.identity.san} (issuer ${result.identity.issuer})`
      : `key sha256:${result.key.sha256}`;
    process.stdout.write(`verified: signed by ${who}\n`);
    return 0;
  } catch (e) {
    const what = e instanceof SigverifyError ? `${e.message} [code ${e.code}]` : String(e && e.message);
    process.stderr.write(`conformance.js: verification failed: ${what}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`conformance.js: ${e && e.stack}\n`);
    process.exitCode = 1;
  },
);
