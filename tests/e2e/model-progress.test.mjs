// onProgress in a real browser, over fetch and the Cache API: the first load reports network
// bytes (cached: false) and stores the model files; the second reads onnx and tokenizer from
// the cache (cached: true) while the manifest is always fetched afresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web-demo/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumSkipReason } from '../support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture');

const skip = await chromiumSkipReason(ROOT, { 'models/fixture/manifest.json': 'models/fixture is missing' });

let server;
let context;
let userDataDir;
before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  server = await startServer({ port: 0 });
  userDataDir = await mkdtemp(join(tmpdir(), 'mooscomp-progress-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
after(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

test('model-load progress over fetch, then from the Cache API', { skip, timeout: 120_000 }, async () => {
  const page = await context.newPage();
  // A blank page of the server's origin (the Cache API needs a secure context: 127.0.0.1 is one).
  await page.goto(`${server.url}examples/meeting.txt`);
  const load = () => page.evaluate(async () => {
    const { createCompressor } = await import('/js/src/index.js');
    const events = [];
    const c = await createCompressor({ model: '/models/fixture/', cache: 'mooscomp-progress-test', onProgress: (e) => events.push(e) });
    const r = await c.compress('The answer is 61.');
    await c.dispose();
    return { events, originTokens: r.originTokens };
  });
  const size = (f) => statSync(join(FIXTURE, f)).size;
  const files = { 'manifest.json': size('manifest.json'), 'model.onnx': size('model.onnx'), 'tokenizer.model': size('tokenizer.model') };

  const check = (events, cachedFiles) => {
    for (const [file, bytes] of Object.entries(files)) {
      const list = events.filter((e) => e.file === file);
      assert.ok(list.length >= 2, `${file}: a start and an end event`);
      for (const e of list) {
        assert.equal(e.stage, 'model');
        assert.equal(e.totalBytes, bytes, file);
        assert.equal(e.cached, cachedFiles.includes(file), `${file} cached`);
      }
      assert.equal(list[0].loadedBytes, 0);
      assert.equal(list[list.length - 1].loadedBytes, bytes);
    }
  };
  const first = await load();
  assert.ok(first.originTokens > 0);
  check(first.events, []);
  const second = await load();
  check(second.events, ['model.onnx', 'tokenizer.model']);
  await page.close();
});
