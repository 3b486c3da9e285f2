// planSegmentBudgets: the budget each piece of a segment list is selected with. Pure: no core,
// no model.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { planSegmentBudgets } from '../../js/src/segment-budgets.js';

// Pieces as segments.js cuts them: one per segment unless a segment's code is cut out.
const prose = (parent, tokens, own = {}) => ({ parent, compress: true, tokens, own });
const kept = (parent, tokens, extra = {}) => ({ parent, compress: false, tokens, own: {}, ...extra });
const code = (parent, tokens, fixedTokens) => kept(parent, tokens, { code: true, ...(fixedTokens === undefined ? {} : { fixedTokens }) });
const empty = (parent, own = {}) => ({ parent, compress: true, empty: true, tokens: 0, own });

describe('planSegmentBudgets', () => {
  test('the call\'s rate for every compressible piece; protected pieces are not selected', () => {
    assert.deepEqual(planSegmentBudgets([kept(0, 5), prose(1, 40), prose(2, 10)], { rate: 0.5 }),
      [null, { rate: 0.5 }, { rate: 0.5 }]);
    assert.deepEqual(planSegmentBudgets([prose(0, 40)], { rate: 1 }), [{ rate: 1 }]);
  });

  test('no rate and no targetTokens: the core\'s default', () => {
    assert.deepEqual(planSegmentBudgets([prose(0, 40), kept(1, 3)], {}), [{}, null]);
    assert.deepEqual(planSegmentBudgets([prose(0, 40)], { targetTokens: -1 }), [{}]);
  });

  test('all protected, and no pieces', () => {
    assert.deepEqual(planSegmentBudgets([kept(0, 5), kept(1, 7)], { rate: 0.3 }), [null, null]);
    assert.deepEqual(planSegmentBudgets([kept(0, 5), kept(1, 7)], { targetTokens: 4 }), [null, null]);
    assert.deepEqual(planSegmentBudgets([], { targetTokens: 10 }), []);
  });

  test('empty compressible pieces are not selected and take none of the budget', () => {
    assert.deepEqual(planSegmentBudgets([empty(0), prose(1, 20), empty(2, { rate: 0.2 })], { targetTokens: 10 }),
      [null, { rate: 0.5 }, null]);
  });

  test('targetTokens: what protected text leaves, over the compressible tokens', () => {
    assert.deepEqual(planSegmentBudgets([kept(0, 10), prose(1, 60), prose(2, 20)], { rate: 0.9, targetTokens: 50 }),
      [null, { rate: 0.5 }, { rate: 0.5 }]);
    // Not rounded: the core rounds within each selection.
    assert.deepEqual(planSegmentBudgets([prose(0, 3)], { targetTokens: 1 }), [{ rate: 1 / 3 }]);
  });

  test('targetTokens above the prompt: rate 1', () => {
    assert.deepEqual(planSegmentBudgets([kept(0, 10), prose(1, 20)], { targetTokens: 1000 }), [null, { rate: 1 }]);
  });

  test('targetTokens smaller than the protected text: one token\'s worth is left', () => {
    assert.deepEqual(planSegmentBudgets([kept(0, 30), prose(1, 50)], { targetTokens: 20 }), [null, { rate: 1 / 50 }]);
    assert.deepEqual(planSegmentBudgets([kept(0, 30), prose(1, 50)], { targetTokens: 30 }), [null, { rate: 1 / 50 }]);
  });

  test('a protected piece counts with what it becomes (code under \'lines\')', () => {
    assert.deepEqual(planSegmentBudgets([code(0, 40, 10), prose(1, 20)], { targetTokens: 20 }), [null, { rate: 0.5 }]);
  });

  test('a segment\'s own rate wins and is planned in whole tokens, rounded up per piece', () => {
    // 0.25 * 10 -> 3 and 0.25 * 6 -> 2: 5 planned; 29 - 4 (code) - 5 = 20 left for 40 tokens.
    assert.deepEqual(planSegmentBudgets([prose(0, 10, { rate: 0.25 }), code(0, 4), prose(0, 6, { rate: 0.25 }), prose(1, 40)], { targetTokens: 29 }),
      [{ rate: 0.25 }, null, { rate: 0.25 }, { rate: 20 / 40 }]);
    assert.deepEqual(planSegmentBudgets([prose(0, 10, { rate: 0.25 }), prose(1, 40)], { rate: 0.7 }), [{ rate: 0.25 }, { rate: 0.7 }]);
  });

  test('a segment\'s own targetTokens: less its code, at least 1; planned at most its prose', () => {
    const own = { targetTokens: 30 };
    const pieces = [prose(0, 20, own), code(0, 12), prose(0, 15, own), prose(1, 40)];
    // Its prose (35 tokens) is planned at 30, its code (12) is protected: 100 - 12 - 30 = 58 left.
    assert.deepEqual(planSegmentBudgets(pieces, { targetTokens: 100 }),
      [{ targetTokens: 18 }, null, { targetTokens: 18 }, { rate: 1 }]);
    assert.deepEqual(planSegmentBudgets(pieces, { targetTokens: 62 }),
      [{ targetTokens: 18 }, null, { targetTokens: 18 }, { rate: 20 / 40 }]);
    // A target its code already spends leaves one token for the prose.
    assert.deepEqual(planSegmentBudgets([prose(0, 20, { targetTokens: 5 }), code(0, 12, 9)], { rate: 0.5 }),
      [{ targetTokens: 1 }, null]);
    // Planned at its prose's tokens when the target is larger.
    assert.deepEqual(planSegmentBudgets([prose(0, 8, { targetTokens: 50 }), prose(1, 10)], { targetTokens: 13 }),
      [{ targetTokens: 50 }, { rate: 5 / 10 }]);
  });

  test('own targetTokens wins over own rate', () => {
    assert.deepEqual(planSegmentBudgets([prose(0, 20, { rate: 0.9, targetTokens: 4 })], { rate: 0.5 }), [{ targetTokens: 4 }]);
  });

  test('a threshold applies to the pieces without their own budget', () => {
    assert.deepEqual(planSegmentBudgets([prose(0, 20), prose(1, 20, { rate: 0.3 }), prose(2, 20, { targetTokens: 5 })], { rate: 0.5, threshold: 0.4 }),
      [{ threshold: 0.4 }, { rate: 0.3 }, { targetTokens: 5 }]);
    assert.deepEqual(planSegmentBudgets([prose(0, 20)], { rate: 0.5, targetTokens: 8, threshold: 0 }), [{ threshold: 0 }]);
    assert.deepEqual(planSegmentBudgets([prose(0, 20)], { rate: 0.5, threshold: -1 }), [{ rate: 0.5 }]);
  });
});
