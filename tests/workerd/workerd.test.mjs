// The example edge worker (examples/edge-worker) in the real workerd runtime, on the packed
// package: there import.meta.url is undefined and compiling wasm from bytes is forbidden,
// so this passes only if the package's workerd entry hands both wasm files over compiled.
// Records the upload size (what `wrangler deploy` counts against the plan's limit, with the
// real default model), the cold (first request) and warm request times, and workerd's
// memory before and after requests, small and large.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { missing, pack, copyExample, run, report, ROOT, ROOT_BIN, PROMPT } from '../consumers/helpers.mjs';
import { EXAMPLES } from '../js/helpers.mjs';
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

async function post(url, body, headers = {}) {
  const t0 = performance.now();
  const res = await fetch(`${url}?rate=0.5`, { method: 'POST', body, headers });
  const json = await res.json();
  return { status: res.status, json, ms: performance.now() - t0 };
}

// Cloudflare's documented limit on a Worker's size after compression (Workers Paid; the
// Free plan allows 3 MB, which onnxruntime-web's wasm alone exceeds).
const PAID_PLAN_GZIP_BYTES = 10 * 2 ** 20;

// Sums the modules' sizes, raw and gzipped one by one, as wrangler's "Total Upload" does.
async function uploadSize(out, modules) {
  let raw = 0;
  let gzip = 0;
  for (const name of ['worker.js', ...modules.map((m) => m.name)]) {
    const bytes = await readFile(join(out, name));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { raw, gzip };
}

describe('edge worker in workerd', { skip, timeout: 180_000 }, () => {
  let workerd;
  let url;
  let stderr = '';
  let upload;

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
    upload = await uploadSize(out, modules);
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
    // A longer request: the example meeting notes, four times over.
    const long = (await readFile(join(EXAMPLES, 'meeting.txt'), 'utf8')).repeat(4);
    const longReply = await post(url, long);
    assert.equal(longReply.status, 200, JSON.stringify(longReply.json));
    const afterLong = await memory(workerd.pid);
    warm.sort((a, b) => a - b);
    await report('workerd', {
      uploadKiB: upload.raw / 1024, uploadGzipKiB: upload.gzip / 1024,
      coldRequestMs: cold.ms, warmRequestMedianMs: warm[2], warmRequestsMs: warm,
      idle, afterRequests: used, promptChars: PROMPT.length,
      longRequest: { chars: long.length, originTokens: longReply.json.originTokens, ms: longReply.ms, ...afterLong },
    });
    assert.ok(used.peakRssMB < 512, `workerd peak RSS ${used.peakRssMB} MB`);
  });

  test('a JSON request with a question gets it back last, and the instruction first', async () => {
    const question = 'What should I bring to the meeting?';
    const instruction = 'Answer in one sentence.';
    const asJson = (body) => post(url, JSON.stringify(body), { 'content-type': 'application/json' });
    const reply = await asJson({ prompt: PROMPT, question, instruction });
    assert.equal(reply.status, 200, JSON.stringify(reply.json) + stderr);
    const { compressedPrompt } = reply.json;
    assert.ok(compressedPrompt.endsWith(`\n\n${question}`), compressedPrompt);
    assert.ok(compressedPrompt.startsWith(`${instruction}\n\n`), compressedPrompt);

    const { createCompressor } = await import(join(ROOT, 'js/src/index.js'));
    const node = await createCompressor();
    try {
      const expected = await node.compress(PROMPT, { rate: 0.5, question, instruction });
      assert.equal(compressedPrompt, expected.compressedPrompt);
      assert.equal(reply.json.compressedTokens, expected.compressedTokens);
    } finally {
      await node.dispose();
    }

    // Without a question a JSON prompt compresses as the same text sent as the body.
    const plain = await asJson({ prompt: PROMPT });
    assert.equal(plain.json.compressedPrompt, (await post(url, PROMPT)).json.compressedPrompt);
    // Malformed requests are the client's error.
    for (const [body, message] of [['{"prompt": ', /not valid JSON/], ['["a"]', /must be an object/], ['{}', /no "prompt"/], [JSON.stringify({ prompt: PROMPT, question: 5 }), /question/]]) {
      const bad = await post(url, body, { 'content-type': 'application/json' });
      assert.equal(bad.status, 400, body);
      assert.equal(bad.json.error, 'INVALID_ARGUMENT', body);
      assert.match(bad.json.message, message);
    }
  });

  test("the upload fits the Workers Paid plan's size limit", () => {
    assert.ok(upload.gzip < PAID_PLAN_GZIP_BYTES, `${(upload.gzip / 2 ** 20).toFixed(2)} MiB gzipped`);
  });

  test('a non-POST request is answered 405', async () => {
    assert.equal((await fetch(url)).status, 405);
  });
});
