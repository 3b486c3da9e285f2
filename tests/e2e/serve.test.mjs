// The demo server: allowlist, no directory traversal, MIME types, isolation headers.
// Needs no browser; raw http requests so that `..` reaches the server unnormalised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { startServer } from '../../web-demo/serve.mjs';

const built = existsSync(new URL('../../js/dist/mooscomp-core.wasm', import.meta.url));
let isolated;
let plain;

before(async () => {
  isolated = await startServer({ port: 0 });
  plain = await startServer({ port: 0, isolation: false });
});
after(async () => {
  await isolated?.close();
  await plain?.close();
});

function get(base, path, method = 'GET') {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('binds to 127.0.0.1 on the port it prints', () => {
  assert.match(isolated.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(isolated.server.address().address, '127.0.0.1');
});

test('sends cross-origin isolation headers, and drops them with isolation off', async () => {
  const a = await get(isolated.url, '/');
  assert.equal(a.status, 200);
  assert.equal(a.headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(a.headers['cross-origin-embedder-policy'], 'require-corp');
  assert.equal(a.headers['cross-origin-resource-policy'], 'same-origin');
  const b = await get(plain.url, '/');
  assert.equal(b.status, 200);
  assert.equal(b.headers['cross-origin-opener-policy'], undefined);
  assert.equal(b.headers['cross-origin-embedder-policy'], undefined);
});

test('serves the page, the package, ORT, examples and models with their MIME types', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/js/src/index.js', 'text/javascript; charset=utf-8'],
    ['/ort/ort.wasm.bundle.min.mjs', 'text/javascript; charset=utf-8'],
    ['/ort/ort-wasm-simd-threaded.wasm', 'application/wasm'],
    ['/examples/meeting.txt', 'text/plain; charset=utf-8'],
    ['/models/index.json', 'application/json; charset=utf-8'],
    ['/models/fixture/manifest.json', 'application/json; charset=utf-8'],
    ['/models/fixture/model.onnx', 'application/octet-stream'],
    ['/models/fixture/tokenizer.model', 'application/octet-stream'],
  ];
  if (built) cases.push(['/js/dist/mooscomp-core.mjs', 'text/javascript; charset=utf-8'], ['/js/dist/mooscomp-core.wasm', 'application/wasm']);
  for (const [path, type] of cases) {
    const r = await get(isolated.url, path, 'HEAD');
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-type'], type, path);
  }
});

test('lists the model folders that hold a manifest', async () => {
  const { models } = JSON.parse((await get(isolated.url, '/models/index.json')).body);
  assert.ok(models.some((m) => m.id === 'fixture' && m.url === '/models/fixture/'));
  for (const m of models) assert.match(m.id, /^[\w-]+$/);
});

test("rewrites the package's bare onnxruntime-web import to the served ORT", async () => {
  const body = String((await get(isolated.url, '/js/src/session.js')).body);
  assert.match(body, /from '\/ort\/ort\.wasm\.bundle\.min\.mjs'/);
  assert.doesNotMatch(body, /from ['"]onnxruntime-web['"]/);
});

test('refuses traversal and anything off the allowlist', async () => {
  const refused = [
    '/../package.json',
    '/js/src/../../package.json',
    '/js/src/..%2f..%2fpackage.json',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/js/src/%2e%2e/%2e%2e/package.json',
    '/js/src/..\\..\\package.json',
    '/js/src/index.js%00.js',
    '/js/src//index.js',
    '/js/src/./index.js',
    '/models/fixture/../../package.json',
    '/models/fixture/reference.json', // in the folder, but not named by the manifest
    '/models/../package.json',
    '/models/runs/manifest.json',
    '/models/mooscomp_models/bert.py',
    '/models/train.py',
    '/ort/ort.wasm.min.js.map',
    '/ort/../package.json',
    '/serve.mjs',
    '/js/package.json',
    '/js/bin/mooscomp.js',
    '/package.json',
    '/.git/config',
    '/examples/compress.mjs',
    '/%E0%A4%A',
  ];
  for (const path of refused) {
    const r = await get(isolated.url, path);
    assert.equal(r.status, 404, path);
    assert.equal(String(r.body), 'not found\n', path);
  }
});

test('answers only GET and HEAD', async () => {
  const r = await get(isolated.url, '/', 'POST');
  assert.equal(r.status, 405);
  assert.equal(r.headers.allow, 'GET, HEAD');
});
