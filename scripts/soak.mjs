#!/usr/bin/env node
// Soak run (not a test): many compress() calls of varied input on several compressors at
// once, with compressors created and disposed along the way, printing memory (process RSS,
// JS heap, and the live WebAssembly memories: the cores' and onnxruntime-web's) at
// intervals. Memory that keeps growing after the warm-up is a leak.
//
//   nice node scripts/soak.mjs [--calls 10000] [--every 500] [--compressors 3]
//                              [--recycle 1000] [--default-every 25] [--seed 1]
//
// Mostly the fixture model (fast); every --default-every-th call goes to the default model.
// Every --recycle calls one fixture compressor is disposed and a new one created.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

// Every WebAssembly instance started from here on, held weakly: disposed ones drop out.
const instances = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const out = await instantiate.apply(this, args);
  const instance = out instanceof WebAssembly.Instance ? out : out.instance;
  // Emscripten exports its memory; ORT's threaded build imports a shared one.
  const imported = Object.values(args[1] || {}).flatMap((mod) => (mod && typeof mod === 'object' ? Object.values(mod) : []));
  const memory = [...Object.values(instance.exports), ...imported].find((e) => e instanceof WebAssembly.Memory);
  if (memory) instances.push(new WeakRef(memory));
  return out;
};
const { createCompressor } = await import('../js/src/index.js');

function parseArgs(argv) {
  const args = { calls: 10000, every: 500, compressors: 3, recycle: 1000, defaultEvery: 25, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([a-z-]+)(?:=(.*))?$/);
    if (!m) throw new Error(`unknown argument ${argv[i]}`);
    const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in args)) throw new Error(`unknown option --${m[1]}`);
    args[key] = Number(m[2] ?? argv[++i]);
    if (!Number.isSafeInteger(args[key]) || args[key] < 1) throw new Error(`--${m[1]} must be a positive integer`);
  }
  return args;
}

// Deterministic choices (xorshift32).
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

const meeting = readFileSync(new URL('examples/meeting.txt', `file://${ROOT}`), 'utf8');
const gsm = readFileSync(new URL('examples/gsm8k-cot.txt', `file://${ROOT}`), 'utf8');
const INPUTS = [
  () => 'The answer is 61.',
  () => meeting,
  () => gsm,
  () => meeting.slice(0, 2000),
  () => [gsm.slice(0, 800), meeting.slice(0, 800), 'Question: what is 3.5% of $4.2M?'],
  () => '会議は午後三時に始まります。予算は二〇二四年度の計画です。 한국어 문장도 있습니다. ภาษาไทยไม่มีช่องว่าง',
  () => 'Emoji 👩‍👩‍👧 and flags 🇩🇪 mixed with text, v1.2.3, https://example.org/a?b=1 and a@b.co.',
  () => '.'.repeat(3000),
  () => (meeting + '\n').repeat(8), // ~20 KB
  () => '',
  () => '   \n\t  ',
];
const OPTIONS = [
  {},
  { rate: 0.33 },
  { rate: 0.7, forceTokens: ['\n', '?', '.'] },
  { targetTokens: 40 },
  { rate: 0.5, scope: 'global', dropConsecutive: true },
  { rate: 0.5, forceReserveDigit: true, wordScore: 'first' },
  { rate: 0.4, useContextLevelFilter: true, contextLevelRate: 0.7 },
  { threshold: 0.6 },
];

const mb = (n) => (n / 2 ** 20).toFixed(1);

function memory() {
  const live = instances.map((r) => r.deref()).filter(Boolean);
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external, wasm: live.reduce((s, mem) => s + mem.buffer.byteLength, 0), instances: live.length };
}

function report(label, done, t0) {
  globalThis.gc?.();
  const m = memory();
  console.log(`${label.padEnd(6)} calls ${String(done).padStart(6)}  ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s  ` +
    `rss ${mb(m.rss).padStart(7)} MB  heap ${mb(m.heap).padStart(6)} MB  external ${mb(m.external).padStart(6)} MB  ` +
    `wasm ${mb(m.wasm).padStart(7)} MB in ${m.instances} memories`);
  return m;
}

const args = parseArgs(process.argv.slice(2));
const random = rng(args.seed);
const fixture = fileURLToPath(new URL('models/fixture/', `file://${ROOT}`));
const pool = [];
for (let i = 0; i < args.compressors; i++) pool.push(await createCompressor({ model: fixture }));
const defaultModel = await createCompressor();

const t0 = performance.now();
const first = report('start', 0, t0);
let done = 0;
let failures = 0;
let created = args.compressors + 1;
let warm;
while (done < args.calls) {
  // One round: a call on every compressor at once (and the default model now and then).
  const round = pool.map((c) => [c, INPUTS[Math.floor(random() * INPUTS.length)](), OPTIONS[Math.floor(random() * OPTIONS.length)]]);
  if (Math.floor(done / args.defaultEvery) !== Math.floor((done + round.length) / args.defaultEvery)) {
    round.push([defaultModel, INPUTS[Math.floor(random() * 4)](), { rate: 0.5 }]);
  }
  const results = await Promise.allSettled(round.map(([c, input, options]) => c.compress(input, options)));
  for (const r of results) {
    if (r.status === 'rejected') {
      failures++;
      console.error(`call failed: ${r.reason && r.reason.stack}`);
    }
  }
  const before = done;
  done += round.length;
  if (Math.floor(before / args.recycle) !== Math.floor(done / args.recycle)) {
    const i = Math.floor(random() * pool.length);
    await pool[i].dispose();
    pool[i] = await createCompressor({ model: fixture });
    created++;
  }
  if (Math.floor(before / args.every) !== Math.floor(done / args.every)) {
    const m = report('at', done, t0);
    warm ??= m; // the first interval is the warm-up baseline
  }
}
await Promise.all([...pool, defaultModel].map((c) => c.dispose()));
const end = report('end', done, t0);
console.log(`soak: ${done} calls, ${failures} failed, ${created} compressors created and disposed, ` +
  `${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (warm) {
  console.log(`growth after warm-up (first interval -> last interval before dispose): ` +
    `rss ${mb(end.rss - warm.rss)} MB, heap ${mb(end.heap - warm.heap)} MB, start rss ${mb(first.rss)} MB`);
}
process.exitCode = failures ? 1 : 0;
