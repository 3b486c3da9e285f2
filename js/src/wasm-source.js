// A wasm file as a caller may give it: a location (path or URL), its bytes, or a module
// already compiled (the only form edge runtimes such as Cloudflare's accept).
import { InvalidArgumentError } from './errors.js';

// Returns {module}, {bytes} or {location}; undefined stays undefined (use the default).
export function wasmSource(value, option) {
  if (value === undefined || value === null) return undefined;
  if (typeof WebAssembly !== 'undefined' && value instanceof WebAssembly.Module) return { module: value };
  if (value instanceof Uint8Array) return { bytes: value };
  if (value instanceof ArrayBuffer) return { bytes: new Uint8Array(value) };
  if (ArrayBuffer.isView(value)) return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  if ((typeof value === 'string' && value.length > 0) || value instanceof URL) return { location: value };
  throw new InvalidArgumentError(`${option} must be a path or URL, bytes, or a WebAssembly.Module`, { option });
}

// An Emscripten instantiateWasm hook that instantiates a compiled module (no compiling).
export function instantiateWith(module) {
  return (imports, receive) => {
    WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module));
    return {}; // exports arrive through `receive`
  };
}
