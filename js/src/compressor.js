// A compressor: one wasm core instance, one tokenizer, one ORT session. Calls run one at a
// time (a queue): neither the ORT session nor a core job is re-entrant.
import { InvalidStateError, InternalError, checkCore, asMooscompError } from './errors.js';
import { encodeInput } from './text.js';
import { normaliseOptions, fromSnakeCase } from './options.js';
import { buildResult, toLLMLingua2 } from './result.js';

export class Compressor {
  #core;
  #native;
  #session;
  #manifest;
  #tail = Promise.resolve();
  #disposed = false;

  constructor(core, native, session, manifest) {
    this.#core = core;
    this.#native = native;
    this.#session = session;
    this.#manifest = manifest;
  }

  get model() {
    const { name, tokenizer, maxSeqLen, hiddenSize, defaults } = this.#manifest;
    return { name, tokenizer: tokenizer.kind, maxSeqLen, hiddenSize, defaults: { ...defaults } };
  }

  compress(input, options) {
    return this.#enqueue(() => this.#compress(input, options));
  }

  // LLMLingua-2's PromptCompressor.compress_prompt names and return shape.
  compress_prompt(context, options) {
    return this.#enqueue(async () => {
      const { options: camel, output } = fromSnakeCase(options);
      return toLLMLingua2(await this.#compress(context, camel), output);
    });
  }

  // Waits for queued calls, then frees the core and the ORT session. Idempotent.
  dispose() {
    if (this.#disposed) return this.#tail;
    this.#disposed = true;
    return this.#tail.then(async () => {
      this.#native.delete();
      await this.#session.release();
    });
  }

  #enqueue(fn) {
    if (this.#disposed) return Promise.reject(new InvalidStateError('the compressor is disposed'));
    const run = this.#tail.then(fn);
    this.#tail = run.catch(() => {});
    return run;
  }

  async #compress(input, options) {
    const t0 = performance.now();
    const opts = normaliseOptions(options, this.#manifest.defaults);
    const { texts, bytes, lengths } = encodeInput(input);
    const job = checkCore(this.#call(() => this.#native.prepare(bytes, lengths, opts)), 'prepare').job;
    try {
      const t1 = performance.now();
      const needsHidden = job.needsHidden();
      for (let i = 0, n = job.batchCount(); i < n; i++) {
        const rows = job.batchRows(i);
        const seqLen = job.batchSeqLen(i);
        const out = await this.#session.run(job.inputIds(i), job.attentionMask(i), rows, seqLen, needsHidden);
        checkCore(job.setLogits(i, out.logits), 'setLogits');
        if (needsHidden) checkCore(job.setHidden(i, out.hidden), 'setHidden');
      }
      const t2 = performance.now();
      const finished = checkCore(this.#call(() => job.finish()), 'finish');
      const timings = { tokenize: t1 - t0, infer: t2 - t1, select: 0, total: 0 };
      const result = buildResult(finished.result, texts, timings);
      const t3 = performance.now();
      timings.select = t3 - t2;
      timings.total = t3 - t0;
      return result;
    } finally {
      job.delete();
    }
  }

  // Embind throws plain errors on binding mistakes; surface them typed.
  #call(fn) {
    try {
      return fn();
    } catch (err) {
      throw asMooscompError(err, InternalError, 'wasm core call failed');
    }
  }
}
