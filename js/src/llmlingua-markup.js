// LLMLingua's structured-prompt markup (<llmlingua, compress=False>...</llmlingua>) parsed
// into segments (segments.js). How it follows and differs from LLMLingua: js/README.md.
import { InvalidArgumentError } from './errors.js';
import { makeSegment } from './segments.js';
import { encodeInput } from './text.js';
import { normaliseOptions } from './options.js';
import { markAt } from './escape-markup.js';

// A tag: <llmlingua> or <llmlingua, rate=0.4> / <llmlingua, compress=False> (both attributes,
// either order), </llmlingua>. Tag and attribute names and True/False ignore case. These
// sticky patterns never cross a "<" or a ">", so a tag's scan ends before the next one starts.
const AFTER_NAME = /[\s,>\/]/;
const ATTRIBUTE = /\s*,\s*(rate|compress)\s*=\s*([^,\s<>]+)/iy;
const TAG_END = /\s*>/y;
const RATE = /^(\d+(\.\d*)?|\.\d+)$/;
const EXCERPT = 40; // characters of a malformed tag quoted in its error
const ANY_MARK = /<\\*\/?llmlingua/i;

// One context's text -> segments (for normaliseSegments' shape). Text outside tags is a plain
// compressible segment; tags do not nest; every open tag closes. A guarded "<\llmlingua"
// (escapeMarkup) is text with one backslash less. strict: malformed or unmatched tags are an
// InvalidArgumentError naming the context and the offset; otherwise they are text. One pass.
export function parseMarkup(text, context = 0, { strict = true } = {}) {
  if (typeof text !== 'string') throw new InvalidArgumentError(`context ${context} is not a string`);
  const segments = [];
  let open = null; // {attrs, at, before (the text before it), tag (its own text)}
  let piece = ''; // the current segment's text before `from`, unescaped
  let from = 0;
  const upTo = (end) => piece + text.slice(from, end);
  for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
    const mark = markAt(text, lt);
    if (!mark) continue;
    if (mark.escapes > 0) {
      piece = upTo(lt + 1); // drop the backslash after "<"
      from = lt + 2;
      continue;
    }
    if (mark.end < text.length && !AFTER_NAME.test(text[mark.end])) continue; // "<llmlinguas": a word
    const tag = mark.closing ? readClosing(text, mark.end) : readOpening(text, mark.end);
    const problem = tag.error ?? (mark.closing
      ? (open ? null : 'a closing tag </llmlingua> has no opening tag')
      : (open ? `tags do not nest: this one opens before the one at ${open.at} closes` : null));
    if (problem) {
      if (strict) throw tagError(text, context, open, mark, tag, lt, problem);
      continue; // not a tag here: it stays text
    }
    if (mark.closing) {
      if (open.before !== '') segments.push(makeSegment(open.before));
      segments.push({ text: upTo(lt), ...open.attrs });
      open = null;
    } else {
      open = { attrs: tag.attrs, at: lt, before: upTo(lt), tag: text.slice(lt, tag.end) };
    }
    piece = '';
    from = tag.end;
  }
  if (open) {
    if (strict) throw markupError(context, open.at, 'the tag is never closed (</llmlingua>)');
    piece = open.before + open.tag + piece; // an open tag that never closes is text
  }
  const rest = upTo(text.length);
  if (rest !== '' || segments.length === 0) segments.push(makeSegment(rest));
  return segments;
}

// After "</llmlingua": {end} or {error}.
function readClosing(text, at) {
  TAG_END.lastIndex = at;
  if (TAG_END.exec(text)) return { end: TAG_END.lastIndex };
  return { error: 'malformed closing tag', malformed: true };
}

// After "<llmlingua": {end, attrs: {compress, own}} or {error}.
function readOpening(text, at) {
  const attrs = { compress: true, own: {} };
  const seen = new Set();
  let p = at;
  for (;;) {
    ATTRIBUTE.lastIndex = p;
    const m = ATTRIBUTE.exec(text);
    if (!m) break;
    p = ATTRIBUTE.lastIndex;
    const name = m[1].toLowerCase();
    if (seen.has(name)) return { error: `"${name}" is given twice` };
    seen.add(name);
    const error = name === 'compress' ? setCompress(attrs, m[2]) : setRate(attrs, m[2]);
    if (error) return { error };
  }
  TAG_END.lastIndex = p;
  if (TAG_END.exec(text)) return { end: TAG_END.lastIndex, attrs };
  return { error: 'malformed tag attributes', malformed: true };
}

function setCompress(attrs, value) {
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') return `compress must be True or False, got "${value}"`;
  attrs.compress = v === 'true';
  return null;
}

function setRate(attrs, value) {
  if (!RATE.test(value)) return `rate must be a decimal number, got "${value}"`;
  try {
    attrs.own = normaliseOptions({ rate: Number(value) }); // the range is the option table's
  } catch (err) {
    return err.message;
  }
  return null;
}

// A tag that does not parse: one without a ">" after it is not closed (inside an open tag,
// that one is never closed); else its text up to the ">" is quoted, cut short.
function tagError(text, context, open, mark, tag, lt, problem) {
  if (!tag.malformed) return markupError(context, lt, problem);
  const gt = text.indexOf('>', mark.end);
  if (gt < 0 && open && mark.closing) return markupError(context, open.at, 'the tag is never closed (</llmlingua> has no ">")');
  if (gt < 0) return markupError(context, lt, 'a tag is not closed by ">"');
  const whole = text.slice(lt, gt + 1);
  const quoted = whole.length > EXCERPT ? `${whole.slice(0, EXCERPT)}...` : whole;
  return markupError(context, lt, mark.closing ? `malformed closing tag ${quoted}`
    : `malformed tag attributes in ${quoted} (expected ", rate=0.4" or ", compress=False")`);
}

function markupError(context, index, what) {
  return new InvalidArgumentError(`context ${context}, character ${index}: ${what}`, { context, offset: index });
}

// compress_prompt's context (a string or a list of strings) -> one segment list per context.
// always (structured_compress_prompt): every context is markup, strictly parsed. Otherwise
// (compress_prompt) a tag that does not parse or match is text, as LLMLingua-2 reads it, and
// text with no tag and no escape gives null (plain compression).
export function structuredContexts(context, { always }) {
  const texts = typeof context === 'string' ? [context] : context;
  const strings = Array.isArray(texts) && texts.every((t) => typeof t === 'string');
  if (!always && !(strings && texts.some((t) => ANY_MARK.test(t)))) return null;
  if (!strings) throw new InvalidArgumentError('context must be a string or an array of strings');
  if (texts.length === 0) throw new InvalidArgumentError('the list of contexts is empty');
  const contexts = texts.map((t, i) => parseMarkup(t, i, { strict: always }));
  if (!always && contexts.every((segs, i) => isPlain(segs, texts[i]))) return null;
  encodeInput(texts); // lone surrogates -> InvalidUtf8Error
  return contexts;
}

function isPlain(segs, text) {
  return segs.length === 1 && segs[0].compress && Object.keys(segs[0].own).length === 0 && segs[0].text === text;
}
