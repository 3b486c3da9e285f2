// Child: mooscomp and the JS peer (@atjsh/llmlingua-2) in ONE process, on one onnxruntime-web
// build with the same thread count, compressing the same texts at the same rate, runs
// interleaved so that load changes hit both sides alike. Chunk ends: see `options`.
//   ours-fp32:    our pipeline on the peer's very ONNX file and WordPiece vocabulary
//   ours-default: our default model (int8) - "each at its own default"
//   peer:         the peer on that fp32 model
// args: {threads, rate, peerModel, defaultModel, texts: {size: path}, runs: {size: n}}
import { cpuMs, takeRun, timedRunner } from './ort-timer.mjs';
import { args, readText, report } from './child.mjs';
import { summarize } from './stats.mjs';
import { agreement } from './agreement.mjs';
import { createPeer } from './peer.mjs';

const { createCompressor } = await import('mooscomp');
// Ours first: mooscomp configures the shared ORT (threads, wasm bytes) as it always does.
const ours = await createCompressor({ model: args.peerModel, threads: args.threads, runner: timedRunner });
const oursDefault = await createCompressor({ model: args.defaultModel, threads: args.threads, runner: timedRunner });
const peer = await createPeer(args.peerModel, { threads: args.threads });

// Chunk ends: '.' only. WordPiece has no newline token, so the peer cannot cut windows at
// line ends while we can; with '\n' too the windows (hence the per-window thresholds and
// the model's context) differ and the kept words agree less (measured: 0.71 vs 0.99).
const options = { rate: args.rate, chunkEndTokens: ['.'] };
const contestants = {
  'ours-fp32': async (text) => {
    const r = await ours.compress(text, options);
    return { text: r.compressedPrompt, modelTokens: r.modelTokens, split: r.timings };
  },
  'ours-default': async (text) => {
    const r = await oursDefault.compress(text, options);
    return { text: r.compressedPrompt, modelTokens: r.modelTokens, split: r.timings };
  },
  peer: async (text) => ({ text: (await peer.compress(text, options)).text }),
};

async function timed(fn, text) {
  takeRun();
  const t = performance.now();
  const c = cpuMs();
  const r = await fn(text);
  const total = performance.now() - t;
  const cpu = cpuMs() - c;
  const run = takeRun();
  return { ...r, total, cpu, run: run.wall, runCpu: run.cpu };
}

const out = { threads: args.threads, rate: args.rate, sizes: {} };
let warm = false;
for (const [size, path] of Object.entries(args.texts)) {
  const text = readText(path);
  if (!warm) for (const fn of Object.values(contestants)) await fn(text); // tier-up, once
  warm = true;
  const rows = Object.fromEntries(Object.keys(contestants).map((k) => [k, []]));
  for (let i = 0; i < (args.runs[size] ?? 3); i++) {
    for (const [name, fn] of Object.entries(contestants)) rows[name].push(await timed(fn, text));
  }
  const tokens = rows['ours-fp32'][0].modelTokens;
  const entry = { modelTokens: tokens };
  for (const [name, rs] of Object.entries(rows)) {
    entry[name] = {
      total: summarize(rs.map((r) => r.total)),
      run: summarize(rs.map((r) => r.run)),
      nonInfer: summarize(rs.map((r) => r.total - r.run)),
      nonInferPer1k: summarize(rs.map((r) => ((r.total - r.run) * 1000) / tokens)),
      cpu: summarize(rs.map((r) => r.cpu)),
      nonInferCpuPer1k: summarize(rs.map((r) => ((r.cpu - r.runCpu) * 1000) / tokens)),
    };
  }
  // Paired per iteration (same moment, same load): how many times faster than the peer.
  const paired = (name) => summarize(rows.peer.map((p, i) => p.total / rows[name][i].total));
  entry.speedupFp32 = paired('ours-fp32');
  entry.speedupDefault = paired('ours-default');
  // The same in CPU time: what each side costs, whatever else runs on the machine.
  const pairedCpu = (name) => summarize(rows.peer.map((p, i) => p.cpu / rows[name][i].cpu));
  entry.speedupFp32Cpu = pairedCpu('ours-fp32');
  entry.speedupDefaultCpu = pairedCpu('ours-default');
  entry.agreement = agreement(text, rows['ours-fp32'].at(-1).text, rows.peer.at(-1).text);
  out.sizes[size] = entry;
  process.stderr.write(`side-by-side ${size}: done\n`);
}
await ours.dispose();
await oursDefault.dispose();
await peer.dispose();
report(out);
