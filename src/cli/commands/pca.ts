/** `unsupervised pca`: principal components of a dataset (scores, explained variance, optional model file). */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PCA } from '../../decomposition/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseInteger } from '../options.js';

function parseComponents(v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0 || (x >= 1 && !Number.isInteger(x))) {
    throw new InvalidArgumentError(
      `--n-components must be an integer >= 1 or a fraction of variance in (0, 1); got '${v}'.`,
    );
  }
  return x;
}

export function register(program: Command): void {
  const cmd = program
    .command('pca')
    .description('principal component analysis: scores on the first components and the explained variance');
  inputOptions(cmd);
  outputOptions(cmd, 'scores (n × k)');
  cmd
    .option(
      '-k, --n-components <k>',
      'components: an integer, or a fraction of variance to keep (e.g. 0.95)',
      parseComponents,
      2,
    )
    .option(
      '--solver <name>',
      "'auto', 'full' or 'randomized'",
      parseChoice('--solver', ['auto', 'full', 'randomized'] as const),
      'auto' as const,
    )
    .option('--whiten', 'scale the scores to unit variance')
    .option('--seed <n>', 'seed of the randomized solver', parseInteger('--seed'), 0)
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nComponents: number;
        solver: 'auto' | 'full' | 'randomized';
        whiten?: boolean;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const pca = new PCA({
          nComponents: opts.nComponents,
          svdSolver: opts.solver,
          whiten: opts.whiten ?? false,
          seed: opts.seed,
        });
        const Z = pca.fitTransform(data.X);
        const ratio = Array.from(pca.explainedVarianceRatio);
        let cum = 0;
        const summary = {
          command: 'pca',
          source: data.source,
          nSamples: data.X.rows,
          nFeatures: data.X.cols,
          nComponents: pca.nComponents,
          solver: pca.solver,
          explainedVariance: Array.from(pca.explainedVariance),
          explainedVarianceRatio: ratio,
          cumulativeVarianceRatio: ratio.map((r) => (cum += r)),
          noiseVariance: pca.noiseVariance,
          elapsedMs: Date.now() - t0,
        };
        if (opts.saveModel) saveModelFile(opts.saveModel, pca);
        const files = writeResult(opts.out, Z, summary, { columnPrefix: 'pc' });
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
