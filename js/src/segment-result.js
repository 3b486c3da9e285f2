// What a segment list's selection reports: one entry per segment given (however its code
// was cut out), and the token counts of the whole.
import { rateAndRatio, protectedRate } from './result.js';

// pieces: [{s, output, compressedTokens, rate}] in order: s a piece of a segment (segments.js:
// its parent, source, context, offset, text, tokens, compress), rate the one it was selected
// with -> one entry per segment given.
export function segmentResults(pieces) {
  const out = [];
  for (let i = 0; i < pieces.length;) {
    let end = i + 1;
    while (end < pieces.length && pieces[end].s.parent === pieces[i].s.parent) end++;
    out.push(segmentResult(pieces.slice(i, end)));
    i = end;
  }
  return out;
}

// One segment's entry from its pieces. protected: none of it reached the model; effectiveRate:
// the rate its prose was selected with (absent for a protected segment, a threshold or a
// targetTokens of its own).
function segmentResult(pieces) {
  const first = pieces[0].s;
  const last = pieces[pieces.length - 1].s;
  const { compress, own } = first.source;
  const rate = pieces.find((p) => p.rate !== undefined)?.rate;
  let output = '', originTokens = 0, compressedTokens = 0;
  for (const p of pieces) {
    output += p.output;
    originTokens += p.s.tokens;
    compressedTokens += p.compressedTokens;
  }
  return {
    context: first.context,
    start: first.offset,
    end: last.offset + last.text.length,
    compress,
    ...(compress ? own : {}),
    ...(rate !== undefined ? { effectiveRate: rate } : {}),
    output,
    originTokens,
    compressedTokens,
    protected: pieces.every((p) => !p.s.compress),
  };
}

// The result's token counts: overall, the protected part's output (protected segments, and
// `marks`: markup the core kept inside compressible ones), and the rest's rate.
export function tokenTotals(pieces, marks) {
  let n0 = 0, n1 = 0, kept = 0, c0 = 0, c1 = 0;
  for (const { s, compressedTokens } of pieces) {
    n0 += s.tokens;
    n1 += compressedTokens;
    if (s.compress) { c0 += s.tokens; c1 += compressedTokens; } else kept += compressedTokens;
  }
  const { compressibleRate } = protectedRate(c0, c1, marks);
  return { originTokens: n0, compressedTokens: n1, ...rateAndRatio(n0, n1), protectedTokens: kept + marks, compressibleRate };
}

// The core's output runs from the first kept word to the last; a segment keeps the
// whitespace at its edges, so it does not glue onto its neighbours.
export function keepEdgeSpace(text, compressed) {
  const lead = /^\s*/.exec(text)[0];
  const rest = text.slice(lead.length);
  const trail = rest.slice(rest.trimEnd().length); // not /\s*$/: that retries at every space of a run
  const body = compressed.trim();
  if (body === '') return lead.length >= trail.length ? lead : trail;
  return lead + body + trail;
}
