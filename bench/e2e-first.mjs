// First end-to-end timing: compress about 10,000 tokens with the fixture model in Node,
// one ORT thread, and print where the time goes. Usage: node bench/e2e-first.mjs [model-dir]
import { readFileSync } from 'node:fs';
import { createCompressor } from '../js/src/index.js';

const model = process.argv[2] ?? new URL('../models/fixture/', import.meta.url).pathname;
const base = ['meeting.txt', 'gsm8k-cot.txt']
  .map((f) => readFileSync(new URL(`../examples/${f}`, import.meta.url), 'utf8'))
  .join('\n\n');

let t = performance.now();
const compressor = await createCompressor({ model, threads: 1 });
const createMs = performance.now() - t;

// Grow the text until the classifier sees about 10,000 tokens.
let text = base;
let probe = await compressor.compress(text, { rate: 0.33 }); // also warms ORT up
while (probe.modelTokens < 10000) {
  text += `\n\n${base}`;
  probe = await compressor.compress(text, { rate: 0.33 });
}

const runs = [];
for (let i = 0; i < 5; i++) runs.push(await compressor.compress(text, { rate: 0.33 }));
await compressor.dispose();

const median = (k) => runs.map((r) => r.timings[k]).sort((a, b) => a - b)[2];
const r = runs[0];
const f = (x) => x.toFixed(1).padStart(8);
console.log(`model ${model}`);
console.log(`input: ${text.length} chars, ${r.modelTokens} model tokens, ${r.windows} windows, ` +
  `${r.originTokens} -> ${r.compressedTokens} target tokens (${r.ratio.toFixed(2)}x)`);
console.log(`createCompressor: ${createMs.toFixed(0)} ms (once)`);
console.log(`compress, median of ${runs.length} warm runs (ms):`);
for (const k of ['tokenize', 'infer', 'select', 'total']) console.log(`  ${k.padEnd(9)}${f(median(k))}`);
