// compressJson(): long string values of a JSON document compressed as prose (code in them
// as the `code` option says), keys, numbers, booleans, null and short strings kept. The
// document is re-serialised, so the output is always valid JSON with the same structure.
import { InvalidArgumentError } from './errors.js';
import { makeSegment } from './segments.js';
import { rateAndRatio, listByContext } from './result.js';

export const DEFAULT_MIN_LENGTH = 40;

// compressJson's own option apart from compress()'s: {minLength, rest}.
export function splitJsonOptions(options) {
  const { minLength = DEFAULT_MIN_LENGTH, ...rest } = options ?? {};
  if (!Number.isSafeInteger(minLength) || minLength < 1) {
    throw new InvalidArgumentError(`option "minLength" must be a positive integer, got ${String(minLength)}`, { option: 'minLength' });
  }
  return { minLength, rest };
}

// value: JSON text (a string is always read as JSON text) or a JSON-serialisable value,
// copied now. -> {value, text, asText, indent}: text is the document's JSON text.
export function readJson(input) {
  if (typeof input === 'string') {
    let value;
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new InvalidArgumentError(`compressJson: invalid JSON: ${err.message}`, { cause: err });
    }
    return { value, text: input, asText: true, indent: indentOf(input) };
  }
  let text;
  try {
    text = JSON.stringify(input);
  } catch (err) { // a cycle, a BigInt
    throw new InvalidArgumentError(`compressJson: the value is not JSON-serialisable: ${err.message}`, { cause: err });
  }
  if (text === undefined) throw new InvalidArgumentError('compressJson: the value is not JSON-serialisable');
  return { value: JSON.parse(text), text, asText: false, indent: undefined };
}

// The indentation of JSON text, to write it back alike: none when it is on one line.
function indentOf(text) {
  const m = /\n([ \t]+)["{[\]}0-9tfn-]/.exec(text);
  return m ? m[1] : undefined;
}

// Every string value of at least minLength characters, in document order, as one context each:
// [[makeSegment(text)]]. Their places are kept on `doc.slots` for jsonResult.
export function jsonContexts(doc, minLength) {
  doc.slots = [];
  doc.root = { value: doc.value };
  const stack = [[doc.root, 'value', []]];
  while (stack.length) { // not recursive: deep documents do not overflow the stack
    const [holder, key, path] = stack.pop();
    const v = holder[key];
    if (typeof v === 'string') {
      if (v.length >= minLength) doc.slots.push({ holder, key, path });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v, i, [...path, i]]);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push([v, keys[i], [...path, keys[i]]]);
    }
  }
  return doc.slots.map(({ holder, key }) => [makeSegment(holder[key])]);
}

// compress()'s result over the contexts (null when there were none) -> compressJson's:
// {json, paths, ...result}. Token counts are of the JSON text before and after, so that the
// keys and syntax count as protected; compressibleRate is the long strings' own.
export function jsonResult(doc, result, estimate, device) {
  const values = result ? listByContext(result) : [];
  doc.slots.forEach(({ holder, key }, i) => { holder[key] = values[i]; });
  const value = doc.root.value;
  const text = JSON.stringify(value, null, doc.indent);
  const n0 = estimate(doc.text);
  const n1 = estimate(text);
  const strings = result ? result.compressedTokens - result.protectedTokens : 0;
  const base = result ?? {
    compressedPromptList: [], modelTokens: 0, windows: 0, contextKept: [], contextOrder: [], contextRelevance: [], words: [], segments: [],
    compressibleRate: 1, timings: { tokenize: 0, infer: 0, select: 0, total: 0 }, device,
  };
  return {
    ...base,
    json: doc.asText ? text : value,
    paths: doc.slots.map((s) => s.path),
    compressedPrompt: text,
    originTokens: n0,
    compressedTokens: n1,
    ...rateAndRatio(n0, n1),
    protectedTokens: Math.max(0, n1 - strings),
  };
}
