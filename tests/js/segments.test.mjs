// Segments: protected and per-segment text, LLMLingua's markup, and protectPrompt.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCompressor, protectPrompt, InvalidArgumentError, InvalidUtf8Error } from '../../js/src/index.js';
import { normaliseSegments, isSegmentList } from '../../js/src/segments.js';
import { parseMarkup } from '../../js/src/llmlingua-markup.js';
import { ROOT, EXAMPLES, needsCore, checkResult } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');
const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');
const math = readFileSync(`${EXAMPLES}gsm8k-cot.txt`, 'utf8');

const INSTRUCTION = 'You are a careful assistant. Answer the question using only the meeting notes below.\n\n';
const QUESTION = '\n\nWhat did the team decide, and who owns the follow-up?';
const chatPrompt = INSTRUCTION + meeting.slice(0, 4000).trim() + QUESTION;

const bad = (fn, re) => assert.throws(fn, (err) => err instanceof InvalidArgumentError && err.code === 'INVALID_ARGUMENT' && re.test(err.message));

describe('llmlingua markup', () => {
  const plain = (segs) => segs.map((s) => [s.text, s.compress, s.own.rate]);

  test('tags, text outside them, and defaults', () => {
    assert.deepEqual(plain(parseMarkup('<llmlingua, compress=False>Keep.</llmlingua> middle <llmlingua, rate=0.4>Doc</llmlingua>tail')), [
      ['Keep.', false, undefined], [' middle ', true, undefined], ['Doc', true, 0.4], ['tail', true, undefined],
    ]);
    assert.deepEqual(plain(parseMarkup('no tags at all')), [['no tags at all', true, undefined]]);
    assert.deepEqual(plain(parseMarkup('')), [['', true, undefined]]);
    assert.deepEqual(plain(parseMarkup('<llmlingua>a < b</llmlingua>')), [['a < b', true, undefined]]);
    assert.deepEqual(plain(parseMarkup('<llmlingua, compress=True>x</llmlingua>')), [['x', true, undefined]]);
  });

  test('attribute order and case do not matter; compress=False wins over a rate', () => {
    for (const tag of ['<llmlingua, rate=0.3, compress=false>', '<LLMLingua ,COMPRESS = FALSE , Rate=.3>', '<llmlingua,compress=False,rate=0.3>']) {
      assert.deepEqual(plain(parseMarkup(`${tag}x</LLMLINGUA>`)), [['x', false, 0.3]], tag);
    }
    assert.deepEqual(plain(parseMarkup('<llmlingua, rate=1>x</llmlingua>')), [['x', true, 1]]);
  });

  test('malformed markup is a typed error', () => {
    bad(() => parseMarkup('<llmlingua>a<llmlingua>b</llmlingua></llmlingua>'), /do not nest/);
    bad(() => parseMarkup('<llmlingua, compress=False>never closed'), /never closed/);
    bad(() => parseMarkup('text</llmlingua>'), /no opening tag/);
    bad(() => parseMarkup('<llmlingua, ratio=0.3>x</llmlingua>'), /malformed tag attributes/);
    bad(() => parseMarkup('<llmlingua rate=0.3>x</llmlingua>'), /malformed tag attributes/);
    bad(() => parseMarkup('<llmlingua, compress=maybe>x</llmlingua>'), /True or False/);
    bad(() => parseMarkup('<llmlingua, rate=0>x</llmlingua>'), /\(0, 1\]/);
    bad(() => parseMarkup('<llmlingua, rate=1.5>x</llmlingua>'), /\(0, 1\]/);
    bad(() => parseMarkup('<llmlingua, rate=0.2, rate=0.3>x</llmlingua>'), /twice/);
    bad(() => parseMarkup('<llmlingua>x</llmlingua junk>'), /malformed closing tag/);
    bad(() => parseMarkup('<llmlingua, compress=False text without the bracket'), /not closed by ">"/);
    bad(() => parseMarkup('<llmlingua>x</llmlingua'), /never closed/);
    bad(() => parseMarkup('a </llmlingua b'), /not closed by ">"/);
    assert.throws(() => parseMarkup('<llmlingua>x<llmlingua>', 3), (err) => err.context === 3 && err.offset === 12);
  });
});

describe('segment lists', () => {
  test('an array is a segment list when it holds an object', () => {
    assert.equal(isSegmentList(['a', 'b']), false);
    assert.equal(isSegmentList(['a', { text: 'b' }]), true);
    assert.equal(isSegmentList('a'), false);
  });

  test('bad segments are typed errors', () => {
    bad(() => normaliseSegments([]), /empty/);
    bad(() => normaliseSegments([{ text: 'a', keep: true }]), /unknown key "keep"/);
    bad(() => normaliseSegments([{ text: 5 }]), /string "text"/);
    bad(() => normaliseSegments(['a', { compress: false }]), /segment 1 needs a string "text"/);
    bad(() => normaliseSegments([{ text: 'a', compress: 'no' }]), /boolean/);
    bad(() => normaliseSegments([{ text: 'a', rate: 0 }]), /segment 0 option "rate"/);
    bad(() => normaliseSegments([{ text: 'a', rate: '0.5' }]), /finite number/);
    bad(() => normaliseSegments([{ text: 'a', targetTokens: 2.5 }]), /integer/);
    bad(() => normaliseSegments([{ text: 'a', forceTokens: 'x' }]), /array of strings/);
    bad(() => normaliseSegments([{ text: 'a' }, null]), /segment 1 must be/);
    assert.throws(() => normaliseSegments(['ok', { text: 'bad \ud800' }]), (err) => err instanceof InvalidUtf8Error && err.context === 1);
    assert.equal(normaliseSegments([{ text: 'a', targetTokens: -1 }])[0].own.targetTokens, undefined);
  });
});

describe('protectPrompt', () => {
  const shape = (segs) => segs.map((s) => (s.compress === false ? 'keep' : 'compress'));
  const joined = (segs) => segs.map((s) => s.text).join('');

  test('an instruction, a document and a question', () => {
    const segs = protectPrompt(chatPrompt);
    assert.equal(joined(segs), chatPrompt);
    assert.deepEqual(shape(segs), ['keep', 'compress', 'keep']);
    assert.equal(segs[0].text, INSTRUCTION);
    assert.equal(segs[2].text, QUESTION.trimStart());
  });

  test('a short cue after the question stays with it; a long closing paragraph does not', () => {
    const cue = protectPrompt('Summarize the notes:\n\nLong notes here.\n\nWho spoke first?\n\nAnswer:');
    assert.deepEqual(cue.map((s) => [s.text, s.compress]), [
      ['Summarize the notes:\n\n', false], ['Long notes here.\n\n', undefined], ['Who spoke first?\n\nAnswer:', false],
    ]);
    const after = protectPrompt(`Intro paragraph of a report.\n\nIs this right?\n\n${'More text follows here. '.repeat(6)}`);
    assert.deepEqual(shape(after), ['compress', 'keep', 'compress']);
    const transcript = 'Notes of the call.\n\nAlice: the build is green.\n\nBob: did it ship?\n\nAlice: yes, on Monday, after the tests passed and the release notes were written.';
    assert.deepEqual(shape(protectPrompt(transcript)), ['compress'], 'a question mid-document is not the prompt\'s');
  });

  test('a first paragraph is an instruction only when short and instruction-like', () => {
    assert.deepEqual(shape(protectPrompt('The weather was fine.\n\nWe walked home.')), ['compress']);
    assert.deepEqual(shape(protectPrompt('Translate into French:\n\nThe weather was fine.')), ['keep', 'compress']);
    assert.deepEqual(shape(protectPrompt(`Please summarise. ${'x '.repeat(300)}\n\nBody.`)), ['compress']);
  });

  test('one paragraph: only its last sentence, the question, is kept', () => {
    const segs = protectPrompt('Tom has 3 apples. He buys 4 more. How many apples does he have?');
    assert.deepEqual(segs, [{ text: 'Tom has 3 apples. He buys 4 more. ' }, { text: 'How many apples does he have?', compress: false }]);
    assert.deepEqual(protectPrompt('Why?'), [{ text: 'Why?', compress: false }]);
    assert.deepEqual(protectPrompt('No question here.'), [{ text: 'No question here.' }]);
  });

  test('llmlingua tags are text: the segments still concatenate to the input', () => {
    const marked = '<llmlingua, compress=False>Q?</llmlingua>doc<llmlingua, rate=0.5>more</llmlingua>';
    assert.equal(joined(protectPrompt(marked)), marked);
  });
});

describe('compress() with segments on the default model', { skip: needsDefault }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: DEFAULT_MODEL }); });
  after(async () => { await c?.dispose(); });

  const compressible = (r) => r.segments.filter((s) => s.compress);
  const keptRate = (r) => compressible(r).reduce((n, s) => n + s.compressedTokens, 0) / compressible(r).reduce((n, s) => n + s.originTokens, 0);

  test('protected text comes out byte-identical at every rate', async () => {
    const segs = protectPrompt(chatPrompt);
    for (const rate of [0.1, 0.33, 0.5, 0.8, 1]) {
      const r = await c.compress(segs, { rate });
      checkResult(r, [chatPrompt]);
      assert.equal(r.segments.length, 3);
      assert.equal(r.segments[0].output, segs[0].text);
      assert.equal(r.segments[2].output, segs[2].text);
      assert.ok(r.compressedPrompt.startsWith(segs[0].text) && r.compressedPrompt.endsWith(segs[2].text), `rate ${rate}`);
      assert.equal(r.compressedPrompt, r.segments.map((s) => s.output).join(''));
      assert.deepEqual(r.compressedPromptList, [r.compressedPrompt]);
      // Words cover only the compressible segment; offsets index the whole prompt.
      assert.ok(r.words.length > 100 && r.words.every((w) => w.segment === 1 && w.context === 0));
      assert.ok(r.words[0].start >= segs[0].text.length);
      if (rate === 1) assert.equal(r.compressedPrompt, chatPrompt);
    }
  });

  test('a rate applies to the compressible part', async () => {
    const r = await c.compress(protectPrompt(chatPrompt), { rate: 0.33 });
    assert.ok(keptRate(r) > 0.2 && keptRate(r) < 0.46, `compressible part kept ${keptRate(r)}`);
    assert.ok(r.rate > keptRate(r), 'protected text raises the overall rate');
    assert.equal(r.segments[1].effectiveRate, 0.33);
  });

  test('targetTokens minus the protected tokens is the compressible part\'s budget', async () => {
    const segs = protectPrompt(chatPrompt);
    const r = await c.compress(segs, { targetTokens: 300 });
    const fixed = r.segments[0].originTokens + r.segments[2].originTokens;
    const budget = 300 - fixed;
    const doc = r.segments[1];
    assert.equal(doc.effectiveRate, budget / doc.originTokens);
    assert.ok(doc.compressedTokens > budget * 0.7 && doc.compressedTokens < budget * 1.3, `${doc.compressedTokens} for ${budget}`);
    // A target below the protected text: the rest is cut as far as it goes, the protected text stays.
    const tiny = await c.compress(segs, { targetTokens: 5 });
    assert.equal(tiny.segments[0].output, segs[0].text);
    assert.ok(tiny.segments[1].compressedTokens < 0.1 * doc.originTokens, `${tiny.segments[1].compressedTokens}`);
  });

  test('per-segment rates, targetTokens and forceTokens', async () => {
    const parts = meeting.split('\n\n').filter((p) => p.length > 300).slice(0, 3);
    const r = await c.compress([
      { text: `${parts[0]}\n\n`, rate: 0.8 },
      { text: `${parts[1]}\n\n`, rate: 0.2 },
      { text: parts[2], targetTokens: 20, forceTokens: ['the'] },
    ], { rate: 0.5 });
    checkResult(r, [`${parts[0]}\n\n${parts[1]}\n\n${parts[2]}`]);
    const [a, b, t] = r.segments;
    assert.ok(a.compressedTokens / a.originTokens > 0.6, `rate 0.8 kept ${a.compressedTokens}/${a.originTokens}`);
    assert.ok(b.compressedTokens / b.originTokens < 0.35, `rate 0.2 kept ${b.compressedTokens}/${b.originTokens}`);
    assert.equal(t.targetTokens, 20);
    const forced = r.words.filter((w) => w.segment === 2 && w.text === 'the');
    assert.ok(forced.length > 0 && forced.every((w) => w.keep && w.forced));
    assert.ok(r.words.filter((w) => w.segment !== 2 && w.text === 'the').every((w) => !w.forced), 'force tokens stay in their segment');
  });

  test('analyze(segments) runs the model once; select() gives what compress() gives', async () => {
    const segs = [...protectPrompt(chatPrompt).slice(0, 2), { text: '\n\nA second part, compressed at its own rate of one half. '.repeat(8), rate: 0.5 }, protectPrompt(chatPrompt)[2]];
    const before = c.modelCalls;
    const a = await c.analyze(segs, { forceTokens: ['\n'] });
    const calls = c.modelCalls - before;
    assert.ok(calls >= 2, 'one model run per group');
    for (const options of [{ rate: 0.3 }, { rate: 0.7, alpha: 1 }, { targetTokens: 250 }, { threshold: 0.5 }]) {
      const picked = a.select(options);
      const direct = await c.compress(segs, { forceTokens: ['\n'], ...options });
      assert.equal(picked.compressedPrompt, direct.compressedPrompt, JSON.stringify(options));
      assert.deepEqual(picked.segments, direct.segments);
      assert.equal(picked.segments[0].output, segs[0].text);
    }
    assert.equal(c.modelCalls - before, calls * 5, 'select() ran no model');
    a.dispose();
    assert.throws(() => a.select({ rate: 0.5 }), { code: 'INVALID_STATE' });
    await assert.rejects(c.analyze(segs, { rate: 0.5 }), { code: 'INVALID_ARGUMENT', option: 'rate' });
  });

  test('createCompressor defaults act on segments as the same options in the call do', async () => {
    const parts = meeting.split('\n\n').filter((p) => p.length > 300).slice(0, 3);
    const segs = [
      { text: INSTRUCTION, compress: false },
      { text: `${parts[0]}\n\n` },
      { text: `${parts[1]}\n\n`, rate: 0.7, forceTokens: ['week'] },
      { text: parts[2] },
    ];
    const comparable = ({ timings, ...rest }) => rest;
    for (const defaults of [{ targetTokens: 150 }, { threshold: 0.6 }, { forceTokens: ['the'] }]) {
      const d = await createCompressor({ model: DEFAULT_MODEL, defaults });
      try {
        const got = await d.compress(segs);
        assert.deepEqual(comparable(got), comparable(await c.compress(segs, defaults)), JSON.stringify(defaults));
        if (defaults.forceTokens) {
          const forced = (w) => w.forced && w.keep;
          assert.ok(got.words.some((w) => w.segment === 2 && w.text === 'the' && forced(w)), 'the defaults\' force tokens and the segment\'s add up');
          assert.ok(got.words.some((w) => w.segment === 2 && w.text === 'week' && forced(w)));
        }
        assert.equal(got.segments[2].effectiveRate, 0.7, 'a segment\'s own rate wins over a default budget');
      } finally {
        await d.dispose();
      }
    }
  });

  test('all protected, or empty: nothing reaches the model', async () => {
    const before = c.modelCalls;
    const r = await c.compress([{ text: 'Keep me.\n', compress: false }, { text: '' }, { text: 'And me?', compress: false }], { rate: 0.2 });
    checkResult(r, ['Keep me.\nAnd me?']);
    assert.equal(r.compressedPrompt, 'Keep me.\nAnd me?');
    assert.equal(r.compressedTokens, r.originTokens);
    assert.deepEqual([r.words.length, r.windows, c.modelCalls - before], [0, 0, 0]);
  });

  test('options that pick whole contexts are refused with segments', async () => {
    await assert.rejects(c.compress([{ text: 'a b c' }], { useContextLevelFilter: true }), { code: 'INVALID_ARGUMENT', option: 'useContextLevelFilter' });
    await assert.rejects(c.compress([{ text: 'a', rate: 2 }]), { code: 'INVALID_ARGUMENT', segment: 0 });
    await assert.rejects(c.compress([{ text: 'a b' }], 'fast'), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(c.compress([{ text: 'a b' }], { ratio: 0.5 }), { code: 'INVALID_ARGUMENT', option: 'ratio' });
  });

  test('compress_prompt reads llmlingua markup; structured_compress_prompt always does', async () => {
    const marked = `<llmlingua, compress=False>${INSTRUCTION}</llmlingua>${math}<llmlingua, compress=False>${QUESTION}</llmlingua>`;
    for (const rate of [0.2, 0.5]) {
      const r = await c.compress_prompt(marked, { rate, return_word_label: true });
      assert.ok(r.compressed_prompt.startsWith(INSTRUCTION) && r.compressed_prompt.endsWith(QUESTION));
      assert.ok(r.compressed_tokens < r.origin_tokens);
      assert.ok(!r.fn_labeled_original_prompt.includes('llmlingua'), 'tags are not words');
    }
    const two = await c.structured_compress_prompt([marked, 'A plain second context, compressed at the global rate.'], { rate: 0.5 });
    assert.equal(two.compressed_prompt_list.length, 2);
    assert.equal(two.compressed_prompt, two.compressed_prompt_list.join('\n\n'));
    // Without markup compress_prompt is plain LLMLingua-2.
    const plainR = await c.compress_prompt(math, { rate: 0.4 });
    assert.equal(plainR.compressed_prompt, (await c.compress(math, { rate: 0.4 })).compressedPrompt);
    // A tag that does not parse is text to compress_prompt, an error to structured_compress_prompt.
    assert.equal((await c.compress_prompt('<llmlingua>open', {})).compressed_prompt, (await c.compress('<llmlingua>open')).compressedPrompt);
    await assert.rejects(c.structured_compress_prompt('<llmlingua>open', {}), { code: 'INVALID_ARGUMENT', offset: 0 });
    await assert.rejects(c.structured_compress_prompt(42), { code: 'INVALID_ARGUMENT' });
  });
});
