/**
 * Bad input to every public function and estimator of decomposition/ fails with an error that
 * names the argument (issue 2). One row per case: the call and the exact message. (NaN, Infinity,
 * empty and ragged X for fit are also covered per estimator by test/contract.)
 */
import { describe, expect, it } from 'vitest';
import { NotFittedError, ValidationError } from '../../src/core/errors.js';
import {
  DictionaryLearning,
  FastICA,
  IncrementalPCA,
  MiniBatchDictionaryLearning,
  NMF,
  PCA,
  SparseCoder,
  lassoCd,
  lassoLars,
  orthogonalMp,
  orthogonalMpGram,
  pca,
  softThresholdArray,
  sparseEncode,
} from '../../src/decomposition/index.js';

const X = [
  [1, 2, 3],
  [2, 1, 0],
  [0, 1, 4],
  [3, 3, 1],
];
const y = [1, 0, 2, 1];
const Dict = [
  [1, 0, 0],
  [0, 1, 0],
];
const bad = <T>(v: unknown): T => v as T;
const pca2 = () => new PCA({ nComponents: 2 }).fit(X);

const CASES: [string, () => unknown, string][] = [
  [
    'PCA nComponents 0',
    () => new PCA({ nComponents: 0 }),
    "The 'nComponents' option of PCA must be a finite number > 0; got 0.",
  ],
  [
    'PCA nComponents 1.5',
    () => new PCA({ nComponents: 1.5 }),
    "The 'nComponents' option of PCA must be an integer >= 1 or a fraction in (0, 1); got 1.5.",
  ],
  [
    'PCA svdSolver',
    () => new PCA({ svdSolver: bad('arpack') }),
    `The 'svdSolver' option of PCA must be one of "auto", "full", "randomized"; got "arpack".`,
  ],
  [
    'PCA nComponents > min(n, d)',
    () => new PCA({ nComponents: 4 }).fit(X),
    'nComponents=4 must be <= min(nSamples=4, nFeatures=3)=3',
  ],
  ['PCA one sample', () => new PCA().fit([[1, 2]]), 'PCA needs at least 2 samples; got nSamples=1'],
  [
    'PCA randomized fraction',
    () => new PCA({ nComponents: 0.5, svdSolver: 'randomized' }).fit(X),
    "svdSolver 'randomized' needs an integer nComponents; got 0.5",
  ],
  [
    'PCA.transform features',
    () => pca2().transform([[1, 2]]),
    'X has 2 features, but the model was fitted on 3',
  ],
  ['PCA.transform NaN', () => pca2().transform([[1, NaN, 3]]), 'X has NaN at row 0, column 1'],
  [
    'PCA.inverseTransform columns',
    () => pca2().inverseTransform([[1, 2, 3]]),
    'Z has 3 columns, but the model has nComponents=2',
  ],
  ['PCA.inverseTransform NaN', () => pca2().inverseTransform([[1, NaN]]), 'Z has NaN at row 0, column 1'],
  [
    'PCA.reconstructionError features',
    () => pca2().reconstructionError([[1, 2]]),
    'X has 2 features, but the model was fitted on 3',
  ],
  [
    'pca Infinity',
    () =>
      pca([
        [1, Infinity],
        [1, 2],
      ]),
    'X has Infinity at row 0, column 1',
  ],
  [
    'IncrementalPCA nComponents',
    () => new IncrementalPCA({ nComponents: -1 }),
    "The 'nComponents' option of IncrementalPCA must be an integer >= 1; got -1.",
  ],
  [
    'IncrementalPCA.partialFit features',
    () =>
      new IncrementalPCA({ nComponents: 1 }).partialFit(X).partialFit([
        [1, 2],
        [3, 4],
      ]),
    'X has 2 features, but the model was fitted on 3',
  ],
  [
    'IncrementalPCA.partialFit small batch',
    () => new IncrementalPCA({ nComponents: 3 }).partialFit([[1, 2, 3]]),
    "nComponents=3 must be <= the batch's nSamples=1",
  ],
  [
    'IncrementalPCA one sample',
    () => new IncrementalPCA({ nComponents: 1 }).partialFit([[1, 2]]),
    'IncrementalPCA needs at least 2 samples; got nSamples=1',
  ],
  [
    'IncrementalPCA.inverseTransform',
    () => new IncrementalPCA({ nComponents: 2 }).fit(X).inverseTransform([[1, 2, 3]]),
    'Z has 3 columns, but the model has nComponents=2',
  ],
  [
    'FastICA nComponents',
    () => new FastICA({ nComponents: 5 }).fit(X),
    'nComponents=5 must be <= nFeatures=3',
  ],
  [
    'FastICA fun',
    () => new FastICA({ fun: bad('x') }),
    `The 'fun' option of FastICA must be one of "logcosh", "exp", "cube"; got "x".`,
  ],
  ['FastICA one sample', () => new FastICA().fit([[1, 2]]), 'X has 1 samples; at least 2 are needed'],
  [
    'FastICA.transform',
    () => new FastICA({ nComponents: 2 }).fit(X).transform([[1]]),
    'X has 1 features, but the model was fitted on 3',
  ],
  [
    'FastICA.inverseTransform',
    () => new FastICA({ nComponents: 2 }).fit(X).inverseTransform([[1, 2, 3]]),
    'S has 3 columns, but the model has nComponents=2',
  ],
  [
    'NMF negative X',
    () =>
      new NMF({ nComponents: 2 }).fit([
        [1, -1],
        [1, 2],
      ]),
    'X has a negative value at row 0, column 1: -1; NMF needs non-negative data',
  ],
  [
    'NMF nComponents',
    () => new NMF({ nComponents: 0 }),
    "The 'nComponents' option of NMF must be an integer >= 1; got 0.",
  ],
  [
    'NMF all zeros',
    () =>
      new NMF({ nComponents: 2 }).fit([
        [0, 0],
        [0, 0],
      ]),
    'X is all zeros; NMF needs at least one positive value',
  ],
  [
    'NMF custom init shape',
    () => new NMF({ nComponents: 2, init: 'custom' }).fit(X, { W: [[1]], H: [[1]] }),
    'W has shape 1x1; expected 4x2',
  ],
  [
    'NMF custom init missing',
    () => new NMF({ nComponents: 2, init: 'custom' }).fit(X),
    "init 'custom' needs fit(X, { W, H })",
  ],
  [
    'NMF.transform negative',
    () => new NMF({ nComponents: 2 }).fit(X).transform([[1, -2, 3]]),
    'X has a negative value at row 0, column 1: -2; NMF needs non-negative data',
  ],
  [
    'NMF.inverseTransform columns',
    () => new NMF({ nComponents: 2 }).fit(X).inverseTransform([[1, 2, 3]]),
    'W has 3 columns, but the model has nComponents=2',
  ],
  [
    'NMF.inverseTransform NaN',
    () => new NMF({ nComponents: 2 }).fit(X).inverseTransform([[1, NaN]]),
    'W has NaN at row 0, column 1',
  ],
  [
    'DictionaryLearning nComponents',
    () => new DictionaryLearning({ nComponents: 0 }),
    "The 'nComponents' option of DictionaryLearning must be an integer >= 1; got 0.",
  ],
  [
    'DictionaryLearning fitAlgorithm',
    () => new DictionaryLearning({ fitAlgorithm: bad('x') }),
    `The 'fitAlgorithm' option of DictionaryLearning must be one of "lars", "cd"; got "x".`,
  ],
  [
    'DictionaryLearning.transform',
    () => new DictionaryLearning({ nComponents: 2, maxIter: 3 }).fit(X).transform([[1]]),
    'X has 1 features, but the model was fitted on 3',
  ],
  [
    'MiniBatchDictionaryLearning batchSize',
    () => new MiniBatchDictionaryLearning({ batchSize: 0 }),
    "The 'batchSize' option of MiniBatchDictionaryLearning must be an integer >= 1; got 0.",
  ],
  [
    'MiniBatchDictionaryLearning.partialFit features',
    () => new MiniBatchDictionaryLearning({ nComponents: 2 }).partialFit(X).partialFit([[1, 2]]),
    'X has 2 features, but the model was fitted on 3',
  ],
  [
    'MiniBatchDictionaryLearning.transform',
    () => new MiniBatchDictionaryLearning({ nComponents: 2 }).fit(X).transform([[1]]),
    'X has 1 features, but the model was fitted on 3',
  ],
  [
    'SparseCoder without dictionary',
    () => new SparseCoder(),
    "SparseCoder needs the 'dictionary' option (nComponents × nFeatures)",
  ],
  [
    'SparseCoder NaN dictionary',
    () => new SparseCoder({ dictionary: [[1, NaN]] }),
    'dictionary has NaN at row 0, column 1',
  ],
  [
    'SparseCoder nNonzeroCoefs',
    () => new SparseCoder({ dictionary: Dict, transformNNonzeroCoefs: 5 }),
    'nNonzeroCoefs must be an integer in [1, nComponents=2]; got 5',
  ],
  [
    'SparseCoder.transform',
    () => new SparseCoder({ dictionary: Dict }).transform([[1, 2]]),
    'X has 2 features, but the dictionary atoms have 3',
  ],
  [
    'sparseEncode features',
    () => sparseEncode([[1, 2]], Dict),
    'X has 2 features, but the dictionary atoms have 3',
  ],
  [
    'sparseEncode algorithm',
    () => sparseEncode(X, Dict, { algorithm: bad('lars') }),
    'algorithm must be one of "lasso_cd", "lasso_lars", "omp", "threshold"; got "lars"',
  ],
  [
    'sparseEncode alpha',
    () => sparseEncode(X, Dict, { alpha: -1 }),
    'alpha must be a finite number >= 0; got -1',
  ],
  [
    'sparseEncode alpha NaN',
    () => sparseEncode(X, Dict, { alpha: NaN }),
    'alpha must be a finite number >= 0; got NaN',
  ],
  [
    'sparseEncode nNonzeroCoefs',
    () => sparseEncode(X, Dict, { algorithm: 'omp', nNonzeroCoefs: 3 }),
    'nNonzeroCoefs must be an integer in [1, nComponents=2]; got 3',
  ],
  [
    'sparseEncode maxIter',
    () => sparseEncode(X, Dict, { maxIter: 0 }),
    'maxIter must be an integer >= 1; got 0',
  ],
  ['sparseEncode tol', () => sparseEncode(X, Dict, { tol: -1 }), 'tol must be a finite number >= 0; got -1'],
  [
    'sparseEncode init length',
    () => sparseEncode(X, Dict, { algorithm: 'lasso_cd', init: new Float64Array(3) }),
    'init has 3 entries; expected nSamples × nComponents = 4 × 2 = 8',
  ],
  [
    'sparseEncode init NaN',
    () => sparseEncode(X, Dict, { algorithm: 'lasso_cd', init: new Float64Array(8).fill(NaN) }),
    'init has NaN at row 0, column 0',
  ],
  ['lassoCd y length', () => lassoCd(X, [1, 2]), 'y has 2 entries; expected 4'],
  [
    'lassoCd y NaN',
    () => lassoCd(X, [1, 2, NaN, 4]),
    'y has a non-finite or non-number value at index 2: NaN',
  ],
  ['lassoCd alpha', () => lassoCd(X, y, { alpha: -1 }), 'alpha must be a finite number >= 0; got -1'],
  ['lassoCd init', () => lassoCd(X, y, { init: [1] }), 'init has 1 entries; expected 3'],
  ['lassoLars y length', () => lassoLars(X, [1]), 'y has 1 entries; expected 4'],
  ['lassoLars alpha', () => lassoLars(X, y, { alpha: NaN }), 'alpha must be a finite number >= 0; got NaN'],
  ['lassoLars maxIter', () => lassoLars(X, y, { maxIter: 0 }), 'maxIter must be an integer >= 1; got 0'],
  ['orthogonalMp y length', () => orthogonalMp(X, [1]), 'y has 1 entries; expected 4'],
  [
    'orthogonalMp nNonzeroCoefs > p',
    () => orthogonalMp(X, y, { nNonzeroCoefs: 4 }),
    'nNonzeroCoefs=4 must be <= nFeatures=3',
  ],
  [
    'orthogonalMp nNonzeroCoefs 0',
    () => orthogonalMp(X, y, { nNonzeroCoefs: 0 }),
    'nNonzeroCoefs must be an integer >= 1; got 0',
  ],
  ['orthogonalMp tol', () => orthogonalMp(X, y, { tol: -1 }), 'tol must be a finite number >= 0; got -1'],
  [
    'orthogonalMpGram Xy length',
    () =>
      orthogonalMpGram(
        [
          [1, 0],
          [0, 1],
        ],
        [1, 2, 3],
      ),
    'Xy has 3 entries; expected 2',
  ],
  [
    'orthogonalMpGram not square',
    () =>
      orthogonalMpGram(
        [
          [1, 0, 1],
          [0, 1, 1],
        ],
        [1, 2],
      ),
    'G must be square; got 2x3',
  ],
  [
    'orthogonalMpGram NaN',
    () =>
      orthogonalMpGram(
        [
          [1, 0],
          [0, NaN],
        ],
        [1, 2],
      ),
    'G has NaN at row 1, column 1',
  ],
  ['softThresholdArray t', () => softThresholdArray([1, 2], -1), 't must be a finite number >= 0; got -1'],
  ['softThresholdArray NaN', () => softThresholdArray([1, NaN], 1), 'v has NaN at index 1'],
];

describe('decomposition: bad input names the argument', () => {
  it.each(CASES)('%s', (_name, call, message) => {
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(new ValidationError(message)); // an Error argument: the message must be equal
  });

  it.each([
    ['PCA', () => new PCA().components],
    ['IncrementalPCA', () => new IncrementalPCA().components],
    ['FastICA', () => new FastICA().components],
    ['NMF', () => new NMF().components],
    ['DictionaryLearning', () => new DictionaryLearning().components],
    ['MiniBatchDictionaryLearning', () => new MiniBatchDictionaryLearning().components],
  ])('%s reads before fit throw NotFittedError', (name, read) => {
    expect(read).toThrow(NotFittedError);
    expect(read).toThrow(`${name} is not fitted; call fit() first`);
  });
});
