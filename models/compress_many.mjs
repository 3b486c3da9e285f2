// Compresses many texts under many option sets with the real package (wasm core + ORT), for
// models/quality.py. One model pass per text serves every option set: the model runs are
// memoised on their input ids (a runner wrapping the default one), since only selection (rate,
// outlier kind, alpha, ...) differs.
//
// usage: node models/compress_many.mjs MODEL_DIR IN.json OUT.json
// IN:  {"configs": [options...], "items": [{"text": string | [string...], "configs"?}...], "scores": bool,
//       "prompt": bool}
//      Each config is handed to compress() unchanged (camelCase: {"rate", "outlier", "alpha"...});
//      one with a snake_case key is read as LLMLingua-2 compress_prompt options ("target_token"...).
//      An item's own "configs" replace the shared ones for that item.
// OUT: {"results": [[{"kept": [[start, end]...], "words"?: [[start, end, score]...], "prompt"?: string,
//        "originTokens", "compressedTokens"} per config] per item], "inferMs", "totalMs"}
//      For a list of contexts, "kept" and "words" are lists with one entry per context.
// Offsets are in code points (Python string indices), not UTF-16 units.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createCompressor } from '../js/src/index.js';
import { fromSnakeCase } from '../js/src/options.js';

const [modelDir, inPath, outPath] = process.argv.slice(2);
const { configs, items, scores, prompt } = JSON.parse(readFileSync(inPath, 'utf8'));
const camel = (c) => (Object.keys(c).some((k) => k.includes('_')) ? fromSnakeCase(c).options : c);
const shared = (configs ?? []).map(camel);

// The default runner, memoised: each batch of input ids runs once (again if the hidden states
// are asked for later), and later asks get copies.
const memo = new Map();
let inferMs = 0;
async function memoRunner({ createDefault }) {
  const inner = await createDefault();
  return {
    device: inner.device,
    async run(ids, mask, rows, seqLen, needsHidden) {
      const key = createHash('sha1').update(`${rows},${seqLen}`).update(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength)).digest('hex');
      let hit = memo.get(key);
      if (!hit || (needsHidden && !hit.hidden)) {
        const t0 = performance.now();
        hit = await inner.run(ids, mask, rows, seqLen, needsHidden);
        inferMs += performance.now() - t0;
        memo.set(key, hit);
      }
      return { logits: hit.logits.slice(), hidden: needsHidden ? hit.hidden.slice() : undefined };
    },
    release: () => inner.release(),
  };
}

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

const compressor = await createCompressor({ model: modelDir, runner: memoRunner });
const t0 = performance.now();
const results = [];
for (const { text, configs: own } of items) {
  const options = own ? own.map(camel) : shared;
  const texts = Array.isArray(text) ? text : [text];
  const cps = texts.map(codePointIndex);
  const perConfig = [];
  for (const opts of options) {
    const r = await compressor.compress(text, opts);
    const kept = texts.map(() => []);
    const words = texts.map(() => []);
    for (const w of r.words) {
      const cp = cps[w.context];
      const s = cp[w.start], e = cp[w.end];
      if (scores) words[w.context].push([s, e, w.score]);
      if (!w.keep) continue;
      const k = kept[w.context];
      if (k.length && k[k.length - 1][1] === s) k[k.length - 1][1] = e;
      else k.push([s, e]);
    }
    const one = (x) => (Array.isArray(text) ? x : x[0]);
    const out = { kept: one(kept), originTokens: r.originTokens, compressedTokens: r.compressedTokens };
    if (scores) out.words = one(words);
    if (prompt) out.prompt = r.compressedPrompt;
    perConfig.push(out);
  }
  memo.clear();
  results.push(perConfig);
}
await compressor.dispose();
writeFileSync(outPath, JSON.stringify({ results, inferMs, totalMs: performance.now() - t0 }));
