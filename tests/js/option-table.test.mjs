// One declaration per option (core/options.json; scripts/gen-options.mjs writes its mirrors)
// drives JS validation, the snake_case names, the core's defaults and the docs; the core's own
// checks accept exactly its ranges.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { OPTION_TABLE, describeRange } from '../../js/src/option-table.js';
import { normaliseOptions, fromSnakeCase, forCore } from '../../js/src/options.js';
import { loadCore, createCoreCompressor } from '../../js/src/core.js';
import { loadModel } from '../../js/src/model.js';
import { ROOT, FIXTURE, needsBoth } from './helpers.mjs';

// Values just inside and just outside each option's range: [value, accepted].
function edges(o) {
  const eps = (x) => Math.max(1e-9, Math.abs(x) * 1e-12);
  const unset = o.unset !== undefined ? [[o.unset, true], [o.unset - (o.type === 'integer' ? 1 : 0.5), false]] : [];
  switch (o.type) {
    case 'number':
      return [[o.min, !o.minOpen], [o.min + eps(o.min), true], [o.min - eps(o.min), false],
        [o.max, true], [o.max - eps(o.max), true], [o.max + eps(o.max), false], ...unset];
    case 'integer':
      return [[o.min, true], [o.min - 1, false], [o.max, true], [o.max + 1, false], ...unset];
    case 'enum':
      return [...o.values.map((v) => [v, true]), ['nope', false]];
    case 'string':
      return [['', true], ['What is it?', true], [5, false]];
    case 'strings':
      return [[Array(o.maxCount).fill('x'), true], [Array(o.maxCount + 1).fill('x'), false], [['x', ''], false]];
    case 'integers': // the core's upper bound is the number of contexts (3 below)
      return [[[o.min], true], [[o.min - 1], false], [[2], true]];
    default:
      return [[true, true], [false, true]];
  }
}

describe('the option table', () => {
  test('JS validation accepts and rejects each range edge as the table says', () => {
    for (const o of OPTION_TABLE) {
      for (const [value, ok] of edges(o)) {
        const run = () => normaliseOptions({ [o.name]: value });
        if (ok) assert.doesNotThrow(run, `${o.name} = ${JSON.stringify(value)}`);
        else assert.throws(run, { name: 'InvalidArgumentError', option: o.name }, `${o.name} = ${JSON.stringify(value)}`);
      }
    }
  });

  test('compress_prompt names come from the table', () => {
    for (const o of OPTION_TABLE) {
      assert.deepEqual(fromSnakeCase({ [o.snake]: o.default }).options, { [o.name]: o.default });
    }
  });

  test('JS-only options are validated here and never sent to the core', () => {
    const jsOnly = OPTION_TABLE.filter((o) => o.jsOnly);
    assert.ok(jsOnly.some((o) => o.name === 'code'), 'code is declared JS-only');
    for (const o of jsOnly) {
      assert.equal(Object.hasOwn(forCore(o.phase, { [o.name]: o.default }), o.name), false, o.name);
    }
    for (const o of OPTION_TABLE.filter((x) => !x.jsOnly)) assert.ok(Object.hasOwn(forCore(o.phase, {}), o.name), o.name);
  });

  test('the types and wasm/API.md are generated from the table and current', () => {
    execFileSync(process.execPath, ['scripts/gen-options.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
    const types = readFileSync(`${ROOT}js/types/index.d.ts`, 'utf8');
    for (const o of OPTION_TABLE) {
      assert.ok(types.includes(`${describeRange(o)}. Default`), `${o.name}'s doc comment states its range`);
      assert.ok(types.includes(`  ${o.snake}?:`), `CompressPromptOptions has ${o.snake}`);
    }
    const prepare = OPTION_TABLE.filter((o) => o.phase === 'prepare').map((o) => `'${o.name}'`).join(' | ');
    assert.ok(types.includes(`Pick<CompressOptions, ${prepare}>`), 'PrepareOptions lists the prepare-phase options');
  });
});

describe('the core accepts exactly the table ranges', { skip: needsBoth }, () => {
  let core;
  let native;
  before(async () => {
    core = await loadCore();
    const { manifest, tokenizer } = await loadModel(FIXTURE);
    native = createCoreCompressor(core, tokenizer, manifest);
  });
  after(() => native?.delete());

  test('each range edge: the core (through the binding) agrees with JS validation', () => {
    const text = new TextEncoder().encode('abc');
    const lengths = new Uint32Array([1, 1, 1]);
    for (const o of OPTION_TABLE.filter((x) => !x.jsOnly)) { // jsOnly options never reach the core
      for (const [value, ok] of edges(o)) {
        // The raw value, past JS validation, straight into the core's value objects.
        const given = { [o.name]: value };
        const reply = o.phase === 'prepare'
          ? native.analyze(text, lengths, forCore('prepare', given))
          : native.prepare(text, lengths, forCore('prepare', {}), forCore('select', given));
        const what = `${o.name} = ${JSON.stringify(value)}: core says ${reply.message ?? 'ok'}`;
        // An outlier reading the fixture model lacks statistics for is a model limit, not a range.
        if (o.name === 'outlier' && ok && !reply.ok) assert.match(reply.message, /needs/, what);
        else assert.equal(reply.ok, ok, what);
        if (reply.ok) reply.job.delete();
        // A text option's non-string arrives as bytes that are not UTF-8 (bindings.cc SetText).
        else assert.equal(reply.code, o.type === 'string' ? 'INVALID_UTF8' : 'INVALID_ARGUMENT', what);
      }
    }
    // forceContextIds' upper bound: the number of contexts.
    const reply = native.prepare(text, lengths, forCore('prepare', {}), forCore('select', { forceContextIds: [3] }));
    assert.equal(reply.ok, false);
  });
});
