// Entry for Cloudflare's runtime (workerd). There, compiling wasm from bytes is forbidden
// and import.meta.url is undefined, so both wasm files are imported as modules (the
// bundler, e.g. wrangler, turns a .wasm import into a compiled WebAssembly.Module) and
// handed over already compiled. ORT runs on one thread: workerd has no Worker.
import coreWasm from '../dist/mooscomp-core.wasm';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import { createCompressor as create, InvalidArgumentError } from './index.js';

export * from './index.js';

// Same options as the default entry; the model must be given (a URL or its bytes), since
// no package files can be read from disk here.
export function createCompressor(options = {}) {
  if (typeof options !== 'object' || options === null || options.model === undefined || options.model === null) {
    return Promise.reject(new InvalidArgumentError('in workerd, pass the model: a URL, or {manifest, onnx, tokenizer} (see README, Cloudflare Workers)', { option: 'model' }));
  }
  return create({ coreWasm, ortWasm, threads: 1, ...options });
}
