// The default inference runner: one onnxruntime-web session, on the CPU wasm build or (in
// browsers, when asked) the WebGPU one, falling back to wasm. Browsers, workers and bundles
// import the wasm-only build statically (ort-wasm-simd-threaded.wasm, 14 MB); the WebGPU
// build (and its 27 MB wasm) is imported only when device 'webgpu' is asked for.
import { InvalidModelError, InvalidArgumentError, asMooscompError } from './errors.js';
import { startOrt, exclusive } from './ort-env.js';
import { isNode } from './environment.js';

export const DEVICES = ['wasm', 'webgpu'];

// -> {device, run(ids, mask, rows, seqLen, needsHidden), release()}: the runner interface
// (see runner.js). device: 'wasm' (default) | 'webgpu'; the runner's `device` says which ran.
export async function createOrtRunner(manifest, onnxBytes, { threads, wasm, device = 'wasm' } = {}) {
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1 || threads > 64)) {
    throw new InvalidArgumentError(`threads must be an integer in [1, 64], got ${threads}`, { option: 'threads' });
  }
  if (!DEVICES.includes(device)) {
    throw new InvalidArgumentError(`device must be one of ${DEVICES.join(', ')}, got ${String(device)}`, { option: 'device' });
  }
  if (device === 'webgpu' && webgpuAvailable()) {
    try {
      return await createOn('webgpu', manifest, onnxBytes, { threads });
    } catch (err) {
      // A bad model fails on wasm too, with the same message; anything else (no adapter,
      // an op the WebGPU build cannot place) falls back.
      if (err instanceof InvalidModelError && /does not match manifest/.test(err.message)) throw err;
    }
  }
  return createOn('wasm', manifest, onnxBytes, { threads, wasm });
}

// Node has no WebGPU build of onnxruntime-web: a navigator.gpu there (a polyfill, a test
// double) must not send it down the browser path.
function webgpuAvailable() {
  return !isNode && typeof navigator !== 'undefined' && !!navigator.gpu;
}

async function createOn(kind, manifest, onnxBytes, { threads, wasm }) {
  const { ort, ep } = await startOrt(kind, { threads, wasm });
  const session = await exclusive(async () => {
    try {
      return await ort.InferenceSession.create(onnxBytes, { executionProviders: [ep] });
    } catch (err) {
      throw asMooscompError(err, InvalidModelError, 'cannot load the ONNX model');
    }
  });
  const { inputs, outputs } = manifest;
  const missing = [
    ...[inputs.inputIds, inputs.attentionMask].filter((n) => !session.inputNames.includes(n)),
    ...[outputs.logits, outputs.hidden].filter((n) => n && !session.outputNames.includes(n)),
  ];
  const extra = session.inputNames.filter((n) => n !== inputs.inputIds && n !== inputs.attentionMask);
  if (missing.length || extra.length) {
    await exclusive(() => session.release());
    throw new InvalidModelError(
      `the ONNX model does not match manifest.json (missing: ${missing.join(', ') || 'none'}; unexpected inputs: ${extra.join(', ') || 'none'})`,
    );
  }
  return sessionRunner(ort, session, manifest, kind);
}

// A failed run comes back as a typed error; ORT's own log line for it would only repeat it on
// stderr (the load-time check at max_seq_len expects failures).
const RUN_OPTIONS = { logSeverityLevel: 4 };

function sessionRunner(ort, session, manifest, device) {
  const { inputs, outputs } = manifest;
  return {
    device,
    // ids/mask: BigInt64Array [rows*seqLen]. Returns {logits, hidden?} as Float32Arrays
    // (runner.js checks their sizes).
    run: (ids, mask, rows, seqLen, needsHidden) => exclusive(async () => {
      const feeds = {
        [inputs.inputIds]: new ort.Tensor('int64', ids, [rows, seqLen]),
        [inputs.attentionMask]: new ort.Tensor('int64', mask, [rows, seqLen]),
      };
      const fetches = needsHidden ? [outputs.logits, outputs.hidden] : [outputs.logits];
      let result;
      try {
        result = await session.run(feeds, fetches, RUN_OPTIONS);
      } catch (err) {
        throw asMooscompError(err, InvalidModelError, 'the ONNX model failed to run');
      }
      try {
        // A CPU tensor's data stays valid after dispose().
        return { logits: result[outputs.logits]?.data, hidden: needsHidden ? result[outputs.hidden]?.data : undefined };
      } finally {
        for (const t of Object.values(result)) t.dispose?.();
      }
    }),
    release: () => exclusive(() => session.release()),
  };
}
