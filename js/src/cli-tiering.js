// How V8 optimises onnxruntime-web's wasm in the command-line process.
//
// V8 first compiles wasm with its baseline compiler and recompiles functions that turn hot
// with its optimising one, on background threads. One function of ORT's wasm has a 490 KB
// body; it runs while a session is created and in every model run, and optimising it takes about 1 s of CPU and
// 200-330 MB of compiler memory. Node waits for background compiles before the process exits
// (process.exit too: it joins V8's worker threads), so a short compression ended with a
// second or more of idle wait and the compile's memory on top of the peak.
//
// A larger tiering budget (roughly the bytes of code a function runs before it is optimised;
// V8's default is 1.8 M) keeps that function on the baseline tier until an input of tens of
// thousands of tokens, where its compile overlaps the inference; the model's kernels, tight
// loops that spend the budget within the first batches, are still optimised. Measured on the
// default model: the same CPU time on 150k tokens, less on shorter inputs.
import v8 from 'node:v8';

export const WASM_TIERING_BUDGET = 2_000_000_000; // V8 keeps it in an int32

// Must run before any wasm is compiled: V8 reads the budget when an instance is created.
// Process-wide, so only the command line sets it, never the library.
export function delayWasmTierUp() {
  try {
    v8.setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  } catch {
    // A runtime without V8 flags compresses the same, only with its own tiering.
  }
}
