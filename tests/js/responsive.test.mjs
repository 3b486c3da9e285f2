// A long compression gives the host its event loop back between model batches: timers tick
// during it, and AbortSignal.timeout rejects it within a batch instead of after the end.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCompressor, AbortError } from '../../js/src/index.js';
import { EXAMPLES, needsCore } from './helpers.mjs';

describe('between model batches', { skip: needsCore }, () => {
  const text = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8').repeat(4); // many windows
  let c;
  before(async () => { c = await createCompressor(); });
  after(async () => { await c?.dispose(); });

  test('a timer ticks during a compression', async () => {
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    try {
      const r = await c.compress(text, { rate: 0.5 });
      assert.ok(r.windows > 4, `${r.windows} windows`);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'the interval ran while the model did');
  });

  test('AbortSignal.timeout rejects before the compression would end', async () => {
    const t0 = performance.now();
    await c.compress(text, { rate: 0.5 });
    const whole = performance.now() - t0;
    const t1 = performance.now();
    await assert.rejects(c.compress(text, { rate: 0.5, signal: AbortSignal.timeout(1) }), AbortError);
    const aborted = performance.now() - t1;
    assert.ok(aborted < whole, `aborted after ${aborted.toFixed(0)} ms, a whole run takes ${whole.toFixed(0)} ms`);
    const after = await c.compress('Still usable after an abort.', { rate: 0.5 });
    assert.ok(after.compressedPrompt.length > 0);
  });
});
