// protectPrompt(): a chat prompt's instruction and question as protected segments.
import { InvalidArgumentError } from './errors.js';
import { MARKUP, parseMarkup } from './llmlingua-markup.js';

// A chat prompt -> segments with its instruction and its question protected (see js/README.md).
// Text with llmlingua markup is the user's own marking and is parsed instead. The segments'
// texts concatenate back to `text` exactly.
export function protectPrompt(text) {
  if (typeof text !== 'string') throw new InvalidArgumentError('protectPrompt takes a string');
  if (MARKUP.test(text)) {
    return parseMarkup(text).map(({ text: t, compress, own }) => ({ text: t, ...(compress ? {} : { compress: false }), ...own }));
  }
  const paragraphs = splitParagraphs(text);
  const keep = new Array(paragraphs.length).fill(false);
  const q = findQuestion(paragraphs);
  if (q >= 0) {
    keep[q] = true;
    // A short cue after the question ("Answer:") stays with it.
    for (let i = q + 1; i < paragraphs.length && isShortCue(paragraphs[i].body); i++) keep[i] = true;
  }
  if (paragraphs.length > 1 && !keep[0] && isInstruction(paragraphs[0].body)) keep[0] = true;
  let split = null;
  if (paragraphs.length === 1 && q === 0) {
    // One paragraph: protect only its last sentence, the question itself.
    const body = paragraphs[0].body;
    const start = lastSentenceStart(body.trimEnd());
    if (start > 0) split = paragraphs[0].start + start;
    else return [{ text, compress: false }];
  }
  if (split !== null) return [{ text: text.slice(0, split) }, { text: text.slice(split), compress: false }];
  // Merge runs of paragraphs with the same flag; a blank-line separator goes with the text before it.
  const out = [];
  paragraphs.forEach((p, i) => {
    const piece = text.slice(p.start, i + 1 < paragraphs.length ? paragraphs[i + 1].start : text.length);
    const last = out[out.length - 1];
    if (last && (last.compress === false) === keep[i]) last.text += piece;
    else out.push(keep[i] ? { text: piece, compress: false } : { text: piece });
  });
  if (out.length === 0) out.push({ text });
  if (paragraphs.length && paragraphs[0].start > 0) out[0].text = text.slice(0, paragraphs[0].start) + out[0].text;
  return out;
}

// Paragraphs are separated by blank lines: [{start, body}] where body excludes the separator.
function splitParagraphs(text) {
  const out = [];
  const re = /\S[\s\S]*?(?=\n[ \t]*\n|\s*$)/g;
  for (const m of text.matchAll(re)) out.push({ start: m.index, body: m[0] });
  return out;
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
