/** `unsupervised sne`: stochastic neighbour embedding (Hinton & Roweis 2002), exact O(n²). */
import type { Command } from 'commander';
import { SNE } from '../../manifold/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseFloatOption, parseInteger } from '../options.js';
import { progressFactory } from '../progress.js';
import { halfSplitOneNn, maybePca } from './tsne.js';

export function register(program: Command): void {
  const cmd = program
    .command('sne')
    .description('SNE embedding (Gaussian map kernel; shows the crowding problem t-SNE fixes)');
  inputOptions(cmd);
  outputOptions(cmd, 'embedding (n × d)');
  cmd
    .option('-d, --n-components <d>', 'output dimension', parseInteger('--n-components', 1), 2)
    .option('-p, --perplexity <p>', 'perplexity', parseFloatOption('--perplexity', 0), 30)
    .option('--n-iter <n>', 'iterations', parseInteger('--n-iter', 0), 1000)
    .option('--learning-rate <lr>', 'step size', parseFloatOption('--learning-rate', 0), 0.2)
    .option('--pca <k>', 'reduce to k principal components first (0: no)', parseInteger('--pca', 0), 50)
    .option('--seed <n>', 'seed', parseInteger('--seed'), 0)
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nComponents: number;
        perplexity: number;
        nIter: number;
        learningRate: number;
        pca: number;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const X = maybePca(data.X, opts.pca, opts.seed);
        const bar = progressFactory()('SNE', opts.nIter);
        const sne = new SNE({
          nComponents: opts.nComponents,
          perplexity: opts.perplexity,
          nIter: opts.nIter,
          learningRate: opts.learningRate,
          seed: opts.seed,
          onProgress: (e) =>
            bar.update(e.iteration, e.loss === undefined ? undefined : `cost ${e.loss.toFixed(2)}`),
        });
        const E = sne.fitTransform(X);
        bar.stop();
        const summary: Record<string, unknown> = {
          command: 'sne',
          source: data.source,
          nSamples: X.rows,
          klDivergenceSum: sne.klDivergence,
          nIter: sne.nIter,
          elapsedMs: Date.now() - t0,
        };
        if (data.y) summary.oneNnAccuracyHalfSplit = halfSplitOneNn(E, data.y);
        if (opts.saveModel) saveModelFile(opts.saveModel, sne);
        for (const f of writeResult(opts.out, E, summary)) process.stdout.write(`${f}\n`);
      },
    );
}
