#!/usr/bin/env node
import { delayWasmTierUp } from '../src/cli-tiering.js';

delayWasmTierUp(); // before anything compiles wasm: see cli-tiering.js
const { main } = await import('../src/cli.js');

// main() reports a failed write itself (a one-line error, or exit 0 on EPIPE); the
// streams' 'error' events would otherwise end the process with a stack trace.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

process.exitCode = await main(process.argv.slice(2));
