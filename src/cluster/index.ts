/**
 * Clustering and mixture models (issue 3; seed decks 000 and 004), scikit-learn style estimators:
 *
 *   KMeans / MiniBatchKMeans            X (n×d) → clusterCenters (k×d), labels (n), inertia
 *   AgglomerativeClustering / linkage   X (n×d) → scipy linkage matrix Z ((n−1)×4), labels (n)
 *   GaussianMixture / BernoulliMixture  X (n×d) → weights (k), means (k×d), predictProba (n×k)
 *   CliqueClustering + graph functions  X (n×d) or a Graph → maximal cliques, k-clique communities
 *
 * Inputs are validated at these functions (errors name the argument); the unchecked inner helpers
 * (distances, heaps, k-means iterations) stay private to the folder.
 */
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
