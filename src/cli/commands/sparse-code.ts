/** `unsupervised sparse-code`: codes of a dataset over a fixed dictionary (lasso, OMP or thresholding). */
import type { Command } from 'commander';
import {
  SparseCoder,
  SPARSE_CODING_ALGORITHMS as ALGORITHMS,
  type SparseCodingAlgorithm,
} from '../../decomposition/index.js';
import { gemm } from '../../kernels/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';

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
    .option(
      '--algorithm <name>',
      "'lasso_lars', 'lasso_cd', 'omp' or 'threshold'",
      parseChoice('--algorithm', ALGORITHMS),
      'omp' as const,
    )
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
        algorithm: SparseCodingAlgorithm;
        alpha?: number;
        nNonzero?: number;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const dict = readInput(opts.dictionary);
        const coder = new SparseCoder({
          dictionary: dict.X,
          transformAlgorithm: opts.algorithm,
          transformAlpha: opts.alpha,
          transformNNonzeroCoefs: opts.nNonzero,
        });
        const Z = coder.transform(data.X);
        let nz = 0;
        for (let i = 0; i < Z.size; i++) if (Z.data[i] !== 0) nz++;
        // Residual X − Z·D with one gemm (an n·d·k loop of Matrix.get took minutes on MNIST).
        const D = dict.X.contiguous();
        const R = data.X.clone().data as Float64Array;
        gemm(Z.rows, D.cols, Z.cols, Z.data, D.data as Float64Array, R, { alpha: -1, beta: 1 });
        let err = 0;
        for (let i = 0; i < R.length; i++) err += R[i]! * R[i]!;
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
        const files = writeResult(opts.out, Z, summary, { columnPrefix: 'atom' });
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
