/** `unsupervised dictionary`: learn a sparse-coding dictionary (batch or online) and code the data. */
import type { Command } from 'commander';
import {
  DictionaryLearning,
  MiniBatchDictionaryLearning,
  SPARSE_CODING_ALGORITHMS as ALGORITHMS,
  type SparseCodingAlgorithm,
} from '../../decomposition/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('dictionary')
    .description('dictionary learning for sparse coding (atoms with norm <= 1): writes the codes (n × k)');
  inputOptions(cmd);
  outputOptions(cmd, 'codes (n × k)');
  cmd
    .option(
      '-k, --n-components <k>',
      'number of atoms (may exceed the number of features)',
      parseInteger('--n-components', 1),
      32,
    )
    .option('--alpha <x>', 'l1 penalty of the codes while learning', parseFloatOption('--alpha', 0), 1)
    .option('--online', 'mini-batch online learning (Mairal et al. 2010) instead of batch')
    .option('--batch-size <n>', 'rows per mini-batch (--online)', parseInteger('--batch-size', 1), 256)
    .option('--max-iter <n>', 'iterations (batch) or epochs (--online)', parseInteger('--max-iter', 1))
    .option(
      '--fit-algorithm <name>',
      "'lars' or 'cd'",
      parseChoice('--fit-algorithm', ['lars', 'cd'] as const),
      'lars' as const,
    )
    .option(
      '--transform <name>',
      "coding of the output: 'omp', 'lasso_lars', 'lasso_cd' or 'threshold'",
      parseChoice('--transform', ALGORITHMS),
      'omp' as const,
    )
    .option('--n-nonzero <k>', 'OMP sparsity of the output codes', parseInteger('--n-nonzero', 1))
    .option('--seed <n>', 'seed', parseInteger('--seed'), 0)
    .option('--save-model <file>', 'save the fitted model (holds the atoms)')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nComponents: number;
        alpha: number;
        online?: boolean;
        batchSize: number;
        maxIter?: number;
        fitAlgorithm: 'lars' | 'cd';
        transform: SparseCodingAlgorithm;
        nNonzero?: number;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const common = {
          nComponents: opts.nComponents,
          alpha: opts.alpha,
          fitAlgorithm: opts.fitAlgorithm,
          transformAlgorithm: opts.transform,
          transformNNonzeroCoefs: opts.nNonzero,
          seed: opts.seed,
        };
        const model = opts.online
          ? new MiniBatchDictionaryLearning({
              ...common,
              batchSize: opts.batchSize,
              maxIter: opts.maxIter ?? 10,
            })
          : new DictionaryLearning({ ...common, maxIter: opts.maxIter ?? 100 });
        model.fit(data.X);
        const Z = model.transform(data.X);
        let nz = 0;
        for (let i = 0; i < Z.size; i++) if (Z.data[i] !== 0) nz++;
        const summary: Record<string, unknown> = {
          command: 'dictionary',
          source: data.source,
          nSamples: data.X.rows,
          nFeatures: data.X.cols,
          nComponents: opts.nComponents,
          online: !!opts.online,
          nIter: model.nIter,
          stopReason: model.stopReason,
          meanNonzeroPerCode: nz / Z.rows,
          elapsedMs: Date.now() - t0,
        };
        if (model instanceof DictionaryLearning) summary.objective = model.objectiveHistory.at(-1);
        if (opts.saveModel) saveModelFile(opts.saveModel, model);
        const files = writeResult(opts.out, Z, summary, { columnPrefix: 'atom' });
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
