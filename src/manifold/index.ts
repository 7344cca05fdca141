/**
 * Neighbour embeddings and manifold learning: SNE, t-SNE (exact, Barnes-Hut, FFT-interpolated
 * gradients), locally linear embedding. The building blocks (affinities, k-NN graphs, gradients,
 * sparse solver) live in their own files and are imported from there.
 */
export {
  TSNE,
  TSNE_DEFAULTS,
  tsne,
  tsneAffinities,
  tsneMethodFor,
  knnMethodFor,
  type TsneOptions,
  type TsneMethod,
  type TsneResolvedMethod,
  type TsneAffinities,
} from './tsne.js';
export { SNE, SNE_DEFAULTS, type SneOptions } from './sne.js';
export { LocallyLinearEmbedding, LLE_DEFAULTS, locallyLinearEmbedding, type LleOptions } from './lle.js';
export { binarySearchPerplexity, type PerplexityResult } from './affinity.js';
