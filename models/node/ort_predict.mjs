// Preserve probabilities from an ONNX token classifier in onnxruntime-web (1 thread), for eval.
// usage: node models/node/ort_predict.mjs MODEL.onnx IN.json OUT.json
// IN.json: {"sequences": [[ids with CLS/SEP], ...]}; OUT.json: {"probs": [[p per position], ...],
// "ms": total inference milliseconds}. Sequences are batched by length (padding is masked).
import { readFileSync, writeFileSync } from 'node:fs';
import { ort } from './package_ort.mjs';

const [modelPath, inPath, outPath] = process.argv.slice(2);
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(readFileSync(modelPath));
const seqs = JSON.parse(readFileSync(inPath, 'utf8')).sequences;
const order = seqs.map((_, i) => i).sort((a, b) => seqs[a].length - seqs[b].length);
const probs = new Array(seqs.length);
const maxTokens = 4096;
let ms = 0;
for (let s = 0; s < order.length;) {
  let n = 1;
  while (s + n < order.length && (n + 1) * seqs[order[s + n]].length <= maxTokens) n++;
  const idx = order.slice(s, s + n);
  const w = Math.max(...idx.map((i) => seqs[i].length));
  const ids = new BigInt64Array(n * w), mask = new BigInt64Array(n * w);
  idx.forEach((i, b) => seqs[i].forEach((v, t) => { ids[b * w + t] = BigInt(v); mask[b * w + t] = 1n; }));
  const t0 = performance.now();
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [n, w]),
                                  attention_mask: new ort.Tensor('int64', mask, [n, w]) });
  ms += performance.now() - t0;
  const lg = out.logits.data;
  idx.forEach((i, b) => {
    const p = [];
    for (let t = 0; t < seqs[i].length; t++) {
      const a = lg[(b * w + t) * 2], c = lg[(b * w + t) * 2 + 1];
      p.push(1 / (1 + Math.exp(a - c)));  // softmax(logits)[1]
    }
    probs[i] = p;
  });
  s += n;
}
writeFileSync(outPath, JSON.stringify({ probs, ms }));
