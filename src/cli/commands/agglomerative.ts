/** `unsupervised agglomerative`: hierarchical clustering labels, the linkage matrix and a dendrogram. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AgglomerativeClustering, LINKAGE_METHODS, type Linkage } from '../../cluster/index.js';
import { saveModelFile } from '../../io/index.js';
import { dendrogramSvg } from '../../viz/index.js';
import { UsageError } from '../errors.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';
import { labelAgreement } from './kmeans.js';

export function register(program: Command): void {
  const cmd = program
    .command('agglomerative')
    .description(
      'hierarchical clustering (single/complete/average/weighted/centroid/median/ward), cut by -k or --distance-threshold',
    );
  inputOptions(cmd);
  outputOptions(cmd, 'labels (n)');
  cmd
    .option('-k, --n-clusters <k>', 'number of clusters', parseInteger('--n-clusters', 1))
    .option(
      '--distance-threshold <h>',
      'cut height instead of -k',
      parseFloatOption('--distance-threshold', 0),
    )
    .option(
      '--linkage <name>',
      'single, complete, average, weighted, centroid, median or ward',
      parseChoice('--linkage', LINKAGE_METHODS),
      'ward',
    )
    .option('--dendrogram <file.svg>', 'write the dendrogram (last 120 clusters) as SVG')
    .option('--linkage-out <file.csv>', 'write the scipy-style linkage matrix (a, b, height, size)')
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nClusters?: number;
        distanceThreshold?: number;
        linkage: Linkage;
        dendrogram?: string;
        linkageOut?: string;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        if (opts.nClusters !== undefined && opts.distanceThreshold !== undefined) {
          // -k used to be dropped silently in favour of the threshold.
          throw new UsageError('give -k/--n-clusters or --distance-threshold, not both');
        }
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const model = new AgglomerativeClustering(
          opts.distanceThreshold !== undefined
            ? { distanceThreshold: opts.distanceThreshold, linkage: opts.linkage }
            : { nClusters: opts.nClusters ?? 2, linkage: opts.linkage },
        ).fit(data.X);
        const summary = {
          command: 'agglomerative',
          source: data.source,
          nSamples: data.X.rows,
          linkage: opts.linkage,
          nClusters: model.nClustersFound,
          topMergeHeights: Array.from(model.distances.slice(-10)),
          ...labelAgreement(data, model.labels),
          elapsedMs: Date.now() - t0,
        };
        if (opts.dendrogram) {
          writeFileSync(
            opts.dendrogram,
            dendrogramSvg(model.linkageMatrix, {
              title: `${opts.linkage} linkage`,
              nClusters: model.nClustersFound,
              leafClasses: data.y,
            }),
          );
        }
        if (opts.linkageOut) {
          const Z = model.linkageMatrix;
          const rows = ['a,b,height,size', ...Z.toArray().map((r) => r.join(','))];
          writeFileSync(opts.linkageOut, rows.join('\n') + '\n');
        }
        if (opts.saveModel) saveModelFile(opts.saveModel, model);
        const files = writeResult(opts.out, model.labels, summary);
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
