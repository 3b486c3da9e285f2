// compressJson(): long string values compressed in one pass, keys and structure kept, output
// always valid JSON of the input's type; code inside strings kept; bad JSON is a typed error.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, jsonContexts, splitJsonOptions } from '../../js/src/json-values.js';
import { InvalidArgumentError } from '../../js/src/errors.js';
import { ROOT, needsCore } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');

const LONG = 'The customer reported that the export button on the reports page does nothing in the Safari ' +
  'browser, while the same action works in Chrome and Firefox, and asked whether a fix is planned soon.';
const CODE = 'Steps to reproduce:\n```js\ndocument.querySelector("#export").click();\nconsole.log(window.exportState);\n```\nNothing is logged after the click.';
const DOC = {
  id: 4211,
  open: true,
  assignee: null,
  title: 'Export broken',
  tags: ['safari', 'export'],
  body: LONG,
  comments: [{ author: 'sam', text: `${LONG} ${LONG}` }, { author: 'kim', text: CODE }],
  ['__proto__']: LONG, // computed: an own key, as JSON.parse makes it
};
const structure = (v) => (Array.isArray(v) ? v.map(structure)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structure(x)]))
  : typeof v);

describe('JSON values: reading and finding strings', () => {
  test('invalid JSON text and values that are not JSON are typed errors', () => {
    for (const bad of ['{"a": ', '', "{'a': 1}", 'undefined']) assert.throws(() => readJson(bad), InvalidArgumentError, bad);
    const cycle = {};
    cycle.self = cycle;
    assert.throws(() => readJson(cycle), InvalidArgumentError);
    assert.throws(() => readJson(10n), InvalidArgumentError);
    assert.throws(() => readJson(undefined), InvalidArgumentError);
    assert.throws(() => splitJsonOptions({ minLength: 0 }), { option: 'minLength' });
    assert.throws(() => splitJsonOptions({ minLength: '40' }), { option: 'minLength' });
  });

  test('long string values, in document order; keys never', () => {
    const doc = readJson(JSON.stringify(JSON.parse(JSON.stringify({ [LONG]: 'short', a: [LONG, { b: LONG }], c: 'x'.repeat(39) }))));
    const contexts = jsonContexts(doc, 40);
    assert.equal(contexts.length, 2);
    assert.deepEqual(doc.slots.map((s) => s.path), [['a', 0], ['a', 1, 'b']]);
    assert.equal(contexts[0][0].text, LONG);
    const deep = readJson(`${'['.repeat(20000)}"${LONG}"${']'.repeat(20000)}`); // no recursion
    assert.equal(jsonContexts(deep, 40).length, 1);
  });

  test('text keeps its indentation, a value is copied', () => {
    assert.equal(readJson('{\n    "a": 1\n}').indent, '    ');
    assert.equal(readJson('{"a": 1}').indent, undefined);
    const v = { a: [1] };
    const doc = readJson(v);
    doc.value.a.push(2);
    assert.deepEqual(v, { a: [1] });
  });
});

describe('compressJson on the default model', { skip: needsDefault }, () => {
  let c;
  before(async () => {
    const { createCompressor } = await import('../../js/src/index.js');
    c = await createCompressor({ model: DEFAULT_MODEL });
  });
  after(async () => { await c?.dispose(); });

  test('a value: same keys and structure, long strings compressed, the rest kept', async () => {
    const input = JSON.parse(JSON.stringify(DOC));
    const r = await c.compressJson(input, { rate: 0.4 });
    assert.equal(typeof r.json, 'object');
    assert.deepEqual(structure(r.json), structure(input));
    assert.deepEqual(Object.keys(r.json), Object.keys(input));
    for (const k of ['id', 'open', 'assignee', 'title', 'tags']) assert.deepEqual(r.json[k], input[k], k);
    assert.ok(r.json.body.length < LONG.length);
    assert.ok(r.json.comments[1].text.includes(CODE.slice(CODE.indexOf('```'), CODE.lastIndexOf('```') + 3)), 'code in a string is kept');
    assert.deepEqual(r.paths, [['body'], ['comments', 0, 'text'], ['comments', 1, 'text'], ['__proto__']]);
    assert.equal(Object.getPrototypeOf(r.json), Object.prototype, 'a "__proto__" key stays a key');
    assert.equal(r.compressedPrompt, JSON.stringify(r.json));
    assert.ok(r.compressedTokens < r.originTokens && r.protectedTokens > 0);
    assert.ok(r.compressibleRate < r.rate, 'keys and syntax are protected');
    assert.deepEqual(input, JSON.parse(JSON.stringify(DOC)), 'the input is not changed');
  });

  test('JSON text in, JSON text out, with its indentation', async () => {
    const text = JSON.stringify(DOC, null, 2);
    const r = await c.compressJson(text, { rate: 0.5, minLength: 2 * LONG.length });
    assert.equal(typeof r.json, 'string');
    const out = JSON.parse(r.json);
    assert.deepEqual(structure(out), structure(JSON.parse(text)));
    assert.equal(out.comments[1].text, CODE, 'shorter than minLength: kept');
    assert.equal(out.body, LONG);
    assert.ok(out.comments[0].text.length < 2 * LONG.length, 'as long as minLength: compressed');
    assert.deepEqual(r.paths, [['comments', 0, 'text']]);
    assert.match(r.json, /^\{\n {2}"id": 4211,/);
  });

  test('nothing long enough: nothing runs, the document is returned', async () => {
    const before = c.modelCalls;
    const r = await c.compressJson('{"a": "short", "b": [1, 2.5, null]}');
    assert.equal(c.modelCalls, before);
    assert.deepEqual(JSON.parse(r.json), { a: 'short', b: [1, 2.5, null] });
    assert.deepEqual([r.compressibleRate, r.words.length, r.paths.length], [1, 0, 0]);
    await assert.rejects(c.compressJson('{"a": '), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(c.compressJson({ a: LONG }, { code: 'none' }), { code: 'INVALID_ARGUMENT', option: 'code' });
  });
});
