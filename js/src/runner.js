// The inference runner seam: what runs the model for a compressor. A runner is
//   {run(inputIds, attentionMask, rows, seqLen, needsHidden) -> Promise<{logits, hidden?}>,
//    release() -> void | Promise<void>, device?: string}
// inputIds/attentionMask: BigInt64Array [rows * seqLen]; logits: Float32Array
// [rows * seqLen * 2]; hidden (only when needsHidden): Float32Array [rows * seqLen * hiddenSize].
// The default is an onnxruntime-web session (session.js). The `runner` option takes a runner,
// or a function ({model, onnx, createDefault}) -> runner | Promise<runner>, so that a caller
// can wrap the default one (to time or memoise its runs) without touching onnxruntime-web.
import { InvalidArgumentError, InvalidModelError, InternalError, asMooscompError } from './errors.js';
import { createOrtRunner } from './session.js';
import { withTimeout } from './with-timeout.js';

// options: the compressor's {runner, device, threads, ortWasm (a wasm source), runTimeout (ms)}.
// Returns a checked runner (see checked()).
export async function createRunner(manifest, onnx, { runner, device, threads, wasm, runTimeout }) {
  const createDefault = () => createOrtRunner(manifest, onnx, { threads, wasm, device });
  if (runner === undefined || runner === null) return checked(await createDefault(), manifest, runTimeout);
  if (device !== undefined && typeof runner !== 'function') {
    throw new InvalidArgumentError('device applies to the default runner: with a runner object, leave it out (or pass a function and call createDefault())', { option: 'device' });
  }
  let made = runner;
  if (typeof runner === 'function') {
    const { name, maxSeqLen, hiddenSize } = manifest;
    try {
      made = await runner({ model: { name, maxSeqLen, hiddenSize }, onnx, createDefault });
    } catch (err) {
      throw asMooscompError(err, InvalidArgumentError, 'the runner function failed');
    }
  }
  if (!made || typeof made.run !== 'function' || typeof made.release !== 'function') {
    throw new InvalidArgumentError('runner must be {run(inputIds, attentionMask, rows, seqLen, needsHidden), release()} or a function returning one', { option: 'runner' });
  }
  if (made.device !== undefined && (typeof made.device !== 'string' || made.device.length === 0)) {
    throw new InvalidArgumentError('runner.device must be a non-empty string', { option: 'runner' });
  }
  return checked(made, manifest, runTimeout);
}

// The compressor's view of a runner: its device ('custom' when it names none), and run()
// whose outputs are checked, so a runner's mistake is a typed error, never a core crash.
// Nothing runs at load time (a run at max_seq_len cost more than a short prompt's whole
// compression): a model that fails on a window longer than any before says why it may.
// Runs take turns in the order asked (so the batches of concurrent calls interleave, and a
// runner never has two runs in flight); a run or release() that does not settle within
// runTimeout ms rejects with TimeoutError, and the next run does not wait for it.
function checked(runner, manifest, runTimeout = Infinity) {
  let tail = Promise.resolve();
  const inTurn = (fn) => {
    const turn = tail.then(fn);
    tail = turn.catch(() => {});
    return turn;
  };
  let longest = 0; // the longest window that has run: a longer one may meet a short position table
  return {
    device: runner.device ?? 'custom',
    run: (ids, mask, rows, seqLen, needsHidden) => inTurn(async () => {
      let out;
      try {
        out = await withTimeout((async () => runner.run(ids, mask, rows, seqLen, needsHidden))(), runTimeout, 'a model run');
      } catch (err) {
        const error = asMooscompError(err, InternalError, 'the runner failed'); // the default one throws typed errors
        if (!(error instanceof InvalidModelError) || seqLen <= longest) throw error;
        throw new InvalidModelError(
          `the ONNX model does not run at ${seqLen} tokens (max_seq_len ${manifest.maxSeqLen} in manifest.json); is max_seq_len above the model's position table? ${error.message}`,
          { cause: error },
        );
      }
      longest = Math.max(longest, seqLen);
      const logits = take(out?.logits, rows * seqLen * 2, 'logits', rows, seqLen);
      const hidden = needsHidden ? take(out?.hidden, rows * seqLen * manifest.hiddenSize, 'hidden', rows, seqLen) : undefined;
      return { logits, hidden };
    }),
    release: async () => {
      try {
        await withTimeout((async () => runner.release())(), runTimeout, "the runner's release()");
      } catch (err) {
        throw asMooscompError(err, InternalError, 'the runner failed to release');
      }
    },
  };
}

function take(data, size, name, rows, seqLen) {
  if (!(data instanceof Float32Array) || data.length !== size) {
    const got = data === undefined || data === null ? 'nothing' : `${data.constructor?.name ?? typeof data}(${data.length ?? '?'})`;
    throw new InvalidModelError(`the runner returned ${got} for ${name}; expected a Float32Array of ${size} values (${rows} x ${seqLen} x ${size / (rows * seqLen)})`);
  }
  return data;
}
