// The public API on the real core, real onnxruntime-web and the fixture model.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCompressor, MooscompError } from '../../js/src/index.js';
import { FIXTURE, EXAMPLES, needsBoth, checkResult } from './helpers.mjs';

const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');
const math = readFileSync(`${EXAMPLES}gsm8k-cot.txt`, 'utf8');

describe('compress() on the fixture model', { skip: needsBoth }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: FIXTURE }); });
  after(async () => { await c?.dispose(); });

  test('compresses a prompt to about the asked rate', async () => {
    const r = await c.compress(meeting, { rate: 0.33 });
    checkResult(r, [meeting]);
    assert.ok(r.originTokens > 1000, `originTokens ${r.originTokens}`);
    assert.ok(r.rate > 0.2 && r.rate < 0.46, `rate ${r.rate}`);
    assert.ok(r.compressedPrompt.length < meeting.length);
    assert.deepEqual(r.compressedPromptList, [r.compressedPrompt]);
    assert.ok(r.windows >= 2 && r.modelTokens > 0);
    assert.ok(r.words.some((w) => w.keep) && r.words.some((w) => !w.keep));
  });

  test('targetTokens sets the budget', async () => {
    const r = await c.compress(meeting, { targetTokens: 300 });
    checkResult(r, [meeting]);
    assert.ok(r.compressedTokens > 150 && r.compressedTokens < 450, `compressedTokens ${r.compressedTokens}`);
  });

  test('rate 1 keeps every word', async () => {
    const r = await c.compress(math, { rate: 1 });
    checkResult(r, [math]);
    assert.ok(r.words.every((w) => w.keep));
    assert.equal(r.compressedPrompt.trimEnd(), math.trimEnd()); // spans of the original, whitespace included
  });

  test('force tokens are always kept', async () => {
    const r = await c.compress(math, { rate: 0.2, forceTokens: ['\n', 'answer'] });
    checkResult(r, [math]);
    const answers = r.words.filter((w) => w.text === 'answer');
    assert.ok(answers.length >= 7 && answers.every((w) => w.keep && w.forced));
    const lines = math.split('\n').length;
    assert.ok(r.compressedPrompt.split('\n').length >= lines - 1, 'newlines survive');
  });

  // As LLMLingua-2: tokens with a digit score 1 and a word averages its tokens, so digit
  // words rise (a word is forced outright only when all of its tokens have digits).
  test('forceReserveDigit raises words with digits', async () => {
    const on = await c.compress(math, { rate: 0.2, forceReserveDigit: true });
    const off = await c.compress(math, { rate: 0.2 });
    checkResult(on, [math]);
    const digits = (r) => r.words.filter((w) => /^[0-9]+$/.test(w.text));
    assert.equal(digits(on).length, digits(off).length);
    digits(on).forEach((w, i) => assert.ok(w.score >= digits(off)[i].score, `${w.text} score`));
    const kept = (r) => digits(r).filter((w) => w.keep).length;
    assert.ok(kept(on) > 2 * kept(off), `${kept(on)} vs ${kept(off)} digit words kept`);
  });

  test('outlier scores change the selection but keep the invariants', async () => {
    for (const outlier of ['hidden', 'lexical']) {
      const r = await c.compress(meeting, { rate: 0.33, outlier, alpha: 0.5 });
      checkResult(r, [meeting]);
    }
  });

  test('a list of contexts, with the context-level filter', async () => {
    const contexts = meeting.split('\n\n');
    const r = await c.compress(contexts, { rate: 0.5 });
    checkResult(r, contexts);
    assert.equal(r.compressedPromptList.length, contexts.length);
    assert.equal(r.compressedPrompt, r.compressedPromptList.join('\n\n'));
    assert.ok(new Set(r.words.map((w) => w.context)).size === contexts.length);

    const f = await c.compress(contexts, { useContextLevelFilter: true, contextLevelRate: 0.5, rate: 0.5, forceContextIds: [0] });
    checkResult(f, contexts);
    const kept = f.contextKept.filter(Boolean).length;
    assert.ok(kept < contexts.length && kept >= 1, `kept ${kept} of ${contexts.length}`);
    assert.equal(f.contextKept[0], true);
    assert.equal(f.compressedPromptList.length, kept);
  });

  test('UTF-8 bytes give the same result as the string', async () => {
    const a = await c.compress(math, { rate: 0.4 });
    const b = await c.compress(new TextEncoder().encode(math), { rate: 0.4 });
    assert.equal(b.compressedPrompt, a.compressedPrompt);
    assert.deepEqual(b.words, a.words);
  });

  test('calls at the same time are queued and both correct', async () => {
    const [alone1, alone2] = [await c.compress(meeting, { rate: 0.3 }), await c.compress(math, { rate: 0.6 })];
    const [r1, r2] = await Promise.all([c.compress(meeting, { rate: 0.3 }), c.compress(math, { rate: 0.6 })]);
    assert.equal(r1.compressedPrompt, alone1.compressedPrompt);
    assert.equal(r2.compressedPrompt, alone2.compressedPrompt);
  });

  test('a failing call does not break the queue', async () => {
    const results = await Promise.allSettled([c.compress(math, { rate: 7 }), c.compress(math, { rate: 0.5 })]);
    assert.equal(results[0].status, 'rejected');
    assert.ok(results[0].reason instanceof MooscompError);
    assert.equal(results[1].status, 'fulfilled');
  });

  test('compress_prompt takes LLMLingua-2 names and returns its shape', async () => {
    const r = await c.compress_prompt(math, {
      rate: 0.33, force_tokens: ['\n'], force_reserve_digit: true, drop_consecutive: true, token_to_word: 'mean',
      return_word_label: true,
    });
    assert.deepEqual(Object.keys(r).sort(), [
      'compressed_prompt', 'compressed_prompt_list', 'compressed_tokens', 'fn_labeled_original_prompt',
      'origin_tokens', 'rate', 'ratio',
    ]);
    assert.match(r.ratio, /^\d+\.\dx$/);
    assert.match(r.rate, /^\d+\.\d%$/);
    assert.equal(r.ratio, `${(r.origin_tokens / r.compressed_tokens).toFixed(1)}x`);
    const pairs = r.fn_labeled_original_prompt.split('\t\t|\t\t');
    assert.ok(pairs.length > 100);
    for (const p of pairs) assert.match(p, / [01]$/);

    const list = await c.compress_prompt(['First context here.', 'Second one.'], { target_token: 5 });
    assert.equal(list.compressed_prompt_list.length, 2);
    assert.equal('fn_labeled_original_prompt' in list, false);
  });

  test('compress_prompt rejects options it does not know', async () => {
    await assert.rejects(c.compress_prompt(math, { iterative_size: 200 }), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(c.compress_prompt(math, { forceTokens: [] }), { code: 'INVALID_ARGUMENT' });
  });

  test('model describes the manifest', () => {
    assert.equal(c.model.name, 'fixture-tiny');
    assert.equal(c.model.tokenizer, 'sentencepiece');
  });
});

describe('lifecycle', { skip: needsBoth }, () => {
  test('the default model is found without a path', async () => {
    const c = await createCompressor();
    try {
      checkResult(await c.compress('The answer is 61.'), ['The answer is 61.']);
    } finally {
      await c.dispose();
    }
  });

  test('dispose waits for pending calls, then refuses new ones', async () => {
    const c = await createCompressor({ model: FIXTURE });
    const pending = c.compress(math, { rate: 0.5 });
    await c.dispose();
    checkResult(await pending, [math]);
    await assert.rejects(c.compress(math), { name: 'InvalidStateError', code: 'INVALID_STATE' });
    await c.dispose(); // idempotent
  });
});
