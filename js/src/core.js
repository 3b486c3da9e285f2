// Loads the wasm core (js/dist, built by scripts/build.sh). We always hand Emscripten the
// wasm ourselves, as bytes or as a compiled module: its own file loading does not work in
// Node 20 for this build, and edge runtimes forbid compiling bytes.
import createMooscompCore from '../dist/mooscomp-core.mjs';
import { InternalError, InvalidArgumentError, InvalidModelError, asMooscompError, checkCore } from './errors.js';
import { isNode, readBytes, toUrl } from './environment.js';
import { instantiateWith, checkedModule } from './wasm-source.js';

// Next to the package. A function, not a constant: import.meta.url is undefined in workerd.
const defaultWasmUrl = () => new URL('../dist/mooscomp-core.wasm', import.meta.url);

let defaultBytes; // the default file is read once per process
let defaultStreamed; // browsers: the default file fetched (and compiled) once per page

// A fresh core instance (one per compressor: jobs hold state across awaits).
// source: {module} | {bytes} | {location} | undefined (see wasm-source.js).
export async function loadCore(source) {
  let where = 'the given module';
  try {
    if (source) {
      // A caller's wasm: compiled (if bytes) and checked before Emscripten's loader sees it.
      let given = source;
      if (source.location) {
        const url = await toUrl(source.location);
        where = url.href;
        given = { bytes: await readBytes(url, InvalidArgumentError) };
      }
      const module = await checkedModule(given, { option: 'coreWasm', memory: 'exported', expected: 'mooscomp-core.wasm' });
      return await fromModule(module);
    }
    where = defaultWasmUrl().href;
    if (canStream()) {
      defaultStreamed ??= streamDefault(defaultWasmUrl()).catch(() => {
        defaultStreamed = undefined; // let a later call try streaming again
      });
      const streamed = await defaultStreamed;
      if (streamed?.module) return await fromModule(streamed.module);
      if (streamed?.bytes) return await createMooscompCore({ wasmBinary: streamed.bytes, locateFile: (f) => f });
      // Streaming failed: the bytes below, whose errors say what went wrong.
    }
    defaultBytes ??= readBytes(defaultWasmUrl(), InternalError).catch((err) => {
      defaultBytes = undefined; // let a later call retry
      throw err;
    });
    return await createMooscompCore({ wasmBinary: await defaultBytes, locateFile: (f) => f });
  } catch (err) {
    throw asMooscompError(err, InternalError, `cannot load the wasm core from ${where}`);
  }
}

// An Emscripten instance of a compiled module; a module whose imports do not link rejects.
async function fromModule(module) {
  let linkFailed;
  const failed = new Promise((_, reject) => { linkFailed = reject; });
  return Promise.race([failed, createMooscompCore({ instantiateWasm: instantiateWith(module, linkFailed), locateFile: (f) => f })]);
}

// Browsers and workers compile the default core while it downloads: V8 keeps the compiled
// code of a streamed module beside its HTTP cache entry (only of a streamed one), so a
// repeat visit skips compiling. Node keeps reading the file.
function canStream() {
  return !isNode && typeof fetch === 'function' && typeof WebAssembly.compileStreaming === 'function' &&
    defaultWasmUrl().protocol !== 'file:';
}

// {module}, or {bytes} when the server does not send application/wasm (compileStreaming
// refuses any other type; the body already here is used rather than fetched again).
async function streamDefault(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const type = (res.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/wasm') return { bytes: new Uint8Array(await res.arrayBuffer()) };
  return { module: await WebAssembly.compileStreaming(res) };
}

// The core's compressor for a model loaded by model.js: the one place its specs are assembled
// from the parsed manifest (manifest.js). Every key is present, as embind's value objects
// require; undefined keeps the core's default (wasm/API.md). The core checks the values.
export function createCoreCompressor(core, tokenizerBytes, manifest) {
  const tok = manifest.tokenizer;
  const tokenizer = {
    kind: tok.kind,
    wordpiece: { lowercase: tok.lowercase, stripAccents: tok.stripAccents, tokenizeChineseChars: undefined },
    sentencepiece: { fairseqOffset: tok.fairseqOffset },
  };
  const model = {
    maxSeqLen: manifest.maxSeqLen,
    preserveLabel: manifest.preserveLabel,
    hiddenSize: manifest.hiddenSize,
    negLogFreq: manifest.negLogFreq,
    hiddenMean: manifest.hiddenStats?.mean,
    hiddenStd: manifest.hiddenStats?.std,
    hiddenScoreMean: manifest.hiddenStats?.scoreMean,
    hiddenScoreStd: manifest.hiddenStats?.scoreStd,
    wordRarityMean: manifest.wordRarity?.mean,
    wordRarityStd: manifest.wordRarity?.std,
  };
  let reply;
  try {
    reply = core.createCompressor(tokenizerBytes, tokenizer, model);
  } catch (err) {
    // Embind throws (a TypeError) only when a spec object is malformed: our bug, not the model's.
    throw asMooscompError(err, InternalError, 'cannot create the core compressor');
  }
  const native = checkCore(reply, 'cannot load the model into the core').compressor;
  // The manifest's default reading must be one the core can serve with this model's statistics.
  const outliers = native.supportedOutliers();
  if (!outliers.includes(manifest.defaults.outlier)) {
    native.delete();
    throw new InvalidModelError(`manifest.json: "defaults.outlier" is ${manifest.defaults.outlier}, ` +
      `but this model can serve only ${outliers.join(', ')} (models/MANIFEST.md says what each needs)`);
  }
  return native;
}
