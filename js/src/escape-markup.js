// escapeMarkup(): untrusted text placed inside an llmlingua template is read back as itself,
// never as a tag. The scheme (parseMarkup undoes it): a "<" that starts "llmlingua" or
// "/llmlingua" after n backslashes (n >= 0, any case) gets one backslash more; the parser
// reads n >= 1 backslashes there as text with one backslash less. The escape lives inside
// the "<...llmlingua" it guards, so the text around it (a tag, a backslash) never changes it.
import { InvalidArgumentError } from './errors.js';

const GUARDED = /<(?=\\*\/?llmlingua)/gi;

export function escapeMarkup(text) {
  if (typeof text !== 'string') throw new InvalidArgumentError('escapeMarkup takes a string');
  return text.replace(GUARDED, '<\\');
}

// The "<", backslashes, "/" and name at `at` (text[at] is "<"): {escapes (the backslashes),
// closing, end (after the name)}, or null when no name follows. Its cost is the backslash
// run, which ends before the next "<", so scanning every "<" of a text is linear.
const MARK = /<(\\*)(\/?)llmlingua/iy;
export function markAt(text, at) {
  MARK.lastIndex = at;
  const m = MARK.exec(text);
  return m ? { escapes: m[1].length, closing: m[2] === '/', end: at + m[0].length } : null;
}
