/**
 * What KMeans and MiniBatchKMeans share once fitted (scikit-learn's `_BaseKMeans`): a point belongs
 * to its nearest centre, and J(X) = Σ_i min_j ‖x_i − c_j‖² is the objective both minimise (seed
 * deck 000, "K-means clustering"). Distances go through the blocked gemm kernels.
 */
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { checkFeatures, toMatrix } from '../core/validate.js';
import { sqdist } from '../kernels/index.js';
import { assignLabels, inertiaOf } from './kmeans-core.js';

export abstract class CentroidClusterer {
  /** Centres, nClusters × nFeatures (throws NotFittedError before fit). */
  abstract get clusterCenters(): Matrix<Float64Array>;
  /** Nearest centre of each training point (nSamples). */
  abstract get labels(): Int32Array;
  abstract fit(X: MatrixLike): this;

  /** X as packed float64 rows, checked against the fitted centres' feature count. */
  private rows(X: MatrixLike): { C: Matrix<Float64Array>; x: Float64Array; n: number } {
    const C = this.clusterCenters;
    const M = toMatrix(X, 'X');
    checkFeatures(M, C.cols);
    return { C, x: M.data as Float64Array, n: M.rows };
  }

  /** Nearest centre of each row of X (nSamples × nFeatures). */
  predict(X: MatrixLike): Int32Array {
    const { C, x, n } = this.rows(X);
    return predictNearest(x, n, C);
  }

  /** fit(X) then its labels (nSamples). */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }

  /** Euclidean distances of each row to each centre (nSamples × nClusters). */
  transform(X: MatrixLike): Matrix<Float64Array> {
    const { C, x, n } = this.rows(X);
    return centerDistances(x, n, C);
  }

  /** fit(X) then transform(X): distances to the centres, nSamples × nClusters. */
  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fit(X).transform(X);
  }

  /** Opposite of the inertia of X under the fitted centres (scikit-learn's score). */
  score(X: MatrixLike): number {
    const { C, x, n } = this.rows(X);
    return -inertiaOf(x, n, C.cols, C.data, predictNearest(x, n, C));
  }
}

/** Nearest row of C for each of the n rows of X (blocked gemm; validated input). */
export function predictNearest(X: Float64Array, n: number, C: Matrix<Float64Array>): Int32Array {
  const k = C.rows;
  const d = C.cols;
  const labels = new Int32Array(n);
  const block = Math.max(1, Math.min(n, Math.floor((1 << 20) / k)));
  assignLabels(
    X,
    n,
    d,
    new Float64Array(0),
    C.data,
    k,
    new Float64Array(k),
    new Float64Array(block * k),
    block,
    labels,
    null,
  );
  return labels;
}

/** Euclidean distances n × k between rows of X and rows of C (validated input). */
export function centerDistances(X: Float64Array, n: number, C: Matrix<Float64Array>): Matrix<Float64Array> {
  const k = C.rows;
  const D = new Float64Array(n * k);
  sqdist(n, k, C.cols, X, C.data, D);
  for (let i = 0; i < D.length; i++) D[i] = Math.sqrt(D[i]!);
  return new Matrix(D, n, k);
}
