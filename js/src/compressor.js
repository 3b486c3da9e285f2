// A compressor: one wasm core instance, one tokenizer, one ORT session. Calls run one at a
// time (a queue): neither the ORT session nor a core job is re-entrant. An analysis's
// select() is synchronous, so it never interleaves with a queued call's core work.
import { InvalidStateError, InternalError, checkCore, asMooscompError } from './errors.js';
import { encodeInput } from './text.js';
import { normaliseOptions, fromSnakeCase, isPrepareOption } from './options.js';
import { toLLMLingua2 } from './result.js';
import { Analysis } from './analysis.js';
import { isSegmentList, normaliseSegments, compressSegments, analyzeSegments } from './segments.js';
import { structuredContexts } from './llmlingua-markup.js';

export class Compressor {
  #core;
  #native;
  #session;
  #manifest;
  #tail = Promise.resolve();
  #disposed = false;
  #analyses = new Set();
  #modelCalls = 0;

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

  // Model batches run so far by this compressor (diagnostics: select() runs none).
  get modelCalls() {
    return this.#modelCalls;
  }

  compress(input, options) {
    if (isSegmentList(input)) return this.#enqueue(() => this.#segments([normaliseSegments(input)], options));
    return this.#enqueue(() => this.#compress(input, options));
  }

  // Runs the model once over `input` with the prepare options; the Analysis's select(options)
  // then gives what compress() would, for any select options.
  analyze(input, options) {
    if (isSegmentList(input)) return this.#enqueue(() => analyzeSegments([normaliseSegments(input)], options, this.#engine()));
    return this.#enqueue(() => this.#analyzeOnly(input, options));
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
  // InvalidStateError) and frees the core and the ORT session. Idempotent.
  dispose() {
    if (this.#disposed) return this.#tail;
    this.#disposed = true;
    return this.#tail.then(async () => {
      for (const analysis of [...this.#analyses]) analysis.dispose();
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

  #snake(context, options, always) {
    return this.#enqueue(async () => {
      const { options: camel, output } = fromSnakeCase(options);
      const contexts = structuredContexts(context, { always });
      const result = contexts ? await this.#segments(contexts, camel) : await this.#compress(context, camel);
      return toLLMLingua2(result, output);
    });
  }

  #segments(contexts, options) {
    return compressSegments(contexts, options, this.#engine());
  }

  // What segments.js needs: an analysis per group of segments, and the token estimate.
  #engine() {
    return {
      analyze: (texts, options) => this.#analyzeOnly(texts, options),
      estimate: (text) => this.#call(() => this.#core.estimateTargetTokens(text)),
      defaults: this.#manifest.defaults,
    };
  }

  #analyzeOnly(input, options) {
    return this.#analyze(input, normaliseOptions(options, this.#manifest.defaults, 'prepare'),
      (bytes, lengths, opts) => this.#native.analyze(bytes, lengths, opts));
  }

  // analyze + select + dispose. The core checks the select options before the model runs.
  async #compress(input, options) {
    const opts = normaliseOptions(options, this.#manifest.defaults);
    const analysis = await this.#analyze(input, opts, (bytes, lengths) => this.#native.prepare(bytes, lengths, opts));
    try {
      const select = Object.fromEntries(Object.entries(opts).filter(([key]) => !isPrepareOption(key)));
      return analysis.select(select);
    } finally {
      analysis.dispose();
    }
  }

  // prepare(bytes, lengths, opts) makes the core job; the model runs its batches, the core
  // scores them once.
  async #analyze(input, opts, prepare) {
    const t0 = performance.now();
    const { texts, bytes, lengths } = encodeInput(input);
    const job = checkCore(this.#call(() => prepare(bytes, lengths, opts)), 'prepare').job;
    try {
      const t1 = performance.now();
      const needsHidden = job.needsHidden();
      for (let i = 0, n = job.batchCount(); i < n; i++) {
        const rows = job.batchRows(i);
        const seqLen = job.batchSeqLen(i);
        this.#modelCalls++;
        const out = await this.#session.run(job.inputIds(i), job.attentionMask(i), rows, seqLen, needsHidden);
        checkCore(job.setLogits(i, out.logits), 'setLogits');
        if (needsHidden) checkCore(job.setHidden(i, out.hidden), 'setHidden');
      }
      checkCore(this.#call(() => job.score()), 'score');
      const t2 = performance.now();
      const analysis = new Analysis({
        job,
        texts,
        timings: { tokenize: t1 - t0, infer: t2 - t1 },
        defaults: this.#manifest.defaults,
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
