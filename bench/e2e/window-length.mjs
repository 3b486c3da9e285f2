// Diagnostic: the same model run with shorter windows (max_seq_len overridden in a copy of
// its manifest), CPU time per compression of one text, runs interleaved. Shows what the
// fp32 attention costs; whether a shorter window is acceptable is the model's question.
//   node bench/e2e/window-length.mjs [model-dir] [text-file] [lengths, default 512,256,128]
import { linkSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.mjs';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const [model = path('../out/models/default-size/'), textFile = path('../out/texts/default-2000.txt'), lengths = '512,256,128'] = process.argv.slice(2);
const dir = model.endsWith('/') ? model : `${model}/`;
const manifest = JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8'));
const { createCompressor } = await import('mooscomp');
const text = readFileSync(textFile, 'utf8');

const variants = [];
for (const len of lengths.split(',').map(Number)) {
  const out = path(`../out/models/window-${len}/`);
  mkdirSync(out, { recursive: true });
  for (const f of [manifest.onnx, manifest.tokenizer.file]) if (!existsSync(out + f)) linkSync(dir + f, out + f);
  writeFileSync(`${out}manifest.json`, JSON.stringify({ ...manifest, max_seq_len: len, name: `${manifest.name}-w${len}` }));
  variants.push({ len, c: await createCompressor({ model: out, threads: 1 }), cpu: [] });
}
for (const v of variants) await v.c.compress(text, { rate: 0.33 }); // warm-up
for (let i = 0; i < 5; i++) {
  for (const v of variants) {
    const u = process.cpuUsage();
    await v.c.compress(text, { rate: 0.33 });
    const d = process.cpuUsage(u);
    v.cpu.push((d.user + d.system) / 1000);
  }
}
for (const v of variants) console.log(`window ${v.len}: ${summarize(v.cpu).median.toFixed(0)} ms CPU (median of 5)`);
console.log(`BENCH_SUMMARY ${JSON.stringify({ bench: 'window-length', model: manifest.name, cpuMs: Object.fromEntries(variants.map((v) => [v.len, Math.round(summarize(v.cpu).median)])) })}`);
