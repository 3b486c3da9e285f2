// What every browser benchmark needs before it starts: Debian's Chromium and the built core.
// Without them it says why and ends with a BENCH_SUMMARY that records the skip.
import { existsSync } from 'node:fs';
import { CHROMIUM } from '../../tests/support/chromium.mjs';

export function skipBench(bench, why) {
  console.log(`skip: ${why}`);
  console.log(`BENCH_SUMMARY ${JSON.stringify({ bench, skipped: why })}`);
  process.exit(0);
}

export function requireBrowser(bench) {
  if (!existsSync(CHROMIUM)) skipBench(bench, `no Chromium at ${CHROMIUM}`);
  if (!existsSync(new URL('../../js/dist/mooscomp-core.wasm', import.meta.url))) skipBench(bench, 'js/dist is not built (scripts/build.sh)');
}
