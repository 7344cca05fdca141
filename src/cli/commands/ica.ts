/** `unsupervised ica`: FastICA sources of a dataset. */
import type { Command } from 'commander';
import { FastICA } from '../../decomposition/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('ica')
    .description('independent component analysis (FastICA): estimated sources and mixing matrix');
  inputOptions(cmd);
  outputOptions(cmd, 'sources (n × k)');
  cmd
    .option(
      '-k, --n-components <k>',
      'number of sources (default: number of features)',
      parseInteger('--n-components', 1),
    )
    .option(
      '--algorithm <name>',
      "'parallel' or 'deflation'",
      parseChoice('--algorithm', ['parallel', 'deflation'] as const),
      'parallel' as const,
    )
    .option(
      '--fun <name>',
      "contrast: 'logcosh', 'exp' or 'cube'",
      parseChoice('--fun', ['logcosh', 'exp', 'cube'] as const),
      'logcosh' as const,
    )
    .option('--max-iter <n>', 'maximum iterations', parseInteger('--max-iter', 1), 200)
    .option('--tol <x>', 'convergence tolerance', parseFloatOption('--tol', 0), 1e-4)
    .option('--seed <n>', 'seed of the initial unmixing matrix', parseInteger('--seed'), 0)
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nComponents?: number;
        algorithm: 'parallel' | 'deflation';
        fun: 'logcosh' | 'exp' | 'cube';
        maxIter: number;
        tol: number;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const ica = new FastICA({
          nComponents: opts.nComponents,
          algorithm: opts.algorithm,
          fun: opts.fun,
          maxIter: opts.maxIter,
          tol: opts.tol,
          seed: opts.seed,
        });
        const S = ica.fitTransform(data.X);
        const summary = {
          command: 'ica',
          source: data.source,
          nSamples: data.X.rows,
          nFeatures: data.X.cols,
          nComponents: ica.nComponents,
          nIter: ica.nIter,
          converged: ica.converged,
          lastChange: ica.lastChange,
          mixing: ica.mixing.toArray(),
          elapsedMs: Date.now() - t0,
        };
        if (opts.saveModel) saveModelFile(opts.saveModel, ica);
        const files = writeResult(opts.out, S, summary, { columnPrefix: 'source' });
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
