// The `mooscomp` command line. main() returns the exit code: 0 ok, 2 usage, 1 runtime error.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { createCompressor, MooscompError } from './index.js';
import { OPTION_TABLE, describeRange } from './option-table.js';
import { LONG_INPUT_BYTES, STDIN_HINT, progressLine } from './cli-progress.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from './cli-input.js';
import { writeOut, outputFailure } from './cli-output.js';

// compress() options become flags from the option table (core/options.json's `cli` entries).
const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const OPTION_FLAGS = OPTION_TABLE.filter((o) => o.cli !== false && o.type !== 'integers').map((o) => {
  const boolValue = o.type === 'boolean' ? (o.cli?.value ?? !o.default) : undefined;
  const flag = o.cli?.flag ?? (boolValue === false ? `no-${kebab(o.name)}` : kebab(o.name));
  return { option: o, flag, boolValue };
});

function flagHelp({ option: o, boolValue }) {
  const what = o.cli?.help ?? o.doc.split(/(?<=\.) /)[0].replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  const fallback = what.includes('default') ? '' : ` (default ${o.type === 'strings' ? JSON.stringify(o.default) : o.default})`;
  switch (o.type) {
    case 'boolean': return `${what} (${o.name}: ${boolValue})`;
    case 'enum': return `${what}: ${o.values.join(' | ')}${fallback}`;
    case 'strings': return `${what}; a list${o.default.length ? fallback : ''}`;
    case 'string': return what;
    default: return `${what}, in ${describeRange(o).replace(/, or -1 \(unset\)$/, '')}${o.unset === undefined ? fallback : ''}`;
  }
}

function argName(o) {
  return { number: o.name[0].toUpperCase(), integer: 'N', enum: 'KIND', string: 'TEXT', strings: 'T' }[o.type];
}

// "  --flag ARG          help", the help wrapped at 80 columns.
function usageLine(left, help) {
  const lines = [];
  let line = left.padEnd(23);
  for (const word of help.split(' ')) {
    if (line.trim().length > left.trim().length && line.length + 1 + word.length > 80) {
      lines.push(line.trimEnd());
      line = ' '.repeat(23);
    }
    line += (line.endsWith(' ') ? '' : ' ') + word;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

const USAGE = `Usage: mooscomp compress [options] [file|-]

Compresses a prompt read from a file, or from stdin when the file is "-" or absent,
and prints the compressed prompt (stats go to stderr).

Options:
${OPTION_FLAGS.map((f) => usageLine(`  --${f.flag}${f.option.type === 'boolean' ? '' : ` ${argName(f.option)}`}`, flagHelp(f))).join('\n')}
${usageLine('  --model DIR', "model folder with manifest.json (default: the built-in model)")}
${usageLine('  --threads N', 'onnxruntime-web threads (default 1)')}
${usageLine('  --json', 'print the full result as JSON (words with offsets and scores)')}
${usageLine('  --max-input-bytes N', `refuse a longer input, before compressing it (default ${DEFAULT_MAX_INPUT_BYTES}, 64 MiB)`)}
${usageLine('  -h, --help', 'show this help')}
${usageLine('  -v, --version', 'print the version')}

Lists are repeatable and/or comma-separated, with escapes: \\n newline, \\t tab,
\\, comma, \\\\ backslash. --rate and --target-tokens are exclusive.
Exit codes: 0 ok, 1 runtime error (its code on stderr), 2 usage error.`;

const SPEC = {
  ...Object.fromEntries(OPTION_FLAGS.map(({ option: o, flag }) =>
    [flag, o.type === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: o.type === 'strings' }])),
  model: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
  'max-input-bytes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

class UsageError extends Error {}

// io: the process's streams, or stand-ins for tests; stdout.write(text, callback) must call
// back once the text is written (or with the error), as a Node stream does.
export async function main(argv, io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }) {
  let args;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError) && err.code?.startsWith?.('ERR_PARSE_ARGS') !== true) throw err;
    io.stderr.write(`mooscomp: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) return print(io, `${USAGE}\n`);
  if (args.version) {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    return print(io, `${pkg.version}\n`);
  }

  let compressor;
  let progress;
  try {
    if (args.file === '-' && io.stdin.isTTY) io.stderr.write(STDIN_HINT);
    let input = await readInput(args.file, io.stdin, args.maxInputBytes);
    compressor = await createCompressor({ model: args.model, threads: args.threads });
    const size = input.byteLength;
    if (io.stderr.isTTY && size > LONG_INPUT_BYTES) progress = progressLine(io.stderr, size);
    const onProgress = progress && ((event) => progress.update(event));
    const options = progress ? { ...args.options, onProgress } : args.options;
    // compress() has copied the input when it returns its promise: dropping ours keeps one
    // copy fewer alive while the core works.
    const pending = compressor.compress(new Uint8Array(input.buffer, input.byteOffset, size), options);
    input = undefined;
    const result = await pending;
    progress?.stop();
    progress = undefined;
    const text = args.json ? `${JSON.stringify(result, null, 1)}\n` : `${result.compressedPrompt}\n`;
    try {
      await writeOut(io.stdout, text);
    } catch (err) {
      return outputFailure(err, io.stderr);
    }
    if (!args.json) {
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
    if (err && err.syscall) { // opening or reading the input file or stdin
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
  const options = {};
  for (const { option: o, flag, boolValue } of OPTION_FLAGS) {
    const v = values[flag];
    if (v === undefined) continue;
    if (o.type === 'boolean') options[o.name] = boolValue;
    else if (o.type === 'number') options[o.name] = num(v, `--${flag}`);
    else if (o.type === 'integer') options[o.name] = int(v, `--${flag}`);
    else if (o.type === 'strings') options[o.name] = v.flatMap((x) => splitList(x, `--${flag}`));
    else options[o.name] = v; // an enum: checked against the option table by compress()
  }
  return {
    file: positionals[1] ?? '-',
    json: values.json,
    model: values.model,
    threads: int(values.threads, '--threads'),
    maxInputBytes: positive(values['max-input-bytes'], '--max-input-bytes') ?? DEFAULT_MAX_INPUT_BYTES,
    options,
  };
}

// --help and --version: their text on stdout, or a one-line error when it cannot be written.
async function print(io, text) {
  try {
    await writeOut(io.stdout, text);
    return 0;
  } catch (err) {
    return outputFailure(err, io.stderr);
  }
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

function positive(v, flag) {
  const n = int(v, flag);
  if (n !== undefined && (n < 1 || !Number.isSafeInteger(n))) throw new UsageError(`${flag} needs a positive integer, got "${v}"`);
  return n;
}

// "a,b\,c\n" -> ["a", "b,c\n"]; a lone "," is the comma itself. An empty token ("", "a,,b",
// "a,") is a usage error: keeping nothing is never what was meant.
export function splitList(value, flag = '--force-tokens') {
  if (value === ',') return [','];
  const empty = () => new UsageError(`${flag} has an empty token in "${value}" (a comma is written \\, or alone)`);
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
