// Words the default model cannot read: its vocabulary is English, so a Cyrillic, Devanagari
// or Arabic word is one unknown piece, whose preserve probability reads only the neighbours
// (higher next to a digit, lower the later it stands). Such a word is ranked by what the text
// says of it instead: longer and rarer in the text scores higher, a capitalised word inside a
// sentence is a name. Chinese and Japanese keep the model's reading (prepared_job.cc).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCompressor } from '../../js/src/index.js';
import { ROOT, needsCore, checkResult } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');

const scoreOf = (r, text) => r.words.find((w) => w.text === text)?.score;

describe('words the default model cannot read', { skip: needsDefault }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: DEFAULT_MODEL }); });
  after(async () => { await c?.dispose(); });

  test('Russian names inside sentences survive a third of the text', async () => {
    const text = 'Анна Берг открыла совещание в 9:30. Том Ли отправит бюджет в 4200 евро до пятницы. ' +
      'Мария Коста ведёт протокол. Следующее совещание состоится 21 марта.';
    const r = await c.compress(text, { rate: 0.33 });
    checkResult(r, [text]);
    // Before, the English model's reading of the neighbours kept "Анна" and the words next to
    // the numbers, and no surname.
    for (const name of ['Берг', 'Ли', 'Коста']) assert.ok(scoreOf(r, name) !== undefined, name);
    const kept = r.words.filter((w) => w.keep).map((w) => w.text);
    for (const name of ['Берг', 'Ли', 'Коста']) assert.ok(kept.includes(name), `${name} in ${r.compressedPrompt}`);
  });

  test('the longer word scores higher wherever the two stand', async () => {
    const long = 'зарегистрироваться', short = 'для';
    for (const text of [`${long} сегодня утром ${short} всех`, `${short} сегодня утром ${long} всех`]) {
      const r = await c.compress(text, { rate: 1 });
      assert.ok(scoreOf(r, long) > scoreOf(r, short) + 0.1, `${text}: ${scoreOf(r, long)} vs ${scoreOf(r, short)}`);
    }
  });

  test('a word repeated in the text scores below a word seen once of the same length', async () => {
    const text = 'вода лежит там, вода лежит здесь, вода лежит везде, гора стоит.';
    const r = await c.compress(text, { rate: 1 });
    const water = r.words.filter((w) => w.text === 'вода').map((w) => w.score);
    assert.equal(water.length, 3);
    // Before, the model's reading of the neighbours gave all four 0.22-0.23.
    for (const s of water) assert.ok(s < scoreOf(r, 'гора') - 0.05, `вода ${s} vs гора ${scoreOf(r, 'гора')}`);
  });

  test('symbols the vocabulary lacks are not words of an unknown language: they stay rare', async () => {
    // alpha 0: the scores are the rarity alone. A symbol such as "≥" may carry the meaning; it
    // keeps the frequency table's value for the unknown piece (its largest), while a short
    // Cyrillic word is read from the text.
    const r = await c.compress('мы для всех: y ≥ 3, x → 5 😀', { rate: 1, alpha: 0 });
    for (const symbol of ['≥', '→', '😀']) assert.ok(scoreOf(r, symbol) > 0.5, `${symbol} ${scoreOf(r, symbol)}`);
    assert.ok(scoreOf(r, 'для') < 0.45, `для ${scoreOf(r, 'для')}`);
  });

  test('a text of unreadable words alone compresses to the budget, never to nothing', async () => {
    const text = 'सभी आगंतुकों को सामने की मेज पर हस्ताक्षर करना होगा। पीटर हर सोमवार आपातकालीन निकास की जाँच करते हैं।';
    for (const rate of [0.1, 0.33, 0.5]) {
      const r = await c.compress(text, { rate });
      checkResult(r, [text]);
      const kept = r.words.filter((w) => w.keep && /\p{L}/u.test(w.text)).length;
      const all = r.words.filter((w) => /\p{L}/u.test(w.text)).length;
      assert.ok(kept > 0 && kept < all, `rate ${rate}: ${kept} of ${all} words kept`);
    }
  });
});
