// mooscomp: prompt compression (MOOSComp on LLMLingua-2) with a wasm core and onnxruntime-web.
import { InvalidArgumentError } from './errors.js';
import { loadModel } from './model.js';
import { loadCore, createCoreCompressor } from './core.js';
import { createRunner } from './runner.js';
import { Compressor } from './compressor.js';
import { wasmSource } from './wasm-source.js';
import { normaliseOptions } from './options.js';
import { checkRunTimeout } from './with-timeout.js';
import { holdEventLoop } from './hold-event-loop.js';

export {
  MooscompError,
  InvalidArgumentError,
  InvalidUtf8Error,
  InvalidModelError,
  InvalidStateError,
  InternalError,
  AbortError,
  TimeoutError,
} from './errors.js';
export { Compressor };
export { MODEL_FILE_LIMITS } from './model.js';
export { Analysis } from './analysis.js';
export { protectPrompt } from './protect-prompt.js';
export { escapeMarkup } from './escape-markup.js';
export { findCodeBlocks } from './code-blocks.js';
export { rateLine } from './rate-line.js';

const OPTIONS = ['model', 'threads', 'coreWasm', 'ortWasm', 'cache', 'onProgress', 'modelLimits', 'defaults', 'countTokens', 'runner', 'device', 'runTimeout'];
export const MODEL_CACHE = 'mooscomp-models';

// options: {model?: path | URL | {manifest, onnx, tokenizer}, threads?: number,
//           coreWasm?, ortWasm?: path | URL | bytes | WebAssembly.Module, cache?: boolean | string,
//           onProgress?: ({stage: 'model', file, loadedBytes, totalBytes, cached}) => void,
//           modelLimits?: {manifest?, onnx?, tokenizer?} (bytes; MODEL_FILE_LIMITS by default),
//           defaults?: compress options under every call's (over the model manifest's),
//           countTokens?: (text) => exact target-LLM tokens, instead of the built-in estimate,
//           runner?: runner | ({model, onnx, createDefault}) => runner (runner.js),
//           device?: 'wasm' | 'webgpu' (the default runner's; falls back to wasm),
//           runTimeout?: ms one model run or the runner's release() may take (with-timeout.js)}
export async function createCompressor(options = {}) {
  const release = holdEventLoop();
  try {
    return await create(options);
  } finally {
    release();
  }
}

async function create(options) {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) throw new InvalidArgumentError(`unknown option "${key}"`, { option: key });
  }
  const { cache = false } = options;
  if (typeof cache !== 'boolean' && !(typeof cache === 'string' && cache.length > 0)) {
    throw new InvalidArgumentError('cache must be a boolean or a cache name', { option: 'cache' });
  }
  const defaults = normaliseOptions(options.defaults); // checked before anything loads
  const { countTokens } = options;
  if (countTokens !== undefined && typeof countTokens !== 'function') {
    throw new InvalidArgumentError('countTokens must be a function (text) => token count', { option: 'countTokens' });
  }
  const coreWasm = wasmSource(options.coreWasm, 'coreWasm');
  const ortWasm = wasmSource(options.ortWasm, 'ortWasm');
  const runTimeout = checkRunTimeout(options.runTimeout);
  // The model and the core first: onnxruntime-web keeps its settings (threads) for the life
  // of the process once started, so it starts only when nothing else can fail before it.
  const [modelR, coreR] = await Promise.allSettled([
    loadModel(options.model, {
      cacheName: cache === true ? MODEL_CACHE : cache || undefined,
      limits: options.modelLimits,
      onProgress: options.onProgress,
    }),
    loadCore(coreWasm),
  ]);
  if (modelR.status === 'rejected' || coreR.status === 'rejected') {
    throw modelR.status === 'rejected' ? modelR.reason : coreR.reason; // a bad model first: the caller can fix it
  }
  const model = modelR.value;
  const core = coreR.value;
  const { manifest } = model;
  const runner = await createRunner(manifest, model.onnx, {
    runner: options.runner, device: options.device, threads: options.threads, wasm: ortWasm, runTimeout,
  });
  let native;
  try {
    native = createCoreCompressor(core, model.tokenizer, manifest);
  } catch (err) {
    await runner.release().catch(() => {}); // the load's error is the one to report
    throw err;
  }
  return new Compressor(core, native, runner, manifest, { defaults, countTokens });
}
