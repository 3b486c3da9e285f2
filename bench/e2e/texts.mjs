// Benchmark prompts of a given number of MODEL tokens (as the model's own tokenizer counts
// them, CLS/SEP excluded): meeting transcripts from the shared corpus when present, else the
// repository's examples repeated. Counting uses the wasm core's Prepare only (no inference).
import { existsSync, readFileSync } from 'node:fs';
import { loadCore, createCoreCompressor } from '../../js/src/core.js';
import { forCore } from '../../js/src/options.js';
import { loadModel } from '../../js/src/model.js';

const SHARED_TRANSCRIPTS = new URL('../../../shared/data/pretrain/qmsum/val.txt', import.meta.url);
const EXAMPLES = ['meeting.txt', 'gsm8k-cot.txt'].map((f) => new URL(`../../examples/${f}`, import.meta.url));

export function corpus() {
  if (existsSync(SHARED_TRANSCRIPTS)) return { name: 'qmsum/val.txt', text: readFileSync(SHARED_TRANSCRIPTS, 'utf8') };
  const base = EXAMPLES.map((u) => readFileSync(u, 'utf8')).join('\n\n');
  return { name: 'examples/*.txt repeated', text: Array(200).fill(base).join('\n\n') };
}

// A function counting a text's model tokens with the model folder's tokenizer.
export async function tokenCounter(modelDir) {
  const model = await loadModel(modelDir);
  const native = createCoreCompressor(await loadCore(), model.tokenizer, model.manifest);
  const prepare = forCore('prepare', {});
  const encoder = new TextEncoder();
  return (text) => {
    const bytes = encoder.encode(text);
    const p = native.analyze(bytes, Uint32Array.of(bytes.length), prepare);
    if (!p.ok) throw new Error(`${p.code}: ${p.message}`);
    let tokens = 0;
    for (let i = 0, n = p.job.batchCount(); i < n; i++) {
      for (const v of p.job.attentionMask(i)) tokens += Number(v);
      tokens -= 2 * p.job.batchRows(i);
    }
    p.job.delete();
    return tokens;
  };
}

// The longest prefix of whole lines (then words) of the corpus with at most `n` tokens.
export function textOfTokens(count, source, n) {
  const words = source.split(/(?<=\s)/); // keeps each word's trailing whitespace
  let lo = 0;
  let hi = Math.min(words.length, n * 4);
  while (lo < hi) { // binary search on the number of words
    const mid = Math.ceil((lo + hi) / 2);
    if (count(words.slice(0, mid).join('')) <= n) lo = mid;
    else hi = mid - 1;
  }
  return words.slice(0, lo).join('').trimEnd();
}
