/** `unsupervised cliques`: k-clique percolation communities on a k-NN or ε-neighbourhood graph. */
import { InvalidArgumentError, type Command } from 'commander';
import { CliqueClustering, edgeCount, maximalCliques } from '../../cluster/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseChoice, parseFloatOption, parseInteger } from '../options.js';
import { labelAgreement } from './kmeans.js';

/** A float > 0 (an ε of 0 gives a graph without edges; the estimator rejects it after loading the data). */
function parsePositive(name: string) {
  const parse = parseFloatOption(name, 0);
  return (value: string): number => {
    const v = parse(value);
    if (v === 0) throw new InvalidArgumentError(`${name} must be > 0; got 0.`);
    return v;
  };
}

export function register(program: Command): void {
  const cmd = program
    .command('cliques')
    .description(
      'graph clustering with cliques: k-clique percolation communities of a k-NN or epsilon graph',
    );
  inputOptions(cmd);
  outputOptions(cmd, 'labels (n; -1 = in no community)');
  cmd
    .option(
      '--graph <kind>',
      "'knn' or 'epsilon'",
      parseChoice('--graph', ['knn', 'epsilon'] as const),
      'knn',
    )
    .option('--n-neighbors <k>', 'neighbours per point (knn graph)', parseInteger('--n-neighbors', 1), 10)
    .option('--mutual', 'keep only mutual k-NN edges')
    .option('--radius <eps>', 'epsilon (epsilon graph)', parsePositive('--radius'), 1)
    .option('-k, --clique-size <k>', 'clique size of the percolation', parseInteger('--clique-size', 2), 3)
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        graph: 'knn' | 'epsilon';
        nNeighbors: number;
        mutual?: boolean;
        radius: number;
        cliqueSize: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const model = new CliqueClustering({
          graph: opts.graph,
          nNeighbors: opts.nNeighbors,
          mutual: opts.mutual ?? false,
          radius: opts.radius,
          k: opts.cliqueSize,
        }).fit(data.X);
        const g = model.graph;
        const maximal = maximalCliques(g, 2);
        const covered = model.labels.filter((l) => l >= 0).length;
        const summary = {
          command: 'cliques',
          source: data.source,
          nSamples: data.X.rows,
          graph: opts.graph,
          edges: edgeCount(g),
          maximalCliques: maximal.length,
          // A loop, not Math.max(...spread): MNIST-sized graphs have more cliques than a call's arguments.
          largestClique: maximal.reduce((m, c) => Math.max(m, c.length), 0),
          communities: model.communities.length,
          communitySizes: model.communities
            .map((c) => c.length)
            .sort((a, b) => b - a)
            .slice(0, 20),
          nodesCovered: covered,
          ...labelAgreement(data, model.labels),
          elapsedMs: Date.now() - t0,
        };
        if (opts.saveModel) saveModelFile(opts.saveModel, model);
        const files = writeResult(opts.out, model.labels, summary);
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
