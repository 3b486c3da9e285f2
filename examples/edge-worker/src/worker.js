// POST a prompt, get it compressed:
//   curl -s --data-binary @prompt.txt 'http://127.0.0.1:8787/?rate=0.5'
// or POST JSON with the question the prompt is for (kept whole, placed last) and an
// instruction (kept whole, placed first); both are optional:
//   curl -s -H 'content-type: application/json' \
//     -d '{"prompt": "...", "question": "...", "instruction": "..."}' 'http://127.0.0.1:8787/?rate=0.5'
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
      return new Response('POST a prompt to compress, as text or as JSON {prompt, question?, instruction?}; ?rate=0.5\n', { status: 405, headers: { allow: 'POST' } });
    }
    const rate = Number(new URL(request.url).searchParams.get('rate') ?? 0.5);
    try {
      const { prompt, question, instruction } = await readRequest(request);
      compressor ??= createCompressor({ model: { manifest, onnx, tokenizer } }).catch((err) => {
        compressor = undefined; // let the next request retry
        throw err;
      });
      // An absent question or instruction is undefined, which compress() reads as none; the
      // package checks the types (a wrong one is a 400).
      const result = await (await compressor).compress(prompt, { rate, question, instruction });
      const { compressedPrompt, originTokens, compressedTokens, ratio } = result;
      return Response.json({ compressedPrompt, originTokens, compressedTokens, ratio });
    } catch (err) {
      const status = err instanceof BadRequest || (err instanceof MooscompError && err.code !== 'INTERNAL') ? 400 : 500;
      return Response.json({ error: err.code ?? 'INTERNAL', message: err.message }, { status });
    }
  },
};

class BadRequest extends Error {
  code = 'INVALID_ARGUMENT';
}

// {prompt, question?, instruction?}: a JSON body (content-type application/json) names
// them; any other body is the prompt itself, as text.
async function readRequest(request) {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/json')) return { prompt: await request.text() };
  let body;
  try {
    body = await request.json();
  } catch (err) {
    throw new BadRequest(`the body is not valid JSON: ${err.message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('the JSON body must be an object {prompt, question?, instruction?}');
  const { prompt, question, instruction } = body;
  if (prompt === undefined) throw new BadRequest('the JSON body has no "prompt"');
  return { prompt, question, instruction };
}
