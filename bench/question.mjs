// What a question costs: compress() of a ~10k-model-token prompt with and without
// {question}, alternating in one process (the ranking, the nearness bonus and the per-window
// budgets are all the difference), plus one select() on each analysis.
//   node bench/question.mjs [model folder, default: the package's default model] [--tokens 10000] [--runs 5]
// Prints the medians and the ratio; last line BENCH_SUMMARY {json}.
import { createCompressor } from '../js/src/index.js';
import { summarize } from './e2e/stats.mjs';
import { sizedPrompt, time } from './sized-prompt.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const wanted = option('--tokens', 10000);
const runs = option('--runs', 5);
const model = args[0];
const question = 'When does the onboarding start, and how many seats were sold?';

const median = (xs) => summarize(xs).median;

const c = await createCompressor(model ? { model } : {});
try {
  const text = await sizedPrompt(c, wanted);
  const plain = { rate: 0.33 };
  const asked = { rate: 0.33, question };
  await c.compress(text, plain); // warm-up
  await c.compress(text, asked);
  const plainMs = [];
  const askedMs = [];
  let modelTokens = 0;
  for (let i = 0; i < runs; i++) {
    plainMs.push(await time(async () => { modelTokens = (await c.compress(text, plain)).modelTokens; }));
    askedMs.push(await time(() => c.compress(text, asked)));
  }
  const selectMs = async (prepare) => {
    const a = await c.analyze(text, prepare);
    const ms = [];
    for (let i = 0; i < 11; i++) ms.push(await time(() => a.select({ rate: 0.1 + 0.08 * i })));
    a.dispose();
    return median(ms);
  };
  const summary = {
    model: c.model.name,
    modelTokens,
    plainMs: median(plainMs),
    questionMs: median(askedMs),
    plainSelectMs: await selectMs({}),
    questionSelectMs: await selectMs({ question }),
  };
  summary.added = summary.questionMs / summary.plainMs - 1;
  console.log(`model ${summary.model}, ${modelTokens} model tokens, ${runs} runs each, alternating`);
  console.log(`compress() without a question: ${summary.plainMs.toFixed(1)} ms (median)`);
  console.log(`compress() with a question:    ${summary.questionMs.toFixed(1)} ms (median)`);
  console.log(`time added by the question:     ${(summary.added * 100).toFixed(2)}%`);
  console.log(`select(): ${summary.plainSelectMs.toFixed(2)} ms without, ${summary.questionSelectMs.toFixed(2)} ms with (median of 11 rates)`);
  console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
} finally {
  await c.dispose();
}
