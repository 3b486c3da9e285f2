// Loads a model: manifest.json plus the ONNX and tokenizer files it names, from a folder
// (path in Node, URL anywhere) or from bytes the caller already holds.
import { InvalidArgumentError } from './errors.js';
import { readBytes, toFolderUrl } from './environment.js';
import { parseManifest } from './manifest.js';
import { defaultModelUrl } from './default-model.js';

// model: undefined (default model) | string (path or URL) | URL |
//        {manifest: object|string|bytes, onnx: bytes, tokenizer: bytes}
// cacheName: keep fetched files in the Cache API under that name (undefined: no caching).
// Returns {manifest (normalised), onnx: Uint8Array, tokenizer: Uint8Array, source}.
export async function loadModel(model, cacheName) {
  if (model === undefined || model === null) return loadFolder(await defaultModelUrl(), cacheName);
  if (typeof model === 'string' || model instanceof URL) {
    if (typeof model === 'string' && model.length === 0) throw new InvalidArgumentError('model path is empty');
    return loadFolder(await toFolderUrl(model), cacheName);
  }
  if (typeof model === 'object' && !(model instanceof Uint8Array)) return fromBytes(model);
  throw new InvalidArgumentError('model must be a folder path, a URL, or {manifest, onnx, tokenizer}');
}

async function loadFolder(folder, cacheName) {
  // The manifest is always fetched afresh: a changed model names new files.
  const manifest = parseManifest(await readBytes(new URL('manifest.json', folder)));
  const [onnx, tokenizer] = await Promise.all([
    readBytes(new URL(manifest.onnx, folder), undefined, cacheName),
    readBytes(new URL(manifest.tokenizer.file, folder), undefined, cacheName),
  ]);
  return { manifest, onnx, tokenizer, source: folder.href };
}

function fromBytes({ manifest, onnx, tokenizer }) {
  if (manifest === undefined) throw new InvalidArgumentError('model.manifest is missing');
  return {
    manifest: parseManifest(manifest),
    onnx: bytes(onnx, 'model.onnx'),
    tokenizer: bytes(tokenizer, 'model.tokenizer'),
    source: 'bytes',
  };
}

function bytes(v, key) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new InvalidArgumentError(`${key} must be a Uint8Array or ArrayBuffer`);
}
