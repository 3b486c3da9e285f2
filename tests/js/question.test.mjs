// Question-aware compression through the JS API: the question and instruction kept whole
// around the contexts and counted, the relevant passage kept more, the reorder option, the
// same through segments, messages, compress_prompt and countTokens, and bad questions.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createCompressor, InvalidArgumentError } from '../../js/src/index.js';
import { rateLine } from '../../js/src/rate-line.js';
import { checkResult, needsCore } from './helpers.mjs';

const PASSAGES = [
  'The river runs through the old town and past the mill where farmers bring their grain every autumn.',
  'Paris is the capital of France and its largest city, with museums along the Seine and many bridges.',
  'Bread is baked at dawn in the village and sold at the market square before noon on most days.',
  'The orchestra rehearses on Tuesdays in the hall behind the library, and the concerts start at eight.',
];
const QUESTION = 'What is the capital of France?';
const words = (text) => text.split(/\s+/).filter(Boolean).length;

describe('compress() with a question', { skip: needsCore }, () => {
  let c;
  before(async () => { c = await createCompressor(); });
  after(async () => { await c?.dispose(); });

  test('the question comes last and the instruction first, whole, and they count as protected', async () => {
    const r = await c.compress(PASSAGES, { rate: 0.4, question: QUESTION, instruction: 'Answer in one word.' });
    checkResult(r, PASSAGES);
    assert.ok(r.compressedPrompt.startsWith('Answer in one word.\n\n'), r.compressedPrompt);
    assert.ok(r.compressedPrompt.endsWith(`\n\n${QUESTION}`), r.compressedPrompt);
    assert.ok(r.questionTokens > 0);
    assert.ok(r.protectedTokens >= r.questionTokens);
    assert.match(rateLine(r), /question/);
  });

  test('the passage that answers keeps more of its words, and every passage keeps some', async () => {
    const plain = await c.compress(PASSAGES, { rate: 0.3 });
    const asked = await c.compress(PASSAGES, { rate: 0.3, question: QUESTION });
    assert.ok(asked.contextRelevance[1] > Math.max(asked.contextRelevance[0], asked.contextRelevance[2], asked.contextRelevance[3]));
    const share = (r) => words(r.compressedPromptList[1]) / words(r.compressedPromptList.join(' '));
    assert.ok(share(asked) > share(plain), `${share(asked)} > ${share(plain)}`);
    assert.ok(asked.compressedPromptList[1].includes('Paris'), asked.compressedPromptList[1]);
    for (const p of asked.compressedPromptList) assert.ok(p.length > 0);
    assert.deepEqual(plain.contextRelevance, [0, 0, 0, 0]);
  });

  test('reorder puts the relevant passage first, or the two most relevant at both ends', async () => {
    const r = await c.compress(PASSAGES, { rate: 0.5, question: QUESTION, reorder: 'relevance' });
    assert.equal(r.contextOrder[0], 1);
    assert.ok(r.compressedPrompt.includes(r.compressedPromptList[0]));
    const ends = await c.compress(PASSAGES, { rate: 0.5, question: QUESTION, reorder: 'two-ends' });
    assert.equal(ends.contextOrder[0], 1);
    assert.deepEqual([...ends.contextOrder].sort(), [0, 1, 2, 3]);
  });

  test('analyze once with the question, select at many rates', async () => {
    const a = await c.analyze(PASSAGES, { question: QUESTION });
    let last = Infinity;
    for (const rate of [0.9, 0.5, 0.2]) {
      const r = a.select({ rate });
      assert.ok(r.compressedPrompt.endsWith(QUESTION));
      assert.ok(r.compressedTokens <= last);
      last = r.compressedTokens;
    }
    assert.throws(() => a.select({ question: 'another?' }), { name: 'InvalidArgumentError', option: 'question' });
    a.dispose();
  });

  test('segments, messages and compress_prompt take it too, counted once', async () => {
    const segs = await c.compress([{ text: PASSAGES[0] }, { text: PASSAGES[1] }], { rate: 0.5, question: QUESTION });
    assert.ok(segs.compressedPrompt.endsWith(`\n\n${QUESTION}`));
    const plain = await c.compress([{ text: PASSAGES[0] }, { text: PASSAGES[1] }], { rate: 0.5 });
    assert.equal(segs.protectedTokens - plain.protectedTokens, segs.questionTokens);
    const m = await c.compressMessages(PASSAGES.map((content) => ({ role: 'user', content })).concat([{ role: 'user', content: 'ok' }]),
      { rate: 0.5, question: QUESTION, reorder: 'relevance' });
    assert.equal(m.messages.length, 5);
    assert.ok(m.messages[1].content.includes('Paris'), 'messages keep their own content whatever the order');
    const p = await c.compress_prompt(PASSAGES, { rate: 0.5, question: QUESTION, instruction: 'Be brief.', reorder_context: 'relevance' });
    assert.ok(p.compressed_prompt.startsWith('Be brief.') && p.compressed_prompt.endsWith(QUESTION));
  });

  test('countTokens counts the contexts; the question stays in both totals', async () => {
    const counted = await createCompressor({ countTokens: (t) => t.length });
    try {
      const r = await counted.compress(PASSAGES, { rate: 0.5, question: QUESTION });
      assert.ok(r.compressedTokens >= r.questionTokens && r.originTokens > r.compressedTokens);
    } finally {
      await counted.dispose();
    }
  });

  test('odd questions give a correct result, bad ones a clear error', async () => {
    const plain = await c.compress(PASSAGES, { rate: 0.4 });
    assert.equal((await c.compress(PASSAGES, { rate: 0.4, question: '' })).compressedPrompt, plain.compressedPrompt);
    const foreign = await c.compress(PASSAGES, { rate: 0.4, question: 'Quelle est la capitale de la France ?' });
    for (const p of foreign.compressedPromptList) assert.ok(p.length > 0);
    const unrelated = await c.compress(PASSAGES, { rate: 0.4, question: 'How do quasars form?' });
    for (const p of unrelated.compressedPromptList) assert.ok(p.length > 0);
    const long = await c.compress(PASSAGES, { rate: 0.2, question: PASSAGES.join(' ').repeat(3) });
    for (const p of long.compressedPromptList) assert.ok(p.length > 0, 'a question longer than the budget leaves a word each');
    await assert.rejects(c.compress(PASSAGES, { question: 5 }), InvalidArgumentError);
    await assert.rejects(c.compress(PASSAGES, { question: 'x\ud800' }), InvalidArgumentError);
    await assert.rejects(c.compress(PASSAGES, { reorder: 'sort' }), InvalidArgumentError);
    await assert.rejects(c.compress(PASSAGES, { questionWeight: 2 }), InvalidArgumentError);
  });
});
