// How nearly two compressions keep the same words. Both outputs are cut into the units BERT's
// basic tokenizer sees (lower case, accents stripped, words and single punctuation marks), so
// our original-text slices and the peer's decoded tokens compare; the score is the Dice
// coefficient of their longest common subsequence: 2 * LCS / (|a| + |b|), 1 = identical.
export function units(text) {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
}

export function lcsLength(a, b) {
  const ids = new Map();
  const code = (u) => ids.get(u) ?? (ids.set(u, ids.size), ids.size - 1);
  const x = Int32Array.from(a, code);
  const y = Int32Array.from(b, code);
  let prev = new Int32Array(y.length + 1);
  let cur = new Int32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = xi === y[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

export function agreement(original, oursText, peerText) {
  const a = units(oursText);
  const b = units(peerText);
  const lcs = lcsLength(a, b);
  return { dice: a.length + b.length ? (2 * lcs) / (a.length + b.length) : 1,
           originalUnits: units(original).length, oursUnits: a.length, peerUnits: b.length };
}
