// Validates a model folder's manifest.json (models/MANIFEST.md) and returns a normalised copy.
// It checks the manifest's shape; what the model can serve (which outlier readings its
// statistics allow) is the core's to say (Compressor::supported_outliers, checked at load).
import { InvalidModelError } from './errors.js';
import { OUTLIER_KINDS } from './option-table.js';

export const MANIFEST_FORMAT = 'mooscomp-model/1';

export { OUTLIER_KINDS };

export function parseManifest(raw) {
  let m = raw;
  if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) raw = new TextDecoder().decode(raw);
  if (typeof raw === 'string') {
    try {
      m = JSON.parse(raw);
    } catch (err) {
      throw new InvalidModelError(`manifest.json is not valid JSON: ${err.message}`);
    }
  }
  if (!isObject(m)) bad('manifest must be a JSON object');
  if (m.format !== MANIFEST_FORMAT) bad(`"format" must be "${MANIFEST_FORMAT}", got ${JSON.stringify(m.format)}`);

  const tok = m.tokenizer;
  if (!isObject(tok)) bad('"tokenizer" must be an object');
  if (tok.kind !== 'wordpiece' && tok.kind !== 'sentencepiece') {
    bad(`"tokenizer.kind" must be "wordpiece" or "sentencepiece", got ${JSON.stringify(tok.kind)}`);
  }

  const hasHidden = m.outputs !== undefined && isObject(m.outputs) && m.outputs.hidden !== undefined;
  const hiddenSize = m.hidden_size === undefined ? 0 : m.hidden_size;
  if (!Number.isSafeInteger(hiddenSize) || hiddenSize < 0 || hiddenSize > 65536) bad('"hidden_size" must be an integer in [0, 65536]');
  if (hasHidden && hiddenSize === 0) bad('"hidden_size" is required when outputs.hidden is set');

  const maxSeqLen = m.max_seq_len === undefined ? 512 : m.max_seq_len;
  if (!Number.isSafeInteger(maxSeqLen) || maxSeqLen < 3 || maxSeqLen > 8192) bad('"max_seq_len" must be an integer in [3, 8192]');
  const preserveLabel = m.preserve_label === undefined ? 1 : m.preserve_label;
  if (preserveLabel !== 0 && preserveLabel !== 1) bad('"preserve_label" must be 0 or 1');

  const inputs = optObject(m.inputs, 'inputs');
  const outputs = optObject(m.outputs, 'outputs');
  const lexical = optObject(m.lexical, 'lexical');
  let negLogFreq;
  if (lexical.neg_log_freq !== undefined) {
    const arr = lexical.neg_log_freq;
    if (!Array.isArray(arr) || arr.length === 0 || !arr.every(Number.isFinite)) {
      bad('"lexical.neg_log_freq" must be a non-empty array of finite numbers');
    }
    negLogFreq = Float32Array.from(arr);
  }
  // Word rarity statistics over training text (word-rarity): both or neither, with the table.
  let wordRarity;
  if (lexical.word_mean !== undefined || lexical.word_std !== undefined) {
    if (!negLogFreq) bad('"lexical.word_mean" and "lexical.word_std" need "lexical.neg_log_freq"');
    if (!Number.isFinite(lexical.word_mean)) bad('"lexical.word_mean" must be a finite number');
    if (!Number.isFinite(lexical.word_std) || !(lexical.word_std > 0)) bad('"lexical.word_std" must be a positive number');
    wordRarity = { mean: lexical.word_mean, std: lexical.word_std };
  }
  // Hidden statistics over training text (hidden-train).
  let hiddenStats;
  if (m.hidden_stats !== undefined) {
    const hs = optObject(m.hidden_stats, 'hidden_stats');
    if (!hasHidden) bad('"hidden_stats" needs a hidden output (outputs.hidden and hidden_size)');
    const vector = (v, key, min) => {
      if (!Array.isArray(v) || v.length !== hiddenSize || !v.every((x) => Number.isFinite(x) && x >= min)) {
        bad(`"hidden_stats.${key}" must be an array of ${hiddenSize} (hidden_size) finite numbers${min === 0 ? ' >= 0' : ''}`);
      }
      return Float32Array.from(v);
    };
    const mean = vector(hs.mean, 'mean', -Infinity);
    const std = vector(hs.std, 'std', 0);
    if (!Number.isFinite(hs.score_mean)) bad('"hidden_stats.score_mean" must be a finite number');
    if (!Number.isFinite(hs.score_std) || !(hs.score_std > 0)) bad('"hidden_stats.score_std" must be a positive number');
    hiddenStats = { mean, std, scoreMean: hs.score_mean, scoreStd: hs.score_std };
  }
  const defaults = optObject(m.defaults, 'defaults');
  const outlier = defaults.outlier === undefined ? 'none' : defaults.outlier;
  if (!OUTLIER_KINDS.includes(outlier)) bad(`"defaults.outlier" must be one of ${OUTLIER_KINDS.join(', ')}`);
  const alpha = defaults.alpha === undefined ? 1 : defaults.alpha;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) bad('"defaults.alpha" must be a number in [0, 1]');

  return {
    name: m.name === undefined ? 'unnamed' : str(m.name, 'name'),
    onnx: fileName(m.onnx, 'onnx'),
    tokenizer: {
      kind: tok.kind,
      file: fileName(tok.file, 'tokenizer.file'),
      // Absent: undefined, and the core's default applies (TokenizerSpec in tokenizer.h).
      lowercase: optBool(tok.lowercase, 'tokenizer.lowercase', undefined),
      stripAccents: optBool(tok.strip_accents, 'tokenizer.strip_accents', undefined),
      fairseqOffset: optBool(tok.fairseq_offset, 'tokenizer.fairseq_offset', undefined),
    },
    maxSeqLen,
    preserveLabel,
    inputs: {
      inputIds: inputs.input_ids === undefined ? 'input_ids' : str(inputs.input_ids, 'inputs.input_ids'),
      attentionMask: inputs.attention_mask === undefined ? 'attention_mask' : str(inputs.attention_mask, 'inputs.attention_mask'),
    },
    outputs: {
      logits: outputs.logits === undefined ? 'logits' : str(outputs.logits, 'outputs.logits'),
      hidden: hasHidden ? str(outputs.hidden, 'outputs.hidden') : undefined,
    },
    hiddenSize: hasHidden ? hiddenSize : 0,
    negLogFreq,
    hiddenStats,
    wordRarity,
    defaults: { outlier, alpha },
  };
}

function bad(message) {
  throw new InvalidModelError(`manifest.json: ${message}`);
}

function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optObject(v, key) {
  if (v === undefined) return {};
  if (!isObject(v)) bad(`"${key}" must be an object`);
  return v;
}

function optBool(v, key, fallback) {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') bad(`"${key}" must be a boolean`);
  return v;
}

function str(v, key) {
  if (typeof v !== 'string' || v.length === 0) bad(`"${key}" must be a non-empty string`);
  return v;
}

// A file inside the model folder: a relative path of plain segments. Refused: absolute paths
// and URLs, backslashes, empty, `.` and `..` segments, and the characters a URL parser would
// decode or drop (`%`, `?`, `#`, control characters), so the name read is the name written.
// (The loader checks the resolved location again: environment.js.)
function fileName(v, key) {
  str(v, key);
  const plain = !v.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(v) && !/[\\%?#\u0000-\u001f\u007f]/.test(v) &&
    !v.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (!plain) bad(`"${key}" must be a relative path inside the model folder, got ${JSON.stringify(v)}`);
  return v;
}
