// The onnxruntime-web the package runs on (js/'s dependency), for the scripts that run a model
// without the package: not whichever copy their folder would resolve (the workspace root also
// holds the peer's own, newer one).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const fromJs = createRequire(new URL('../../js/package.json', import.meta.url));
const ortDir = dirname(dirname(fromJs.resolve('onnxruntime-web')));

export const ort = await import(pathToFileURL(join(ortDir, 'dist', 'ort.node.min.mjs')).href);
export const ortVersion = JSON.parse(readFileSync(join(ortDir, 'package.json'), 'utf8')).version;
