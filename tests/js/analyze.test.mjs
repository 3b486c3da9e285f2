// analyze() + select(): one model run, many selections, each equal to a fresh compress().
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCompressor, InvalidStateError, InvalidArgumentError } from '../../js/src/index.js';
import { FIXTURE, EXAMPLES, needsBoth, checkResult } from './helpers.mjs';

const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');
const contexts = meeting.split('\n\n');

// Everything but the timings, which differ run to run.
function comparable(r) {
  const { timings, ...rest } = r;
  return rest;
}

const SELECTIONS = [
  {},
  { rate: 0.33 },
  { rate: 0.8, alpha: 0.3 },
  { targetTokens: 200 },
  { threshold: 0.6 },
  { rate: 0.4, scope: 'global' },
  { rate: 0.25, forceReserveDigit: true, dropConsecutive: true, alpha: 0 },
  { rate: 0.2, keepEverySentence: true },
  { targetTokens: 150, scope: 'global', keepEverySentence: true },
  { rate: 1 },
  { rate: 0.5, useContextLevelFilter: true, contextLevelRate: 0.5, forceContextIds: [1] },
  { targetContext: 2, useContextLevelFilter: true, useTokenLevelFilter: false },
];

describe('analyze() and select()', { skip: needsBoth }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: FIXTURE }); });
  after(async () => { await c?.dispose(); });

  for (const prepare of [{}, { forceTokens: ['\n', '.'], outlier: 'hidden' }, { outlier: 'lexical', maxBatchSize: 3, wordScore: 'first' }]) {
    test(`select equals compress for many option sets (prepare ${JSON.stringify(prepare)})`, async () => {
      const a = await c.analyze(contexts, prepare);
      try {
        const calls = c.modelCalls;
        const selected = SELECTIONS.map((s) => a.select(s));
        assert.equal(c.modelCalls, calls, 'select() runs no model batch');
        for (const [i, s] of SELECTIONS.entries()) {
          const fresh = await c.compress(contexts, { ...prepare, ...s });
          checkResult(selected[i], contexts);
          assert.deepEqual(comparable(selected[i]), comparable(fresh), `selection ${JSON.stringify(s)}`);
        }
        assert.ok(c.modelCalls > calls, 'compress() runs the model');
      } finally {
        a.dispose();
      }
    });
  }

  test('select is synchronous and reports the analysis timings', async () => {
    const a = await c.analyze(meeting);
    const r = a.select({ rate: 0.3 });
    assert.equal(typeof r.then, 'undefined');
    assert.ok(r.timings.infer > 0 && r.timings.select >= 0);
    assert.equal(r.timings.total, r.timings.tokenize + r.timings.infer + r.timings.select);
    a.dispose();
    a.dispose(); // idempotent
  });

  test('options in the wrong phase are typed errors', async () => {
    await assert.rejects(c.analyze(meeting, { rate: 0.3 }), { name: 'InvalidArgumentError', option: 'rate' });
    const a = await c.analyze(meeting);
    try {
      assert.throws(() => a.select({ forceTokens: ['\n'] }), (e) => e instanceof InvalidArgumentError && e.option === 'forceTokens');
      assert.throws(() => a.select({ rate: 2 }), InvalidArgumentError);
      assert.throws(() => a.select({ forceContextIds: [5] }), InvalidArgumentError); // one context
      assert.ok(a.select({ rate: 0.5 }).compressedPrompt.length > 0, 'still usable after a refused select');
    } finally {
      a.dispose();
    }
  });

  test('select after dispose throws InvalidStateError', async () => {
    const a = await c.analyze(meeting);
    a.dispose();
    assert.throws(() => a.select({ rate: 0.5 }), (e) => e instanceof InvalidStateError && e.code === 'INVALID_STATE');
  });
});

describe('analyses and the compressor lifecycle', { skip: needsBoth }, () => {
  test('disposing the compressor disposes its live analyses', async () => {
    const c = await createCompressor({ model: FIXTURE });
    const a = await c.analyze(meeting);
    const b = await c.analyze('A second, short prompt.');
    b.dispose();
    await c.dispose();
    assert.equal(a.disposed, true);
    assert.throws(() => a.select(), InvalidStateError);
    await assert.rejects(c.analyze(meeting), InvalidStateError);
  });
});
