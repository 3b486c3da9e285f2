// Runs the core micro-benchmarks natively and in wasm under Node (Google Benchmark in both),
// and prints them side by side with the derived figures: tokeniser MB/s,
// SIMD vs scalar outlier kernel, post-inference per 512-token window. Times are CPU time
// (the machine is shared). Last line: `BENCH_SUMMARY {json}`.
//   node bench/core/report.mjs [--native build-bench/bench/mooscomp_core_bench]
//                              [--wasm build-wasm-bench/bench/mooscomp_core_bench.cjs] [--quick]
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const root = new URL('../../', import.meta.url).pathname;
const nativeBin = arg('--native', `${root}build-bench/bench/mooscomp_core_bench`);
const wasmBin = arg('--wasm', `${root}build-wasm-bench/bench/mooscomp_core_bench.cjs`);
const minTime = argv.includes('--quick') ? '0.05' : '0.2';
const load = [loadavg()[0]];

function run(cmd, args) {
  const r = spawnSync(cmd, [...args, `--benchmark_min_time=${minTime}`, '--benchmark_repetitions=5',
    '--benchmark_report_aggregates_only=true', '--benchmark_format=json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
  load.push(loadavg()[0]);
  const rows = {};
  for (const b of JSON.parse(r.stdout).benchmarks) {
    if (b.error_occurred) continue;
    const name = b.name.replace(/_(median|mean|stddev|cv)$/, '');
    // Manual-time benchmarks time a part of each iteration themselves: that is their figure.
    const cpu = name.endsWith('/manual_time') ? b.real_time : b.cpu_time;
    if (b.aggregate_name === 'median') rows[name] = { ...rows[name], cpuNs: toNs(cpu, b.time_unit), realNs: toNs(b.real_time, b.time_unit), bytesPerS: b.bytes_per_second, itemsPerS: b.items_per_second, label: b.label };
    if (b.aggregate_name === 'cv') rows[name] = { ...rows[name], cv: b.cpu_time };
    if (b.cv !== undefined) rows[name].cv = b.cv;
  }
  return rows;
}
const toNs = (v, unit) => v * { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[unit];

const have = { native: existsSync(nativeBin), wasm: existsSync(wasmBin) };
const native = have.native ? run(nativeBin, []) : {};
const wasm = have.wasm ? run(process.execPath, [wasmBin]) : {};
if (!have.native) console.log(`(no native binary at ${nativeBin}: build it, see bench/README.md)`);
if (!have.wasm) console.log(`(no wasm binary at ${wasmBin}: build it, see bench/README.md)`);

const us = (ns) => (ns === undefined ? '-' : (ns / 1e3).toFixed(ns < 1e4 ? 2 : 0));
const cv = (r) => (r?.cv === undefined ? '' : `±${(r.cv * 100).toFixed(0)}%`);
const names = [...new Set([...Object.keys(native), ...Object.keys(wasm)])];
console.log(`# core micro-benchmarks, CPU time, median of 5 repetitions (load average ${load.map((l) => l.toFixed(1)).join(', ')})`);
console.log(`${'benchmark'.padEnd(40)} ${'native us'.padStart(12)} ${'wasm us'.padStart(12)}  wasm/native`);
for (const n of names) {
  const a = native[n];
  const b = wasm[n];
  const ratio = a && b ? (b.cpuNs / a.cpuNs).toFixed(2) : '';
  console.log(`${n.padEnd(40)} ${`${us(a?.cpuNs)} ${cv(a)}`.padStart(12)} ${`${us(b?.cpuNs)} ${cv(b)}`.padStart(12)}  ${ratio}`);
}

const summary = { bench: 'core', loadavg: load.map((l) => Number(l.toFixed(2))) };
const mbs = (rows, n) => (rows[n]?.bytesPerS ? Number((rows[n].bytesPerS / 1e6).toFixed(1)) : undefined);
const ratio = (rows, slow, fast) => (rows[slow] && rows[fast] ? Number((rows[slow].cpuNs / rows[fast].cpuNs).toFixed(2)) : undefined);
console.log('\nderived:');
for (const [target, rows] of [['native', native], ['wasm', wasm]]) {
  if (!Object.keys(rows).length) continue;
  const s = (summary[target] = {
    wordpieceMBps: mbs(rows, 'BM_WordPieceEncode'),
    sentencepieceMBps: mbs(rows, 'BM_SentencePieceEncode'),
    simdVsTwin: {}, simdVsPlainScalar: {},
    postInference512us: Object.fromEntries([0, 256, 768].map((h) => [h, Number(us(rows[`BM_PostInference512/${h}/manual_time`]?.cpuNs))])),
    prepare10kUs: Number(us(rows['BM_Prepare/10000']?.cpuNs)),
  });
  for (const h of [256, 384, 768, 1024]) {
    s.simdVsTwin[h] = ratio(rows, `BM_OutlierScalar/${h}`, `BM_OutlierSimd/${h}`);
    s.simdVsPlainScalar[h] = ratio(rows, `BM_OutlierPlainScalar/${h}`, `BM_OutlierSimd/${h}`);
  }
  console.log(`  ${target}: WordPiece ${s.wordpieceMBps} MB/s, SentencePiece ${s.sentencepieceMBps} MB/s; ` +
    `SIMD outlier x faster than the twin ${JSON.stringify(s.simdVsTwin)}, than plain scalar ${JSON.stringify(s.simdVsPlainScalar)}; ` +
    `post-inference of a 512-token window (us, by hidden size, 0 = no outlier) ${JSON.stringify(s.postInference512us)}; Prepare 10k tokens ${s.prepare10kUs} us`);
}
if (wasm['BM_OutlierSimd/768']) {
  const v = summary.wasm.simdVsPlainScalar[768];
  summary.target = { simdVsScalarWasm768: v, twinAsBuilt: summary.wasm.simdVsTwin[768], want: '>= 3', verdict: v >= 3 ? 'MET' : 'MISSED' };
}
mkdirSync(`${root}bench/out`, { recursive: true });
writeFileSync(`${root}bench/out/core.json`, JSON.stringify({ native, wasm, summary }, null, 1));
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
