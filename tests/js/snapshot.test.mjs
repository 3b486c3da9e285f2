// compress(), analyze() and compress_prompt() read, validate and copy their input and options
// when called, not when their turn in the queue comes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCompressor, InvalidArgumentError } from '../../js/src/index.js';
import { FIXTURE, EXAMPLES, needsBoth } from './helpers.mjs';

const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8');
const math = readFileSync(`${EXAMPLES}gsm8k-cot.txt`, 'utf8');

describe('arguments are snapshotted at call time', { skip: needsBoth }, () => {
  let c;
  let expected;
  before(async () => {
    c = await createCompressor({ model: FIXTURE });
    expected = await c.compress(math, { rate: 0.3, forceTokens: ['\n'] });
  });
  after(async () => { await c?.dispose(); });

  // A call queued behind a long one: its turn comes well after the caller has moved on.
  const behindLongCall = () => c.compress(meeting + meeting, { rate: 0.5 });

  test('bytes changed after the call', async () => {
    const bytes = new TextEncoder().encode(math);
    behindLongCall();
    const pending = c.compress(bytes, { rate: 0.3, forceTokens: ['\n'] });
    bytes.fill(0x41);
    assert.equal((await pending).compressedPrompt, expected.compressedPrompt);
  });

  test('a buffer transferred after the call', async () => {
    const bytes = new TextEncoder().encode(math);
    behindLongCall();
    const pending = c.compress(bytes.buffer, { rate: 0.3, forceTokens: ['\n'] });
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    assert.equal(bytes.byteLength, 0, 'the buffer is detached');
    const r = await pending;
    assert.equal(r.compressedPrompt, expected.compressedPrompt);
    assert.equal(r.originTokens, expected.originTokens);
  });

  test('options and context lists changed after the call', async () => {
    const options = { rate: 0.3, forceTokens: ['\n'] };
    const contexts = [math];
    behindLongCall();
    const pending = c.compress(contexts, options);
    options.rate = 0.9;
    options.forceTokens.push('the');
    options.outlier = 'lexical';
    contexts[0] = 'something else entirely';
    contexts.push('and more');
    const r = await pending;
    assert.equal(r.compressedPrompt, expected.compressedPrompt);
    assert.equal(r.contextKept.length, 1);

    const snake = { rate: 0.3, force_tokens: ['\n'] };
    const viaPrompt = c.compress_prompt(math, snake);
    snake.rate = 0.9;
    snake.force_tokens[0] = 'x';
    assert.equal((await viaPrompt).compressed_prompt, expected.compressedPrompt);

    const prepare = { forceTokens: ['\n'] };
    const analysis = c.analyze(math, prepare);
    prepare.forceTokens[0] = 'x';
    const a = await analysis;
    assert.equal(a.select({ rate: 0.3 }).compressedPrompt, expected.compressedPrompt);
    a.dispose();
  });

  test('bad arguments reject at once, before queued calls finish, without throwing', async () => {
    let longDone = false;
    const long = behindLongCall().then(() => { longDone = true; });
    let bad;
    assert.doesNotThrow(() => { bad = c.compress(math, { rate: 7 }); });
    await assert.rejects(bad, InvalidArgumentError);
    await assert.rejects(c.compress(42), InvalidArgumentError);
    await assert.rejects(c.analyze(math, { rate: 0.5 }), InvalidArgumentError);
    await assert.rejects(c.compress_prompt(math, { nope: 1 }), InvalidArgumentError);
    assert.equal(longDone, false, 'the rejections came before the queued call ended');
    await long;
  });
});
