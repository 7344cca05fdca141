/** `unsupervised nmf`: non-negative matrix factorisation X ≈ W·H (writes W; H in the model file). */
import type { Command } from 'commander';
import { NMF } from '../../decomposition/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('nmf')
    .description('non-negative matrix factorisation X ≈ W·H (Frobenius loss): writes W (n × k)');
  inputOptions(cmd);
  outputOptions(cmd, 'activations W (n × k)');
  cmd
    .option('-k, --n-components <k>', 'number of parts', parseInteger('--n-components', 1), 10)
    .option(
      '--solver <name>',
      "'cd' (HALS coordinate descent) or 'mu' (multiplicative updates)",
      parseChoice('--solver', ['cd', 'mu'] as const),
      'cd' as const,
    )
    .option(
      '--init <name>',
      "'nndsvd', 'nndsvda', 'nndsvdar' or 'random' (default: nndsvda when k <= min(n, d))",
      parseChoice('--init', ['nndsvd', 'nndsvda', 'nndsvdar', 'random'] as const),
    )
    .option('--max-iter <n>', 'maximum iterations', parseInteger('--max-iter', 1), 200)
    .option('--tol <x>', 'stopping tolerance', parseFloatOption('--tol', 0), 1e-4)
    .option('--seed <n>', 'seed (random init, shuffling)', parseInteger('--seed'), 0)
    .option('--save-model <file>', 'save the fitted model (holds H)')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nComponents: number;
        solver: 'cd' | 'mu';
        init?: 'nndsvd' | 'nndsvda' | 'nndsvdar' | 'random';
        maxIter: number;
        tol: number;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const nmf = new NMF({
          nComponents: opts.nComponents,
          solver: opts.solver,
          init: opts.init,
          maxIter: opts.maxIter,
          tol: opts.tol,
          seed: opts.seed,
        });
        const W = nmf.fitTransform(data.X);
        const summary = {
          command: 'nmf',
          source: data.source,
          nSamples: data.X.rows,
          nFeatures: data.X.cols,
          nComponents: nmf.nComponents,
          nIter: nmf.nIter,
          stopReason: nmf.stopReason,
          reconstructionErr: nmf.reconstructionErr,
          elapsedMs: Date.now() - t0,
        };
        if (opts.saveModel) saveModelFile(opts.saveModel, nmf);
        const files = writeResult(opts.out, W, summary, { columnPrefix: 'w' });
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
