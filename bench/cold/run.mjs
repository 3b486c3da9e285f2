// Cold start in Node, phase by phase, each run a fresh process (phases.mjs): where the time
// from `import` to the first result goes, beside onnxruntime-web alone (the floor), and how
// long a process lives after its last line (exit lag: wall time minus the child's own clock).
//   node bench/cold/run.mjs [--runs 5] [--model DIR] [--words 150]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt, machineLoad, summarize } from '../e2e/stats.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const runs = Number(opt('--runs', 5));
const model = opt('--model', path('../../models/default'));
const words = Number(opt('--words', 150));

mkdirSync(path('../out/'), { recursive: true });
const textFile = path('../out/cold-text.txt');
writeFileSync(textFile, readFileSync(path('../../examples/meeting.txt'), 'utf8').split(/\s+/).slice(0, words).join(' '));

function child(mode, extra = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path('./phases.mjs'), JSON.stringify({ mode, model, text: textFile, ...extra })], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`${mode} failed: ${r.stderr.slice(-500)}`);
  const result = JSON.parse(line.slice(7));
  return { ...result, wall, exitLag: wall - result.end };
}

const load = [await machineLoad()];
const rows = { ours: [], whole: [], floor: [] };
for (let i = 0; i < runs; i++) {
  // Interleaved, so that a change in the machine's load touches every mode alike.
  const ours = child('ours');
  rows.ours.push(ours);
  rows.whole.push(child('whole'));
  rows.floor.push(child('floor', { tokens: ours.modelTokens }));
}
load.push(await machineLoad());

const keys = (mode) => Object.keys(rows[mode][0]).filter((k) => k !== 'modelTokens');
const table = {};
for (const mode of Object.keys(rows)) {
  table[mode] = Object.fromEntries(keys(mode).map((k) => [k, summarize(rows[mode].map((r) => r[k]))]));
}
const whole = summarize(rows.whole.map((r) => r.import + r.create + r.firstResult));
const floor = summarize(rows.floor.map((r) => r.import + r.files + r.session + r.firstRun));

console.log(`cold start, Node ${process.version}, ${rows.ours[0].modelTokens} model tokens, ${runs} fresh processes per mode, load ${load.map((l) => l.loadavg1).join(' -> ')} on ${load[0].cpus} cpus`);
for (const mode of Object.keys(rows)) {
  console.log(`\n${mode}`);
  for (const [k, s] of Object.entries(table[mode])) console.log(`  ${k.padEnd(16)} ${fmt(s)}`);
}
console.log(`\nimport to first result: ours ${fmt(whole)}, ORT alone ${fmt(floor)} (x${(whole.median / floor.median).toFixed(2)})`);
console.log(`process lives after its last line: ours ${fmt(table.whole.exitLag)}, ORT alone ${fmt(table.floor.exitLag)}`);
writeFileSync(path('../out/cold-start.json'), JSON.stringify({ rows, table, load }, null, 1));
console.log(`BENCH_SUMMARY ${JSON.stringify({ importToResultMs: whole.median, ortFloorMs: floor.median, exitLagMs: table.whole.exitLag.median })}`);
