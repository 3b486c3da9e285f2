// Types for the `mooscomp` package.

/** Where a model comes from: a folder (path in Node, URL anywhere) or its files' bytes. */
export type ModelSource =
  | string
  | URL
  | {
      /** manifest.json as an object, its JSON text, or its bytes (see models/MANIFEST.md). */
      manifest: object | string | Uint8Array | ArrayBuffer;
      onnx: Uint8Array | ArrayBuffer;
      tokenizer: Uint8Array | ArrayBuffer;
    };

/**
 * Where a wasm file comes from: a path (Node) or URL, its bytes, or a module already
 * compiled (edge runtimes such as Cloudflare's accept only this form).
 */
export type WasmSource = string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module;

export interface CreateCompressorOptions {
  /**
   * Default: the model shipped in the package (models/default/), found next to it. Required
   * in the workerd entry.
   */
  model?: ModelSource;
  /**
   * onnxruntime-web wasm threads (default 1). ORT starts once per process: the first
   * compressor that starts it decides, and a later one asking for another count gets
   * InvalidStateError. A start that failed keeps nothing (see `ortWasm`).
   */
  threads?: number;
  /** The core's mooscomp-core.wasm. Default: dist/ next to the package. */
  coreWasm?: WasmSource;
  /**
   * onnxruntime-web's ort-wasm-simd-threaded.wasm (device 'wasm'). Default: next to
   * onnxruntime-web. Like `threads`, only the value of the compressor that starts ORT is used.
   * Bytes that are no wasm, or a file that cannot be read, are an InvalidArgumentError and
   * leave ORT unstarted; a wasm that ORT itself fails to start on is an InvalidArgumentError
   * too, after which ORT cannot start again in this process (InvalidStateError).
   */
  ortWasm?: WasmSource;
  /**
   * Where the default runner runs the model: 'wasm' (default; onnxruntime-web's CPU build)
   * or 'webgpu' (its WebGPU build, in browsers that have WebGPU; it loads
   * ort-wasm-simd-threaded.asyncify.wasm next to onnxruntime-web's webgpu bundle). When WebGPU
   * is unavailable or the session cannot be made there, the compressor falls back to 'wasm':
   * `compressor.device` and each result's `device` say which ran. Nodes without a WebGPU
   * kernel (the int8 model's DynamicQuantizeLinear and MatMulInteger) run on ORT's CPU EP
   * inside the WebGPU session.
   * @example createCompressor({ device: 'webgpu' })
   */
  device?: Device;
  /**
   * The most milliseconds one model run (a batch, or the load-time check) or the runner's
   * release() may take (default 120000; Infinity for no limit). Past it the call, or
   * dispose(), rejects with TimeoutError and the calls after it go on; the run itself
   * cannot be stopped, and its late answer is ignored.
   */
  runTimeout?: number;
  /**
   * What runs the model, instead of the onnxruntime-web session: a Runner, or a function
   * given the model and the default runner's factory (to wrap it: time or memoise runs).
   * `device` applies to the default runner only (with a Runner object it is an
   * InvalidArgumentError). Outputs of the wrong type or size are InvalidModelErrors.
   * @example
   * // Count and time every model batch.
   * let ms = 0;
   * const c = await createCompressor({
   *   runner: async ({ createDefault }) => {
   *     const inner = await createDefault();
   *     return {
   *       device: inner.device,
   *       async run(...args) { const t = performance.now(); try { return await inner.run(...args); } finally { ms += performance.now() - t; } },
   *       release: () => inner.release(),
   *     };
   *   },
   * });
   */
  runner?: Runner | ((context: RunnerContext) => Runner | Promise<Runner>);
  /**
   * Keep the model's files (http(s) URLs) in the Cache API, under this cache name
   * (`true`: "mooscomp-models"), so a later load reads no network. Default false.
   */
  cache?: boolean | string;
  /** Called as model files load: see ModelProgress. What it throws rejects createCompressor. */
  onProgress?: (event: ModelProgress) => void;
  /**
   * The most bytes read for each file of a model folder (files and fetch alike); a larger
   * file is an InvalidModelError. Default MODEL_FILE_LIMITS.
   */
  modelLimits?: { manifest?: number; onnx?: number; tokenizer?: number };
  /**
   * compress() options every call starts from, validated here (InvalidArgumentError before
   * anything loads). Model manifest defaults < these < each call's options.
   * @example
   * const c = await createCompressor({ defaults: { rate: 0.33, forceTokens: ['\n'] } });
   * await c.compress(prompt);               // rate 0.33, force tokens ["\n"]
   * await c.compress(prompt, { rate: 0.5 }); // rate 0.5, force tokens ["\n"]
   */
  defaults?: CompressOptions;
  /**
   * The target LLM's exact token count of a text. When given, it drives `rate` and
   * `targetTokens` and the reported originTokens/compressedTokens instead of the built-in
   * cl100k estimate: once per analysis for each context and each distinct word, and per
   * selection for the compressed text. Throwing, or returning anything but a non-negative
   * integer, fails the call with InvalidArgumentError (option 'countTokens').
   * @example
   * import { getEncoding } from 'js-tiktoken';
   * const cl100k = getEncoding('cl100k_base');
   * const c = await createCompressor({ countTokens: (s) => cl100k.encode(s).length });
   */
  countTokens?: (text: string) => number;
}

/** Where the default runner runs the model. */
export type Device = 'wasm' | 'webgpu';

/**
 * An inference runner: runs the token classifier on one batch. The default one is an
 * onnxruntime-web session; calls into onnxruntime-web are serialised process-wide.
 */
export interface Runner {
  /**
   * inputIds and attentionMask hold rows x seqLen values (row-major). Resolves to logits,
   * rows x seqLen x 2 values, and when needsHidden the last hidden states, rows x seqLen x
   * hiddenSize values. A compressor calls it one batch at a time (once at load, at maxSeqLen).
   */
  run(inputIds: BigInt64Array, attentionMask: BigInt64Array, rows: number, seqLen: number, needsHidden: boolean):
    Promise<{ logits: Float32Array; hidden?: Float32Array }>;
  /** Called once, by dispose() or when createCompressor fails after making the runner. */
  release(): void | Promise<void>;
  /** Reported as compressor.device and result.device; 'custom' when absent. */
  readonly device?: string;
}

/** What a runner function is given. */
export interface RunnerContext {
  model: { name: string; maxSeqLen: number; hiddenSize: number };
  /** The ONNX model's bytes. */
  onnx: Uint8Array;
  /** Makes the default runner (onnxruntime-web, with the compressor's threads, ortWasm, device). */
  createDefault(): Promise<Runner & { readonly device: Device }>;
}

/** One step of loading a model file. */
export interface ModelProgress {
  stage: 'model';
  /** The file's name in the model folder (manifest.json, or as the manifest names it). */
  file: string;
  loadedBytes: number;
  /** null when the server sends no length. */
  totalBytes: number | null;
  /** true for a local file, bytes given, or a Cache API hit; false for the network. */
  cached: boolean;
}

/** Default per-file size limits (bytes): manifest 32 MiB, ONNX 1 GiB, tokenizer 64 MiB. */
export declare const MODEL_FILE_LIMITS: Readonly<{ manifest: number; onnx: number; tokenizer: number }>;

/** The outlier readings (see CompressOptions.outlier and core/ALGORITHM.md). */
export type OutlierKind = 'none' | 'hidden' | 'lexical' | 'hidden-train' | 'word-rarity' | 'word-rarity-first';

/**
 * The options that shape the model's work, fixed by `analyze()`: forceTokens, chunkEndTokens,
 * keepStructure, wordScore, outlier, maxBatchSize, code.
 */
export type PrepareOptions = Pick<CompressOptions, 'forceTokens' | 'chunkEndTokens' | 'keepStructure' | 'wordScore' | 'outlier' | 'maxBatchSize' | 'question' | 'instruction' | 'code'>;

/** The options that pick words from an analysis: every compress() option but the prepare ones. */
export type SelectOptions = Omit<CompressOptions, keyof PrepareOptions>;

/**
 * compress() options. Generated from core/options.json (node scripts/gen-options.mjs);
 * `outlier` and `alpha` default to the model manifest's values when it sets them.
 */
export interface CompressOptions {
  // options:begin
  /** Fraction of target-LLM tokens to keep. (0, 1]. Default 0.5. Select option. */
  rate?: number;
  /** Keep about this many target-LLM tokens (wins over rate). [1, 2147483647], or -1 (unset). Default -1. Select option. */
  targetTokens?: number;
  /** Keep words whose fused score is above it (wins over rate and targetTokens). [0, 1], or -1 (unset). Default -1. Select option. */
  threshold?: number;
  /** 'window': LLMLingua-2's per-window percentile; 'global': one threshold over the whole prompt. 'window' | 'global'. Default "window". Select option. */
  scope?: 'window' | 'global';
  /** Strings always kept, e.g. "\n", "?" (non-empty). at most 100 strings. Default []. Prepare option. */
  forceTokens?: string[];
  /** Where windows may end (non-empty). at most 100 strings. Default [".","\n"]. Prepare option. */
  chunkEndTokens?: string[];
  /** Keep every word with a digit. true | false. Default false. Select option. */
  forceReserveDigit?: boolean;
  /** Keep a negation with the word it negates, a number with its unit, the words of a date: together or not at all. true | false. Default true. Select option. */
  keepMeaning?: boolean;
  /** Every sentence (ended by . ! ? 。 ！ ？ । ؟ or a line break) of at least 3 words with a letter, digit or symbol, and every labelled line however short (an option '(B) kite', a key 'name: x'), keeps at least its best-scored word and that word's bond; the lowest-scored kept words of the same window (or prompt, scope 'global') are dropped for as many target-LLM tokens (never a sentence's last word); a window that cannot pay takes back its weakest sentences' words, so the budget holds. With threshold, words are only added. true | false. Default true. Select option. */
  keepEverySentence?: boolean;
  /** Keep markup well-formed: fence lines, inline code and table pipes always; heading, list, quote and "key:" markers with their line; a link whole. true | false. Default true. Prepare option. */
  keepStructure?: boolean;
  /** Drop a force token that repeats the one right before it. true | false. Default false. Select option. */
  dropConsecutive?: boolean;
  /** How a word's score comes from its tokens' (LLMLingua-2's token_to_word). 'mean' | 'first'. Default "mean". Prepare option. */
  wordScore?: 'mean' | 'first';
  /** MOOSComp outlier reading fused with the classifier (the model manifest may set another default). 'none' | 'hidden' | 'lexical' | 'hidden-train' | 'word-rarity' | 'word-rarity-first'. Default "none". Prepare option. */
  outlier?: OutlierKind;
  /** m = alpha * p + (1 - alpha) * outlier; 1 = LLMLingua-2 (the model manifest may set another default). [0, 1]. Default 1. Select option. */
  alpha?: number;
  /** LLMLingua-2's context-level filter over a list of contexts. true | false. Default false. Select option. */
  useContextLevelFilter?: boolean;
  /** Select words within the kept contexts. true | false. Default true. Select option. */
  useTokenLevelFilter?: boolean;
  /** Contexts to keep (context-level filter). [1, 2147483647], or -1 (unset). Default -1. Select option. */
  targetContext?: number;
  /** Fraction of contexts to keep (context-level filter). (0, 1]. Default 1. Select option. */
  contextLevelRate?: number;
  /** Target-LLM tokens of contexts to keep (context-level filter). [1, 2147483647], or -1 (unset). Default -1. Select option. */
  contextLevelTargetToken?: number;
  /** Contexts always kept, by index (each below the number of contexts). integers in [0, 2147483647]. Default []. Select option. */
  forceContextIds?: number[];
  /** Windows per model call. Above 1, a dynamically quantized (int8) model's per-batch activation scales make a window's scores depend on the windows batched with it (the default model on examples/meeting.txt and gsm8k-cot.txt: 6 of 2,441 keep decisions change at 8); at 1, a context's output never depends on its neighbours. [1, 1024]. Default 1. Prepare option. */
  maxBatchSize?: number;
  /** The question the prompt is for: never compressed, placed after the contexts, its tokens counted in the budget. Windows get budgets by their relevance to it (BM25 over word units) and words near its words a bonus (questionWeight). '' = none. a string of at most 1048576 characters. Default "". Prepare option. */
  question?: string;
  /** An instruction: never compressed, placed before the contexts, its tokens counted in the budget. '' = none. a string of at most 1048576 characters. Default "". Prepare option. */
  instruction?: string;
  /** With a question: m' = (1 - w) * m + w * nearness of the word to a question word (1 on it, fading over 10 words); 0 = no bonus. [0, 1]. Default 0.3. Select option. */
  questionWeight?: number;
  /** The order of the kept contexts: as given; most relevant to the question first; or most relevant at both ends, least in the middle (LongLLMLingua's order against lost-in-the-middle). 'original' | 'relevance' | 'two-ends'. Default "original". Select option. */
  reorder?: 'original' | 'relevance' | 'two-ends';
  /** Fenced code blocks (backtick or tilde fences, CommonMark rules; JS side): 'keep' byte for byte, never seen by the model; 'lines': whole lines only, comment lines, docstrings and blank lines dropped, statements and fences kept; 'prose': compressed as text. 'keep' | 'lines' | 'prose'. Default "keep". Prepare option. */
  code?: 'keep' | 'lines' | 'prose';
  // options:end
}

export interface Word {
  /** The word's text, sliced from its context: `contexts[context].slice(start, end)`. */
  text: string;
  /** UTF-16 offsets into its own context's string. */
  start: number;
  end: number;
  keep: boolean;
  /** Kept by a rule (force token, digit) rather than by its score. */
  forced: boolean;
  /** Fused score in [0, 1]; 1 for forced words. */
  score: number;
  /** Index of the context the word belongs to. */
  context: number;
  /**
   * Segment inputs only: the index in `CompressResult.segments`. `start`/`end` then index the
   * concatenation of the segments' texts (the original prompt, for `protectPrompt`'s).
   */
  segment?: number;
}

/**
 * One part of a prompt given as a segment list. A plain string is `{text}`. Protected
 * (`compress: false`, which wins over the rest) text is kept byte for byte.
 */
export interface Segment {
  text: string;
  /** Default true. */
  compress?: boolean;
  /** This segment's rate, in (0, 1]; default: the call's. */
  rate?: number;
  /** This segment's own budget (wins over rate); -1 = unset. */
  targetTokens?: number;
  /** Added to the call's forceTokens for this segment. */
  forceTokens?: string[];
}

export interface SegmentResult {
  context: number;
  /** UTF-16 offsets of the segment's text within its context's (unmarked) text. */
  start: number;
  end: number;
  compress: boolean;
  rate?: number;
  targetTokens?: number;
  forceTokens?: string[];
  /** The rate this segment was compressed at (targetTokens over the compressible part). */
  effectiveRate?: number;
  /** The compressed text; for a protected segment, its text unchanged. */
  output: string;
  originTokens: number;
  compressedTokens: number;
  /**
   * True when none of the segment reached the model: `compress: false`, or all of it fenced
   * code (kept, or cut by lines with `code: 'lines'`).
   */
  protected: boolean;
}

export interface Timings {
  /** Milliseconds: validation, encoding, tokenising and chunking (the core's prepare). */
  tokenize: number;
  /** Milliseconds in onnxruntime-web. */
  infer: number;
  /** Milliseconds selecting words and building the result. */
  select: number;
  total: number;
}

export interface CompressResult {
  /** Kept contexts' compressed text, joined by "\n\n". */
  compressedPrompt: string;
  compressedPromptList: string[];
  /** Target-LLM tokens before and after: estimated, or createCompressor's countTokens. */
  originTokens: number;
  compressedTokens: number;
  /**
   * originTokens / compressedTokens, always finite: 1 when originTokens is 0, and 1 when
   * nothing was kept (compressedTokens 0: whitespace-only input, a threshold above every score).
   */
  ratio: number;
  /** compressedTokens / originTokens; 1 when originTokens is 0. */
  rate: number;
  /**
   * Target-LLM tokens of the output that never reached the model: protected segments and
   * fenced code (after `code: 'lines'` cut it). 0 for text without either.
   */
  protectedTokens: number;
  /**
   * compressedTokens / originTokens of the compressible part alone (what `rate` asked for);
   * equals `rate` when nothing is protected, 1 when nothing is compressible.
   */
  compressibleRate: number;
  /** Tokens seen by the classifier, and the windows they were cut into. */
  modelTokens: number;
  windows: number;
  /** One per input context: whether the context-level filter kept it. */
  contextKept: boolean[];
  words: Word[];
  timings: Timings;
  /** Segment inputs only, in input order (outputs join with '' within a context). */
  segments?: SegmentResult[];
  /** Where the model ran: 'wasm' or 'webgpu' (default runner), else the runner's device. */
  device: string;
}

/** LLMLingua-2's compress_prompt option names. */
export interface CompressPromptOptions {
  // options:begin
  /** compress() option rate. */
  rate?: number;
  /** compress() option targetTokens. */
  target_token?: number;
  /** compress() option threshold. */
  threshold?: number;
  /** compress() option scope. */
  scope?: 'window' | 'global';
  /** compress() option forceTokens. */
  force_tokens?: string[];
  /** compress() option chunkEndTokens. */
  chunk_end_tokens?: string[];
  /** compress() option forceReserveDigit. */
  force_reserve_digit?: boolean;
  /** compress() option keepMeaning. */
  keep_meaning?: boolean;
  /** compress() option keepEverySentence. */
  keep_every_sentence?: boolean;
  /** compress() option keepStructure. */
  keep_structure?: boolean;
  /** compress() option dropConsecutive. */
  drop_consecutive?: boolean;
  /** compress() option wordScore. */
  token_to_word?: 'mean' | 'first';
  /** compress() option outlier. */
  outlier?: OutlierKind;
  /** compress() option alpha. */
  alpha?: number;
  /** compress() option useContextLevelFilter. */
  use_context_level_filter?: boolean;
  /** compress() option useTokenLevelFilter. */
  use_token_level_filter?: boolean;
  /** compress() option targetContext. */
  target_context?: number;
  /** compress() option contextLevelRate. */
  context_level_rate?: number;
  /** compress() option contextLevelTargetToken. */
  context_level_target_token?: number;
  /** compress() option forceContextIds. */
  force_context_ids?: number[];
  /** compress() option maxBatchSize. */
  max_batch_size?: number;
  /** compress() option question. */
  question?: string;
  /** compress() option instruction. */
  instruction?: string;
  /** compress() option questionWeight. */
  question_weight?: number;
  /** compress() option reorder. */
  reorder_context?: 'original' | 'relevance' | 'two-ends';
  /** compress() option code. */
  code?: 'keep' | 'lines' | 'prose';
  // options:end
  return_word_label?: boolean;
  /** Default "\t\t|\t\t". */
  word_sep?: string;
  /** Default " ". */
  label_sep?: string;
}

/** LLMLingua-2's return shape. As there, ratio is "1.0x" when nothing was kept. */
export interface CompressPromptResult {
  compressed_prompt: string;
  compressed_prompt_list: string[];
  origin_tokens: number;
  compressed_tokens: number;
  /** e.g. "3.0x" */
  ratio: string;
  /** e.g. "33.3%" */
  rate: string;
  /** "word label" pairs joined by word_sep, when return_word_label is set. */
  fn_labeled_original_prompt?: string;
}

/**
 * Progress of a call: after each model batch, one count over the whole call (a segment list's
 * groups included).
 */
export interface Progress {
  stage: 'infer';
  /** Windows run so far in this call: rises with each report, up to windowsTotal. */
  windowsDone: number;
  /** Windows of the whole call: the same in every report. */
  windowsTotal: number;
}

/**
 * Options of a call that are not compression options.
 * @example
 * const controller = new AbortController();
 * const r = await compressor.compress(prompt, {
 *   rate: 0.33,
 *   signal: controller.signal,  // controller.abort() rejects with AbortError
 *   onProgress: ({ windowsDone, windowsTotal }) => console.log(`${windowsDone}/${windowsTotal}`),
 * });
 */
export interface CallOptions {
  /**
   * Rejects the call with AbortError: at once when already aborted, else before the next model
   * batch. The compressor stays usable.
   */
  signal?: AbortSignal;
  /** Called after each model batch. A throwing callback fails the call (InvalidArgumentError). */
  onProgress?: (progress: Progress) => void;
}

/** A string, a list of contexts, or UTF-8 bytes (invalid bytes throw InvalidUtf8Error). */
export type CompressInput = string | string[] | Uint8Array | ArrayBuffer;

/** A segment list: an array with at least one object element (protected and per-segment text). */
export type SegmentInput = Array<string | Segment>;

/** A chat message in the LLM SDK format. Other fields (name, tool_call_id...) pass through. */
export interface ChatMessage {
  /** Any string: 'system', 'user', 'assistant', 'tool', 'developer'... */
  role: string;
  /** A string; content parts (arrays) are refused with InvalidArgumentError. */
  content: string;
  [field: string]: unknown;
}

/** A role's own options in compressMessages, as a segment's. */
export interface RoleOptions {
  compress?: boolean;
  rate?: number;
  /** Each message's own budget. */
  targetTokens?: number;
  forceTokens?: string[];
}

export interface CompressMessagesOptions extends CompressOptions {
  /**
   * Per-role options: a role's entry replaces its default (system: `{compress: false}`,
   * every other role: the call's options).
   */
  roles?: Record<string, RoleOptions>;
  /** Keep the last user message verbatim, whatever `roles.user` says. Default true. */
  keepLastUser?: boolean;
}

export interface CompressMessagesResult extends CompressResult {
  /** The messages, in order, each with its compressed content (other fields unchanged). */
  messages: ChatMessage[];
  /** One per message (context = the message's index). */
  segments: SegmentResult[];
}

export interface CompressJsonOptions extends CompressOptions {
  /** String values at least this long (UTF-16 code units) are compressed. Default 40. */
  minLength?: number;
}

export interface CompressJsonResult extends CompressResult {
  /** The document with its long strings compressed: JSON text for text input, else a value. */
  json: unknown;
  /** The path (keys and indices) of each compressed string, one per context. */
  paths: Array<Array<string | number>>;
}

/**
 * One input run through the model once (`Compressor.analyze`). `select` picks words for any
 * select options without running the model again.
 * @example
 * const a = await compressor.analyze(prompt, { forceTokens: ['\n'] });
 * const short = a.select({ rate: 0.2 });
 * const long = a.select({ rate: 0.6, alpha: 0.8 });  // same as compress(prompt, {forceTokens, rate, alpha})
 * a.dispose();
 */
export declare class Analysis {
  /**
   * Synchronous. Returns exactly what `compress(input, {...prepareOptions, ...options})` would
   * (timings aside: tokenize and infer are the analysis's, select this call's). A prepare
   * option here is an InvalidArgumentError; after dispose(), InvalidStateError.
   */
  select(options?: SelectOptions): CompressResult;
  /** Frees the analysis (idempotent). The compressor's dispose() disposes live analyses. */
  dispose(): void;
  readonly disposed: boolean;
}

export declare class Compressor {
  /** The loaded model's description. */
  readonly model: {
    name: string;
    tokenizer: 'wordpiece' | 'sentencepiece';
    maxSeqLen: number;
    hiddenSize: number;
    defaults: { outlier: OutlierKind; alpha: number };
    /** The outlier readings this model can serve (its statistics allow), as the core reports them. */
    outliers: OutlierKind[];
  };
  /**
   * Calls on one compressor run at the same time: their model batches take turns, and each
   * call yields to the host between batches, so a short call finishes during a long one.
   * analyze + select + dispose.
   * Input and options are validated and copied when called (bad ones reject at once);
   * changing or transferring them afterwards does not matter.
   */
  compress(input: CompressInput | SegmentInput, options?: CompressOptions & CallOptions): Promise<CompressResult>;
  /**
   * Runs the model once over `input` (scheduled like compress). A select option here is an
   * InvalidArgumentError. The outlier reading (default from the model) is computed whatever
   * alpha a selection uses, so the model must support it.
   */
  analyze(input: CompressInput | SegmentInput, options?: PrepareOptions & CallOptions): Promise<Analysis>;
  /** The options every call starts from: the manifest's, then createCompressor's defaults (a copy). */
  readonly defaults: CompressOptions;
  /** Model batches this compressor has run so far (diagnostics). */
  readonly modelCalls: number;
  /** Where the model runs: 'wasm' or 'webgpu' (after any fallback), else the runner's device. */
  readonly device: string;
  /** Text with llmlingua tags is compressed as structured_compress_prompt does. */
  compress_prompt(context: string | string[], options?: CompressPromptOptions & CallOptions): Promise<CompressPromptResult>;
  /**
   * LLMLingua's structured prompts: `<llmlingua, compress=False>kept</llmlingua>`,
   * `<llmlingua, rate=0.4>...</llmlingua>`; text outside tags uses the call's rate. Malformed
   * markup throws InvalidArgumentError.
   */
  structured_compress_prompt(context: string | string[], options?: CompressPromptOptions & CallOptions): Promise<CompressPromptResult>;
  /**
   * Chat messages in one model pass: system messages and the last user message kept verbatim,
   * older turns (any other role) compressed, fenced code kept (the `code` option).
   * Bad messages throw InvalidArgumentError with `messageIndex`.
   */
  compressMessages(messages: ChatMessage[], options?: CompressMessagesOptions & CallOptions): Promise<CompressMessagesResult>;
  /**
   * A JSON value, or JSON text (a string is always read as JSON text): string values of at least
   * `minLength` characters compressed in one model pass, keys and other values kept. The output
   * is re-serialised (text input: with its indentation), so it is always valid JSON.
   */
  compressJson(value: unknown, options?: CompressJsonOptions & CallOptions): Promise<CompressJsonResult>;
  /**
   * Waits for the calls in flight (each model run bounded by `runTimeout`), disposes live
   * analyses, then frees the core and the runner. Always settles: a runner's release() that
   * throws or outlasts `runTimeout` rejects it with a typed error, after the core is freed.
   */
  dispose(): Promise<void>;
}

export declare function createCompressor(options?: CreateCompressorOptions): Promise<Compressor>;

/**
 * Splits a chat prompt into segments with its instruction (a short first paragraph that
 * addresses the model or gives an order) and its question (the last paragraph ending in "?"
 * that ends the prompt, cues such as "Answer:" aside, or is one of its first two) protected,
 * and fenced code, the last user turn of a transcript ("User:", "### User", "**Human:**",
 * "Q:"...; up to 2,000 characters) and the request after the last code block (up to 1,500).
 * The texts always concatenate back to `text`; llmlingua tags are text here (compress_prompt
 * honours them).
 */
export declare function protectPrompt(text: string): Segment[];

/**
 * Escapes untrusted text for an llmlingua template (`<llmlingua, rate=0.1>${escapeMarkup(text)}</llmlingua>`):
 * it is never read as a tag, and compress_prompt reads it back as `text` exactly.
 */
export declare function escapeMarkup(text: string): string;

/** A fenced code block found by findCodeBlocks: UTF-16 offsets, fence lines included. */
export interface CodeBlock {
  start: number;
  /** After the closing fence's line break; text.length for a fence never closed. */
  end: number;
  /** The opening fence's info string, trimmed ("python"). */
  info: string;
  closed: boolean;
}

/** Fenced code blocks (backtick or tilde fences, CommonMark rules) in text, in order. */
export declare function findCodeBlocks(text: string): CodeBlock[];

/**
 * One line for a user interface that says why the achieved rate is above the one asked for:
 * "kept 67 % overall (300 → 200 tokens): 50 % of the compressible text, 100 tokens protected
 * (instruction, code or markup)". `text`: what the segments' offsets index, to name the
 * protected parts. Also `import { rateLine } from 'mooscomp/rate-line'`, without the compressor.
 */
export declare function rateLine(result: CompressResult, text?: string): string;

export type ErrorCode = 'INVALID_ARGUMENT' | 'INVALID_UTF8' | 'INVALID_MODEL' | 'INVALID_STATE' | 'INTERNAL' | 'ABORTED' | 'TIMEOUT';

export declare class MooscompError extends Error {
  readonly code: ErrorCode;
}
export declare class InvalidArgumentError extends MooscompError {
  readonly code: 'INVALID_ARGUMENT';
  /** The option at fault, when there is one. */
  readonly option?: string;
}
export declare class InvalidUtf8Error extends MooscompError {
  readonly code: 'INVALID_UTF8';
  /** Byte offset (bytes input) or UTF-16 index (string input) of the first bad unit. */
  readonly offset: number;
  readonly context: number;
}
export declare class InvalidModelError extends MooscompError {
  readonly code: 'INVALID_MODEL';
}
export declare class InvalidStateError extends MooscompError {
  readonly code: 'INVALID_STATE';
}
export declare class InternalError extends MooscompError {
  readonly code: 'INTERNAL';
}
/** A call whose AbortSignal fired; `cause` is the signal's reason. */
export declare class AbortError extends MooscompError {
  readonly name: 'AbortError';
  readonly code: 'ABORTED';
}
/** A model run or the runner's release() that did not settle within `runTimeout`. */
export declare class TimeoutError extends MooscompError {
  readonly code: 'TIMEOUT';
  /** The limit, in milliseconds. */
  readonly ms: number;
  /** The step that timed out ('a model run', "the runner's release()"). */
  readonly what: string;
}
