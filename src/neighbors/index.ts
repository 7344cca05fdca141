/**
 * Exact nearest neighbours (issue 3), as scikit-learn's NearestNeighbors with the Euclidean metric:
 * brute force through the gemm kernel, a kd-tree or a vantage-point tree chosen by `algorithm`
 * (all three give identical answers, ties to the smaller index); k-NN and radius queries, CSR graphs.
 *
 *   new NearestNeighbors({ nNeighbors }).fit(X).kneighbors(Q?)  → indices / distances (m×k)
 *   kNearest(X, k, { queries? })                                → the same, functional
 *   symmetricAdjacency(csrGraph, mutual?)                       → sorted adjacency lists
 */
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
