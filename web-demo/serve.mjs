#!/usr/bin/env node
// A tiny static server for the demo, on 127.0.0.1 only. It serves an allowlist of the
// repository's files under clean paths, with the MIME types and the cross-origin isolation
// headers onnxruntime-web needs for threads.
//
//   node web-demo/serve.mjs [--port N] [--no-isolation]     (or PORT=N; 0 = any free port)
//
// Routes:
//   /                     web-demo/public/ (the page)
//   /js/src/, /js/dist/   the mooscomp package and its wasm core
//   /ort/                 onnxruntime-web's wasm build (three files)
//   /examples/            examples/*.txt
//   /models/index.json    the model folders that hold a manifest.json
//   /models/<name>/       manifest.json and the two files it names, nothing else
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODELS_DIR = join(ROOT, 'models');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm', // instantiateStreaming insists on it
  '.onnx': 'application/octet-stream',
  '.model': 'application/octet-stream',
};

// The ORT build the browser gets for the package's bare `onnxruntime-web` import: the
// wasm-only bundle, which loads the same ort-wasm-simd-threaded.wasm as Node does.
export const ORT_ENTRY = '/ort/ort.wasm.bundle.min.mjs';
const ORT_FILES = new Set(['ort.wasm.bundle.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']);

// The onnxruntime-web that js/src resolves in Node, so browser and Node run the same build.
function ortDistDir() {
  const require = createRequire(join(ROOT, 'js', 'src', 'session.js'));
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

// mount prefix -> {dir, allow(name)}; `name` is the rest of the path, already checked.
function mounts() {
  const ortDir = ortDistDir();
  return [
    { prefix: '/js/src/', dir: join(ROOT, 'js', 'src'), allow: (n) => /^[\w-]+\.js$/.test(n), rewrite: true },
    { prefix: '/js/dist/', dir: join(ROOT, 'js', 'dist'), allow: (n) => /^mooscomp-core\.(mjs|wasm)$/.test(n) },
    { prefix: '/ort/', dir: ortDir, allow: (n) => ORT_FILES.has(n) },
    { prefix: '/examples/', dir: join(ROOT, 'examples'), allow: (n) => /^[\w-]+\.txt$/.test(n) },
    { prefix: '/', dir: join(ROOT, 'web-demo', 'public'), allow: (n) => /^[\w-]+\.(html|css|js|svg)$/.test(n) },
  ];
}

// Model folders: <modelsDir>/<name>/manifest.json, listed with their display name.
async function listModels(modelsDir) {
  const models = [];
  for (const entry of await readdir(modelsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^[\w-]+$/.test(entry.name)) continue;
    const manifest = await readManifest(modelsDir, entry.name);
    if (manifest) models.push({ id: entry.name, name: manifest.name || entry.name, url: `/models/${entry.name}/` });
  }
  // The trained default first, the fixture last: the page picks the first.
  const rank = (m) => (m.id === 'default' ? 0 : m.id === 'fixture' ? 2 : 1);
  return models.sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

// null when the folder holds no readable manifest; other failures (out of descriptors, say)
// are thrown, so the client gets a 500 rather than a wrong 404.
async function readManifest(modelsDir, folder) {
  try {
    return JSON.parse(await readFile(join(modelsDir, folder, 'manifest.json'), 'utf8'));
  } catch (err) {
    if (err instanceof SyntaxError || ['ENOENT', 'ENOTDIR', 'EISDIR'].includes(err.code)) return null;
    throw err;
  }
}

// Resolves a request path to a file on disk, or null. Decoded once; any segment that is
// empty, dot or dot-dot, or holds a backslash or NUL, is refused before touching the disk.
export async function resolvePath(pathname, modelsDir = MODELS_DIR) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path === '/') path = '/index.html';
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || /[\\\0]/.test(s))) return null;

  const model = path.match(/^\/models\/([\w-]+)\/([^/]+)$/);
  if (model) {
    const [, folder, name] = model;
    const manifest = await readManifest(modelsDir, folder);
    if (!manifest) return null;
    const named = ['manifest.json', manifest.onnx, manifest.tokenizer && manifest.tokenizer.file];
    return named.includes(name) ? { file: inside(join(modelsDir, folder), name) } : null;
  }
  for (const m of mounts()) {
    if (!path.startsWith(m.prefix)) continue;
    const name = path.slice(m.prefix.length);
    if (name.includes('/') || !m.allow(name)) return null;
    return { file: inside(m.dir, name), rewrite: m.rewrite };
  }
  return null;
}

// Belt and braces: the resolved file must still sit inside its folder.
function inside(dir, name) {
  const file = resolve(dir, name);
  return file.startsWith(dir + sep) ? file : null;
}

function mimeOf(file) {
  return MIME[extname(file)] || 'application/octet-stream';
}

// Browsers cannot resolve bare specifiers, and module workers have no import maps: point the
// package's `onnxruntime-web` import at the served ORT build (what a dev server's resolver does).
function rewriteBareImports(source) {
  return source.replace(/(from\s*|import\s*\(\s*)(['"])onnxruntime-web(?:\/wasm)?\2/g, `$1'${ORT_ENTRY}'`);
}

// Validators for a file, so that `no-cache` revalidates with a 304 instead of sending it
// again: a 304 keeps the browser's cache entry, and with it V8's compiled-wasm and JS code
// caches, which a fresh 200 would discard. Size and mtime stand for the content (a rewritten
// js/src file changes only when its source does).
function validatorsOf(info) {
  return { ETag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`, 'Last-Modified': info.mtime.toUTCString() };
}

// ORT's files come from the installed onnxruntime-web and change only when it is reinstalled,
// so they stay fresh for a day: Chromium reuses ORT's compiled wasm on every visit only when
// the response is served fresh; revalidated on every visit (`no-cache`), it is reused on the
// first repeat visit and then compiled again each time (bench/browser/cold-start.mjs).
// After reinstalling onnxruntime-web, reload bypassing the cache. Everything else can change
// under a running server (rebuilt core, edited sources) and is revalidated.
const ORT_CACHE_CONTROL = 'max-age=86400';
function cacheControlOf(pathname) {
  return pathname.startsWith('/ort/') ? ORT_CACHE_CONTROL : 'no-cache';
}

// A conditional GET or HEAD the client's copy satisfies. If-None-Match wins over
// If-Modified-Since when both are sent (RFC 9110, 13.2.2).
function isFresh(req, validators, info) {
  const tags = req.headers['if-none-match'];
  if (tags !== undefined) {
    const bare = (t) => t.trim().replace(/^W\//, '');
    return tags.trim() === '*' || tags.split(',').some((t) => bare(t) === bare(validators.ETag));
  }
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(since) && Math.floor(info.mtimeMs / 1000) * 1000 <= since;
}

// modelsDir: where /models/ comes from (the tests point it at a folder of their own).
export function startServer({ port = 0, isolation = true, modelsDir = MODELS_DIR, log = () => {} } = {}) {
  const headers = {
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    ...(isolation ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
  };

  const server = createServer(async (req, res) => {
    const send = (status, type, body, extra = {}) => {
      res.writeHead(status, { ...headers, ...extra, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
      }
      // The raw path, not URL-normalised: dot segments are refused, not resolved.
      const pathname = req.url.split(/[?#]/)[0];
      if (pathname === '/models/index.json') {
        return send(200, MIME['.json'], JSON.stringify({ models: await listModels(modelsDir) }));
      }
      const target = await resolvePath(pathname, modelsDir);
      const info = target && target.file && (await stat(target.file).catch(() => null));
      if (!info || !info.isFile()) return send(404, 'text/plain; charset=utf-8', 'not found\n');
      // A 304 repeats the 200's caching headers: it renews the stored entry's freshness.
      const validators = { ...validatorsOf(info), 'Cache-Control': cacheControlOf(pathname) };
      if (isFresh(req, validators, info)) {
        res.writeHead(304, { ...headers, ...validators });
        return res.end();
      }
      if (target.rewrite) {
        return send(200, mimeOf(target.file), rewriteBareImports(await readFile(target.file, 'utf8')), validators);
      }
      res.writeHead(200, { ...headers, ...validators, 'Content-Type': mimeOf(target.file), 'Content-Length': info.size });
      if (req.method === 'HEAD') return res.end();
      // pipeline closes the file when the client goes away mid-download (pipe() would keep
      // the paused stream, and its descriptor, open for good).
      pipeline(createReadStream(target.file), res, (err) => {
        if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') log(`error sending ${req.url}: ${err.message}`);
      });
    } catch (err) {
      log(`error on ${req.url}: ${err.message}`);
      if (!res.headersSent) send(500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    }
  });

  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      resolveStart({ server, url, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

function parseArgs(argv) {
  const args = { port: process.env.PORT === undefined ? 8080 : Number(process.env.PORT), isolation: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-isolation') args.isolation = false;
    else if (a === '--port') args.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) args.port = Number(a.slice(7));
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error('port must be an integer in [0, 65535]');
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`serve: ${err.message}\nusage: node web-demo/serve.mjs [--port N] [--no-isolation]`);
    process.exit(2);
  }
  if (args.help) {
    console.log('usage: node web-demo/serve.mjs [--port N] [--no-isolation]   (PORT=N also works; 0 = any free port)');
    process.exit(0);
  }
  const { url } = await startServer({ ...args, log: (m) => console.error(m) });
  console.log(`mooscomp demo: ${url}${args.isolation ? '' : '  (no cross-origin isolation: one ORT thread)'}`);
}
