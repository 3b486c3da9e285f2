// Compressors of different models used at the same time in one process: onnxruntime-web's
// wasm instance is shared by all their sessions, so this fails unless its runs are serialised
// process-wide (each compressor only queues its own calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCompressor } from '../../js/src/index.js';
import { FIXTURE, EXAMPLES, needsBoth } from './helpers.mjs';

const DEFAULT = fileURLToPath(new URL('../../models/default/', import.meta.url));
const noTimings = ({ timings, ...rest }) => rest;

test('compressors of two models, many calls each at once: each result equals a sequential run', { skip: needsBoth, timeout: 180_000 }, async () => {
  const meeting = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8');
  // Texts of several lengths (1 to several windows), and options that need the hidden states.
  const inputs = [meeting.slice(0, 400), meeting.slice(0, 2500), meeting, [meeting.slice(0, 900), meeting.slice(900, 2000)]];
  const optionSets = [{ rate: 0.5 }, { rate: 0.3, outlier: 'hidden', alpha: 0.5 }];
  const models = [DEFAULT, FIXTURE, DEFAULT, FIXTURE];
  const compressors = await Promise.all(models.map((model) => createCompressor({ model })));
  try {
    const jobs = [];
    compressors.forEach((c, k) => {
      for (let i = 0; i < 8; i++) jobs.push({ k, input: inputs[(i + k) % inputs.length], options: optionSets[i % 2] });
    });
    const concurrent = await Promise.allSettled(jobs.map(({ k, input, options }) => compressors[k].compress(input, options)));
    const failed = concurrent.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
    assert.deepEqual(failed, [], `${failed.length} of ${jobs.length} calls failed`);
    for (let j = 0; j < jobs.length; j++) {
      const { k, input, options } = jobs[j];
      const sequential = await compressors[k].compress(input, options);
      assert.deepEqual(noTimings(concurrent[j].value), noTimings(sequential), `call ${j} (model ${models[k]})`);
    }
  } finally {
    await Promise.all(compressors.map((c) => c.dispose()));
  }
});
