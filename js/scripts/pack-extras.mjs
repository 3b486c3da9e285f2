// Writes two files into js/ while `npm pack` / `npm publish` runs, and removes them after:
// - LICENSE, copied from the repository root (one license text for the whole project);
// - types/index.d.cts, the types of require('mooscomp'). A .d.ts in this "type": "module"
//   package is ESM, and a .d.cts re-exporting it fails under `--module node16` (TS1479),
//   so it is a copy of types/index.d.ts, which stays the one source.
//   node scripts/pack-extras.mjs write|clean
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';

const JS = new URL('../', import.meta.url);
const LICENSE = new URL('LICENSE', JS);
const DTS = new URL('types/index.d.ts', JS);
const DCTS = new URL('types/index.d.cts', JS);

async function write() {
  await copyFile(new URL('../LICENSE', JS), LICENSE);
  const text = await readFile(DTS, 'utf8');
  await writeFile(DCTS, `// Generated from index.d.ts when the package is packed: the types of require('mooscomp').
${text}
/** Resolves to this module: the API from before require() could load the package. */
export declare function load(): Promise<typeof import('./index.cjs')>;
`);
}

const command = process.argv[2];
if (command === 'write') await write();
else if (command === 'clean') await Promise.all([rm(LICENSE, { force: true }), rm(DCTS, { force: true })]);
else {
  console.error('usage: node scripts/pack-extras.mjs write|clean');
  process.exit(2);
}
