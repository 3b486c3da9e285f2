// mooscomp: prompt compression (MOOSComp on LLMLingua-2) with a wasm core and onnxruntime-web.
import { InvalidArgumentError, checkCore, asMooscompError, InternalError } from './errors.js';
import { loadModel } from './model.js';
import { loadCore } from './core.js';
import { createSession } from './session.js';
import { Compressor } from './compressor.js';

export {
  MooscompError,
  InvalidArgumentError,
  InvalidUtf8Error,
  InvalidModelError,
  InvalidStateError,
  InternalError,
} from './errors.js';
export { Compressor };

// options: {model?: path | URL | {manifest, onnx, tokenizer}, threads?: number}
export async function createCompressor(options = {}) {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  for (const key of Object.keys(options)) {
    if (key !== 'model' && key !== 'threads') throw new InvalidArgumentError(`unknown option "${key}"`, { option: key });
  }
  const model = await loadModel(options.model);
  const { manifest } = model;
  const [coreR, sessionR] = await Promise.allSettled([
    loadCore(),
    createSession(manifest, model.onnx, { threads: options.threads }),
  ]);
  if (coreR.status === 'rejected' || sessionR.status === 'rejected') {
    if (sessionR.status === 'fulfilled') await sessionR.value.release();
    throw sessionR.status === 'rejected' ? sessionR.reason : coreR.reason; // a bad model first: the caller can fix it
  }
  const core = coreR.value;
  const session = sessionR.value;
  let native;
  try {
    native = checkCore(core.createCompressor(model.tokenizer, {
      tokenizer: manifest.tokenizer.kind,
      lowercase: manifest.tokenizer.lowercase,
      stripAccents: manifest.tokenizer.stripAccents,
      tokenizeChineseChars: true,
      fairseqOffset: manifest.tokenizer.fairseqOffset,
      maxSeqLen: manifest.maxSeqLen,
      preserveLabel: manifest.preserveLabel,
      hiddenSize: manifest.hiddenSize,
      negLogFreq: manifest.negLogFreq,
    }), 'cannot load the tokenizer').compressor;
  } catch (err) {
    await session.release();
    throw asMooscompError(err, InternalError, 'cannot create the core compressor');
  }
  return new Compressor(core, native, session, manifest);
}
