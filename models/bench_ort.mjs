// Single-threaded onnxruntime-web inference time for N tokens under Node.
// usage: node models/bench_ort.mjs MODEL.onnx [--tokens 2000] [--window 510] [--batch] [--runs 7]
// The tokens are split into windows of `window` real tokens plus CLS/SEP (as the core chunks
// them); windows run one at a time (unpadded) unless --batch, which pads them into one batch.
// Prints JSON: {median_ms, min_ms, runs_ms, windows} (min is the robust figure on a busy machine).
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i < 0 ? def : Number(args[i + 1]); };
const tokens = opt('--tokens', 2000), window = opt('--window', 510), runs = opt('--runs', 7);
const batch = args.includes('--batch');
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(readFileSync(args[0]));

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
const once = async () => { for (const f of feeds) await session.run(f); };
await once(); await once();  // warm-up: the first runs are slow (tier-up)
const ms = [];
for (let i = 0; i < runs; i++) { const t0 = performance.now(); await once(); ms.push(performance.now() - t0); }
const sorted = [...ms].sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: +sorted[sorted.length >> 1].toFixed(1), min_ms: +sorted[0].toFixed(1), runs_ms: ms.map((x) => +x.toFixed(1)), windows: lengths }));
