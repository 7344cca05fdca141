/**
 * What KMeans and MiniBatchKMeans share once fitted (scikit-learn's `_BaseKMeans`): a point belongs
 * to its nearest centre, and J(X) = Σ_i min_j ‖x_i − c_j‖² is the objective both minimise (seed
 * deck 000, "K-means clustering"). Distances go through the blocked gemm kernels.
 */
import { fitted, stateArray, type ModelState } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import type { StopReason } from '../core/progress.js';
import { checkFeatures, toMatrix } from '../core/validate.js';
import { sqdist } from '../kernels/index.js';
import { assignLabels, inertiaOf } from './kmeans-core.js';

export abstract class CentroidClusterer {
  /** Class name used in NotFittedError messages and saved states. */
  protected abstract readonly estimatorName: string;
  protected centers_?: Matrix<Float64Array>;
  protected labels_?: Int32Array;
  protected inertia_?: number;
  protected stopReason_?: StopReason;

  abstract fit(X: MatrixLike): this;

  /** Centres, nClusters × nFeatures (throws NotFittedError before fit). */
  get clusterCenters(): Matrix<Float64Array> {
    return fitted(this.centers_, this.estimatorName);
  }
  /** Nearest centre of each training point (nSamples). */
  get labels(): Int32Array {
    return fitted(this.labels_, this.estimatorName);
  }
  /** Σ squared distance of each training point to its centre. */
  get inertia(): number {
    return fitted(this.inertia_, this.estimatorName);
  }
  /** Why the kept run stopped: 'converged', 'maxIter', 'callback' or 'aborted'. */
  get stopReason(): StopReason {
    return fitted(this.stopReason_, this.estimatorName);
  }

  /** The arrays both estimators save: centres and training labels. */
  protected centroidArrays(): ModelState['arrays'] {
    const C = this.clusterCenters;
    return {
      clusterCenters: { data: C.data, shape: [C.rows, C.cols] },
      labels: { data: this.labels, shape: [this.labels.length] },
    };
  }

  /** Restores centres, labels, inertia and stop reason from a saved state (copies the arrays). */
  protected restoreCentroids(state: ModelState): void {
    const c = stateArray(state, 'clusterCenters', Float64Array);
    this.centers_ = new Matrix(Float64Array.from(c.data), c.shape[0]!, c.shape[1]!);
    this.labels_ = Int32Array.from(stateArray(state, 'labels', Int32Array).data);
    this.inertia_ = Number(state.meta.inertia);
    this.stopReason_ = state.meta.stopReason as StopReason;
  }

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
