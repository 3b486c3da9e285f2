// Property-based tests (fast-check): markup parsing, protectPrompt, segment lists, options
// and manifests hold their invariants for generated input, and fail only with typed errors.
// Run counts are small so that the file stays within seconds; a failure prints its seed.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { createCompressor, protectPrompt, escapeMarkup, MooscompError, InvalidArgumentError, InvalidModelError } from '../../js/src/index.js';
import { parseMarkup } from '../../js/src/llmlingua-markup.js';
import { parseManifest } from '../../js/src/manifest.js';
import { OPTION_TABLE } from '../../js/src/option-table.js';
import { FIXTURE, needsBoth, checkResult } from './helpers.mjs';

// Text built from the pieces that matter to the scanners, with any grapheme between them.
const FRAGMENTS = ['<llmlingua', '</llmlingua', '<LLMLingua', '<llmlingua>', '</llmlingua>', '<llmlingua, compress=False>',
  '<llmlingua, rate=0.3>', ', rate=0.5', ', rate=1.5', ', compress=False', ', compress=maybe', '<\\llmlingua', '<\\/llmlingua',
  '>', '<', '/', '\\', ',', '=', ' ', '\n', '\n\n', '```', '```js\n', 'User: ', '### Assistant\n', '?', '. ', 'Answer:',
  'You are a helper.', '😀', '日本語', 'é', '\u0000', '\u0007', '\r', '\t', '\u2028', '\ufeff'];
const fragmentText = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 40 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(fragmentText, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }));

const joined = (segs) => segs.map((s) => s.text).join('');
const typedOnly = (err, ...classes) => assert.ok(classes.some((C) => err instanceof C), `${err && err.name}: ${err && err.message}`);

describe('markup parsing', () => {
  test('any string parses, or fails with an InvalidArgumentError naming an offset in it', () => {
    fc.assert(fc.property(anyText, (text) => {
      let strict;
      try {
        strict = parseMarkup(text, 0);
      } catch (err) {
        typedOnly(err, InvalidArgumentError);
        assert.ok(Number.isInteger(err.offset) && err.offset >= 0 && err.offset < text.length && err.context === 0);
      }
      const lenient = parseMarkup(text, 0, { strict: false }); // never throws
      assert.ok(joined(lenient).length <= text.length);
      if (strict) assert.deepEqual(lenient, strict, 'what parses strictly parses the same leniently');
    }), { numRuns: 400 });
  });

  test('escapeMarkup(x) inside a template is x, as one segment', () => {
    fc.assert(fc.property(anyText, anyText, (user, other) => {
      const marked = `<llmlingua, compress=False>${escapeMarkup(other)}</llmlingua><llmlingua, rate=0.2>${escapeMarkup(user)}</llmlingua>`;
      for (const strict of [true, false]) {
        const segs = parseMarkup(marked, 0, { strict });
        assert.deepEqual(segs.map((s) => [s.text, s.compress, s.own.rate]), [[other, false, undefined], [user, true, 0.2]]);
      }
      assert.deepEqual(parseMarkup(escapeMarkup(user)).map((s) => s.text), [user], 'outside tags too');
    }), { numRuns: 300 });
  });
});

describe('protectPrompt', () => {
  test('the segments concatenate back to any input, protected and compressible alternating', () => {
    fc.assert(fc.property(anyText, (text) => {
      const segs = protectPrompt(text);
      assert.equal(joined(segs), text);
      assert.ok(segs.length >= 1);
      for (let i = 0; i < segs.length; i++) {
        assert.ok(Object.keys(segs[i]).every((k) => k === 'text' || (k === 'compress' && segs[i].compress === false)));
        if (text !== '') assert.notEqual(segs[i].text, '', 'no empty segment');
        if (i > 0) assert.notEqual(segs[i].compress, segs[i - 1].compress, 'neighbours differ');
      }
    }), { numRuns: 500 });
  });
});

describe('on the fixture model', { skip: needsBoth }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: FIXTURE }); });
  after(async () => { await c?.dispose(); });

  const WORDS = ['the', 'meeting', 'decided', 'to', 'ship', 'on', 'Monday', '3', '12.5%', 'café', 'naïve', '😀', '日本語',
    'テキスト', 'isn\'t', '(note)', 'a-b', ',', '.', '?', '\n', '\n\n', '```\ncode line\n```\n', 'User:', '<llmlingua>'];
  const segmentText = fc.oneof(
    fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }).map((w) => w.join(' ')),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
  );
  const segment = fc.record({
    text: segmentText,
    compress: fc.boolean(),
    rate: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
  }, { requiredKeys: ['text'] }).map((s) => (s.rate === undefined ? { text: s.text, ...('compress' in s ? { compress: s.compress } : {}) } : s));

  // The output's visible characters are a subsequence of the segment's text: words kept in
  // order, none changed. (Not whole space-separated tokens: kept characters of a script
  // without spaces join without one, "日本語" -> "日語".)
  const inOrder = (output, text) => {
    let at = 0;
    for (const ch of output.replace(/\s+/g, '')) {
      const i = text.indexOf(ch, at);
      assert.ok(i >= 0, `${JSON.stringify(ch)} after ${at} in ${JSON.stringify(text)} (output ${JSON.stringify(output)})`);
      at = i + ch.length;
    }
  };

  test('segments: protected ones verbatim, the others keep their words in order', async () => {
    await fc.assert(fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.double({ min: 0.05, max: 1, noNaN: true }), async (segs, rate) => {
      const r = await c.compress(segs, { rate });
      checkResult(r, [joined(segs)]);
      assert.equal(r.segments.length, segs.length);
      r.segments.forEach((s, i) => {
        if (segs[i].compress === false) assert.equal(s.output, segs[i].text);
        else inOrder(s.output, segs[i].text);
      });
    }), { numRuns: 40 });
  });

  // Values near and far from what each option takes.
  const HOSTILE = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 2 ** 53, 1e308, 1.5, '', 'x', '0.5', true, false, null,
    [], [''], ['x'], [1, 2], {}, Object.create(null), Symbol('s'), 10n, new Date(0), new Map(), '\ud800',
    'window', 'global', 'lines', 'keep', 'prose', 'hidden', 'word-rarity', 'mean', 'first', 'relevance', ['.', '\n']];
  const value = fc.oneof(fc.constantFrom(...HOSTILE), fc.anything(), fc.double(), fc.integer(), fc.string({ maxLength: 8 }),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }));
  const OTHER_KEYS = ['signal', 'onProgress', 'foo', '__proto__', 'constructor', 'toString', 'ratio'];
  const optionsOf = (names) => fc.oneof(
    fc.dictionary(fc.constantFrom(...names, ...OTHER_KEYS), value, { maxKeys: 4 }),
    fc.constantFrom(...HOSTILE),
  );
  const camel = optionsOf(OPTION_TABLE.map((o) => o.name));
  const snake = optionsOf([...OPTION_TABLE.map((o) => o.snake), 'return_word_label', 'word_sep', 'label_sep']);
  const TEXT = 'The team met on Monday and decided to ship the release.\n\nWho owns the follow-up?';

  const settles = async (promise) => {
    try {
      const r = await promise;
      assert.equal(typeof (r.compressedPrompt ?? r.compressed_prompt), 'string');
    } catch (err) {
      typedOnly(err, MooscompError);
    }
  };

  test('options: a result or a MooscompError, never a TypeError or RangeError', async () => {
    await fc.assert(fc.asyncProperty(camel, snake, async (options, snakeOptions) => {
      await settles(c.compress(TEXT, options));
      await settles(c.compress([{ text: 'Keep this.', compress: false }, TEXT], options));
      await settles(c.compress_prompt(TEXT, snakeOptions));
      try {
        const analysis = await c.analyze(TEXT, options);
        try { await settles(Promise.resolve().then(() => analysis.select(options))); } finally { analysis.dispose(); }
      } catch (err) {
        typedOnly(err, MooscompError);
      }
    }), { numRuns: 60 });
  });
});

describe('manifests', () => {
  const base = JSON.parse(readFileSync(`${FIXTURE}manifest.json`, 'utf8'));
  const PATHS = ['format', 'name', 'onnx', 'tokenizer', 'tokenizer.kind', 'tokenizer.file', 'tokenizer.lowercase',
    'tokenizer.strip_accents', 'tokenizer.fairseq_offset', 'max_seq_len', 'preserve_label', 'inputs', 'inputs.input_ids',
    'inputs.attention_mask', 'outputs', 'outputs.logits', 'outputs.hidden', 'hidden_size', 'lexical', 'lexical.neg_log_freq',
    'lexical.word_mean', 'lexical.word_std', 'hidden_stats', 'hidden_stats.mean', 'hidden_stats.std', 'hidden_stats.score_mean',
    'hidden_stats.score_std', 'defaults', 'defaults.outlier', 'defaults.alpha', 'extra'];
  const NEAR = ['mooscomp-model/1', 'wordpiece', 'sentencepiece', '../x.onnx', 'a/b.onnx', '', 'C:\\x', 'x%20', 0, 3, 64, 8193,
    -1, 0.5, 1, 2, true, null, [], [1, 2], {}, 'none', 'hidden-train', 'word-rarity', Array(64).fill(0.5)];
  const mutation = fc.record({
    path: fc.constantFrom(...PATHS),
    remove: fc.boolean(),
    value: fc.oneof(fc.constantFrom(...NEAR), fc.jsonValue({ maxDepth: 2 })),
  });
  const mutate = (doc, { path, remove, value }) => {
    const keys = path.split('.');
    let o = doc;
    for (const k of keys.slice(0, -1)) {
      if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) o[k] = {};
      o = o[k];
    }
    if (remove) delete o[keys[keys.length - 1]];
    else o[keys[keys.length - 1]] = value;
  };
  const parses = (raw) => {
    try {
      const m = parseManifest(raw);
      assert.equal(typeof m.onnx, 'string');
      assert.ok(Number.isInteger(m.maxSeqLen));
    } catch (err) {
      typedOnly(err, InvalidModelError);
    }
  };

  test('a mutated manifest parses, or fails with an InvalidModelError', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
      const doc = structuredClone(base);
      for (const m of mutations) mutate(doc, m);
      parses(doc);
      const text = JSON.stringify(doc);
      parses(text);
      parses(new TextEncoder().encode(text));
    }), { numRuns: 300 });
  });

  test('any JSON text, string or bytes is an InvalidModelError at worst', () => {
    fc.assert(fc.property(fc.oneof(fc.json({ maxDepth: 3 }), fc.string(), fc.jsonValue({ maxDepth: 3 }), fc.uint8Array({ maxLength: 64 })), (raw) => {
      parses(raw);
    }), { numRuns: 300 });
  });
});
