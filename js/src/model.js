// Loads a model: manifest.json plus the ONNX and tokenizer files it names, from a folder
// (path in Node, URL anywhere) or from bytes the caller already holds.
import { InvalidArgumentError, InvalidModelError } from './errors.js';
import { readBytes, toFolderUrl, CallbackError } from './environment.js';
import { parseManifest } from './manifest.js';
import { defaultModelUrl } from './default-model.js';

// The most bytes read for each file of a model folder; createCompressor({modelLimits})
// changes them. The ONNX limit leaves room for models far bigger than the default (an int8
// XLM-R large is about 560 MB); the tokenizer and manifest limits for big vocabularies.
export const MODEL_FILE_LIMITS = Object.freeze({
  manifest: 32 * 1024 ** 2,
  onnx: 1024 ** 3,
  tokenizer: 64 * 1024 ** 2,
});

// model: undefined (default model) | string (path or URL) | URL |
//        {manifest: object|string|bytes, onnx: bytes, tokenizer: bytes}
// options.cacheName: keep fetched files in the Cache API under that name (undefined: none).
// options.limits: {manifest?, onnx?, tokenizer?} bytes (MODEL_FILE_LIMITS by default).
// options.onProgress: called with {stage: 'model', file, loadedBytes, totalBytes, cached}.
// Returns {manifest (normalised), onnx: Uint8Array, tokenizer: Uint8Array, source}.
export async function loadModel(model, options = {}) {
  const limits = checkLimits(options.limits);
  const onProgress = checkProgress(options.onProgress);
  try {
    if (model === undefined || model === null) return await loadFolder(await defaultModelUrl(), options.cacheName, limits, onProgress);
    if (typeof model === 'string' || model instanceof URL) {
      if (typeof model === 'string' && model.length === 0) throw new InvalidArgumentError('model path is empty');
      return await loadFolder(await toFolderUrl(model), options.cacheName, limits, onProgress);
    }
    if (typeof model === 'object' && !(model instanceof Uint8Array)) return fromBytes(model, onProgress);
  } catch (err) {
    throw err instanceof CallbackError ? err.error : err;
  }
  throw new InvalidArgumentError('model must be a folder path, a URL, or {manifest, onnx, tokenizer}');
}

async function loadFolder(folder, cacheName, limits, onProgress) {
  const read = (file, limit, cache) => readBytes(new URL(file, folder), InvalidModelError, {
    limit, within: folder, cacheName: cache,
    onProgress: (p) => onProgress({ stage: 'model', file, ...p }),
  });
  // The manifest is always fetched afresh: a changed model names new files.
  const manifest = parseManifest(await read('manifest.json', limits.manifest, undefined));
  const [onnx, tokenizer] = await Promise.all([
    read(manifest.onnx, limits.onnx, cacheName),
    read(manifest.tokenizer.file, limits.tokenizer, cacheName),
  ]);
  return { manifest, onnx, tokenizer, source: folder.href };
}

function fromBytes({ manifest, onnx, tokenizer }, onProgress) {
  if (manifest === undefined) throw new InvalidArgumentError('model.manifest is missing');
  const result = {
    manifest: parseManifest(manifest),
    onnx: bytes(onnx, 'model.onnx'),
    tokenizer: bytes(tokenizer, 'model.tokenizer'),
    source: 'bytes',
  };
  // Bytes in hand are loaded already: one final event each, so a progress bar completes.
  const named = [[result.manifest.onnx, result.onnx], [result.manifest.tokenizer.file, result.tokenizer]];
  for (const [file, b] of named) {
    onProgress({ stage: 'model', file, loadedBytes: b.length, totalBytes: b.length, cached: true });
  }
  return result;
}

function bytes(v, key) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new InvalidArgumentError(`${key} must be a Uint8Array or ArrayBuffer`);
}

function checkLimits(given) {
  if (given === undefined) return MODEL_FILE_LIMITS;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidArgumentError('modelLimits must be an object {manifest?, onnx?, tokenizer?}', { option: 'modelLimits' });
  }
  const limits = { ...MODEL_FILE_LIMITS };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in MODEL_FILE_LIMITS)) throw new InvalidArgumentError(`unknown modelLimits key "${key}"`, { option: 'modelLimits' });
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError(`modelLimits.${key} must be a positive integer (bytes)`, { option: 'modelLimits' });
    }
    limits[key] = value;
  }
  return limits;
}

// The caller's callback; what it throws rejects the load as it is.
function checkProgress(fn) {
  if (fn === undefined) return () => {};
  if (typeof fn !== 'function') throw new InvalidArgumentError('onProgress must be a function', { option: 'onProgress' });
  return (event) => {
    try {
      fn(event);
    } catch (err) {
      throw new CallbackError(err);
    }
  };
}
