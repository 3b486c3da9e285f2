// The packed package installed into clean projects, used as a consumer would: Node ESM,
// Node CommonJS (require() gives the ESM entry's exports, error classes included), and
// TypeScript type-checking of an ESM and a CommonJS consumer under moduleResolution
// bundler, node16 and nodenext; then the package's lints: publint, Are The Types Wrong
// and `npm publish --dry-run`.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { missing, pack, project, publishDryRun, run, report, ROOT_BIN, PROMPT } from './helpers.mjs';

const skip = missing({ bins: ['tsc', 'publint', 'attw'] });
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
const { createCompressor, InvalidArgumentError, MooscompError } = mooscomp;
(async () => {
  const c = await createCompressor();
  const r = await c.compress(process.argv[2], { rate: 0.5 });
  await c.dispose();
  let caught;
  try { await createCompressor({ threads: 'two' }); } catch (e) { caught = e; }
  const esm = await import('mooscomp');
  const exportsOf = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== 'load').sort();
  console.log(JSON.stringify({
    text: r.compressedPrompt,
    classes: ['MooscompError', 'InvalidArgumentError', 'InvalidUtf8Error', 'InvalidModelError', 'InvalidStateError', 'InternalError']
      .every((name) => typeof mooscomp[name] === 'function' && mooscomp[name] === esm[name]),
    sameExports: JSON.stringify(exportsOf(mooscomp)) === JSON.stringify(exportsOf(esm)),
    instance: caught instanceof InvalidArgumentError && caught instanceof MooscompError && caught.code === 'INVALID_ARGUMENT',
    load: (await mooscomp.load()).createCompressor === esm.createCompressor,
  }));
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

// The same use from a CommonJS TypeScript file: its imports compile to require().
const CTS = `
import { createCompressor, InvalidArgumentError, MooscompError, load, type CompressResult } from 'mooscomp';
export async function shorten(text: string): Promise<string> {
  const c = await createCompressor({ threads: 1 });
  const r: CompressResult = await c.compress(text, { rate: 0.5 });
  await c.dispose();
  return r.compressedPrompt;
}
export function isUsageError(err: unknown): boolean {
  return err instanceof InvalidArgumentError || (err instanceof MooscompError && err.code === 'INVALID_STATE');
}
export const again = load().then((m) => m.createCompressor);
`;

const RESOLUTIONS = { bundler: 'esnext', node16: 'node16', nodenext: 'nodenext' };

const tsconfig = (moduleResolution, files) => JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'],
    module: RESOLUTIONS[moduleResolution], moduleResolution, skipLibCheck: false,
  },
  files,
});

describe('the packed package in Node', { skip, timeout: 240_000 }, () => {
  let dir;
  let tarballPath;
  before(async () => {
    const tarball = await pack();
    dir = await project('node', tarball, {
      'esm.mjs': ESM,
      'cjs.cjs': CJS,
      'consumer.ts': TS,
      'consumer-cjs.cts': CTS,
      ...Object.fromEntries(Object.keys(RESOLUTIONS).map((r) => [`tsconfig.${r}.json`, tsconfig(r, ['consumer.ts'])])),
      'tsconfig.node16-cjs.json': tsconfig('node16', ['consumer-cjs.cts']),
      'tsconfig.nodenext-cjs.json': tsconfig('nodenext', ['consumer-cjs.cts']),
    });
    tarballPath = tarball;
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

  test('CommonJS: require() gives the ESM exports, the same error classes', async () => {
    const { stdout } = await run('node', [join(dir, 'cjs.cjs'), PROMPT], { cwd: dir });
    const r = JSON.parse(stdout);
    assert.equal(r.text, esmText);
    assert.deepEqual({ classes: r.classes, sameExports: r.sameExports, instance: r.instance, load: r.load },
      { classes: true, sameExports: true, instance: true, load: true });
  });

  for (const config of [...Object.keys(RESOLUTIONS), 'node16-cjs', 'nodenext-cjs']) {
    test(`TypeScript consumer type-checks (${config})`, async () => {
      await run(join(ROOT_BIN, 'tsc'), ['-p', `tsconfig.${config}.json`], { cwd: dir }).catch((err) => {
        assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
      });
    });
  }

  test('publint --strict finds nothing', async () => {
    const { stdout } = await run(join(ROOT_BIN, 'publint'), ['--strict', join(dir, 'node_modules/mooscomp')], { cwd: dir })
      .catch((err) => assert.fail(`publint failed:\n${err.stdout}${err.stderr}`));
    assert.match(stdout, /All good!/);
  });

  test('Are The Types Wrong: every resolution mode gets matching types', async () => {
    // The wasm and model subpaths are files, not modules: only "." is a module entry.
    await run(join(ROOT_BIN, 'attw'), [tarballPath, '--entrypoints', '.', '--format', 'ascii'], { cwd: dir })
      .catch((err) => assert.fail(`attw failed:\n${err.stdout}${err.stderr}`));
  });

  test('npm publish --dry-run warns about nothing but the missing login', async () => {
    const warnings = await publishDryRun();
    assert.deepEqual(warnings.filter((w) => !/requires you to be logged in/.test(w)), []);
  });
});
