// The budget each piece of a segment list is selected with. Pure: token counts in, budgets
// out. The core plans within one selection (core/src/budget.cc); this plans across the
// selections of a segment list, one per group of pieces that share their own options.

// pieces: [{parent, compress, empty?, tokens, fixedTokens?, code?, own: {rate?, targetTokens?}}],
// in order: `parent` the segment a piece was cut from (its pieces share `own`), `compress`
// false for protected text, `empty` for a compressible piece with no text (it is not
// selected), `tokens` its target-LLM tokens, `fixedTokens` those of what a protected piece
// becomes when it is not kept as is (code under 'lines'), `code` a fenced-code piece.
// options: the call's normalised {rate?, targetTokens?, threshold?} (-1: unset).
// -> one entry per piece: null for a piece that is not selected, else the budget its
// selection takes: {targetTokens} | {rate} | {threshold} | {} (the core's default).
// A segment's own targetTokens wins over its own rate, which wins over the call's budget.
export function planSegmentBudgets(pieces, { rate, targetTokens, threshold }) {
  const sharedRate = targetTokens > 0 ? rateLeft(pieces, targetTokens) : rate;
  const byThreshold = threshold !== undefined && threshold !== -1;
  const code = codeTokens(pieces);
  return pieces.map((p) => {
    if (!selected(p)) return null;
    // A segment's own targetTokens is the budget of its prose: its code is kept anyway.
    if (p.own.targetTokens !== undefined) return { targetTokens: Math.max(1, p.own.targetTokens - (code.get(p.parent) ?? 0)) };
    if (p.own.rate !== undefined) return { rate: p.own.rate };
    if (byThreshold) return { threshold };
    return sharedRate !== undefined ? { rate: sharedRate } : {};
  });
}

// A call's targetTokens as one rate for the pieces without their own budget: (targetTokens -
// protected tokens - the own budgets' expected tokens) / their tokens, at least one token's
// worth, at most 1.
function rateLeft(pieces, targetTokens) {
  let fixed = 0, planned = 0, shared = 0;
  const ownTarget = new Map(); // parent -> {tokens, target}: a segment's prose spends at most its target
  for (const p of pieces) {
    if (!p.compress) fixed += outTokens(p);
    else if (!selected(p)) continue;
    else if (p.own.targetTokens !== undefined) {
      const t = ownTarget.get(p.parent) ?? { tokens: 0, target: p.own.targetTokens };
      t.tokens += p.tokens;
      ownTarget.set(p.parent, t);
    } else if (p.own.rate !== undefined) planned += Math.ceil(p.own.rate * p.tokens);
    else shared += p.tokens;
  }
  for (const { tokens, target } of ownTarget.values()) planned += Math.min(tokens, target);
  const left = Math.max(1, targetTokens - fixed - planned);
  return shared > 0 ? Math.min(1, left / shared) : 1;
}

// Code tokens each segment keeps, by parent.
function codeTokens(pieces) {
  const out = new Map();
  for (const p of pieces) if (p.code) out.set(p.parent, (out.get(p.parent) ?? 0) + outTokens(p));
  return out;
}

function selected(p) {
  return p.compress && !p.empty;
}

// A protected piece's tokens in the output (code under 'lines' loses its comment lines).
function outTokens(p) {
  return p.fixedTokens ?? p.tokens;
}
