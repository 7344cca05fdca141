/** `unsupervised gmm`: Gaussian mixture by EM (optionally on a PCA projection): labels, BIC/AIC. */
import type { Command } from 'commander';
import { GaussianMixture, type CovarianceType, type MixtureInit } from '../../cluster/index.js';
import { PCA } from '../../decomposition/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';
import { labelAgreement } from './kmeans.js';

export function register(program: Command): void {
  const cmd = program
    .command('gmm')
    .description('Gaussian mixture model fitted by EM (full, tied, diag or spherical covariances)');
  inputOptions(cmd);
  outputOptions(cmd, 'labels (n)');
  cmd
    .option('-k, --n-components <k>', 'mixture components', parseInteger('--n-components', 1), 10)
    .option(
      '--covariance-type <t>',
      "'full', 'tied', 'diag' or 'spherical'",
      parseChoice('--covariance-type', ['full', 'tied', 'diag', 'spherical'] as const),
      'full',
    )
    .option('--reg-covar <x>', 'added to covariance diagonals', parseFloatOption('--reg-covar', 0), 1e-6)
    .option('--max-iter <n>', 'EM iterations', parseInteger('--max-iter', 1), 100)
    .option('--n-init <n>', 'initialisations', parseInteger('--n-init', 1), 1)
    .option('--tol <x>', 'convergence threshold on the lower bound', parseFloatOption('--tol', 0), 1e-3)
    .option(
      '--init-params <m>',
      "'kmeans', 'k-means++', 'random' or 'random_from_data'",
      parseChoice('--init-params', ['kmeans', 'k-means++', 'random', 'random_from_data'] as const),
      'kmeans',
    )
    .option('--pca <d>', 'fit on the first d principal components', parseInteger('--pca', 1))
    .option('--seed <n>', 'random seed', parseInteger('--seed'), 0)
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nComponents: number;
        covarianceType: CovarianceType;
        regCovar: number;
        maxIter: number;
        nInit: number;
        tol: number;
        initParams: MixtureInit;
        pca?: number;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const X = opts.pca
          ? new PCA({ nComponents: opts.pca, seed: opts.seed }).fitTransform(data.X)
          : data.X;
        const model = new GaussianMixture({
          nComponents: opts.nComponents,
          covarianceType: opts.covarianceType,
          regCovar: opts.regCovar,
          maxIter: opts.maxIter,
          nInit: opts.nInit,
          tol: opts.tol,
          initParams: opts.initParams,
          seed: opts.seed,
        }).fit(X);
        const summary = {
          command: 'gmm',
          source: data.source,
          nSamples: X.rows,
          nFeatures: X.cols,
          pca: opts.pca ?? null,
          covarianceType: opts.covarianceType,
          lowerBound: model.lowerBound,
          converged: model.converged,
          nIter: model.nIter,
          bic: model.bic(X),
          aic: model.aic(X),
          weights: Array.from(model.weights),
          ...labelAgreement(data, model.labels),
          elapsedMs: Date.now() - t0,
        };
        if (opts.saveModel) saveModelFile(opts.saveModel, model);
        const files = writeResult(opts.out, model.labels, summary);
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
