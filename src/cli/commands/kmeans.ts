/** `unsupervised kmeans`: k-means (or mini-batch k-means) labels, centres and inertia of a dataset. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { KMeans, MiniBatchKMeans } from '../../cluster/index.js';
import { saveModelFile } from '../../io/index.js';
import { adjustedRandIndex, normalizedMutualInfo } from '../../metrics/index.js';
import { imageGridPng } from '../../viz/index.js';
import { UsageError } from '../errors.js';
import { inputOptions, outputOptions, readInput, writeResult, type LoadedInput } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';

/** ARI/NMI against the input's labels, when it has them (shared by the clustering commands). */
export function labelAgreement(data: LoadedInput, labels: ArrayLike<number>): Record<string, number> {
  if (!data.y) return {};
  return { ari: adjustedRandIndex(data.y, labels), nmi: normalizedMutualInfo(data.y, labels) };
}

export function register(program: Command): void {
  const cmd = program
    .command('kmeans')
    .description('k-means clustering (k-means++ restarts, Lloyd or Elkan; --minibatch for large n)');
  inputOptions(cmd);
  outputOptions(cmd, 'labels (n)');
  cmd
    .option('-k, --n-clusters <k>', 'number of clusters', parseInteger('--n-clusters', 1), 8)
    .option(
      '--n-init <n>',
      'restarts (the lowest inertia is kept; default 10, 3 with --minibatch)',
      parseInteger('--n-init', 1),
    )
    .option('--max-iter <n>', 'iterations per run', parseInteger('--max-iter', 1), 300)
    .option(
      '--tol <x>',
      'relative tolerance on the centre shift (not with --minibatch)',
      parseFloatOption('--tol', 0),
      1e-4,
    )
    .option(
      '--algorithm <name>',
      "'lloyd' or 'elkan' (not with --minibatch)",
      parseChoice('--algorithm', ['lloyd', 'elkan'] as const),
      'elkan',
    )
    .option(
      '--init <name>',
      "'k-means++' or 'random' (not with --minibatch)",
      parseChoice('--init', ['k-means++', 'random'] as const),
      'k-means++',
    )
    .option('--minibatch', 'mini-batch k-means')
    .option('--batch-size <n>', 'mini-batch size', parseInteger('--batch-size', 1), 1024)
    .option('--seed <n>', 'random seed', parseInteger('--seed'), 0)
    .option('--centers-png <file>', 'when rows are images: write the centres as an image grid')
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nClusters: number;
        nInit?: number;
        maxIter: number;
        tol: number;
        algorithm: 'lloyd' | 'elkan';
        init: 'k-means++' | 'random';
        minibatch?: boolean;
        batchSize: number;
        seed: number;
        centersPng?: string;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        if (opts.minibatch) {
          // These were silently ignored with --minibatch (MiniBatchKMeans has no such options).
          for (const name of ['tol', 'algorithm', 'init'] as const) {
            if (cmd.getOptionValueSource(name) === 'cli') {
              throw new UsageError(`--${name} does not apply to --minibatch`);
            }
          }
        }
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        if (opts.centersPng && !(data.width && data.height)) {
          // It used to be skipped silently, leaving the user without the file asked for.
          throw new UsageError(`--centers-png needs image rows (mnist input); ${data.source} has none`);
        }
        const model = opts.minibatch
          ? new MiniBatchKMeans({
              nClusters: opts.nClusters,
              batchSize: opts.batchSize,
              nInit: opts.nInit ?? 3, // was min(--n-init, 3): an explicit --n-init 10 ran 3
              maxIter: opts.maxIter,
              seed: opts.seed,
            })
          : new KMeans({
              nClusters: opts.nClusters,
              nInit: opts.nInit ?? 10,
              maxIter: opts.maxIter,
              tol: opts.tol,
              algorithm: opts.algorithm,
              init: opts.init,
              seed: opts.seed,
            });
        model.fit(data.X);
        const summary = {
          command: 'kmeans',
          source: data.source,
          nSamples: data.X.rows,
          nFeatures: data.X.cols,
          nClusters: opts.nClusters,
          inertia: model.inertia,
          ...(model instanceof KMeans
            ? { nIter: model.nIter, algorithm: opts.algorithm }
            : { nSteps: model.nSteps }),
          stopReason: model.stopReason,
          ...labelAgreement(data, model.labels),
          elapsedMs: Date.now() - t0,
        };
        if (opts.centersPng && data.width && data.height) {
          writeFileSync(
            opts.centersPng,
            imageGridPng(model.clusterCenters, {
              width: data.width,
              height: data.height,
              scale: 3,
              normalize: 'each',
            }),
          );
        }
        if (opts.saveModel) saveModelFile(opts.saveModel, model);
        const files = writeResult(opts.out, model.labels, summary);
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
