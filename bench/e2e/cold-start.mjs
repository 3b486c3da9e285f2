// Child: cold start, from `import('mooscomp')` to the first result on a short prompt, in a
// fresh process. args: {model, text}. Also reports the time since the process started.
import { args, readText, report } from './child.mjs';

const text = readText(args.text);
const t0 = performance.now();
const { createCompressor } = await import('mooscomp');
const tImported = performance.now();
const compressor = await createCompressor({ model: args.model, threads: 1 });
const tCreated = performance.now();
const r = await compressor.compress(text, { rate: 0.33 });
const t1 = performance.now();
report({ importToResult: t1 - t0, fromProcessStart: t1, importMs: tImported - t0, createMs: tCreated - tImported,
         firstCompressMs: t1 - tCreated, modelTokens: r.modelTokens });
await compressor.dispose();
