// device: 'webgpu' in headless Chromium, where WebGPU runs on SwiftShader (on the CPU: correct,
// not fast). For each model, the page compresses the same text on 'wasm' and on 'webgpu', with
// a runner wrapping the default one to keep every batch's logits: WebGPU must have run, the
// kept words be the same and the logits be close to wasm's: within 1e-3 for the fp32 fixture
// and for the fixture with int8 weights in quantize.py's 'weight' mode (made here with
// Python; skipped without it): fp32 arithmetic, the dequantisation folded at session start.
// The int8 default model ('dynamic' mode) runs too, but its activations are quantised at run
// time (DynamicQuantizeLinear): WebGPU's float rounding before a quantisation step can move a
// value across a step, so its logits differ by up to a few hundredths (0.037 measured); it is
// held to 0.1 and the same kept words. The figures go to test-output/e2e/webgpu.json.
// To measure other model folders the same way: MOOSCOMP_WEBGPU_MODELS=DIR[:TOLERANCE],...
// (tolerance default 1e-3), e.g. an export with `models/export.py --quantize weight`.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../consumers/helpers.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkipReason } from '../support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'test-output', 'e2e');
// The onnxruntime-web that js/src resolves, served as is: the page maps the package's two
// bare imports to its bundles, each of which finds its wasm next to itself.
const ORT = '/js/node_modules/onnxruntime-web/dist/';
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const EXTRA = (process.env.MOOSCOMP_WEBGPU_MODELS || '').split(',').filter(Boolean).map((spec) => {
  const [dir, tolerance = '1e-3'] = spec.split(':');
  return { dir, tolerance: Number(tolerance) };
});

const skip = await chromiumSkipReason(ROOT, {
  [join(ORT, 'ort.webgpu.bundle.min.mjs')]: 'onnxruntime-web is not installed under js/',
});
if (skip) console.log(`# webgpu e2e skipped: ${skip}`);

const PAGE = `<!doctype html><meta charset="utf-8"><title>webgpu</title>
<script type="importmap">{"imports": {
  "onnxruntime-web/wasm": "${ORT}ort.wasm.bundle.min.mjs",
  "onnxruntime-web/webgpu": "${ORT}ort.webgpu.bundle.min.mjs"
}}</script>
<script type="module">
  import { createCompressor } from '/js/src/index.js';
  // Compresses text on one device; returns what ran, the kept words and every batch's logits.
  window.compressOn = async (device, model, text, options) => {
    const logits = [];
    const t0 = performance.now();
    const c = await createCompressor({
      model, device,
      runner: async ({ createDefault }) => {
        const inner = await createDefault();
        return {
          device: inner.device,
          run: async (...args) => {
            const out = await inner.run(...args);
            logits.push(Array.from(out.logits));
            return out;
          },
          release: () => inner.release(),
        };
      },
    });
    const cold = performance.now() - t0;
    const r = await c.compress(text, options);
    await c.dispose();
    return { device: c.device, resultDevice: r.device, keep: r.words.map((w) => w.keep), prompt: r.compressedPrompt, logits, cold, infer: r.timings.infer };
  };
</script>`;

describe('WebGPU in Chromium (SwiftShader)', { skip, timeout: 300_000 }, () => {
  let server;
  let context;
  let page;
  let userDataDir;
  let pageDir;
  let weightOnly; // {model} (its URL), or {skip} (why it could not be made)
  const errors = [];
  const figures = {};

  before(async () => {
    pageDir = join(OUT, 'webgpu-page');
    await mkdir(pageDir, { recursive: true });
    await writeFile(join(pageDir, 'index.html'), PAGE);
    weightOnly = await weightOnlyFixture(join(pageDir, 'fixture-int8-weight'));
    for (const [i, m] of EXTRA.entries()) m.url = await servedCopy(m.dir, join(pageDir, `extra-${i}`));
    server = await serve(ROOT);
    const { chromium } = await import('playwright-core');
    userDataDir = await mkdtemp(join(tmpdir(), 'mooscomp-webgpu-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...WEBGPU_ARGS] });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}test-output/e2e/webgpu-page/index.html`);
    await page.waitForFunction(() => typeof window.compressOn === 'function');
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (pageDir) await rm(pageDir, { recursive: true, force: true });
    if (Object.keys(figures).length) await writeFile(join(OUT, 'webgpu.json'), `${JSON.stringify(figures, null, 2)}\n`);
  });

  const MODELS = [
    ['fixture (fp32)', () => '/models/fixture/', 1e-3],
    ['fixture (int8, weight mode)', () => weightOnly.model, 1e-3],
    ['default (int8, dynamic mode)', () => '/models/default/', 0.1],
    ...EXTRA.map((m) => [m.dir, () => m.url, m.tolerance]),
  ];
  for (const [name, modelUrl, tolerance] of MODELS) {
    test(`${name}: WebGPU runs it, logits within ${tolerance} of wasm, same kept words`, async (t) => {
      const model = modelUrl();
      if (!model) {
        assert.equal(weightOnly.error, undefined);
        return t.skip(weightOnly.skip);
      }
      const adapter = await page.evaluate(async () => !!(navigator.gpu && (await navigator.gpu.requestAdapter())));
      if (!adapter) return t.skip('this Chromium gives no WebGPU adapter');
      const text = (await readFile(join(ROOT, 'examples/meeting.txt'), 'utf8')).slice(0, 2500);
      const options = { rate: 0.5 };
      const wasm = await page.evaluate(([m, x, o]) => window.compressOn('wasm', m, x, o), [model, text, options]);
      const gpu = await page.evaluate(([m, x, o]) => window.compressOn('webgpu', m, x, o), [model, text, options]);
      assert.equal(wasm.device, 'wasm');
      assert.equal(gpu.device, 'webgpu', 'WebGPU was available but the compressor fell back');
      assert.equal(gpu.resultDevice, 'webgpu');
      assert.equal(gpu.logits.length, wasm.logits.length);
      let maxDiff = 0;
      for (let b = 0; b < wasm.logits.length; b++) {
        assert.equal(gpu.logits[b].length, wasm.logits[b].length);
        for (let i = 0; i < wasm.logits[b].length; i++) maxDiff = Math.max(maxDiff, Math.abs(gpu.logits[b][i] - wasm.logits[b][i]));
      }
      const sameKeep = gpu.keep.filter((k, i) => k === wasm.keep[i]).length;
      figures[name] = {
        maxLogitDiff: maxDiff, words: wasm.keep.length, sameKeep,
        wasm: { cold: wasm.cold, infer: wasm.infer }, webgpu: { cold: gpu.cold, infer: gpu.infer },
      };
      assert.ok(maxDiff < tolerance, `max logit difference ${maxDiff}`);
      assert.deepEqual(gpu.keep, wasm.keep);
      assert.equal(gpu.prompt, wasm.prompt);
      assert.deepEqual(errors, []);
    });
  }
});

// The URL of a folder under the served root.
const servedUrl = (dir) => `/${relative(ROOT, dir).split(sep).join('/')}/`;

// The files of model folder `dir` (relative to the repository root or absolute) copied to
// `to`, under the served root. -> its URL.
async function servedCopy(dir, to) {
  const from = resolve(ROOT, dir);
  await mkdir(to, { recursive: true });
  for (const f of await readdir(from)) {
    if ((await stat(join(from, f))).isFile()) await copyFile(join(from, f), join(to, f));
  }
  return servedUrl(to);
}

// The fixture with int8 weights in 'weight' mode, written to `dir` by quantize.py's CLI.
// -> {model: its URL under the served root}, {skip: why} when this Python has no onnx, or
// {error} when quantize.py failed (the test fails with it).
async function weightOnlyFixture(dir) {
  const python = (args) => spawnSync(PYTHON, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const probe = python(['-c', 'import numpy, onnx']);
  if (probe.status !== 0) return { skip: `${PYTHON} with numpy and onnx is needed to quantise the fixture (${probe.error?.message ?? 'import failed'})` };
  await mkdir(dir, { recursive: true });
  for (const f of ['manifest.json', 'tokenizer.model']) await copyFile(join(ROOT, 'models/fixture', f), join(dir, f));
  const made = python(['models/mooscomp_models/quantize.py', 'models/fixture/model.onnx', join(dir, 'model.onnx'), '--mode', 'weight']);
  if (made.status !== 0) return { error: `quantize.py failed: ${made.stderr}` };
  return { model: servedUrl(dir) };
}
