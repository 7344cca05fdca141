/** `unsupervised tsne`: t-SNE map of a dataset (embedding, KL divergence, optional 1-NN accuracy and model file). */
import type { Command } from 'commander';
import { PCA } from '../../decomposition/index.js';
import { TSNE, type TsneMethod } from '../../manifold/index.js';
import { saveModelFile } from '../../io/index.js';
import type { Matrix } from '../../core/matrix.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseFloatOption, parseInteger } from '../options.js';
import { progressFactory } from '../progress.js';

/** Optional PCA before a neighbour embedding (the usual PCA-50 step for MNIST). */
export function maybePca(X: Matrix<Float64Array>, k: number, seed: number): Matrix<Float64Array> {
  if (k <= 0 || k >= X.cols) return X;
  return new PCA({ nComponents: k, svdSolver: 'randomized', seed }).fitTransform(X) as Matrix<Float64Array>;
}

/** 1-NN accuracy of a map: first half of the points as reference, second half as queries. */
export function halfSplitOneNn(E: Matrix<Float64Array>, y: Int32Array): number {
  const n = E.rows;
  const c = E.cols;
  const h = n >> 1;
  let ok = 0;
  for (let i = h; i < n; i++) {
    let best = Infinity;
    let lab = -1;
    for (let j = 0; j < h; j++) {
      let s = 0;
      for (let q = 0; q < c; q++) s += (E.data[i * c + q]! - E.data[j * c + q]!) ** 2;
      if (s < best) {
        best = s;
        lab = y[j]!;
      }
    }
    if (lab === y[i]) ok++;
  }
  return ok / Math.max(1, n - h);
}

export function register(program: Command): void {
  const cmd = program
    .command('tsne')
    .description('t-SNE embedding (exact, Barnes-Hut or FFT-interpolated gradients)');
  inputOptions(cmd);
  outputOptions(cmd, 'embedding (n × d)');
  cmd
    .option(
      '-d, --n-components <d>',
      'output dimension (2 or 3; exact: any)',
      parseInteger('--n-components', 1),
      2,
    )
    .option('-p, --perplexity <p>', 'perplexity', parseFloatOption('--perplexity', 0), 30)
    .option('--n-iter <n>', 'iterations, early exaggeration included', parseInteger('--n-iter', 0), 750)
    .option('--method <m>', "'auto', 'exact', 'barnes-hut' or 'fft'", 'auto')
    .option('--theta <t>', 'Barnes-Hut angle', parseFloatOption('--theta', 0), 0.5)
    .option('--dof <a>', 'degrees of freedom of the Student-t kernel', parseFloatOption('--dof', 0), 1)
    .option('--learning-rate <lr>', "step size or 'auto'", 'auto')
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
        method: string;
        theta: number;
        dof: number;
        learningRate: string;
        pca: number;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const X = maybePca(data.X, opts.pca, opts.seed);
        const bar = progressFactory()('t-SNE', opts.nIter);
        const lr = opts.learningRate === 'auto' ? 'auto' : Number(opts.learningRate);
        const tsne = new TSNE({
          nComponents: opts.nComponents,
          perplexity: opts.perplexity,
          nIter: opts.nIter,
          method: opts.method as TsneMethod,
          theta: opts.theta,
          degreesOfFreedom: opts.dof,
          learningRate: lr,
          seed: opts.seed,
          onProgress: (e) =>
            bar.update(e.iteration, e.loss === undefined ? undefined : `KL ${e.loss.toFixed(3)}`),
        });
        const E = tsne.fitTransform(X);
        bar.stop();
        const summary: Record<string, unknown> = {
          command: 'tsne',
          source: data.source,
          nSamples: X.rows,
          nFeatures: data.X.cols,
          pcaComponents: X.cols,
          method: tsne.method,
          perplexity: opts.perplexity,
          klDivergence: tsne.klDivergence,
          nIter: tsne.nIter,
          elapsedMs: Date.now() - t0,
        };
        if (data.y) summary.oneNnAccuracyHalfSplit = halfSplitOneNn(E, data.y);
        if (opts.saveModel) saveModelFile(opts.saveModel, tsne);
        for (const f of writeResult(opts.out, E, summary)) process.stdout.write(`${f}\n`);
      },
    );
}
