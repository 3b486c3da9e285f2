// The runtime's hostile cases: calls on one compressor interleave batch by batch; a runner
// that never answers, or fails to release, cannot hang a call, later calls or dispose(); a
// compressor's analyses of every kind end with it; wasm files that are not what they claim,
// a navigator.gpu in Node and a bad core wasm with threads leave the process as it was.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  createCompressor, InvalidArgumentError, InvalidStateError, InternalError, TimeoutError, MooscompError,
} from '../../js/src/index.js';
import { FIXTURE, EXAMPLES, ROOT, needsBoth } from './helpers.mjs';

const meeting = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8');

// A runner around the default one: records each run, and can be told to hang or fail.
function recording(log, behaviour = {}) {
  return async ({ createDefault }) => {
    const inner = await createDefault();
    let runs = 0;
    return {
      device: 'recording',
      run: (ids, mask, rows, seqLen, needsHidden) => {
        runs++;
        log.push({ rows, seqLen, tag: behaviour.tag?.() });
        if (behaviour.hangAfter !== undefined && runs > behaviour.hangAfter) return new Promise(() => {});
        return inner.run(ids, mask, rows, seqLen, needsHidden);
      },
      release: async () => {
        await inner.release();
        if (behaviour.release) return behaviour.release();
      },
    };
  };
}

describe('calls on one compressor', { skip: needsBoth }, () => {
  test('a short call started during a long one ends first: their model batches take turns', async () => {
    const log = [];
    let current = 'long';
    const c = await createCompressor({ model: FIXTURE, runner: recording(log, { tag: () => current }), defaults: { maxBatchSize: 1 } });
    try {
      const order = [];
      const long = c.compress(meeting.repeat(3), { rate: 0.5 }).then((r) => { order.push('long'); return r; });
      await new Promise((resolve) => setImmediate(resolve)); // the long call is under way
      current = 'short';
      const short = c.compress('A short prompt that fits one window.', { rate: 0.5 }).then((r) => { order.push('short'); return r; });
      const [rl, rs] = await Promise.all([long, short]);
      assert.deepEqual(order, ['short', 'long']);
      assert.ok(rl.windows > 4, `${rl.windows} windows in the long call`);
      // Both results are what each call gives alone.
      const alone = await c.compress('A short prompt that fits one window.', { rate: 0.5 });
      assert.equal(rs.compressedPrompt, alone.compressedPrompt);
    } finally {
      await c.dispose();
    }
  });
});

describe('a runner that never answers', { skip: needsBoth }, () => {
  test('the call rejects with TimeoutError, later calls too, and dispose() completes', async () => {
    const log = [];
    // Run 1 is the load-time check; every later run hangs.
    const c = await createCompressor({ model: FIXTURE, runner: recording(log, { hangAfter: 1 }), runTimeout: 200 });
    const t0 = performance.now();
    const err = await c.compress(meeting, { rate: 0.5 }).catch((e) => e);
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal(err.code, 'TIMEOUT');
    assert.ok(performance.now() - t0 < 5000);
    await assert.rejects(c.compress('Another call.', { rate: 0.5 }), TimeoutError);
    await c.dispose();
    await assert.rejects(c.compress('After dispose.'), InvalidStateError);
  });

  test('dispose() waits for a call in flight, bounded by runTimeout', async () => {
    const c = await createCompressor({ model: FIXTURE, runner: recording([], { hangAfter: 1 }), runTimeout: 200 });
    const call = c.compress(meeting, { rate: 0.5 });
    await c.dispose();
    await assert.rejects(call, TimeoutError);
  });

  test('runTimeout is checked', async () => {
    for (const runTimeout of [0, -1, NaN, '100', 2 ** 40]) {
      await assert.rejects(createCompressor({ model: FIXTURE, runTimeout }), (e) => e instanceof InvalidArgumentError && e.option === 'runTimeout', String(runTimeout));
    }
  });
});

describe("a runner's release()", { skip: needsBoth }, () => {
  test('that throws: dispose() rejects with a typed error', async () => {
    const c = await createCompressor({ model: FIXTURE, runner: recording([], { release: () => { throw new Error('boom'); } }) });
    const err = await c.dispose().catch((e) => e);
    assert.ok(err instanceof InternalError, String(err));
    assert.match(err.message, /release.*boom/);
    assert.equal(await c.dispose().catch((e) => e), err, 'a second dispose() answers the same');
  });

  test('that hangs: dispose() rejects with TimeoutError', async () => {
    const c = await createCompressor({ model: FIXTURE, runner: recording([], { release: () => new Promise(() => {}) }), runTimeout: 200 });
    await assert.rejects(c.dispose(), TimeoutError);
  });
});

describe('analyses end with their compressor', { skip: needsBoth }, () => {
  test('of an empty segment list and of protected segments only', async () => {
    const c = await createCompressor({ model: FIXTURE });
    const empty = await c.analyze([{ text: '' }]);
    const protectedOnly = await c.analyze([{ text: 'Keep me.', compress: false }]);
    const text = await c.analyze(meeting.slice(0, 500));
    assert.equal(empty.select({ rate: 0.5 }).compressedPrompt, '');
    assert.equal(protectedOnly.select({ rate: 0.5 }).compressedPrompt, 'Keep me.');
    await c.dispose();
    for (const a of [empty, protectedOnly, text]) {
      assert.equal(a.disposed, true);
      assert.throws(() => a.select({ rate: 0.5 }), InvalidStateError);
    }
  });
});

describe('wasm files that are not what they claim', { skip: needsBoth }, () => {
  test("a core wasm path that is no wasm: the error does not quote the file", async () => {
    const err = await createCompressor({ model: FIXTURE, coreWasm: join(ROOT, 'README.md') }).catch((e) => e);
    assert.ok(err instanceof InvalidArgumentError && err.option === 'coreWasm', String(err));
    const head = readFileSync(join(ROOT, 'README.md')).subarray(0, 4);
    assert.ok(!err.message.includes(head.toString('latin1')), err.message);
    assert.ok(!err.message.includes([...head].map((b) => b.toString(16).padStart(2, '0')).join(' ')), err.message);
  });
});

// Each in a fresh process: what is under test is the process-wide state ORT keeps.
function inChild(code) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe('process-wide state', { skip: needsBoth }, () => {
  test('a bad coreWasm with threads leaves ORT unstarted, so other threads still work', () => {
    const r = inChild(`
      import { createCompressor } from './js/src/index.js';
      const bad = await createCompressor({ model: ${JSON.stringify(FIXTURE)}, threads: 2, coreWasm: new Uint8Array([1, 2, 3]) }).catch((e) => e.code);
      const c = await createCompressor({ model: ${JSON.stringify(FIXTURE)}, threads: 1 });
      console.log(bad, (await c.compress('It works after all.', { rate: 0.5 })).compressedPrompt.length > 0);
      await c.dispose();`);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out, 'INVALID_ARGUMENT true');
  });

  test("a navigator.gpu in Node: device 'webgpu' falls back to wasm", () => {
    const r = inChild(`
      Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => { throw new Error('fake'); } } }, configurable: true });
      import('./js/src/index.js').then(async ({ createCompressor }) => {
        const c = await createCompressor({ model: ${JSON.stringify(FIXTURE)}, device: 'webgpu' });
        console.log(c.device, (await c.compress('Still compressed.', { rate: 0.5 })).compressedPrompt.length > 0);
        await c.dispose();
      });`);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out, 'wasm true');
  });

  test('an empty module as ortWasm (bytes or compiled) is an InvalidArgumentError, and ORT still starts after it', () => {
    for (const wrap of ['bytes', 'new WebAssembly.Module(bytes)']) {
      const r = inChild(`
        import { createCompressor } from './js/src/index.js';
        const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
        const e = await createCompressor({ model: ${JSON.stringify(FIXTURE)}, ortWasm: ${wrap} }).catch((e) => e);
        const c = await createCompressor({ model: ${JSON.stringify(FIXTURE)} });
        console.log(e.code, e.option, c.device);
        await c.dispose();`);
      assert.equal(r.status, 0, r.err);
      assert.equal(r.out, 'INVALID_ARGUMENT ortWasm wasm', wrap);
    }
  });

  test('an empty module or the wrong wasm as coreWasm is an InvalidArgumentError, never a crash', () => {
    const r = inChild(`
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      import { createCompressor } from './js/src/index.js';
      const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
      const ortWasm = readFileSync(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm', { paths: ['./js'] }));
      const codes = [];
      for (const coreWasm of [empty, new WebAssembly.Module(empty), new WebAssembly.Module(ortWasm)]) {
        codes.push(await createCompressor({ model: ${JSON.stringify(FIXTURE)}, coreWasm }).then(() => 'created', (e) => e.code + ':' + e.option));
      }
      console.log(codes.join(' '));`);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out, 'INVALID_ARGUMENT:coreWasm INVALID_ARGUMENT:coreWasm INVALID_ARGUMENT:coreWasm');
  });
});
