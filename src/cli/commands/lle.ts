/** `unsupervised lle`: locally linear embedding (Roweis & Saul 2000). */
import type { Command } from 'commander';
import { LocallyLinearEmbedding } from '../../manifold/index.js';
import { saveModelFile } from '../../io/index.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseFloatOption, parseInteger } from '../options.js';

export function register(program: Command): void {
  const cmd = program
    .command('lle')
    .description(
      'locally linear embedding: k-NN barycentric weights, bottom eigenvectors of sparse (I−W)ᵀ(I−W)',
    );
  inputOptions(cmd);
  outputOptions(cmd, 'embedding (n × d)');
  cmd
    .option('-k, --n-neighbors <k>', 'neighbours per point', parseInteger('--n-neighbors', 1), 10)
    .option('-d, --n-components <d>', 'output dimension', parseInteger('--n-components', 1), 2)
    .option(
      '--reg <r>',
      'regularisation of the local Gram matrices (× trace)',
      parseFloatOption('--reg', 0),
      1e-3,
    )
    .option('--seed <n>', 'seed of the eigensolver start vector', parseInteger('--seed'), 0)
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nNeighbors: number;
        nComponents: number;
        reg: number;
        seed: number;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        const lle = new LocallyLinearEmbedding({
          nNeighbors: opts.nNeighbors,
          nComponents: opts.nComponents,
          reg: opts.reg,
          seed: opts.seed,
        });
        const E = lle.fitTransform(data.X);
        const summary = {
          command: 'lle',
          source: data.source,
          nSamples: data.X.rows,
          nFeatures: data.X.cols,
          nNeighbors: opts.nNeighbors,
          solver: lle.solver,
          reconstructionError: lle.reconstructionError,
          elapsedMs: Date.now() - t0,
        };
        if (opts.saveModel) saveModelFile(opts.saveModel, lle);
        for (const f of writeResult(opts.out, E, summary)) process.stdout.write(`${f}\n`);
      },
    );
}
