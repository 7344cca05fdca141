/** Shared helpers of the metrics: validated inputs and blocked distance rows. */
import { ValidationError } from '../core/errors.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { toMatrix } from '../core/validate.js';
import { rowSqNorms, sqdist } from '../kernels/index.js';
import { encodeLabels } from './labels.js';

/** A validated, densely packed float64 row-major matrix (offset 0), so rows can be passed as subarrays. */
export function denseMatrix(X: MatrixLike, name: string): Matrix<Float64Array> {
  return toMatrix(X, name) as Matrix<Float64Array>;
}

/** "X and Y have different numbers of rows: 5 vs 4". */
export function checkSameRows(a: Matrix, b: Matrix, na: string, nb: string): void {
  if (a.rows !== b.rows)
    throw new ValidationError(`${na} and ${nb} have different numbers of rows: ${a.rows} vs ${b.rows}`);
}

/** Rows per block so that a block of distances (rows × n) stays near 4M doubles (32 MB). */
export function blockRows(n: number): number {
  return Math.max(1, Math.min(n, Math.floor((1 << 22) / Math.max(1, n))));
}

/**
 * Calls `fn(i0, m, D)` for consecutive row blocks [i0, i0 + m) of X, with D (m × Y.rows) holding
 * squared Euclidean distances from those rows to every row of Y. D is reused between calls.
 */
export function forEachDistanceBlock(
  X: Matrix<Float64Array>,
  Y: Matrix<Float64Array>,
  fn: (i0: number, m: number, D: Float64Array) => void,
): void {
  const n = X.rows;
  const p = Y.rows;
  const d = X.cols;
  const b = blockRows(p);
  const xNorms = new Float64Array(n);
  rowSqNorms(n, d, X.data, xNorms);
  const yNorms = X === Y ? xNorms : new Float64Array(p);
  if (X !== Y) rowSqNorms(p, d, Y.data, yNorms);
  const D = new Float64Array(Math.min(b, n) * p);
  for (let i0 = 0; i0 < n; i0 += b) {
    const m = Math.min(b, n - i0);
    const block = m * p === D.length ? D : D.subarray(0, m * p);
    sqdist(m, p, d, X.data.subarray(i0 * d, (i0 + m) * d), Y.data, block, {
      xNorms: xNorms.subarray(i0, i0 + m),
      yNorms,
    });
    fn(i0, m, block);
  }
}

/** "labels has 3 entries but X has 5 rows" (checked before the labels' values, so it comes first). */
export function checkLabelCount(labels: ArrayLike<number>, rows: number): void {
  if (labels && typeof labels.length === 'number' && labels.length !== rows) {
    throw new ValidationError(`labels has ${labels.length} entries but X has ${rows} rows`);
  }
}

/**
 * Validated data and cluster labels for the internal indices (silhouette, Davies–Bouldin,
 * Calinski–Harabasz), which all need 2 <= number of labels <= nSamples − 1 (scikit-learn's
 * check_number_of_labels).
 */
export function labelledData(X: MatrixLike, labels: ArrayLike<number>, fn: string) {
  const M = denseMatrix(X, 'X');
  checkLabelCount(labels, M.rows);
  const { codes, values } = encodeLabels(labels, 'labels');
  const k = values.length;
  if (k < 2 || k > M.rows - 1) {
    throw new ValidationError(
      `${fn} needs 2 <= number of labels <= nSamples - 1; got ${k} labels for nSamples=${M.rows}`,
    );
  }
  return { M, codes, k };
}
