// The rate line of the demo and of the extension's popup and preview panel (js/src/rate-line.js):
// it explains an overall rate above the one asked for by the protected text, from the
// result's protectedTokens / compressibleRate when present, else from its segments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateLine } from '../../js/src/rate-line.js';

// As protectPrompt splits a chat prompt: instruction, body, question.
const TEXT = 'Summarize:\n\nthe notes\n\nWhen?';
const segments = [
  { compress: false, start: 0, end: 12, originTokens: 10, compressedTokens: 10 },
  { compress: true, start: 12, end: 23, originTokens: 80, compressedTokens: 20 },
  { compress: false, start: 23, end: 28, originTokens: 10, compressedTokens: 10 },
];

test('uses protectedTokens and compressibleRate when the result has them; tokens beyond the segments are code', () => {
  const r = { rate: 0.67, originTokens: 120, compressedTokens: 80, protectedTokens: 40, compressibleRate: 0.5, segments };
  assert.equal(rateLine(r, TEXT), 'kept 67 % overall (120 → 80 tokens): 50 % of the compressible text, 40 tokens protected (instruction, question, code or markup)');
  assert.equal(rateLine({ rate: 0.6, originTokens: 50, compressedTokens: 30, protectedTokens: 20, compressibleRate: 1 / 3 }, 'x'),
    'kept 60 % overall (50 → 30 tokens): 33 % of the compressible text, 20 tokens protected (code or markup)');
});

test('falls back to the segments; names a kind the package gives; no names without the text', () => {
  const r = { rate: 0.4, originTokens: 100, compressedTokens: 40, segments };
  assert.equal(rateLine(r, TEXT), 'kept 40 % overall (100 → 40 tokens): 25 % of the compressible text, 20 tokens protected (instruction, question)');
  const named = segments.map((s, i) => (i === 2 ? { ...s, kind: 'answer cue' } : s));
  assert.match(rateLine({ ...r, segments: named }, TEXT), /20 tokens protected \(instruction, answer cue\)$/);
  assert.match(rateLine(r), /20 tokens protected$/);
});

test('says the overall rate alone when nothing is protected', () => {
  assert.equal(rateLine({ rate: 0.5, originTokens: 30, compressedTokens: 15 }, 'x'), 'kept 50 % of the tokens (30 → 15)');
  const open = [{ compress: true, start: 0, end: 1, originTokens: 30, compressedTokens: 15 }];
  assert.equal(rateLine({ rate: 0.5, originTokens: 30, compressedTokens: 15, segments: open, protectedTokens: 0 }, 'x'), 'kept 50 % of the tokens (30 → 15)');
});

test('all protected: nothing to compress', () => {
  const r = { rate: 1, originTokens: 12, compressedTokens: 12, protectedTokens: 12, compressibleRate: 1, segments: [{ ...segments[2], start: 0, end: 5, originTokens: 12, compressedTokens: 12 }] };
  assert.equal(rateLine(r, 'When?'), 'kept 100 % overall (12 → 12 tokens): nothing to compress, 12 tokens protected (question)');
});
