// The `mooscomp` command line. main() returns the exit code: 0 ok, 2 usage, 1 runtime error.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { createCompressor, MooscompError } from './index.js';
import { LONG_INPUT_BYTES, STDIN_HINT, progressLine } from './cli-progress.js';

const USAGE = `Usage: mooscomp compress [options] [file|-]

Compresses a prompt read from a file, or from stdin when the file is "-" or absent,
and prints the compressed prompt (stats go to stderr).

Options:
  --rate R             fraction of tokens to keep, in (0, 1] (default 0.5)
  --target-tokens N    keep about N tokens instead of a rate
  --force-tokens T     always keep T; repeatable and/or comma-separated;
                       escapes: \\n newline, \\t tab, \\, comma, \\\\ backslash
  --force-digits       always keep words with digits
  --drop-consecutive   drop repeats of a force token that follow each other
  --outlier KIND       none | hidden | lexical | hidden-train | word-rarity |
                       word-rarity-first (default: the model's)
  --alpha A            weight of the classifier vs the outlier score, in [0, 1]
  --code MODE          fenced code blocks: keep (default, byte for byte) | lines
                       (comment and blank lines dropped) | prose (compressed as text)
  --split-meaning      let a negation, a number's unit or a date's words be dropped
                       apart from their word (keepMeaning: false)
  --markup-as-prose    compress markup as text: markers, pipes, inline code, links
                       (keepStructure: false)
  --model DIR          model folder with manifest.json (default: the built-in model)
  --threads N          onnxruntime-web threads (default 1)
  --json               print the full result as JSON (words with offsets and scores)
  -h, --help           show this help
  -v, --version        print the version

Exit codes: 0 ok, 1 runtime error (its code on stderr), 2 usage error.`;

const SPEC = {
  rate: { type: 'string' },
  'target-tokens': { type: 'string' },
  'force-tokens': { type: 'string', multiple: true },
  'force-digits': { type: 'boolean' },
  'drop-consecutive': { type: 'boolean' },
  outlier: { type: 'string' },
  alpha: { type: 'string' },
  code: { type: 'string' },
  'split-meaning': { type: 'boolean' },
  'markup-as-prose': { type: 'boolean' },
  model: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

class UsageError extends Error {}

export async function main(argv, io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }) {
  let args;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError) && err.code?.startsWith?.('ERR_PARSE_ARGS') !== true) throw err;
    io.stderr.write(`mooscomp: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.version) {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    io.stdout.write(`${pkg.version}\n`);
    return 0;
  }

  let compressor;
  let progress;
  try {
    if (args.file === '-' && io.stdin.isTTY) io.stderr.write(STDIN_HINT);
    const input = args.file === '-' ? await readAll(io.stdin) : await readFile(args.file);
    compressor = await createCompressor({ model: args.model, threads: args.threads });
    if (io.stderr.isTTY && input.byteLength > LONG_INPUT_BYTES) progress = progressLine(io.stderr, input.byteLength);
    const onProgress = progress && ((event) => progress.update(event));
    const options = progress ? { ...args.options, onProgress } : args.options;
    const result = await compressor.compress(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), options);
    progress?.stop();
    progress = undefined;
    if (args.json) {
      io.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
    } else {
      io.stdout.write(`${result.compressedPrompt}\n`);
      io.stderr.write(`mooscomp: ${result.originTokens} -> ${result.compressedTokens} tokens ` +
        `(${result.ratio.toFixed(1)}x, rate ${(result.rate * 100).toFixed(1)}%${protectedNote(result)}) in ${result.timings.total.toFixed(0)} ms\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof MooscompError) {
      io.stderr.write(`mooscomp: ${err.code}: ${err.message}\n`);
      // A bad option value is a usage error; an option the model cannot serve is a runtime one.
      return err.code === 'INVALID_ARGUMENT' && err.option ? 2 : 1;
    }
    if (err && err.syscall) { // reading the input file or stdin
      io.stderr.write(`mooscomp: IO_ERROR: ${err.message}\n`);
      return 1;
    }
    io.stderr.write(`mooscomp: INTERNAL: ${err && err.stack ? err.stack : err}\n`);
    return 1;
  } finally {
    progress?.stop();
    await compressor?.dispose();
  }
}

function parse(argv) {
  const { values, positionals } = parseArgs({ args: argv, options: SPEC, allowPositionals: true, strict: true });
  if (values.help || values.version) return values;
  if (positionals[0] !== 'compress') {
    throw new UsageError(positionals.length ? `unknown command "${positionals[0]}"` : 'missing command');
  }
  if (positionals.length > 2) throw new UsageError('at most one input file');
  if (values.rate !== undefined && values['target-tokens'] !== undefined) {
    throw new UsageError('--rate and --target-tokens are exclusive');
  }
  const options = {
    rate: num(values.rate, '--rate'),
    targetTokens: int(values['target-tokens'], '--target-tokens'),
    forceTokens: values['force-tokens']?.flatMap(splitForceTokens),
    forceReserveDigit: values['force-digits'],
    dropConsecutive: values['drop-consecutive'],
    outlier: values.outlier,
    alpha: num(values.alpha, '--alpha'),
    code: values.code, // checked against the option table by compress()
    keepMeaning: values['split-meaning'] ? false : undefined,
    keepStructure: values['markup-as-prose'] ? false : undefined,
  };
  return {
    file: positionals[1] ?? '-',
    json: values.json,
    model: values.model,
    threads: int(values.threads, '--threads'),
    options,
  };
}

// With protected code, the rate of the compressible text alone says what the budget did.
function protectedNote(r) {
  return r.protectedTokens > 0 ? `; ${r.protectedTokens} protected, compressible part ${(r.compressibleRate * 100).toFixed(1)}%` : '';
}

// Decimal only: Number() would also take "0x10", "0b1", " 1 " and "Infinity".
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function num(v, flag) {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!DECIMAL.test(v) || !Number.isFinite(n)) throw new UsageError(`${flag} needs a decimal number, got "${v}"`);
  return n;
}

function int(v, flag) {
  const n = num(v, flag);
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`${flag} needs an integer, got "${v}"`);
  return n;
}

// "a,b\,c\n" -> ["a", "b,c\n"]; a lone "," is the comma itself. An empty token ("", "a,,b",
// "a,") is a usage error: keeping nothing is never what was meant.
export function splitForceTokens(value) {
  if (value === ',') return [','];
  const empty = () => new UsageError(`--force-tokens has an empty token in "${value}" (a comma is written \\, or alone)`);
  const out = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      const n = value[++i];
      cur += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
    } else if (c === ',') {
      if (!cur) throw empty();
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (!cur) throw empty();
  out.push(cur);
  return out;
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
