// Signs of life for the command line on a terminal: a hint when the prompt is to be typed,
// and one status line, rewritten in place on stderr, while a long input is compressed.

// About 20k tokens of English (4 bytes a token): shorter inputs finish before a line helps.
export const LONG_INPUT_BYTES = 80_000;

export const STDIN_HINT = 'mooscomp: reading the prompt from the terminal; end it with Ctrl-D '
  + '(or pass a file: mooscomp compress FILE; mooscomp --help for the options)\n';

// stream: a writable with isTTY. Returns {update(event), stop()}; `event` is what
// compress()'s onProgress reports ({stage: 'infer', windowsDone, windowsTotal}) after each
// model batch. Between events (tokenising, a slow batch) the line still counts the seconds.
export function progressLine(stream, bytes, { intervalMs = 1000 } = {}) {
  const t0 = performance.now();
  let detail = '';
  const draw = () => {
    const seconds = ((performance.now() - t0) / 1000).toFixed(0);
    stream.write(`\r\x1b[2Kmooscomp: compressing ${(bytes / 2 ** 20).toFixed(1)} MB${detail} … ${seconds} s`);
  };
  draw();
  const timer = setInterval(draw, intervalMs);
  timer.unref?.();
  return {
    update({ stage, windowsDone, windowsTotal }) {
      if (stage === 'infer' && windowsTotal > 0) {
        detail = `, ${windowsDone}/${windowsTotal} windows (${Math.floor((100 * windowsDone) / windowsTotal)}%)`;
        draw();
      }
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
