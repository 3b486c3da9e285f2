// One onnxruntime-web session on the CPU wasm backend, and the feeds/fetches of one batch.
import * as ort from 'onnxruntime-web';
import { InvalidModelError, InvalidArgumentError, InvalidStateError, InternalError, asMooscompError } from './errors.js';
import { isNode } from './environment.js';

let configured; // ORT reads env.wasm once, when its first session starts

// ORT's wasm threads are process-wide: the first compressor decides, later ones must agree.
async function configureOrt(threads) {
  if (configured !== undefined) {
    if (threads !== undefined && threads !== configured) {
      throw new InvalidStateError(`onnxruntime-web already runs with ${configured} thread(s); cannot switch to ${threads}`);
    }
    return;
  }
  const n = threads === undefined ? 1 : threads;
  ort.env.wasm.numThreads = n;
  ort.env.wasm.proxy = false;
  if (isNode) {
    // Node cannot fetch() the package's own wasm; point ORT at the files on disk.
    const wasmUrl = import.meta.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
    ort.env.wasm.wasmPaths = new URL('./', wasmUrl).href;
  }
  configured = n;
}

export async function createSession(manifest, onnxBytes, { threads } = {}) {
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1 || threads > 64)) {
    throw new InvalidArgumentError(`threads must be an integer in [1, 64], got ${threads}`);
  }
  await configureOrt(threads);
  let session;
  try {
    session = await ort.InferenceSession.create(onnxBytes, { executionProviders: ['wasm'] });
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
      result = await this.#session.run(feeds, fetches);
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
