// The packed package in headless Chromium: an app bundled with esbuild (assets given as
// URLs, model files kept in the Cache API), a module Web Worker bundled the same way (the
// core handed over as a compiled WebAssembly.Module), an app built with Vite (which emits
// both wasm files itself; only the model is copied, to public/), and an unbundled page (an
// import map) where every file is found next to the package by default. In both bundles,
// createCompressor() without a model is an INVALID_MODEL error that says how to pass one.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ROOT_BIN, PROMPT, missing, pack, project, report, run, serve } from './helpers.mjs';

const skip = missing({ chromium: true, bins: ['esbuild', 'vite'] });
if (skip) console.log(`# consumer tests (browser) skipped: ${skip}`);

// Times one cold start and two compressions; shared by the page and the worker.
const MEASURE = `
export async function measure(createCompressor, options, prompt) {
  const t0 = performance.now();
  const c = await createCompressor(options);
  const cold = performance.now() - t0;
  const t1 = performance.now();
  const r = await c.compress(prompt, { rate: 0.5 });
  const first = performance.now() - t1;
  const t2 = performance.now();
  await c.compress(prompt, { rate: 0.5 });
  const warm = performance.now() - t2;
  await c.dispose();
  return { text: r.compressedPrompt, cold, first, warm };
}
`;

const APP = `
import { createCompressor } from 'mooscomp';
import { measure } from './measure.js';
window.compressInPage = async (prompt) => {
  const options = { coreWasm: '/assets/mooscomp-core.wasm', ortWasm: '/assets/ort-wasm-simd-threaded.wasm', model: '/assets/model/', cache: true };
  const r = await measure(createCompressor, options, prompt);
  const cached = await (await caches.open('mooscomp-models')).keys();
  return { ...r, cached: cached.map((req) => new URL(req.url).pathname) };
};
window.compressWithoutModel = () => createCompressor()
  .then(() => 'created', (e) => ({ name: e.name, code: e.code, message: e.message }));
window.compressInWorker = (prompt) => new Promise((resolve, reject) => {
  const worker = new Worker('/out/worker.js', { type: 'module' });
  worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data));
  worker.onerror = (e) => reject(new Error(e.message));
  worker.postMessage(prompt);
});
`;

const WORKER = `
import { createCompressor } from 'mooscomp';
import { measure } from './measure.js';
self.onmessage = async ({ data: prompt }) => {
  try {
    const coreWasm = await WebAssembly.compileStreaming(fetch('/assets/mooscomp-core.wasm'));
    const options = { coreWasm, ortWasm: new URL('/assets/ort-wasm-simd-threaded.wasm', location.href), model: new URL('/assets/model/', location.href) };
    self.postMessage(await measure(createCompressor, options, prompt));
  } catch (err) {
    self.postMessage({ error: String(err && err.stack || err) });
  }
};
`;

// Vite: the wasm files are left to the package's defaults (Vite emits what
// \`new URL(..., import.meta.url)\` names); the model is served from public/model/.
const VITE_MAIN = `
import { createCompressor } from 'mooscomp';
import { measure } from '../measure.js';
window.compressWithVite = (prompt) => measure(createCompressor, { model: '/model/', cache: true }, prompt);
window.compressWithoutModel = () => createCompressor()
  .then(() => 'created', (e) => ({ name: e.name, code: e.code, message: e.message }));
`;
const VITE_HTML = '<!doctype html><meta charset="utf-8"><title>vite</title><script type="module" src="/main.js"></script>';

const HTML = '<!doctype html><meta charset="utf-8"><title>bundled</title><script type="module" src="/out/app.js"></script>';

// No bundler: an import map, and the package's defaults for every file.
const UNBUNDLED = `<!doctype html><meta charset="utf-8"><title>unbundled</title>
<script type="importmap">{"imports": {
  "mooscomp": "/node_modules/mooscomp/src/index.js",
  "onnxruntime-web/wasm": "/node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs"
}}</script>
<script type="module">
  import { createCompressor } from 'mooscomp';
  import { measure } from '/measure.js';
  window.compressWithDefaults = (prompt) => measure(createCompressor, {}, prompt);
</script>`;

describe('the packed package in Chromium', { skip, timeout: 240_000 }, () => {
  let dir;
  let server;
  let viteServer;
  let context;
  let page;
  let userDataDir;
  const errors = [];
  const times = {};

  before(async () => {
    const tarball = await pack();
    dir = await project('browser', tarball, {
      'measure.js': MEASURE, 'app.js': APP, 'worker.js': WORKER, 'index.html': HTML, 'unbundled.html': UNBUNDLED,
      'vite-app/index.html': VITE_HTML, 'vite-app/main.js': VITE_MAIN,
    });
    // What the README tells esbuild users: bundle, then copy the three assets to be served.
    await run(join(ROOT_BIN, 'esbuild'), ['app.js', 'worker.js', '--bundle', '--format=esm', '--platform=browser', '--outdir=out', '--log-level=error'], { cwd: dir });
    const nm = join(dir, 'node_modules');
    await mkdir(join(dir, 'assets'));
    await cp(join(nm, 'mooscomp/dist/mooscomp-core.wasm'), join(dir, 'assets/mooscomp-core.wasm'));
    await cp(join(nm, 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'), join(dir, 'assets/ort-wasm-simd-threaded.wasm'));
    await cp(join(nm, 'mooscomp/models/default'), join(dir, 'assets/model'), { recursive: true });

    // What the README tells Vite users: copy the model into public/, build.
    await cp(join(nm, 'mooscomp/models/default'), join(dir, 'vite-app/public/model'), { recursive: true });
    await run(join(ROOT_BIN, 'vite'), ['build', '--logLevel', 'error'], { cwd: join(dir, 'vite-app') });

    server = await serve(dir);
    viteServer = await serve(join(dir, 'vite-app/dist'));
    const { chromium } = await import('playwright-core');
    userDataDir = await mkdtemp(join(tmpdir(), 'mooscomp-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });

  after(async () => {
    await context?.close();
    await server?.close();
    await viteServer?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (Object.keys(times).length) await report('browser', times);
  });

  let expected;
  test('bundled app (esbuild): assets as URLs, model kept in the Cache API', async () => {
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => typeof window.compressInPage === 'function');
    const r = await page.evaluate((p) => window.compressInPage(p), PROMPT);
    assert.ok(r.text.length > 0 && r.text.length < PROMPT.length, r.text);
    assert.deepEqual(r.cached.sort(), ['/assets/model/model.onnx', '/assets/model/tokenizer.model']);
    expected = r.text;
    times.bundledPage = r;
    assert.deepEqual(errors, []);
  });

  test('module Web Worker (esbuild): core as a compiled WebAssembly.Module', async () => {
    const r = await page.evaluate((p) => window.compressInWorker(p), PROMPT);
    assert.equal(r.text, expected);
    times.moduleWorker = r;
  });

  test('bundled app (esbuild): no model given is INVALID_MODEL saying how to pass one', async () => {
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => typeof window.compressWithoutModel === 'function');
    const r = await page.evaluate(() => window.compressWithoutModel());
    assert.equal(r.code, 'INVALID_MODEL', JSON.stringify(r));
    assert.match(r.message, /createCompressor\(\{ model:/);
  });

  test('Vite build: each wasm file emitted once, the model from public/', async () => {
    const files = await walk(join(dir, 'vite-app/dist'));
    const wasm = files.filter((f) => f.endsWith('.wasm')).map((f) => f.replace(/^.*\/|-[\w-]{8}\.wasm$/g, ''));
    // Each once; the asyncify build is the lazily imported WebGPU one (device: 'webgpu').
    assert.deepEqual(wasm.sort(), ['mooscomp-core', 'ort-wasm-simd-threaded', 'ort-wasm-simd-threaded.asyncify']);
    let bytes = 0;
    for (const f of files) bytes += (await stat(f)).size;
    times.viteDistMB = bytes / 2 ** 20;
    await page.goto(`${viteServer.url}index.html`);
    await page.waitForFunction(() => typeof window.compressWithVite === 'function');
    const r = await page.evaluate((p) => window.compressWithVite(p), PROMPT);
    assert.equal(r.text, expected);
    times.vitePage = r;
    const noModel = await page.evaluate(() => window.compressWithoutModel());
    assert.equal(noModel.code, 'INVALID_MODEL', JSON.stringify(noModel));
    assert.match(noModel.message, /createCompressor\(\{ model:/);
    assert.deepEqual(errors, []);
  });

  test('unbundled page (import map): every file found next to the package', async () => {
    await page.goto(`${server.url}unbundled.html`);
    await page.waitForFunction(() => typeof window.compressWithDefaults === 'function');
    const r = await page.evaluate((p) => window.compressWithDefaults(p), PROMPT);
    assert.equal(r.text, expected);
    times.unbundledPage = r;
    assert.deepEqual(errors, []);
  });
});

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(...(entry.isDirectory() ? await walk(path) : [path]));
  }
  return out;
}
