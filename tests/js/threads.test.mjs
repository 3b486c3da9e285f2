// onnxruntime-web threads in Node: each thread count runs in a child process (ORT is
// configured once per process), and the result must equal the 1-thread one exactly.
// This file is also the child: with MOOSCOMP_THREADS set it prints one compress() result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES, FIXTURE, needsBoth } from './helpers.mjs';

if (process.env.MOOSCOMP_THREADS) {
  // Count the worker threads ORT starts, so that a silent fall-back to one thread fails.
  const workerThreads = createRequire(import.meta.url)('node:worker_threads');
  let workers = 0;
  const Base = workerThreads.Worker;
  workerThreads.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      workers++;
    }
  };
  const { createCompressor } = await import('../../js/src/index.js');
  const c = await createCompressor({ model: FIXTURE, threads: Number(process.env.MOOSCOMP_THREADS) });
  try {
    const r = await c.compress(readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8'), { rate: 0.5 });
    delete r.timings;
    process.stdout.write(JSON.stringify({ workers, result: r }));
  } finally {
    await c.dispose();
  }
} else {
  function compressIn(threads) {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
        env: { ...process.env, MOOSCOMP_THREADS: String(threads) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = [];
      const err = [];
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => err.push(d));
      child.on('error', reject);
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString();
        if (code !== 0) reject(new Error(`threads ${threads}: exit ${code}\n${stderr}`));
        else resolve({ ...JSON.parse(Buffer.concat(out).toString()), stderr });
      });
    });
  }

  test('2 and 4 threads give the 1-thread result exactly', { skip: needsBoth, timeout: 5 * 60 * 1000 }, async () => {
    const one = await compressIn(1);
    assert.equal(one.workers, 0);
    assert.ok(one.result.originTokens > 1000, `originTokens ${one.result.originTokens}`);
    for (const threads of [2, 4]) {
      const many = await compressIn(threads);
      assert.equal(many.workers, threads - 1, `ORT started ${many.workers} worker(s)\n${many.stderr}`);
      assert.deepEqual(many.result, one.result, `threads ${threads}`);
    }
  });
}
