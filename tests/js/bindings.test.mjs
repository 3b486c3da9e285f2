// The wasm core's embind surface (wasm/API.md) called directly: createCompressor's spec value
// objects (undefined keeps the core's default; a malformed value is a typed status, never a
// throw or a silent conversion) and the integer and enum fields of the compress options.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadCore, createCoreCompressor } from '../../js/src/core.js';
import { parseManifest } from '../../js/src/manifest.js';
import { forCore } from '../../js/src/options.js';
import { needsCore } from './helpers.mjs';

// tests/core/data's WordPiece vocabulary: it has "cafe", "café" and "Café".
const VOCAB = new Uint8Array(readFileSync(new URL('../core/data/wordpiece_vocab.txt', import.meta.url)));
const VOCAB_SIZE = new TextDecoder().decode(VOCAB).trimEnd().split('\n').length;

const tokenizerSpec = (kind, wordpiece = {}, sentencepiece = {}) => ({
  kind,
  wordpiece: { lowercase: undefined, stripAccents: undefined, tokenizeChineseChars: undefined, ...wordpiece },
  sentencepiece: { fairseqOffset: undefined, ...sentencepiece },
});
const modelSpec = (fields = {}) => ({
  maxSeqLen: undefined, preserveLabel: undefined, hiddenSize: undefined,
  negLogFreq: undefined, hiddenMean: undefined, hiddenStd: undefined,
  hiddenScoreMean: undefined, hiddenScoreStd: undefined, wordRarityMean: undefined, wordRarityStd: undefined,
  ...fields,
});

describe('the core binding', { skip: needsCore }, () => {
  let core;
  before(async () => { core = await loadCore(); });

  function create(tokenizer = tokenizerSpec('wordpiece'), model = modelSpec()) {
    return core.createCompressor(VOCAB, tokenizer, model);
  }

  // Every batch's model inputs for `text`: [{ids (CLS/SEP/padding included), seqLen}].
  function batches(native, text, prepare = {}) {
    const bytes = new TextEncoder().encode(text);
    const reply = native.analyze(bytes, Uint32Array.of(bytes.length), forCore('prepare', prepare));
    assert.ok(reply.ok, reply.message);
    const out = [];
    for (let i = 0; i < reply.job.batchCount(); i++) {
      out.push({ ids: Array.from(reply.job.inputIds(i), Number), seqLen: reply.job.batchSeqLen(i) });
    }
    reply.job.delete();
    return out;
  }

  // The token ids of a short text (one window, without CLS, SEP and padding).
  function idsWith(wordpiece, text) {
    const reply = create(tokenizerSpec('wordpiece', wordpiece));
    assert.ok(reply.ok, reply.message);
    try {
      const bytes = new TextEncoder().encode(text);
      const job = reply.compressor.analyze(bytes, Uint32Array.of(bytes.length), forCore('prepare', {})).job;
      const row = Array.from(job.inputIds(0), Number);
      const mask = Array.from(job.attentionMask(0), Number);
      job.delete();
      return row.slice(1, mask.indexOf(0) === -1 ? row.length - 1 : mask.indexOf(0) - 1);
    } finally {
      reply.compressor.delete();
    }
  }

  test('undefined keeps the core default: lowercase on, accents stripped with it', () => {
    const cafe = idsWith({}, 'cafe');
    assert.equal(cafe.length, 1);
    assert.deepEqual(idsWith({}, 'Café'), cafe);
    assert.deepEqual(idsWith({ lowercase: true, stripAccents: undefined }, 'Café'), cafe);
  });

  test('stripAccents follows lowercase unless given', () => {
    const cafe = idsWith({}, 'cafe');
    const cased = idsWith({ lowercase: false }, 'Café');
    assert.equal(cased.length, 1);
    assert.notDeepEqual(cased, cafe, 'lowercase off: the accent stays');
    const accented = idsWith({ lowercase: true, stripAccents: false }, 'Café');
    assert.equal(accented.length, 1);
    assert.notDeepEqual(accented, cafe, 'lowercased, accent kept: "café"');
    assert.notDeepEqual(accented, cased);
  });

  test('undefined maxSeqLen is the core default (512), a given one is used', () => {
    const text = 'word '.repeat(3000);
    const shapes = (model) => {
      const reply = create(tokenizerSpec('wordpiece'), model);
      assert.ok(reply.ok, reply.message);
      try {
        return batches(reply.compressor, text).map((b) => b.seqLen);
      } finally {
        reply.compressor.delete();
      }
    };
    const byDefault = shapes(modelSpec());
    assert.deepEqual(byDefault, shapes(modelSpec({ maxSeqLen: 512 })));
    assert.equal(Math.max(...byDefault), 512);
    assert.equal(Math.max(...shapes(modelSpec({ maxSeqLen: 64 }))), 64);
  });

  test('a complete valid model spec loads', () => {
    const hidden = 4;
    const reply = create(tokenizerSpec('wordpiece'), modelSpec({
      maxSeqLen: 128, preserveLabel: 0, hiddenSize: hidden,
      negLogFreq: new Float32Array(VOCAB_SIZE).fill(3),
      hiddenMean: new Float32Array(hidden), hiddenStd: new Float32Array(hidden).fill(1),
      hiddenScoreMean: 0.5, hiddenScoreStd: 0.25, wordRarityMean: 6, wordRarityStd: 2,
    }));
    assert.ok(reply.ok, reply.message);
    reply.compressor.delete();
  });

  test('a malformed spec value is an INVALID_MODEL status, not a throw or a conversion', () => {
    const bad = [
      [{ kind: 'bpe' }, {}],
      [{ kind: undefined }, {}],
      [{ kind: 1 }, {}],
      [{}, { maxSeqLen: 2 }],
      [{}, { maxSeqLen: 512.5 }],
      [{}, { maxSeqLen: '512' }],
      [{}, { maxSeqLen: 2 ** 31 }],
      [{}, { maxSeqLen: NaN }],
      [{}, { preserveLabel: 0.5 }],
      [{}, { preserveLabel: 2 }],
      [{}, { hiddenSize: -1 }],
      [{}, { hiddenSize: 1.5 }],
      [{}, { hiddenScoreMean: NaN }],
      [{}, { hiddenScoreStd: Infinity }],
      [{}, { hiddenScoreMean: '0' }],
      [{}, { wordRarityMean: null }],
      [{}, { wordRarityStd: -1 }],
      [{}, { negLogFreq: Array(VOCAB_SIZE).fill(1) }],
      [{}, { negLogFreq: new Float32Array(VOCAB_SIZE).fill(NaN) }],
      [{}, { negLogFreq: new Float32Array(VOCAB_SIZE - 1) }],
      [{}, { hiddenSize: 2, hiddenMean: new Float64Array(2), hiddenStd: new Float32Array(2), hiddenScoreStd: 1 }],
    ];
    for (const [tokenizer, model] of bad) {
      const what = JSON.stringify({ tokenizer, model }, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
      const reply = create({ ...tokenizerSpec('wordpiece'), ...tokenizer }, modelSpec(model));
      assert.equal(reply.ok, false, what);
      assert.equal(reply.code, 'INVALID_MODEL', `${what}: ${reply.message}`);
    }
  });

  test('the spec is complete or embind throws before the call (wasm/API.md)', () => {
    const { maxSeqLen, ...missing } = modelSpec();
    assert.throws(() => create(tokenizerSpec('wordpiece'), missing), TypeError);
    assert.throws(() => create({ kind: 'wordpiece', sentencepiece: { fairseqOffset: undefined } }), TypeError);
  });

  describe('compress options', () => {
    let native;
    before(() => { native = create().compressor; });
    const bytes = new TextEncoder().encode('one. two. three.');
    const lengths = Uint32Array.of(4, 5, bytes.length - 9);
    const analyze = (prepare) => native.analyze(bytes, lengths, { ...forCore('prepare', {}), ...prepare });
    const prepare = (select) => native.prepare(bytes, lengths, forCore('prepare', {}), { ...forCore('select', {}), ...select });

    test('a fractional integer is INVALID_ARGUMENT, not truncated', () => {
      for (const reply of [
        analyze({ maxBatchSize: 1.5 }),
        prepare({ targetTokens: 10.5 }),
        prepare({ targetContext: 1.25 }),
        prepare({ forceContextIds: [0.5] }),
      ]) {
        assert.equal(reply.ok, false);
        assert.equal(reply.code, 'INVALID_ARGUMENT', reply.message);
      }
      const whole = analyze({ maxBatchSize: 2 });
      assert.ok(whole.ok, whole.message);
      whole.job.delete();
    });

    test('an enum of the wrong type is INVALID_ARGUMENT, not a throw', () => {
      for (const reply of [analyze({ wordScore: 1 }), analyze({ outlier: undefined }), prepare({ scope: null })]) {
        assert.equal(reply.ok, false);
        assert.equal(reply.code, 'INVALID_ARGUMENT', reply.message);
      }
    });
  });
});

describe('createCoreCompressor (the JS call site)', { skip: needsCore }, () => {
  let core;
  before(async () => { core = await loadCore(); });
  const manifest = (tokenizer, rest = {}) =>
    parseManifest({ format: 'mooscomp-model/1', onnx: 'model.onnx', tokenizer: { file: 'vocab.txt', ...tokenizer }, ...rest });

  test('a manifest without the tokenizer flags gets the core defaults', () => {
    const plain = createCoreCompressor(core, VOCAB, manifest({ kind: 'wordpiece' }));
    const cased = createCoreCompressor(core, VOCAB, manifest({ kind: 'wordpiece', lowercase: false }));
    const firstId = (native, text) => {
      const b = new TextEncoder().encode(text);
      const job = native.analyze(b, Uint32Array.of(b.length), forCore('prepare', {})).job;
      const id = Number(job.inputIds(0)[1]);
      job.delete();
      return id;
    };
    try {
      assert.equal(firstId(plain, 'Café'), firstId(plain, 'cafe'));
      assert.notEqual(firstId(cased, 'Café'), firstId(cased, 'cafe'));
    } finally {
      plain.delete();
      cased.delete();
    }
  });

  test('a spec the core refuses is an InvalidModelError', () => {
    const good = manifest({ kind: 'wordpiece' });
    for (const broken of [
      { ...good, tokenizer: { ...good.tokenizer, kind: 'bpe' } },
      { ...good, maxSeqLen: 100.5 },
      { ...good, wordRarity: { mean: NaN, std: 1 } },
    ]) {
      assert.throws(() => createCoreCompressor(core, VOCAB, broken), { name: 'InvalidModelError', code: 'INVALID_MODEL' });
    }
    assert.throws(() => createCoreCompressor(core, new TextEncoder().encode('no specials\n'), good), { name: 'InvalidModelError' });
  });
});
