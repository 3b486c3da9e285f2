// The example edge worker (examples/edge-worker) in the real workerd runtime, on the packed
// package: there import.meta.url is undefined and compiling wasm from bytes is forbidden,
// so this passes only if the package's workerd entry hands both wasm files over compiled.
// Records the cold (first request) and warm request times and workerd's memory.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { missing, pack, copyExample, run, report, ROOT, ROOT_BIN, PROMPT } from '../consumers/helpers.mjs';
import { bundleWorker, workerdConfig } from './bundle.mjs';

const skip = missing({ bins: ['workerd', 'esbuild'] });
if (skip) console.log(`# workerd test skipped: ${skip}`);

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

// VmRSS / VmHWM of a process, in MB (Linux).
async function memory(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))[1]);
  return { rssMB: kb('VmRSS') / 1024, peakRssMB: kb('VmHWM') / 1024 };
}

async function post(url, body) {
  const t0 = performance.now();
  const res = await fetch(`${url}?rate=0.5`, { method: 'POST', body });
  const json = await res.json();
  return { status: res.status, json, ms: performance.now() - t0 };
}

describe('edge worker in workerd', { skip, timeout: 180_000 }, () => {
  let workerd;
  let url;
  let stderr = '';

  before(async () => {
    const tarball = await pack();
    const dir = await copyExample('edge-worker');
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: dir });
    const esbuild = await import('esbuild');
    const toml = await readFile(join(dir, 'wrangler.toml'), 'utf8');
    const main = toml.match(/^main\s*=\s*"([^"]+)"/m)[1];
    const date = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)[1];
    const out = join(dir, 'out');
    await mkdir(out);
    const modules = await bundleWorker(esbuild, join(dir, main), out);
    const port = await freePort();
    await writeFile(join(out, 'config.capnp'), workerdConfig(modules, port, date));
    workerd = spawn(join(ROOT_BIN, 'workerd'), ['serve', 'config.capnp'], { cwd: out, stdio: ['ignore', 'inherit', 'pipe'] });
    workerd.stderr.on('data', (d) => { stderr += d; });
    url = `http://127.0.0.1:${port}/`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(url)).status === 405) break;
      } catch {
        if (i > 100 || workerd.exitCode !== null) throw new Error(`workerd did not start:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  after(() => workerd?.kill());

  test('compresses a request body as the JS API does in Node', async () => {
    const idle = await memory(workerd.pid);
    const cold = await post(url, PROMPT);
    assert.equal(cold.status, 200, JSON.stringify(cold.json) + stderr);
    const warm = [];
    for (let i = 0; i < 5; i++) warm.push((await post(url, PROMPT)).ms);
    const used = await memory(workerd.pid);

    const { createCompressor } = await import(join(ROOT, 'js/src/index.js'));
    const node = await createCompressor();
    const expected = (await node.compress(PROMPT, { rate: 0.5 })).compressedPrompt;
    await node.dispose();
    assert.equal(cold.json.compressedPrompt, expected);

    const bad = await post(url, new Uint8Array([0xff, 0xfe]));
    assert.equal(bad.status, 200, 'request.text() replaces invalid bytes, so this compresses');
    warm.sort((a, b) => a - b);
    await report('workerd', {
      coldRequestMs: cold.ms, warmRequestMedianMs: warm[2], warmRequestsMs: warm,
      idle, afterRequests: used, promptChars: PROMPT.length,
    });
    assert.ok(used.peakRssMB < 512, `workerd peak RSS ${used.peakRssMB} MB`);
  });

  test('a non-POST request is answered 405', async () => {
    assert.equal((await fetch(url)).status, 405);
  });
});
