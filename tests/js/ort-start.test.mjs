// onnxruntime-web starts once per process: a failed start (bad ortWasm) must leave nothing
// behind, so that the next createCompressor() starts it afresh with its own settings; once it
// has started, another thread count is a clear InvalidStateError. Process-wide state, so the
// steps run in a child process (this file, with MOOSCOMP_ORT_START set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE, ROOT, EXAMPLES, needsBoth } from './helpers.mjs';

if (process.env.MOOSCOMP_ORT_START) {
  const { createCompressor } = await import('../../js/src/index.js');
  const text = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8').slice(0, 1500);
  const steps = [];
  const attempt = async (name, options) => {
    try {
      const c = await createCompressor({ model: FIXTURE, ...options });
      const r = await c.compress(text, { rate: 0.5 });
      await c.dispose();
      steps.push({ name, ok: true, prompt: r.compressedPrompt });
    } catch (err) {
      steps.push({ name, ok: false, name2: err.name, code: err.code, message: err.message });
    }
  };
  if (process.env.MOOSCOMP_ORT_START === 'refused') {
    // Not wasm at all, or no file: refused before onnxruntime-web sees it.
    await attempt('garbage', { ortWasm: new Uint8Array([0, 1, 2, 3, 4]), threads: 2 });
    await attempt('missing file', { ortWasm: join(ROOT, 'no-such-ort.wasm'), threads: 2 });
    await attempt('default', {});
    await attempt('again, 1 thread', { threads: 1 });
    await attempt('2 threads now', { threads: 2 });
  } else {
    // Valid wasm with the shape of ORT's (it imports a memory, exports a function), but not
    // ORT's: it needs an import ORT's loader does not give, so ORT's own start fails, and ORT
    // keeps that.
    const lookalike = new Uint8Array([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, // a type: () -> ()
      2, 0x0f, 2, 1, 0x61, 1, 0x61, 2, 0, 1, 2, 0x7a, 0x7a, 1, 0x66, 0, 0, // imports a.a (memory), zz.f
      3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 1, 0x0a, 4, 1, 2, 0, 0x0b, // exports f
    ]);
    // Our core's wasm exports its memory: refused before ORT sees it.
    await attempt('refused', { ortWasm: readFileSync(join(ROOT, 'js/dist/mooscomp-core.wasm')), threads: 2 });
    await attempt('lookalike', { ortWasm: lookalike, threads: 2 });
    await attempt('default', {});
  }
  process.stdout.write(JSON.stringify(steps));
  process.exit(0); // ORT's thread workers from the failed start would keep the process alive
} else {
  const child = (scenario) => new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, MOOSCOMP_ORT_START: scenario } }, (err, out, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(Object.fromEntries(JSON.parse(out).map((s) => [s.name, s])));
    });
  });

  test('a wasm refused before onnxruntime-web starts leaves nothing behind; then the thread count is fixed', { skip: needsBoth, timeout: 120_000 }, async () => {
    const steps = await child('refused');
    for (const name of ['garbage', 'missing file']) {
      assert.equal(steps[name].ok, false, name);
      assert.equal(steps[name].code, 'INVALID_ARGUMENT', `${name}: ${steps[name].message}`);
    }
    assert.match(steps.garbage.message, /not a valid WebAssembly module/);
    assert.equal(steps.default.ok, true, steps.default.message);
    assert.equal(steps['again, 1 thread'].ok, true, steps['again, 1 thread'].message);
    assert.equal(steps['again, 1 thread'].prompt, steps.default.prompt);
    assert.equal(steps['2 threads now'].ok, false);
    assert.equal(steps['2 threads now'].code, 'INVALID_STATE');
    assert.match(steps['2 threads now'].message, /already runs with 1 thread/);
  });

  test('after onnxruntime-web itself failed to start, later compressors get a typed error that says why', { skip: needsBoth, timeout: 120_000 }, async () => {
    const steps = await child('failed');
    assert.equal(steps['lookalike'].code, 'INVALID_ARGUMENT', steps['lookalike'].message);
    assert.match(steps['lookalike'].message, /failed to start/);
    assert.equal(steps.refused.code, 'INVALID_ARGUMENT', steps.refused.message);
    assert.match(steps.refused.message, /imports no memory/);
    assert.equal(steps.default.code, 'INVALID_STATE', steps.default.message);
    assert.match(steps.default.message, /failed to start earlier in this process.*module="zz"/);
  });
}
