/**
 * AgglomerativeClustering — bottom-up hierarchical clustering (seed deck 000, "Connectivity-based
 * clustering": different level thresholds give different clusters), as scikit-learn's
 * `AgglomerativeClustering` on top of scipy's `linkage` (see linkage.ts for the algorithms).
 *
 * fit() builds the full merge tree of the Euclidean distances, then cuts it into `nClusters` clusters
 * or at `distanceThreshold` (clusters = merges at height >= threshold, plus one), numbering the
 * clusters as scikit-learn does. The tree is kept as a scipy linkage matrix and a leaf order for the
 * dendrogram (viz/dendrogram.ts). Memory: one condensed float64 distance array, n(n−1)/2 values.
 */
import { ValidationError } from '../core/errors.js';
import {
  fitted,
  registerModel,
  serialisableOptions,
  stateArray,
  type ModelState,
} from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import {
  checkLinkageMethod,
  cutTree,
  leavesList,
  linkageFromCondensed,
  pdistCondensed,
  type Linkage,
} from './linkage.js';

export interface AgglomerativeOptions {
  /** Number of clusters to cut the tree into (integer >= 1; default 2), or null to cut by
   * `distanceThreshold`. Setting `distanceThreshold` alone implies null. */
  nClusters: number | null;
  /** Cut height: merges at or above it are undone (>= 0; default undefined: cut by nClusters). */
  distanceThreshold?: number;
  /** Linkage criterion (default 'ward'): 'single' | 'complete' | 'average' | 'weighted' |
   * 'centroid' | 'median' | 'ward'. */
  linkage: Linkage;
}

export const AGGLOMERATIVE_DEFAULTS: Readonly<AgglomerativeOptions> = Object.freeze({
  nClusters: 2,
  distanceThreshold: undefined,
  linkage: 'ward',
});

const TABLE: ConstraintTable<AgglomerativeOptions> = {
  nClusters: { type: 'oneOf', options: [{ type: 'int', min: 1 }, { type: 'any' }] },
  distanceThreshold: { type: 'number', min: 0 },
  linkage: {
    type: 'enum',
    values: ['single', 'complete', 'average', 'weighted', 'centroid', 'median', 'ward'],
  },
};

/**
 * scipy-style linkage matrix of X's rows: (n−1) × 4 Matrix (a, b, height, size); row r creates
 * cluster n + r.
 */
export function linkage(X: MatrixLike, method: Linkage = 'ward'): Matrix<Float64Array> {
  checkLinkageMethod(method);
  const M = toMatrix(X, 'X');
  const n = M.rows;
  const Z = linkageFromCondensed(pdistCondensed(M.data as Float64Array, n, M.cols), n, method);
  return new Matrix(Z, Math.max(0, n - 1), 4);
}

/**
 * @example
 * const ag = new AgglomerativeClustering({ nClusters: 4, linkage: 'ward' }).fit(X);
 * ag.labels; ag.linkageMatrix; dendrogramSvg(ag.linkageMatrix, { nClusters: 4 });
 */
export class AgglomerativeClustering {
  readonly options: Readonly<AgglomerativeOptions>;
  private Z_?: Float64Array;
  private labels_?: Int32Array;
  private leaves_?: Int32Array;
  private n_?: number;
  private k_?: number;

  constructor(options: Partial<AgglomerativeOptions> = {}) {
    const o = { ...options };
    if (o.distanceThreshold !== undefined && !('nClusters' in options)) o.nClusters = null;
    this.options = validateOptions('AgglomerativeClustering', AGGLOMERATIVE_DEFAULTS, TABLE, o);
    const { nClusters, distanceThreshold } = this.options;
    if (nClusters !== null && !(Number.isInteger(nClusters) && nClusters >= 1)) {
      throw new ValidationError(
        `The 'nClusters' option of AgglomerativeClustering must be an integer >= 1 or null; got ${String(nClusters)}.`,
      );
    }
    if ((nClusters === null) === (distanceThreshold === undefined)) {
      throw new ValidationError(
        'AgglomerativeClustering: exactly one of nClusters and distanceThreshold must be set',
      );
    }
    // Centroid and median trees can have inversions (a merge lower than an earlier one); counting the
    // heights >= threshold then undoes the wrong merges, so a distance cut would be silently wrong.
    // scikit-learn offers neither linkage; scipy cuts them with fcluster's monocrit instead.
    if (
      distanceThreshold !== undefined &&
      (this.options.linkage === 'centroid' || this.options.linkage === 'median')
    ) {
      throw new ValidationError(
        `AgglomerativeClustering: distanceThreshold needs a monotone linkage (single, complete, average, weighted, ward); '${this.options.linkage}' merge heights can decrease: cut it with nClusters`,
      );
    }
  }

  /** Cluster of each training point. */
  get labels(): Int32Array {
    return fitted(this.labels_, 'AgglomerativeClustering');
  }
  /** Number of clusters found (nClusters, or what the threshold gives). */
  get nClustersFound(): number {
    return fitted(this.k_, 'AgglomerativeClustering');
  }
  /** The merge tree as a scipy linkage matrix, (n−1) × 4: a, b, height, size. */
  get linkageMatrix(): Matrix<Float64Array> {
    const Z = fitted(this.Z_, 'AgglomerativeClustering');
    return new Matrix(Z, this.n_! - 1, 4);
  }
  /** children[r] = the two nodes merged at step r ((n−1) × 2, scikit-learn's children_). */
  get children(): Int32Array {
    const Z = fitted(this.Z_, 'AgglomerativeClustering');
    const out = new Int32Array((this.n_! - 1) * 2);
    for (let r = 0; r < this.n_! - 1; r++) {
      out[2 * r] = Z[r * 4]!;
      out[2 * r + 1] = Z[r * 4 + 1]!;
    }
    return out;
  }
  /** Merge heights (n − 1), scikit-learn's distances_. */
  get distances(): Float64Array {
    const Z = fitted(this.Z_, 'AgglomerativeClustering');
    return Float64Array.from({ length: this.n_! - 1 }, (_, r) => Z[r * 4 + 2]!);
  }
  /** Leaf order for drawing the dendrogram (scipy's leaves_list). */
  get leaves(): Int32Array {
    return fitted(this.leaves_, 'AgglomerativeClustering');
  }
  /** Number of training points n (leaves of the tree). */
  get nLeaves(): number {
    return fitted(this.n_, 'AgglomerativeClustering');
  }

  /** Builds the merge tree of X (nSamples × nFeatures) and cuts it; returns this. */
  fit(X: MatrixLike): this {
    const M = toMatrix(X, 'X');
    const n = M.rows;
    const { nClusters, linkage: method } = this.options;
    if (nClusters !== null && n < nClusters)
      throw new ValidationError(`nSamples=${n} must be >= nClusters=${nClusters}`);
    const Z = linkageFromCondensed(pdistCondensed(M.data as Float64Array, n, M.cols), n, method);
    this.setTree(Z, n);
    return this;
  }

  /** fit(X) then its labels (nSamples). */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }

  private setTree(Z: Float64Array, n: number): void {
    const { nClusters, distanceThreshold } = this.options;
    let k = nClusters ?? 1;
    if (distanceThreshold !== undefined) {
      k = 1;
      for (let r = 0; r < n - 1; r++) if (Z[r * 4 + 2]! >= distanceThreshold) k++;
    }
    this.Z_ = Z;
    this.n_ = n;
    this.k_ = k;
    this.labels_ = cutTree(Z, n, k);
    this.leaves_ = leavesList(Z, n);
  }

  /** The fitted state, for io/saveModel. */
  getState(): ModelState {
    const Z = fitted(this.Z_, 'AgglomerativeClustering');
    return {
      className: 'AgglomerativeClustering',
      version: 1,
      options: serialisableOptions(this.options),
      meta: { nLeaves: this.n_ },
      arrays: { linkage: { data: Z, shape: [this.n_! - 1, 4] } },
    };
  }

  /** Rebuilds a fitted model from its state (used by loadModel). */
  static fromState(state: ModelState): AgglomerativeClustering {
    const m = new AgglomerativeClustering(state.options as Partial<AgglomerativeOptions>);
    const Z = stateArray(state, 'linkage', Float64Array);
    m.setTree(Float64Array.from(Z.data), Number(state.meta.nLeaves));
    return m;
  }
}

registerModel('AgglomerativeClustering', (s) => AgglomerativeClustering.fromState(s));
