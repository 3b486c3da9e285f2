// Single-threaded onnxruntime-web inference time for N tokens under Node.
// usage: node models/node/bench_ort.mjs MODEL.onnx [MODEL2.onnx ...] [--tokens 2000] [--window 510]
//        [--batch] [--runs 7]
// The tokens are split into windows of `window` real tokens plus CLS/SEP (as the core chunks
// them); windows run one at a time (unpadded) unless --batch, which pads them into one batch.
// With several models, all sessions live in this one process and their runs are interleaved
// (round robin, the same inputs), so a busy machine slows them alike; each later model gets
// its ratio to the first (min over min, median over median).
// Prints one JSON line per model: {model, ort, median_ms, min_ms, create_ms, runs_ms, windows[, vs_first]}
// (min is the robust figure on a busy machine).
import { readFileSync } from 'node:fs';
import { ort, ortVersion } from './package_ort.mjs';

const args = process.argv.slice(2);
const VALUED = new Set(['--tokens', '--window', '--runs']);
const opt = (name, def) => { const i = args.indexOf(name); return i < 0 ? def : Number(args[i + 1]); };
const tokens = opt('--tokens', 2000), window = opt('--window', 510), runs = opt('--runs', 7);
const batch = args.includes('--batch');
const models = args.filter((a, i) => !a.startsWith('--') && !VALUED.has(args[i - 1]));
if (!models.length) throw new Error('usage: node models/node/bench_ort.mjs MODEL.onnx [MODEL2.onnx ...] [--tokens N]');
ort.env.wasm.numThreads = 1;
const bytes = models.map((m) => readFileSync(m));
const sessions = [];
for (const b of bytes) sessions.push(await ort.InferenceSession.create(b));
// Session creation (graph optimisation, constant folding, weight prepacking), once ORT has
// started: fastest of 3, interleaved.
const createMs = bytes.map(() => Infinity);
for (let i = 0; i < 3; i++) {
  for (const [k, b] of bytes.entries()) {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(b);
    createMs[k] = Math.min(createMs[k], performance.now() - t0);
    await s.release();
  }
}

let seed = 1;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const lengths = [];
for (let left = tokens; left > 0; left -= window) lengths.push(Math.min(window, left) + 2);
const rows = lengths.map((n) => Array.from({ length: n }, (_, i) => (i === 0 ? 2 : i === n - 1 ? 3 : 4 + Math.floor(rand() * 500))));
const feed = (rs) => {
  const width = Math.max(...rs.map((r) => r.length));
  const ids = new BigInt64Array(rs.length * width), mask = new BigInt64Array(rs.length * width);
  rs.forEach((r, b) => r.forEach((v, t) => { ids[b * width + t] = BigInt(v); mask[b * width + t] = 1n; }));
  return { input_ids: new ort.Tensor('int64', ids, [rs.length, width]),
           attention_mask: new ort.Tensor('int64', mask, [rs.length, width]) };
};
const feeds = batch ? [feed(rows)] : rows.map((r) => feed([r]));
const once = async (session) => { for (const f of feeds) await session.run(f); };
for (const s of sessions) { await once(s); await once(s); }  // warm-up: the first runs are slow (tier-up)
const ms = sessions.map(() => []);
for (let i = 0; i < runs; i++) {
  for (const [k, s] of sessions.entries()) { const t0 = performance.now(); await once(s); ms[k].push(performance.now() - t0); }
}
const stats = ms.map((m) => { const s = [...m].sort((a, b) => a - b); return { median: s[s.length >> 1], min: s[0] }; });
for (const [k, m] of ms.entries()) {
  const line = { model: models[k], ort: ortVersion, median_ms: +stats[k].median.toFixed(1), min_ms: +stats[k].min.toFixed(1),
                 create_ms: +createMs[k].toFixed(1),
                 runs_ms: m.map((x) => +x.toFixed(1)), windows: lengths };
  if (k > 0) line.vs_first = { min: +(stats[k].min / stats[0].min).toFixed(3), median: +(stats[k].median / stats[0].median).toFixed(3) };
  console.log(JSON.stringify(line));
}
