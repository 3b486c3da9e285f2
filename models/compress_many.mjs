// Compresses many texts under many option sets with the real package (wasm core + ORT), for
// models/retention.py. One model pass per text serves every option set: the ORT session's run()
// is memoised on its input ids, since only selection (rate, outlier kind, alpha) differs.
//
// usage: node models/compress_many.mjs MODEL_DIR IN.json OUT.json
// IN:  {"configs": [{"rate", "outlier", "alpha"}...], "items": [{"text"}...], "scores": bool}
// OUT: {"results": [[{"kept": [[start, end]...], "words"?: [[start, end, score]...],
//        "originTokens", "compressedTokens"} per config] per item], "inferMs", "totalMs"}
// Offsets are in code points (Python string indices), not UTF-16 units.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createCompressor } from '../js/src/index.js';
import { nodeImport } from '../js/src/environment.js';

const [modelDir, inPath, outPath] = process.argv.slice(2);
const { configs, items, scores } = JSON.parse(readFileSync(inPath, 'utf8'));

// The same module instance the package's session uses (resolved from js/src).
const ort = await nodeImport('onnxruntime-web');
const memo = new Map();
let inferMs = 0;
const run = ort.InferenceSession.prototype.run;
ort.InferenceSession.prototype.run = async function memoRun(feeds) {
  const ids = feeds.input_ids;
  const key = createHash('sha1').update(ids.dims.join(',')).update(new Uint8Array(ids.data.buffer, ids.data.byteOffset, ids.data.byteLength)).digest('hex');
  let hit = memo.get(key);
  if (!hit) {
    const t0 = performance.now();
    const out = await run.call(this, feeds, this.outputNames); // every output, whatever was asked
    inferMs += performance.now() - t0;
    hit = Object.fromEntries(Object.entries(out).map(([name, t]) => [name, { data: t.data.slice(), dims: t.dims }]));
    memo.set(key, hit);
  }
  return Object.fromEntries(Object.entries(hit).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]));
};

// UTF-16 offset -> code point offset.
function codePointIndex(text) {
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) map[++i] = cp;
    cp++;
  }
  map[text.length] = cp;
  return map;
}

const compressor = await createCompressor({ model: modelDir });
const t0 = performance.now();
const results = [];
for (const { text } of items) {
  const cp = codePointIndex(text);
  const perConfig = [];
  for (const c of configs) {
    const r = await compressor.compress(text, { rate: c.rate, outlier: c.outlier, alpha: c.alpha });
    const kept = [];
    for (const w of r.words) {
      if (!w.keep) continue;
      const s = cp[w.start], e = cp[w.end];
      if (kept.length && kept[kept.length - 1][1] === s) kept[kept.length - 1][1] = e;
      else kept.push([s, e]);
    }
    const out = { kept, originTokens: r.originTokens, compressedTokens: r.compressedTokens };
    if (scores) out.words = r.words.map((w) => [cp[w.start], cp[w.end], w.score]);
    perConfig.push(out);
  }
  memo.clear();
  results.push(perConfig);
}
await compressor.dispose();
writeFileSync(outPath, JSON.stringify({ results, inferMs, totalMs: performance.now() - t0 }));
