// Segments: parts of a prompt that are protected (kept byte for byte) or compressed with their
// own options, as LLMLingua's structured prompts (<llmlingua, compress=False>...</llmlingua>).
// Protected text never reaches the model; the budget applies to the compressible segments.
import { InvalidArgumentError, InvalidStateError, MooscompError } from './errors.js';
import { encodeInput } from './text.js';
import { normaliseOptions, MAX_FORCE_TOKENS } from './options.js';
import { selectNormalised } from './analysis.js';
import { rateAndRatio, protectedRate } from './result.js';
import { codePieces } from './code-pieces.js';

// What a segment object may hold; `compress: false` wins over the rest (as in LLMLingua).
// Its own options are checked as the call's options of the same name.
const OWN_OPTIONS = ['rate', 'targetTokens', 'forceTokens'];
const SEGMENT_KEYS = ['text', 'compress', ...OWN_OPTIONS];
// Options that pick whole contexts: they have no meaning for parts of one prompt.
const CONTEXT_OPTIONS = ['useContextLevelFilter', 'targetContext', 'contextLevelRate', 'contextLevelTargetToken', 'forceContextIds'];
const CONTEXT_SEPARATOR = '\n\n'; // between contexts, as compress(); segments of one context join with ''

// An array with at least one object element (an all-string array is a list of contexts).
export function isSegmentList(input) {
  return Array.isArray(input) && input.some((x) => typeof x === 'object' && x !== null);
}

// A segment list -> [{text, compress, own: {rate?, targetTokens?, forceTokens?}}], validated.
export function normaliseSegments(list) {
  if (!Array.isArray(list) || list.length === 0) throw new InvalidArgumentError('the segment list is empty');
  const segments = list.map((item, i) => {
    if (typeof item === 'string') return { text: item, compress: true, own: {} };
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
    return { text: item.text, compress: item.compress !== false, own: ownOptions(item, i) };
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
// defaults). engine: {prepare(texts, prepare options) -> a job to run, {job} (job.delete()
// frees it), run(jobs) -> Promise<Analysis[]> (frees them all on failure), estimate(text),
// defaults, device}. Fenced code in compressible segments is cut out as prepare.code says
// (code-pieces.js); results still report one entry per segment given. plain: the input was
// text, not segments: results then have no `segments` (compress(text)'s shape).
export async function analyzeSegments(contexts, prepare, engine, { plain = false } = {}) {
  const segs = [];
  codePieces(contexts, prepare.code ?? 'keep').forEach((list, context) => {
    let offset = 0;
    for (const s of list) {
      const fixedTokens = s.fixed === undefined ? {} : { fixedTokens: engine.estimate(s.fixed) };
      segs.push({ ...s, context, offset, index: segs.length, tokens: engine.estimate(s.text), ...fixedTokens });
      offset += s.text.length;
    }
  });
  const groups = groupSegments(segs, prepare.forceTokens);
  const pending = [];
  try {
    for (const g of groups) pending.push(engine.prepare(g.segs.map((s) => s.text), g.force ? { ...prepare, forceTokens: g.force } : prepare));
  } catch (err) {
    for (const p of pending) p.job.delete();
    const g = groups[pending.length];
    if (err instanceof MooscompError && typeof err.context === 'number' && g?.segs[err.context]) err.segment = g.segs[err.context].parent;
    throw err;
  }
  const analyses = await engine.run(pending);
  groups.forEach((g, i) => { g.analysis = analyses[i]; });
  return new SegmentAnalysis(contexts.length, segs, groups, engine, plain);
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
    if (!s.compress || s.text.length === 0) continue;
    const force = s.own.forceTokens ? [...new Set([...(globalForce ?? []), ...s.own.forceTokens])] : undefined;
    if (force && force.length > MAX_FORCE_TOKENS) {
      throw new InvalidArgumentError(`segment ${s.index}: its forceTokens and the global ones exceed ${MAX_FORCE_TOKENS}`, { segment: s.index, option: 'forceTokens' });
    }
    // A segment's own targetTokens is the budget of its prose pieces together.
    const key = JSON.stringify([s.own.rate, s.own.targetTokens, force, s.own.targetTokens !== undefined ? s.parent : -1]);
    if (!groups.has(key)) groups.set(key, { own: s.own, force, segs: [] });
    groups.get(key).segs.push(s);
  }
  return [...groups.values()];
}

class SegmentAnalysis {
  #contexts;
  #segs;
  #groups;
  #engine;
  #plain;
  #disposed = false;

  constructor(contexts, segs, groups, engine, plain) {
    this.#contexts = contexts;
    this.#segs = segs;
    this.#groups = groups;
    this.#engine = engine;
    this.#plain = plain;
  }

  // Also true once the compressor's dispose() has disposed the groups' analyses.
  get disposed() {
    return this.#disposed || this.#groups.some((g) => g.analysis.disposed);
  }

  // Synchronous, as Analysis.select. A global targetTokens becomes one rate for the segments
  // without their own budget: (targetTokens - protected tokens - the own budgets' expected
  // tokens) / their tokens, at least one token's worth.
  select(options) {
    if (this.disposed) throw new InvalidStateError('the analysis is disposed');
    return this[selectNormalised](checkSegmentSelect(normaliseOptions(options, this.#engine.defaults, 'select')));
  }

  // global: normalised select options (over the defaults), checked by checkSegmentSelect.
  [selectNormalised](global) {
    if (this.disposed) throw new InvalidStateError('the analysis is disposed');
    const t0 = performance.now();
    const segs = this.#segs;
    const ownBudget = (g) => g.own.rate !== undefined || g.own.targetTokens !== undefined;
    let defaultRate = global.rate;
    if (global.targetTokens !== undefined && global.targetTokens > 0) {
      const fixed = segs.filter((s) => !s.compress).reduce((n, s) => n + outTokens(s), 0);
      let planned = 0, shared = 0;
      for (const g of this.#groups) {
        const tokens = g.segs.reduce((n, s) => n + s.tokens, 0);
        if (g.own.targetTokens !== undefined) planned += Math.min(tokens, g.own.targetTokens);
        else if (ownBudget(g)) planned += g.segs.reduce((n, s) => n + Math.ceil(g.own.rate * s.tokens), 0);
        else shared += tokens;
      }
      const left = Math.max(1, global.targetTokens - fixed - planned);
      defaultRate = shared > 0 ? Math.min(1, left / shared) : 1;
    }
    const threshold = global.threshold !== undefined && global.threshold !== -1;
    const common = { ...global }; // each group gets its own budget
    for (const key of ['rate', 'targetTokens', 'threshold']) delete common[key];
    const outputs = segs.map((s) => s.fixed ?? s.text); // protected and empty segments stay as they are
    const rates = new Map();
    const words = [];
    const sums = { modelTokens: 0, windows: 0, tokenize: 0, infer: 0, marks: 0 };
    for (const g of this.#groups) {
      const budget = g.own.targetTokens !== undefined ? { targetTokens: ownTarget(g, segs) }
        : g.own.rate !== undefined ? { rate: g.own.rate }
        : threshold ? { threshold: global.threshold }
        : defaultRate !== undefined ? { rate: defaultRate } : {};
      const r = g.analysis[selectNormalised]({ ...common, ...budget });
      g.segs.forEach((s, i) => {
        outputs[s.index] = keepEdgeSpace(s.text, r.compressedPromptList[i]);
        if (budget.rate !== undefined) rates.set(s.index, budget.rate);
      });
      for (const w of r.words) {
        const s = g.segs[w.context];
        words.push({ ...w, start: w.start + s.offset, end: w.end + s.offset, context: s.context, segment: s.parent });
      }
      sums.modelTokens += r.modelTokens;
      sums.windows += r.windows;
      sums.tokenize += r.timings.tokenize;
      sums.infer += r.timings.infer;
      sums.marks += r.protectedTokens; // markup the core keeps in compressible segments
    }
    words.sort((a, b) => a.segment - b.segment || a.start - b.start);
    const list = new Array(this.#contexts).fill('');
    const pieces = segs.map((s) => {
      const output = outputs[s.index];
      list[s.context] += output;
      const compressedTokens = output === s.text ? s.tokens
        : s.fixed !== undefined ? s.fixedTokens : this.#engine.estimate(output);
      return { s, output, compressedTokens, rate: rates.get(s.index) };
    });
    const segments = mergePieces(pieces);
    const totals = tokenTotals(pieces, sums.marks);
    const select = performance.now() - t0;
    const result = {
      compressedPrompt: list.join(CONTEXT_SEPARATOR),
      compressedPromptList: list,
      ...totals,
      modelTokens: sums.modelTokens,
      windows: sums.windows,
      contextKept: list.map(() => true),
      words,
      timings: { tokenize: sums.tokenize, infer: sums.infer, select, total: sums.tokenize + sums.infer + select },
      device: this.#engine.device,
      segments,
    };
    if (this.#plain) {
      delete result.segments; // compress(text)'s shape: the segments are ours, not the caller's
      for (const w of words) delete w.segment;
    }
    return result;
  }

  // Frees every group's analysis. Idempotent.
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const g of this.#groups) g.analysis.dispose();
  }
}

// A protected piece's tokens in the output (code under 'lines' loses its comment lines).
function outTokens(s) {
  return s.fixedTokens ?? s.tokens;
}

// A segment's own targetTokens, less what its code pieces keep: the budget of its prose.
function ownTarget(g, segs) {
  const parents = new Set(g.segs.map((s) => s.parent));
  const code = segs.filter((s) => s.code && parents.has(s.parent)).reduce((n, s) => n + outTokens(s), 0);
  return Math.max(1, g.own.targetTokens - code);
}

// Pieces -> one result entry per segment given. protected: none of it reached the model.
function mergePieces(pieces) {
  const out = [];
  let last = -1;
  for (const { s, output, compressedTokens, rate } of pieces) {
    if (s.parent !== last) {
      last = s.parent;
      const { compress, own } = s.source;
      out.push({
        context: s.context, start: s.offset, end: s.offset, compress, ...(compress ? own : {}),
        output: '', originTokens: 0, compressedTokens: 0, protected: true,
      });
    }
    const seg = out[out.length - 1];
    seg.end = s.offset + s.text.length;
    seg.output += output;
    seg.originTokens += s.tokens;
    seg.compressedTokens += compressedTokens;
    if (s.compress) seg.protected = false;
    if (rate !== undefined && seg.effectiveRate === undefined) seg.effectiveRate = rate;
  }
  // Key order as before this field existed: effectiveRate before the output.
  return out.map(({ output, originTokens, compressedTokens, protected: p, ...head }) => ({ ...head, output, originTokens, compressedTokens, protected: p }));
}

// The result's token counts: overall, the protected part's output (protected segments, and
// `marks`: markup the core kept inside compressible ones), and the rest's rate.
function tokenTotals(pieces, marks) {
  let n0 = 0, n1 = 0, kept = 0, c0 = 0, c1 = 0;
  for (const { s, compressedTokens } of pieces) {
    n0 += s.tokens;
    n1 += compressedTokens;
    if (s.compress) { c0 += s.tokens; c1 += compressedTokens; } else kept += compressedTokens;
  }
  const { compressibleRate } = protectedRate(c0, c1, marks);
  return { originTokens: n0, compressedTokens: n1, ...rateAndRatio(n0, n1), protectedTokens: kept + marks, compressibleRate };
}

// The core's output runs from the first kept word to the last; a segment keeps the
// whitespace at its edges, so it does not glue onto its neighbours.
function keepEdgeSpace(text, compressed) {
  const lead = /^\s*/.exec(text)[0];
  const trail = /\s*$/.exec(text.slice(lead.length))[0];
  const body = compressed.trim();
  if (body === '') return lead.length >= trail.length ? lead : trail;
  return lead + body + trail;
}
