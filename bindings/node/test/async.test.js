'use strict';
// verifyAsync: same answers as verify on the whole corpus, safe under
// concurrency, off the main thread, and independent of later buffer changes.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Verifier, SigverifyError } = require('sigverify');
const { MANIFEST, loadCase } = require('./helpers.js');

/** Normalise an outcome so sync and async results can be compared. */
function outcome(fn) {
  try {
    const r = fn();
    if (r && typeof r.then === 'function') {
      return r.then(
        (v) => ({ ok: v }),
        (e) => ({ err: e }),
      );
    }
    return { ok: r };
  } catch (e) {
    return { err: e };
  }
}

function comparable(o) {
  if (o.err) {
    assert.ok(o.err instanceof SigverifyError, String(o.err && o.err.stack));
    return { code: o.err.code, step: o.err.step, message: o.err.message };
  }
  return o.ok;
}

function loadAll() {
  const cases = [];
  for (const m of MANIFEST.cases) {
    let c;
    try {
      c = loadCase(m.name);
    } catch (e) {
      // Only the one case whose trusted root is itself invalid may fail here.
      assert.equal(m.name, 'trust-root-tlog-missing-validity-start_fail');
      assert.ok(e instanceof SigverifyError);
      continue;
    }
    cases.push(c);
  }
  return cases;
}

test('sync and async agree on every conformance case, in both artifact forms, and match the manifest', async () => {
  const cases = loadAll();
  assert.ok(cases.length >= 69);
  for (const c of cases) {
    for (const artifact of [{ artifact: c.artifact }, { digest: c.digest }]) {
      const sync = outcome(() => c.verifier.verify(c.bundle, artifact, c.policy));
      const async_ = await outcome(() => c.verifier.verifyAsync(c.bundle, artifact, c.policy));
      assert.deepEqual(comparable(async_), comparable(sync), c.case.name);
      assert.equal(!sync.err, c.case.expect === 'pass', `${c.case.name}: ${sync.err && sync.err.message}`);
    }
  }
});

test('many concurrent verifyAsync calls all settle correctly', async () => {
  const cases = loadAll();
  const expected = new Map(
    cases.map((c) => [c, comparable(outcome(() => c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy)))]),
  );
  const ROUNDS = 6; // 6 x ~69 cases = ~400 calls in flight at once
  const calls = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const c of cases) {
      calls.push(outcome(() => c.verifier.verifyAsync(c.bundle, { artifact: c.artifact }, c.policy)).then((o) => [c, o]));
    }
  }
  const settled = await Promise.all(calls);
  assert.equal(settled.length, ROUNDS * cases.length);
  for (const [c, o] of settled) {
    assert.deepEqual(comparable(o), expected.get(c), c.case.name);
  }
});

test('verifyAsync runs off the main thread: the event loop keeps turning', async () => {
  const c = loadCase('happy-path-v0.3');
  // A large artifact makes the hashing take a noticeable time (it will not
  // match the bundle, which is fine: we only watch the event loop meanwhile).
  const big = Buffer.alloc(64 * 1024 * 1024, 0x61);
  let ticks = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    ticks++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const started = process.hrtime.bigint();
  const o = await outcome(() => c.verifier.verifyAsync(c.bundle, { artifact: big }, c.policy));
  running = false;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(comparable(o).step, 'artifact-mismatch');
  assert.ok(ticks >= 5, `only ${ticks} event-loop turns during ${ms.toFixed(0)} ms of verification`);

  // The synchronous call, by contrast, blocks the loop for its whole duration.
  ticks = 0;
  running = true;
  setImmediate(spin);
  const s = outcome(() => c.verifier.verify(c.bundle, { artifact: big }, c.policy));
  const ticksDuringSync = ticks;
  running = false;
  assert.equal(comparable(s).step, 'artifact-mismatch');
  assert.equal(ticksDuringSync, 0);
});

test('verifyAsync copies its inputs: changing the buffers afterwards does not matter', async () => {
  const c = loadCase('happy-path-v0.3');
  const bundle = Buffer.from(c.bundle);
  const artifact = Buffer.from(c.artifact);
  const pending = c.verifier.verifyAsync(bundle, { artifact }, c.policy);
  bundle.fill(0);
  artifact.fill(0);
  const result = await pending;
  assert.equal(result.verified, true);
});

test('a failing verifyAsync rejects (never resolves) with SigverifyError', async () => {
  const c = loadCase('set-invalid-signature_fail');
  await assert.rejects(new Verifier(c.root).verifyAsync(c.bundle, { artifact: c.artifact }, c.policy), {
    name: 'SigverifyError',
    step: 'set',
    code: 5,
  });
});

test('verifyAsync results equal verify results in key order too, lazy fields read or not', async () => {
  const util = require('node:util');
  const cases = loadAll().filter((c) => c.case.expect === 'pass');
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const args = [c.bundle, { artifact: c.artifact }, c.policy];
    const sync = c.verifier.verify(...args);
    const async_ = await c.verifier.verifyAsync(...args);
    // JSON text and util.inspect compare key order as well as values.
    assert.equal(JSON.stringify(async_), JSON.stringify(sync), c.case.name);
    const [fresh, freshAsync] = [c.verifier.verify(...args), await c.verifier.verifyAsync(...args)];
    assert.equal(util.inspect(freshAsync, { depth: Infinity }), util.inspect(fresh, { depth: Infinity }), c.case.name);
    assert.deepStrictEqual(await c.verifier.verifyAsync(...args), c.verifier.verify(...args), c.case.name);
  }
});

test('a verifyAsync result outlives its verifier and the event-loop turns after it', async () => {
  const v8 = require('node:v8');
  const vm = require('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const c = loadCase('happy-path-intoto-in-dsse-v3');
  const expected = JSON.stringify(c.verifier.verify(c.bundle, { artifact: c.artifact }, c.policy));
  const make = async () => {
    const verifier = new Verifier(c.root);
    const pending = [1, 2, 3].map(() => verifier.verifyAsync(c.bundle, { artifact: c.artifact }, c.policy));
    return { results: await Promise.all(pending), gone: new WeakRef(verifier) };
  };
  const { results, gone } = await make();
  for (let i = 0; i < 20 && gone.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  assert.equal(gone.deref(), undefined, 'the verifier was collected');
  for (const r of results) assert.equal(JSON.stringify(r), expected);
});
