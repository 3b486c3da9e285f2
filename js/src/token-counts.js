// Exact target-LLM token counts from the caller's tokenizer (createCompressor({countTokens})),
// in place of the core's estimate: once per analysis for each context and each distinct word
// (with the whitespace before it; the budgets and originTokens), and per selection for the
// compressed text.
import { InvalidArgumentError, checkCore } from './errors.js';

// countTokens(text) checked: a non-negative safe integer, else a typed error.
export function countWith(countTokens, text) {
  let n;
  try {
    n = countTokens(text);
  } catch (err) {
    throw new InvalidArgumentError(`countTokens threw: ${err && err.message ? err.message : String(err)}`, { option: 'countTokens', cause: err });
  }
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(`countTokens must return a non-negative integer, got ${typeof n === 'number' ? n : typeof n}`, { option: 'countTokens' });
  }
  return n;
}

// Hands a scored core job the counts of its contexts and words. callCore types embind errors.
export function setTokenCounts(job, texts, countTokens, callCore) {
  const spans = checkCore(callCore(() => job.wordSpans()), 'wordSpans');
  const contexts = Float64Array.from(texts, (t) => countWith(countTokens, t));
  const byText = new Map(); // words repeat: count each text once
  const words = new Uint32Array(spans.begin16.length);
  for (let i = 0; i < words.length; i++) {
    // A word is counted with the whitespace right before it, as the output joins it (" pencils"
    // is one cl100k token, "pencils" two; "\nThe" counts its line break): the sum of the kept
    // words' counts is then the count of the joined text, give or take a merge.
    const context = texts[spans.context[i]];
    let start = spans.begin16[i];
    while (start > 0 && /\s/.test(context[start - 1])) start--;
    const text = context.slice(start, spans.end16[i]);
    let n = byText.get(text);
    if (n === undefined) {
      n = Math.min(countWith(countTokens, text), 0xffffffff);
      byText.set(text, n);
    }
    words[i] = n;
  }
  checkCore(callCore(() => job.setTokenCounts(contexts, words)), 'setTokenCounts');
}
