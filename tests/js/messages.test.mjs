// compressMessages(): chat messages in one model pass; system and last user kept, older turns
// compressed, code kept, per-role options; bad messages are typed errors naming the index.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { messageContexts, splitMessageOptions } from '../../js/src/messages.js';
import { InvalidArgumentError, InvalidUtf8Error } from '../../js/src/errors.js';
import { ROOT, needsCore } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');

const LONG = 'The migration to the new billing system took longer than planned because the old invoices ' +
  'had to be converted by hand, and the finance team asked for a second review of every customer account ' +
  'before the switch, which added almost two weeks to the schedule that everyone had agreed on in March.';
const CODE = '```js\nexport function invoiceTotal(lines) {\n  return lines.reduce((sum, line) => sum + line.amount, 0);\n}\n```\n';
const MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant for the finance team. Answer in two sentences.' },
  { role: 'user', content: `Tell me about the migration. ${LONG}` },
  { role: 'assistant', content: `${LONG} ${LONG}\n\n${CODE}` },
  { role: 'tool', content: LONG, tool_call_id: 'call_1' },
  { role: 'user', content: 'So when will the old system be switched off, and who signs off on it?' },
];

const typed = (fn, re, index) => assert.throws(fn, (err) => err instanceof InvalidArgumentError && re.test(err.message)
  && (index === undefined || err.messageIndex === index));

describe('messages: validation', () => {
  const own = splitMessageOptions({}).own;
  test('bad messages name their index', () => {
    typed(() => messageContexts('hi', own), /array/);
    typed(() => messageContexts({ role: 'user', content: 'x' }, own), /array/);
    typed(() => messageContexts([], own), /empty/);
    typed(() => messageContexts([{ role: 'user', content: 'a' }, null], own), /message 1 must be an object/, 1);
    typed(() => messageContexts([{ content: 'a' }], own), /message 0 needs a string "role"/, 0);
    typed(() => messageContexts([{ role: 'user', content: 'a' }, { role: 'assistant', content: 3 }], own), /message 1 needs a string "content"/, 1);
    typed(() => messageContexts([{ role: 'assistant', content: null }], own), /content/, 0);
    typed(() => messageContexts([{ role: 'user', content: [{ type: 'text', text: 'a' }] }], own), /parts/, 0);
    // eslint-disable-next-line no-sparse-arrays
    typed(() => messageContexts([{ role: 'user', content: 'a' }, , { role: 'user', content: 'b' }], own), /message 1/, 1);
    assert.throws(() => messageContexts([{ role: 'user', content: 'a' }, { role: 'user', content: 'bad \ud800' }], own),
      (err) => err instanceof InvalidUtf8Error && err.messageIndex === 1);
  });

  test('any string role is accepted; defaults keep system and the last user message', () => {
    const ctx = messageContexts(MESSAGES, own);
    assert.deepEqual(ctx.map((list) => list[0].compress), [false, true, true, true, false]);
    const roles = messageContexts([{ role: 'developer', content: 'x' }, { role: '__proto__', content: 'y' }, { role: 'constructor', content: 'z' }], own);
    assert.deepEqual(roles.map((l) => l[0].compress), [true, true, true]);
  });

  test('roles and keepLastUser', () => {
    const o = splitMessageOptions({ roles: { system: { rate: 0.5 }, assistant: { rate: 0.3 }, user: { compress: false } }, keepLastUser: false, rate: 0.4 });
    assert.deepEqual(o.rest, { rate: 0.4 });
    const ctx = messageContexts(MESSAGES, o.own);
    assert.deepEqual(ctx.map((l) => [l[0].compress, l[0].own.rate]), [[true, 0.5], [false, undefined], [true, 0.3], [true, undefined], [false, undefined]]);
    typed(() => splitMessageOptions({ roles: { assistant: { rate: 2 } } }), /roles.assistant/);
    typed(() => splitMessageOptions({ roles: { assistant: { keep: true } } }), /unknown key "keep"/);
    typed(() => splitMessageOptions({ roles: [] }), /roles/);
    typed(() => splitMessageOptions({ keepLastUser: 'yes' }), /keepLastUser/);
  });
});

describe('compressMessages on the default model', { skip: needsDefault }, () => {
  let c;
  before(async () => {
    const { createCompressor } = await import('../../js/src/index.js');
    c = await createCompressor({ model: DEFAULT_MODEL });
  });
  after(async () => { await c?.dispose(); });

  test('one pass; system, last user and code verbatim; older turns compressed', async () => {
    const before = c.modelCalls;
    const r = await c.compressMessages(MESSAGES, { rate: 0.5 });
    assert.equal(c.modelCalls - before, r.windows, 'each window ran once: one pass over all messages');
    assert.equal(r.messages.length, MESSAGES.length);
    assert.deepEqual(r.messages.map((m) => m.role), MESSAGES.map((m) => m.role));
    assert.equal(r.messages[0].content, MESSAGES[0].content);
    assert.equal(r.messages[4].content, MESSAGES[4].content);
    assert.ok(r.messages[2].content.endsWith(CODE), 'code in an older turn is kept');
    assert.equal(r.messages[3].tool_call_id, 'call_1', 'other fields pass through');
    for (const i of [1, 2, 3]) assert.ok(r.messages[i].content.length < MESSAGES[i].content.length, `message ${i} compressed`);
    assert.deepEqual(r.compressedPromptList, r.messages.map((m) => m.content));
    assert.equal(r.segments.length, MESSAGES.length);
    assert.deepEqual(r.segments.map((s) => s.protected), [true, false, false, false, true]);
    assert.ok(r.words.every((w) => [1, 2, 3].includes(w.context) && MESSAGES[w.context].content.slice(w.start, w.end) === w.text));
    assert.ok(r.protectedTokens > 0 && r.compressibleRate < r.rate);
    assert.equal(r.rate, r.compressedTokens / r.originTokens);
    assert.equal(MESSAGES[1].content.startsWith('Tell me'), true, 'the input is not changed');
  });

  test('per-role options', async () => {
    const r = await c.compressMessages(MESSAGES, { rate: 0.8, roles: { assistant: { rate: 0.2 }, tool: { compress: false } } });
    const kept = (i) => r.segments[i].compressedTokens / r.segments[i].originTokens;
    assert.ok(kept(2) < kept(1), `assistant at 0.2 kept ${kept(2)}, user at 0.8 kept ${kept(1)}`);
    assert.equal(r.messages[3].content, LONG);
    const all = await c.compressMessages(MESSAGES, { rate: 0.3, roles: { system: { compress: true } }, keepLastUser: false });
    assert.notEqual(all.messages[4].content, MESSAGES[4].content);
    await assert.rejects(c.compressMessages([{ role: 'user' }]), { code: 'INVALID_ARGUMENT', messageIndex: 0 });
    await assert.rejects(c.compressMessages(MESSAGES, { rate: 3 }), { code: 'INVALID_ARGUMENT', option: 'rate' });
  });
});
