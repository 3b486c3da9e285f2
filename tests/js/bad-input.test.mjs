// Every awkward input gives a typed error or a correct result: never a crash or a hang.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  createCompressor, InvalidArgumentError, InvalidUtf8Error,
} from '../../js/src/index.js';
import { FIXTURE, needsBoth, checkResult, rejectsWith } from './helpers.mjs';

describe('bad and awkward input', { skip: needsBoth }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: FIXTURE }); });
  after(async () => { await c?.dispose(); });

  test('empty string: an empty result', async () => {
    const r = await c.compress('');
    checkResult(r, ['']);
    assert.equal(r.compressedPrompt, '');
    assert.equal(r.originTokens, 0);
    assert.deepEqual(r.words, []);
  });

  test('empty list of contexts: InvalidArgumentError', async () => {
    await rejectsWith(c.compress([]), InvalidArgumentError, 'INVALID_ARGUMENT');
  });

  test('only whitespace: a correct result', async () => {
    const text = '   \n\n\t  \r\n ';
    const r = await c.compress(text, { rate: 0.5 });
    checkResult(r, [text]);
    assert.equal(r.words.length, 0);
  });

  test('only punctuation: a correct result', async () => {
    const text = '?!... ,;:-- (( )) ""\'\' !!! ??? ...'.repeat(20);
    const r = await c.compress(text, { rate: 0.5 });
    checkResult(r, [text]);
    assert.ok(r.originTokens > 0);
  });

  test('CJK: word offsets slice the original', async () => {
    const text = '会议定于二〇二三年三月十四日上午十点举行。我们讨论了发布日期、新用户引导和定价实验。東京の天気は晴れです。한국어 문장도 있습니다.';
    const r = await c.compress(text, { rate: 0.5 });
    checkResult(r, [text]);
    assert.ok(r.words.length > 0);
  });

  test('emoji (surrogate pairs, ZWJ sequences): offsets stay on code points', async () => {
    const text = 'Launch 🚀 went well 👍🏽 and the team 👩‍👩‍👧‍👦 celebrated 🎉🎉 at 5pm. 😀'.repeat(10);
    const r = await c.compress(text, { rate: 0.5 });
    checkResult(r, [text]);
    for (const w of r.words) assert.ok(w.text.isWellFormed(), 'no split surrogate pair');
    assert.ok(r.compressedPrompt.isWellFormed());
  });

  test('NUL characters: a correct result', async () => {
    const text = 'before\u0000after and\u0000\u0000more text. The answer is 4.\u0000';
    const r = await c.compress(text, { rate: 0.5 });
    checkResult(r, [text]);
  });

  test('lone surrogates in a string: InvalidUtf8Error at their index', async () => {
    for (const [text, offset] of [['abc\ud800def', 3], ['\udc00', 0], ['ok 😀 then \ud83d', 11]]) {
      const err = await c.compress(text).catch((e) => e);
      assert.ok(err instanceof InvalidUtf8Error, String(err));
      assert.equal(err.code, 'INVALID_UTF8');
      assert.equal(err.offset, offset);
    }
    const err = await c.compress(['fine', 'bad \udfff']).catch((e) => e);
    assert.ok(err instanceof InvalidUtf8Error);
    assert.equal(err.context, 1);
    assert.equal(err.offset, 4);
  });

  test('invalid UTF-8 bytes: InvalidUtf8Error with the byte offset', async () => {
    const cases = [
      [[0x61, 0x62, 0xff, 0x63], 2], // never valid
      [[0x61, 0xc3], 1], // truncated sequence
      [[0xc0, 0xaf], 0], // overlong
      [[0x61, 0xed, 0xa0, 0x80], 1], // encoded surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x68, 0x69, 0x20, 0x80], 3], // stray continuation byte
    ];
    for (const [bytes, offset] of cases) {
      const err = await c.compress(new Uint8Array(bytes)).catch((e) => e);
      assert.ok(err instanceof InvalidUtf8Error, `${bytes}: ${err}`);
      assert.equal(err.offset, offset, `offset for ${bytes}`);
    }
  });

  test('a byte-order mark is kept, so offsets still match', async () => {
    const text = '\ufeffHello there, the answer is 42.';
    const r = await c.compress(new TextEncoder().encode(text), { rate: 0.5 });
    checkResult(r, [text]);
  });

  test('rate 0, -1, NaN, 2, Infinity, "0.5": InvalidArgumentError naming the option', async () => {
    for (const rate of [0, -1, NaN, 2, Infinity, '0.5', null]) {
      const err = await c.compress('Some text to compress.', { rate }).catch((e) => e);
      assert.ok(err instanceof InvalidArgumentError, `rate ${rate}: ${err}`);
      assert.equal(err.option, 'rate');
    }
  });

  test('rate 1: everything kept', async () => {
    const text = 'Keep every single word of this sentence, please.';
    const r = await c.compress(text, { rate: 1 });
    checkResult(r, [text]);
    assert.ok(r.words.every((w) => w.keep));
  });

  test('101 force tokens: InvalidArgumentError; 100 are fine', async () => {
    const tokens = Array.from({ length: 101 }, (_, i) => `tok${i}`);
    await rejectsWith(c.compress('text tok1 tok2', { forceTokens: tokens }), InvalidArgumentError, 'INVALID_ARGUMENT');
    const r = await c.compress('text tok1 and tok2 here.', { forceTokens: tokens.slice(0, 100), rate: 0.3 });
    checkResult(r, ['text tok1 and tok2 here.']);
  });

  test('other bad options: typed errors', async () => {
    const bad = [
      { forceTokens: 'x' }, { forceTokens: [''] }, { forceTokens: [1] }, { forceTokens: ['\ud800'] },
      { targetTokens: 0 }, { targetTokens: 1.5 }, { alpha: 1.5 }, { outlier: 'z' }, { scope: 'all' },
      { dropConsecutive: 'yes' }, { forceContextIds: [-1] }, { maxBatchSize: 0 }, { unknownOption: 1 },
    ];
    for (const options of bad) {
      await rejectsWith(c.compress('Some text.', options), InvalidArgumentError, 'INVALID_ARGUMENT');
    }
    await rejectsWith(c.compress('Some text.', 'fast'), InvalidArgumentError, 'INVALID_ARGUMENT');
  });

  test('inputs of the wrong type: InvalidArgumentError', async () => {
    for (const input of [undefined, null, 42, {}, [1, 2], ['ok', null]]) {
      await rejectsWith(c.compress(input), InvalidArgumentError, 'INVALID_ARGUMENT');
    }
  });

  test('scripts the model never saw, mixed scripts in a word, bidi marks, combining marks: compressed, never emptied', async () => {
    // Default model (English vocabulary): Georgian, Amharic, Tamil, Thai and Armenian are unknown to it.
    const texts = {
      unseen: 'საქართველო მდებარეობს კავკასიაში და მისი დედაქალაქია თბილისი. ኢትዮጵያ በአፍሪካ ቀንድ ትገኛለች። '
        + 'தமிழ் ஒரு பழமையான மொழி ஆகும். ภาษาไทยเป็นภาษาราชการของประเทศไทย Հայաստանը լեռնային երկիր է։',
      mixed: 'Der Zürich東京Express fährt um 9:30 ab; the café-ресторан opens at noon, and 北京abc123 is closed. ',
      bidi: 'The file \u202Etxt.exe\u202C is fine. \u200Fשלום עולם\u200F and \u200Eهذا نص\u200E in one line. ',
      combining: 'Cafe\u0301 de\u0301ja\u0300 vu, Z\u0351\u0364a\u0367\u0350l\u0350g\u0350o text, \u1100\u1161\u11A8 jamo and e\u0301\u0301\u0301\u0301. ',
    };
    const c2 = await createCompressor();
    try {
      for (const [name, piece] of Object.entries(texts)) {
        const text = piece.repeat(6);
        const r = await c2.compress(text, { rate: 0.33 });
        checkResult(r, [text]);
        assert.ok(r.compressedPrompt.length > 0, `${name}: not emptied`);
        assert.ok(r.compressedPrompt.isWellFormed(), `${name}: well-formed`);
        assert.ok(r.compressedTokens < 0.8 * r.originTokens, `${name}: compressed (${r.compressedTokens} of ${r.originTokens})`);
        // A kept word never splits a base character from its combining marks.
        for (const w of r.words) assert.ok(!/^\p{M}/u.test(w.text), `${name}: word ${JSON.stringify(w.text)} starts with a mark`);
      }
    } finally {
      await c2.dispose();
    }
  });

  test('a forced word of digits and one long word without spaces', async () => {
    const text = `${'x'.repeat(20000)} 12345 ${'ab'.repeat(3000)}.`;
    const r = await c.compress(text, { rate: 0.5, forceReserveDigit: true });
    checkResult(r, [text]);
  });
});
