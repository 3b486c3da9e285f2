// Child: mooscomp alone in a fresh process. For each prompt size: warm-up, then `runs`
// compressions; reports total time and its split (tokenise+chunk, session.run, the rest of
// inference-side JS, post-processing), CPU time, peak RSS and wasm heaps.
// args: {model, threads, rate, texts: {size: path}, runs: {size: n}, warmup}
import { peakRssMB, wasmHeapsMB } from './wasm-memory.mjs'; // first: it watches wasm memories
import { cpuMs, takeRun, timedRunner } from './ort-timer.mjs';
import { args, readText, report } from './child.mjs';
import { summarize } from './stats.mjs';

const { createCompressor } = await import('mooscomp');
const compressor = await createCompressor({ model: args.model, threads: args.threads, runner: timedRunner });
// What the process holds before compressing anything: Node, our core, ORT's compiled wasm.
const out = { model: compressor.model.name, threads: args.threads, peakRssAfterCreateMB: peakRssMB(), sizes: {} };

for (const [size, path] of Object.entries(args.texts)) {
  const text = readText(path);
  const options = { rate: args.rate };
  if (args.warmup !== false) await compressor.compress(text, options);
  const rows = [];
  for (let i = 0; i < (args.runs[size] ?? 3); i++) {
    takeRun();
    const c0 = cpuMs();
    const r = await compressor.compress(text, options);
    const cpu = cpuMs() - c0;
    const run = takeRun();
    const { tokenize, infer, select, total } = r.timings;
    rows.push({ total, tokenize, run: run.wall, glue: infer - run.wall, select, nonInfer: total - run.wall,
                cpu, nonInferCpu: cpu - run.cpu, modelTokens: r.modelTokens, windows: r.windows });
  }
  const last = rows[rows.length - 1];
  const s = (k) => summarize(rows.map((x) => x[k]));
  out.sizes[size] = {
    modelTokens: last.modelTokens, windows: last.windows,
    total: s('total'), tokenize: s('tokenize'), run: s('run'), glue: s('glue'), select: s('select'),
    nonInfer: s('nonInfer'),
    nonInferPer1k: summarize(rows.map((x) => (x.nonInfer * 1000) / x.modelTokens)),
    cpu: s('cpu'), nonInferCpuPer1k: summarize(rows.map((x) => (x.nonInferCpu * 1000) / x.modelTokens)),
    peakRssMB: peakRssMB(), wasmHeapMB: wasmHeapsMB(),
  };
}
await compressor.dispose();
report(out);
