// A compressor: one wasm core instance, one tokenizer, one inference runner (runner.js). Calls
// run at the same time, each its own core job: their model batches take turns on the runner
// (runner.js), and each call yields to the host between batches, so a short call started during
// a long one finishes after a batch or two instead of waiting for the end. Core calls are
// synchronous, so no two ever overlap; an analysis's select() is synchronous too.
import { InvalidStateError, InvalidArgumentError, InternalError, checkCore, asMooscompError } from './errors.js';
import { encodeInput } from './text.js';
import { normaliseOptions, fromSnakeCase, splitPhases, forCore, splitCallOptions, throwIfAborted } from './options.js';
import { hasCode } from './code-pieces.js';
import { messageContexts, messagesResult, splitMessageOptions, copyMessages } from './messages.js';
import { readJson, jsonContexts, jsonResult, splitJsonOptions } from './json-values.js';
import { toLLMLingua2 } from './result.js';
import { Analysis, selectNormalised } from './analysis.js';
import { isSegmentList, normaliseSegments, makeSegment, checkSegmentSelect, analyzeSegments } from './segments.js';
import { structuredContexts } from './llmlingua-markup.js';
import { countWith, setTokenCounts } from './token-counts.js';
import { yieldToHost } from './yield-to-host.js';
import { holdEventLoop } from './hold-event-loop.js';

export class Compressor {
  #engine;
  #manifest;
  #inFlight = new Set(); // the calls started and not yet settled
  #disposed = false;
  #released; // dispose()'s promise
  #defaults;
  #outliers;

  // defaults: createCompressor's, normalised; they override the manifest's, calls override
  // both. countTokens: the caller's exact token count, or undefined for the core's estimate.
  constructor(core, native, runner, manifest, { defaults = {}, countTokens } = {}) {
    this.#manifest = manifest;
    this.#defaults = { ...manifest.defaults, ...defaults };
    this.#outliers = native.supportedOutliers(); // what this model's statistics allow, as the core says
    this.#engine = new Engine({ core, native, runner, defaults: this.#defaults, countTokens });
  }

  // The options every call starts from: the model manifest's, then createCompressor's defaults.
  get defaults() {
    return structuredClone(this.#defaults);
  }

  // Where the model runs: 'wasm' or 'webgpu' (the default runner), else the runner's own.
  get device() {
    return this.#engine.device;
  }

  get model() {
    const { name, tokenizer, maxSeqLen, hiddenSize, defaults } = this.#manifest;
    return { name, tokenizer: tokenizer.kind, maxSeqLen, hiddenSize, defaults: { ...defaults }, outliers: [...this.#outliers] };
  }

  // Model batches run so far by this compressor (diagnostics: select() runs none).
  get modelCalls() {
    return this.#engine.modelCalls;
  }

  // Input and options are read, validated and copied when called (the promise rejects at
  // once when they are bad): changing or transferring them afterwards does not matter.
  // options.signal (AbortSignal) rejects the call with AbortError: at once if already aborted,
  // else between model batches; options.onProgress({stage: 'infer', windowsDone, windowsTotal})
  // follows each model batch, one count over the whole call (every group of a segment list).
  // analyze + select + dispose.
  compress(input, options) {
    return this.#start(() => selectOnce(this.#plan(input, options)));
  }

  // Runs the model once over `input` with the prepare options; the Analysis's select(options)
  // then gives what compress() would, for any select options. signal and onProgress as compress.
  analyze(input, options) {
    return this.#start(() => this.#plan(input, options, 'prepare').analyze);
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

  // Chat messages [{role, content}] in one model pass (messages.js): each message one context.
  // Options: compress()'s, plus roles: {[role]: {compress?, rate?, targetTokens?, forceTokens?}}
  // and keepLastUser (default true). Resolves to {messages, ...compress()'s result}.
  compressMessages(messages, options) {
    return this.#start(() => {
      const { call, rest } = splitCallOptions(options);
      throwIfAborted(call.signal);
      const { own, rest: compressOptions } = splitMessageOptions(rest);
      const opts = normaliseOptions(compressOptions, this.#defaults);
      const contexts = messageContexts(messages, own);
      const copies = copyMessages(messages);
      const work = selectOnce(this.#segmentPlan(contexts, opts, call));
      return async () => messagesResult(copies, await work());
    });
  }

  // A JSON value or JSON text (json-values.js): string values of at least minLength characters
  // are compressed (one context each, one model pass), keys and everything else kept.
  compressJson(value, options) {
    return this.#start(() => {
      const { call, rest } = splitCallOptions(options);
      throwIfAborted(call.signal);
      const { minLength, rest: compressOptions } = splitJsonOptions(rest);
      const opts = normaliseOptions(compressOptions, this.#defaults);
      const doc = readJson(value);
      const contexts = jsonContexts(doc, minLength);
      const work = contexts.length ? selectOnce(this.#segmentPlan(contexts, opts, call)) : async () => null;
      return async () => jsonResult(doc, await work(), (text) => this.#engine.estimate(text), this.#engine.device);
    });
  }

  // Waits for the calls in flight to settle (each model run is bounded by runTimeout), then
  // disposes live analyses (their select() then throws InvalidStateError) and frees the core
  // and the runner. Always settles: a runner's release() that throws or hangs past runTimeout
  // rejects it with a typed error, after the core is freed. Idempotent.
  dispose() {
    if (!this.#disposed) {
      this.#disposed = true;
      this.#released = Promise.allSettled([...this.#inFlight]).then(() => this.#engine.release());
    }
    return this.#released;
  }

  // snapshot() runs now: it validates and copies the call's arguments, and returns the work,
  // started on the next microtask. Its errors reject the returned promise.
  #start(snapshot) {
    if (this.#disposed) return Promise.reject(new InvalidStateError('the compressor is disposed'));
    let work;
    try {
      work = snapshot();
    } catch (err) {
      return Promise.reject(err);
    }
    const run = Promise.resolve().then(work);
    this.#inFlight.add(run);
    const release = holdEventLoop();
    const forget = () => {
      this.#inFlight.delete(run);
      release();
    };
    run.then(forget, forget);
    return run;
  }

  // signal and onProgress are taken as compress() takes them; the rest are LLMLingua-2's names.
  #snake(context, options, always) {
    return this.#start(() => {
      const { call, rest } = splitCallOptions(options);
      throwIfAborted(call.signal);
      const { options: camel, output } = fromSnakeCase(rest);
      const opts = normaliseOptions(camel, this.#defaults);
      const contexts = structuredContexts(context, { always });
      const work = selectOnce(contexts ? this.#segmentPlan(contexts, opts, call) : this.#inputPlan(context, opts, call, undefined, false));
      return async () => toLLMLingua2(await work(), output);
    });
  }

  // One call's input and options, validated, normalised (over the defaults) and copied now:
  // {analyze, select}. analyze() is the queued work, resolving to an analysis; select holds
  // the call's select options. phase 'prepare' (analyze()) takes only prepare options;
  // undefined (compress()) takes all.
  #plan(input, options, phase) {
    const { call, rest } = splitCallOptions(options);
    throwIfAborted(call.signal);
    return this.#inputPlan(input, normaliseOptions(rest, this.#defaults, phase), call, phase);
  }

  // opts: normalised over the defaults. Text with fenced code becomes one segment per context,
  // so that code is cut out of the model's input (the `code` option), with the text's result shape.
  // segments: whether a segment list is taken (compress_prompt takes LLMLingua's inputs only).
  #inputPlan(input, opts, call, phase, segments = true) {
    if (segments && isSegmentList(input)) return this.#segmentPlan([normaliseSegments(input)], opts, call, phase);
    const encoded = encodeInput(input);
    if ((opts.code ?? 'keep') !== 'prose' && hasCode(encoded.texts)) {
      const contexts = encoded.texts.map((text) => [makeSegment(text)]);
      return this.#segmentPlan(contexts, opts, call, phase, { plain: true });
    }
    return this.#textPlan(encoded, opts, call, phase);
  }

  // encoded: encodeInput's output; opts: normalised.
  #textPlan(encoded, opts, call, phase) {
    const { prepare, select } = splitPhases(opts);
    // For one selection the core checks its options before the model runs, and computes no
    // outlier reading that alpha 1 would not use.
    const once = phase === undefined ? select : undefined;
    return {
      select,
      analyze: async () => {
        throwIfAborted(call.signal); // aborted before it started
        const prepared = this.#engine.prepare(encoded, prepare, once);
        encoded = undefined; // the core has its copy: the UTF-8 bytes need not live through inference
        const [analysis] = await this.#engine.run([prepared], call);
        return analysis;
      },
    };
  }

  // contexts: one list of normalised segments per context (segments.js); opts: normalised.
  // shape.plain: the caller gave text (analyzeSegments).
  #segmentPlan(contexts, opts, call, phase, shape = {}) {
    const { prepare, select } = splitPhases(opts);
    try {
      checkSegmentSelect(select); // before the model runs
    } catch (err) {
      if (shape.plain) err.message += ": this text has fenced code, kept out of the model as segments; pass code: 'prose' to use it";
      throw err;
    }
    return {
      select,
      analyze: () => {
        throwIfAborted(call.signal); // aborted before it started
        return analyzeSegments(contexts, prepare, this.#engine, call, shape);
      },
    };
  }
}

// The compressor's core and model, driven the same way by text (Compressor) and segment lists
// (segments.js, which is handed this object): core jobs prepared, the model run over them,
// target-LLM tokens counted. It owns the live analyses, freed by release().
class Engine {
  #core;
  #native;
  #runner;
  #defaults;
  #countTokens;
  #analyses = new Set();
  #modelCalls = 0;

  // defaults: the compressor's, normalised (analyses take them); countTokens as Compressor's.
  constructor({ core, native, runner, defaults, countTokens }) {
    this.#core = core;
    this.#native = native;
    this.#runner = runner;
    this.#defaults = defaults;
    this.#countTokens = countTokens;
  }

  // Not a copy: read only (segment analyses normalise their select options over them).
  get defaults() {
    return this.#defaults;
  }

  get device() {
    return this.#runner.device;
  }

  get modelCalls() {
    return this.#modelCalls;
  }

  // Target-LLM tokens of a text: the caller's countTokens, else the core's estimate.
  estimate(text) {
    return this.#countTokens ? countWith(this.#countTokens, text) : this.#call(() => this.#core.estimateTargetTokens(text));
  }

  // A core job for encodeInput's output, tokenised and batched, its model not yet run:
  // {job, texts, timings}. prepare: normalised prepare options; select: the one selection's
  // normalised select options, or undefined for any number of selections.
  prepare({ texts, bytes, lengths }, prepare, select) {
    const t0 = performance.now();
    const reply = this.#call(() => (select
      ? this.#native.prepare(bytes, lengths, forCore('prepare', prepare), forCore('select', select))
      : this.#native.analyze(bytes, lengths, forCore('prepare', prepare))));
    const { job } = checkCore(reply, 'prepare');
    return { job, texts, timings: { tokenize: performance.now() - t0, infer: 0 } };
  }

  // Runs the model over every batch of every prepared job (prepare()), reporting progress as
  // one count over all of them, then scores each: one Analysis per job, in order. On any
  // error or abort, every job is freed. call: {signal, onProgress}.
  async run(pending, { signal, onProgress }) {
    try {
      let windowsTotal = 0;
      for (const { job } of pending) for (let i = 0; i < job.batchCount(); i++) windowsTotal += job.batchRows(i);
      let windowsDone = 0;
      for (const { job, texts, timings } of pending) {
        const t1 = performance.now();
        const needsHidden = job.needsHidden();
        const batches = job.batchCount();
        for (let i = 0; i < batches; i++) {
          await yieldToHost(); // timers, messages and clicks run between batches
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
        await yieldToHost();
        throwIfAborted(signal);
        checkCore(this.#call(() => job.score()), 'score');
        if (this.#countTokens) setTokenCounts(job, texts, this.#countTokens, (fn) => this.#call(fn));
        timings.infer = performance.now() - t1;
      }
    } catch (err) {
      for (const { job } of pending) job.delete();
      throw err;
    }
    return pending.map(({ job, texts, timings }) => this.track(new Analysis({
      job,
      texts,
      timings,
      device: this.#runner.device,
      defaults: this.#defaults,
      countTokens: this.#countTokens,
      callCore: (fn) => this.#call(fn),
      onDispose: (a) => this.untrack(a),
    })));
  }

  // Live analyses (anything with dispose(): also segment analyses, which may hold no core job
  // at all) are disposed by release(); dispose() calls untrack.
  track(analysis) {
    this.#analyses.add(analysis);
    return analysis;
  }

  untrack(analysis) {
    this.#analyses.delete(analysis);
  }

  // Disposes live analyses (their select() then throws InvalidStateError), then frees the
  // core and the runner.
  async release() {
    for (const analysis of [...this.#analyses]) analysis.dispose();
    this.#native.delete();
    await this.#runner.release();
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

// The queued work of a compress(): the plan's analysis, its one selection, and the analysis
// freed at once (also when the model run or the selection fails).
function selectOnce({ analyze, select }) {
  return async () => {
    const analysis = await analyze();
    try {
      return analysis[selectNormalised](select);
    } finally {
      analysis.dispose();
    }
  };
}

// A throwing progress callback fails the call with a typed error.
function report(onProgress, progress) {
  try {
    onProgress(progress);
  } catch (err) {
    throw asMooscompError(err, InvalidArgumentError, 'onProgress threw');
  }
}
