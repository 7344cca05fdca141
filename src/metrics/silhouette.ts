/**
 * Silhouette coefficient (Rousseeuw 1987): for sample i in cluster C, a(i) = mean distance to the
 * other members of C, b(i) = smallest mean distance to the members of another cluster,
 * s(i) = (b − a) / max(a, b), and s(i) = 0 when C is a singleton (scikit-learn's convention).
 * Euclidean distances.
 *
 * Exact computation is O(n²·d) but O(n·(block + k)) in memory: distances are produced a block of rows
 * at a time through the kernels' sqdist and reduced to per-cluster sums at once, never an n×n matrix.
 * `sampleSize` scores a seeded random subset instead (as scikit-learn's sample_size).
 */
import type { MatrixLike } from '../core/matrix.js';
import { makeRng } from '../core/rng.js';
import { toVector, validateOptions, type ConstraintTable } from '../core/validate.js';
import { checkLabelCount, denseMatrix, forEachDistanceBlock, labelledData } from './common.js';

export interface SilhouetteOptions {
  /** Score a random subset of this many samples (integer >= 2); default: all samples (exact). */
  sampleSize?: number;
  /** Seed of the subset draw (default 0). */
  seed?: number;
}

/** Defaults of `silhouetteScore`'s options (exact: no subsampling). */
export const SILHOUETTE_DEFAULTS: Readonly<SilhouetteOptions> = { sampleSize: undefined, seed: 0 };

const SILHOUETTE_TABLE: ConstraintTable<SilhouetteOptions> = {
  sampleSize: { type: 'int', min: 2 },
  seed: { type: 'int' },
};

function silhouetteCore(M: ReturnType<typeof denseMatrix>, codes: Int32Array, k: number): Float64Array {
  const n = M.rows;
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[codes[i]!]!++;
  const out = new Float64Array(n);
  const sums = new Float64Array(k);
  forEachDistanceBlock(M, M, (i0, m, D) => {
    for (let r = 0; r < m; r++) {
      const i = i0 + r;
      sums.fill(0);
      const off = r * n;
      // The diagonal of the gemm-based distances is ~1e-8 instead of 0: skip it.
      for (let j = 0; j < n; j++) if (j !== i) sums[codes[j]!] += Math.sqrt(D[off + j]!);
      const c = codes[i]!;
      if (sizes[c] === 1) {
        out[i] = 0;
        continue;
      }
      const a = sums[c]! / (sizes[c]! - 1);
      let b = Infinity;
      for (let q = 0; q < k; q++) {
        if (q === c) continue;
        const v = sums[q]! / sizes[q]!;
        if (v < b) b = v;
      }
      const den = Math.max(a, b);
      out[i] = den > 0 ? (b - a) / den : 0;
    }
  });
  return out;
}

/**
 * Silhouette of each sample, in [−1, 1].
 * @example silhouetteSamples([[0], [1], [10], [11]], [0, 0, 1, 1]) // ≈ [0.9, 0.889, 0.889, 0.9]
 */
export function silhouetteSamples(X: MatrixLike, labels: ArrayLike<number>): Float64Array {
  const { M, codes, k } = labelledData(X, labels, 'silhouetteSamples');
  return silhouetteCore(M, codes, k);
}

/**
 * Mean silhouette over all samples (or over a seeded subset of `sampleSize` samples).
 * @example silhouetteScore(X, labels)                         // exact
 * @example silhouetteScore(X, labels, { sampleSize: 2000, seed: 1 }) // estimate on 2000 samples
 */
export function silhouetteScore(
  X: MatrixLike,
  labels: ArrayLike<number>,
  options: SilhouetteOptions = {},
): number {
  const o = validateOptions('silhouetteScore', SILHOUETTE_DEFAULTS, SILHOUETTE_TABLE, options);
  let M = denseMatrix(X, 'X');
  const s = o.sampleSize;
  if (s !== undefined && s < M.rows) {
    // Validate every label before drawing, so an error names the caller's index, not the subset's.
    checkLabelCount(labels, M.rows);
    const all = toVector(labels, 'labels');
    const idx = makeRng(o.seed).sampleWithoutReplacement(M.rows, s);
    M = M.selectRows(idx) as typeof M;
    const sub = new Float64Array(s);
    for (let t = 0; t < s; t++) sub[t] = all[idx[t]!]!;
    labels = sub;
  }
  const { codes, k } = labelledData(M, labels, 'silhouetteScore');
  const values = silhouetteCore(M, codes, k);
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}
