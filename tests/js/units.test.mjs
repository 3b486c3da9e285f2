// Words that are units, on the real default model through the public API: a number is
// dropped or kept whole, never changed; texts in scripts without spaces never vanish.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCompressor } from '../../js/src/index.js';
import { ROOT, EXAMPLES, needsCore, checkResult } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');

const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');
const NUMBER = /\d+(?:[.,:/-]\d+)*/g;
const numbers = (s) => s.match(NUMBER) ?? [];

describe('units on the default model', { skip: needsDefault }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: DEFAULT_MODEL }); });
  after(async () => { await c?.dispose(); });

  test('numbers in meeting.txt at rate 0.33 are kept whole or dropped', async () => {
    const r = await c.compress(meeting, { rate: 0.33 });
    checkResult(r, [meeting]);
    const inputNumbers = new Set(numbers(meeting));
    const outputNumbers = numbers(r.compressedPrompt);
    assert.ok(outputNumbers.length > 0, 'some numbers survive');
    for (const n of outputNumbers) assert.ok(inputNumbers.has(n), `${n} is not a number of the input`);
    // Word level: the words over one number are all kept or all dropped.
    for (const m of meeting.matchAll(NUMBER)) {
      const over = r.words.filter((w) => w.start < m.index + m[0].length && w.end > m.index);
      assert.ok(over.every((w) => w.keep) || over.every((w) => !w.keep), `${m[0]} at ${m.index} is split`);
    }
  });

  test('forced digits keep dates, amounts and times whole', async () => {
    const text = 'Invoice 42 is due on 2024-03-15; pay $1,234.56 to account 987654 before 5pm or call 555 0100.';
    const r = await c.compress(text, { rate: 0.33, forceReserveDigit: true });
    checkResult(r, [text]);
    for (const unit of ['42', '2024-03-15', '$1,234.56', '987654', '5pm', '555', '0100']) {
      assert.ok(r.compressedPrompt.includes(unit), `${unit} in ${JSON.stringify(r.compressedPrompt)}`);
    }
    assert.equal((await c.compress('42', { rate: 0.9, forceReserveDigit: true })).compressedPrompt, '42');
  });

  test('Japanese, Chinese, Korean and Thai compress to something', async () => {
    const texts = [
      '会議は明日の午後3時に始まります。資料を準備してください。',
      '我们明天下午三点开会，请准备好材料。',
      '회의는 내일 오후 3시에 시작합니다. 자료를 준비해 주세요.',
      'การประชุมจะเริ่มพรุ่งนี้เวลาบ่ายสามโมง กรุณาเตรียมเอกสาร',
    ];
    for (const text of texts) {
      for (const options of [{ rate: 0.33 }, { rate: 0.1 }, { targetTokens: 1 }]) {
        const r = await c.compress(text, options);
        checkResult(r, [text]);
        assert.ok(r.compressedPrompt.length > 0, `${text} with ${JSON.stringify(options)}`);
      }
    }
  });
});
