export {
  NearestNeighbors,
  NEAREST_NEIGHBORS_DEFAULTS,
  kNearest,
  symmetricAdjacency,
  type NearestNeighborsOptions,
  type NeighborsAlgorithm,
  type KNeighborsResult,
  type RadiusNeighborsResult,
  type KNearestOptions,
  type CsrGraph,
} from './nearest-neighbors.js';
