// Cold start in Chromium, phase by phase, on a first visit (fresh profile) and on repeat
// visits (same profile, a new browser each time: the HTTP cache, V8's code caches and the
// Cache API survive, nothing else does), beside onnxruntime-web alone on the same model and
// the same ORT files (the floor). Runs are interleaved: each run makes one fresh profile per
// mode and visits with each mode in turn.
//   ours:  import('/js/src/index.js'), createCompressor({cache: true}), first compress()
//   ort:   import ORT's bundle, model file (Cache API after the first visit), one session,
//          one run on as many tokens as ours ran
// Where each file came from is read from Resource Timing (transferSize 0: the HTTP cache;
// headers only: revalidated, 304; not fetched at all: the Cache API). Every WebAssembly
// compile/instantiate call is timed by a wrapper the page gets before any script runs, and
// the profile's wasm code cache is sized after each visit.
// --trace records V8's wasm trace events of each visit (category v8.wasm) and sums where the
// wasm compile time went: lazy compiles on the page's main thread (functions that were not in
// the code cache), cache deserialisation, background baseline and top-tier compiles.
// --against URL adds, interleaved, ours on another running server (another checkout's
// web-demo/serve.mjs with the same model folder), to compare a change in the same run.
// Last line: `BENCH_SUMMARY {json}`.
//   node bench/browser/cold-start.mjs [--runs 3] [--visits 3] [--model DIR] [--words 150] [--linger 3000] [--trace] [--against URL]
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize, fmt } from '../e2e/stats.mjs';
import { requireBrowser, skipBench } from './ready.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const runs = Number(opt('--runs', 3));
const visits = Number(opt('--visits', 3));
const words = Number(opt('--words', 150));
// How long a visit stays on the page after its result: V8 writes a wasm module's code cache
// only once enough of it has tiered up, or after a delay; a user stays longer than that.
const linger = Number(opt('--linger', 3000));
const against = opt('--against', undefined);
const trace = argv.includes('--trace');

const skip = (why) => skipBench('cold-start-browser', why);
requireBrowser('cold-start-browser');
const modelDir = opt('--model', ['../../models/default', '../out/models/default-size', '../../models/fixture']
  .map(path).find((d) => existsSync(join(d, 'manifest.json'))));
if (!modelDir || !existsSync(join(modelDir, 'manifest.json'))) skip('no model folder');
const modelName = basename(modelDir);
const text = readFileSync(path('../../examples/meeting.txt'), 'utf8').split(/\s+/).slice(0, words).join(' ');

const { chromium } = await import('playwright-core');
const { startServer } = await import('../../web-demo/serve.mjs');
const server = await startServer({ port: 0, modelsDir: dirname(modelDir) });
const model = `/models/${modelName}/`;

// Given to every page before its scripts: times each WebAssembly compile and instantiate.
function wrapWasm() {
  const calls = (self.__wasmCalls = []);
  for (const fn of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[fn];
    WebAssembly[fn] = function (source, ...rest) {
      const call = { fn, start: performance.now() };
      calls.push(call);
      if (source instanceof WebAssembly.Module) call.what = 'module';
      else if (source && typeof source.byteLength === 'number') call.what = `${source.byteLength} bytes`;
      else Promise.resolve(source).then((r) => { call.what = r && r.url; }, () => {});
      const out = original.call(this, source, ...rest);
      Promise.resolve(out).then(() => { call.end = performance.now(); }, (e) => { call.error = String(e); });
      return out;
    };
  }
}

// In the page: our whole cold start, as a user calls it.
async function ours({ model, text }) {
  const t0 = performance.now();
  const { createCompressor } = await import('/js/src/index.js');
  const t1 = performance.now();
  const c = await createCompressor({ model, cache: true, threads: 1 });
  const t2 = performance.now();
  const r = await c.compress(text, { rate: 0.33 });
  const t3 = performance.now();
  await c.dispose();
  return { t0, phases: { import: t1 - t0, create: t2 - t1, firstResult: t3 - t2, total: t3 - t0 }, tokens: r.modelTokens };
}

// In the page: onnxruntime-web alone, the ORT build and wasm the package gets on this server.
async function floor({ model, tokens }) {
  const t0 = performance.now();
  const ort = await import('/ort/ort.wasm.bundle.min.mjs');
  const t1 = performance.now();
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  const manifest = await (await fetch(`${model}manifest.json`)).json();
  const url = new URL(manifest.onnx, new URL(model, location.href)).href;
  const cache = await caches.open('cold-start-floor');
  let res = await cache.match(url);
  if (!res) {
    await cache.put(url, await fetch(url));
    res = await cache.match(url);
  }
  const onnx = new Uint8Array(await res.arrayBuffer());
  const t2 = performance.now();
  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
  const t3 = performance.now();
  const feeds = {
    [manifest.inputs.input_ids]: new ort.Tensor('int64', new BigInt64Array(tokens).fill(5n), [1, tokens]),
    [manifest.inputs.attention_mask]: new ort.Tensor('int64', new BigInt64Array(tokens).fill(1n), [1, tokens]),
  };
  await session.run(feeds, [manifest.outputs.logits]);
  const t4 = performance.now();
  await session.release();
  return { t0, phases: { import: t1 - t0, files: t2 - t1, session: t3 - t2, firstRun: t4 - t3, total: t4 - t0 } };
}

// Resource Timing and the wasm calls, relative to the measurement's start.
function collect(t0) {
  const files = performance.getEntriesByType('resource').map((e) => ({
    name: new URL(e.name).pathname, start: e.startTime - t0, end: e.responseEnd - t0,
    transferSize: e.transferSize, bodySize: e.encodedBodySize, status: e.responseStatus,
  }));
  const wasm = self.__wasmCalls.map((c) => ({ ...c, start: c.start - t0, end: c.end === undefined ? undefined : c.end - t0 }));
  return { files, wasm };
}

// Where a response came from: no bytes on the wire is the HTTP cache; only headers, a 304.
function origin(f) {
  if (f.transferSize === 0) return 'http-cache';
  if (f.transferSize < f.bodySize) return 'revalidated';
  return 'network';
}

function dirBytes(dir) {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

async function endTrace(cdp) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let data = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    data += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(data);
  return parsed.traceEvents ?? parsed;
}

// ms per kind of wasm work in the renderer that compiled: main thread (blocks the page)
// and background (competes for the cores).
function sumWasmTrace(events) {
  const pid = events.find((e) => e.name === 'wasm.StartStreamingCompilation')?.pid;
  const mainTid = events.find((e) => e.pid === pid && e.name === 'thread_name' && e.args.name === 'CrRendererMain')?.tid;
  const out = { mainLazyMs: 0, mainLazyCount: 0, biggestLazyMs: 0, deserializeMs: 0, finishStreamingMs: 0, backgroundBaselineMs: 0, backgroundTopTierMs: 0 };
  for (const e of events) {
    if (e.pid !== pid || e.ph !== 'X' || !e.dur) continue;
    const ms = e.dur / 1000;
    const main = e.tid === mainTid;
    if (e.name === 'wasm.CompileLazy' && main) {
      out.mainLazyMs += ms;
      out.mainLazyCount++;
      out.biggestLazyMs = Math.max(out.biggestLazyMs, ms);
    } else if (e.name === 'wasm.Deserialize') out.deserializeMs += ms;
    else if (e.name === 'wasm.FinishStreaming') out.finishStreamingMs += ms;
    else if (e.name === 'wasm.BaselineCompilation' && !main) out.backgroundBaselineMs += ms;
    else if (e.name === 'wasm.TopTierCompilation' && !main) out.backgroundTopTierMs += ms;
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v)]));
}

async function visit(mode, profile, tokens) {
  const base = mode === 'against' ? new URL('/', against).href : server.url;
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    await context.addInitScript(wrapWasm);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${base}style.css`); // a light document of the demo's origin and headers
    const cdp = trace ? await context.newCDPSession(page) : null;
    await cdp?.send('Tracing.start', { traceConfig: { includedCategories: ['v8.wasm'] }, transferMode: 'ReturnAsStream' });
    const r = await page.evaluate(mode === 'ort' ? floor : ours, { model, text, tokens });
    const seen = await page.evaluate(collect, r.t0);
    if (cdp) seen.wasmTrace = sumWasmTrace(await endTrace(cdp));
    await page.waitForTimeout(linger);
    return { ...r, ...seen };
  } finally {
    await context.close();
  }
}

const load = [loadavg()[0]];
const modes = against ? ['ours', 'against', 'ort'] : ['ours', 'ort'];
const rows = Object.fromEntries(modes.map((m) => [m, []])); // [run][visit]
const codeCache = Object.fromEntries(modes.map((m) => [m, []]));
let tokens;
for (let run = 0; run < runs; run++) {
  const profiles = {};
  for (const mode of modes) profiles[mode] = await mkdtemp(join(tmpdir(), `mooscomp-cold-${mode}-`));
  for (const mode of modes) { rows[mode][run] = []; codeCache[mode][run] = []; }
  for (let v = 0; v < visits; v++) {
    for (const mode of modes) {
      const r = await visit(mode, profiles[mode], tokens);
      tokens ??= r.tokens;
      rows[mode][run][v] = r;
      codeCache[mode][run][v] = { wasm: dirBytes(join(profiles[mode], 'Default', 'Code Cache', 'wasm')), js: dirBytes(join(profiles[mode], 'Default', 'Code Cache', 'js')) };
    }
  }
  for (const mode of modes) await rm(profiles[mode], { recursive: true, force: true });
  load.push(loadavg()[0]);
}
await server.close();
mkdirSync(path('../out/'), { recursive: true });
writeFileSync(path('../out/cold-start-browser.json'), JSON.stringify({ rows, codeCache }, null, 1)); // raw, before any formatting

const visitName = (v) => (v === 0 ? 'first' : `repeat ${v}`);
const lines = [`# cold start in Chromium ${CHROMIUM}, model ${modelName}, ${tokens} tokens, ${runs} runs x ${visits} visits per mode, interleaved; linger ${linger} ms`];
lines.push(`# load average (1 min) ${load.map((l) => l.toFixed(1)).join(' -> ')}; median (± half the range, n), ms`);
const summary = { bench: 'cold-start-browser', model: modelName, tokens, runs, visits, loadavg: load.map((l) => Number(l.toFixed(2))), ...Object.fromEntries(modes.map((m) => [m, {}])) };
if (against) summary.againstUrl = against;
const title = { ours: 'ours (import, createCompressor({cache: true}), compress)', against: `ours on ${against}`, ort: 'onnxruntime-web alone' };
for (const mode of modes) {
  const keys = Object.keys(rows[mode][0][0].phases);
  lines.push('', title[mode]);
  lines.push(`  ${'visit'.padEnd(10)}${keys.map((k) => k.padStart(24)).join('')}`);
  for (let v = 0; v < visits; v++) {
    const cells = keys.map((k) => summarize(rows[mode].map((run) => run[v].phases[k])));
    lines.push(`  ${visitName(v).padEnd(10)}${cells.map((s) => fmt(s, '', 0).padStart(24)).join('')}`);
    summary[mode][visitName(v)] = Object.fromEntries(keys.map((k, i) => [k, Math.round(cells[i].median)]));
    summary[mode][visitName(v)].spread = Number(cells[keys.length - 1].spread.toFixed(2));
    // Where the two wasm files came from on this visit, in the last run.
    const files = rows[mode][runs - 1][v].files;
    for (const [key, name] of [['coreWasm', '/js/dist/mooscomp-core.wasm'], ['ortWasm', '/ort/ort-wasm-simd-threaded.wasm']]) {
      const f = files.find((x) => x.name === name);
      if (f) summary[mode][visitName(v)][key] = origin(f);
    }
  }
}

// Per visit, the last run's files and wasm calls (every run shows the same sources).
for (const mode of modes) {
  const last = rows[mode][runs - 1];
  for (let v = 0; v < visits; v++) {
    const r = last[v];
    const cc = codeCache[mode][runs - 1][v];
    lines.push('', `${mode}, ${visitName(v)} visit (last run); code cache after it: wasm ${(cc.wasm / 1e6).toFixed(2)} MB, js ${(cc.js / 1e6).toFixed(2)} MB`);
    for (const f of r.files.filter((f) => /\.(wasm|onnx|model|json|mjs)$/.test(f.name) || f.name.endsWith('index.js'))) {
      lines.push(`  ${f.name.padEnd(42)} ${origin(f).padEnd(12)} ${String(f.transferSize).padStart(9)} B on the wire, ${f.start.toFixed(0).padStart(5)} -> ${f.end.toFixed(0).padStart(5)} ms`);
    }
    const fetched = new Set(r.files.map((f) => basename(f.name)));
    if (mode !== 'ort') {
      const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8'));
      for (const f of [manifest.onnx, manifest.tokenizer.file]) if (!fetched.has(f)) lines.push(`  ${`${model}${f}`.padEnd(42)} cache-api`);
    }
    const jsFiles = r.files.filter((f) => f.name.startsWith('/js/src/'));
    if (jsFiles.length) lines.push(`  /js/src/*.js: ${jsFiles.length} files, ${[...new Set(jsFiles.map(origin))].join(', ')}`);
    if (r.wasmTrace) lines.push(`  wasm trace (ms): ${Object.entries(r.wasmTrace).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const c of r.wasm) {
      lines.push(`  WebAssembly.${c.fn.padEnd(21)} ${String(c.what ?? '').replace(/^https?:\/\/[^/]+/, '').padEnd(36)} ${c.start.toFixed(0).padStart(5)} -> ${c.end?.toFixed(0).padStart(5) ?? '  ?'} ms (${c.end !== undefined ? (c.end - c.start).toFixed(0) : '?'} ms)${c.error ? ` ${c.error}` : ''}`);
    }
  }
}
console.log(lines.join('\n'));
writeFileSync(path('../out/cold-start-browser.json'), JSON.stringify({ rows, codeCache, summary }, null, 1));
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
