// How every browser test and benchmark starts Chromium: Debian's binary (never a
// downloaded one) with the flags that keep it off the network in this closed environment.
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Why a Chromium test cannot run here (a string), or false: no Chromium, no built core, a
// file it needs is missing, or no playwright-core. `needs` maps a file to the hint printed
// when it is missing.
export async function chromiumSkipReason(root, needs = {}) {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`;
  const required = { 'js/dist/mooscomp-core.wasm': 'js/dist is not built: run scripts/build.sh first', ...needs };
  for (const [file, hint] of Object.entries(required)) {
    if (!existsSync(join(root, file))) return hint;
  }
  try {
    await import('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm ci at the repository root)';
  }
  return false;
}
