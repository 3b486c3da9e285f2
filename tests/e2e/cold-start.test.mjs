// What makes a repeat visit fast, checked in Chromium on the demo's server: the core's wasm and
// onnxruntime-web's are compiled by streaming (V8 keeps compiled code only for streamed
// modules, beside their HTTP cache entry), and a second visit with the same profile gets both
// from the HTTP cache or revalidates them (a 304 keeps that entry; a fresh 200 would not).
// Also the server's caching headers, and the fallbacks: a core served with another MIME type
// still loads (from bytes), and a missing one fails with the same error as before. No timings
// are asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web-demo/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkipReason } from '../support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORE = '/js/dist/mooscomp-core.wasm';
const ORT = '/ort/ort-wasm-simd-threaded.wasm';

const skip = await chromiumSkipReason(ROOT, { 'models/fixture/manifest.json': 'models/fixture is missing' });

let chromium;
let server;
let statuses; // path -> statuses the server answered, in order
const dirs = [];
before(async () => {
  if (skip) return;
  ({ chromium } = await import('playwright-core'));
  server = await startServer({ port: 0 });
  statuses = new Map();
  server.server.on('request', (req, res) => {
    const path = req.url.split('?')[0];
    res.on('finish', () => statuses.set(path, [...(statuses.get(path) ?? []), res.statusCode]));
  });
});
after(async () => {
  await server?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// Before any script of the page: note every WebAssembly compile or instantiate and what it got.
function recordWasm() {
  const calls = (self.__wasmCalls = []);
  for (const fn of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[fn];
    WebAssembly[fn] = function (source, ...rest) {
      const call = { fn };
      calls.push(call);
      if (source instanceof WebAssembly.Module) call.source = 'module';
      else if (source && typeof source.byteLength === 'number') call.source = source.byteLength;
      else call.source = Promise.resolve(source).then((r) => new URL(r.url).pathname, () => 'failed');
      return original.call(this, source, ...rest);
    };
  }
}

// One visit: a browser on the profile, a compressor with the model cached, one result.
async function visit(profile, route) {
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    await context.addInitScript(recordWasm);
    if (route) await context.route(`**${CORE}`, route);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}examples/meeting.txt`); // a plain document of the server's origin
    return await page.evaluate(async () => {
      const { createCompressor } = await import('/js/src/index.js');
      let result;
      let error;
      try {
        const c = await createCompressor({ model: '/models/fixture/', cache: 'mooscomp-cold-start-test' });
        result = (await c.compress('The meeting moved to Tuesday at 10 am. Bring the budget.')).compressedPrompt;
        await c.dispose();
      } catch (err) {
        error = { code: err.code, message: err.message };
      }
      const calls = [];
      for (const c of self.__wasmCalls) calls.push({ fn: c.fn, source: await c.source });
      const files = Object.fromEntries(performance.getEntriesByType('resource')
        .map((e) => [new URL(e.name).pathname, { transferSize: e.transferSize, bodySize: e.encodedBodySize }]));
      return { result, error, calls, files };
    });
  } finally {
    await context.close();
  }
}

async function profile() {
  const dir = await mkdtemp(join(tmpdir(), 'mooscomp-cold-start-'));
  dirs.push(dir);
  return dir;
}

const coreBytes = () => readFileSync(join(ROOT, 'js', 'dist', 'mooscomp-core.wasm'));

test('both wasm files are streamed; a second visit revalidates or reads them from the HTTP cache', { skip, timeout: 180_000 }, async () => {
  const dir = await profile();
  const first = await visit(dir);
  assert.equal(first.error, undefined, JSON.stringify(first.error));
  assert.ok(first.result.length > 0);
  const streamed = first.calls.filter((c) => c.fn.endsWith('Streaming')).map((c) => c.source);
  assert.ok(streamed.includes(CORE), `the core is compiled by streaming (calls: ${JSON.stringify(first.calls)})`);
  assert.ok(streamed.includes(ORT), `ORT's wasm is compiled by streaming (calls: ${JSON.stringify(first.calls)})`);
  const size = coreBytes().length;
  assert.ok(!first.calls.some((c) => c.source === size), 'the core is never compiled from bytes');

  statuses.clear();
  const second = await visit(dir);
  assert.equal(second.error, undefined, JSON.stringify(second.error));
  assert.equal(second.result, first.result);
  for (const path of [CORE, ORT]) {
    const entry = second.files[path];
    assert.ok(entry, `${path} is fetched on the second visit`);
    // 0 bytes on the wire: the HTTP cache; fewer than the body: only headers (a 304).
    assert.ok(entry.transferSize < entry.bodySize, `${path} comes from the cache or revalidates: ${JSON.stringify(entry)}`);
    for (const status of statuses.get(path) ?? []) assert.equal(status, 304, `${path}: the server answers a revalidation with 304`);
  }
  assert.ok(second.calls.some((c) => c.fn === 'compileStreaming' && c.source === CORE), 'the core is streamed again');
});

// Without a browser: ORT's files (an installed package) stay fresh, so Chromium keeps reusing
// their compiled code; the rest revalidates; a 304 repeats the 200's Cache-Control.
test('caching headers: ORT fresh for a day, the rest revalidated with 304', async () => {
  const own = await startServer({ port: 0 });
  try {
    for (const [path, cacheControl] of [[ORT, 'max-age=86400'], [CORE, 'no-cache'], ['/js/src/core.js', 'no-cache'], ['/models/fixture/model.onnx', 'no-cache']]) {
      const first = await fetch(new URL(path, own.url));
      await first.arrayBuffer();
      assert.equal(first.status, 200, path);
      assert.equal(first.headers.get('cache-control'), cacheControl, path);
      const etag = first.headers.get('etag');
      const lastModified = first.headers.get('last-modified');
      assert.ok(etag && lastModified, `${path} has validators`);
      for (const conditional of [{ 'If-None-Match': etag }, { 'If-Modified-Since': lastModified }]) {
        const again = await fetch(new URL(path, own.url), { headers: conditional });
        assert.equal(again.status, 304, `${path} ${JSON.stringify(conditional)}`);
        assert.equal(again.headers.get('cache-control'), cacheControl, path);
        assert.equal(again.headers.get('cross-origin-embedder-policy'), 'require-corp', path);
      }
      const changed = await fetch(new URL(path, own.url), { headers: { 'If-None-Match': 'W/"other"', 'If-Modified-Since': lastModified } });
      await changed.arrayBuffer();
      assert.equal(changed.status, 200, `${path}: an ETag that does not match wins over the date`);
    }
  } finally {
    await own.close();
  }
});

test('a core served with another MIME type loads from its bytes', { skip, timeout: 120_000 }, async () => {
  const body = coreBytes();
  const first = await visit(await profile(), (route) => route.fulfill({
    status: 200, body, headers: { 'Content-Type': 'application/octet-stream', 'Cross-Origin-Resource-Policy': 'same-origin' },
  }));
  assert.equal(first.error, undefined, JSON.stringify(first.error));
  assert.ok(first.result.length > 0);
  assert.ok(!first.calls.some((c) => c.fn.endsWith('Streaming') && c.source === CORE), 'no streaming compile of a non-wasm type');
  assert.ok(first.calls.some((c) => c.fn === 'instantiate' && c.source === body.length), 'the core instantiated from its bytes');
});

test('a missing core fails as it always did', { skip, timeout: 120_000 }, async () => {
  const first = await visit(await profile(), (route) => route.fulfill({ status: 404, body: 'not found\n', contentType: 'text/plain' }));
  assert.equal(first.result, undefined);
  assert.equal(first.error.code, 'INTERNAL');
  assert.match(first.error.message, new RegExp(`cannot read .*${CORE.replaceAll('/', '\\/')}: HTTP 404`));
});
