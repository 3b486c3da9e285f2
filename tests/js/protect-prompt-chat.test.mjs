// protectPrompt on chat prompts: the last user turn of a transcript, fenced code and the
// request written after it are protected; segments concatenate back; linear time.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { protectPrompt } from '../../js/src/protect-prompt.js';
import { findTurns, lastUserTurn } from '../../js/src/chat-turns.js';
import { ROOT, needsCore } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');
const kept = (segs) => segs.filter((s) => s.compress === false).map((s) => s.text);
const joined = (segs) => segs.map((s) => s.text).join('');

const HISTORY = 'We talked about the quarterly report earlier, and the numbers for the northern region were ' +
  'lower than expected because two of the larger customers delayed their orders until the next quarter. ' +
  'The team agreed to follow up with both customers and to revise the forecast once they confirm.';
const CODE = '```python\ndef total_price(items, tax_rate):\n    # sum before tax\n    subtotal = sum(item.price * item.quantity for item in items)\n    return subtotal * (1 + tax_rate)\n```\n';
const REQUEST = 'Change it so that items with a negative quantity raise a ValueError, and keep the rounding as it is.';

describe('protectPrompt: chat transcripts', () => {
  const formats = [
    ['User: ', 'Assistant: '],
    ['Human: ', 'AI: '],
    ['### User\n', '### Assistant\n'],
    ['**User:** ', '**Assistant:** '],
    ['Q: ', 'A: '],
    ['<|user|>\n', '<|assistant|>\n'],
  ];
  for (const [user, assistant] of formats) {
    test(`the last user turn is protected whole: ${JSON.stringify(user)}`, () => {
      const last = `${user}And what should we tell the northern region's sales team about the revised targets`;
      const text = `${user}Summarise the meeting.\n\n${assistant}${HISTORY}\n\n${last}`;
      const segs = protectPrompt(text);
      assert.equal(joined(segs), text);
      assert.ok(kept(segs).some((t) => t.includes(last)), JSON.stringify(segs));
      assert.ok(!kept(segs).some((t) => t.includes(HISTORY)), 'older turns stay compressible');
    });
  }

  test('a closing cue after the last user turn stays with it', () => {
    const text = `User: hello\n\nAssistant: ${HISTORY}\n\nUser: and then what happened next\nAssistant:`;
    assert.deepEqual(kept(protectPrompt(text)), ['User: and then what happened next\nAssistant:']);
  });

  test('speaker labels: what is one and what is not', () => {
    const roles = (t) => findTurns(t).map((x) => x.role);
    assert.deepEqual(roles('User: a\nuser said: b\nA lot of text: c\nUser\nassistant: d'), ['user', 'other']);
    assert.deepEqual(roles('[USER]\nx\n**Assistant**\ny'), ['user', 'other']);
    assert.equal(lastUserTurn('No speakers in this text.'), null);
  });

  test('a "user:" line inside code is no speaker', () => {
    const yaml = '```yaml\nuser: admin\nrole: owner\n```\n';
    const text = `User: check this config\n\nAssistant: ${HISTORY}\n\n${yaml}${HISTORY.repeat(6)}`; // too long to be a request
    const segs = protectPrompt(text);
    assert.equal(joined(segs), text);
    assert.ok(!kept(segs).some((t) => t.endsWith(HISTORY)), 'the prose after the code is not a user turn');
    assert.ok(kept(segs).includes('User: check this config\n\n'));
  });

  test('a very long last user turn is a document: left to the paragraph rules', () => {
    const text = `User: ${HISTORY.repeat(12)}\n\nWhat went wrong?`;
    assert.deepEqual(kept(protectPrompt(text)), ['What went wrong?']);
  });
});

describe('protectPrompt: code and the request after it', () => {
  test('a request around a fenced function', () => {
    const text = `I wrote this helper for the shop's checkout, and I copied it here as it is in the code base today.\n\n${CODE}\n${REQUEST}`;
    const segs = protectPrompt(text);
    assert.equal(joined(segs), text);
    assert.equal(segs.length, 2);
    assert.equal(segs[0].compress, undefined);
    assert.equal(segs[1].text, `${CODE}\n${REQUEST}`);
  });

  test('several blocks, an unclosed fence, markdown inside code', () => {
    const two = `Compare these.\n\n${CODE}\nand\n\n${CODE}\nWhich is faster?`;
    const segs = protectPrompt(two);
    assert.equal(joined(segs), two);
    assert.ok(kept(segs).join('').includes(`${CODE}\nWhich is faster?`));
    assert.equal(kept(segs).join('').split('```python').length - 1, 2);
    const open = `Look at this:\n\n\`\`\`js\nconst a = 1;\n\n# not a heading\n\nstill code`;
    assert.ok(protectPrompt(open).some((s) => s.compress === false && s.text.endsWith('still code')));
    const md = `Render this document for me, keeping its structure.\n\n\`\`\`\`markdown\n# Title\n\n\`\`\`js\nx()\n\`\`\`\n\`\`\`\`\n`;
    const mseg = protectPrompt(md);
    assert.equal(joined(mseg), md);
    assert.ok(kept(mseg).some((t) => t.includes('# Title') && t.includes('x()\n```\n````')));
  });

  test('a long text after the code is not one request', () => {
    const text = `${CODE}\n${HISTORY.repeat(10)}`;
    assert.deepEqual(kept(protectPrompt(text)), [CODE]);
  });

  test('segments always concatenate back, and time stays linear', () => {
    const inputs = ['', ' ', '\n\n', '```', 'User:', '?', 'a\r\n\r\nb?', `${CODE}${CODE}`, 'Q: x?\nA:', '```\n```\n```'];
    for (const text of inputs) assert.equal(joined(protectPrompt(text)), text, JSON.stringify(text));
    const t0 = performance.now();
    for (const text of ['a' + ' '.repeat(200000) + 'b', 'a\n' + ' \n'.repeat(100000) + 'b?', 'User: ' + '```\n'.repeat(50000), `${'x. '.repeat(70000)}?`, 'Q:'.repeat(100000)]) {
      assert.equal(joined(protectPrompt(text)), text);
    }
    // A hang detector, not a speed test: the old paragraph scan took 35 s on the first input alone.
    assert.ok(performance.now() - t0 < 20000, `${performance.now() - t0} ms`);
  });
});

describe('compress(protectPrompt(chat)) on the default model', { skip: needsDefault }, () => {
  let c;
  before(async () => {
    const { createCompressor } = await import('../../js/src/index.js');
    c = await createCompressor({ model: DEFAULT_MODEL });
  });
  after(async () => { await c?.dispose(); });

  test('the request after the code and the code come out verbatim at rate 0.5', async () => {
    const texts = [
      `System: You are a careful Python reviewer.\n\nUser: ${HISTORY}\n\nAssistant: ${HISTORY}\n\nUser: Here is the function.\n\n${CODE}\n${REQUEST}`,
      `${HISTORY}\n\n${CODE}\n${REQUEST}`,
    ];
    for (const text of texts) {
      const r = await c.compress(protectPrompt(text), { rate: 0.5 });
      assert.ok(r.compressedPrompt.endsWith(`${CODE}\n${REQUEST}`), r.compressedPrompt);
      assert.ok(r.compressedTokens < r.originTokens, 'the history is compressed');
      assert.ok(r.protectedTokens > 0);
    }
  });
});
