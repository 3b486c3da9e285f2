// The one onnxruntime-web module instance mooscomp itself uses in Node (js/src/session.js
// imports the package's default entry, ORT's Node build, from js/'s own dependency), so the
// peer, handed the same instance,
// runs on the same ORT build, threads and wasm, and one timer sees both sides' runs.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SUBPATH = '.'; // keep in step with js/src/session.js (Node)

const require = createRequire(new URL('../../js/package.json', import.meta.url));
// The package hides package.json from its exports: find its folder from its CJS entry.
let dir = dirname(require.resolve('onnxruntime-web'));
while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

// Node's ESM resolution of an exports entry: the first matching condition, depth first.
function resolveExport(entry) {
  if (typeof entry === 'string') return entry;
  for (const condition of ['node', 'import', 'default']) {
    if (entry[condition] !== undefined) {
      const hit = resolveExport(entry[condition]);
      if (hit) return hit;
    }
  }
  return undefined;
}

export const ortVersion = pkg.version;
export const ortDir = dir;
export const ort = await import(pathToFileURL(join(dir, resolveExport(pkg.exports[SUBPATH]))).href);
