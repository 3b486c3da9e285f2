// The mooscomp command line, run as a child process.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, EXAMPLES, FIXTURE, needsBoth } from './helpers.mjs';
import { splitForceTokens } from '../../js/src/cli.js';

const meetingPath = join(EXAMPLES, 'meeting.txt');

function run(args, stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(stdin);
  });
}

describe('usage', () => {
  test('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: mooscomp compress/);
  });

  test('usage errors exit 2 with the usage on stderr', async () => {
    for (const args of [[], ['shrink'], ['compress', '--rate'], ['compress', '--rate', 'abc'], ['compress', '--bogus'],
      ['compress', '--rate', '0.5', '--target-tokens', '10'], ['compress', '--threads', '1.5'], ['compress', 'a', 'b']]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /Usage:/);
    }
  });

  test('--force-tokens splits on commas and understands escapes', () => {
    assert.deepEqual(splitForceTokens('a,b'), ['a', 'b']);
    assert.deepEqual(splitForceTokens('\\n,?'), ['\n', '?']);
    assert.deepEqual(splitForceTokens('x\\,y'), ['x,y']);
    assert.deepEqual(splitForceTokens(','), [',']);
    assert.deepEqual(splitForceTokens('\\t\\\\'), ['\t\\']);
  });
});

describe('compress', { skip: needsBoth }, () => {
  test('--rate 0.33 on a file prints about a third of the tokens', async () => {
    const r = await run(['compress', '--model', FIXTURE, '--rate', '0.33', meetingPath]);
    assert.equal(r.code, 0, r.stderr);
    const original = readFileSync(meetingPath, 'utf8');
    assert.ok(r.stdout.length > 100 && r.stdout.length < original.length * 0.6, `${r.stdout.length} chars`);
    const m = r.stderr.match(/(\d+) -> (\d+) tokens/);
    assert.ok(m, r.stderr);
    const rate = Number(m[2]) / Number(m[1]);
    assert.ok(rate > 0.2 && rate < 0.46, `rate ${rate}`);
  });

  test('stdin, with "-" or no file', async () => {
    const text = 'Alice met Bob on 3 May 2021 to review the budget of 45,000 dollars. They agreed to cut travel.';
    for (const args of [['compress', '-'], ['compress']]) {
      const r = await run([...args, '--model', FIXTURE, '--rate', '0.5', '--force-digits'], text);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /2021/);
      assert.match(r.stdout, /45,000/);
    }
  });

  test('--json prints the full result with word offsets and scores', async () => {
    const r = await run(['compress', '--json', '--target-tokens', '200', '--force-tokens', '\\n,?', '--force-tokens', 'Priya',
      '--drop-consecutive', '--outlier', 'hidden', '--alpha', '0.8', '--threads', '1', '--model', FIXTURE, meetingPath]);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout);
    const original = readFileSync(meetingPath, 'utf8');
    assert.equal(typeof res.compressedPrompt, 'string');
    assert.ok(res.words.length > 500);
    for (const w of res.words) {
      assert.equal(original.slice(w.start, w.end), w.text);
      assert.equal(typeof w.score, 'number');
      assert.equal(typeof w.keep, 'boolean');
    }
    assert.ok(res.words.filter((w) => w.text === 'Priya').every((w) => w.keep));
    for (const k of ['tokenize', 'infer', 'select', 'total']) assert.equal(typeof res.timings[k], 'number');
  });

  test('runtime errors exit 1 with the error code on stderr', async () => {
    const bad = await run(['compress', '--model', FIXTURE, '-'], Buffer.from([0x61, 0xff, 0x62]));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /INVALID_UTF8/);

    const missing = await run(['compress', join(EXAMPLES, 'no-such-file.txt')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-such-file/);

    const dir = mkdtempSync(join(tmpdir(), 'mooscomp-cli-'));
    try {
      copyFileSync(join(FIXTURE, 'manifest.json'), join(dir, 'manifest.json'));
      copyFileSync(join(FIXTURE, 'tokenizer.model'), join(dir, 'tokenizer.model'));
      writeFileSync(join(dir, 'model.onnx'), readFileSync(join(FIXTURE, 'model.onnx')).subarray(0, 5000));
      const model = await run(['compress', '--model', dir, meetingPath]);
      assert.equal(model.code, 1);
      assert.match(model.stderr, /INVALID_MODEL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('out-of-range options are usage errors (exit 2) with their code', async () => {
    for (const args of [['--rate', '0'], ['--rate=-1'], ['--rate', '2'], ['--alpha', '3'], ['--outlier', 'max']]) {
      const r = await run(['compress', '--model', FIXTURE, ...args, meetingPath]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /INVALID_ARGUMENT/);
    }
  });
});
