// Writes the compress() option declarations that are generated from js/src/option-table.js:
// the CompressOptions and CompressPromptOptions fields in js/types/index.d.ts and the option
// table in wasm/API.md, each between "options:begin" and "options:end" marker lines.
//   node scripts/option-docs.mjs           # rewrite both files
//   node scripts/option-docs.mjs --check   # exit 1 if either is stale (tests/js/option-table.test.mjs)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPTION_TABLE, describeRange, describeDefault } from '../js/src/option-table.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function tsType(o) {
  if (o.name === 'outlier') return 'OutlierKind';
  switch (o.type) {
    case 'number': case 'integer': return 'number';
    case 'boolean': return 'boolean';
    case 'enum': return o.values.map((v) => `'${v}'`).join(' | ');
    case 'strings': return 'string[]';
    default: return 'number[]';
  }
}

const escapeDoc = (s) => s.replace(/\*\//g, '*\\/');

export function compressOptionsFields() {
  return OPTION_TABLE.map((o) => [
    `  /** ${escapeDoc(o.doc)} ${describeRange(o)}. Default ${escapeDoc(describeDefault(o))}. ${o.phase === 'prepare' ? 'Prepare' : 'Select'} option. */`,
    `  ${o.name}?: ${tsType(o)};`,
  ].join('\n')).join('\n');
}

export function compressPromptFields() {
  return OPTION_TABLE.map((o) => `  /** compress() option ${o.name}. */\n  ${o.snake}?: ${tsType(o)};`).join('\n');
}

export function apiTable() {
  const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, '\\n');
  return [
    '| Option | compress_prompt | Phase | Type | Range | Default | What |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...OPTION_TABLE.map((o) => `| \`${o.name}\` | \`${o.snake}\` | ${o.phase}${o.jsOnly ? ' (JS only)' : ''} | ${o.type} | ${cell(describeRange(o))} | \`${cell(describeDefault(o))}\` | ${cell(o.doc)} |`),
  ].join('\n');
}

// Replaces the lines between the n-th begin/end marker pair.
function splice(text, blocks, file) {
  const lines = text.split('\n');
  const out = [];
  let block = 0;
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    if (!lines[i].includes('options:begin')) continue;
    const end = lines.findIndex((l, j) => j > i && l.includes('options:end'));
    if (end < 0 || block >= blocks.length) throw new Error(`${file}: unmatched options:begin`);
    out.push(blocks[block++], lines[end]);
    i = end;
  }
  if (block !== blocks.length) throw new Error(`${file}: expected ${blocks.length} marker pairs, found ${block}`);
  return out.join('\n');
}

export const GENERATED = {
  'js/types/index.d.ts': () => [compressOptionsFields(), compressPromptFields()],
  'wasm/API.md': () => [apiTable()],
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [file, blocks] of Object.entries(GENERATED)) {
    const path = ROOT + file;
    const text = readFileSync(path, 'utf8');
    const next = splice(text, blocks(), file);
    if (next === text) continue;
    stale = true;
    if (check) console.error(`${file} is stale: run node scripts/option-docs.mjs`);
    else writeFileSync(path, next);
  }
  process.exit(check && stale ? 1 : 0);
}

export { splice };
