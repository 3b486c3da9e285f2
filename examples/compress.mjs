// Compresses a few retrieved passages for a question, from Node, with the built-in model.
//   node examples/compress.mjs
import { readFile } from 'node:fs/promises';
import { createCompressor } from 'mooscomp';

const meeting = await readFile(new URL('./meeting.txt', import.meta.url), 'utf8');
const passages = meeting.split('\n\n').filter((p) => p.trim());

const compressor = await createCompressor();
try {
  const result = await compressor.compress(passages, {
    rate: 0.33,
    forceTokens: ['\n', '?'],
    forceReserveDigit: true,
  });
  console.log(result.compressedPrompt);
  console.error(`${result.originTokens} -> ${result.compressedTokens} tokens, ${result.ratio.toFixed(1)}x`);

  // The LLMLingua-2 spelling of the same call.
  const same = await compressor.compress_prompt(passages, { rate: 0.33, force_tokens: ['\n', '?'], force_reserve_digit: true });
  console.error(`compress_prompt: ${same.ratio}, ${same.rate}`);
} finally {
  await compressor.dispose();
}
