// A compressor: one wasm core instance, one tokenizer, one inference runner (runner.js). Calls
// run one at a time (a queue): neither a runner nor a core job need be re-entrant. An analysis's
// select() is synchronous, so it never interleaves with a queued call's core work.
import { InvalidStateError, InvalidArgumentError, InternalError, checkCore, asMooscompError } from './errors.js';
import { encodeInput } from './text.js';
import { normaliseOptions, fromSnakeCase, isPrepareOption, forCore, splitCallOptions, throwIfAborted } from './options.js';
import { toLLMLingua2 } from './result.js';
import { Analysis } from './analysis.js';
import { isSegmentList, normaliseSegments, compressSegments, analyzeSegments } from './segments.js';
import { structuredContexts } from './llmlingua-markup.js';
import { countWith, setTokenCounts } from './token-counts.js';

export class Compressor {
  #core;
  #native;
  #runner;
  #manifest;
  #tail = Promise.resolve();
  #disposed = false;
  #analyses = new Set();
  #modelCalls = 0;
  #defaults;
  #countTokens;

  // defaults: createCompressor's, normalised; they override the manifest's, calls override
  // both. countTokens: the caller's exact token count, or undefined for the core's estimate.
  constructor(core, native, runner, manifest, { defaults = {}, countTokens } = {}) {
    this.#core = core;
    this.#native = native;
    this.#runner = runner;
    this.#manifest = manifest;
    this.#defaults = { ...manifest.defaults, ...defaults };
    this.#countTokens = countTokens;
  }

  // The options every call starts from: the model manifest's, then createCompressor's defaults.
  get defaults() {
    return structuredClone(this.#defaults);
  }

  // Where the model runs: 'wasm' or 'webgpu' (the default runner), else the runner's own.
  get device() {
    return this.#runner.device;
  }

  get model() {
    const { name, tokenizer, maxSeqLen, hiddenSize, defaults } = this.#manifest;
    return { name, tokenizer: tokenizer.kind, maxSeqLen, hiddenSize, defaults: { ...defaults } };
  }

  // Model batches run so far by this compressor (diagnostics: select() runs none).
  get modelCalls() {
    return this.#modelCalls;
  }

  // Input and options are read, validated and copied when called (the promise rejects at
  // once when they are bad): changing or transferring them afterwards does not matter.
  // options.signal (AbortSignal) rejects the call with AbortError: at once if already aborted,
  // else between model batches; options.onProgress({stage: 'infer', windowsDone, windowsTotal})
  // follows each model batch.
  compress(input, options) {
    return this.#start(() => {
      const { call, rest } = splitCallOptions(options);
      throwIfAborted(call.signal);
      if (isSegmentList(input)) {
        const segments = normaliseSegments(input);
        const opts = normaliseOptions(rest);
        return () => this.#segments([segments], opts, call);
      }
      const opts = normaliseOptions(rest, this.#defaults);
      const encoded = encodeInput(input);
      return () => this.#compress(encoded, opts, call);
    });
  }

  // Runs the model once over `input` with the prepare options; the Analysis's select(options)
  // then gives what compress() would, for any select options. signal and onProgress as compress.
  analyze(input, options) {
    return this.#start(() => {
      const { call, rest } = splitCallOptions(options);
      throwIfAborted(call.signal);
      if (isSegmentList(input)) {
        const segments = normaliseSegments(input);
        const opts = normaliseOptions(rest, {}, 'prepare');
        return () => analyzeSegments([segments], opts, this.#engine(call));
      }
      const opts = normaliseOptions(rest, this.#defaults, 'prepare');
      const encoded = encodeInput(input);
      return () => this.#analyze(encoded, (bytes, lengths) => this.#native.analyze(bytes, lengths, forCore('prepare', opts)), call);
    });
  }

  // LLMLingua-2's PromptCompressor.compress_prompt names and return shape; text with
  // llmlingua markup is compressed as structured_compress_prompt does.
  compress_prompt(context, options) {
    return this.#snake(context, options, false);
  }

  // LLMLingua's structured_compress_prompt markup (segments.js), on the LLMLingua-2 path.
  structured_compress_prompt(context, options) {
    return this.#snake(context, options, true);
  }

  // Waits for queued calls, then disposes live analyses (their select() then throws
  // InvalidStateError) and frees the core and the runner. Idempotent.
  dispose() {
    if (this.#disposed) return this.#tail;
    this.#disposed = true;
    return this.#tail.then(async () => {
      for (const analysis of [...this.#analyses]) analysis.dispose();
      this.#native.delete();
      await this.#runner.release();
    });
  }

  // snapshot() runs now: it validates and copies the call's arguments, and returns the work
  // to queue. Its errors reject the returned promise.
  #start(snapshot) {
    if (this.#disposed) return Promise.reject(new InvalidStateError('the compressor is disposed'));
    let work;
    try {
      work = snapshot();
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.#tail.then(work);
    this.#tail = run.catch(() => {});
    return run;
  }

  // signal and onProgress are taken as compress() takes them; the rest are LLMLingua-2's names.
  #snake(context, options, always) {
    return this.#start(() => {
      const { call, rest } = splitCallOptions(options);
      throwIfAborted(call.signal);
      const { options: camel, output } = fromSnakeCase(rest);
      const contexts = structuredContexts(context, { always });
      if (contexts) {
        const opts = normaliseOptions(camel);
        return async () => toLLMLingua2(await this.#segments(contexts, opts, call), output);
      }
      const opts = normaliseOptions(camel, this.#defaults);
      const encoded = encodeInput(context);
      return async () => toLLMLingua2(await this.#compress(encoded, opts, call), output);
    });
  }

  #segments(contexts, options, call) {
    return compressSegments(contexts, options, this.#engine(call));
  }

  // What segments.js needs: an analysis per group of segments, the token estimate, the device.
  #engine(call) {
    return {
      analyze: (texts, options) => this.#analyze(encodeInput(texts),
        (bytes, lengths) => this.#native.analyze(bytes, lengths, forCore('prepare', normaliseOptions(options, this.#defaults, 'prepare'))), call),
      estimate: (text) => (this.#countTokens ? countWith(this.#countTokens, text)
        : this.#call(() => this.#core.estimateTargetTokens(text))),
      defaults: this.#defaults,
      device: this.#runner.device,
    };
  }

  // analyze + select + dispose. The core checks the select options before the model runs.
  async #compress(encoded, opts, call) {
    const select = Object.fromEntries(Object.entries(opts).filter(([key]) => !isPrepareOption(key)));
    const analysis = await this.#analyze(encoded,
      (bytes, lengths) => this.#native.prepare(bytes, lengths, forCore('prepare', opts), forCore('select', select)), call);
    try {
      return analysis.select(select);
    } finally {
      analysis.dispose();
    }
  }

  // encoded: encodeInput's output; prepare(bytes, lengths) makes the core job. The model runs
  // its batches, the core scores them once.
  async #analyze({ texts, bytes, lengths }, prepare, { signal, onProgress }) {
    throwIfAborted(signal); // aborted while queued
    const t0 = performance.now();
    const job = checkCore(this.#call(() => prepare(bytes, lengths)), 'prepare').job;
    try {
      const t1 = performance.now();
      const needsHidden = job.needsHidden();
      const batches = job.batchCount();
      let windowsTotal = 0;
      for (let i = 0; i < batches; i++) windowsTotal += job.batchRows(i);
      let windowsDone = 0;
      for (let i = 0; i < batches; i++) {
        throwIfAborted(signal);
        const rows = job.batchRows(i);
        const seqLen = job.batchSeqLen(i);
        this.#modelCalls++;
        const out = await this.#runner.run(job.inputIds(i), job.attentionMask(i), rows, seqLen, needsHidden);
        checkCore(job.setLogits(i, out.logits), 'setLogits');
        if (needsHidden) checkCore(job.setHidden(i, out.hidden), 'setHidden');
        windowsDone += rows;
        if (onProgress) report(onProgress, { stage: 'infer', windowsDone, windowsTotal });
      }
      throwIfAborted(signal);
      checkCore(this.#call(() => job.score()), 'score');
      if (this.#countTokens) setTokenCounts(job, texts, this.#countTokens, (fn) => this.#call(fn));
      const t2 = performance.now();
      const analysis = new Analysis({
        job,
        texts,
        timings: { tokenize: t1 - t0, infer: t2 - t1 },
        device: this.#runner.device,
        defaults: this.#defaults,
        countTokens: this.#countTokens,
        callCore: (fn) => this.#call(fn),
        onDispose: (a) => this.#analyses.delete(a),
      });
      this.#analyses.add(analysis);
      return analysis;
    } catch (err) {
      job.delete();
      throw err;
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

// A throwing progress callback fails the call with a typed error.
function report(onProgress, progress) {
  try {
    onProgress(progress);
  } catch (err) {
    throw asMooscompError(err, InvalidArgumentError, 'onProgress threw');
  }
}
