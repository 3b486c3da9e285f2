// The mooscomp command line, run as a child process.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, EXAMPLES, FIXTURE, needsBoth } from './helpers.mjs';
import { splitList } from '../../js/src/cli.js';
import { LONG_INPUT_BYTES, STDIN_HINT } from '../../js/src/cli-progress.js';

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
    assert.deepEqual(splitList('a,b'), ['a', 'b']);
    assert.deepEqual(splitList('\\n,?'), ['\n', '?']);
    assert.deepEqual(splitList('x\\,y'), ['x,y']);
    assert.deepEqual(splitList(','), [',']);
    assert.deepEqual(splitList('\\t\\\\'), ['\t\\']);
    for (const empty of [',,', 'a,,b', 'a,', ',a', '']) assert.throws(() => splitList(empty), /empty token/, empty);
  });

  test('non-decimal numbers and empty force tokens are usage errors', async () => {
    for (const args of [['--rate', '0x10'], ['--rate', '0b1'], ['--rate', 'Infinity'], ['--rate', ' 0.5'],
      ['--target-tokens', '1e'], ['--force-tokens', ',,'], ['--force-tokens', 'a,'], ['--force-tokens', '']]) {
      const r = await run(['compress', ...args, meetingPath]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /decimal number|empty token/, args.join(' '));
    }
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
    for (const args of [['--rate', '0'], ['--rate=-1'], ['--rate', '2'], ['--alpha', '3'], ['--outlier', 'max'],
      ['--threads', '0'], ['--threads', '65'], ['--rate', '1e-400']]) {
      const r = await run(['compress', '--model', FIXTURE, ...args, meetingPath]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /INVALID_ARGUMENT/);
    }
  });
});

// On a terminal (a pseudo-terminal made by util-linux `script`): the hint when the prompt
// is to be typed, and the progress line for a long input. `keys` are typed into the
// terminal (Ctrl-D, \x04, ends the input); returns everything the terminal showed.
const hasScript = spawnSync('script', ['--version']).status === 0 ? false : 'util-linux script is not installed';

function runOnTerminal(args, keys = '') {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: Buffer.concat(out).toString() }));
    child.stdin.write(keys); // kept open: script ends the session when its input closes
  });
}

describe('on a terminal', { skip: needsBoth || hasScript }, () => {
  test('reading the prompt from a terminal prints a hint, then compresses what is typed', async () => {
    const r = await runOnTerminal(['compress', '--model', FIXTURE, '--force-digits'], 'Alice paid 45 dollars on 3 May.\n\x04');
    assert.equal(r.code, 0, r.output);
    assert.ok(r.output.includes(STDIN_HINT.trim()), r.output);
    assert.match(r.output, /45/);
    assert.match(r.output, /tokens \(/);
  });

  test('a long input shows progress on the terminal, a pipe never sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooscomp-cli-'));
    try {
      const long = join(dir, 'long.txt');
      const text = readFileSync(meetingPath, 'utf8');
      writeFileSync(long, text.repeat(Math.ceil((LONG_INPUT_BYTES + 1) / Buffer.byteLength(text))));
      const r = await runOnTerminal(['compress', '--model', FIXTURE, long]);
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /\r\x1b\[2Kmooscomp: compressing 0\.\d MB/);
      // The model's progress, batch by batch, up to every window.
      const counts = [...r.output.matchAll(/(\d+)\/(\d+) windows \((\d+)%\)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      assert.ok(counts.length > 1, r.output.slice(0, 500));
      const [last, total] = counts[counts.length - 1];
      assert.equal(last, total);
      assert.ok(counts.every(([done], i) => i === 0 || done >= counts[i - 1][0]));
      const piped = await run(['compress', '--model', FIXTURE, long]);
      assert.equal(piped.code, 0, piped.stderr);
      assert.doesNotMatch(piped.stderr, /compressing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
