// The demo server: allowlist, no directory traversal, MIME types, isolation headers.
// Needs no browser; raw http requests so that `..` reaches the server unnormalised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
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
  const body = String((await get(isolated.url, '/js/src/ort-env.js')).body);
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

// The server in its own process, so its open descriptors can be counted in /proc.
async function spawnServer(ulimit) {
  const { spawn } = await import('node:child_process');
  const serve = new URL('../../web-demo/serve.mjs', import.meta.url).pathname;
  const cmd = ulimit ? ['sh', ['-c', `ulimit -n ${ulimit} && exec "$0" "$1" --port 0`, process.execPath, serve]] : [process.execPath, [serve, '--port', '0']];
  const child = spawn(cmd[0], cmd[1], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url, fds: () => readdirSync(`/proc/${child.pid}/fd`).length };
}

// Starts a download of a large file, reads its first bytes, and drops the connection.
function abortedDownload(base, path) {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
    req.end();
  });
}

const hasProc = existsSync('/proc/self/fd');
const BIG = '/ort/ort-wasm-simd-threaded.wasm'; // megabytes: still sending when the client leaves

test('aborted downloads leave no file descriptors open', { skip: !hasProc && 'no /proc', timeout: 60_000 }, async () => {
  const { child, url, fds } = await spawnServer();
  try {
    await get(url, '/'); // warm up: the server's own descriptors settle
    const before = fds();
    for (let i = 0; i < 60; i++) await abortedDownload(url, BIG);
    let after = fds();
    for (let i = 0; i < 50 && after > before + 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = fds();
    }
    assert.ok(after <= before + 2, `descriptors: ${before} before, ${after} after 60 aborted downloads`);
  } finally {
    child.kill();
  }
});

test('with 64 descriptors, 60 aborted downloads still leave the server answering', { skip: !hasProc && 'no /proc', timeout: 60_000 }, async () => {
  const { child, url } = await spawnServer(64);
  try {
    for (let i = 0; i < 60; i++) await abortedDownload(url, BIG);
    await new Promise((r) => setTimeout(r, 200));
    for (const path of ['/models/fixture/manifest.json', '/', BIG]) {
      const r = await get(url, path, path === BIG ? 'HEAD' : 'GET');
      assert.equal(r.status, 200, path);
    }
  } finally {
    child.kill();
  }
});
