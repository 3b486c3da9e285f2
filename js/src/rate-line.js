// rateLine(): one line that says why the achieved rate is above the one asked for: protected
// text (the instruction, the question, code, markup the core keeps) is kept whole and only
// the rest is compressed at the rate. For user interfaces (the demo, the extension); a
// subpath of its own (`mooscomp/rate-line`) so that a page can use it without the compressor.
// Reads the result's protectedTokens / compressibleRate where the package reports them, else
// sums its segments; without protected text it gives the overall rate alone. text: what the
// segments' offsets index (the prompt), to tell the question from the instruction.
export function rateLine(r, text) {
  const pct = (x) => `${Math.round(x * 100)} %`;
  const segs = Array.isArray(r.segments) ? r.segments : [];
  const sum = (list, key) => list.reduce((n, s) => n + s[key], 0);
  const open = segs.filter((s) => s.compress);
  const closed = segs.filter((s) => !s.compress);
  const inSegments = sum(closed, 'compressedTokens');
  const protectedTokens = typeof r.protectedTokens === 'number' ? r.protectedTokens : inSegments;
  if (!(protectedTokens > 0)) return `kept ${pct(r.rate)} of the tokens (${r.originTokens} → ${r.compressedTokens})`;
  const n0 = sum(open, 'originTokens');
  const rest = segs.length > 0 && open.length === 0 ? null
    : typeof r.compressibleRate === 'number' ? r.compressibleRate : n0 > 0 ? sum(open, 'compressedTokens') / n0 : null;
  // protectPrompt protects the instruction and the question (the one with a "?"), unless
  // the package names a segment's kind. Protected tokens beyond them are fenced code cut out
  // of the rest, or markup the core keeps (fence lines, table pipes, a JSON document's syntax).
  const kinds = closed.map((s) => s.kind ?? (text === undefined ? null : text.slice(s.start, s.end).includes('?') ? 'question' : 'instruction'));
  const questionTokens = typeof r.questionTokens === 'number' ? r.questionTokens : 0;
  if (questionTokens > 0) kinds.push('question');
  if (protectedTokens > inSegments + questionTokens) kinds.push('code or markup');
  const named = [...new Set(kinds.filter(Boolean))];
  return `kept ${pct(r.rate)} overall (${r.originTokens} → ${r.compressedTokens} tokens): `
    + `${rest === null ? 'nothing to compress' : `${pct(rest)} of the compressible text`}, `
    + `${protectedTokens} tokens protected${named.length ? ` (${named.join(', ')})` : ''}`;
}
