// onnxruntime-web's process-wide state, in one place: which build runs ('wasm': the CPU
// build; 'webgpu': the WebGPU one, browsers only), its env (threads, where its wasm comes
// from), set once when the build starts, and one queue for every call into a build.
//
// Why a queue: a build is one wasm instance shared by all its sessions, and ORT's run()
// keeps its input/output name and value arrays on that instance's stack across awaits, then
// restores the stack pointer it saved. Two runs in flight (two sessions) pop each other's
// arrays: "output name cannot be empty", null reads, out-of-bounds accesses. So every
// session creation, run and release goes through `exclusive`.
import * as webOrt from 'onnxruntime-web/wasm';
import { InvalidArgumentError, InvalidStateError, InternalError, asMooscompError } from './errors.js';
import { isNode, nodeImport, readBytes, toUrl } from './environment.js';
import { checkedModule } from './wasm-source.js';

// A one-node model (Identity, float[1]): starting ORT on it tells a wasm or thread failure
// apart from a bad model, and leaves nothing started when it fails.
const PROBE_MODEL = new Uint8Array([
  8, 7, 58, 55, 10, 16, 10, 1, 120, 18, 1, 121, 34, 8, 73, 100, 101, 110, 116, 105, 116, 121, 18, 1, 112,
  90, 15, 10, 1, 120, 18, 10, 10, 8, 8, 1, 18, 4, 10, 2, 8, 1, 98, 15, 10, 1, 121, 18, 10, 10, 8, 8, 1, 18,
  4, 10, 2, 8, 1, 66, 4, 10, 0, 16, 13,
]);

const builds = new Map(); // kind -> Promise<{ort, threads, ep}> while starting or started
const failed = new Map(); // kind -> the error of a start that reached ORT and failed there
let tail = Promise.resolve(); // the queue (one for all builds: simpler, and their calls are this thread's work anyway)

// Runs fn alone: no other ORT call of this package starts before it settles.
export function exclusive(fn) {
  const run = tail.then(fn);
  tail = run.catch(() => {});
  return run;
}

// Starts (once) and returns the build {ort, threads, ep}. threads: requested count or
// undefined (1 on first start); a later different count is an InvalidStateError, since ORT
// starts its thread pool once per build. wasm: {module} | {bytes} | {location} | undefined
// (see wasm-source.js), used only by the start. Settings are kept only once ORT has started.
// A wasm that cannot be read or is no wasm is refused before ORT sees it, and the next call
// starts afresh; but ORT keeps a failure of its own start for the life of the process (in
// its backend registry, shared by every copy of the module), so after one, every later
// start is an InvalidStateError that says so.
export async function startOrt(kind, { threads, wasm } = {}) {
  let started = builds.get(kind);
  if (!started) {
    started = start(kind, threads ?? 1, wasm);
    builds.set(kind, started);
    started.catch(() => builds.delete(kind));
  }
  const build = await started;
  if (threads !== undefined && threads !== build.threads) {
    throw new InvalidStateError(
      `onnxruntime-web already runs with ${build.threads} thread(s) in this process; its thread count is set once, when it starts (cannot switch to ${threads})`,
      { option: 'threads' },
    );
  }
  return build;
}

async function start(kind, threads, wasm) {
  const earlier = failed.get(kind);
  if (earlier) {
    throw new InvalidStateError(
      `onnxruntime-web (${kind}) failed to start earlier in this process and cannot start again (${earlier.message}); restart the process or reload the page`,
      { cause: earlier },
    );
  }
  const ort = await loadOrt(kind);
  const ep = kind === 'webgpu' ? 'webgpu' : 'wasm';
  const compiled = await configure(ort, threads, kind === 'wasm' ? wasm : undefined);
  return exclusive(async () => {
    try {
      const probe = await withCompiledOrt(compiled, () => ort.InferenceSession.create(PROBE_MODEL, { executionProviders: [ep] }));
      await probe.release();
    } catch (err) {
      // A wasm given by the caller is the likely cause; else ORT's own files or the runtime.
      const error = asMooscompError(err, compiled || wasm ? InvalidArgumentError : InternalError, `onnxruntime-web (${kind}) failed to start`);
      failed.set(kind, error);
      throw error;
    }
    return { ort, threads, ep };
  });
}

// Node gets ORT's Node build (the package's default entry there, wasm-only too). The browser
// build cannot start threads in Node: it fetch()es ort-wasm-simd-threaded.mjs into a blob: URL
// for its workers (without location.origin every URL counts as cross-origin), and fetch()
// cannot read file: URLs; its embedded Emscripten loader has no worker_threads support either.
async function loadOrt(kind) {
  if (kind === 'webgpu') return import('onnxruntime-web/webgpu');
  return isNode ? nodeImport('onnxruntime-web') : webOrt;
}

// Sets ORT's env before its start. Returns a compiled module to hand over, if one was given.
async function configure(ort, threads, wasm) {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  // Node cannot fetch() files: read ORT's wasm from disk (its own package by default).
  const source = wasm ?? (isNode ? { location: new URL(import.meta.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')) } : undefined);
  if (!source) return undefined;
  if (source.module) return moduleFor(ort, source);
  let bytes = source.bytes;
  if (!bytes) {
    const url = await toUrl(source.location);
    // ORT's Node build opens any wasm path with fs: hand it bytes (fetched if http). Browsers
    // let ORT fetch it (streaming compile), after checking it is there.
    if (isNode || url.protocol === 'file:') {
      bytes = await readBytes(url, InvalidArgumentError);
    } else {
      ort.env.wasm.wasmPaths = { wasm: url.href };
      return undefined;
    }
  }
  if (!wasm) {
    ort.env.wasm.wasmBinary = bytes; // ORT's own file
    return undefined;
  }
  // A caller's bytes are compiled and checked here (ORT would compile them anyway: the module
  // is handed over as a given one is), so that what is no ORT wasm never reaches ORT, which
  // would keep the failure, or fail outside any promise of ours.
  return moduleFor(ort, { bytes });
}

async function moduleFor(ort, source) {
  const module = await checkedModule(source, ORT_WASM);
  ort.env.wasm.wasmBinary = PLACEHOLDER;
  return module;
}

const ORT_WASM = { option: 'ortWasm', memory: 'imported', expected: "onnxruntime-web's ort-wasm-simd-threaded.wasm" };


// ORT hands Emscripten only bytes (env.wasm.wasmBinary) and imports its Emscripten factory
// itself, so a compiled module (what edge runtimes give; they refuse to compile bytes) cannot
// be passed through any ORT option. For that one case we set stand-in bytes and, while ORT
// starts, answer the WebAssembly.instantiate call made with them by instantiating the module.
// Other calls pass through untouched, and the original is back once the start settles.
const PLACEHOLDER = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 8, 7, 0x6d, 0x6f, 0x6f, 0x73, 0x6f, 0x72, 0x74]);

async function withCompiledOrt(module, fn) {
  if (!module) return fn();
  const original = WebAssembly.instantiate;
  WebAssembly.instantiate = function instantiate(source, imports) {
    if (isPlaceholder(source)) return original(module, imports).then((instance) => ({ instance, module }));
    return original.apply(this, arguments);
  };
  try {
    return await fn();
  } finally {
    WebAssembly.instantiate = original;
  }
}

function isPlaceholder(source) {
  const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : null;
  return !!bytes && bytes.length === PLACEHOLDER.length && bytes.every((b, i) => b === PLACEHOLDER[i]);
}
