// keepEverySentence (on by default) through the JS API with the default model: at a low rate
// the budget alone drops whole sentences of a meeting transcript; with the option every
// sentence of 3 words or more keeps a word where the budget has room, for about the same
// tokens; the option is validated and reaches the CLI.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createCompressor, InvalidArgumentError } from '../../js/src/index.js';
import { CLI, EXAMPLES, checkResult, needsCore } from './helpers.mjs';

const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');
const SAYS_SOMETHING = /[\p{L}\p{N}]/u;

// The core's sentences (core/src/sentences.h) over a result's words: a word ends one when it
// ends with . ! ? 。 ！ ？ before closing quotes or brackets, or a line break follows it.
// Returns how many sentences with at least `least` words saying something keep none (3: the
// core's SentenceCover.min_words).
function lostSentences(r, text, least = 3) {
  let lost = 0, says = 0, kept = false;
  r.words.forEach((w, i) => {
    says += SAYS_SOMETHING.test(w.text);
    kept ||= w.keep && SAYS_SOMETHING.test(w.text);
    const next = r.words[i + 1];
    const ends = /[.!?。！？]["')\]”’」』）]*$/.test(w.text) || w.text.includes('\n') ||
      !next || text.slice(w.end, next.start).includes('\n');
    if (!ends) return;
    if (says >= least && !kept) lost++;
    says = 0;
    kept = false;
  });
  return lost;
}

describe('keepEverySentence', { skip: needsCore }, () => {
  let c;
  before(async () => { c = await createCompressor(); });
  after(async () => { await c?.dispose(); });

  test('every sentence keeps a word, for about the tokens of the budget alone', async () => {
    for (const options of [{ rate: 0.2 }, { rate: 0.33 }, { rate: 0.33, scope: 'global' }, { targetTokens: 300 }]) {
      const off = await c.compress(meeting, { ...options, keepEverySentence: false });
      const on = await c.compress(meeting, options);
      checkResult(on, [meeting]);
      const what = JSON.stringify(options);
      assert.ok(lostSentences(off, meeting) > 0, `${what}: the budget alone keeps every sentence`);
      assert.equal(lostSentences(on, meeting), 0, `${what}: ${on.compressedPrompt}`);
      assert.ok(Math.abs(on.compressedTokens - off.compressedTokens) <= 0.05 * off.compressedTokens,
        `${what}: ${on.compressedTokens} tokens against ${off.compressedTokens}`);
      for (const w of on.words) if (w.forced) assert.ok(w.keep, `${what}: forced ${w.text}`);
    }
  });

  test('every option of a multiple-choice prompt keeps its label and a word', async () => {
    // One-word options are below the 3 words a sentence needs, but the answer "(C)" names
    // a line: each keeps its label and its word (the budget alone drops whole options).
    const quiz = ['Q: Sam paints the fence before lunch, then washes the brushes and stores them in the shed.',
      'Which colour did Sam most likely use if the fence now matches the neighbouring barn?',
      'Options:', '(A) red', '(B) orange', '(C) yellow', '(D) green', '(E) blue', '(F) brown',
      'A: Let us think step by step. The barn behind the house was painted red last summer,',
      'and the fence should match it, so the answer is (A).', '',
      'Q: A square, a triangle and a circle are drawn on the board by the teacher before class.',
      'Which shape has exactly three sides and three corners?',
      'Options:', '(A) square', '(B) triangle', '(C) circle', '(D) hexagon',
      'A: Let us think step by step. A triangle has three sides, so the answer is (B).'].join('\n');
    const labelledLines = (r) => r.compressedPrompt.split('\n').filter((l) => /^\([A-F]\)/.test(l));
    const on = await c.compress(quiz, { rate: 0.33 });
    checkResult(on, [quiz]);
    const lines = labelledLines(on);
    assert.equal(lines.length, 10, on.compressedPrompt);
    for (const line of lines) assert.match(line, /^\([A-F]\) \p{L}/u, on.compressedPrompt);
    const off = await c.compress(quiz, { rate: 0.33, keepEverySentence: false });
    assert.ok(labelledLines(off).filter((l) => /^\([A-F]\) \p{L}/u.test(l)).length < 10, off.compressedPrompt);
  });

  test('one analysis, many rates', async () => {
    const a = await c.analyze(meeting);
    try {
      for (const rate of [0.1, 0.2, 0.33, 0.5, 0.8]) {
        const on = a.select({ rate });
        assert.equal(on.compressedPrompt, (await c.compress(meeting, { rate })).compressedPrompt);
        const off = a.select({ rate, keepEverySentence: false });
        assert.equal(off.compressedPrompt, (await c.compress(meeting, { rate, keepEverySentence: false })).compressedPrompt);
        // The budget holds: below about 0.2 it has no room for a word of every sentence.
        assert.ok(lostSentences(on, meeting) <= lostSentences(off, meeting), `rate ${rate}`);
        if (rate >= 0.2) assert.equal(lostSentences(on, meeting), 0, `rate ${rate}`);
      }
    } finally {
      a.dispose();
    }
  });

  test('is a boolean; compress_prompt takes keep_every_sentence', async () => {
    for (const value of ['yes', 1, null]) {
      await assert.rejects(c.compress(meeting, { keepEverySentence: value }), (err) => {
        assert.ok(err instanceof InvalidArgumentError, String(err));
        assert.equal(err.code, 'INVALID_ARGUMENT');
        return true;
      });
    }
    const snake = await c.compress_prompt(meeting, { rate: 0.2, keep_every_sentence: false });
    const camel = await c.compress(meeting, { rate: 0.2, keepEverySentence: false });
    assert.equal(snake.compressed_prompt, camel.compressedPrompt);
    assert.notEqual(camel.compressedPrompt, (await c.compress(meeting, { rate: 0.2 })).compressedPrompt);
  });
});

describe('CLI --drop-sentences', { skip: needsCore }, () => {
  test('reaches compress()', () => {
    const run = (...flags) => spawnSync(process.execPath, [CLI, 'compress', '--rate', '0.2', ...flags, '-'], { input: meeting, encoding: 'utf8' });
    const on = run();
    const off = run('--drop-sentences');
    assert.equal(off.status, 0, off.stderr);
    assert.notEqual(on.stdout, off.stdout);
  });
});
