/** Linear latent models: PCA, incremental PCA, FastICA, sparse coding, dictionary learning, NMF. */
export { PCA, PCA_DEFAULTS, pca, type PCAOptions } from './pca.js';
export { IncrementalPCA, INCREMENTAL_PCA_DEFAULTS, type IncrementalPCAOptions } from './incremental-pca.js';
export { FastICA, FASTICA_DEFAULTS, type FastICAOptions } from './fastica.js';
export { lassoCd, type LassoOptions, type LassoResult } from './lasso-cd.js';
export { lassoLars, type LassoLarsOptions, type LassoLarsResult } from './lasso-lars.js';
export { orthogonalMp, orthogonalMpGram, type OmpOptions, type OmpResult } from './omp.js';
export {
  SparseCoder,
  SPARSE_CODER_DEFAULTS,
  SPARSE_CODING_ALGORITHMS,
  sparseEncode,
  softThresholdArray,
  type SparseCoderOptions,
  type SparseEncodeOptions,
  type SparseCodingAlgorithm,
} from './sparse-coder.js';
export { NMF, NMF_DEFAULTS, type NMFInit, type NMFOptions } from './nmf.js';
export {
  DictionaryLearning,
  DICTIONARY_LEARNING_DEFAULTS,
  type DictionaryLearningOptions,
} from './dictionary-learning.js';
export {
  MiniBatchDictionaryLearning,
  MINIBATCH_DICTIONARY_LEARNING_DEFAULTS,
  type MiniBatchDictionaryLearningOptions,
} from './minibatch-dictionary-learning.js';
