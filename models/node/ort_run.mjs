// Runs an ONNX token classifier in onnxruntime-web (wasm, single thread) under Node.
// usage: node models/node/ort_run.mjs MODEL.onnx INPUT.json [--repeat N]
// INPUT.json: {"input_ids": [[...]], "attention_mask": [[...]]} (a batch of equal-length rows).
// Prints {"logits": [...], "hidden": [...], "dims": {...}, "ms": [per-run milliseconds]}.
import { readFileSync } from 'node:fs';
import { ort } from './package_ort.mjs';

const [modelPath, inputPath, ...rest] = process.argv.slice(2);
const repeat = rest[0] === '--repeat' ? Number(rest[1]) : 1;
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(readFileSync(modelPath));
const input = JSON.parse(readFileSync(inputPath, 'utf8'));
const tensor = (rows) =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);
const feeds = { input_ids: tensor(input.input_ids), attention_mask: tensor(input.attention_mask) };

let out;
const ms = [];
for (let i = 0; i < repeat; i++) {
  const t0 = performance.now();
  out = await session.run(feeds);
  ms.push(performance.now() - t0);
}
const result = { ms, dims: {} };
for (const name of session.outputNames) {
  result[name] = Array.from(out[name].data);
  result.dims[name] = out[name].dims;
}
process.stdout.write(JSON.stringify(result));
