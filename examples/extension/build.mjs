// Builds the unpacked extension into dist/: the offscreen page, the popup and the preview
// panel bundled with esbuild, the static files, and the package's wasm files and default
// model copied in (an extension may load no remote code, so everything ships inside it).
import { cp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
const fromPackage = createRequire(require.resolve('mooscomp/package.json'));

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'wasm'), { recursive: true });
for (const f of ['manifest.json', 'background.js', 'offscreen.html', 'popup.html']) {
  await cp(join(here, 'src', f), join(dist, f));
}
// preview.js is injected into pages and popup.js is a classic script: both as IIFEs.
for (const [name, format] of [['offscreen.js', 'esm'], ['popup.js', 'iife'], ['preview.js', 'iife']]) {
  await esbuild.build({
    entryPoints: [join(here, 'src', name)],
    outfile: join(dist, name),
    bundle: true,
    format,
    platform: 'browser',
    logLevel: 'error',
  });
}
await cp(require.resolve('mooscomp/mooscomp-core.wasm'), join(dist, 'wasm', 'mooscomp-core.wasm'));
await cp(fromPackage.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'), join(dist, 'wasm', 'ort-wasm-simd-threaded.wasm'));
await cp(dirname(require.resolve('mooscomp/models/default/manifest.json')), join(dist, 'model'), { recursive: true });
console.log(`built ${dist}`);
