// Fenced code: the scanner (CommonMark fences), code: 'lines', and compress() keeping code out
// of the model (code: 'keep' | 'lines' | 'prose') on the default model.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCodeBlocks, splitCode } from '../../js/src/code-blocks.js';
import { codeLines } from '../../js/src/code-lines.js';
import { ROOT, EXAMPLES, needsCore, checkResult } from './helpers.mjs';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const needsDefault = needsCore || (existsSync(join(DEFAULT_MODEL, 'manifest.json')) ? false : 'models/default is missing');
const spans = (text) => findCodeBlocks(text).map((b) => text.slice(b.start, b.end));

const FUNCTION = [
  '```python',
  'def moving_average(values, window_size):',
  '    """Return the moving averages of values.',
  '',
  '    Each average covers window_size consecutive values.',
  '    """',
  '    # Nothing to average when the window is larger than the data.',
  '    if window_size > len(values):',
  '        return []',
  '',
  '    totals = [sum(values[i:i + window_size]) for i in range(len(values) - window_size + 1)]',
  '    return [total / window_size for total in totals]  # floats',
  '```',
  '',
].join('\n');
export const CODE_PROMPT = 'I have been working on a small data-processing script for our team, and one of the helper ' +
  'functions keeps giving results that look wrong to me when the input list is short. I have copied ' +
  'the function below exactly as it is in the repository, together with the comments that a colleague ' +
  `wrote a while ago when the script was first put together.\n\n${FUNCTION}\n` +
  'Could you explain what happens when the window is exactly as long as the list, and rewrite the ' +
  'function so that it returns an empty list for a window of zero instead of failing?';

describe('findCodeBlocks: CommonMark fences', () => {
  test('backtick and tilde fences, closed by the same character at least as long', () => {
    assert.deepEqual(spans('a\n```\nx\n```\nb'), ['```\nx\n```\n']);
    assert.deepEqual(spans('~~~js\nx\n~~~\n'), ['~~~js\nx\n~~~\n']);
    assert.deepEqual(spans('````\n```\nstill code\n````\nafter'), ['````\n```\nstill code\n````\n']);
    assert.deepEqual(spans('```\n~~~\nx\n```'), ['```\n~~~\nx\n```'], 'a tilde line does not close a backtick fence');
    assert.deepEqual(spans('```\nx\n`````  \ny'), ['```\nx\n`````  \n'], 'a longer closing fence, blanks after it');
    assert.deepEqual(findCodeBlocks('   ```py\nx\n   ```\n').map((b) => [b.info, b.closed]), [['py', true]]);
  });

  test('what is not a fence', () => {
    assert.deepEqual(spans('    ```\nindented four\n    ```\n'), [], 'four spaces: an indented code block');
    assert.deepEqual(spans('```js``` inline code\ntext'), [], 'a backtick fence\'s info has no backtick');
    assert.deepEqual(spans('``\nx\n``'), [], 'two backticks');
    assert.deepEqual(spans('say ```\nx\n```'), ['```'], 'a fence starts its line; the last one never closes');
    assert.deepEqual(spans('{"a": "```python\\nx = 1\\n```"}'), [], 'fences inside a JSON string are on one line');
  });

  test('a fence that never closes runs to the end of the text', () => {
    const text = 'Fix:\n```python\ndef f():\n    return 1\n';
    assert.deepEqual(findCodeBlocks(text), [{ start: 5, end: text.length, info: 'python', closed: false }]);
    assert.deepEqual(spans('```\n```js\nx'), ['```\n```js\nx'], 'a closing fence has no info string');
  });

  test('markdown inside code stays inside it', () => {
    const md = '````markdown\n# Title\n\n```js\nlet a = 1;\n```\n\n- item\n````\nBack to prose.';
    assert.deepEqual(spans(md), [md.slice(0, md.indexOf('Back'))]);
  });

  test('CRLF lines', () => {
    assert.deepEqual(spans('a\r\n```\r\nx\r\n```\r\nb'), ['```\r\nx\r\n```\r\n']);
  });

  test('splitCode: pieces concatenate back to the text', () => {
    for (const text of [CODE_PROMPT, '', 'no code', '```\nopen', '```\na\n```\n```\nb\n```\n']) {
      const pieces = splitCode(text);
      assert.equal(pieces.map((p) => p.text).join(''), text);
      assert.ok(pieces.every((p) => p.text.length > 0) || text === '');
    }
  });

  test('linear time on pathological input', () => {
    const t0 = performance.now();
    for (const text of ['```\n'.repeat(50000), '`'.repeat(200000), 'a' + ' '.repeat(200000) + 'b', '```\n' + 'x\n'.repeat(100000)]) {
      findCodeBlocks(text);
      splitCode(text);
    }
    // A hang detector, not a speed test: a quadratic scan of these inputs takes minutes.
    assert.ok(performance.now() - t0 < 20000, `${performance.now() - t0} ms`);
  });
});

describe("code: 'lines'", () => {
  test('comment lines, docstrings and blank lines go; statements and fences stay', () => {
    const out = codeLines(FUNCTION);
    assert.equal(out, [
      '```python',
      'def moving_average(values, window_size):',
      '    if window_size > len(values):',
      '        return []',
      '    totals = [sum(values[i:i + window_size]) for i in range(len(values) - window_size + 1)]',
      '    return [total / window_size for total in totals]  # floats',
      '```',
      '',
    ].join('\n'));
  });

  test('the language decides what a comment is', () => {
    assert.equal(codeLines('```c\n#include <stdio.h>\n// note\n/* block\n   comment */\nint x;\n```\n'), '```c\n#include <stdio.h>\nint x;\n```\n');
    assert.equal(codeLines('```sql\n-- why\nSELECT 1;\n```'), '```sql\nSELECT 1;\n```');
    assert.equal(codeLines('```markdown\n# Heading\n\ntext\n```'), '```markdown\n# Heading\ntext\n```', 'markdown: # is a heading');
    assert.equal(codeLines('```\n#!/bin/sh\n# note\n// note\necho hi\n```'), '```\n#!/bin/sh\necho hi\n```');
  });

  test('an unclosed docstring never eats the closing fence; an unclosed block keeps its lines', () => {
    assert.equal(codeLines('```py\n"""never closed\nx = 1\n```\n'), '```py\n```\n');
    assert.equal(codeLines('```py\nx = 1\n# c\n', false), '```py\nx = 1\n');
  });
});

describe('compress() keeps fenced code out of the model (default model)', { skip: needsDefault }, () => {
  let c;
  let index;
  before(async () => {
    index = await import('../../js/src/index.js');
    c = await index.createCompressor({ model: DEFAULT_MODEL });
  });
  after(async () => { await c?.dispose(); });

  test("code: 'keep' (the default): the block byte for byte, the prose compressed", async () => {
    for (const rate of [0.2, 0.5]) {
      const r = await c.compress(CODE_PROMPT, { rate });
      checkResult(r, [CODE_PROMPT]);
      assert.ok(r.compressedPrompt.includes(FUNCTION), `rate ${rate}: the block is intact`);
      assert.equal(r.segments, undefined, 'text input keeps the text result shape');
      assert.ok(r.words.every((w) => w.segment === undefined && w.context === 0));
      assert.ok(r.words.every((w) => w.start < CODE_PROMPT.indexOf('```') || w.start >= CODE_PROMPT.indexOf('```') + FUNCTION.length), 'no word from the code');
      assert.ok(r.protectedTokens > 0 && r.protectedTokens < r.compressedTokens);
      const prose = r.compressedTokens - r.protectedTokens;
      const proseOrigin = r.originTokens - r.protectedTokens;
      assert.equal(r.compressibleRate, prose / proseOrigin);
      assert.ok(r.compressibleRate < rate + 0.15, `compressible part kept ${r.compressibleRate} at ${rate}`);
      assert.ok(r.rate > r.compressibleRate, 'the protected code raises the overall rate');
    }
  });

  test("code: 'lines' cuts comment lines; code: 'prose' is the old behaviour", async () => {
    const lines = await c.compress(CODE_PROMPT, { rate: 0.5, code: 'lines' });
    assert.ok(lines.compressedPrompt.includes(codeLines(FUNCTION)));
    assert.ok(!lines.compressedPrompt.includes('# Nothing to average'));
    const prose = await c.compress(CODE_PROMPT, { rate: 0.5, code: 'prose' });
    assert.ok(!prose.compressedPrompt.includes(FUNCTION), 'compressed as text, the block changes');
    // Compressed as text, the fence lines are still kept by the core (keepStructure), outside the budget.
    assert.ok(prose.protectedTokens > 0 && prose.compressibleRate < prose.rate, JSON.stringify(prose));
    assert.equal(prose.compressedPrompt.match(/^```/gm)?.length, 2, prose.compressedPrompt);
    await assert.rejects(c.compress(CODE_PROMPT, { code: 'drop' }), { code: 'INVALID_ARGUMENT', option: 'code' });
  });

  test('text without code: the result as before, protectedTokens 0', async () => {
    const meeting = readFileSync(`${EXAMPLES}meeting.txt`, 'utf8').slice(0, 3000);
    const r = await c.compress(meeting, { rate: 0.4 });
    const p = await c.compress(meeting, { rate: 0.4, code: 'prose' });
    assert.equal(r.compressedPrompt, p.compressedPrompt);
    assert.equal(r.protectedTokens, 0);
    assert.equal(r.compressibleRate, r.rate);
  });

  test('an unclosed fence, contexts, bytes, and analyze()/select()', async () => {
    const open = 'Please review this quickly, I think the loop is wrong somewhere near the end.\n```js\nfor (let i = 0; i <= n; i++) total += xs[i];\n';
    const r = await c.compress(open, { rate: 0.3 });
    assert.ok(r.compressedPrompt.endsWith(open.slice(open.indexOf('```'))));
    const list = await c.compress([CODE_PROMPT, 'A second context without any code, compressed as usual at the same rate.'], { rate: 0.5 });
    assert.equal(list.compressedPromptList.length, 2);
    assert.ok(list.compressedPromptList[0].includes(FUNCTION));
    const bytes = await c.compress(new TextEncoder().encode(CODE_PROMPT), { rate: 0.5 });
    assert.equal(bytes.compressedPrompt, (await c.compress(CODE_PROMPT, { rate: 0.5 })).compressedPrompt);
    const a = await c.analyze(CODE_PROMPT, { code: 'keep' });
    try {
      const direct = await c.compress(CODE_PROMPT, { rate: 0.3 });
      assert.equal(a.select({ rate: 0.3 }).compressedPrompt, direct.compressedPrompt);
      assert.throws(() => a.select({ code: 'prose' }), { code: 'INVALID_ARGUMENT', option: 'code' });
    } finally {
      a.dispose();
    }
    await assert.rejects(c.compress([CODE_PROMPT, 'x'], { useContextLevelFilter: true }), (err) => err.option === 'useContextLevelFilter' && /code: 'prose'/.test(err.message));
  });

  test('segments: code in a compressible segment is cut out, results stay one per segment', async () => {
    const segs = [{ text: 'Answer briefly.\n\n', compress: false }, { text: CODE_PROMPT, rate: 0.4 }];
    const r = await c.compress(segs, { rate: 0.5 });
    assert.equal(r.segments.length, 2);
    assert.deepEqual(r.segments.map((s) => s.protected), [true, false]);
    assert.ok(r.segments[1].output.includes(FUNCTION));
    assert.equal(r.segments[1].effectiveRate, 0.4);
    assert.ok(r.words.every((w) => w.segment === 1));
    assert.equal(r.compressedPrompt, r.segments.map((s) => s.output).join(''));
    // A segment's own targetTokens is its prose's budget once its code is counted.
    const t = await c.compress([{ text: CODE_PROMPT, targetTokens: 150 }]);
    assert.ok(t.segments[0].output.includes(FUNCTION));
    assert.ok(t.compressedTokens < 190, `${t.compressedTokens} tokens for a budget of 150`);
    // A segment that is all code never reaches the model.
    const before = c.modelCalls;
    const code = await c.compress([{ text: FUNCTION }], { rate: 0.2 });
    assert.equal(c.modelCalls, before);
    assert.deepEqual([code.compressedPrompt, code.segments[0].protected, code.compressibleRate], [FUNCTION, true, 1]);
  });

  test('compress_prompt keeps code too', async () => {
    const r = await c.compress_prompt(CODE_PROMPT, { rate: 0.4 });
    assert.ok(r.compressed_prompt.includes(FUNCTION));
    const p = await c.compress_prompt(CODE_PROMPT, { rate: 0.4, code: 'prose' });
    assert.ok(!p.compressed_prompt.includes(FUNCTION));
  });

  test('the CLI: --code', async () => {
    const { main } = await import('../../js/src/cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'mooscomp-code-'));
    const file = join(dir, 'prompt.md');
    writeFileSync(file, CODE_PROMPT);
    const run = async (...args) => {
      const out = [];
      const err = [];
      const io = { stdin: process.stdin, stdout: { write: (s, done) => { out.push(s); done?.(); } }, stderr: { write: (s) => err.push(s) } };
      const code = await main(['compress', ...args, '--model', DEFAULT_MODEL, file], io);
      return { code, stdout: out.join(''), stderr: err.join('') };
    };
    try {
      const keep = await run('--rate', '0.3');
      assert.equal(keep.code, 0, keep.stderr);
      assert.ok(keep.stdout.includes(FUNCTION));
      assert.match(keep.stderr, /\d+ protected, compressible part \d+\.\d%/);
      const lines = await run('--rate', '0.3', '--code', 'lines');
      assert.ok(lines.stdout.includes(codeLines(FUNCTION)));
      const bad = await run('--code', 'drop');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /INVALID_ARGUMENT.*code/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('chat prompts at rate 0.5: fences intact, identifiers kept', async () => {
    const fences = (s) => s.split('\n').filter((l) => /^ {0,3}(```|~~~)/.test(l)).length;
    const identifiers = [...new Set(FUNCTION.match(/[A-Za-z_][A-Za-z0-9_]*/g))];
    for (const text of [CODE_PROMPT, `User: ${CODE_PROMPT}\nAssistant:`, `${FUNCTION}\nWhy does this fail for short lists?`]) {
      const r = await c.compress(text, { rate: 0.5 });
      assert.equal(fences(r.compressedPrompt), fences(text));
      const kept = identifiers.filter((id) => r.compressedPrompt.includes(id)).length / identifiers.length;
      assert.ok(kept >= 0.8, `identifiers kept: ${kept}`);
    }
  });
});
