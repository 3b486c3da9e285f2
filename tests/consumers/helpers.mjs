// Shared by the consumer, workerd and extension tests: pack the package as npm would
// publish it, install the tarball into clean temporary projects, serve folders on
// 127.0.0.1, and launch Debian's Chromium without letting anything download a browser.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CHROMIUM } from '../support/chromium.mjs';

export { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ROOT_BIN = join(ROOT, 'node_modules', '.bin');
export const OUT = join(ROOT, 'test-output', 'consumers');

const exec = promisify(execFile);

// Why a suite cannot run here (a string), or false.
export function missing({ chromium = false, bins = [] } = {}) {
  if (!existsSync(join(ROOT, 'js/dist/mooscomp-core.wasm'))) return 'js/dist is not built: run scripts/build.sh first';
  if (!existsSync(join(ROOT, 'js/node_modules/onnxruntime-web')) && !existsSync(join(ROOT, 'node_modules/onnxruntime-web'))) {
    return 'npm dependencies are not installed (npm install at the repository root)';
  }
  for (const bin of bins) {
    if (!existsSync(join(ROOT_BIN, bin))) return `${bin} is not installed (npm install at the repository root)`;
  }
  if (chromium && !existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`;
  if (chromium && !existsSync(join(ROOT, 'node_modules/playwright-core'))) return 'playwright-core is not installed (npm install at the repository root)';
  return false;
}

export async function run(cmd, args, options = {}) {
  const { stdout, stderr } = await exec(cmd, args, {
    maxBuffer: 64 << 20,
    ...options,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false', ...options.env },
  });
  return { stdout, stderr };
}

// Runs fn while holding js/.pack-lock: prepack and postpack write and remove js/models/,
// js/LICENSE and js/types/index.d.cts, so packing runs one at a time.
async function withPackLock(fn) {
  const lock = join(ROOT, 'js', '.pack-lock');
  for (let start = Date.now(); ; await new Promise((r) => setTimeout(r, 200))) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() - start > 120_000) await rm(lock, { recursive: true, force: true }); // stale
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

// `npm pack` of js/ (its prepack step puts the default model inside). Returns the tarball path.
export async function pack() {
  const dir = await mkdtemp(join(tmpdir(), 'mooscomp-pack-'));
  return withPackLock(async () => {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: join(ROOT, 'js') });
    return join(dir, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);
  });
}

// `npm publish --dry-run` of js/ (no registry is contacted). Returns npm's warnings.
export async function publishDryRun() {
  return withPackLock(async () => {
    const { stderr } = await run('npm', ['publish', '--dry-run'], { cwd: join(ROOT, 'js') });
    return stderr.split('\n').filter((line) => line.startsWith('npm warn'));
  });
}

// A clean project in a temporary folder: `files` (name -> text) plus the tarball and
// `deps`, installed from the local npm cache where possible. Returns its folder.
export async function project(name, tarball, files = {}, deps = []) {
  const dir = await mkdtemp(join(tmpdir(), `mooscomp-${name}-`));
  const pkg = { name: `consumer-${name}`, private: true, type: 'module' };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...deps], { cwd: dir });
  return dir;
}

// Copies an example folder from the repository into a fresh temp folder (no node_modules).
export async function copyExample(name) {
  const dir = await mkdtemp(join(tmpdir(), `mooscomp-${name}-`));
  await cp(join(ROOT, 'examples', name), dir, { recursive: true, filter: (src) => !src.includes(`${sep}node_modules`) });
  return dir;
}

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm',
};

// Serves `dir` on 127.0.0.1 (cross-origin isolated, so ORT may use threads). Returns {url, close}.
export async function serve(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] || 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

export async function report(name, data) {
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
}

export const PROMPT = 'The meeting is on Tuesday at 10 am in room 4. Please bring the budget report, '
  + 'the slides for the new product and your questions about the schedule for next quarter.';
