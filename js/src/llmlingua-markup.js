// LLMLingua's structured-prompt markup (<llmlingua, compress=False>...</llmlingua>) parsed
// into segments (segments.js). How it follows and differs from LLMLingua: js/README.md.
import { InvalidArgumentError } from './errors.js';
import { makeSegment } from './segments.js';
import { encodeInput } from './text.js';
import { normaliseOptions } from './options.js';

// LLMLingua's markup. A tag: <llmlingua> or <llmlingua, rate=0.4> / <llmlingua, compress=False>
// (both attributes, either order). Tag and attribute names and True/False ignore case.
const TAG = /<(\/?)llmlingua(?=[\s,>\/])([^>]*)>/gi;
const ATTRIBUTE = /^\s*,\s*(rate|compress)\s*=\s*([^,\s]+)\s*/i;
export const MARKUP = /<\/?llmlingua[\s,>]/i;
const MARKUP_START = /<\/?llmlingua(?=[\s,>\/]|$)/i;

// One context's text -> segments (for normaliseSegments' shape). Text outside tags is a plain
// compressible segment; tags do not nest; every open tag closes.
export function parseMarkup(text, context = 0) {
  if (typeof text !== 'string') throw new InvalidArgumentError(`context ${context} is not a string`);
  const segments = [];
  let open = null; // {attrs, contentStart, at}
  let at = 0;
  const outside = (end) => {
    if (end > at) segments.push(makeSegment(checkNoTag(text.slice(at, end), context, at)));
  };
  for (const m of text.matchAll(TAG)) {
    const [whole, slash, rest] = m;
    if (slash) {
      if (!open) throw markupError(context, m.index, 'a closing tag </llmlingua> has no opening tag');
      if (rest.trim() !== '') throw markupError(context, m.index, `malformed closing tag ${whole}`);
      segments.push({ text: checkNoTag(text.slice(open.contentStart, m.index), context, open.contentStart), ...open.attrs });
      open = null;
    } else {
      if (open) throw markupError(context, m.index, `tags do not nest: this one opens before the one at ${open.at} closes`);
      outside(m.index);
      open = { attrs: parseAttributes(rest, context, m.index), contentStart: m.index + whole.length, at: m.index };
    }
    at = m.index + whole.length;
  }
  if (open) throw markupError(context, open.at, 'the tag is never closed (</llmlingua>)');
  outside(text.length);
  if (segments.length === 0) segments.push(makeSegment(''));
  return segments;
}

// What is left of "<llmlingua" once the tags are parsed is a tag without its ">".
function checkNoTag(chunk, context, offset) {
  const m = MARKUP_START.exec(chunk);
  if (m) throw markupError(context, offset + m.index, 'a tag is not closed by ">"');
  return chunk;
}

function parseAttributes(rest, context, index) {
  const attrs = { compress: true, own: {} };
  const seen = new Set();
  let s = rest;
  while (s.trim() !== '') {
    const m = ATTRIBUTE.exec(s);
    if (!m) throw markupError(context, index, `malformed tag attributes "${rest}" (expected ", rate=0.4" or ", compress=False")`);
    const name = m[1].toLowerCase();
    if (seen.has(name)) throw markupError(context, index, `"${name}" is given twice`);
    seen.add(name);
    if (name === 'compress') {
      const v = m[2].toLowerCase();
      if (v !== 'true' && v !== 'false') throw markupError(context, index, `compress must be True or False, got "${m[2]}"`);
      attrs.compress = v === 'true';
    } else {
      if (!/^(\d+(\.\d*)?|\.\d+)$/.test(m[2])) throw markupError(context, index, `rate must be a decimal number, got "${m[2]}"`);
      try {
        attrs.own = normaliseOptions({ rate: Number(m[2]) }); // the range is the option table's
      } catch (err) {
        throw markupError(context, index, err.message);
      }
    }
    s = s.slice(m[0].length);
  }
  return attrs;
}

function markupError(context, index, what) {
  return new InvalidArgumentError(`context ${context}, character ${index}: ${what}`, { context, offset: index });
}

// compress_prompt's context (a string or a list of strings) -> one segment list per context.
// With `always` false, text without llmlingua markup gives null (plain compression).
export function structuredContexts(context, { always }) {
  const texts = typeof context === 'string' ? [context] : context;
  const strings = Array.isArray(texts) && texts.every((t) => typeof t === 'string');
  if (!always && !(strings && texts.some((t) => MARKUP.test(t)))) return null;
  if (!strings) throw new InvalidArgumentError('context must be a string or an array of strings');
  if (texts.length === 0) throw new InvalidArgumentError('the list of contexts is empty');
  const contexts = texts.map((t, i) => parseMarkup(t, i));
  encodeInput(texts); // lone surrogates -> InvalidUtf8Error
  return contexts;
}
