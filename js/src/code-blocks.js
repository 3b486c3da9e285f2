// Fenced code blocks (CommonMark rules): found so that code is kept, or cut by whole lines,
// instead of being compressed as prose. Pure functions over strings; one pass, linear time.
import { codeLines } from './code-lines.js';

// An opening fence: up to 3 spaces, then 3+ backticks or 3+ tildes, then an info string
// (a backtick fence's info may not contain a backtick: "```js``` x" is inline code).
const OPEN = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/;

// text -> [{start, end, info, closed}], in order. A block runs from the start of its opening
// fence line to the end of its closing fence line, the line break included; a fence that
// never closes runs to the end of the text.
export function findCodeBlocks(text) {
  const blocks = [];
  let at = 0;
  while (at < text.length) {
    const eol = lineEnd(text, at);
    const m = OPEN.exec(stripCr(text.slice(at, eol)));
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      const fence = m[1];
      const close = findClose(text, nextLine(text, eol), fence);
      blocks.push({ start: at, end: close ?? text.length, info: m[2].trim(), closed: close !== null });
      at = close ?? text.length;
    } else {
      at = nextLine(text, eol);
    }
  }
  return blocks;
}

// The end of the closing fence's line (after its line break), or null when none closes it:
// the same character, at least as many, up to 3 spaces before and only blanks after.
function findClose(text, at, fence) {
  while (at < text.length) {
    const eol = lineEnd(text, at);
    if (isClose(stripCr(text.slice(at, eol)), fence)) return nextLine(text, eol);
    at = nextLine(text, eol);
  }
  return null;
}

function isClose(line, fence) {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  let n = 0;
  while (line[i + n] === fence[0]) n++;
  return n >= fence.length && line.slice(i + n).trim() === '';
}

function lineEnd(text, at) {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i;
}

function nextLine(text, eol) {
  return eol < text.length ? eol + 1 : text.length;
}

function stripCr(line) {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

// Splits text into prose and code pieces that concatenate back to it:
// [{text, code: false} | {text, code: true, info, closed}]. Empty pieces are left out.
export function splitCode(text) {
  const pieces = [];
  let at = 0;
  for (const b of findCodeBlocks(text)) {
    if (b.start > at) pieces.push({ text: text.slice(at, b.start), code: false });
    pieces.push({ text: text.slice(b.start, b.end), code: true, info: b.info, closed: b.closed });
    at = b.end;
  }
  if (at < text.length || pieces.length === 0) pieces.push({ text: text.slice(at), code: false });
  return pieces;
}

// What a code block becomes under the `code` option: 'keep' -> itself; 'lines' -> itself
// without comment lines, docstrings and blank lines (the fences kept).
export function codeOutput(piece, mode) {
  return mode === 'lines' ? codeLines(piece.text, piece.closed) : piece.text;
}
