// protectPrompt(): a chat prompt's instruction, question, code and last request as protected segments.
import { InvalidArgumentError } from './errors.js';
import { findCodeBlocks } from './code-blocks.js';
import { lastUserTurn } from './chat-turns.js';

// A last user turn is protected whole up to this length; a longer one is a document pasted in
// a turn, left to the paragraph rules. The same for the text after the last code block.
const MAX_TURN_CHARS = 2000;
const MAX_REQUEST_CHARS = 1500;

// A chat prompt -> segments with its instruction, its question, fenced code, the last user
// turn of a transcript and the request written after code protected (see js/README.md).
// The segments' texts concatenate back to `text` exactly, whatever it holds: llmlingua tags
// are text here (compress_prompt reads them). Linear time: no regex scans an unbounded span twice.
export function protectPrompt(text) {
  if (typeof text !== 'string') throw new InvalidArgumentError('protectPrompt takes a string');
  const blocks = findCodeBlocks(text);
  const spans = [...paragraphSpans(text), ...codeSpans(text, blocks)];
  const turn = lastUserTurn(text, blocks);
  if (turn && turn.end - turn.start <= MAX_TURN_CHARS) spans.push([turn.start, turn.end]);
  return toSegments(text, spans);
}

// Protected [start, end) spans from the paragraphs: the question (with its cues) and the
// instruction; a prompt of one paragraph protects only its last sentence, the question.
function paragraphSpans(text) {
  const paragraphs = splitParagraphs(text);
  const q = findQuestion(paragraphs);
  if (paragraphs.length === 1 && q === 0) {
    const start = lastSentenceStart(paragraphs[0].body.trimEnd());
    return [[start > 0 ? paragraphs[0].start + start : 0, text.length]];
  }
  const keep = new Array(paragraphs.length).fill(false);
  if (q >= 0) {
    keep[q] = true;
    // A short cue after the question ("Answer:") stays with it.
    for (let i = q + 1; i < paragraphs.length && isShortCue(paragraphs[i].body); i++) keep[i] = true;
  }
  if (paragraphs.length > 1 && !keep[0] && isInstruction(paragraphs[0].body)) keep[0] = true;
  // A paragraph's span runs to the next one's start (the blank lines go with the text before
  // them); the first one's starts at 0.
  const spans = [];
  paragraphs.forEach((p, i) => {
    if (keep[i]) spans.push([i === 0 ? 0 : p.start, i + 1 < paragraphs.length ? paragraphs[i + 1].start : text.length]);
  });
  return spans;
}

// Fenced code, and the request written after the last block when the prompt ends with it.
function codeSpans(text, blocks) {
  const spans = blocks.map((b) => [b.start, b.end]);
  const last = blocks[blocks.length - 1];
  if (last && last.end < text.length) {
    const tail = text.slice(last.end);
    if (tail.trim() !== '' && tail.length <= MAX_REQUEST_CHARS) spans.push([last.end, text.length]);
  }
  return spans;
}

// Protected spans (overlapping, any order) -> segments covering text: protected runs
// {text, compress: false}, the rest {text}.
function toSegments(text, spans) {
  spans.sort((a, b) => a[0] - b[0]);
  const out = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start > at) out.push({ text: text.slice(at, start) });
    const from = Math.max(start, at);
    const last = out[out.length - 1];
    if (last && last.compress === false) last.text += text.slice(from, end);
    else out.push({ text: text.slice(from, end), compress: false });
    at = end;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at) });
  return out;
}

// Paragraphs are separated by blank lines (only spaces, tabs or a CR on them): [{start, body}],
// body from the first non-space character to the separator, or to the text's last
// non-space character. One pass over the text.
function splitParagraphs(text) {
  const out = [];
  const end = text.trimEnd().length;
  const nonSpace = /\S/g;
  let at = 0;
  while (at < end) {
    nonSpace.lastIndex = at;
    const start = nonSpace.exec(text).index; // below `end`, so one exists
    const stop = Math.min(blankLineAfter(text, start), end);
    out.push({ start, body: text.slice(start, stop) });
    at = stop;
  }
  return out;
}

// The index of the "\n" that starts the first blank line after `from`, or text.length.
function blankLineAfter(text, from) {
  let nl = text.indexOf('\n', from);
  while (nl >= 0) {
    let k = nl + 1;
    while (text[k] === ' ' || text[k] === '\t' || text[k] === '\r') k++;
    if (text[k] === '\n') return nl;
    nl = text.indexOf('\n', k);
  }
  return text.length;
}

// The last paragraph ending in "?" that ends the prompt (short cues aside) or opens it (in
// the first two paragraphs: a question before its document); a "?" mid-document (a line of
// a transcript) is not the prompt's question.
function findQuestion(paragraphs) {
  let tailIsCues = true;
  for (let i = paragraphs.length - 1; i >= 0; i--) {
    const body = paragraphs[i].body;
    if (body.trimEnd().endsWith('?') && (tailIsCues || i <= 1)) return i;
    tailIsCues &&= isShortCue(body);
  }
  return -1;
}

function isShortCue(body) {
  return !body.includes('\n') && body.length <= 80;
}

// Short, and either addresses the model, opens with an imperative, or introduces what follows.
const INSTRUCTION_START = /^(#+\s*)?(system|instructions?|task)\s*:|^(you are|you're|your task|you will|act as|i want you|i need you|please|can you|could you|help me|given|based on|using|use|read|answer|summari[sz]e|translate|write|explain|list|extract|classify|rewrite|describe|compare|identify|find|consider|review|analy[sz]e|respond|reply|provide|generate|create|tell me)\b/i;
const MAX_INSTRUCTION_CHARS = 500;
function isInstruction(body) {
  if (body.length > MAX_INSTRUCTION_CHARS) return false;
  return INSTRUCTION_START.test(body.trimStart()) || body.trimEnd().endsWith(':');
}

function lastSentenceStart(body) {
  const ends = [...body.slice(0, -1).matchAll(/[.!?][)"'\]]*\s+/g)];
  if (ends.length === 0) return 0;
  const m = ends[ends.length - 1];
  return m.index + m[0].length;
}
