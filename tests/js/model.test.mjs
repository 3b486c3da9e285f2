// Model loading: manifest validation, corrupt files, and onnxruntime-web on the fixture.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCompressor, InvalidModelError, InvalidArgumentError } from '../../js/src/index.js';
import { parseManifest } from '../../js/src/manifest.js';
import { loadModel } from '../../js/src/model.js';
import { createOrtRunner } from '../../js/src/session.js';
import { FIXTURE, needsFixture, needsBoth, rejectsWith } from './helpers.mjs';

const read = (name) => new Uint8Array(readFileSync(join(FIXTURE, name)));

// Deterministic pseudo-random bytes (xorshift32).
function randomBytes(n, seed) {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

describe('manifest validation', () => {
  const good = {
    format: 'mooscomp-model/1', onnx: 'model.onnx',
    tokenizer: { kind: 'sentencepiece', file: 'tokenizer.model' },
    outputs: { logits: 'logits', hidden: 'hidden' }, hidden_size: 64,
  };

  test('a minimal manifest gets the documented defaults', () => {
    const m = parseManifest(JSON.stringify(good));
    assert.equal(m.maxSeqLen, 512);
    assert.equal(m.preserveLabel, 1);
    assert.deepEqual(m.inputs, { inputIds: 'input_ids', attentionMask: 'attention_mask' });
    assert.deepEqual(m.defaults, { outlier: 'none', alpha: 1 });
    assert.equal(m.hiddenSize, 64);
  });

  test('each broken field is an InvalidModelError', () => {
    const broken = [
      'not json', '[]', '{}',
      { ...good, format: 'other/1' },
      { ...good, tokenizer: { kind: 'bpe', file: 'x' } },
      { ...good, tokenizer: { kind: 'wordpiece' } },
      { ...good, tokenizer: { kind: 'wordpiece', file: 'vocab.txt', lowercase: 'yes' } },
      { ...good, onnx: '../../etc/passwd' },
      { ...good, onnx: '/abs/model.onnx' },
      { ...good, onnx: 'https://example.com/m.onnx' },
      { ...good, max_seq_len: 2 },
      { ...good, max_seq_len: 512.5 },
      { ...good, preserve_label: 2 },
      { ...good, hidden_size: 0 },
      { ...good, lexical: { neg_log_freq: [1, 'a'] } },
      // A default outlier the model's statistics do not allow is refused at load, by the core
      // (outlier-stats.test.mjs).
      { ...good, defaults: { outlier: 'lexical-ish' } },
      { ...good, defaults: { alpha: 2 } },
      { ...good, outputs: { logits: '' } },
    ];
    for (const m of broken) {
      assert.throws(() => parseManifest(typeof m === 'string' ? m : JSON.stringify(m)), InvalidModelError, JSON.stringify(m));
    }
  });
});

describe('onnxruntime-web on the fixture model', { skip: needsFixture }, () => {
  test('logits and hidden states match the exported reference', async () => {
    const ref = JSON.parse(readFileSync(join(FIXTURE, 'reference.json'), 'utf8'));
    const { manifest, onnx } = await loadModel(FIXTURE);
    const session = await createOrtRunner(manifest, onnx);
    try {
      const rows = ref.input_ids.length;
      const seqLen = ref.input_ids[0].length;
      const ids = BigInt64Array.from(ref.input_ids.flat(), BigInt);
      const mask = BigInt64Array.from(ref.attention_mask.flat(), BigInt);
      const out = await session.run(ids, mask, rows, seqLen, true);
      const expect = { logits: ref.logits.flat(2), hidden: ref.hidden.flat(2) };
      const masked = ref.attention_mask.flat();
      for (const name of ['logits', 'hidden']) {
        const width = expect[name].length / (rows * seqLen);
        let maxDiff = 0;
        for (let i = 0; i < expect[name].length; i++) {
          if (masked[Math.floor(i / width)] === 0) continue; // padding is not compared
          maxDiff = Math.max(maxDiff, Math.abs(out[name][i] - expect[name][i]));
        }
        assert.ok(maxDiff < 1e-3, `${name} max diff ${maxDiff}`);
      }
      const onlyLogits = await session.run(ids, mask, rows, seqLen, false);
      assert.equal(onlyLogits.hidden, undefined);
    } finally {
      await session.release();
    }
  });

  const manifest = () => readFileSync(join(FIXTURE, 'manifest.json'), 'utf8');

  test('a truncated model file is an InvalidModelError', async () => {
    const onnx = read('model.onnx');
    for (const n of [0, 1, 100, onnx.length >> 1, onnx.length - 1]) {
      await rejectsWith(createCompressor({ model: { manifest: manifest(), onnx: onnx.subarray(0, n), tokenizer: read('tokenizer.model') } }),
        InvalidModelError, 'INVALID_MODEL');
    }
  });

  test('random bytes as the model file are an InvalidModelError', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const onnx = randomBytes(1000 + seed * 997, seed);
      await rejectsWith(createCompressor({ model: { manifest: manifest(), onnx, tokenizer: read('tokenizer.model') } }),
        InvalidModelError, 'INVALID_MODEL');
    }
  });

  test('a model whose outputs do not match the manifest is an InvalidModelError', async () => {
    const m = JSON.parse(manifest());
    m.outputs.logits = 'scores';
    await rejectsWith(createCompressor({ model: { manifest: m, onnx: read('model.onnx'), tokenizer: read('tokenizer.model') } }),
      InvalidModelError, 'INVALID_MODEL');
  });

  test('a missing folder or file is an InvalidModelError', async () => {
    await rejectsWith(createCompressor({ model: join(FIXTURE, 'no-such-folder') }), InvalidModelError, 'INVALID_MODEL');
    const dir = mkdtempSync(join(tmpdir(), 'mooscomp-model-'));
    try {
      writeFileSync(join(dir, 'manifest.json'), manifest());
      await rejectsWith(createCompressor({ model: dir }), InvalidModelError, 'INVALID_MODEL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad createCompressor arguments are InvalidArgumentError', async () => {
    for (const options of [{ model: 42 }, { model: '' }, { model: { manifest: manifest(), onnx: 'x', tokenizer: 'y' } },
      { threads: 0 }, { threads: 1.5 }, { modle: FIXTURE }]) {
      await rejectsWith(createCompressor(options), InvalidArgumentError, 'INVALID_ARGUMENT');
    }
  });
});

describe('corrupt tokenizer', { skip: needsBoth }, () => {
  test('truncated or random tokenizer bytes are an InvalidModelError', async () => {
    const tok = read('tokenizer.model');
    const bad = [tok.subarray(0, 0), tok.subarray(0, 10), tok.subarray(0, tok.length >> 1), randomBytes(5000, 7)];
    for (const tokenizer of bad) {
      await rejectsWith(createCompressor({ model: { manifest: read('manifest.json'), onnx: read('model.onnx'), tokenizer } }),
        InvalidModelError, 'INVALID_MODEL');
    }
  });

  test('a model given as bytes works like the folder', async () => {
    const c = await createCompressor({ model: { manifest: read('manifest.json'), onnx: read('model.onnx').buffer, tokenizer: read('tokenizer.model') } });
    try {
      const r = await c.compress('The answer is 61.');
      assert.ok(r.originTokens > 0);
    } finally {
      await c.dispose();
    }
  });
});
