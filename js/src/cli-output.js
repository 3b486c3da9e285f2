// Writes for the command line that report failure to the caller: a write to a full disk
// (ENOSPC, /dev/full) or to a reader that quit (EPIPE) rejects the returned promise, instead
// of surfacing later as a stream 'error' event with a stack trace after success was printed.
export function writeOut(stream, text) {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

// Exit code and message for a failed write of the output: a reader that stops early
// (`| head`) is not an error; anything else is, in one line.
export function outputFailure(err, stderr) {
  if (err?.code === 'EPIPE') return 0;
  stderr.write(`mooscomp: IO_ERROR: cannot write the output: ${err?.message ?? err}\n`);
  return 1;
}
