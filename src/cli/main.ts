#!/usr/bin/env node
/**
 * Entry point of the `unsupervised` command (package.json "bin" → dist/cli/main.js).
 *
 * This file only prepares the process and then loads the program: WebAssembly relaxed SIMD (FMA) is
 * behind a flag on Node 20 (on by default from Node 21), and the flag must be set before any wasm
 * module compiles, i.e. before the kernels are imported. Static imports would run first, hence the
 * dynamic import.
 */
import { setFlagsFromString } from 'node:v8';

const major = Number(process.versions.node.split('.')[0]);
if (major === 20 && !process.execArgv.includes('--experimental-wasm-relaxed-simd')) {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}

// A progress bar hides the cursor; give it back if the user interrupts.
process.once('SIGINT', () => {
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\n');
  process.exit(130);
});

const { runCli } = await import('./program.js');
process.exitCode = await runCli(process.argv);
