// Every compress() option, declared once: JS validation (options.js), compress_prompt's
// snake_case names, the core's defaults (each option is sent to the core explicitly), the
// docs (wasm/API.md's table is generated from here: node scripts/option-docs.mjs) and the
// types' doc comments (checked against it by tests/js/option-table.test.mjs). The core's
// own checks (core/src/options_check.cc) accept exactly these ranges: the same test walks
// each range's edges through both.
//
// type: number | integer | boolean | enum | strings | integers. Ranges: [min, max], with
// minOpen for (min, max]; `unset`: the one value outside the range that means "not set".
// phase: 'prepare' shapes the model's work (fixed by analyze()), 'select' picks words from
// an analysis (any number of times). jsOnly: the JS side acts on it before the core runs;
// it is never sent to the core (forCore leaves it out) and the core has no check for it.
import { OUTLIER_KINDS } from './manifest.js';

export const MAX_COUNT = 2 ** 31 - 1;

export const OPTION_TABLE = [
  { name: 'rate', snake: 'rate', phase: 'select', type: 'number', min: 0, minOpen: true, max: 1, default: 0.5,
    doc: 'Fraction of target-LLM tokens to keep.' },
  { name: 'targetTokens', snake: 'target_token', phase: 'select', type: 'integer', min: 1, max: MAX_COUNT, unset: -1, default: -1,
    doc: 'Keep about this many target-LLM tokens (wins over rate).' },
  { name: 'threshold', snake: 'threshold', phase: 'select', type: 'number', min: 0, max: 1, unset: -1, default: -1,
    doc: 'Keep words whose fused score is above it (wins over rate and targetTokens).' },
  { name: 'scope', snake: 'scope', phase: 'select', type: 'enum', values: ['window', 'global'], default: 'window',
    doc: "'window': LLMLingua-2's per-window percentile; 'global': one threshold over the whole prompt." },
  { name: 'forceTokens', snake: 'force_tokens', phase: 'prepare', type: 'strings', maxCount: 100, default: [],
    doc: 'Strings always kept, e.g. "\\n", "?" (non-empty).' },
  { name: 'chunkEndTokens', snake: 'chunk_end_tokens', phase: 'prepare', type: 'strings', maxCount: 100, default: ['.', '\n'],
    doc: 'Where windows may end (non-empty).' },
  { name: 'forceReserveDigit', snake: 'force_reserve_digit', phase: 'select', type: 'boolean', default: false,
    doc: 'Keep every word with a digit.' },
  { name: 'keepMeaning', snake: 'keep_meaning', phase: 'select', type: 'boolean', default: true,
    doc: 'Keep a negation with the word it negates, a number with its unit, the words of a date: together or not at all.' },
  { name: 'keepStructure', snake: 'keep_structure', phase: 'prepare', type: 'boolean', default: true,
    doc: 'Keep markup well-formed: fence lines, inline code and table pipes always; heading, list, quote and "key:" markers with their line; a link whole.' },
  { name: 'dropConsecutive', snake: 'drop_consecutive', phase: 'select', type: 'boolean', default: false,
    doc: 'Drop a force token that repeats the one right before it.' },
  { name: 'wordScore', snake: 'token_to_word', phase: 'prepare', type: 'enum', values: ['mean', 'first'], default: 'mean',
    doc: "How a word's score comes from its tokens' (LLMLingua-2's token_to_word)." },
  { name: 'outlier', snake: 'outlier', phase: 'prepare', type: 'enum', values: OUTLIER_KINDS, default: 'none',
    doc: 'MOOSComp outlier reading fused with the classifier (the model manifest may set another default).' },
  { name: 'alpha', snake: 'alpha', phase: 'select', type: 'number', min: 0, max: 1, default: 1,
    doc: 'm = alpha * p + (1 - alpha) * outlier; 1 = LLMLingua-2 (the model manifest may set another default).' },
  { name: 'useContextLevelFilter', snake: 'use_context_level_filter', phase: 'select', type: 'boolean', default: false,
    doc: "LLMLingua-2's context-level filter over a list of contexts." },
  { name: 'useTokenLevelFilter', snake: 'use_token_level_filter', phase: 'select', type: 'boolean', default: true,
    doc: 'Select words within the kept contexts.' },
  { name: 'targetContext', snake: 'target_context', phase: 'select', type: 'integer', min: 1, max: MAX_COUNT, unset: -1, default: -1,
    doc: 'Contexts to keep (context-level filter).' },
  { name: 'contextLevelRate', snake: 'context_level_rate', phase: 'select', type: 'number', min: 0, minOpen: true, max: 1, default: 1,
    doc: 'Fraction of contexts to keep (context-level filter).' },
  { name: 'contextLevelTargetToken', snake: 'context_level_target_token', phase: 'select', type: 'integer', min: 1, max: MAX_COUNT, unset: -1, default: -1,
    doc: 'Target-LLM tokens of contexts to keep (context-level filter).' },
  { name: 'forceContextIds', snake: 'force_context_ids', phase: 'select', type: 'integers', min: 0, max: MAX_COUNT, default: [],
    doc: 'Contexts always kept, by index (each below the number of contexts).' },
  { name: 'maxBatchSize', snake: 'max_batch_size', phase: 'prepare', type: 'integer', min: 1, max: 1024, default: 1,
    doc: "Windows per model call. Above 1, a dynamically quantized (int8) model's per-batch activation scales make a window's scores depend on the windows batched with it (the default model on examples/meeting.txt and gsm8k-cot.txt: 6 of 2,441 keep decisions change at 8); at 1, a context's output never depends on its neighbours." },
  { name: 'code', snake: 'code', phase: 'prepare', type: 'enum', values: ['keep', 'lines', 'prose'], default: 'keep', jsOnly: true,
    doc: "Fenced code blocks (backtick or tilde fences, CommonMark rules; JS side): 'keep' byte for byte, never seen by the model; 'lines': whole lines only, comment lines, docstrings and blank lines dropped, statements and fences kept; 'prose': compressed as text." },
];

// "(0, 1]", "[1, 2147483647] or -1 (unset)", "'window' | 'global'", "at most 100 strings".
export function describeRange(o) {
  switch (o.type) {
    case 'number':
    case 'integer':
      return `${o.minOpen ? '(' : '['}${o.min}, ${o.max}]${o.unset !== undefined ? `, or ${o.unset} (unset)` : ''}`;
    case 'enum':
      return o.values.map((v) => `'${v}'`).join(' | ');
    case 'strings':
      return `at most ${o.maxCount} strings`;
    case 'integers':
      return `integers in [${o.min}, ${o.max}]`;
    default:
      return 'true | false';
  }
}

export function describeDefault(o) {
  return JSON.stringify(o.default);
}
