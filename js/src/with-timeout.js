// A step that must settle within a limit: a runner that never answers must not hang the call,
// the calls queued behind it, or dispose(). The step itself cannot be cancelled; its late
// result or error is ignored.
import { TimeoutError, InvalidArgumentError } from './errors.js';

// ms: a positive number of milliseconds, or Infinity for no limit. what: names the step.
export function withTimeout(promise, ms, what) {
  const settled = Promise.resolve(promise);
  if (ms === Infinity) return settled;
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish within ${ms} ms (runTimeout)`, { ms, what })), ms);
  });
  settled.catch(() => {}); // an error after the limit has nobody to tell
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

// The default runTimeout: generous, since a large model's batch on one slow thread, or a
// WebGPU build's first run compiling its shaders, can take tens of seconds.
export const DEFAULT_RUN_TIMEOUT_MS = 120_000;

// createCompressor's runTimeout: undefined (the default), a positive number, or Infinity.
export function checkRunTimeout(value) {
  if (value === undefined) return DEFAULT_RUN_TIMEOUT_MS;
  if (value === Infinity || (Number.isFinite(value) && value > 0 && value <= 2 ** 31 - 1)) return value;
  throw new InvalidArgumentError(`runTimeout must be a positive number of milliseconds (at most ${2 ** 31 - 1}) or Infinity, got ${String(value)}`, { option: 'runTimeout' });
}
