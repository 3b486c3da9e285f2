// Validates compress() options against the option table and completes them for the core.
// Everything is checked here because the core's bindings take complete, typed objects.
import { InvalidArgumentError, AbortError } from './errors.js';
import { OPTION_TABLE } from './option-table.js';

// name -> table entry; a Map, so that keys such as "constructor" are not found on a prototype.
const OPTIONS = new Map(OPTION_TABLE.map((o) => [o.name, o]));
export const MAX_FORCE_TOKENS = OPTIONS.get('forceTokens').maxCount;

const CHECK_BY_TYPE = {
  number: (v, o) => (o.unset !== undefined && v === o.unset ? v : number(v, o.name, o)),
  integer: (v, o) => (o.unset !== undefined && v === o.unset ? v : integer(v, o.name, o)),
  boolean: (v, o) => bool(v, o.name),
  enum: (v, o) => oneOf(v, o.name, o.values),
  string: (v, o) => text(v, o.name, o.maxLength),
  strings: (v, o) => strings(v, o.name, o.maxCount),
  integers: (v, o) => integers(v, o.name, o),
};

// Normalised options (normaliseOptions) split by phase: {prepare, select}.
export function splitPhases(options) {
  const out = { prepare: {}, select: {} };
  for (const [key, value] of Object.entries(options)) out[OPTIONS.get(key).phase][key] = value;
  return out;
}

// Every core option of `phase` with its table default, then `options` (already normalised)
// over it: what the core's bindings take (jsOnly options stay on this side).
export function forCore(phase, options) {
  const out = {};
  for (const o of OPTION_TABLE) if (o.phase === phase && !o.jsOnly) out[o.name] = Object.hasOwn(options, o.name) ? options[o.name] : o.default;
  return out;
}

// LLMLingua-2's compress_prompt names (and ours in snake_case) -> camelCase.
const SNAKE = new Map(OPTION_TABLE.map((o) => [o.snake, o.name]));
// Options of compress_prompt that shape its output rather than the core's work.
const SNAKE_OUTPUT = { return_word_label: 'boolean', word_sep: 'string', label_sep: 'string' };

// `defaults` come from the model manifest (outlier, alpha); explicit options win. `phase`
// ('prepare' or 'select') accepts only that phase's options (and defaults); without it, all.
export function normaliseOptions(options, defaults = {}, phase = undefined) {
  if (options === undefined || options === null) options = {};
  checkPlainObject(options);
  const merged = new Map(); // not an object: a "__proto__" key would set its prototype
  for (const [key, value] of Object.entries(defaults)) {
    if (phase === undefined || OPTIONS.get(key).phase === phase) merged.set(key, value);
  }
  for (const [key, value] of Object.entries(options)) if (value !== undefined) merged.set(key, value);
  const out = {};
  for (const [key, value] of merged) {
    const option = OPTIONS.get(key);
    if (!option) throw new InvalidArgumentError(`unknown option "${key}"`, { option: key });
    if (phase !== undefined && option.phase !== phase) {
      const where = option.phase === 'prepare' ? 'analyze()' : 'select()';
      throw new InvalidArgumentError(`option "${key}" is a ${option.phase} option: pass it to ${where}`, { option: key });
    }
    out[key] = CHECK_BY_TYPE[option.type](value, option);
  }
  return out;
}

// The options of a call that are not the core's: {signal, onProgress}, checked, and the rest.
export function splitCallOptions(options) {
  if (options === undefined || options === null) return { call: {}, rest: options };
  checkPlainObject(options);
  const { signal, onProgress, ...rest } = options;
  if (signal !== undefined && !isAbortSignal(signal)) fail('signal', 'must be an AbortSignal');
  if (onProgress !== undefined && typeof onProgress !== 'function') fail('onProgress', 'must be a function');
  return { call: { signal, onProgress }, rest };
}

// Throws AbortError when `signal` has fired.
export function throwIfAborted(signal) {
  if (signal && signal.aborted) throw new AbortError('the call was aborted', { cause: signal.reason });
}

function isAbortSignal(v) {
  return typeof AbortSignal !== 'undefined' ? v instanceof AbortSignal
    : v !== null && typeof v === 'object' && typeof v.aborted === 'boolean';
}

// A plain object: its own keys are its options. An inherited key (an object made with
// Object.create, or {__proto__: {...}}) would otherwise be silently ignored.
function checkPlainObject(options) {
  if (typeof options !== 'object' || Array.isArray(options)) throw new InvalidArgumentError('options must be an object');
  const proto = Object.getPrototypeOf(options);
  if (proto !== null && proto !== Object.prototype) {
    throw new InvalidArgumentError('options must be a plain object: an inherited option would be ignored');
  }
}

// compress_prompt's options: returns {options (camelCase), output: {returnWordLabel, wordSep, labelSep}}.
export function fromSnakeCase(options) {
  if (options === undefined || options === null) options = {};
  checkPlainObject(options);
  const camel = {};
  const output = { returnWordLabel: false, wordSep: '\t\t|\t\t', labelSep: ' ' };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (Object.hasOwn(SNAKE_OUTPUT, key)) {
      if (typeof value !== SNAKE_OUTPUT[key]) {
        throw new InvalidArgumentError(`option "${key}" must be a ${SNAKE_OUTPUT[key]}`, { option: key });
      }
      output[key.replace(/_(\w)/g, (_, c) => c.toUpperCase())] = value;
    } else if (SNAKE.has(key)) {
      camel[SNAKE.get(key)] = value;
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

function integers(v, key, range) {
  if (!Array.isArray(v)) fail(key, 'must be an array of integers');
  return Array.from(v, (x) => integer(x, key, range)); // visits holes too
}

function bool(v, key) {
  if (typeof v !== 'boolean') fail(key, `must be a boolean, got ${describe(v)}`);
  return v;
}

function oneOf(v, key, values) {
  if (!values.includes(v)) fail(key, `must be one of ${values.join(', ')}, got ${describe(v)}`);
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

function text(v, key, maxLength) {
  if (typeof v !== 'string') fail(key, `must be a string, got ${describe(v)}`);
  if (v.length > maxLength) fail(key, `accepts at most ${maxLength} characters, got ${v.length}`);
  if (!v.isWellFormed()) fail(key, 'must not contain lone surrogates');
  return v;
}

// String() throws for an object without a prototype (Object.create(null)) or whose toString
// is not a function: the error message must not.
function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
