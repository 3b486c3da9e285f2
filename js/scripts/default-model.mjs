// Puts the default model inside the package while `npm pack` / `npm publish` runs:
//   copy   js/models/default/ <- models/default/ (the trained model; never the test fixture)
//   clean  removes js/models/ again, so a checkout keeps resolving ../../models/ directly
// Only manifest.json and the two files it names are copied. Fails if js/dist is not built.
import { copyFile, mkdir, readFile, rm, access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const JS = new URL('../', import.meta.url);
const TARGET = new URL('models/', JS);
const SOURCE = new URL('../models/default/', JS);

async function exists(url) {
  return access(url).then(() => true, () => false);
}

async function copy() {
  if (!(await exists(new URL('dist/mooscomp-core.wasm', JS)))) {
    throw new Error('js/dist/mooscomp-core.wasm is missing: run scripts/build.sh before packing');
  }
  const source = SOURCE;
  if (!(await exists(new URL('manifest.json', source)))) throw new Error('no default model: models/default/manifest.json is missing');
  const manifest = JSON.parse(await readFile(new URL('manifest.json', source), 'utf8'));
  const dest = new URL('default/', TARGET);
  await rm(TARGET, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  for (const name of ['manifest.json', manifest.onnx, manifest.tokenizer.file]) {
    await copyFile(new URL(name, source), new URL(name, dest));
  }
  console.error(`default model: ${fileURLToPath(source)} -> ${fileURLToPath(dest)}`);
}

const command = process.argv[2];
if (command === 'copy') await copy();
else if (command === 'clean') await rm(TARGET, { recursive: true, force: true });
else {
  console.error('usage: node scripts/default-model.mjs copy|clean');
  process.exit(2);
}
