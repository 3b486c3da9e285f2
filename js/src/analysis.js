// An analysis: one input run through the model once, from which select() picks words any
// number of times without running the model again (a slider moving, a budget search).
import { InvalidStateError, checkCore } from './errors.js';
import { normaliseOptions, forCore } from './options.js';
import { buildResult } from './result.js';
import { countWith } from './token-counts.js';

// select() for options already normalised over the defaults (normaliseOptions, 'select'
// phase): the compressor's and the segments' own selections, which normalise once, up front.
export const selectNormalised = Symbol('selectNormalised');

export class Analysis {
  #job;
  #texts;
  #timings;
  #defaults;
  #callCore;
  #countTokens;
  #device;
  #onDispose;

  // job: the core job, already scored; timings: {tokenize, infer} of the analysis;
  // countTokens: the caller's token count (undefined: the core's estimate); device: where the
  // model ran (results carry it); callCore(fn): runs a core call, typing what embind throws.
  constructor({ job, texts, timings, device, defaults, countTokens, callCore, onDispose }) {
    this.#countTokens = countTokens;
    this.#device = device;
    this.#job = job;
    this.#texts = texts;
    this.#timings = timings;
    this.#defaults = defaults;
    this.#callCore = callCore;
    this.#onDispose = onDispose;
  }

  get disposed() {
    return this.#job === null;
  }

  // Synchronous: the scores are in the core already, nothing waits on the model.
  select(options) {
    if (this.#job === null) throw new InvalidStateError('the analysis is disposed');
    return this[selectNormalised](normaliseOptions(options, this.#defaults, 'select'));
  }

  [selectNormalised](opts) {
    if (this.#job === null) throw new InvalidStateError('the analysis is disposed');
    const t0 = performance.now();
    const reply = checkCore(this.#callCore(() => this.#job.select(forCore('select', opts))), 'select');
    const timings = { ...this.#timings, select: 0, total: 0 };
    const core = reply.result;
    if (this.#countTokens) {
      // The instruction and question options stay the core's estimate, as in originTokens.
      core.compressedTokens = core.compressedPromptList.reduce((n, text) => n + countWith(this.#countTokens, text), 0) +
        Number(core.questionTokens ?? 0);
    }
    const result = buildResult(core, this.#texts, timings);
    result.device = this.#device;
    timings.select = performance.now() - t0;
    timings.total = timings.tokenize + timings.infer + timings.select;
    return result;
  }

  // Frees the core's copy of the scores. Idempotent.
  dispose() {
    if (this.#job === null) return;
    this.#job.delete();
    this.#job = null;
    this.#onDispose(this);
  }
}
