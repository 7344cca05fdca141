export { KMeans, KMEANS_DEFAULTS, kMeans, type KMeansOptions, type KMeansInit } from './kmeans.js';
export {
  AgglomerativeClustering,
  AGGLOMERATIVE_DEFAULTS,
  linkage,
  type AgglomerativeOptions,
} from './agglomerative.js';
export { linkageFromCondensed, leavesList, cutTree, LINKAGE_METHODS, type Linkage } from './linkage.js';
export {
  GaussianMixture,
  GAUSSIAN_MIXTURE_DEFAULTS,
  type GaussianMixtureOptions,
  type CovarianceType,
  type MixtureInit,
} from './gmm.js';
export {
  BernoulliMixture,
  BERNOULLI_MIXTURE_DEFAULTS,
  type BernoulliMixtureOptions,
} from './bernoulli-mixture.js';
export {
  CliqueClustering,
  CLIQUE_CLUSTERING_DEFAULTS,
  maximalCliques,
  cliquesOfSize,
  kCliqueCommunities,
  degeneracyOrder,
  graphFromEdges,
  epsilonGraph,
  knnGraph,
  edgeCount,
  checkGraph,
  type Graph,
  type CliqueClusteringOptions,
} from './cliques.js';
export {
  MiniBatchKMeans,
  MINIBATCH_KMEANS_DEFAULTS,
  type MiniBatchKMeansOptions,
} from './minibatch-kmeans.js';
