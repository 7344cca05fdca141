/** `unsupervised sparse-code`: codes of a dataset over a fixed dictionary (lasso, OMP or thresholding). */
import type { Command } from 'commander';
import { SparseCoder } from '../../decomposition/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseFloatOption, parseInteger } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('sparse-code')
    .description(
      'sparse codes over a fixed dictionary (rows = atoms): lasso (LARS or CD), OMP, or soft thresholding',
    );
  inputOptions(cmd);
  outputOptions(cmd, 'codes (n × atoms)');
  cmd
    .requiredOption(
      '-d, --dictionary <file>',
      'dictionary as .csv or .npy, one atom per row (same number of columns as the data)',
    )
    .option('--algorithm <name>', "'lasso_lars', 'lasso_cd', 'omp' or 'threshold'", 'omp')
    .option(
      '--alpha <x>',
      'lasso penalty / threshold, or for omp the target squared residual',
      parseFloatOption('--alpha', 0),
    )
    .option('--n-nonzero <k>', 'OMP sparsity', parseInteger('--n-nonzero', 1))
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        dictionary: string;
        algorithm: string;
        alpha?: number;
        nNonzero?: number;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const dict = readInput(opts.dictionary);
        const coder = new SparseCoder({
          dictionary: dict.X,
          transformAlgorithm: opts.algorithm as 'omp',
          transformAlpha: opts.alpha,
          transformNNonzeroCoefs: opts.nNonzero,
        });
        const Z = coder.transform(data.X);
        let nz = 0;
        let err = 0;
        const D = dict.X;
        for (let i = 0; i < Z.rows; i++) {
          for (let j = 0; j < Z.cols; j++) if (Z.get(i, j) !== 0) nz++;
          for (let f = 0; f < D.cols; f++) {
            let r = data.X.get(i, f);
            for (let j = 0; j < Z.cols; j++) r -= Z.get(i, j) * D.get(j, f);
            err += r * r;
          }
        }
        const summary = {
          command: 'sparse-code',
          source: data.source,
          dictionary: dict.source,
          nSamples: data.X.rows,
          nAtoms: D.rows,
          algorithm: opts.algorithm,
          meanNonzeroPerCode: nz / Z.rows,
          meanSquaredResidual: err / Z.rows,
          elapsedMs: Date.now() - t0,
        };
        const files = writeResult(opts.out, Z, summary, {
          header: Array.from({ length: Z.cols }, (_, j) => `atom${j + 1}`),
        });
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
