// Parity of our BERT WordPiece tokenizer with transformers.js (@huggingface/transformers):
// the same ids for several hundred varied strings per vocabulary, no special tokens.
// Ours runs through the native dump tool (build/tests/tools/tokenize_dump, or the path in
// MOOSCOMP_TOKENIZE_DUMP); the test skips, saying why, without it or without the data.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKENIZERS = path.resolve(ROOT, '..', 'shared', 'data', 'tokenizers');
const DUMP = process.env.MOOSCOMP_TOKENIZE_DUMP || path.join(ROOT, 'build', 'tests', 'tools', 'tokenize_dump');
// More strings for a longer local hunt: MOOSCOMP_PARITY_STRINGS=20000.
const STRING_COUNT = Number(process.env.MOOSCOMP_PARITY_STRINGS) || 400;
const SMALL_VOCAB = path.join(ROOT, 'tests', 'core', 'data', 'wordpiece_vocab.txt');

let transformers = null;
try {
  transformers = await import('@huggingface/transformers');
} catch {
  transformers = null;
}
const needsDump = existsSync(DUMP) ? false : `${DUMP} is not built (build the tokenize_dump target)`;
const needsJs = transformers ? false : '@huggingface/transformers is not installed';
const needsShared = existsSync(TOKENIZERS) ? false : `${TOKENIZERS} is absent`;

// ---- deterministic test strings ---------------------------------------------------------

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  // Latin, accents precomposed and decomposed, case oddities
  'hello', 'World', 'unaffable', 'Tokenization', 'naïve', 'Café', 'résumé', 'Straße', 'ẞIG',
  'İstanbul', 'ıi İI', 'e\u0301', 'a\u0308b', 'n\u0303o', 'o\u0302\u0323', 'a\u0323\u0302',
  '\u1E69', 'ǅemal', 'ﬁne', '\u212Bngstrom', '\u212Aelvin', '\u2126hm', 'ǰ', 'ΐ', 'Ünïcödé',
  'ÆØÅ æøå', 'Łódź', 'Ærøskøbing', 'Dvořák', 'ĲSSEL', 'ŉ',
  // Greek, final sigma in its contexts
  'ΟΔΟΣ', 'ΟΔΟΣ.', 'Σ', 'ΑΣ', 'AΣ\'B', 'ΑΣ\u0301', 'ΑΣ\u0000Β', 'ΑΣ\u200DΒ', 'ΑΣ\u0001Β', 'λόγος',
  'Σίσυφος', 'ΣΑΣ ΣΑΣ', 'Α\u0345Σ', 'ΑΣ1', '1Σ', 'ΑΣ\u00ADΒ', 'A.Σ', 'ΑΣ\u2019Σ',
  // CJK, kana, Hangul
  '中国人', '日本語', '漢字テスト', '𠀀𠀁', 'a𠀀b', '\uF900\uFA0E', '\u3400x', 'ひらがな', 'カタカナ', 'ｶﾀｶﾅ',
  '한국어', '안녕하세요', '한국', '한', '中a国', '中。国',
  // Other scripts
  'Привет', 'ЙОД', 'ёлка', 'العربية', 'مرحبا بالعالم', 'مُحَمَّد', 'هذا، ذلك؟', 'हिन्दी', 'नमस्ते दुनिया',
  'क्षत्रिय', 'हाँ।', 'ภาษาไทย', 'สวัสดีครับ', 'שָׁלוֹם', 'ქართული', 'Հայերեն', 'አማርኛ፧', 'தமிழ்', 'ᠮᠣᠩᠭᠣᠯ',
  // Emoji and symbols
  '😀', '👨\u200D👩\u200D👧', '👍🏽', '❤\uFE0F', '🇫🇷', 'a😀b', '©®™', '°±€', '∑≠≮', '\u2260x', '≮a',
  '$+<=>^|~', '`quote`', 'x\u20DD', 'x\u0489', '\u{1D165}\u{1D16D}', 'a\u{1D16D}\u0301\u{1D165}',
  'a\u0301\u{1D165}\u0316\u{1D166}', '\u1FEF', 'a\u1FEFb', '\u037E', 'x\u0340y', '\u0385',
  // Digits, URLs, code
  '12', '3.14', '2024-01-01', '1,000,000', '٣٤٥', '१२३', '½¼', '²³', 'https://example.com/path?q=1&x=2#frag',
  'www.example.org', 'user@example.com', 'def f(x): return x**2', 'if (a && b) { c++; }',
  '<div class="x">', '$HOME/.bashrc', 'C:\\Users\\me', 'snake_case_name', 'camelCaseName', '[mask]', '[unk]',
  // Punctuation
  '!?', '...', '—', '«»', '¿¡', '、。', '“quotes”', '‘’', '†‡', '§¶', '٪', '।', '॥', '๏', '＠', '！', '・', '゠',
  '‹›', '⁂', '〜', '¨', '¯', '´', '¸', '·',
  // Whitespace and invisible characters
  ' ', '  ', '\t', '\n\n', '\r\n', '\u00A0', '\u3000', '\u2003', '\u2028', '\u2029', '\u000B', '\u000C',
  '\u0085', '\u1680', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u180E', '\u00AD',
  // Controls, replacement character, private use
  '\u0000', '\u0001', '\u001F', '\u007F', '\u009F', '\uFFFD', '\uE000', '\u{F0000}', 'a\u0000b', 'x\u0007y',
  // Long words
  'a'.repeat(99), 'a'.repeat(100), 'a'.repeat(101), 'x'.repeat(150), 'é'.repeat(100), 'é'.repeat(101),
  'e\u0301'.repeat(60), 'supercalifragilisticexpialidocious'.repeat(3), 'ab'.repeat(50), 'Σ'.repeat(101),
  '中'.repeat(120), 'ß'.repeat(101),
];

const SEPARATORS = ['', ' ', ' ', ' ', '  ', '\n', ', ', '\t', '.', '\u00A0', '\u200B', '-', '\r\n'];

// Characters from blocks that were complete before Unicode 14 (the version of our tables),
// so newer Unicode data in Node cannot make a difference of its own.
const CHAR_RANGES = [
  [0x20, 0x7e], [0xa0, 0xff], [0x100, 0x17f], [0x180, 0x24f], [0x250, 0x2af], [0x2b0, 0x2ff],
  [0x300, 0x36f], [0x386, 0x3ce], [0x400, 0x4ff], [0x5d0, 0x5ea], [0x621, 0x64a], [0x64b, 0x65f],
  [0x905, 0x939], [0x93e, 0x94d], [0xe01, 0xe3a], [0xe40, 0xe5b], [0x1e00, 0x1eff], [0x1f00, 0x1f15],
  [0x2000, 0x2064], [0x2070, 0x209c], [0x20a0, 0x20bf], [0x2100, 0x214f], [0x2190, 0x21ff],
  [0x3000, 0x303f], [0x3041, 0x3096], [0x30a1, 0x30fa], [0x4e00, 0x4e80], [0xac00, 0xac40],
  [0xff01, 0xff5e], [0x1f600, 0x1f64f], [0x0, 0x1f],
];

function generateStrings(seed, count) {
  const rand = mulberry32(seed);
  const pick = (array) => array[Math.floor(rand() * array.length)];
  const strings = ['', ' ', '!!!', '.,;:', ' \t\n ', ...FRAGMENTS];
  while (strings.length < count) {
    if (rand() < 0.6) {  // a mix of fragments
      const parts = [];
      const n = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < n; ++i) parts.push(pick(FRAGMENTS), pick(SEPARATORS));
      strings.push(parts.join(''));
    } else {  // random characters
      const n = 1 + Math.floor(rand() * 24);
      let s = '';
      for (let i = 0; i < n; ++i) {
        const [lo, hi] = pick(CHAR_RANGES);
        s += String.fromCodePoint(lo + Math.floor(rand() * (hi - lo + 1)));
      }
      strings.push(s);
    }
  }
  return strings;
}

// ---- the two tokenizers -----------------------------------------------------------------

// The tokenizer.json shipped beside vocab.txt when there is one (bert-base-uncased),
// else one built with the configuration Hugging Face gives BERT vocabularies.
function tokenizerJson(vocabPath, lowercase) {
  const shipped = path.join(path.dirname(vocabPath), 'tokenizer.json');
  if (existsSync(shipped)) {
    const json = JSON.parse(readFileSync(shipped, 'utf8'));
    assert.equal(json.normalizer.lowercase, lowercase);
    return { ...json, truncation: null, padding: null, post_processor: null };
  }
  const lines = readFileSync(vocabPath, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const vocab = Object.fromEntries(lines.map((token, id) => [token, id]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((t) => t in vocab).map((t) => ({
      id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

async function loadJsTokenizer(modelsDir, name, json, lowercase) {
  const dir = path.join(modelsDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
  writeFileSync(path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: lowercase, model_max_length: 1e9 }));
  const { AutoTokenizer, env } = transformers;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelsDir;
  return AutoTokenizer.from_pretrained(name);
}

function runDump(vocabPath, lowercase, strings) {
  const args = [vocabPath, ...(lowercase ? [] : ['--cased'])];
  const input = strings.map((s) => JSON.stringify(s)).join('\n') + '\n';
  const r = spawnSync(DUMP, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `tokenize_dump failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, strings.length);
  return lines;
}

// Spans must be in order, inside the text, and word starts must be where pieces begin.
function checkSpans(text, result) {
  const size = Buffer.byteLength(text, 'utf8');
  let previousEnd = 0;
  for (let i = 0; i < result.ids.length; ++i) {
    const { begin, end } = { begin: result.begin[i], end: result.end[i] };
    assert.ok(begin <= end && end <= size, `span ${begin}..${end} of ${size}`);
    assert.ok(begin >= previousEnd, `span ${begin}..${end} overlaps ${previousEnd}`);
    if (!result.word_start[i]) assert.equal(begin, previousEnd, 'a ## piece continues its word');
    previousEnd = end;
  }
}

const CASES = [
  { name: 'small-uncased', vocab: () => SMALL_VOCAB, lowercase: true, seed: 1, needs: false },
  { name: 'small-cased', vocab: () => SMALL_VOCAB, lowercase: false, seed: 2, needs: false },
  { name: 'bert-base-uncased', vocab: () => path.join(TOKENIZERS, 'bert-base-uncased', 'vocab.txt'),
    lowercase: true, seed: 3, needs: needsShared },
  { name: 'bert-base-multilingual-cased', vocab: () => path.join(TOKENIZERS, 'bert-base-multilingual-cased', 'vocab.txt'),
    lowercase: false, seed: 4, needs: needsShared },
];

describe('WordPiece parity with transformers.js', { skip: needsDump || needsJs }, () => {
  let modelsDir;
  before(() => { modelsDir = mkdtempSync(path.join(tmpdir(), 'mooscomp-wordpiece-')); });
  after(() => { if (modelsDir) rmSync(modelsDir, { recursive: true, force: true }); });

  for (const c of CASES) {
    test(`${c.name}: same ids as transformers.js`, { skip: c.needs }, async () => {
      const vocabPath = c.vocab();
      const js = await loadJsTokenizer(modelsDir, c.name, tokenizerJson(vocabPath, c.lowercase), c.lowercase);
      const strings = generateStrings(c.seed, STRING_COUNT);
      const ours = runDump(vocabPath, c.lowercase, strings);
      const mismatches = [];
      strings.forEach((s, i) => {
        assert.ok(!ours[i].error, `${JSON.stringify(s)}: ${ours[i].error}`);
        checkSpans(s, ours[i]);
        const expected = js.encode(s, { add_special_tokens: false });
        if (JSON.stringify(expected) !== JSON.stringify(ours[i].ids)) {
          mismatches.push(`${JSON.stringify(s)}\n  js:   ${JSON.stringify(expected)}\n  ours: ${JSON.stringify(ours[i].ids)}`);
        }
      });
      console.log(`# ${c.name}: ${strings.length} strings compared, ${mismatches.length} mismatches`);
      assert.equal(mismatches.length, 0, mismatches.slice(0, 10).join('\n'));
    });
  }
});
