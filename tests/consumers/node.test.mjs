// The packed package installed into clean projects, used as a consumer would: Node ESM,
// Node CommonJS (the CJS entry and import()), and TypeScript type-checking of a consumer
// file under moduleResolution bundler and node16.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { missing, pack, project, run, report, ROOT_BIN, PROMPT } from './helpers.mjs';

const skip = missing({ bins: ['tsc'] });
if (skip) console.log(`# consumer tests (Node, TypeScript) skipped: ${skip}`);

const ESM = `
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createCompressor, InvalidArgumentError } from 'mooscomp';
const prompt = process.argv[2];
const t0 = performance.now();
const c = await createCompressor();
const cold = performance.now() - t0;
const t1 = performance.now();
const r = await c.compress(prompt, { rate: 0.5 });
const first = performance.now() - t1;
const t2 = performance.now();
await c.compress(prompt, { rate: 0.5 });
const warm = performance.now() - t2;
await c.dispose();
// Assets given as bytes: the core wasm read from the package's subpath export.
const require = createRequire(import.meta.url);
const coreWasm = await readFile(require.resolve('mooscomp/mooscomp-core.wasm'));
const c2 = await createCompressor({ coreWasm, model: new URL('./node_modules/mooscomp/models/default/', import.meta.url) });
const r2 = await c2.compress(prompt, { rate: 0.5 });
await c2.dispose();
let typed = false;
try { await createCompressor({ coreWasm: 42 }); } catch (e) { typed = e instanceof InvalidArgumentError && e.option === 'coreWasm'; }
console.log(JSON.stringify({ text: r.compressedPrompt, same: r2.compressedPrompt === r.compressedPrompt, typed, cold, first, warm, rssMB: process.memoryUsage().rss / 2 ** 20 }));
`;

const CJS = `
const mooscomp = require('mooscomp');
(async () => {
  const c = await mooscomp.createCompressor();
  const r = await c.compress(process.argv[2], { rate: 0.5 });
  await c.dispose();
  const viaImport = await import('mooscomp');
  const { InvalidArgumentError } = await mooscomp.load();
  console.log(JSON.stringify({ text: r.compressedPrompt, sameModule: viaImport.InvalidArgumentError === InvalidArgumentError }));
})();
`;

const TS = `
import { createCompressor, InvalidModelError, type CompressResult, type CreateCompressorOptions } from 'mooscomp';
const options: CreateCompressorOptions = { threads: 1, cache: true, coreWasm: new URL('https://example.test/core.wasm') };
export async function shorten(text: string): Promise<string> {
  const c = await createCompressor(options);
  try {
    const r: CompressResult = await c.compress(text, { rate: 0.5, forceTokens: ['?'] });
    const words: number = r.words.filter((w) => w.keep).length;
    return words > 0 ? r.compressedPrompt : text;
  } catch (err) {
    if (err instanceof InvalidModelError && err.code === 'INVALID_MODEL') return text;
    throw err;
  } finally {
    await c.dispose();
  }
}
// @ts-expect-error rate must be a number
void createCompressor().then((c) => c.compress('x', { rate: 'half' }));
`;

const tsconfig = (moduleResolution, module) => JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], module, moduleResolution, skipLibCheck: false },
  files: ['consumer.ts'],
});

describe('the packed package in Node', { skip, timeout: 240_000 }, () => {
  let dir;
  before(async () => {
    const tarball = await pack();
    dir = await project('node', tarball, {
      'esm.mjs': ESM,
      'cjs.cjs': CJS,
      'consumer.ts': TS,
      'tsconfig.bundler.json': tsconfig('bundler', 'esnext'),
      'tsconfig.node16.json': tsconfig('node16', 'node16'),
    });
  });

  let esmText;
  test('ESM: default model and assets found next to the package; bytes accepted', async () => {
    const { stdout } = await run('node', [join(dir, 'esm.mjs'), PROMPT], { cwd: dir });
    const r = JSON.parse(stdout);
    assert.ok(r.text.length > 0 && r.text.length < PROMPT.length, r.text);
    assert.ok(r.same, 'coreWasm as bytes and model as a URL give the same result');
    assert.ok(r.typed, 'a bad coreWasm is an InvalidArgumentError naming the option');
    esmText = r.text;
    await report('node', { coldStartMs: r.cold, firstCompressMs: r.first, warmCompressMs: r.warm, rssMB: r.rssMB, promptChars: PROMPT.length });
  });

  test('CommonJS: require() entry and import() agree with ESM', async () => {
    const { stdout } = await run('node', [join(dir, 'cjs.cjs'), PROMPT], { cwd: dir });
    const r = JSON.parse(stdout);
    assert.equal(r.text, esmText);
    assert.ok(r.sameModule);
  });

  for (const resolution of ['bundler', 'node16']) {
    test(`TypeScript consumer type-checks (moduleResolution ${resolution})`, async () => {
      await run(join(ROOT_BIN, 'tsc'), ['-p', `tsconfig.${resolution}.json`], { cwd: dir }).catch((err) => {
        assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
      });
    });
  }
});
