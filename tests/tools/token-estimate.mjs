// The core's target-token estimate against exact tiktoken cl100k_base counts, per genre
// (tests/data/token-estimate/). Prints the error table; `--write` regenerates counts.json
// with js-tiktoken (offline: the ranks ship in the package).
//   node tests/tools/token-estimate.mjs [--write]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATA = fileURLToPath(new URL('../data/token-estimate/', import.meta.url));
const COUNTS = `${DATA}counts.json`;

// {name: text} for every sample file.
export function readSamples() {
  const out = {};
  for (const f of readdirSync(DATA).sort()) if (f !== 'counts.json') out[f] = readFileSync(`${DATA}${f}`, 'utf8');
  return out;
}

export function readCounts() {
  return JSON.parse(readFileSync(COUNTS, 'utf8'));
}

export async function exactCounts(samples) {
  const { Tiktoken } = await import('js-tiktoken/lite');
  const { default: ranks } = await import('js-tiktoken/ranks/cl100k_base');
  const enc = new Tiktoken(ranks);
  return Object.fromEntries(Object.entries(samples).map(([f, t]) => [f, enc.encode(t).length]));
}

// [{file, exact, estimate, error}] with error = estimate / exact - 1.
export function errorTable(samples, exact, estimate) {
  return Object.keys(samples).map((file) => {
    const est = estimate(samples[file]);
    return { file, exact: exact[file], estimate: est, error: est / exact[file] - 1 };
  });
}

async function main() {
  const samples = readSamples();
  if (process.argv.includes('--write')) {
    const counts = { encoding: 'cl100k_base', counts: await exactCounts(samples) };
    writeFileSync(COUNTS, `${JSON.stringify(counts, null, 2)}\n`);
    console.log(`wrote ${COUNTS}`);
    return;
  }
  const { loadCore } = await import('../../js/src/core.js');
  const core = await loadCore();
  const rows = errorTable(samples, readCounts().counts, (t) => core.estimateTargetTokens(t));
  const pct = (x) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
  console.log('sample'.padEnd(20), 'cl100k'.padStart(7), 'estimate'.padStart(9), 'error'.padStart(8));
  for (const r of rows) console.log(r.file.padEnd(20), String(r.exact).padStart(7), String(r.estimate).padStart(9), pct(r.error).padStart(8));
  const mae = rows.reduce((n, r) => n + Math.abs(r.error), 0) / rows.length;
  console.log(`mean absolute error ${(100 * mae).toFixed(1)}%`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
