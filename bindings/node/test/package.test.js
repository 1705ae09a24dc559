'use strict';
// Packaging: types, the conformance example, the exports map, and the
// serde_json feature guard (DEPS.md gotcha 11).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ErrorCodes } = require('sigverify');
const { CONFORMANCE, loadCase } = require('./helpers.js');

const PKG = path.resolve(__dirname, '..');
const REPO = path.resolve(PKG, '../..');
const read = (p) => fs.readFileSync(path.join(PKG, p), 'utf8');

test('index.d.ts declares exactly the runtime error table', () => {
  const dts = read('index.d.ts');
  const block = dts.match(/export declare const ErrorCodes: Readonly<\{([\s\S]*?)\}>;/);
  assert.ok(block, 'ErrorCodes declaration found');
  const declared = Object.fromEntries(
    [...block[1].matchAll(/'?([a-z-]+)'?:\s*(\d+);/g)].map((m) => [m[1], Number(m[2])]),
  );
  assert.deepEqual(declared, { ...ErrorCodes });
  const union = dts.match(/export type ErrorStep =([\s\S]*?);/);
  const steps = [...union[1].matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
  assert.deepEqual(steps.sort(), Object.keys(ErrorCodes).sort());
});

test('the TypeScript usage files type-check against index.d.ts and index.d.mts', () => {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [PKG] });
  const r = spawnSync(process.execPath, [tsc, '-p', 'test/types'], { cwd: PKG, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the exports map points at files that exist', () => {
  const pkg = JSON.parse(read('package.json'));
  const targets = [pkg.main, pkg.types];
  for (const cond of Object.values(pkg.exports['.'])) targets.push(cond.types, cond.default);
  for (const t of targets) assert.ok(fs.existsSync(path.join(PKG, t)), t);
  assert.equal(pkg.name, 'sigverify');
});

function conformance(args, env = {}) {
  // Run the file itself, so its shebang and executable bit are what start it.
  return spawnSync(path.join(PKG, 'examples/conformance.js'), args, {
    cwd: CONFORMANCE,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

test('examples/conformance.js is an executable with a node shebang', () => {
  const file = path.join(PKG, 'examples/conformance.js');
  assert.ok(read('examples/conformance.js').startsWith('#!/usr/bin/env node\n'));
  assert.ok(fs.statSync(file).mode & 0o111, 'executable bit');
});

test('examples/conformance.js: exit 0 verified, 1 failed, 2 usage (async and sync paths)', () => {
  const pass = loadCase('happy-path-v0.3').case;
  const fail = loadCase('wrong-material_fail').case;
  const args = (c, target) => [
    'verify-bundle',
    '--bundle',
    c.bundle,
    '--certificate-identity',
    c.identity,
    '--certificate-oidc-issuer',
    c.issuer,
    target,
  ];
  const digest = loadCase('happy-path-v0.3').digest;
  for (const env of [{}, { SIGVERIFY_NODE_SYNC: '1' }]) {
    let r = conformance(args(pass, pass.artifact), env);
    assert.equal(r.status, 0, r.stderr);
    r = conformance(args(pass, digest), env);
    assert.equal(r.status, 0, r.stderr);
    r = conformance(args(fail, fail.artifact), env);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /artifact-mismatch/);
  }
  const key = loadCase('managed-key-happy-path').case;
  let r = conformance(['verify-bundle', '--bundle', key.bundle, `--key=${key.key}`, key.artifact]);
  assert.equal(r.status, 0, r.stderr);
  for (const bad of [[], ['sign-bundle'], ['verify-bundle', '--bundle', pass.bundle, pass.artifact], ['verify-bundle', '--nope']]) {
    r = conformance(bad);
    assert.equal(r.status, 2, `${bad.join(' ')}: ${r.stderr}`);
  }
});

test('serde_json preserve_order stays off (napi serde-json-ordered would break SET checks)', (t) => {
  const manifest = read('Cargo.toml');
  assert.doesNotMatch(manifest.replace(/^#.*$/gm, ''), /serde-json-ordered|preserve_order/);
  const r = spawnSync('cargo', ['tree', '-p', 'sigverify-node', '-e', 'features', '-i', 'serde_json'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  if (r.error && r.error.code === 'ENOENT') {
    t.skip('cargo is not on PATH');
    return;
  }
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /serde_json v1/);
  assert.doesNotMatch(r.stdout, /preserve_order/);
});
