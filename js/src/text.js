// Turns compress() input into what the core takes: every context's UTF-8 concatenated,
// plus their byte lengths, and the JS strings that word offsets (UTF-16) index into.
import { InvalidArgumentError, InvalidUtf8Error } from './errors.js';

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF, so string offsets match the bytes the core saw.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// input: a string, an array of strings (contexts), or a Uint8Array of UTF-8 bytes.
export function encodeInput(input) {
  const texts = toStrings(input);
  const parts = texts.map((t) => encoder.encode(t));
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total > 0xffffffff) throw new InvalidArgumentError('input is larger than 4 GiB');
  const bytes = new Uint8Array(total);
  const lengths = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => {
    bytes.set(p, at);
    lengths[i] = p.length;
    at += p.length;
  });
  return { texts, bytes, lengths };
}

function toStrings(input) {
  if (typeof input === 'string') return [checkString(input, 0)];
  if (input instanceof Uint8Array) return [decodeUtf8(input)];
  if (input instanceof ArrayBuffer) return [decodeUtf8(new Uint8Array(input))];
  if (Array.isArray(input)) {
    if (input.length === 0) throw new InvalidArgumentError('the list of contexts is empty');
    // Array.from visits holes (map would skip them, leaving an empty context).
    return Array.from(input, (t, i) => {
      if (!Object.hasOwn(input, i)) throw new InvalidArgumentError(`context ${i} is missing (a hole in the array)`, { context: i });
      if (typeof t !== 'string') throw new InvalidArgumentError(`context ${i} is not a string`, { context: i });
      return checkString(t, i);
    });
  }
  throw new InvalidArgumentError('input must be a string, an array of strings or a Uint8Array of UTF-8');
}

// A lone surrogate has no UTF-8 form; TextEncoder would silently write U+FFFD instead.
function checkString(text, context) {
  if (text.isWellFormed()) return text;
  const offset = firstLoneSurrogate(text);
  throw new InvalidUtf8Error(`context ${context} has a lone surrogate at UTF-16 index ${offset}`, { offset, context });
}

function firstLoneSurrogate(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

function decodeUtf8(bytes) {
  try {
    return strictDecoder.decode(bytes);
  } catch (err) {
    const offset = firstInvalidUtf8(bytes);
    // Well-formed, but the decoder refused: the text is longer than a JS string can be.
    if (offset < 0) throw new InvalidArgumentError(`the input (${bytes.length} bytes) is longer than a JavaScript string can hold`, { cause: err });
    throw new InvalidUtf8Error(`invalid UTF-8 at byte ${offset}`, { offset, context: 0 });
  }
}

// Byte offset of the first ill-formed sequence (WHATWG/Unicode rules: no overlongs,
// no surrogates, nothing above U+10FFFF). Only called after the decoder has refused.
export function firstInvalidUtf8(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let need, lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}
