// Segments: parts of a prompt that are protected (kept byte for byte) or compressed with their
// own options, as LLMLingua's structured prompts (<llmlingua, compress=False>...</llmlingua>).
// Protected text never reaches the model; the budget applies to the compressible segments.
import { InvalidArgumentError, InvalidStateError, MooscompError } from './errors.js';
import { encodeInput } from './text.js';
import { normaliseOptions, MAX_FORCE_TOKENS } from './options.js';
import { selectNormalised } from './analysis.js';
import { codePieces } from './code-pieces.js';
import { planSegmentBudgets } from './segment-budgets.js';
import { segmentResults, tokenTotals, keepEdgeSpace } from './segment-result.js';
import { listByContext, contextOrder, rateAndRatio } from './result.js';

// What a segment object may hold; `compress: false` wins over the rest (as in LLMLingua).
// Its own options are checked as the call's options of the same name.
const OWN_OPTIONS = ['rate', 'targetTokens', 'forceTokens'];
const SEGMENT_KEYS = ['text', 'compress', ...OWN_OPTIONS];
// Options that pick whole contexts: they have no meaning for parts of one prompt.
const CONTEXT_OPTIONS = ['useContextLevelFilter', 'targetContext', 'contextLevelRate', 'contextLevelTargetToken', 'forceContextIds'];
const CONTEXT_SEPARATOR = '\n\n'; // between contexts, as compress(); segments of one context join with ''
// Options that set a selection's budget: each group gets its own (segment-budgets.js).
const BUDGET_OPTIONS = ['rate', 'targetTokens', 'threshold'];

// An array with at least one object element (an all-string array is a list of contexts).
export function isSegmentList(input) {
  return Array.isArray(input) && input.some((x) => typeof x === 'object' && x !== null);
}

// A normalised segment, the shape every input is compressed as (a segment list, text with
// fenced code, messages, JSON values, LLMLingua markup).
export function makeSegment(text, compress = true, own = {}) {
  return { text, compress, own };
}

// A segment list -> [{text, compress, own: {rate?, targetTokens?, forceTokens?}}], validated.
export function normaliseSegments(list) {
  if (!Array.isArray(list) || list.length === 0) throw new InvalidArgumentError('the segment list is empty');
  const segments = list.map((item, i) => {
    if (typeof item === 'string') return makeSegment(item);
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw segmentError(i, 'must be a string or an object {text, compress?, rate?, targetTokens?, forceTokens?}');
    }
    for (const key of Object.keys(item)) {
      if (!SEGMENT_KEYS.includes(key)) throw segmentError(i, `has an unknown key "${key}"`, key);
    }
    if (typeof item.text !== 'string') throw segmentError(i, 'needs a string "text"', 'text');
    if (item.compress !== undefined && typeof item.compress !== 'boolean') {
      throw segmentError(i, '"compress" must be a boolean', 'compress');
    }
    return makeSegment(item.text, item.compress !== false, ownOptions(item, i));
  });
  encodeInput(segments.map((s) => s.text)); // lone surrogates -> InvalidUtf8Error naming the segment as context
  return segments;
}

function ownOptions(item, i) {
  const own = {};
  for (const key of OWN_OPTIONS) {
    if (item[key] === undefined || (key === 'targetTokens' && item[key] === -1)) continue;
    try {
      Object.assign(own, normaliseOptions({ [key]: item[key] }));
    } catch (err) {
      throw segmentError(i, err.message, key);
    }
  }
  return own;
}

function segmentError(i, what, option) {
  return new InvalidArgumentError(`segment ${i} ${what}`, { segment: i, ...(option ? { option } : {}) });
}

// Runs the model over each group of compressible segments that share their own options; the
// result's select(options) then gives what compress() would. One core job per group, all
// prepared before the first model batch so that progress counts the whole call: a job waiting
// to run holds its batches' ids and masks (16 bytes a model token) beyond what its analysis
// keeps anyway, where counting windows first would tokenise every group twice. contexts: one
// array of normalised segments per context; prepare: normalised prepare options (over the
// defaults). engine: the compressor's Engine (compressor.js): prepare(encoded, prepare options)
// -> a job to run, {job} (job.delete() frees it); run(jobs, call) -> Promise<Analysis[]>
// (frees them all on failure); estimate(text); defaults; device. call: {signal, onProgress},
// passed to engine.run. Fenced code in compressible segments is cut out as prepare.code
// says (code-pieces.js); results still report one entry per segment given. plain: the input
// was text, not segments: results then have no `segments` (compress(text)'s shape).
export async function analyzeSegments(contexts, prepare, engine, call, { plain = false } = {}) {
  const segs = [];
  codePieces(contexts, prepare.code ?? 'keep').forEach((list, context) => {
    let offset = 0;
    for (const s of list) {
      const fixedTokens = s.fixed === undefined ? {} : { fixedTokens: engine.estimate(s.fixed) };
      segs.push({ ...s, context, offset, index: segs.length, tokens: engine.estimate(s.text), empty: s.text.length === 0, ...fixedTokens });
      offset += s.text.length;
    }
  });
  const groups = groupSegments(segs, prepare.forceTokens);
  const pending = [];
  try {
    for (const g of groups) {
      pending.push(engine.prepare(encodeInput(g.segs.map((s) => s.text)), g.force ? { ...prepare, forceTokens: g.force } : prepare));
    }
  } catch (err) {
    for (const p of pending) p.job.delete();
    const g = groups[pending.length];
    if (err instanceof MooscompError && typeof err.context === 'number' && g?.segs[err.context]) err.segment = g.segs[err.context].parent;
    throw err;
  }
  const analyses = await engine.run(pending, call);
  groups.forEach((g, i) => { g.analysis = analyses[i]; });
  return engine.track(new SegmentAnalysis({ contexts: contexts.length, segs, groups, engine, device: engine.device, plain, prepare }));
}

// Normalised select options (over the defaults): those that pick whole contexts are refused.
export function checkSegmentSelect(options) {
  for (const key of CONTEXT_OPTIONS) {
    if (key in options && !(key === 'useContextLevelFilter' && options[key] === false)) {
      throw new InvalidArgumentError(`option "${key}" selects whole contexts and does not apply to segments`, { option: key });
    }
  }
  return options;
}

// Compressible segments with the same own options share an analysis (as its contexts). A
// segment with its own targetTokens is alone: that budget is its own.
function groupSegments(segs, globalForce) {
  const groups = new Map();
  for (const s of segs) {
    if (!s.compress || s.empty) continue;
    const force = s.own.forceTokens ? [...new Set([...(globalForce ?? []), ...s.own.forceTokens])] : undefined;
    if (force && force.length > MAX_FORCE_TOKENS) {
      throw new InvalidArgumentError(`segment ${s.index}: its forceTokens and the global ones exceed ${MAX_FORCE_TOKENS}`, { segment: s.index, option: 'forceTokens' });
    }
    // A segment's own targetTokens is the budget of its prose pieces together.
    const key = JSON.stringify([s.own.rate, s.own.targetTokens, force, s.own.targetTokens !== undefined ? s.parent : -1]);
    if (!groups.has(key)) groups.set(key, { force, segs: [] });
    groups.get(key).segs.push(s);
  }
  return [...groups.values()];
}

class SegmentAnalysis {
  #state; // {contexts (their count), segs (the pieces), groups (each with its analysis), engine, device, plain}
  #disposed = false;

  constructor(state) {
    this.#state = state;
  }

  // Also true once the compressor's dispose() has disposed the groups' analyses.
  get disposed() {
    return this.#disposed || this.#state.groups.some((g) => g.analysis.disposed);
  }

  // Synchronous, as Analysis.select.
  select(options) {
    if (this.disposed) throw new InvalidStateError('the analysis is disposed');
    return this[selectNormalised](checkSegmentSelect(normaliseOptions(options, this.#state.engine.defaults, 'select')));
  }

  // The compressor selects every kind of analysis by this key (analysis.js) with options it
  // has normalised already.
  [selectNormalised](options) {
    if (this.disposed) throw new InvalidStateError('the analysis is disposed');
    return selectSegments(this.#state, options);
  }

  // Frees every group's analysis. Idempotent.
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const g of this.#state.groups) g.analysis.dispose();
    this.#state.engine.untrack(this);
  }
}

// One selection of a segment analysis: every group selected with its budget, the pieces'
// outputs joined back into the contexts and the segments given. options: normalised select
// options (over the defaults), checked by checkSegmentSelect.
function selectSegments({ contexts, segs, groups, engine, device, plain, prepare }, options) {
  const t0 = performance.now();
  const budgets = planSegmentBudgets(segs, options);
  const { outputs, words, sums, relevance } = selectGroups(segs, groups, options, budgets, contexts);
  const list = new Array(contexts).fill('');
  const pieces = segs.map((s) => {
    const output = outputs[s.index];
    list[s.context] += output;
    const compressedTokens = output === s.text ? s.tokens
      : s.fixed !== undefined ? s.fixedTokens : engine.estimate(output);
    return { s, output, compressedTokens, rate: budgets[s.index]?.rate };
  });
  const segments = segmentResults(pieces);
  const totals = withQuestion(tokenTotals(pieces, sums.marks), prepare, engine, sums.question);
  const order = contextOrder(options.reorder, relevance);
  const ordered = order.map((c) => list[c]);
  const select = performance.now() - t0;
  const result = {
    compressedPrompt: aroundQuestion(ordered, prepare).join(CONTEXT_SEPARATOR),
    compressedPromptList: ordered,
    ...totals,
    modelTokens: sums.modelTokens,
    windows: sums.windows,
    contextKept: list.map(() => true),
    contextOrder: order,
    contextRelevance: relevance,
    words,
    timings: { tokenize: sums.tokenize, infer: sums.infer, select, total: sums.tokenize + sums.infer + select },
    device,
    segments,
  };
  if (plain) {
    delete result.segments; // compress(text)'s shape: the segments are ours, not the caller's
    for (const w of words) delete w.segment;
  }
  return result;
}

// Each group's selection with its budget -> {outputs (one per piece), words (placed in the
// contexts given, in segment order), sums (over the groups' results)}.
function selectGroups(segs, groups, options, budgets, contexts) {
  const common = { ...options, reorder: 'original' }; // the contexts are ordered here, not within a group
  for (const key of BUDGET_OPTIONS) delete common[key];
  const relevance = new Array(contexts).fill(0);
  const outputs = segs.map((s) => s.fixed ?? s.text); // protected and empty pieces stay as they are
  const words = [];
  const sums = { modelTokens: 0, windows: 0, tokenize: 0, infer: 0, marks: 0, question: undefined };
  for (const g of groups) {
    const r = g.analysis[selectNormalised]({ ...common, ...budgets[g.segs[0].index] }); // a group's pieces share one budget
    const texts = listByContext(r);
    g.segs.forEach((s, i) => {
      outputs[s.index] = keepEdgeSpace(s.text, texts[i]);
      relevance[s.context] = Math.max(relevance[s.context], r.contextRelevance[i]);
    });
    for (const w of r.words) {
      const s = g.segs[w.context];
      words.push({ ...w, start: w.start + s.offset, end: w.end + s.offset, context: s.context, segment: s.parent });
    }
    sums.modelTokens += r.modelTokens;
    sums.windows += r.windows;
    sums.tokenize += r.timings.tokenize;
    sums.infer += r.timings.infer;
    sums.marks += r.protectedTokens - r.questionTokens; // markup the core keeps in compressible segments
    sums.question = r.questionTokens; // the same in every group
  }
  words.sort((a, b) => a.segment - b.segment || a.start - b.start);
  return { outputs, words, sums, relevance };
}

// The instruction before the contexts and the question after them, as the core places them
// for plain contexts.
function aroundQuestion(list, { instruction, question } = {}) {
  return [...(instruction ? [instruction] : []), ...list, ...(question ? [question] : [])];
}

// The instruction's and the question's tokens added to both totals and to the protected ones
// (kept whole), as the core reports them for plain contexts: the core's count from a group,
// else (no compressible group) the estimate. Each group counts them in its own budget.
function withQuestion(totals, { instruction, question } = {}, engine, fromCore) {
  const fixed = fromCore ?? ((instruction ? engine.estimate(instruction) : 0) + (question ? engine.estimate(question) : 0));
  if (fixed === 0) return { ...totals, questionTokens: 0 };
  const originTokens = totals.originTokens + fixed;
  const compressedTokens = totals.compressedTokens + fixed;
  return { ...totals, originTokens, compressedTokens, ...rateAndRatio(originTokens, compressedTokens),
    protectedTokens: totals.protectedTokens + fixed, questionTokens: fixed };
}
