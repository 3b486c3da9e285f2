#!/usr/bin/env node
// Soak run (not a test): many compress() calls of varied input on several compressors at
// once, with compressors created and disposed along the way, printing memory (process RSS,
// JS heap, and the live WebAssembly memories: the cores' and onnxruntime-web's) at
// intervals. Memory that keeps growing after the warm-up is a leak.
//
//   nice node --expose-gc scripts/soak.mjs [--calls 10000] [--every 500] [--compressors 3]
//                    [--recycle 1000] [--default-every 25] [--long-every 10] [--seed 1]
//
// Mostly the fixture model (fast); every --default-every-th call goes to the default model.
// Every --recycle calls one fixture compressor is disposed and a new one created.
// In each round every compressor gets one call, which is
// - plain (most): varied input and options; it must succeed;
// - hostile (1 in 5): an input or options meant to break it (HOSTILE below); it must give a
//   result or reject with a MooscompError that has a code (for some, a given code);
// - aborted by a timer (1 in 4): AbortSignal.timeout(ms), or a setTimeout that calls
//   controller.abort(), after 0-40 ms; it must give a result or reject with code ABORTED.
//   Measured: the time from the timer firing to the rejection, and how late timers fire.
// Every --long-every rounds the first compressor gets a long text instead and, while it runs,
// short texts go to the same compressor (their batches take turns with the long one's) and to
// one of their own (sharing onnxruntime-web's queue with it), and one short call on the same
// compressor is aborted by a timer. Measured: how long the short calls wait (their latency
// less that of the same call alone, measured at the start), and that abort's latency.
// Any other outcome is a failure (exit code 1). The figures are printed at the end.
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
const { createCompressor, MooscompError } = await import('../js/src/index.js');

function parseArgs(argv) {
  const args = { calls: 10000, every: 500, compressors: 3, recycle: 1000, defaultEvery: 25, longEvery: 10, seed: 1 };
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

// Hostile calls: {name, input, options, method, code}. `code`: the only acceptable
// outcome, a rejection with that code; without it, a result or any MooscompError will do.
const CONTROL = Array.from({ length: 2048 }, (_, i) => String.fromCharCode(i % 32)).join('') + '\x7f\x85\u2028\u2029\ufeff\u200b';
const HOSTILE = [
  { name: 'empty', input: () => '' },
  { name: 'empty contexts', input: () => ['', '', ''] },
  { name: 'no contexts', input: () => [], code: 'INVALID_ARGUMENT' },
  { name: 'emoji only', input: () => '👩‍👩‍👧🇩🇪😀'.repeat(800) },
  { name: 'CJK without spaces', input: () => '会議は午後三時に始まります予算は計画です'.repeat(400) },
  { name: 'control characters', input: () => CONTROL },
  { name: 'NUL bytes', input: () => 'a\0b\0 '.repeat(2000) },
  { name: 'lone high surrogate', input: () => 'abc \ud83d def', code: 'INVALID_UTF8' },
  { name: 'lone low surrogate in a context', input: () => ['fine', '\ude00'], code: 'INVALID_UTF8' },
  { name: 'invalid UTF-8 bytes', input: () => new Uint8Array([0x61, 0xff, 0xc0, 0x80]), code: 'INVALID_UTF8' },
  { name: 'huge single word', input: () => 'x'.repeat(200_000) },
  { name: 'a, 50000 spaces, b', input: () => 'a' + ' '.repeat(50_000) + 'b' },
  { name: 'markup fragment', input: () => '<llmlingua, compress=False>' },
  { name: 'markup fragment, LLMLingua-2 API', input: () => '<llmlingua, compress=False>', method: 'compress_prompt' },
  { name: 'unclosed markup, structured', input: () => '<llmlingua, compress=False>', method: 'structured_compress_prompt', code: 'INVALID_ARGUMENT' },
  { name: 'stray closing tag, structured', input: () => '</llmlingua><llmlingua, rate=2>x', method: 'structured_compress_prompt', code: 'INVALID_ARGUMENT' },
  { name: 'markup, structured', input: () => '<llmlingua, compress=False>keep this</llmlingua> and <llmlingua, rate=0.3>compress this text here</llmlingua>', method: 'structured_compress_prompt' },
  { name: 'not text', input: () => 42, code: 'INVALID_ARGUMENT' },
  { name: 'a hole in the contexts', input: () => [, 'a'], code: 'INVALID_ARGUMENT' }, // eslint-disable-line no-sparse-arrays
  { name: 'rate 2', options: { rate: 2 }, code: 'INVALID_ARGUMENT' },
  { name: 'rate NaN', options: { rate: NaN }, code: 'INVALID_ARGUMENT' },
  { name: 'negative targetTokens', options: { targetTokens: -5 }, code: 'INVALID_ARGUMENT' },
  { name: 'forceTokens not a list', options: { forceTokens: 'x' }, code: 'INVALID_ARGUMENT' },
  { name: '101 force tokens', options: { forceTokens: Array.from({ length: 101 }, (_, i) => `t${i}`) }, code: 'INVALID_ARGUMENT' },
  { name: 'unknown option', options: { bogus: 1 }, code: 'INVALID_ARGUMENT' },
  { name: 'unknown outlier', options: { outlier: 'max' }, code: 'INVALID_ARGUMENT' },
  { name: 'options not an object', options: 'fast', code: 'INVALID_ARGUMENT' },
  { name: 'signal not a signal', options: { signal: {} }, code: 'INVALID_ARGUMENT' },
  { name: 'onProgress not a function', options: { onProgress: 5 }, code: 'INVALID_ARGUMENT' },
];

const SHORT = 'Alice met Bob on 3 May 2021 to review the budget of 45,000 dollars. They agreed to cut travel.';
const LONG = (meeting + '\n').repeat(16); // ~100 KB, ~25k tokens

const mb = (n) => (n / 2 ** 20).toFixed(1);
const ms = (n) => `${n.toFixed(1)} ms`;
const sleep = (t) => new Promise((resolve) => setTimeout(resolve, t));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => (xs.length ? `median ${ms(median(xs))}, max ${ms(Math.max(...xs))} (${xs.length})` : 'none');

function memory() {
  const live = instances.map((r) => r.deref()).filter(Boolean);
  const m = process.memoryUsage();
  const sizes = live.map((mem) => mem.buffer.byteLength);
  return { rss: m.rss, heap: m.heapUsed, external: m.external, wasm: sizes.reduce((a, b) => a + b, 0), instances: live.length, sizes };
}

function report(label, done, t0) {
  globalThis.gc?.();
  const m = memory();
  console.log(`${label.padEnd(6)} calls ${String(done).padStart(6)}  ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s  ` +
    `rss ${mb(m.rss).padStart(7)} MB  heap ${mb(m.heap).padStart(6)} MB  external ${mb(m.external).padStart(6)} MB  ` +
    `wasm ${mb(m.wasm).padStart(7)} MB in ${m.instances} memories`);
  return m;
}

// What the calls did: outcomes by code, failures, and the measured waits.
const stats = {
  kinds: { plain: 0, hostile: 0, aborted: 0, long: 0, short: 0 },
  outcomes: new Map(), // 'ok' or an error code -> count
  failures: 0,
  abortLatency: [], // timer fired -> the call rejected
  timerLate: [], // the timer's due time -> it fired
  firedButFinished: 0, // the timer fired, the call still resolved (fired during its last step)
  longMs: [],
  waitSame: [], // short calls on the long call's compressor
  waitOther: [], // short calls on another compressor while the long one runs
  besideLongAbortLatency: [], // a short call beside the long one: its timer fired -> it rejected
};

function outcome(code) {
  stats.outcomes.set(code, (stats.outcomes.get(code) ?? 0) + 1);
}

function fail(what, detail) {
  stats.failures++;
  console.error(`call failed (${what}): ${detail && detail.stack ? detail.stack : detail}`);
}

// A rejection that is a MooscompError with a code; anything else is a failure.
function typed(what, err) {
  if (err instanceof MooscompError && typeof err.code === 'string') {
    outcome(err.code);
    return true;
  }
  outcome('untyped');
  fail(what, err);
  return false;
}

async function plainCall(c, input, options) {
  stats.kinds.plain++;
  try {
    await c.compress(input, options);
    outcome('ok');
  } catch (err) {
    outcome(err?.code ?? 'untyped');
    fail('plain', err);
  }
}

async function hostileCall(c, { name, input = () => meeting, options, method = 'compress', code }) {
  stats.kinds.hostile++;
  try {
    await c[method](input(), options);
    outcome('ok');
    if (code) fail(`hostile "${name}"`, `resolved, expected ${code}`);
  } catch (err) {
    if (typed(`hostile "${name}"`, err) && code && err.code !== code) fail(`hostile "${name}"`, `${err.code}, expected ${code}: ${err.message}`);
  }
}

// A signal that a timer aborts after `delay` ms, either way; firedAt() is when it did.
function timerSignal(delay, byTimeout) {
  let firedAt;
  let timer;
  let signal;
  if (byTimeout) {
    signal = AbortSignal.timeout(delay);
  } else {
    const controller = new AbortController();
    signal = controller.signal;
    timer = setTimeout(() => controller.abort(), delay);
  }
  const due = performance.now() + delay;
  signal.addEventListener('abort', () => { firedAt = performance.now(); }, { once: true });
  return { signal, due, firedAt: () => firedAt, clear: () => clearTimeout(timer) };
}

// A call aborted by a timer: resolves, or rejects ABORTED after the timer fired. into: where
// the latency goes.
async function abortedCall(c, input, options, delay, byTimeout, into = stats.abortLatency) {
  const timer = timerSignal(delay, byTimeout);
  try {
    await c.compress(input, { ...options, signal: timer.signal });
    outcome('ok');
    if (timer.firedAt() !== undefined) stats.firedButFinished++;
  } catch (err) {
    const at = performance.now();
    if (!typed('aborted by a timer', err)) return;
    if (err.code !== 'ABORTED') return fail('aborted by a timer', `${err.code}: ${err.message}`);
    if (timer.firedAt() === undefined) return fail('aborted by a timer', 'ABORTED before its timer fired');
    into.push(at - timer.firedAt());
    stats.timerLate.push(timer.firedAt() - timer.due);
  } finally {
    timer.clear();
  }
}

// A short call's wait: its latency less `alone`, the median latency of the call by itself
// (its timings include the turns it waited for between batches).
let alone = 0;

async function shortCall(c, into) {
  stats.kinds.short++;
  const t = performance.now();
  try {
    await c.compress(SHORT, { rate: 0.5 });
    outcome('ok');
    into.push(performance.now() - t - alone);
  } catch (err) {
    outcome(err?.code ?? 'untyped');
    fail('short', err);
  }
}

// A long call on `same`, and while it runs short calls on `same` and on `other`, started
// 0-30 ms apart, plus one short call on `same` that a timer aborts after 10 ms.
async function longWithShorts(same, other, random) {
  stats.kinds.long++;
  const t = performance.now();
  const long = same.compress(LONG, { rate: 0.5 }).then(() => {
    outcome('ok');
    stats.longMs.push(performance.now() - t);
  }, (err) => fail('long', err));
  const shorts = [];
  await sleep(5);
  for (let i = 0; i < 3; i++) {
    shorts.push(shortCall(same, stats.waitSame), shortCall(other, stats.waitOther));
    await sleep(random() * 30);
  }
  stats.kinds.aborted++;
  shorts.push(abortedCall(same, SHORT, { rate: 0.5 }, 10, random() < 0.5, stats.besideLongAbortLatency));
  await Promise.all([long, ...shorts]);
  return 1 + shorts.length;
}

const args = parseArgs(process.argv.slice(2));
const random = rng(args.seed);
const pick = (list) => list[Math.floor(random() * list.length)];
const fixture = fileURLToPath(new URL('models/fixture/', `file://${ROOT}`));
const pool = [];
for (let i = 0; i < args.compressors; i++) pool.push(await createCompressor({ model: fixture }));
const defaultModel = await createCompressor();
const bystander = await createCompressor({ model: fixture }); // the short calls' own compressor
const aloneMs = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  await bystander.compress(SHORT, { rate: 0.5 });
  aloneMs.push(performance.now() - t);
}
alone = median(aloneMs.slice(2)); // after two warm-up calls

const t0 = performance.now();
const first = report('start', 0, t0);
let done = 0;
let rounds = 0;
let created = args.compressors + 2;
let warm;
let last = first;
while (done < args.calls) {
  // One round: a call on every compressor at once (and the default model now and then).
  const long = rounds++ % args.longEvery === args.longEvery - 1;
  const round = pool.map((c, i) => {
    if (long && i === 0) return () => longWithShorts(c, bystander, random);
    const kind = random();
    const input = pick(INPUTS)();
    const options = pick(OPTIONS);
    if (kind < 0.2) {
      const hostile = pick(HOSTILE);
      return () => hostileCall(c, hostile).then(() => 1);
    }
    if (kind < 0.45) {
      stats.kinds.aborted++;
      const delay = Math.floor(random() * 40);
      const byTimeout = random() < 0.5;
      return () => abortedCall(c, input, options, delay, byTimeout).then(() => 1);
    }
    return () => plainCall(c, input, options).then(() => 1);
  });
  if (Math.floor(done / args.defaultEvery) !== Math.floor((done + round.length) / args.defaultEvery)) {
    const input = INPUTS[Math.floor(random() * 4)]();
    round.push(() => plainCall(defaultModel, input, { rate: 0.5 }).then(() => 1));
  }
  const counts = await Promise.all(round.map((call) => call()));
  const before = done;
  done += counts.reduce((a, b) => a + b, 0);
  if (Math.floor(before / args.recycle) !== Math.floor(done / args.recycle)) {
    const i = Math.floor(random() * pool.length);
    await pool[i].dispose();
    pool[i] = await createCompressor({ model: fixture });
    created++;
  }
  if (Math.floor(before / args.every) !== Math.floor(done / args.every)) {
    last = report('at', done, t0);
    warm ??= last; // the first interval is the warm-up baseline
  }
}
last = report('last', done, t0);
await Promise.all([...pool, defaultModel, bystander].map((c) => c.dispose()));
const end = report('end', done, t0);

const { kinds } = stats;
console.log(`soak: ${done} calls (${kinds.plain} plain, ${kinds.hostile} hostile, ${kinds.aborted} aborted by a timer, ` +
  `${kinds.long} long with ${kinds.short} short beside them), ${stats.failures} failed, ` +
  `${created} compressors created and disposed, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
console.log(`outcomes: ${[...stats.outcomes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ')}`);
console.log(`timer aborts: rejected ${spread(stats.abortLatency)} after the timer fired; timers fired late by ` +
  `${spread(stats.timerLate)}; ${stats.firedButFinished} calls finished although their timer had fired`);
console.log(`while a long call runs (${spread(stats.longMs)}), a short call (alone ${ms(alone)}): on the long call's compressor it waits ${spread(stats.waitSame)}; ` +
  `on another compressor ${spread(stats.waitOther)}; a short call beside it aborted by a timer rejects ${spread(stats.besideLongAbortLatency)} after it fired`);
console.log(`memory: rss ${mb(first.rss)} MB at the start, ${warm ? `${mb(warm.rss)} MB after the warm-up, ` : ''}${mb(last.rss)} MB at the end ` +
  `(${mb(end.rss)} MB after dispose); wasm ${mb(first.wasm)} -> ${mb(last.wasm)} MB`);
// A compressor's wasm memory never shrinks: it grows to the largest input it has seen, so
// sizes that stop growing are a high-water mark; one that keeps growing is a leak.
const sizes = (m) => m.sizes.map((n) => mb(n)).join(', ');
console.log(`wasm memories (MB): ${warm ? `after the warm-up ${sizes(warm)}; ` : ''}at the end ${sizes(last)}`);
if (warm) {
  console.log(`growth after warm-up (first interval -> last interval before dispose): ` +
    `rss ${mb(last.rss - warm.rss)} MB, heap ${mb(last.heap - warm.heap)} MB, wasm ${mb(last.wasm - warm.wasm)} MB`);
}
process.exitCode = stats.failures ? 1 : 0;
