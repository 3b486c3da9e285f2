// The command line's input, read with a size limit: /dev/zero, `yes |` or a runaway pipe
// would otherwise be read until memory runs out, long before compress() is called.
import { open } from 'node:fs/promises';
import { InvalidArgumentError } from './errors.js';

// compress() takes up to 4 GiB, but a V8 string holds at most 512 Mi characters, and the
// core's memory (4 GB at most) grows with the tokens, so far less fits in practice. 64 MiB,
// about 16 M tokens of English, is already more than dense text can use: the limit is there
// to stop a runaway input cheaply, not to judge what fits.
export const DEFAULT_MAX_INPUT_BYTES = 64 * 2 ** 20;

const CHUNK = 64 * 1024;

// file: a path, or '-' for `stdin` (a readable stream). Resolves to a Buffer of at most
// `limit` bytes, or rejects with InvalidArgumentError once the input has more: a regular
// file before reading it, anything else as soon as one byte past the limit has arrived.
export async function readInput(file, stdin, limit = DEFAULT_MAX_INPUT_BYTES) {
  const bytes = new Accumulator(limit);
  if (file === '-') {
    for await (const chunk of stdin) bytes.push(chunk); // leaving the loop early closes stdin
    return bytes.take();
  }
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > limit) throw tooLarge(limit, info.size);
    // A regular file is read into one buffer of its size; devices and FIFOs chunk by chunk.
    bytes.reserve(info.isFile() ? info.size + 1 : CHUNK);
    for (;;) {
      const { buffer, offset, length } = bytes.space();
      const { bytesRead } = await handle.read(buffer, offset, length, null);
      if (bytesRead === 0) return bytes.take();
      bytes.grew(bytesRead);
    }
  } finally {
    await handle.close();
  }
}

function tooLarge(limit, size) {
  const what = size === undefined ? `more than ${limit} bytes` : `${size} bytes`;
  return new InvalidArgumentError(`the input is ${what}, over the limit of ${limit} bytes (raise it with --max-input-bytes)`, { limit });
}

// Bytes gathered in one buffer that doubles as needed, never past limit + 1 bytes.
class Accumulator {
  #limit;
  #buffer = Buffer.alloc(0);
  #length = 0;

  constructor(limit) {
    this.#limit = limit;
  }

  reserve(size) {
    const capped = Math.min(size, this.#limit + 1);
    if (capped <= this.#buffer.length) return;
    const next = Buffer.allocUnsafe(capped);
    this.#buffer.copy(next, 0, 0, this.#length);
    this.#buffer = next;
  }

  // Room for the next read: at least one byte, so a read past the limit is seen.
  space() {
    if (this.#length === this.#buffer.length) this.reserve(Math.max(CHUNK, this.#buffer.length * 2));
    return { buffer: this.#buffer, offset: this.#length, length: this.#buffer.length - this.#length };
  }

  grew(count) {
    this.#length += count;
    if (this.#length > this.#limit) throw tooLarge(this.#limit);
  }

  push(chunk) {
    const needed = this.#length + chunk.length;
    if (needed > this.#limit) throw tooLarge(this.#limit);
    if (needed > this.#buffer.length) this.reserve(Math.max(needed, this.#buffer.length * 2));
    this.#buffer.set(chunk, this.#length);
    this.#length += chunk.length;
  }

  // The bytes read; the buffer is not copied (a view of its first `length` bytes).
  take() {
    return this.#buffer.subarray(0, this.#length);
  }
}
