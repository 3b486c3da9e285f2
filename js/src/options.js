// Validates and normalises compress() options into the core's camelCase CompressOptions.
// Everything is checked here because embind would otherwise coerce or throw untyped errors.
import { InvalidArgumentError } from './errors.js';
import { OUTLIER_KINDS } from './manifest.js';

export const MAX_FORCE_TOKENS = 100;

const ENUMS = {
  scope: ['window', 'global'],
  wordScore: ['mean', 'first'],
  outlier: OUTLIER_KINDS,
};

// One entry per compress() option: its check (returns the value to hand to the core), its
// phase ('prepare': shapes the model's work, fixed by analyze(); 'select': picks words from
// an analysis, any number of times) and its LLMLingua-2 compress_prompt name.
export const OPTIONS = {
  rate: { phase: 'select', snake: 'rate', check: (v, k) => number(v, k, { min: 0, minOpen: true, max: 1 }) },
  targetTokens: { phase: 'select', snake: 'target_token', check: (v, k) => integerOrUnset(v, k) },
  threshold: { phase: 'select', snake: 'threshold', check: (v, k) => (v === -1 ? -1 : number(v, k, { min: 0, max: 1 })) },
  scope: { phase: 'select', snake: 'scope', check: (v, k) => oneOf(v, k) },
  forceTokens: { phase: 'prepare', snake: 'force_tokens', check: (v, k) => strings(v, k, MAX_FORCE_TOKENS) },
  chunkEndTokens: { phase: 'prepare', snake: 'chunk_end_tokens', check: (v, k) => strings(v, k, MAX_FORCE_TOKENS) },
  forceReserveDigit: { phase: 'select', snake: 'force_reserve_digit', check: (v, k) => bool(v, k) },
  dropConsecutive: { phase: 'select', snake: 'drop_consecutive', check: (v, k) => bool(v, k) },
  wordScore: { phase: 'prepare', snake: 'token_to_word', check: (v, k) => oneOf(v, k) },
  outlier: { phase: 'prepare', snake: 'outlier', check: (v, k) => oneOf(v, k) },
  alpha: { phase: 'select', snake: 'alpha', check: (v, k) => number(v, k, { min: 0, max: 1 }) },
  useContextLevelFilter: { phase: 'select', snake: 'use_context_level_filter', check: (v, k) => bool(v, k) },
  useTokenLevelFilter: { phase: 'select', snake: 'use_token_level_filter', check: (v, k) => bool(v, k) },
  targetContext: { phase: 'select', snake: 'target_context', check: (v, k) => integerOrUnset(v, k) },
  contextLevelRate: { phase: 'select', snake: 'context_level_rate', check: (v, k) => number(v, k, { min: 0, minOpen: true, max: 1 }) },
  contextLevelTargetToken: { phase: 'select', snake: 'context_level_target_token', check: (v, k) => integerOrUnset(v, k) },
  forceContextIds: { phase: 'select', snake: 'force_context_ids', check: (v, k) => integers(v, k) },
  maxBatchSize: { phase: 'prepare', snake: 'max_batch_size', check: (v, k) => integer(v, k, { min: 1, max: 1024 }) },
};

export function isPrepareOption(name) {
  return OPTIONS[name].phase === 'prepare';
}

// LLMLingua-2's compress_prompt names (and ours in snake_case) -> camelCase.
const SNAKE = Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [o.snake, name]));
// Options of compress_prompt that shape its output rather than the core's work.
const SNAKE_OUTPUT = { return_word_label: 'boolean', word_sep: 'string', label_sep: 'string' };

// `defaults` come from the model manifest (outlier, alpha); explicit options win. `phase`
// ('prepare' or 'select') accepts only that phase's options (and defaults); without it, all.
export function normaliseOptions(options, defaults = {}, phase = undefined) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError('options must be an object');
  }
  const merged = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (phase === undefined || OPTIONS[key].phase === phase) merged[key] = value;
  }
  for (const [key, value] of Object.entries(options)) if (value !== undefined) merged[key] = value;
  const out = {};
  for (const [key, value] of Object.entries(merged)) {
    const option = Object.hasOwn(OPTIONS, key) ? OPTIONS[key] : undefined;
    if (!option) throw new InvalidArgumentError(`unknown option "${key}"`, { option: key });
    if (phase !== undefined && option.phase !== phase) {
      const where = option.phase === 'prepare' ? 'analyze()' : 'select()';
      throw new InvalidArgumentError(`option "${key}" is a ${option.phase} option: pass it to ${where}`, { option: key });
    }
    out[key] = option.check(value, key);
  }
  return out;
}

// compress_prompt's options: returns {options (camelCase), output: {returnWordLabel, wordSep, labelSep}}.
export function fromSnakeCase(options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError('options must be an object');
  }
  const camel = {};
  const output = { returnWordLabel: false, wordSep: '\t\t|\t\t', labelSep: ' ' };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (Object.hasOwn(SNAKE_OUTPUT, key)) {
      if (typeof value !== SNAKE_OUTPUT[key]) {
        throw new InvalidArgumentError(`option "${key}" must be a ${SNAKE_OUTPUT[key]}`, { option: key });
      }
      output[key.replace(/_(\w)/g, (_, c) => c.toUpperCase())] = value;
    } else if (Object.hasOwn(SNAKE, key)) {
      camel[SNAKE[key]] = value;
    } else {
      throw new InvalidArgumentError(`unknown or unsupported option "${key}"`, { option: key });
    }
  }
  return { options: camel, output };
}

function fail(key, what) {
  throw new InvalidArgumentError(`option "${key}" ${what}`, { option: key });
}

function number(v, key, { min, max, minOpen = false }) {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(key, `must be a finite number, got ${describe(v)}`);
  if (v < min || (minOpen && v === min) || v > max) {
    fail(key, `must be in ${minOpen ? '(' : '['}${min}, ${max}], got ${v}`);
  }
  return v;
}

function integer(v, key, { min, max }) {
  if (!Number.isSafeInteger(v)) fail(key, `must be an integer, got ${describe(v)}`);
  if (v < min || v > max) fail(key, `must be in [${min}, ${max}], got ${v}`);
  return v;
}

// LLMLingua-2 uses -1 for "not set"; anything else must be positive.
function integerOrUnset(v, key) {
  if (v === -1) return -1;
  return integer(v, key, { min: 1, max: 2 ** 31 - 1 });
}

function integers(v, key) {
  if (!Array.isArray(v)) fail(key, 'must be an array of integers');
  return v.map((x) => integer(x, key, { min: 0, max: 2 ** 31 - 1 }));
}

function bool(v, key) {
  if (typeof v !== 'boolean') fail(key, `must be a boolean, got ${describe(v)}`);
  return v;
}

function oneOf(v, key) {
  if (!ENUMS[key].includes(v)) fail(key, `must be one of ${ENUMS[key].join(', ')}, got ${describe(v)}`);
  return v;
}

function strings(v, key, maxCount) {
  if (!Array.isArray(v)) fail(key, 'must be an array of strings');
  if (v.length > maxCount) fail(key, `accepts at most ${maxCount} entries, got ${v.length}`);
  for (const s of v) {
    if (typeof s !== 'string' || s.length === 0) fail(key, 'entries must be non-empty strings');
    if (!s.isWellFormed()) fail(key, 'entries must not contain lone surrogates');
  }
  return v.slice();
}

function describe(v) {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
