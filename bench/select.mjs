// Score once, select many: the time of one select() on an analysis of a ~10k-model-token
// prompt against one compress() of the same prompt (which runs the model), in one process.
//   node bench/select.mjs [model folder, default: the package's default model] [--tokens 10000]
// Prints both medians and their ratio; last line BENCH_SUMMARY {json}.
import { createCompressor } from '../js/src/index.js';
import { summarize } from './e2e/stats.mjs';
import { sizedPrompt, time } from './sized-prompt.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--tokens');
const wanted = at >= 0 ? Number(args.splice(at, 2)[1]) : 10000;
const model = args[0];

const median = (xs) => summarize(xs).median;

const c = await createCompressor(model ? { model } : {});
try {
  const text = await sizedPrompt(c, wanted);
  const options = { rate: 0.33, forceTokens: ['\n'] };
  await c.compress(text, options); // warm-up
  const compressMs = [];
  for (let i = 0; i < 3; i++) compressMs.push(await time(() => c.compress(text, options)));

  const a = await c.analyze(text, { forceTokens: ['\n'] });
  const selectMs = [];
  let modelTokens = 0;
  for (let i = 0; i < 21; i++) {
    const rate = 0.1 + 0.04 * i; // a slider moving
    selectMs.push(await time(() => { modelTokens = a.select({ rate }).modelTokens; }));
  }
  a.dispose();

  const summary = {
    model: c.model.name,
    modelTokens,
    compressMs: median(compressMs),
    selectMs: median(selectMs),
  };
  summary.ratio = summary.selectMs / summary.compressMs;
  console.log(`model ${summary.model}, ${modelTokens} model tokens`);
  console.log(`compress(): ${summary.compressMs.toFixed(1)} ms (median of 3)`);
  console.log(`select():   ${summary.selectMs.toFixed(2)} ms (median of 21 rates)`);
  console.log(`ratio select/compress: ${(summary.ratio * 100).toFixed(2)}%`);
  console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
} finally {
  await c.dispose();
}
