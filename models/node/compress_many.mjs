// Compresses many texts under many option sets with the real package (wasm core + ORT), for
// models/quality.py. One model pass per text serves every option set: the model runs are
// memoised on their input ids (a runner wrapping the default one), since only selection (rate,
// outlier kind, alpha, ...) differs.
//
// usage: node models/node/compress_many.mjs MODEL_DIR IN.json OUT.json
// IN:  {"configs": [options...], "items": [{"text": string | [string...], "configs"?, "protect"?, "json"?}...],
//       "scores": bool, "prompt": bool}
//      Each config is handed to compress() unchanged (camelCase: {"rate", "outlier", "alpha"...});
//      one with a snake_case key is read as LLMLingua-2 compress_prompt options ("target_token"...).
//      An item's own "configs" replace the shared ones for that item. "protect": true compresses
//      protectPrompt(text) (a segment list; protected segments count as kept). "json": true
//      compresses with compressor.compressJson(text, options) where the package has it, else
//      with compress() as any text ("api" in the result says which).
// OUT: {"results": [[{"kept": [[start, end]...], "words"?: [[start, end, score, keep]...], "prompt"?: string,
//        "originTokens", "compressedTokens", "api"?} per config] per item], "inferMs", "totalMs"}
//      For a list of contexts, "kept" and "words" are lists with one entry per context.
// Offsets are in code points (Python string indices), not UTF-16 units.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createCompressor, protectPrompt } from '../../js/src/index.js';
import { fromSnakeCase } from '../../js/src/options.js';

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

// compressJson's result: a string, or an object with the text under one of these names.
function jsonOutput(r) {
  if (typeof r === 'string') return r;
  for (const key of ['compressedPrompt', 'compressedJson', 'json', 'output', 'text']) {
    if (typeof r?.[key] === 'string') return r[key];
  }
  return JSON.stringify(r?.value ?? r?.json ?? r);
}

// compressJson takes the JSON text, or else (when it refuses a string) the parsed value.
async function compressJson(text, opts) {
  try {
    return await compressor.compressJson(text, opts);
  } catch (err) {
    try {
      return await compressor.compressJson(JSON.parse(text), opts);
    } catch {
      throw err;
    }
  }
}

const compressor = await createCompressor({ model: modelDir, runner: memoRunner });
const t0 = performance.now();
const results = [];
for (const { text, configs: own, protect, json } of items) {
  const options = own ? own.map(camel) : shared;
  const texts = Array.isArray(text) ? text : [text];
  const cps = texts.map(codePointIndex);
  const perConfig = [];
  const input = protect ? protectPrompt(text) : text;
  const viaJson = json && typeof compressor.compressJson === 'function';
  for (const opts of options) {
    if (viaJson) {
      const r = await compressJson(text, opts);
      perConfig.push({ kept: [], prompt: jsonOutput(r), originTokens: r?.originTokens ?? 0,
        compressedTokens: r?.compressedTokens ?? 0, api: 'compressJson' });
      continue;
    }
    const r = await compressor.compress(input, opts);
    const kept = texts.map(() => []);
    const words = texts.map(() => []);
    const spans = r.words.map((w) => [w.context, cps[w.context][w.start], cps[w.context][w.end], w.keep]);
    for (const s of r.segments ?? []) {  // protected segments: kept whole
      if (s.compress === false && s.end > s.start) spans.push([s.context, cps[s.context][s.start], cps[s.context][s.end], true]);
    }
    spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    if (scores) for (const w of r.words) words[w.context].push([cps[w.context][w.start], cps[w.context][w.end], w.score, w.keep ? 1 : 0]);
    for (const [c, s, e, keep] of spans) {
      if (!keep) continue;
      const k = kept[c];
      if (k.length && k[k.length - 1][1] === s) k[k.length - 1][1] = e;
      else k.push([s, e]);
    }
    const one = (x) => (Array.isArray(text) ? x : x[0]);
    const out = { kept: one(kept), originTokens: r.originTokens, compressedTokens: r.compressedTokens };
    if (json) out.api = 'compress';
    if (scores) out.words = one(words);
    if (prompt) out.prompt = r.compressedPrompt;
    perConfig.push(out);
  }
  memo.clear();
  results.push(perConfig);
}
await compressor.dispose();
writeFileSync(outPath, JSON.stringify({ results, inferMs, totalMs: performance.now() - t0 }));
