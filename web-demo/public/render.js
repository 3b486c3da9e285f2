// Turns a compress() result into the page: the highlighted original, the metrics row and
// the equivalent API call.

// The original text with each word wrapped by its keep label. Text between words (spaces,
// line breaks) is copied as is, so the layout matches what was pasted. One HTML string:
// much faster than thousands of createElement calls for a long prompt. `segments` (a
// segment input's result.segments) marks protected text, which has no words.
export function renderHighlighted(container, text, words, segments = []) {
  const { count, start, end, flags } = words;
  const kept = segments.filter((s) => !s.compress && s.end > s.start);
  const html = [];
  let at = 0;
  let k = 0;
  const upTo = (to) => {
    for (; k < kept.length && kept[k].start < to; k++) {
      if (kept[k].start > at) html.push(escapeHtml(text.slice(at, kept[k].start)));
      html.push(`<span class="protected">${escapeHtml(text.slice(Math.max(at, kept[k].start), kept[k].end))}</span>`);
      at = Math.max(at, kept[k].end);
    }
    if (to > at) html.push(escapeHtml(text.slice(at, to)));
    at = Math.max(at, to);
  };
  for (let i = 0; i < count; i++) {
    upTo(start[i]);
    const cls = flags[i] & 1 ? (flags[i] & 2 ? 'kept forced' : 'kept') : 'dropped';
    html.push(`<span class="${cls}">${escapeHtml(text.slice(start[i], end[i]))}</span>`);
    at = Math.max(at, end[i]);
  }
  upTo(text.length);
  container.innerHTML = html.join('');
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]);
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
export function renderApiCall(pre, options, protect) {
  pre.dataset.options = JSON.stringify(options);
  pre.dataset.protect = String(protect);
  const input = protect ? 'protectPrompt(prompt)' : 'prompt';
  pre.textContent = `const result = await compressor.compress(${input}, ${JSON.stringify(options, null, 2)});`;
}
