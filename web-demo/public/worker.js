// The compression worker: loads the model and runs mooscomp here, off the main thread, so
// the page keeps painting and answering clicks while a long prompt is compressed.
//
// In:  {type: 'load', id, modelUrl, threads}
//      {type: 'analyze', id, text, prepare, select, protect}: runs the model once (on
//        protectPrompt(text) when protect is set, with prepare.question when the page has
//        one), keeps the analysis, answers with its selection for `select`
//      {type: 'select', id, options}: another selection from the kept analysis (no model run)
// Out: {type: 'progress', id, label, loaded?, total?}  |  {type: 'loaded', id, info}
//      {type: 'result', id, result (words packed: see packWords; modelCalls: the compressor's
//        model batches so far)}  |  {type: 'error', id, error: {code, message, option?}}

// The URL the server maps the package's `onnxruntime-web` import to: the same module
// instance, so we can read the thread count ORT actually settled on.
import * as ort from '/ort/ort.wasm.bundle.min.mjs';
import { createCompressor, protectPrompt } from '/js/src/index.js';
import { wasmSimdSupported } from './features.js';

let compressor;
let analysis; // the last text's, for selections while a slider moves

self.onmessage = async ({ data }) => {
  const { type, id } = data;
  try {
    if (type === 'load') post({ type: 'loaded', id, info: await load(id, data.modelUrl, data.threads) });
    else if (type === 'analyze' || type === 'select') {
      const result = packWords(type === 'analyze' ? await analyze(data.text, data.prepare, data.select, data.protect) : select(data.options));
      result.modelCalls = compressor.modelCalls;
      const w = result.words;
      self.postMessage({ type: 'result', id, result }, [w.start.buffer, w.end.buffer, w.flags.buffer]);
    }
    else throw Object.assign(new Error(`unknown message ${type}`), { code: 'INTERNAL' });
  } catch (err) {
    post({ type: 'error', id, error: { code: err.code || 'INTERNAL', message: err.message || String(err), option: err.option } });
  }
};

function post(message) {
  self.postMessage(message);
}

// The package's own loader fetches the model folder; its progress events, one per file, add
// up to one bar so a large model shows real progress.
async function load(id, modelUrl, threads) {
  const t0 = performance.now();
  const folder = new URL(modelUrl, self.location.href);
  const files = new Map(); // file -> {loaded, total}
  const onProgress = (p) => {
    if (p.stage !== 'model') return;
    files.set(p.file, { loaded: p.loadedBytes, total: p.totalBytes || 0 });
    const all = [...files.values()];
    post({ type: 'progress', id, label: 'Downloading the model', loaded: sum(all.map((f) => f.loaded)), total: sum(all.map((f) => f.total)) || undefined });
  };
  post({ type: 'progress', id, label: 'Loading the model' });
  const next = await createCompressor({ model: folder.href, threads, onProgress });
  if (compressor) await compressor.dispose();
  compressor = next;

  return {
    model: compressor.model,
    modelBytes: sum([...files.values()].map((f) => f.loaded)),
    outliers: compressor.model.outliers, // the readings this model can serve, as the core says
    loadMs: performance.now() - t0,
    threads: ort.env.wasm.numThreads, // ORT writes 1 back here when it cannot use threads
    crossOriginIsolated: self.crossOriginIsolated === true,
    simd: wasmSimdSupported(),
  };
}

async function analyze(text, prepare, options, protect) {
  if (!compressor) throw Object.assign(new Error('the model is not loaded yet'), { code: 'INVALID_STATE' });
  analysis?.dispose();
  analysis = undefined;
  analysis = await compressor.analyze(protect ? protectPrompt(text) : text, prepare);
  return analysis.select(options);
}

function select(options) {
  if (!analysis || analysis.disposed) throw Object.assign(new Error('nothing analysed yet'), { code: 'INVALID_STATE' });
  return analysis.select(options);
}

// Words as three transferable arrays instead of thousands of objects: cheaper to post,
// and the page already holds the text. flags: 1 = kept, 2 = forced.
function packWords(result) {
  const n = result.words.length;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const flags = new Uint8Array(n);
  result.words.forEach((w, i) => {
    if (w.context !== 0) return; // the page sends one context
    start[i] = w.start;
    end[i] = w.end;
    flags[i] = (w.keep ? 1 : 0) | (w.forced ? 2 : 0);
  });
  return { ...result, words: { count: n, start, end, flags } };
}

function sum(xs) {
  return xs.reduce((a, b) => a + b, 0);
}
