/**
 * Estimators that join the common contract suite (contract.test.ts), as scikit-learn's
 * check_estimator. A new estimator joins by adding ONE entry here, not by copying tests.
 */
import type { Matrix } from '../../src/core/matrix.js';
import {
  DictionaryLearning,
  FastICA,
  IncrementalPCA,
  MiniBatchDictionaryLearning,
  NMF,
  PCA,
  SparseCoder,
} from '../../src/decomposition/index.js';
import {
  AgglomerativeClustering,
  BernoulliMixture,
  CliqueClustering,
  GaussianMixture,
  KMeans,
  MiniBatchKMeans,
} from '../../src/cluster/index.js';
import { NearestNeighbors } from '../../src/neighbors/index.js';
import { TSNE, SNE, LocallyLinearEmbedding } from '../../src/manifold/index.js';

export type ContractData = 'blobs' | 'nonnegative' | 'binary';

export interface ContractEntry {
  /** Class name as registered for save/load, e.g. "KMeans". */
  name: string;
  /** A fresh estimator with small, fast options and the given seed. */
  make(seed: number): { fit(X: never, ...rest: never[]): unknown };
  /** What X looks like: Gaussian blobs (default), non-negative values, or 0/1 values. */
  data?: ContractData;
  /** The fitted model's output to compare across runs (predict, transform, embedding...). */
  output(model: never, X: Matrix): ArrayLike<number> | Matrix;
  /** Set false only for estimators that cannot be saved (say why in a comment). */
  saveable?: boolean;
  /** Relative tolerance when comparing outputs after save/load (default exact). */
  tol?: number;
}

export const ESTIMATORS: ContractEntry[] = [
  { name: 'PCA', make: (seed) => new PCA({ nComponents: 3, seed }), output: (m: PCA, X) => m.transform(X) },
  {
    name: 'IncrementalPCA',
    make: () => new IncrementalPCA({ nComponents: 3, batchSize: 20 }),
    output: (m: IncrementalPCA, X) => m.transform(X),
  },
  {
    name: 'FastICA',
    make: (seed) => new FastICA({ nComponents: 3, seed }),
    output: (m: FastICA, X) => m.transform(X),
  },
  {
    name: 'NMF',
    make: (seed) => new NMF({ nComponents: 3, init: 'nndsvdar', seed, maxIter: 50 }),
    data: 'nonnegative',
    output: (m: NMF, X) => m.transform(X),
  },
  {
    name: 'DictionaryLearning',
    make: (seed) => new DictionaryLearning({ nComponents: 4, alpha: 0.5, maxIter: 5, seed }),
    output: (m: DictionaryLearning, X) => m.transform(X),
  },
  {
    name: 'MiniBatchDictionaryLearning',
    make: (seed) =>
      new MiniBatchDictionaryLearning({ nComponents: 6, alpha: 0.5, batchSize: 16, maxIter: 2, seed }),
    output: (m: MiniBatchDictionaryLearning, X) => m.transform(X),
  },
  {
    name: 'SparseCoder',
    make: () =>
      new SparseCoder({
        dictionary: [
          [1, 0, 0, 0, 0],
          [0, 0.6, 0.8, 0, 0],
          [0, 0, 0, 1, 0],
          [0.5, 0.5, 0.5, 0.5, 0],
          [0, 0, 0, 0, 1],
          [0, 0.8, 0, 0, 0.6],
        ],
        transformAlgorithm: 'lasso_lars',
        transformAlpha: 0.5,
      }),
    output: (m: SparseCoder, X) => m.transform(X),
  },
  {
    name: 'KMeans',
    make: (seed) => new KMeans({ nClusters: 3, nInit: 2, seed }),
    output: (m: KMeans, X) => m.transform(X),
  },
  {
    name: 'MiniBatchKMeans',
    make: (seed) => new MiniBatchKMeans({ nClusters: 3, batchSize: 16, maxIter: 5, seed }),
    output: (m: MiniBatchKMeans, X) => m.transform(X),
  },
  {
    name: 'AgglomerativeClustering',
    make: () => new AgglomerativeClustering({ nClusters: 3, linkage: 'ward' }),
    output: (m: AgglomerativeClustering) => m.linkageMatrix,
  },
  {
    name: 'GaussianMixture',
    make: (seed) => new GaussianMixture({ nComponents: 3, seed }),
    output: (m: GaussianMixture, X) => m.scoreSamples(X),
  },
  {
    name: 'BernoulliMixture',
    make: (seed) => new BernoulliMixture({ nComponents: 3, seed }),
    data: 'binary',
    output: (m: BernoulliMixture, X) => m.predictProba(X),
  },
  {
    name: 'CliqueClustering',
    make: () => new CliqueClustering({ nNeighbors: 5, k: 3 }),
    output: (m: CliqueClustering) => m.labels,
  },
  {
    name: 'NearestNeighbors',
    make: () => new NearestNeighbors({ nNeighbors: 4 }),
    output: (m: NearestNeighbors, X) => m.kneighbors(X).distances,
  },
  // t-SNE and SNE have no predict: their output is the embedding itself
  {
    name: 'TSNE',
    make: (seed) => new TSNE({ perplexity: 10, nIter: 100, seed }),
    output: (m: TSNE) => m.embedding,
  },
  {
    name: 'SNE',
    make: (seed) => new SNE({ perplexity: 10, nIter: 60, seed }),
    output: (m: SNE) => m.embedding,
  },
  {
    name: 'LocallyLinearEmbedding',
    make: (seed) => new LocallyLinearEmbedding({ nNeighbors: 8, seed }),
    output: (m: LocallyLinearEmbedding, X) => m.transform(X),
  },
];
