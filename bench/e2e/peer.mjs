// The JS peer, @atjsh/llmlingua-2 on transformers.js, loaded from a local model folder and run
// on mooscomp's own onnxruntime-web instance (CPU wasm backend), with its inference timed
// (ort-timer.mjs) by wrapping the peer's own session objects.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { ort, ortDir } from './ort.mjs';
import { timed } from './ort-timer.mjs';

// transformers.js picks its ORT when first imported: hand it ours before that, as a view
// whose InferenceSession.create reads a file path into bytes (in Node transformers.js hands
// ORT a path, which the wasm-only build would fetch()), so both sides give ORT the model's
// bytes. ORT itself is left as it is.
let transformersPromise;
async function transformers() {
  const create = (model, ...rest) => ort.InferenceSession.create(model, ...rest);
  const InferenceSession = {
    create: async (model, ...rest) => create(typeof model === 'string' ? new Uint8Array(await readFile(model)) : model, ...rest),
  };
  globalThis[Symbol.for('onnxruntime')] ??= { ...ort, InferenceSession };
  // Else transformers.js points ORT at a CDN; the files are on disk (Node cannot fetch them).
  ort.env.wasm.wasmPaths ??= pathToFileURL(`${ortDir}/dist/`).href;
  transformersPromise ??= import('@huggingface/transformers');
  return transformersPromise;
}

// folder: a transformers.js model folder (config.json, tokenizer*.json, onnx/model.onnx).
// Returns {compress(text, {rate}) -> {text, inferMs}, dispose()}.
export async function createPeer(folder, { threads }) {
  const { env } = await transformers();
  const { LLMLingua2 } = await import('@atjsh/llmlingua-2');
  const { Tiktoken } = await import('js-tiktoken/lite');
  const { default: cl100k } = await import('js-tiktoken/ranks/cl100k_base');
  const path = folder.endsWith('/') ? folder.slice(0, -1) : folder;
  const slash = path.lastIndexOf('/');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${path.slice(0, slash)}/`;
  const { promptCompressor, model } = await LLMLingua2.WithBERTMultilingual(path.slice(slash + 1), {
    transformerJSConfig: { device: 'auto', dtype: 'fp32' },
    oaiTokenizer: new Tiktoken(cl100k),
    modelSpecificOptions: {
      subfolder: 'onnx',
      session_options: { executionProviders: ['wasm'], intraOpNumThreads: threads },
    },
  });
  // Time every session.run the peer makes: its inference, the rest is its own work.
  let inferMs = 0;
  for (const session of Object.values(model.sessions)) {
    const run = session.run.bind(session);
    session.run = (...args) => timed(async () => {
      const t = performance.now();
      try {
        return await run(...args);
      } finally {
        inferMs += performance.now() - t;
      }
    });
  }
  return {
    async compress(text, { rate, forceTokens = [], chunkEndTokens = ['.', '\n'] }) {
      inferMs = 0;
      const out = await promptCompressor.compress(text, { rate, forceTokens, chunkEndTokens });
      return { text: out, inferMs };
    },
    async dispose() {
      await model.dispose();
    },
  };
}
