// Shapes the core's result into the public objects (camelCase, and LLMLingua-2's snake_case).

// ratio = originTokens / compressedTokens and rate = compressedTokens / originTokens, always
// finite: nothing to compress (originTokens 0) gives ratio 1, rate 1; nothing kept
// (compressedTokens 0: whitespace-only input, or a threshold above every score) ratio 1, as
// LLMLingua-2's compress_prompt reports it, and rate 0.
export function buildResult(core, texts, timings) {
  const n0 = Number(core.originTokens); // int64 in the core: may arrive as a BigInt
  const n1 = Number(core.compressedTokens);
  const w = core.words;
  const words = new Array(w.keep.length);
  for (let i = 0; i < words.length; i++) {
    const start = w.begin16[i];
    const end = w.end16[i];
    const context = w.context[i];
    words[i] = {
      text: texts[context].slice(start, end),
      start,
      end,
      keep: w.keep[i] === 1,
      forced: w.forced[i] === 1,
      score: w.score[i],
      context,
    };
  }
  return {
    compressedPrompt: core.compressedPrompt,
    compressedPromptList: Array.from(core.compressedPromptList),
    originTokens: n0,
    compressedTokens: n1,
    ...rateAndRatio(n0, n1),
    // Markup the core keeps whatever the budget (fence lines, inline code, table pipes, a
    // JSON document's syntax): the budget's rate is the rest's.
    ...protectedRate(n0, n1, Number(core.protectedTokens ?? 0)),
    // Of the protected tokens: the instruction's and the question's (options), kept whole.
    questionTokens: Number(core.questionTokens ?? 0),
    modelTokens: Number(core.modelTokens),
    windows: core.windows,
    contextKept: Array.from(core.contextKept, (k) => k === 1),
    // The kept contexts in output order (compressedPromptList's), and each context's
    // relevance to the question (0 without one).
    contextOrder: Array.from(core.contextOrder),
    contextRelevance: Array.from(core.contextRelevance),
    words,
    timings,
  };
}

// {protectedTokens, compressibleRate}: p of n0 tokens before and n1 after were kept anyway.
export function protectedRate(n0, n1, p) {
  return { protectedTokens: p, compressibleRate: rateAndRatio(Math.max(0, n0 - p), Math.max(0, n1 - p)).rate };
}

export function rateAndRatio(n0, n1) {
  return { ratio: n1 === 0 ? 1 : n0 / n1, rate: n0 === 0 ? 1 : n1 / n0 };
}

// LLMLingua-2's compress_prompt return value. Its convention: ratio 1 when nothing is kept.
export function toLLMLingua2(result, { returnWordLabel, wordSep, labelSep }) {
  const { originTokens: n0, compressedTokens: n1 } = result;
  const ratio = n1 === 0 ? 1 : n0 / n1;
  const out = {
    compressed_prompt: result.compressedPrompt,
    compressed_prompt_list: result.compressedPromptList,
    origin_tokens: n0,
    compressed_tokens: n1,
    ratio: `${ratio.toFixed(1)}x`,
    rate: `${((1 / ratio) * 100).toFixed(1)}%`,
  };
  if (returnWordLabel) {
    out.fn_labeled_original_prompt = result.words
      .map((w) => `${w.text}${labelSep}${w.keep ? 1 : 0}`)
      .join(wordSep);
  }
  return out;
}

// compressedPromptList by context index (a reorder option changes the list's order): the
// compressed text of each context, '' for one dropped.
export function listByContext(result) {
  const out = result.contextKept.map(() => '');
  result.contextOrder.forEach((c, i) => { out[c] = result.compressedPromptList[i]; });
  return out;
}

// The order of contexts for a `reorder` option, from their relevance (stable): as given, most
// relevant first, or the most relevant at both ends (ranks 0, 2, 4, ... from the front, 1, 3,
// ... from the back). The core does the same for plain contexts (prepared_job.cc).
export function contextOrder(reorder, relevance) {
  const ids = relevance.map((_, i) => i);
  if (reorder === 'original' || reorder === undefined) return ids;
  ids.sort((a, b) => relevance[b] - relevance[a] || a - b);
  if (reorder === 'relevance') return ids;
  const front = ids.filter((_, k) => k % 2 === 0);
  const back = ids.filter((_, k) => k % 2 === 1).reverse();
  return [...front, ...back];
}
