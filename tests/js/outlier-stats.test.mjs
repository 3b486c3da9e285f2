// The outlier readings against training statistics: the manifest's hidden_stats and
// lexical.word_mean/word_std, the new `outlier` values, and compress() with them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { createCompressor, InvalidModelError, InvalidArgumentError } from '../../js/src/index.js';
import { parseManifest, OUTLIER_KINDS } from '../../js/src/manifest.js';
import { normaliseOptions, fromSnakeCase } from '../../js/src/options.js';
import { FIXTURE, EXAMPLES, CLI, ROOT, needsBoth, needsCore, checkResult, rejectsWith } from './helpers.mjs';

const H = 4;
const base = {
  format: 'mooscomp-model/1', onnx: 'model.onnx',
  tokenizer: { kind: 'sentencepiece', file: 'tokenizer.model' },
  outputs: { logits: 'logits', hidden: 'hidden' }, hidden_size: H,
  lexical: { neg_log_freq: [1, 2, 3] },
};
const hiddenStats = { mean: [0, 0.5, -1, 2], std: [1, 0, 2, 0.5], score_mean: 0.8, score_std: 0.3 };
const withStats = {
  ...base,
  lexical: { neg_log_freq: [1, 2, 3], word_mean: 6.9, word_std: 3.3 },
  hidden_stats: hiddenStats,
};
const parse = (m) => parseManifest(JSON.stringify(m));

describe('manifest statistics', () => {
  test('are optional, and parsed when present', () => {
    const plain = parse(base);
    assert.equal(plain.hiddenStats, undefined);
    assert.equal(plain.wordRarity, undefined);
    const m = parse(withStats);
    assert.ok(m.hiddenStats.mean instanceof Float32Array);
    assert.deepEqual(Array.from(m.hiddenStats.mean), hiddenStats.mean);
    assert.deepEqual(Array.from(m.hiddenStats.std), hiddenStats.std);
    assert.equal(m.hiddenStats.scoreMean, 0.8);
    assert.equal(m.hiddenStats.scoreStd, 0.3);
    assert.deepEqual(m.wordRarity, { mean: 6.9, std: 3.3 });
  });

  test('defaults.outlier may name the new kinds when the statistics are there', () => {
    for (const outlier of ['hidden-train', 'word-rarity', 'word-rarity-first']) {
      assert.equal(parse({ ...withStats, defaults: { outlier, alpha: 0.8 } }).defaults.outlier, outlier);
    }
  });

  test('bad shapes and missing statistics are InvalidModelErrors', () => {
    const hs = (patch) => ({ ...withStats, hidden_stats: { ...hiddenStats, ...patch } });
    const lex = (patch) => ({ ...withStats, lexical: { ...withStats.lexical, ...patch } });
    const broken = [
      { ...withStats, hidden_stats: [1, 2] },
      { ...withStats, hidden_stats: 'x' },
      hs({ mean: [0, 0, 0] }),                // not hidden_size values
      hs({ std: [1, 1, 1, 1, 1] }),
      hs({ mean: [0, 0, 'a', 0] }),
      hs({ mean: [0, 0, null, 0] }),
      hs({ std: [1, -1, 1, 1] }),             // negative std
      hs({ mean: undefined }),
      hs({ score_mean: undefined }),
      hs({ score_mean: 'x' }),
      hs({ score_std: 0 }),
      hs({ score_std: -0.1 }),
      { ...withStats, outputs: { logits: 'logits' } },        // hidden_stats without a hidden output
      lex({ word_std: 0 }),
      lex({ word_std: -1 }),
      lex({ word_mean: undefined }),                          // one without the other
      lex({ word_std: undefined }),
      lex({ word_mean: 'x' }),
      { ...base, lexical: { word_mean: 1, word_std: 1 } },    // without the table
      { ...withStats, defaults: { outlier: 'hidden_train' } },
    ];
    for (const m of broken) assert.throws(() => parse(m), InvalidModelError, JSON.stringify(m));
  });
});

describe('outlier option values', () => {
  test('the new kinds are accepted, in both spellings of the options', () => {
    assert.deepEqual(OUTLIER_KINDS, ['none', 'hidden', 'lexical', 'hidden-train', 'word-rarity', 'word-rarity-first']);
    for (const outlier of OUTLIER_KINDS) {
      assert.equal(normaliseOptions({ outlier }).outlier, outlier);
      assert.equal(fromSnakeCase({ outlier }).options.outlier, outlier);
    }
    for (const outlier of ['hidden_train', 'wordRarity', 'train', '']) {
      assert.throws(() => normaliseOptions({ outlier }), InvalidArgumentError, outlier);
    }
  });
});

describe('compress() with training statistics', { skip: needsBoth }, () => {
  const meeting = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8');
  const fixtureManifest = JSON.parse(readFileSync(join(FIXTURE, 'manifest.json'), 'utf8'));
  const files = () => ({
    onnx: new Uint8Array(readFileSync(join(FIXTURE, 'model.onnx'))),
    tokenizer: new Uint8Array(readFileSync(join(FIXTURE, 'tokenizer.model'))),
  });
  let plain;
  let stats;
  before(async () => {
    const h = fixtureManifest.hidden_size;
    const manifest = {
      ...fixtureManifest,
      lexical: { ...fixtureManifest.lexical, word_mean: 7, word_std: 3 },
      hidden_stats: { mean: new Array(h).fill(0), std: new Array(h).fill(1), score_mean: 0.8, score_std: 0.1 },
    };
    plain = await createCompressor({ model: { manifest: fixtureManifest, ...files() } });
    stats = await createCompressor({ model: { manifest, ...files() } });
  });
  after(async () => {
    await plain?.dispose();
    await stats?.dispose();
  });

  test('a default reading the statistics do not allow is refused at load, by the core', async () => {
    for (const outlier of ['hidden-train', 'word-rarity', 'word-rarity-first']) {
      await assert.rejects(createCompressor({ model: { manifest: { ...fixtureManifest, defaults: { outlier } }, ...files() } }),
        InvalidModelError, outlier);
    }
  });

  test('each new kind compresses and keeps the invariants', async () => {
    for (const outlier of ['hidden-train', 'word-rarity', 'word-rarity-first']) {
      const r = await stats.compress(meeting, { rate: 0.33, outlier, alpha: 0.5 });
      checkResult(r, [meeting]);
      assert.ok(r.rate > 0.2 && r.rate < 0.46, `${outlier}: rate ${r.rate}`);
    }
  });

  test('word rarity: one score per word, a long number above a common word, repeats discounted', async () => {
    const text = 'the report said 73059184 and the report said 73059184 again';
    const r = await stats.compress(text, { rate: 1, outlier: 'word-rarity', alpha: 0 });
    const score = (words, t) => words.filter((w) => w.text === t).map((w) => w.score);
    const [num1, num2] = score(r.words, '73059184');
    assert.equal(num1, num2);                    // no window statistics
    assert.ok(num1 > 0.5 && num1 > score(r.words, 'the')[0], `number ${num1}`);
    const first = await stats.compress(text, { rate: 1, outlier: 'word-rarity-first', alpha: 0 });
    const [f1, f2] = score(first.words, '73059184');
    assert.equal(f1, num1);
    assert.ok(f2 <= 0.5 + 1e-6, `repeat ${f2}`);
  });

  test('hidden-train scores are not min-max normalised per window', async () => {
    const r = await stats.compress(meeting, { rate: 1, outlier: 'hidden-train', alpha: 0 });
    const scores = r.words.filter((w) => !w.forced).map((w) => w.score);
    assert.ok(scores.every((s) => s > 0 && s < 1));
    const window = await stats.compress(meeting, { rate: 1, outlier: 'hidden', alpha: 0 });
    assert.ok(window.words.some((w) => w.score === 0));
  });

  test('a kind whose statistics the model lacks is an InvalidArgumentError (alpha < 1 only)', async () => {
    for (const outlier of ['hidden-train', 'word-rarity', 'word-rarity-first']) {
      await rejectsWith(plain.compress('some text', { outlier, alpha: 0.5 }), InvalidArgumentError, 'INVALID_ARGUMENT');
      checkResult(await plain.compress('some text', { outlier, alpha: 1 }), ['some text']);
    }
  });
});

function cli(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

describe('the CLI with the new kinds', { skip: needsBoth }, () => {
  const meetingPath = join(EXAMPLES, 'meeting.txt');

  test('names them in --help, and a model without statistics is a runtime error (exit 1)', async () => {
    assert.match((await cli(['--help'])).stdout, /hidden-train \| word-rarity/);
    for (const outlier of ['hidden-train', 'word-rarity', 'word-rarity-first']) {
      const r = await cli(['compress', '--outlier', outlier, '--alpha', '0.8', '--model', FIXTURE, meetingPath]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /INVALID_ARGUMENT.*statistics/);
    }
  });

  const defaultManifest = JSON.parse(readFileSync(join(ROOT, 'models', 'default', 'manifest.json'), 'utf8'));
  const noStats = needsCore || (defaultManifest.hidden_stats && defaultManifest.lexical?.word_std
    ? false : 'models/default has no statistics (models/add_stats.py)');
  test('compresses with the default model', { skip: noStats }, async () => {
    for (const outlier of ['hidden-train', 'word-rarity']) {
      const r = await cli(['compress', '--outlier', outlier, '--alpha', '0.8', '--rate', '0.33', meetingPath]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.length > 200 && r.stdout.length < readFileSync(meetingPath, 'utf8').length);
    }
  });
});
