// createCompressor({defaults}): merged under each call's options, over the model manifest's.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCompressor, InvalidArgumentError } from '../../js/src/index.js';
import { FIXTURE, EXAMPLES, needsBoth } from './helpers.mjs';

const math = readFileSync(`${EXAMPLES}gsm8k-cot.txt`, 'utf8');
const same = (a, b) => {
  assert.equal(a.compressedPrompt, b.compressedPrompt);
  assert.deepEqual(a.words.map((w) => w.keep), b.words.map((w) => w.keep));
};

describe('compressor defaults', { skip: needsBoth }, () => {
  let plain;
  let withDefaults;
  before(async () => {
    plain = await createCompressor({ model: FIXTURE });
    withDefaults = await createCompressor({ model: FIXTURE, defaults: { rate: 0.33, forceTokens: ['\n'], alpha: 1 } });
  });
  after(async () => {
    await plain?.dispose();
    await withDefaults?.dispose();
  });

  test('model manifest < createCompressor defaults < call options', async () => {
    const manifest = plain.defaults;
    assert.deepEqual(withDefaults.defaults, { ...manifest, rate: 0.33, forceTokens: ['\n'], alpha: 1 });
    same(await withDefaults.compress(math), await plain.compress(math, { rate: 0.33, forceTokens: ['\n'], alpha: 1 }));
    same(await withDefaults.compress(math, { rate: 0.6, forceTokens: [] }), await plain.compress(math, { rate: 0.6, alpha: 1 }));
    const r = await withDefaults.compress_prompt(math, { target_token: 40 });
    assert.equal(r.compressed_prompt, (await plain.compress(math, { targetTokens: 40, forceTokens: ['\n'], alpha: 1 })).compressedPrompt);
  });

  test('analyze and select start from the defaults too', async () => {
    const a = await withDefaults.analyze(math);
    try {
      same(a.select(), await plain.compress(math, { rate: 0.33, forceTokens: ['\n'], alpha: 1 }));
      same(a.select({ rate: 0.5 }), await plain.compress(math, { rate: 0.5, forceTokens: ['\n'], alpha: 1 }));
    } finally {
      a.dispose();
    }
  });

  test('bad defaults are refused by createCompressor before the model loads', async () => {
    for (const defaults of [{ rate: 7 }, { nope: 1 }, { signal: AbortSignal.abort() }, 'rate', [1]]) {
      await assert.rejects(createCompressor({ model: '/no/such/model/', defaults }), InvalidArgumentError, JSON.stringify(defaults));
    }
  });

  test('the defaults are a copy', async () => {
    const defaults = { forceTokens: ['\n'] };
    const c = await createCompressor({ model: FIXTURE, defaults });
    try {
      defaults.forceTokens.push('the');
      c.defaults.forceTokens.push('x');
      assert.deepEqual(c.defaults.forceTokens, ['\n']);
    } finally {
      await c.dispose();
    }
  });
});
