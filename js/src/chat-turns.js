// Speaker turns of a chat transcript pasted as text ("User: ...", "### Assistant",
// "**Human:**", "Q: ...", "<|user|>", "[USER]"): protectPrompt keeps the last user turn whole.
// One pass over the lines; each line is matched on a bounded prefix, so time stays linear.

const USER = new Set(['user', 'human', 'me', 'q', 'question', 'customer', 'client', 'you', 'prompt', 'input']);
const OTHER = new Set(['assistant', 'ai', 'bot', 'gpt', 'chatgpt', 'claude', 'gemini', 'model', 'a', 'answer', 'system',
  'agent', 'support', 'response', 'output', 'tool', 'function', 'developer', 'llm']);
const PREFIX = 48; // a label is short: look no further into a line
// Decorations around a name: "### ", "**", "__", "[", "<|"; then the name; then "|>", "]",
// "**", "__" and a colon, or nothing more on the line (a heading or a bold name alone).
const LABEL = /^ {0,3}(?:#{1,6} *)?(?:\*\*|__|\[|<\|)? *([A-Za-z][A-Za-z ]{0,15}) *(?:\|>|\]|\*\*|__)? *(:|：)?(?:\*\*|__)?/;

// text -> [{start, role: 'user' | 'other'}]: where each speaker line starts.
export function findTurns(text) {
  const turns = [];
  let at = 0;
  while (at < text.length) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    const role = labelRole(text.slice(at, Math.min(eol, at + PREFIX)), eol - at <= PREFIX);
    if (role) turns.push({ start: at, role });
    at = eol + 1;
  }
  return turns;
}

// A line's speaker, or null. wholeLine: the prefix is the whole line. A name with a colon
// is a label; without one, only a decorated name alone on its line ("### User", "**User**",
// "<|user|>", "[USER]"): a plain word alone is more likely prose.
function labelRole(prefix, wholeLine) {
  const m = LABEL.exec(prefix);
  if (!m) return null;
  const name = m[1].trim().toLowerCase();
  const role = USER.has(name) ? 'user' : OTHER.has(name) ? 'other' : null;
  if (!role || m[2]) return role;
  const alone = wholeLine && prefix.slice(m[0].length).trim() === '';
  return alone && /[#*_[<]/.test(m[0]) ? role : null;
}

// The last user turn: [start, end) from its speaker line to the next speaker line (or the end),
// with a short closing cue ("Assistant:" and nothing more) kept with it; null when the text
// has no user label. blocks: fenced code spans ({start, end}, in order): a "user:" line in
// code (YAML, a log) is no speaker.
export function lastUserTurn(text, blocks = []) {
  let b = 0;
  const turns = findTurns(text).filter(({ start }) => {
    while (b < blocks.length && blocks[b].end <= start) b++;
    return !(b < blocks.length && blocks[b].start <= start);
  });
  let k = -1;
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i].role === 'user') { k = i; break; }
  if (k < 0) return null;
  let end = k + 1 < turns.length ? turns[k + 1].start : text.length;
  if (k + 2 === turns.length && text.slice(end).trim().length <= 40 && !text.slice(end).trim().includes('\n')) end = text.length;
  return { start: turns[k].start, end };
}
