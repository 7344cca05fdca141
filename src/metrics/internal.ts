/**
 * Internal clustering indices (no ground truth), as scikit-learn's:
 * - inertia: Σ_i ‖x_i − c_{label(i)}‖², the k-means objective;
 * - Davies–Bouldin (1979): mean over clusters of max_{j≠i} (s_i + s_j) / ‖c_i − c_j‖, s_i = mean
 *   distance of cluster i's points to its centroid (lower is better);
 * - Calinski–Harabasz (1974): [tr(B) / (k − 1)] / [tr(W) / (n − k)] (higher is better).
 */
import { ValidationError } from '../core/errors.js';
import type { MatrixLike } from '../core/matrix.js';
import { toLabels } from '../core/validate.js';
import { denseMatrix, labelledData } from './common.js';

/**
 * k-means objective of a labelling: labels are row indices into `centers` (0..k-1).
 * @example inertia(X, km.labels, km.clusterCenters)
 */
export function inertia(X: MatrixLike, labels: ArrayLike<number>, centers: MatrixLike): number {
  const M = denseMatrix(X, 'X');
  const C = denseMatrix(centers, 'centers');
  if (C.cols !== M.cols) throw new ValidationError(`centers has ${C.cols} columns but X has ${M.cols}`);
  const y = toLabels(labels, 'labels');
  if (y.length !== M.rows)
    throw new ValidationError(`labels has ${y.length} entries but X has ${M.rows} rows`);
  const d = M.cols;
  let s = 0;
  for (let i = 0; i < M.rows; i++) {
    const c = y[i]!;
    if (c < 0 || c >= C.rows)
      throw new ValidationError(`labels[${i}]=${c} is not a row of centers (0..${C.rows - 1})`);
    for (let j = 0; j < d; j++) {
      const t = M.data[i * d + j]! - C.data[c * d + j]!;
      s += t * t;
    }
  }
  return s;
}

function clusterMeans(X: MatrixLike, labels: ArrayLike<number>, fn: string) {
  const { M, codes, k } = labelledData(X, labels, fn);
  const n = M.rows;
  const d = M.cols;
  const sizes = new Float64Array(k);
  const means = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    sizes[c]!++;
    for (let j = 0; j < d; j++) means[c * d + j] += M.data[i * d + j]!;
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= sizes[c]!;
  return { M, codes, k, n, d, sizes, means };
}

/** Davies–Bouldin index (lower is better; 0 when clusters are points). */
export function daviesBouldin(X: MatrixLike, labels: ArrayLike<number>): number {
  const { M, codes, k, n, d, sizes, means } = clusterMeans(X, labels, 'daviesBouldin');
  const intra = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = M.data[i * d + j]! - means[c * d + j]!;
      s += t * t;
    }
    intra[c] += Math.sqrt(s);
  }
  for (let c = 0; c < k; c++) intra[c] /= sizes[c]!;
  const cd = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = means[a * d + j]! - means[b * d + j]!;
        s += t * t;
      }
      cd[a * k + b] = Math.sqrt(s);
    }
  }
  // sklearn: 0 when all intra distances or all centroid distances are (close to) 0.
  const allClose = (v: Float64Array) => v.every((x) => Math.abs(x) <= 1e-8);
  if (allClose(intra) || allClose(cd)) return 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let best = -Infinity;
    for (let b = 0; b < k; b++) {
      const den = cd[a * k + b] === 0 ? Infinity : cd[a * k + b]!;
      const v = (intra[a]! + intra[b]!) / den;
      if (v > best) best = v;
    }
    total += best;
  }
  return total / k;
}

/** Calinski–Harabasz index (variance ratio criterion; higher is better). */
export function calinskiHarabasz(X: MatrixLike, labels: ArrayLike<number>): number {
  const { M, codes, k, n, d, sizes, means } = clusterMeans(X, labels, 'calinskiHarabasz');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += M.data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] /= n;
  let extra = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = means[c * d + j]! - mean[j]!;
      s += t * t;
    }
    extra += sizes[c]! * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    for (let j = 0; j < d; j++) {
      const t = M.data[i * d + j]! - means[c * d + j]!;
      intra += t * t;
    }
  }
  return intra === 0 ? 1 : (extra * (n - k)) / (intra * (k - 1));
}
