/** `unsupervised bmm`: Bernoulli mixture by EM on binarised data; component means as images. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BernoulliMixture } from '../../cluster/index.js';
import { Matrix } from '../../core/matrix.js';
import { saveModelFile } from '../../io/index.js';
import { imageGridPng } from '../../viz/index.js';
import { UsageError } from '../errors.js';
import { inputOptions, outputOptions, readInput, writeResult } from '../io.js';
import { parseFloatOption, parseInteger, parseList } from '../options.js';
import { labelAgreement } from './kmeans.js';

export function register(program: Command): void {
  const cmd = program
    .command('bmm')
    .description('mixture of Bernoullis fitted by EM on binarised data (e.g. MNIST 3/5/8)');
  inputOptions(cmd);
  outputOptions(cmd, 'labels (n)');
  cmd
    .option('-k, --n-components <k>', 'mixture components', parseInteger('--n-components', 1), 3)
    .option('--threshold <x>', 'binarise: value > x becomes 1', parseFloatOption('--threshold', 0), 0.5)
    .option('--digits <list>', 'keep only these labels (e.g. 3,5,8)', parseList)
    .option('--alpha <x>', 'Beta prior pseudo-count (smoothing)', parseFloatOption('--alpha', 0), 1)
    .option('--max-iter <n>', 'EM iterations', parseInteger('--max-iter', 1), 100)
    .option('--n-init <n>', 'initialisations', parseInteger('--n-init', 1), 1)
    .option('--seed <n>', 'random seed', parseInteger('--seed'), 0)
    .option('--means-png <file>', 'when rows are images: write the component means as an image grid')
    .option('--save-model <file>', 'save the fitted model')
    .action(
      (opts: {
        input: string;
        labelsColumn?: string;
        out?: string;
        nComponents: number;
        threshold: number;
        digits?: string[];
        alpha: number;
        maxIter: number;
        nInit: number;
        seed: number;
        meansPng?: string;
        saveModel?: string;
      }) => {
        const t0 = Date.now();
        const digits = opts.digits?.map((v) => {
          const c = Number(v);
          if (!Number.isInteger(c)) throw new UsageError(`--digits must list integer labels; got '${v}'`);
          return c;
        });
        const data = readInput(opts.input, { labelsColumn: opts.labelsColumn });
        if (opts.meansPng && !(data.width && data.height)) {
          // It used to be skipped silently, leaving the user without the file asked for.
          throw new UsageError(`--means-png needs image rows (mnist input); ${data.source} has none`);
        }
        let X: Matrix<Float64Array> = data.X;
        let y = data.y;
        if (digits) {
          // Without labels --digits used to be ignored silently (the whole input was fitted).
          if (!y) throw new UsageError(`--digits needs labelled input; ${data.source} has no labels`);
          const keep = new Set(digits);
          const idx: number[] = [];
          for (let i = 0; i < y.length; i++) if (keep.has(y[i]!)) idx.push(i);
          if (idx.length === 0)
            throw new UsageError(`--digits ${digits.join(',')}: no row of ${data.source} has these labels`);
          X = X.selectRows(idx);
          y = Int32Array.from(idx, (i) => data.y![i]!);
        }
        const B = new Float64Array(X.data.length);
        for (let i = 0; i < B.length; i++) B[i] = X.data[i]! > opts.threshold ? 1 : 0;
        const Xb = new Matrix(B, X.rows, X.cols);
        const model = new BernoulliMixture({
          nComponents: opts.nComponents,
          alpha: opts.alpha,
          maxIter: opts.maxIter,
          nInit: opts.nInit,
          seed: opts.seed,
        }).fit(Xb);
        const summary = {
          command: 'bmm',
          source: data.source,
          nSamples: Xb.rows,
          nFeatures: Xb.cols,
          lowerBound: model.lowerBound,
          converged: model.converged,
          nIter: model.nIter,
          weights: Array.from(model.weights),
          bic: model.bic(Xb),
          ...labelAgreement({ ...data, y }, model.labels),
          elapsedMs: Date.now() - t0,
        };
        if (opts.meansPng && data.width && data.height) {
          writeFileSync(
            opts.meansPng,
            imageGridPng(model.means, {
              width: data.width,
              height: data.height,
              scale: 3,
              normalize: 'none',
            }),
          );
        }
        if (opts.saveModel) saveModelFile(opts.saveModel, model);
        const files = writeResult(opts.out, model.labels, summary);
        for (const f of files) process.stdout.write(`${f}\n`);
      },
    );
}
