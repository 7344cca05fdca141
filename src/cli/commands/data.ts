/** `unsupervised data`: load a dataset the way every command does, describe it, optionally convert it. */
import type { Command } from 'commander';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';

export function register(program: Command): void {
  const cmd = program
    .command('data')
    .description('describe a dataset (CSV, NPY or MNIST) and optionally convert it to CSV/NPY');
  inputOptions(cmd);
  outputOptions(cmd, 'data matrix');
  cmd.action((opts: { input: string; labelsColumn?: string; out?: string }) => {
    const t0 = Date.now();
    const data = readInput(opts.input, { labelsColumn: opts.labelsColumn, allowNonFinite: true });
    const { X, y } = data;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let nonFinite = 0;
    for (let i = 0; i < X.rows * X.cols; i++) {
      const v = X.data[i]!;
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const summary: Record<string, unknown> = {
      command: 'data',
      source: data.source,
      nSamples: X.rows,
      nFeatures: X.cols,
      min,
      max,
      mean: sum / Math.max(1, X.rows * X.cols - nonFinite),
      nonFinite,
      ...(data.columns ? { columns: data.columns } : {}),
      ...(y ? { labels: labelCounts(y) } : {}),
      elapsedMs: Date.now() - t0,
    };
    const files = writeResult(opts.out, X, summary, data.columns ? { header: data.columns } : {});
    for (const f of files) process.stdout.write(`${f}\n`);
  });
}

function labelCounts(y: Int32Array): Record<string, number> {
  const c: Record<string, number> = {};
  for (const v of y) c[v] = (c[v] ?? 0) + 1;
  return c;
}
