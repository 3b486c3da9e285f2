// The inference runner seam (createCompressor({runner})): a runner that wraps the default one
// sees every model batch and changes nothing; a runner's wrong outputs are typed errors; the
// default runner leaves onnxruntime-web's and WebAssembly's globals as they were; device.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCompressor, InvalidArgumentError, InvalidModelError, InternalError } from '../../js/src/index.js';
import { nodeImport } from '../../js/src/environment.js';
import { FIXTURE, EXAMPLES, needsBoth, checkResult, rejectsWith } from './helpers.mjs';

const meeting = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8');
const noTimings = ({ timings, ...rest }) => rest;

// Every own property of an object, as descriptors: a replaced function shows up.
const snapshot = (o) => Object.getOwnPropertyDescriptors(o);

describe('runner seam', { skip: needsBoth }, () => {
  let plain;
  let expected;
  let ort;
  let globals;
  before(async () => {
    ort = await nodeImport('onnxruntime-web'); // the instance the default runner uses in Node
    globals = {
      instantiate: WebAssembly.instantiate,
      wasm: snapshot(WebAssembly),
      session: snapshot(ort.InferenceSession),
      proto: snapshot(ort.InferenceSession.prototype),
    };
    plain = await createCompressor({ model: FIXTURE });
    expected = await plain.compress(meeting, { rate: 0.5, outlier: 'hidden', alpha: 0.5 });
  });
  after(() => plain?.dispose());

  const unpatched = () => {
    assert.equal(WebAssembly.instantiate, globals.instantiate);
    assert.deepEqual(snapshot(WebAssembly), globals.wasm);
    assert.deepEqual(snapshot(ort.InferenceSession), globals.session);
    assert.deepEqual(snapshot(ort.InferenceSession.prototype), globals.proto);
  };

  test('a runner wrapping the default one sees every batch; the result is unchanged', async () => {
    const calls = [];
    let released = 0;
    const c = await createCompressor({
      model: FIXTURE,
      runner: async ({ model, onnx, createDefault }) => {
        assert.equal(model.name, plain.model.name);
        assert.ok(onnx instanceof Uint8Array && onnx.length > 1000);
        const inner = await createDefault();
        return {
          device: inner.device,
          async run(ids, mask, rows, seqLen, needsHidden) {
            unpatched(); // while ORT is running too
            calls.push({ rows, seqLen, needsHidden, ids: ids.length });
            return inner.run(ids, mask, rows, seqLen, needsHidden);
          },
          release: () => { released++; return inner.release(); },
        };
      },
    });
    assert.equal(calls.length, 0, 'nothing runs at load time');
    const r = await c.compress(meeting, { rate: 0.5, outlier: 'hidden', alpha: 0.5 });
    await c.dispose();
    assert.equal(released, 1);
    assert.equal(calls.reduce((n, k) => n + k.rows, 0), r.windows, 'one row per window');
    assert.ok(calls.every((k) => k.needsHidden === true && k.ids === k.rows * k.seqLen));
    assert.equal(r.device, 'wasm');
    assert.deepEqual(noTimings(r), noTimings(expected));
    unpatched();
  });

  test('a runner object without a device is "custom"; its outputs are used as given', async () => {
    // Logits that favour "keep" everywhere: every word is kept at rate 1.
    const c = await createCompressor({
      model: FIXTURE,
      runner: {
        async run(ids, mask, rows, seqLen, needsHidden) {
          const logits = new Float32Array(rows * seqLen * 2);
          for (let i = 0; i < rows * seqLen; i++) logits[2 * i + 1] = 5;
          return { logits, hidden: needsHidden ? new Float32Array(rows * seqLen * plain.model.hiddenSize) : undefined };
        },
        release() {},
      },
    });
    try {
      assert.equal(c.device, 'custom');
      const r = await c.compress(meeting, { rate: 1 });
      checkResult(r, [meeting]);
      assert.equal(r.device, 'custom');
      assert.ok(r.words.every((w) => w.keep));
    } finally {
      await c.dispose();
    }
  });

  test('wrong outputs from a runner are InvalidModelErrors, on the first run and later; its throws are typed', async () => {
    const bad = [
      ['short logits', (rows, seqLen) => ({ logits: new Float32Array(rows * seqLen * 2 - 1) })],
      ['float64 logits', (rows, seqLen) => ({ logits: new Float64Array(rows * seqLen * 2) })],
      ['no logits', () => ({})],
      ['nothing', () => undefined],
      ['no hidden', (rows, seqLen) => ({ logits: new Float32Array(rows * seqLen * 2) })],
    ];
    const good = (rows, seqLen) => ({ logits: new Float32Array(rows * seqLen * 2), hidden: new Float32Array(rows * seqLen * plain.model.hiddenSize) });
    for (const [what, make] of bad) {
      // Wrong from the start (nothing runs at load time), or wrong later: compress() rejects,
      // and the compressor stays usable.
      for (const wrongRun of [0, 1]) {
        let n = 0;
        const c = await createCompressor({ model: FIXTURE, runner: { run: async (i, m, rows, seqLen) => (n++ === wrongRun ? make(rows, seqLen) : good(rows, seqLen)), release() {} } });
        try {
          if (wrongRun === 1) checkResult(await c.compress(meeting.slice(0, 300), { rate: 0.5, outlier: 'hidden', alpha: 0.5 }), [meeting.slice(0, 300)]);
          await assert.rejects(c.compress(meeting.slice(0, 300), { rate: 0.5, outlier: 'hidden', alpha: 0.5 }),
            (err) => err instanceof InvalidModelError && err.code === 'INVALID_MODEL' && /runner returned/.test(err.message), `${what}, run ${wrongRun}`);
          checkResult(await c.compress(meeting.slice(0, 300), { rate: 0.5 }), [meeting.slice(0, 300)]);
        } finally {
          await c.dispose();
        }
      }
    }
    let calls = 0;
    const throwing = await createCompressor({ model: FIXTURE, runner: { run: async (i, m, rows, seqLen) => { if (calls++) throw new Error('down'); return good(rows, seqLen); }, release() {} } });
    try {
      await rejectsWith(throwing.compress(meeting), InternalError, 'INTERNAL');
    } finally {
      await throwing.dispose();
    }
  });

  test('bad runner options are InvalidArgumentErrors', async () => {
    for (const runner of [{}, { run() {} }, { run() {}, release: 1 }, 42, { run() {}, release() {}, device: '' }, () => null]) {
      await rejectsWith(createCompressor({ model: FIXTURE, runner }), InvalidArgumentError, 'INVALID_ARGUMENT');
    }
    await rejectsWith(createCompressor({ model: FIXTURE, runner: () => { throw new Error('no'); } }), InvalidArgumentError, 'INVALID_ARGUMENT');
    // device belongs to the default runner.
    await rejectsWith(createCompressor({ model: FIXTURE, device: 'wasm', runner: { run() {}, release() {} } }), InvalidArgumentError, 'INVALID_ARGUMENT');
    for (const device of ['gpu', '', 1, null]) {
      await rejectsWith(createCompressor({ model: FIXTURE, device }), InvalidArgumentError, 'INVALID_ARGUMENT');
    }
  });

  test("device 'webgpu' in Node falls back to wasm, with the same result", async () => {
    const c = await createCompressor({ model: FIXTURE, device: 'webgpu' });
    try {
      assert.equal(c.device, 'wasm');
      const r = await c.compress(meeting, { rate: 0.5, outlier: 'hidden', alpha: 0.5 });
      assert.equal(r.device, 'wasm');
      assert.deepEqual(noTimings(r), noTimings(expected));
    } finally {
      await c.dispose();
    }
    const def = await createCompressor({ model: FIXTURE, device: 'wasm' });
    assert.equal(def.device, 'wasm');
    assert.equal(plain.device, 'wasm');
    await def.dispose();
  });
});

test('segment results carry the device too', { skip: needsBoth }, async () => {
  const c = await createCompressor({ model: FIXTURE });
  try {
    const r = await c.compress([{ text: 'Keep this line as it is.', compress: false }, { text: meeting.slice(0, 600), rate: 0.5 }]);
    assert.equal(r.device, 'wasm');
    assert.ok(Array.isArray(r.segments));
  } finally {
    await c.dispose();
  }
});
