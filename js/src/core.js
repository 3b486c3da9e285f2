// Loads the wasm core (js/dist, built by scripts/build.sh). We always hand Emscripten the
// wasm bytes ourselves: its own file loading does not work in Node 20 for this build.
import { InternalError, asMooscompError } from './errors.js';
import { readBytes } from './environment.js';

const MODULE_URL = new URL('../dist/mooscomp-core.mjs', import.meta.url);
const WASM_URL = new URL('../dist/mooscomp-core.wasm', import.meta.url);

let factoryPromise;
let wasmPromise;

// A fresh core instance (one per compressor: jobs hold state across awaits).
export async function loadCore() {
  factoryPromise ??= import(MODULE_URL.href).then((m) => m.default);
  wasmPromise ??= readBytes(WASM_URL, InternalError);
  try {
    const [factory, wasmBinary] = await Promise.all([factoryPromise, wasmPromise]);
    return await factory({ wasmBinary });
  } catch (err) {
    factoryPromise = wasmPromise = undefined; // let a later call retry
    throw asMooscompError(err, InternalError, `cannot load the wasm core from ${MODULE_URL.href} (is js/dist built? run scripts/build.sh)`);
  }
}
