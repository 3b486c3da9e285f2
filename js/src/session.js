// One onnxruntime-web session on the CPU wasm backend, and the feeds/fetches of one batch.
// Browsers, workers and bundles get the wasm-only build: it loads ort-wasm-simd-threaded.wasm
// (14 MB), not the 28 MB WebGPU one.
import * as webOrt from 'onnxruntime-web/wasm';
import { InvalidModelError, InvalidArgumentError, InvalidStateError, InternalError, asMooscompError } from './errors.js';
import { isNode, nodeImport, readBytes, toUrl } from './environment.js';

// Node gets ORT's Node build (the package's default entry there, wasm-only too). The browser
// build cannot start threads in Node: it fetch()es ort-wasm-simd-threaded.mjs into a blob: URL
// for its workers (without location.origin every URL counts as cross-origin), and fetch()
// cannot read file: URLs; its embedded Emscripten loader has no worker_threads support either.
let ort; // set by configureOrt, before the first session
let configured; // ORT reads env.wasm once, when its first session starts
let compiledOrt; // a WebAssembly.Module to hand ORT instead of compiling bytes

// ORT's wasm is process-wide: the first compressor decides threads and where the wasm comes
// from; later ones must agree on threads (their wasm option is not used).
// wasm: {module} | {bytes} | {location} | undefined (see wasm-source.js).
async function configureOrt(threads, wasm) {
  ort ??= isNode ? await nodeImport('onnxruntime-web') : webOrt;
  if (configured !== undefined) {
    if (threads !== undefined && threads !== configured) {
      throw new InvalidStateError(`onnxruntime-web already runs with ${configured} thread(s); cannot switch to ${threads}`);
    }
    return;
  }
  const n = threads === undefined ? 1 : threads;
  ort.env.wasm.numThreads = n;
  ort.env.wasm.proxy = false;
  // Node cannot fetch() files: read ORT's wasm from disk (its own package by default).
  const source = wasm ?? (isNode ? { location: new URL(import.meta.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')) } : undefined);
  if (source && source.module) {
    compiledOrt = source.module;
    ort.env.wasm.wasmBinary = PLACEHOLDER;
  } else if (source && source.bytes) {
    ort.env.wasm.wasmBinary = source.bytes;
  } else if (source) {
    const url = await toUrl(source.location);
    // ORT's Node build opens any wasm path with fs: hand it bytes (fetched if http).
    if (isNode || url.protocol === 'file:') ort.env.wasm.wasmBinary = await readBytes(url, InternalError);
    else ort.env.wasm.wasmPaths = { wasm: url.href };
  }
  configured = n;
}

// ORT hands Emscripten only bytes (env.wasm.wasmBinary). To give it a compiled module we set
// these stand-in bytes and, while ORT starts, answer the WebAssembly.instantiate call made
// with them by instantiating the module instead. Other calls pass through untouched.
const PLACEHOLDER = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 8, 7, 0x6d, 0x6f, 0x6f, 0x73, 0x6f, 0x72, 0x74]);

async function withCompiledOrt(fn) {
  if (!compiledOrt) return fn();
  const original = WebAssembly.instantiate;
  const module = compiledOrt;
  WebAssembly.instantiate = function instantiate(source, imports) {
    if (isPlaceholder(source)) return original(module, imports).then((instance) => ({ instance, module }));
    return original.apply(this, arguments);
  };
  try {
    const result = await fn();
    compiledOrt = undefined; // ORT is started: later sessions reuse its instance
    return result;
  } finally {
    WebAssembly.instantiate = original;
  }
}

function isPlaceholder(source) {
  const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : null;
  return !!bytes && bytes.length === PLACEHOLDER.length && bytes.every((b, i) => b === PLACEHOLDER[i]);
}

export async function createSession(manifest, onnxBytes, { threads, wasm } = {}) {
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1 || threads > 64)) {
    throw new InvalidArgumentError(`threads must be an integer in [1, 64], got ${threads}`, { option: 'threads' });
  }
  await configureOrt(threads, wasm);
  let session;
  try {
    session = await withCompiledOrt(() => ort.InferenceSession.create(onnxBytes, { executionProviders: ['wasm'] }));
  } catch (err) {
    throw asMooscompError(err, InvalidModelError, 'cannot load the ONNX model');
  }
  const { inputs, outputs } = manifest;
  const missing = [
    ...[inputs.inputIds, inputs.attentionMask].filter((n) => !session.inputNames.includes(n)),
    ...[outputs.logits, outputs.hidden].filter((n) => n && !session.outputNames.includes(n)),
  ];
  const extra = session.inputNames.filter((n) => n !== inputs.inputIds && n !== inputs.attentionMask);
  if (missing.length || extra.length) {
    await session.release();
    throw new InvalidModelError(
      `the ONNX model does not match manifest.json (missing: ${missing.join(', ') || 'none'}; unexpected inputs: ${extra.join(', ') || 'none'})`,
    );
  }
  return new Session(session, manifest);
}

// A failed run comes back as a typed error; ORT's own log line for it would only repeat it on
// stderr (the load-time check at max_seq_len expects failures).
const RUN_OPTIONS = { logSeverityLevel: 4 };

class Session {
  #session;
  #manifest;

  constructor(session, manifest) {
    this.#session = session;
    this.#manifest = manifest;
  }

  // ids/mask: BigInt64Array [rows*seqLen]. Returns {logits, hidden?} as Float32Arrays.
  async run(ids, mask, rows, seqLen, wantHidden) {
    const { inputs, outputs, hiddenSize } = this.#manifest;
    const feeds = {
      [inputs.inputIds]: new ort.Tensor('int64', ids, [rows, seqLen]),
      [inputs.attentionMask]: new ort.Tensor('int64', mask, [rows, seqLen]),
    };
    const fetches = wantHidden ? [outputs.logits, outputs.hidden] : [outputs.logits];
    let result;
    try {
      result = await this.#session.run(feeds, fetches, RUN_OPTIONS);
    } catch (err) {
      throw asMooscompError(err, InvalidModelError, 'the ONNX model failed to run');
    }
    try {
      const logits = take(result[outputs.logits], 'float32', rows * seqLen * 2, outputs.logits);
      const hidden = wantHidden ? take(result[outputs.hidden], 'float32', rows * seqLen * hiddenSize, outputs.hidden) : undefined;
      return { logits, hidden };
    } finally {
      for (const t of Object.values(result)) t.dispose?.();
    }
  }

  async release() {
    await this.#session.release();
  }
}

// A CPU tensor's data stays valid after dispose(); check type and size before handing it on.
function take(tensor, type, size, name) {
  if (!tensor) throw new InternalError(`output "${name}" is missing`);
  if (tensor.type !== type || tensor.data.length !== size) {
    throw new InvalidModelError(`output "${name}" is ${tensor.type}[${tensor.dims.join(', ')}], expected ${type} with ${size} values`);
  }
  return tensor.data;
}
