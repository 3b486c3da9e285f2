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
// onError: told when instantiation fails (a module whose imports do not link), since the
// hook has no way to reject the loader's own promise.
export function instantiateWith(module, onError) {
  return (imports, receive) => {
    WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), onError);
    return {}; // exports arrive through `receive`
  };
}

// A caller's wasm, compiled (bytes) or given compiled, checked to have the shape of the module
// it stands for before any loader instantiates it: loaders call into the exports they expect,
// and a module without them (the 8-byte empty module passes WebAssembly.validate) throws
// where no caller can catch it. memory: 'imported' (onnxruntime-web's threaded build) or
// 'exported' (the core). expected: the file it should be, for the message.
export async function checkedModule(source, { option, memory, expected }) {
  let module = source.module;
  if (!module) {
    try {
      module = await WebAssembly.compile(source.bytes);
    } catch {
      // Not the compiler's message: it quotes the first bytes of whatever file was given.
      throw new InvalidArgumentError(`${option} is not a valid WebAssembly module (expected ${expected})`, { option });
    }
  }
  const list = memory === 'imported' ? WebAssembly.Module.imports(module) : WebAssembly.Module.exports(module);
  const hasMemory = list.some((entry) => entry.kind === 'memory');
  const functions = WebAssembly.Module.exports(module).some((entry) => entry.kind === 'function');
  if (!hasMemory || !functions) {
    throw new InvalidArgumentError(`${option} is not ${expected}: it ${hasMemory ? 'exports no functions' : `${memory === 'imported' ? 'imports' : 'exports'} no memory`}`, { option });
  }
  return module;
}
