// POST a prompt, get it compressed:
//   curl -s --data-binary @prompt.txt 'http://127.0.0.1:8787/?rate=0.5'
// The bundler picks the package's workerd entry, which hands both wasm files over compiled.
import { createCompressor, MooscompError } from 'mooscomp';
// The model shipped in the package, imported as bytes (see the Data rule in wrangler.toml).
import manifest from 'mooscomp/models/default/manifest.json';
import onnx from 'mooscomp/models/default/model.onnx';
import tokenizer from 'mooscomp/models/default/tokenizer.model';

let compressor; // one per isolate: made by the first request, reused by the next ones

export default {
  async fetch(request) {
    if (request.method !== 'POST') {
      return new Response('POST a prompt to compress; ?rate=0.5\n', { status: 405, headers: { allow: 'POST' } });
    }
    const rate = Number(new URL(request.url).searchParams.get('rate') ?? 0.5);
    try {
      compressor ??= createCompressor({ model: { manifest, onnx, tokenizer } }).catch((err) => {
        compressor = undefined; // let the next request retry
        throw err;
      });
      const result = await (await compressor).compress(await request.text(), { rate });
      const { compressedPrompt, originTokens, compressedTokens, ratio } = result;
      return Response.json({ compressedPrompt, originTokens, compressedTokens, ratio });
    } catch (err) {
      const status = err instanceof MooscompError && err.code !== 'INTERNAL' ? 400 : 500;
      return Response.json({ error: err.code ?? 'INTERNAL', message: err.message }, { status });
    }
  },
};
