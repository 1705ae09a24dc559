// The package loads as an ES module too, with the very same classes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import sigverify, { TrustedRoot, Verifier, SigverifyError, ErrorCodes } from 'sigverify';

const require = createRequire(import.meta.url);

test('ESM named and default exports are the CommonJS ones', () => {
  const cjs = require('sigverify');
  assert.equal(TrustedRoot, cjs.TrustedRoot);
  assert.equal(Verifier, cjs.Verifier);
  assert.equal(SigverifyError, cjs.SigverifyError);
  assert.equal(ErrorCodes, cjs.ErrorCodes);
  assert.equal(sigverify, cjs);
});

test('ESM import verifies a bundle', async () => {
  const { loadCase } = require('./helpers.js');
  const c = loadCase('rekor2-happy-path');
  const result = await new Verifier(c.root).verifyAsync(c.bundle, { digest: c.digest }, c.policy);
  assert.equal(result.mode, 'keyless');
});
