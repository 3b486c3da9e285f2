// Turns a compress() result into the page: the highlighted original, the metrics row and
// the equivalent API call.

// The original text with each word wrapped by its keep label. Text between words (spaces,
// line breaks) is copied as is, so the layout matches what was pasted.
export function renderHighlighted(container, text, words) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const w of words) {
    if (w.context !== 0) continue; // the page sends one context
    if (w.start > at) fragment.append(text.slice(at, w.start));
    const span = document.createElement('span');
    span.className = w.keep ? (w.forced ? 'kept forced' : 'kept') : 'dropped';
    span.textContent = text.slice(w.start, w.end);
    span.title = w.forced ? 'forced' : `score ${w.score.toFixed(2)}`;
    fragment.append(span);
    at = Math.max(at, w.end);
  }
  if (at < text.length) fragment.append(text.slice(at));
  container.replaceChildren(fragment);
}

export function renderMetrics(elements, result) {
  const t = result.timings;
  elements.origin.textContent = count(result.originTokens);
  elements.compressed.textContent = count(result.compressedTokens);
  elements.ratio.textContent = formatRatio(result.ratio);
  elements.tokenize.textContent = ms(t.tokenize);
  elements.infer.textContent = ms(t.infer);
  elements.select.textContent = ms(t.select);
  elements.total.textContent = ms(t.total);
}

export function formatRatio(ratio) {
  return Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : '∞';
}

export function ms(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export function count(n) {
  return n.toLocaleString('en-US');
}

// What the page asked for, as a call users can paste (the e2e test reads it back too).
export function renderApiCall(pre, options) {
  pre.dataset.options = JSON.stringify(options);
  pre.textContent = `const result = await compressor.compress(prompt, ${JSON.stringify(options, null, 2)});`;
}
