// Child: one cold start in a fresh process, phase by phase. args: {mode, model, text}.
//   mode 'ours':  createCompressor's steps, replayed one after the other through the
//                 package's modules, each timed (import, model files, core wasm, ORT start,
//                 session creation, core compressor, first result; nothing runs at load).
//   mode 'whole': createCompressor() and compress() as a user calls them.
//   mode 'floor': onnxruntime-web alone: import, its wasm, one session, one run on as many
//                 tokens as 'ours' ran: the least a cold start on ORT can cost.
// Reports the phases (ms) and `end`, the time since the process started when it was done,
// so the parent can tell how long the process lived after it (exit lag).
import { readFileSync } from 'node:fs';
import { args, readText, report } from '../e2e/child.mjs';

const text = readText(args.text);
const phases = {};
let last = performance.now();
const mark = (name) => {
  const now = performance.now();
  phases[name] = now - last;
  last = now;
};

// The last two phases of 'ours' and 'whole': the first compression, then dispose().
async function firstResult(compressor) {
  const r = await compressor.compress(text, { rate: 0.33 });
  mark('firstResult');
  phases.modelTokens = r.modelTokens;
  await compressor.dispose();
  mark('dispose');
}

if (args.mode === 'floor') {
  const { ort, ortDir } = await import('../e2e/ort.mjs');
  mark('import');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmBinary = readFileSync(`${ortDir}/dist/ort-wasm-simd-threaded.wasm`);
  const manifest = JSON.parse(readFileSync(`${args.model}/manifest.json`, 'utf8'));
  const onnx = readFileSync(`${args.model}/${manifest.onnx}`);
  mark('files');
  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
  mark('session');
  const n = args.tokens;
  const feeds = {
    [manifest.inputs.input_ids]: new ort.Tensor('int64', new BigInt64Array(n), [1, n]),
    [manifest.inputs.attention_mask]: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  };
  await session.run(feeds, [manifest.outputs.logits]);
  mark('firstRun');
  await session.release();
} else if (args.mode === 'whole') {
  const { createCompressor } = await import('mooscomp');
  mark('import');
  const compressor = await createCompressor({ model: args.model, threads: 1 });
  mark('create');
  await firstResult(compressor);
} else {
  const src = (m) => new URL(`../../js/src/${m}`, import.meta.url).href;
  await import('mooscomp');
  mark('import');
  const { loadModel } = await import(src('model.js'));
  const { loadCore, createCoreCompressor } = await import(src('core.js'));
  const { startOrt } = await import(src('ort-env.js'));
  const { createRunner } = await import(src('runner.js'));
  const { Compressor } = await import(src('compressor.js'));
  const model = await loadModel(args.model);
  mark('modelFiles');
  const core = await loadCore();
  mark('coreWasm');
  await startOrt('wasm', { threads: 1 });
  mark('ortStart');
  const runner = await createRunner(model.manifest, model.onnx, { threads: 1 });
  mark('session');
  const native = createCoreCompressor(core, model.tokenizer, model.manifest);
  const compressor = new Compressor(core, native, runner, model.manifest);
  mark('coreCompressor');
  await firstResult(compressor);
}
report({ ...phases, end: performance.now() });
