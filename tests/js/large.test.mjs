// 5 MB of text must finish (slowly is fine) with a correct result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCompressor } from '../../js/src/index.js';
import { EXAMPLES, FIXTURE, needsBoth } from './helpers.mjs';

test('5 MB of text completes', { skip: needsBoth, timeout: 15 * 60 * 1000 }, async () => {
  const base = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8') + readFileSync(join(EXAMPLES, 'gsm8k-cot.txt'), 'utf8');
  const text = base.repeat(Math.ceil((5 * 1024 * 1024) / base.length)).slice(0, 5 * 1024 * 1024);
  const c = await createCompressor({ model: FIXTURE });
  try {
    const t = performance.now();
    const r = await c.compress(text, { rate: 0.33 });
    const ms = performance.now() - t;
    assert.ok(r.originTokens > 500000, `originTokens ${r.originTokens}`);
    assert.ok(r.rate > 0.2 && r.rate < 0.46, `rate ${r.rate}`);
    const last = r.words[r.words.length - 1];
    assert.equal(last.text, text.slice(last.start, last.end));
    const t2 = (x) => x.toFixed(0);
    console.log(`# 5 MB: ${r.originTokens} tokens, ${r.windows} windows in ${t2(ms)} ms ` +
      `(tokenize ${t2(r.timings.tokenize)}, infer ${t2(r.timings.infer)}, select ${t2(r.timings.select)})`);
  } finally {
    await c.dispose();
  }
});
