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
  compress(message.text, message.rate).then(
    (result) => reply({ ok: true, result }),
    (err) => reply({ ok: false, error: `${err.code || 'INTERNAL'}: ${err.message}` }),
  );
  return true; // replies asynchronously
});

async function compress(text, rate) {
  const segments = protectPrompt(text);
  const r = await (await load()).compress(segments, { ...COMPRESS_OPTIONS, rate });
  return forPreview(r, segments);
}

// What the popup and the preview panel show, small enough to pass as a message. Words index
// the segments' texts joined (the prompt itself, unless it had llmlingua markup).
function forPreview(r, segments) {
  const { compressedPrompt, originTokens, compressedTokens, ratio, rate, timings, protectedTokens, compressibleRate } = r;
  return {
    compressedPrompt, originTokens, compressedTokens, ratio, rate, timings, protectedTokens, compressibleRate,
    text: segments.map((s) => s.text).join(''),
    words: r.words.map(({ start, end, keep }) => ({ start, end, keep })),
    segments: (r.segments || []).map(({ compress, kind, start, end, originTokens: n0, compressedTokens: n1 }) => ({ compress, kind, start, end, originTokens: n0, compressedTokens: n1 })),
  };
}
