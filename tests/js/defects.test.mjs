// Regression tests for small defects: odd option keys, holes in context lists, whitespace-only
// input, non-finite model outputs, and batching independence at the default batch size.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCompressor, InvalidArgumentError } from '../../js/src/index.js';
import { normaliseOptions, forCore } from '../../js/src/options.js';
import { loadCore, createCoreCompressor } from '../../js/src/core.js';
import { loadModel } from '../../js/src/model.js';
import { FIXTURE, EXAMPLES, needsBoth, checkResult } from './helpers.mjs';

const math = readFileSync(`${EXAMPLES}gsm8k-cot.txt`, 'utf8');
const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');

test('option keys named like Object.prototype members are unknown options', () => {
  for (const key of ['hasOwnProperty', 'valueOf', 'toString', 'constructor', '__proto__', 'isPrototypeOf']) {
    const options = JSON.parse(`{"${key}": 1}`); // an own key, even "__proto__"
    assert.throws(() => normaliseOptions(options), (e) => e instanceof InvalidArgumentError && e.option === key, key);
  }
  // Inherited options would be silently ignored: refused.
  assert.throws(() => normaliseOptions({ __proto__: { rate: 0.2 } }), InvalidArgumentError);
  assert.throws(() => normaliseOptions(Object.create({ rate: 0.2 })), InvalidArgumentError);
  assert.deepEqual(normaliseOptions(Object.assign(Object.create(null), { rate: 0.2 })), { rate: 0.2 });
});

describe('on the fixture model', { skip: needsBoth }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: FIXTURE }); });
  after(async () => { await c?.dispose(); });

  test('typed errors for odd keys through compress, compress_prompt and createCompressor', async () => {
    await assert.rejects(c.compress(math, JSON.parse('{"valueOf": 1}')), { name: 'InvalidArgumentError', option: 'valueOf' });
    await assert.rejects(c.compress_prompt(math, JSON.parse('{"constructor": 1}')), { name: 'InvalidArgumentError', option: 'constructor' });
    await assert.rejects(createCompressor({ model: FIXTURE, defaults: JSON.parse('{"hasOwnProperty": 1}') }), InvalidArgumentError);
  });

  test('a hole in the context list is a typed error, not an empty context', async () => {
    const holey = ['First context.', , 'Third context.']; // eslint-disable-line no-sparse-arrays
    await assert.rejects(c.compress(holey), (e) => e instanceof InvalidArgumentError && e.context === 1);
    await assert.rejects(c.analyze(holey), InvalidArgumentError);
    await assert.rejects(c.compress_prompt(holey), InvalidArgumentError);
    const segments = [{ text: 'kept', compress: false }, , 'text']; // eslint-disable-line no-sparse-arrays
    await assert.rejects(c.compress(segments), InvalidArgumentError);
  });

  test('whitespace-only input reports a finite ratio (1)', async () => {
    for (const text of ['   ', '\n\n\t \n', ['  ', '\n']]) {
      const r = await c.compress(text, { rate: 0.5 });
      assert.equal(r.compressedTokens, 0);
      assert.equal(r.ratio, 1);
      assert.ok(Number.isFinite(r.rate));
      checkResult(r, typeof text === 'string' ? [text] : text);
    }
    const none = await c.compress(math, { threshold: 1 }); // a threshold above every score
    assert.ok(Number.isFinite(none.ratio));
  });

  // Dynamic int8 activation scales are per batch; at the default batch size of 1 a context's
  // output does not depend on the contexts around it.
  test('at the default batch size a context is compressed the same alone or in a list', async () => {
    const alone = await c.compress(math, { rate: 0.4 });
    const listed = await c.compress([meeting, math, 'A short third context.'], { rate: 0.4 });
    assert.equal(listed.compressedPromptList[1], alone.compressedPrompt);
  });
});

describe('non-finite model outputs (through the core binding)', { skip: needsBoth }, () => {
  test('NaN or infinite logits or hidden states are INVALID_ARGUMENT at score', async () => {
    const core = await loadCore();
    const { manifest, tokenizer } = await loadModel(FIXTURE);
    const native = createCoreCompressor(core, tokenizer, manifest);
    try {
      const bytes = new TextEncoder().encode('Some words to score here.');
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const hidden of [false, true]) {
          if (hidden && !manifest.hiddenSize) continue;
          const job = native.analyze(bytes, new Uint32Array([bytes.length]), forCore('prepare', { outlier: hidden ? 'hidden' : 'none' })).job;
          try {
            for (let i = 0; i < job.batchCount(); i++) {
              const cells = job.batchRows(i) * job.batchSeqLen(i);
              const logits = new Float32Array(cells * 2);
              if (!hidden) logits[3] = bad;
              assert.ok(job.setLogits(i, logits).ok);
              if (job.needsHidden()) {
                const h = new Float32Array(cells * manifest.hiddenSize);
                if (hidden) h[5] = bad;
                assert.ok(job.setHidden(i, h).ok);
              }
            }
            const reply = job.score();
            assert.equal(reply.ok, false);
            assert.equal(reply.code, 'INVALID_ARGUMENT');
            assert.match(reply.message, /non-finite/);
          } finally {
            job.delete();
          }
        }
      }
    } finally {
      native.delete();
    }
  });
});
