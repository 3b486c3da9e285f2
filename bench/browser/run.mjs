// End-to-end benchmark in a real browser (Debian's Chromium, headless, via playwright-core),
// on the web demo's own server (web-demo/serve.mjs: cross-origin isolated, so ORT may use
// threads). For 1 and 2 ORT threads, in a fresh page each: cold start (import -> first
// result on 200 tokens), then compressions of 1k, 10k and 50k tokens with the timing split.
// Uses the texts and models that bench/e2e/run.mjs wrote to bench/out/ (run it first).
// Last line: `BENCH_SUMMARY {json}`.   node bench/browser/run.mjs [--quick]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { summarize, fmt } from '../e2e/stats.mjs';
import { requireBrowser, skipBench } from './ready.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const quick = process.argv.includes('--quick');

const skip = (why) => skipBench('e2e-browser', why);
requireBrowser('e2e-browser');
const trained = existsSync(path('../../models/default/manifest.json'));
const modelsDir = trained ? path('../../models/') : path('../out/models/');
const modelName = trained ? 'default' : 'default-size';
if (!existsSync(`${modelsDir}${modelName}/manifest.json`)) skip('no default model and no bench models (run bench/e2e/run.mjs first)');
const text = (n) => readFileSync(path(`../out/texts/default-${n}.txt`), 'utf8');
for (const n of [200, 1000, 10000, 50000]) if (!existsSync(path(`../out/texts/default-${n}.txt`))) skip('no texts (run bench/e2e/run.mjs first)');

const { chromium } = await import('playwright-core');
const { startServer } = await import('../../web-demo/serve.mjs');
const server = await startServer({ port: 0, modelsDir });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const load = [loadavg()[0]];

// Runs in the page: one compressor, cold start first, then `runs` compressions per size.
async function inPage({ model, threads, short, texts, runs }) {
  const t0 = performance.now();
  const { createCompressor } = await import('/js/src/index.js');
  const c = await createCompressor({ model, threads });
  const first = await c.compress(short, { rate: 0.33 });
  const cold = performance.now() - t0;
  const sizes = {};
  for (const [size, t] of Object.entries(texts)) {
    await c.compress(t, { rate: 0.33 }); // warm-up
    const rows = [];
    for (let i = 0; i < runs[size]; i++) {
      const r = await c.compress(t, { rate: 0.33 });
      rows.push({ ...r.timings, modelTokens: r.modelTokens });
    }
    sizes[size] = rows;
  }
  await c.dispose();
  return { cold, firstTokens: first.modelTokens, isolated: self.crossOriginIsolated, sizes };
}

const runs = quick ? { 1000: 2, 10000: 1, 50000: 1 } : { 1000: 7, 10000: 3, 50000: 2 };
const texts = { 1000: text(1000), 10000: text(10000), 50000: text(50000) };
const results = {};
for (const threads of [1, 2]) {
  const page = await browser.newPage();
  await page.goto(`${server.url}style.css`); // a light same-origin document with the demo's headers
  results[threads] = await page.evaluate(inPage, { model: `/models/${modelName}/`, threads, short: text(200), texts, runs });
  load.push(loadavg()[0]);
  await page.close();
}
await browser.close();
await server.close();

const lines = [`# mooscomp in Chromium (${modelName}), demo server, load average ${load.map((l) => l.toFixed(1)).join(', ')}`];
const summary = { bench: 'e2e-browser', model: modelName, loadavg: load.map((l) => Number(l.toFixed(2))), threads: {} };
for (const [threads, r] of Object.entries(results)) {
  lines.push(`${threads} thread(s), cross-origin isolated ${r.isolated}: cold start (import -> first result, ${r.firstTokens} tokens) ${r.cold.toFixed(0)} ms`);
  const t = (summary.threads[threads] = { coldMs: Math.round(r.cold), sizes: {} });
  for (const [size, rows] of Object.entries(r.sizes)) {
    const s = (k) => summarize(rows.map((x) => x[k]));
    lines.push(`  ${rows[0].modelTokens} tokens: total ${fmt(s('total'))}; tokenise+chunk ${s('tokenize').median.toFixed(1)}, inference ${s('infer').median.toFixed(0)}, post ${s('select').median.toFixed(1)} ms`);
    t.sizes[size] = { totalMs: Number(s('total').median.toFixed(1)), spread: Number(s('total').spread.toFixed(2)) };
  }
}
console.log(lines.join('\n'));
writeFileSync(path('../out/e2e-browser.json'), JSON.stringify({ results, summary }, null, 1));
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
