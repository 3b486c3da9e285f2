// Shared by bench/select.mjs and bench/question.mjs: the examples grown until the model sees
// about `wanted` tokens, and a wall-clock timer.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const base = ['meeting.txt', 'gsm8k-cot.txt'].map((f) => readFileSync(examples + f, 'utf8')).join('\n\n');

export async function sizedPrompt(compressor, wanted) {
  let text = base;
  for (;;) {
    const { modelTokens } = await compressor.compress(text, { rate: 1 });
    if (modelTokens >= wanted) return text;
    text = text + '\n\n' + base.slice(0, Math.ceil(base.length * Math.min(1, (wanted - modelTokens) / modelTokens)));
  }
}

export async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
