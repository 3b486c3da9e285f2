// The mooscomp command line against hostile surroundings: a full disk, a reader that quits,
// endless input, and the time the process lives after its work is done.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, EXAMPLES, FIXTURE, needsBoth } from './helpers.mjs';
import { DEFAULT_MAX_INPUT_BYTES } from '../../js/src/cli-input.js';

const meetingPath = join(EXAMPLES, 'meeting.txt');
const noDevFull = existsSync('/dev/full') ? false : 'no /dev/full here';
const noDevZero = existsSync('/dev/zero') ? false : 'no /dev/zero here';

// A CLI that reads without end is killed by then (and the test fails on its exit code).
const KILL_AFTER_MS = 120_000;

// Runs the CLI; stdout: 'pipe' or a file descriptor. onStdin(child) feeds its stdin (default:
// closed at once). Resolves to {code, stdout, stderr, statsToExit}: statsToExit is the time
// from the stats line on stderr to the process's exit (ms), when there was one.
function run(args, { stdout = 'pipe', onStdin = (child) => child.stdin.end() } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', stdout, 'pipe'], timeout: KILL_AFTER_MS });
    const out = [];
    const err = [];
    let statsAt;
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => {
      err.push(d);
      if (statsAt === undefined && / tokens \(/.test(Buffer.concat(err).toString())) statsAt = performance.now();
    });
    child.stdin.on('error', () => {}); // the CLI may stop reading before we stop writing
    child.on('error', reject);
    child.on('exit', (code) => {
      const exitAt = performance.now();
      child.on('close', () => resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        statsToExit: statsAt === undefined ? undefined : exitAt - statsAt,
      }));
    });
    onStdin(child);
  });
}

// One line on stderr, no stack trace.
function assertOneLine(stderr, pattern) {
  assert.match(stderr, pattern);
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.doesNotMatch(stderr, /^\s+at /m, stderr);
}

function withDevFull(fn) {
  const fd = openSync('/dev/full', 'w');
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

describe('output that cannot be written', { skip: noDevFull }, () => {
  test('--help to a full disk: one ENOSPC line, exit 1', async () => {
    const r = await withDevFull((fd) => run(['--help'], { stdout: fd }));
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /^mooscomp: IO_ERROR: cannot write the output: ENOSPC/);
  });

  test('a compressed prompt to a full disk: one ENOSPC line, no success line, exit 1', { skip: needsBoth }, async () => {
    for (const extra of [[], ['--json']]) {
      const r = await withDevFull((fd) => run(['compress', '--model', FIXTURE, ...extra, meetingPath], { stdout: fd }));
      assert.equal(r.code, 1, extra.join(' '));
      assertOneLine(r.stderr, /^mooscomp: IO_ERROR: cannot write the output: ENOSPC/);
      assert.doesNotMatch(r.stderr, /tokens/);
    }
  });
});

describe('a reader that quits', { skip: needsBoth }, () => {
  test('is not an error: exit 0, nothing on stderr', async () => {
    // --json on the meeting is far more than a pipe buffer, so the write meets the closed pipe.
    const r = await run(['compress', '--model', FIXTURE, '--json', meetingPath], {
      onStdin(child) {
        child.stdin.end();
        child.stdout.once('data', () => child.stdout.destroy());
      },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });
});

describe('input size limit', () => {
  test('/dev/zero stops at the default limit with one line, exit 1', { skip: noDevZero }, async () => {
    const r = await run(['compress', '/dev/zero']);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, new RegExp(`^mooscomp: INVALID_ARGUMENT: the input is more than ${DEFAULT_MAX_INPUT_BYTES} bytes, over the limit`));
  });

  test('an endless pipe on stdin stops at --max-input-bytes', async () => {
    let written = 0;
    const r = await run(['compress', '--max-input-bytes', '100000'], {
      onStdin(child) {
        const chunk = Buffer.alloc(16 * 1024, 'word ');
        const pump = () => {
          while (child.exitCode === null && !child.stdin.destroyed) {
            written += chunk.length;
            if (!child.stdin.write(chunk)) return child.stdin.once('drain', pump);
          }
        };
        pump();
      },
    });
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /^mooscomp: INVALID_ARGUMENT: the input is more than 100000 bytes, over the limit of 100000 bytes \(raise it with --max-input-bytes\)/);
    assert.ok(written > 100000, `${written} bytes written`);
  });

  test('a regular file over the limit is refused by its size, before reading', async () => {
    const size = statSync(meetingPath).size;
    const r = await run(['compress', '--max-input-bytes', String(size - 1), meetingPath]);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, new RegExp(`the input is ${size} bytes, over the limit of ${size - 1} bytes`));
  });

  test('an input of exactly the limit is compressed, from a file and from stdin', { skip: needsBoth }, async () => {
    const size = statSync(meetingPath).size;
    const file = await run(['compress', '--model', FIXTURE, '--max-input-bytes', String(size), meetingPath]);
    assert.equal(file.code, 0, file.stderr);
    const text = 'Alice met Bob on 3 May 2021.';
    const stdin = await run(['compress', '--model', FIXTURE, '--max-input-bytes', String(Buffer.byteLength(text))], {
      onStdin: (child) => child.stdin.end(text),
    });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.match(stdin.stdout, /\w/);
  });

  test('--max-input-bytes takes a positive integer (else a usage error, exit 2)', async () => {
    for (const v of ['0', '-1', '1.5', 'abc', '0x10', '1e400']) {
      const r = await run(['compress', `--max-input-bytes=${v}`, meetingPath]);
      assert.equal(r.code, 2, v);
      assert.match(r.stderr, /--max-input-bytes needs/, v);
    }
  });
});

describe('exit', { skip: needsBoth }, () => {
  // The stats line is the CLI's last output; after it only dispose() runs. Optimising a large
  // function of onnxruntime-web's wasm used to hold the process for 1-6 s after it.
  test('the process exits promptly once the output is written', async () => {
    const r = await run(['compress', '--model', FIXTURE, meetingPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.statsToExit !== undefined, r.stderr);
    assert.ok(r.statsToExit < 600, `the process lived ${r.statsToExit.toFixed(0)} ms after its stats line`);
  });
});
