// The offscreen document: loads the model once and compresses what the service worker
// sends, keeping a chat request's instruction and question whole (protectPrompt). Every
// file comes from inside the extension.
import { createCompressor, protectPrompt } from 'mooscomp';
import { COMPRESS_OPTIONS } from './options.js';

const url = (path) => chrome.runtime.getURL(path);
let compressor;

function load() {
  compressor ??= createCompressor({
    coreWasm: url('wasm/mooscomp-core.wasm'),
    ortWasm: url('wasm/ort-wasm-simd-threaded.wasm'),
    model: url('model/'),
  }).catch((err) => {
    compressor = undefined; // let the next request retry
    throw err;
  });
  return compressor;
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message.target !== 'offscreen') return false;
  load()
    .then((c) => c.compress(protectPrompt(message.text), { ...COMPRESS_OPTIONS, rate: message.rate }))
    .then(({ compressedPrompt, originTokens, compressedTokens, ratio, timings }) => {
      reply({ ok: true, result: { compressedPrompt, originTokens, compressedTokens, ratio, timings } });
    })
    .catch((err) => reply({ ok: false, error: `${err.code || 'INTERNAL'}: ${err.message}` }));
  return true; // replies asynchronously
});
