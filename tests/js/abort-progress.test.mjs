// compress(input, {signal, onProgress}) (and compress_prompt's): progress after each model batch, AbortError between
// batches (or at once), and a compressor that stays usable after an abort.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCompressor, AbortError, MooscompError, InvalidArgumentError } from '../../js/src/index.js';
import { ROOT, FIXTURE, EXAMPLES, needsBoth, needsCore } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');

const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');

function isAbort(err) {
  assert.ok(err instanceof AbortError && err instanceof MooscompError, String(err));
  assert.equal(err.name, 'AbortError');
  assert.equal(err.code, 'ABORTED');
  return true;
}

describe('progress and cancellation', { skip: needsBoth }, () => {
  let c;
  before(async () => { c = await createCompressor({ model: FIXTURE }); });
  after(async () => { await c?.dispose(); });

  test('onProgress follows every model batch', async () => {
    const seen = [];
    const r = await c.compress(meeting, { rate: 0.4, maxBatchSize: 2, onProgress: (p) => seen.push(p) });
    assert.ok(seen.length >= 2, `${seen.length} reports`);
    assert.equal(seen.length, Math.ceil(r.windows / 2));
    seen.forEach((p, i) => {
      assert.equal(p.stage, 'infer');
      assert.equal(p.windowsTotal, r.windows);
      assert.equal(p.windowsDone, Math.min(2 * (i + 1), r.windows));
    });
  });

  test('an already aborted signal rejects before any work', async () => {
    const calls = c.modelCalls;
    const reason = new Error('user left');
    await assert.rejects(c.compress(meeting, { signal: AbortSignal.abort(reason) }), (e) => isAbort(e) && e.cause === reason);
    await assert.rejects(c.analyze(meeting, { signal: AbortSignal.abort() }), isAbort);
    assert.equal(c.modelCalls, calls);
  });

  test('aborting during inference rejects between batches; the compressor stays usable', async () => {
    const alone = await c.compress(meeting, { rate: 0.4 });
    const controller = new AbortController();
    const calls = c.modelCalls;
    await assert.rejects(c.compress(meeting, {
      rate: 0.4, signal: controller.signal, onProgress: () => controller.abort(),
    }), isAbort);
    assert.equal(c.modelCalls, calls + 1, 'stopped after the first batch');
    const again = await c.compress(meeting, { rate: 0.4 });
    assert.equal(again.compressedPrompt, alone.compressedPrompt);
  });

  test('aborting a queued call: it never runs the model', async () => {
    const controller = new AbortController();
    const first = c.compress(meeting + meeting);
    const calls = c.modelCalls;
    const second = c.compress(meeting, { signal: controller.signal });
    controller.abort();
    await assert.rejects(second, isAbort);
    const r = await first;
    assert.equal(c.modelCalls, calls + r.windows, 'only the first call ran batches');
  });

  test('compress_prompt and structured_compress_prompt take signal and onProgress too', async () => {
    const seen = [];
    const r = await c.compress_prompt(meeting, { rate: 0.4, onProgress: (p) => seen.push(p) });
    assert.ok(r.compressed_prompt.length > 0);
    assert.ok(seen.length >= 2 && seen.every((p) => p.stage === 'infer'), `${seen.length} reports`);
    const calls = c.modelCalls;
    await assert.rejects(c.compress_prompt(meeting, { rate: 0.4, signal: AbortSignal.abort() }), isAbort);
    const controller = new AbortController();
    await assert.rejects(c.structured_compress_prompt(`<llmlingua, rate=0.4>${meeting}</llmlingua>`, {
      signal: controller.signal, onProgress: () => controller.abort(),
    }), isAbort);
    assert.equal(c.modelCalls, calls + 1, 'stopped after the first batch');
    await assert.rejects(c.compress_prompt(meeting, { signal: {} }), { name: 'InvalidArgumentError', option: 'signal' });
  });

  test('bad signal or onProgress values are typed errors; a throwing onProgress fails the call', async () => {
    await assert.rejects(c.compress(meeting, { signal: {} }), { name: 'InvalidArgumentError', option: 'signal' });
    await assert.rejects(c.compress(meeting, { onProgress: 3 }), { name: 'InvalidArgumentError', option: 'onProgress' });
    await assert.rejects(c.compress(meeting, { onProgress: () => { throw new Error('boom'); } }), InvalidArgumentError);
    assert.ok((await c.compress(meeting)).compressedPrompt.length > 0);
  });
});

// A segment list runs one core job per group of segments; progress counts the whole call.
describe('progress over a segment list', { skip: needsDefault }, () => {
  const math = readFileSync(`${EXAMPLES}gsm8k-cot.txt`, 'utf8');
  // Three groups (own rates differ), each more than one window, with protected text between.
  const segments = [
    { text: meeting, rate: 0.5 },
    { text: '\n\nKeep this line as it is.\n\n', compress: false },
    { text: math, rate: 0.3 },
    { text: `\n\n${meeting}` },
  ];
  let c;
  let groupWindows;
  before(async () => {
    c = await createCompressor({ model: DEFAULT_MODEL });
    groupWindows = [];
    for (const s of segments.filter((x) => x.compress !== false)) groupWindows.push((await c.compress(s.text, { rate: 0.5 })).windows);
  });
  after(async () => { await c?.dispose(); });

  // One count: the total known from the first report, the done count strictly rising to it.
  function checkOneCount(seen, total) {
    assert.ok(seen.length >= 3, `${seen.length} reports`);
    let last = 0;
    for (const p of seen) {
      assert.equal(p.stage, 'infer');
      assert.equal(p.windowsTotal, total, JSON.stringify(seen));
      assert.ok(p.windowsDone > last && p.windowsDone <= total, JSON.stringify(seen));
      last = p.windowsDone;
    }
    assert.equal(last, total);
  }

  test('every group needs more than one window', () => {
    assert.equal(groupWindows.length, 3);
    assert.ok(groupWindows.every((n) => n > 1), JSON.stringify(groupWindows));
  });

  test('compress(segments): one monotonic count, the sum over the groups', async () => {
    const total = groupWindows.reduce((a, b) => a + b, 0);
    for (const maxBatchSize of [1, 2]) {
      const seen = [];
      const calls = c.modelCalls;
      const r = await c.compress(segments, { maxBatchSize, onProgress: (p) => seen.push({ ...p }) });
      assert.equal(r.windows, total);
      assert.equal(seen.length, c.modelCalls - calls, 'one report per model batch');
      checkOneCount(seen, total);
    }
  });

  test('analyze(segments) and structured_compress_prompt count the same way', async () => {
    const total = groupWindows.reduce((a, b) => a + b, 0);
    const seen = [];
    const a = await c.analyze(segments, { onProgress: (p) => seen.push({ ...p }) });
    a.dispose();
    checkOneCount(seen, total);
    const marked = `<llmlingua, rate=0.5>${meeting}</llmlingua><llmlingua, compress=False>\n\nKeep.\n\n</llmlingua>`
      + `<llmlingua, rate=0.3>${math}</llmlingua>\n\n${meeting}`;
    const snake = [];
    await c.structured_compress_prompt(marked, { onProgress: (p) => snake.push({ ...p }) });
    checkOneCount(snake, total);
  });

  test('aborting in a later group rejects between batches; the compressor stays usable', async () => {
    const alone = await c.compress(segments);
    const controller = new AbortController();
    const calls = c.modelCalls;
    const stopAt = groupWindows[0] + 1; // the second group's first batch
    await assert.rejects(c.compress(segments, {
      signal: controller.signal, onProgress: (p) => { if (p.windowsDone === stopAt) controller.abort(); },
    }), isAbort);
    assert.equal(c.modelCalls, calls + stopAt);
    assert.equal((await c.compress(segments)).compressedPrompt, alone.compressedPrompt);
  });
});
