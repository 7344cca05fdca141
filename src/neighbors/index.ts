export {
  NearestNeighbors,
  NEAREST_NEIGHBORS_DEFAULTS,
  kNearest,
  chooseAlgorithm,
  symmetricAdjacency,
  type NearestNeighborsOptions,
  type NeighborsAlgorithm,
  type KNeighborsResult,
  type RadiusNeighborsResult,
  type KNearestOptions,
  type CsrGraph,
} from './nearest-neighbors.js';
export { KdTree, VpTree } from './trees.js';
export { KBest } from './select.js';
export { bruteKnn, bruteRadius } from './brute.js';
