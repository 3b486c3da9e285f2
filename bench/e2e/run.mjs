// End-to-end benchmark in Node: mooscomp alone (1k..50k tokens, 1 and 2 ORT threads, split,
// memory, cold start) and side by side with the JS peer. Every measurement runs in a fresh
// child process; this script builds the texts, runs the children, prints a report and, last,
// one line `BENCH_SUMMARY {json}` for scripts. Full results: bench/out/e2e-node.json.
//   node bench/e2e/run.mjs [--quick] [--no-peer] [--peer-threads 1,2]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { corpus, tokenCounter, textOfTokens } from './texts.mjs';
import { fmt, machineLoad, summarize } from './stats.mjs';
import { ortVersion } from './ort.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const withPeer = !argv.includes('--no-peer');
const peerThreads = argv.includes('--peer-threads') ? argv[argv.indexOf('--peer-threads') + 1].split(',').map(Number) : [1];

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const OUT = path('../out/');
const TEXTS = path('../out/texts/');
const MODELS = path('../out/models/');
const RATE = 0.33;
mkdirSync(TEXTS, { recursive: true });
const started = performance.now();
const log = (msg) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${msg}\n`);

// --- models: the trained default if this checkout has it, else a default-sized stand-in
// models/ on PYTHONPATH: the mooscomp_models package, as the models' own scripts and tests import it.
const made = spawnSync('/usr/bin/python3', [path('../models/make_bench_models.py'), '--out', MODELS],
  { encoding: 'utf8', env: { ...process.env, PYTHONPATH: path('../../models') } });
process.stderr.write(made.stdout + made.stderr);
const haveBenchModels = made.status === 0;
const trainedDefault = path('../../models/default/');
const defaultModel = existsSync(`${trainedDefault}manifest.json`) ? trainedDefault
  : haveBenchModels ? `${MODELS}default-size/` : path('../../models/fixture/');
const peerModel = `${MODELS}peer-4x312/`;
const peerOn = withPeer && haveBenchModels;
if (!peerOn) log(withPeer ? 'skip: the peer comparison needs the shared data (bench models not built)' : 'peer comparison off');

// --- texts of N model tokens, written once per run
const source = corpus();
async function texts(modelDir, tag, sizes) {
  const count = await tokenCounter(modelDir);
  const files = {};
  for (const n of sizes) {
    files[n] = `${TEXTS}${tag}-${n}.txt`;
    writeFileSync(files[n], textOfTokens(count, source.text, n));
  }
  return files;
}
const SIZES = [1000, 2000, 10000, 50000];
const defaultTexts = await texts(defaultModel, 'default', [200, ...SIZES]);
const peerTexts = peerOn ? await texts(peerModel, 'wordpiece', [1000, 10000]) : {};
log(`texts from ${source.name}`);

// --- children
// A failed child is reported (its last error line) and the suite goes on without it.
function child(script, args) {
  const r = spawnSync(process.execPath, [path(script), JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status === 0 && line) return JSON.parse(line.slice(7));
  const why = r.stderr.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? `exit ${r.status}`;
  log(`${script} ${JSON.stringify(args.threads ?? '')} FAILED: ${why}`);
  return { failed: why.trim() };
}
const pick = (files, sizes) => Object.fromEntries(sizes.map((n) => [n, files[n]]));
const load = [await machineLoad()];

const cold = [];
for (let i = 0; i < (quick ? 2 : 5); i++) cold.push(child('./cold-start.mjs', { model: defaultModel, text: defaultTexts[200] }));
log('cold start: done');

const runs1 = quick ? { 1000: 3, 2000: 3, 10000: 1, 50000: 1 } : { 1000: 9, 2000: 9, 10000: 5, 50000: 2 };
const ours = {};
for (const threads of [1, 2]) {
  ours[threads] = child('./ours.mjs', { model: defaultModel, threads, rate: RATE, texts: pick(defaultTexts, SIZES), runs: runs1 });
  load.push(await machineLoad());
  log(`ours, ${threads} thread(s): done`);
}
// Peak memory alone: a fresh process that compresses 50k tokens once.
const memory = child('./ours.mjs', { model: defaultModel, threads: 1, rate: RATE, texts: pick(defaultTexts, [50000]), runs: { 50000: 1 }, warmup: false });
log('memory: done');

const side = {};
if (peerOn) {
  for (const threads of peerThreads) {
    side[threads] = child('./side-by-side.mjs', {
      threads, rate: RATE, peerModel, defaultModel, texts: peerTexts,
      runs: quick ? { 1000: 3, 10000: 1 } : { 1000: 7, 10000: 3 },
    });
    load.push(await machineLoad());
    log(`side by side, ${threads} thread(s): done`);
  }
}

// --- report
const coldS = summarize(cold.filter((c) => !c.failed).map((c) => c.importToResult));
const o1 = ours[1].sizes ?? {};
const m50 = memory.sizes?.[50000];
const sb = side[1]?.sizes;
const targets = [
  ['ours vs peer, same fp32 model, 10k tokens, 1 thread (x faster, wall)', sb?.[10000]?.speedupFp32.median, '>= 1.2', (v) => v >= 1.2],
  ['  the same, CPU time', sb?.[10000]?.speedupFp32Cpu.median, '>= 1.2', (v) => v >= 1.2],
  ['our non-inference ms per 1k tokens (10k, same model, wall)', sb?.[10000]?.['ours-fp32'].nonInferPer1k.median, '<= 5', (v) => v <= 5],
  ['  our non-inference, CPU ms per 1k tokens', sb?.[10000]?.['ours-fp32'].nonInferCpuPer1k.median, '<= 5', (v) => v <= 5],
  ['peer non-inference ms per 1k tokens (10k, wall)', sb?.[10000]?.peer.nonInferPer1k.median, '(info)', null],
  ['ours default vs peer default, 1k tokens (x faster, wall)', sb?.[1000]?.speedupDefault.median, '>= 5', (v) => v >= 5],
  ['ours default vs peer default, 10k tokens (x faster, wall)', sb?.[10000]?.speedupDefault.median, '>= 5', (v) => v >= 5],
  ['  ours default vs peer default, 10k, CPU time', sb?.[10000]?.speedupDefaultCpu.median, '>= 5', (v) => v >= 5],
  ['2k tokens, default model, 1 thread, warm (ms, wall)', o1[2000]?.total.median, '< 250', (v) => v < 250],
  ['  2k tokens, CPU ms', o1[2000]?.cpu.median, '< 250', (v) => v < 250],
  ['cold start: import to first result, 200 tokens (ms)', coldS.n ? coldS.median : undefined, '< 1500', (v) => v < 1500],
  ['peak RSS compressing 50k tokens (MB)', m50?.peakRssMB, '< 96', (v) => v < 96],
  ['wasm heaps (core + ORT) after 50k tokens (MB)', m50?.wasmHeapMB.total, '< 96', (v) => v < 96],
  ['kept-word agreement with the peer, 10k (Dice of LCS)', sb?.[10000]?.agreement.dice, '(near 1)', null],
];

const lines = [];
const say = (x = '') => lines.push(x);
const ms = (x) => (x === undefined ? '-' : x.median.toFixed(1));
say(`# mooscomp end-to-end, Node ${process.version}, onnxruntime-web ${ortVersion} (both sides), rate ${RATE}`);
say(`default model: ${defaultModel}${defaultModel.includes('default-size') ? ' (random-weight 4x256 int8 stand-in)' : ''}`);
say(`corpus: ${source.name}; load average at the steps: ${load.map((l) => l.loadavg1).join(', ')} on ${load[0].cpus} cores`);
say('times: median (± half the range, n runs); wall clock unless marked CPU (this process\'s CPU time)');
say();
say(`cold start (fresh process, import -> first result, 200 tokens): ${fmt(coldS)}; from process start ${fmt(summarize(cold.filter((c) => !c.failed).map((c) => c.fromProcessStart)))}`);
if (coldS.n) say(`  import ${fmt(summarize(cold.map((c) => c.importMs)))}, createCompressor ${fmt(summarize(cold.map((c) => c.createMs)))}, first compress ${fmt(summarize(cold.map((c) => c.firstCompressMs)))}`);
for (const threads of [1, 2]) {
  say();
  if (ours[threads].failed) {
    say(`ours, ${threads} ORT thread(s): FAILED: ${ours[threads].failed}`);
    continue;
  }
  say(`ours, default model, ${threads} ORT thread(s), ms:`);
  say('  tokens  windows  total                      CPU      tokenise+chunk  session.run  glue  post   non-infer/1k (CPU)  peakRSS MB  wasm MB');
  for (const r of Object.values(ours[threads].sizes)) {
    say(`  ${String(r.modelTokens).padEnd(7)} ${String(r.windows).padEnd(8)} ${fmt(r.total).padEnd(26)} ${ms(r.cpu).padEnd(8)} ${ms(r.tokenize).padEnd(15)} ${ms(r.run).padEnd(12)} ${ms(r.glue).padEnd(5)} ${ms(r.select).padEnd(6)} ${`${r.nonInferPer1k.median.toFixed(2)} (${r.nonInferCpuPer1k.median.toFixed(2)})`.padEnd(19)} ${r.peakRssMB.toFixed(0).padEnd(11)} ${r.wasmHeapMB.total.toFixed(0)} (core ${r.wasmHeapMB.core.toFixed(0)})`);
  }
}
say();
if (m50) say(`peak memory, fresh process, 50k tokens once: RSS ${m50.peakRssMB.toFixed(1)} MB (${memory.peakRssAfterCreateMB.toFixed(1)} MB already after createCompressor), wasm heaps ${m50.wasmHeapMB.total.toFixed(1)} MB (core ${m50.wasmHeapMB.core.toFixed(1)}, ORT ${m50.wasmHeapMB.ort.toFixed(1)})`);
for (const [threads, s] of Object.entries(side)) {
  say();
  if (s.failed) {
    say(`side by side, ${threads} thread(s): FAILED: ${s.failed}`);
    continue;
  }
  say(`side by side, ${threads} thread(s), same process, interleaved; peer = @atjsh/llmlingua-2 on a random-weight 4x312 fp32 BERT (bert-base-uncased vocab)`);
  for (const e of Object.values(s.sizes)) {
    say(`  ${e.modelTokens} tokens:`);
    for (const name of ['ours-fp32', 'ours-default', 'peer']) {
      const c = e[name];
      say(`    ${name.padEnd(13)} total ${fmt(c.total).padEnd(26)} CPU ${ms(c.cpu).padEnd(8)} session.run ${c.run.median.toFixed(0).padEnd(7)} non-infer ${c.nonInfer.median.toFixed(1)} ms = ${c.nonInferPer1k.median.toFixed(2)} ms/1k (CPU ${c.nonInferCpuPer1k.median.toFixed(2)})`);
    }
    say(`    peer/ours: same model ${fmt(e.speedupFp32, 'x', 2)} (CPU ${e.speedupFp32Cpu.median.toFixed(2)}x); each at its default ${fmt(e.speedupDefault, 'x', 2)} (CPU ${e.speedupDefaultCpu.median.toFixed(2)}x)`);
    const a = e.agreement;
    say(`    kept words: ours ${a.oursUnits}, peer ${a.peerUnits} of ${a.originalUnits}; agreement (Dice of LCS) ${a.dice.toFixed(3)}`);
  }
}
say();
say('targets:');
const summary = { bench: 'e2e-node', seconds: Math.round((performance.now() - started) / 1000), loadavg: load.map((l) => l.loadavg1), targets: {} };
for (const [name, value, want, ok] of targets) {
  const v = value === undefined ? 'n/a' : Number(value.toFixed(3));
  const verdict = value === undefined || !ok ? '' : ok(value) ? 'MET' : 'MISSED';
  say(`  ${name.padEnd(66)} ${String(v).padEnd(9)} want ${want.padEnd(9)} ${verdict}`);
  summary.targets[name.trim()] = { value: v, want, verdict };
}
console.log(lines.join('\n'));
writeFileSync(`${OUT}e2e-node.json`, JSON.stringify({ defaultModel, corpus: source.name, load, cold, ours, memory, side, summary }, null, 1));
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
