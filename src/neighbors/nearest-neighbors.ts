/**
 * NearestNeighbors: exact k-nearest-neighbour and radius queries, as scikit-learn's
 * `sklearn.neighbors.NearestNeighbors` (Euclidean metric).
 *
 * Algorithms: 'brute' (blocked gemm distances + a bounded heap per query), 'kd_tree', 'vp_tree';
 * 'auto' picks the kd-tree for low dimension (d <= 15, as scikit-learn's heuristic) when n is large
 * enough for a tree to pay off, else brute force. All give identical answers (ties broken towards the
 * smaller index). Querying the training set itself (no query argument) excludes each point from its
 * own neighbours, as scikit-learn does.
 *
 * `kNearest(X, k, { excludeSelf })` is the functional form reused by cliques, LLE, t-SNE.
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
import { checkFeatures, toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { bruteKnn, bruteRadius, sortPairs } from './brute.js';
import { KBest } from './select.js';
import { KdTree, VpTree } from './trees.js';

export type NeighborsAlgorithm = 'auto' | 'brute' | 'kd_tree' | 'vp_tree';
const ALGORITHMS: readonly NeighborsAlgorithm[] = ['auto', 'brute', 'kd_tree', 'vp_tree'];

export interface NearestNeighborsOptions {
  /** Default number of neighbours for `kneighbors` (integer >= 1; default 5). */
  nNeighbors: number;
  /** Default radius for `radiusNeighbors` (> 0; default 1). */
  radius: number;
  /** Search structure: 'auto' (kd-tree when d <= 15 and n >= 256, else brute), 'brute', 'kd_tree',
   * 'vp_tree'. Default 'auto'. */
  algorithm: NeighborsAlgorithm;
  /** Points per tree leaf (integer >= 1; default 30, as scikit-learn). */
  leafSize: number;
}

export const NEAREST_NEIGHBORS_DEFAULTS: Readonly<NearestNeighborsOptions> = Object.freeze({
  nNeighbors: 5,
  radius: 1,
  algorithm: 'auto',
  leafSize: 30,
});

const TABLE: ConstraintTable<NearestNeighborsOptions> = {
  nNeighbors: { type: 'int', min: 1 },
  radius: { type: 'number', min: 0, exclusiveMin: true },
  algorithm: { type: 'enum', values: ALGORITHMS },
  leafSize: { type: 'int', min: 1 },
};

/** k-NN result: row i holds the k neighbours of query i, nearest first. */
export interface KNeighborsResult {
  /** m × k neighbour indices (row-major). */
  indices: Int32Array;
  /** m × k Euclidean distances, ascending per row. */
  distances: Float64Array;
  /** Number of neighbours per row. */
  k: number;
}

export interface RadiusNeighborsResult {
  indices: Int32Array[];
  distances: Float64Array[];
}

/** A sparse graph in CSR form (as scipy.sparse.csr_matrix): row i's entries are
 * indices[indptr[i]:indptr[i+1]] with values data[...]. */
export interface CsrGraph {
  nRows: number;
  nCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/** Picks the structure for 'auto'. */
export function chooseAlgorithm(
  algorithm: NeighborsAlgorithm,
  n: number,
  d: number,
  k: number,
): Exclude<NeighborsAlgorithm, 'auto'> {
  if (algorithm !== 'auto') return algorithm;
  return d <= 15 && n >= 256 && k < n / 2 ? 'kd_tree' : 'brute';
}

type Index = { kind: 'brute' } | { kind: 'kd_tree'; tree: KdTree } | { kind: 'vp_tree'; tree: VpTree };

function buildIndex(
  kind: Exclude<NeighborsAlgorithm, 'auto'>,
  X: Float64Array,
  n: number,
  d: number,
  leafSize: number,
): Index {
  if (kind === 'kd_tree') return { kind, tree: new KdTree(X, n, d, leafSize) };
  if (kind === 'vp_tree') return { kind, tree: new VpTree(X, n, d, leafSize) };
  return { kind: 'brute' };
}

function queryKnn(
  index: Index,
  X: Float64Array,
  n: number,
  d: number,
  Q: Float64Array,
  m: number,
  k: number,
  excludeSelf: boolean,
): KNeighborsResult {
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  if (index.kind === 'brute') {
    bruteKnn(X, n, d, Q, m, k, excludeSelf, indices, distances);
    return { indices, distances, k };
  }
  const heap = new KBest(k);
  const squared = index.kind === 'kd_tree';
  for (let i = 0; i < m; i++) {
    heap.reset();
    index.tree.knn(Q, i, heap, excludeSelf ? i : -1);
    heap.drainSorted(indices, distances, i * k, squared);
  }
  return { indices, distances, k };
}

function queryRadius(
  index: Index,
  X: Float64Array,
  n: number,
  d: number,
  Q: Float64Array,
  m: number,
  r: number,
  excludeSelf: boolean,
): RadiusNeighborsResult {
  if (index.kind === 'brute') return bruteRadius(X, n, d, Q, m, r, excludeSelf);
  const indices: Int32Array[] = new Array(m);
  const distances: Float64Array[] = new Array(m);
  const ti: number[] = [];
  const td: number[] = [];
  for (let i = 0; i < m; i++) {
    ti.length = 0;
    td.length = 0;
    if (index.kind === 'kd_tree') index.tree.radius(Q, i, r * r, excludeSelf ? i : -1, ti, td);
    else index.tree.radius(Q, i, r, excludeSelf ? i : -1, ti, td);
    const oi = Int32Array.from(ti);
    const od = Float64Array.from(td, Math.sqrt);
    sortPairs(od, oi);
    indices[i] = oi;
    distances[i] = od;
  }
  return { indices, distances };
}

/**
 * @example
 * const nn = new NearestNeighbors({ nNeighbors: 10 }).fit(X);
 * const { indices, distances } = nn.kneighbors();      // training points, self excluded
 * const r = nn.radiusNeighbors(Q, 0.5);                 // all within 0.5 of each row of Q
 */
export class NearestNeighbors {
  readonly options: Readonly<NearestNeighborsOptions>;
  private X_?: Matrix<Float64Array>;
  private index_?: Index;

  constructor(options: Partial<NearestNeighborsOptions> = {}) {
    this.options = validateOptions('NearestNeighbors', NEAREST_NEIGHBORS_DEFAULTS, TABLE, options);
  }

  /** Stores (a copy of) X (nSamples × nFeatures) and builds the search structure. */
  fit(X: MatrixLike): this {
    const M = toMatrix(X, 'X', { copy: true }) as Matrix<Float64Array>;
    this.X_ = M;
    const kind = chooseAlgorithm(this.options.algorithm, M.rows, M.cols, this.options.nNeighbors);
    this.index_ = buildIndex(kind, M.data, M.rows, M.cols, this.options.leafSize);
    return this;
  }

  /** The structure in use after fit: 'brute', 'kd_tree' or 'vp_tree'. */
  get algorithmUsed(): Exclude<NeighborsAlgorithm, 'auto'> {
    return fitted(this.index_, 'NearestNeighbors').kind;
  }

  /** Number of indexed points n. */
  get nSamplesFit(): number {
    return fitted(this.X_, 'NearestNeighbors').rows;
  }

  /** Number of features d seen in fit. */
  get nFeaturesIn(): number {
    return fitted(this.X_, 'NearestNeighbors').cols;
  }

  private prepare(Q: MatrixLike | undefined): { Q: Float64Array; m: number; self: boolean } {
    const X = fitted(this.X_, 'NearestNeighbors');
    if (Q === undefined) return { Q: X.data, m: X.rows, self: true };
    const M = toMatrix(Q, 'X');
    checkFeatures(M, X.cols);
    return { Q: M.data as Float64Array, m: M.rows, self: false };
  }

  /**
   * The k nearest fitted points of each row of Q (m × nFeatures). Without Q, the training points
   * are queried and each is excluded from its own list (scikit-learn's convention).
   */
  kneighbors(Q?: MatrixLike, nNeighbors?: number): KNeighborsResult {
    const { Q: q, m, self } = this.prepare(Q);
    const X = this.X_!;
    const k = nNeighbors ?? this.options.nNeighbors;
    if (!Number.isInteger(k) || k < 1)
      throw new ValidationError(`nNeighbors must be an integer >= 1; got ${k}`);
    const avail = self ? X.rows - 1 : X.rows;
    if (k > avail)
      throw new ValidationError(
        `nNeighbors=${k} must be <= nSamplesFit=${avail}${self ? ' (the query point itself is excluded)' : ''}`,
      );
    return queryKnn(this.index_!, X.data, X.rows, X.cols, q, m, k, self);
  }

  /** All fitted points within `radius` of each query row, nearest first. */
  radiusNeighbors(Q?: MatrixLike, radius?: number): RadiusNeighborsResult {
    const { Q: q, m, self } = this.prepare(Q);
    const r = radius ?? this.options.radius;
    if (!(r > 0) || !Number.isFinite(r))
      throw new ValidationError(`radius must be a finite number > 0; got ${r}`);
    const X = this.X_!;
    return queryRadius(this.index_!, X.data, X.rows, X.cols, q, m, r, self);
  }

  /** k-NN graph as CSR (scikit-learn's kneighbors_graph): 'connectivity' (1s) or 'distance'. */
  kneighborsGraph(
    Q?: MatrixLike,
    nNeighbors?: number,
    mode: 'connectivity' | 'distance' = 'connectivity',
  ): CsrGraph {
    const res = this.kneighbors(Q, nNeighbors);
    const m = res.indices.length / res.k;
    const indptr = new Int32Array(m + 1);
    for (let i = 0; i <= m; i++) indptr[i] = i * res.k;
    const data =
      mode === 'distance' ? Float64Array.from(res.distances) : new Float64Array(res.indices.length).fill(1);
    return { nRows: m, nCols: this.nSamplesFit, indptr, indices: Int32Array.from(res.indices), data };
  }

  /** ε-neighbourhood graph as CSR (scikit-learn's radius_neighbors_graph). */
  radiusNeighborsGraph(
    Q?: MatrixLike,
    radius?: number,
    mode: 'connectivity' | 'distance' = 'connectivity',
  ): CsrGraph {
    const res = this.radiusNeighbors(Q, radius);
    const m = res.indices.length;
    const indptr = new Int32Array(m + 1);
    for (let i = 0; i < m; i++) indptr[i + 1] = indptr[i]! + res.indices[i]!.length;
    const indices = new Int32Array(indptr[m]!);
    const data = new Float64Array(indptr[m]!);
    for (let i = 0; i < m; i++) {
      indices.set(res.indices[i]!, indptr[i]!);
      if (mode === 'distance') data.set(res.distances[i]!, indptr[i]!);
      else data.fill(1, indptr[i]!, indptr[i + 1]!);
    }
    return { nRows: m, nCols: this.nSamplesFit, indptr, indices, data };
  }

  /** The fitted state, for io/saveModel. */
  getState(): ModelState {
    const X = fitted(this.X_, 'NearestNeighbors');
    return {
      className: 'NearestNeighbors',
      version: 1,
      options: serialisableOptions(this.options),
      meta: {},
      arrays: { X: { data: X.data, shape: [X.rows, X.cols] } },
    };
  }
}

registerModel('NearestNeighbors', (state) => {
  const m = new NearestNeighbors(state.options as Partial<NearestNeighborsOptions>);
  const a = stateArray(state, 'X', Float64Array);
  return m.fit(new Matrix(a.data, a.shape[0]!, a.shape[1]!));
});

export interface KNearestOptions {
  /** Query points (default: X itself). */
  queries?: MatrixLike;
  /** Exclude each point from its own list (only without `queries`; default true then). */
  excludeSelf?: boolean;
  algorithm?: NeighborsAlgorithm;
  leafSize?: number;
}

/**
 * Functional k-NN: the k nearest rows of X for every row of X (or of `queries`).
 * Returns indices (n×k Int32Array, row-major) and ascending Euclidean distances (Float64Array).
 *
 * @example
 * const { indices, distances } = kNearest(X, 10, { excludeSelf: true });
 */
export function kNearest(X: MatrixLike, k: number, options: KNearestOptions = {}): KNeighborsResult {
  const M = toMatrix(X, 'X');
  const data = M.data as Float64Array;
  const n = M.rows;
  const d = M.cols;
  if (!Number.isInteger(k) || k < 1) throw new ValidationError(`k must be an integer >= 1; got ${k}`);
  // An unknown algorithm used to fall through to brute force silently.
  const algorithm = options.algorithm ?? 'auto';
  if (!ALGORITHMS.includes(algorithm)) {
    throw new ValidationError(
      `options.algorithm must be one of ${ALGORITHMS.map((a) => `"${a}"`).join(', ')}; got ${JSON.stringify(algorithm)}`,
    );
  }
  const leafSize = options.leafSize ?? 30;
  if (!Number.isInteger(leafSize) || leafSize < 1) {
    throw new ValidationError(`options.leafSize must be an integer >= 1; got ${leafSize}`);
  }
  let Q = data;
  let m = n;
  let self = options.excludeSelf ?? true;
  if (options.queries !== undefined) {
    const QM = toMatrix(options.queries, 'queries');
    checkFeatures(QM, d, 'queries');
    Q = QM.data as Float64Array;
    m = QM.rows;
    self = false;
  }
  const avail = self ? n - 1 : n;
  if (k > avail) throw new ValidationError(`k=${k} must be <= ${avail}, the number of candidate neighbours`);
  const kind = chooseAlgorithm(algorithm, n, d, k);
  const index = buildIndex(kind, data, n, d, leafSize);
  return queryKnn(index, data, n, d, Q, m, k, self && Q === data);
}

/** Throws unless g is a square CSR pattern: indptr of nRows + 1 non-decreasing offsets from 0 to
 * indices.length, column ids in 0..nRows−1 (what kneighborsGraph / radiusNeighborsGraph return). */
function checkSquareCsr(g: CsrGraph, name = 'g'): void {
  if (
    !g ||
    typeof g !== 'object' ||
    !(g.indptr instanceof Int32Array) ||
    !(g.indices instanceof Int32Array)
  ) {
    throw new ValidationError(
      `${name} must be a CsrGraph { nRows, nCols, indptr: Int32Array, indices: Int32Array, data }`,
    );
  }
  const n = g.nRows;
  if (!(Number.isInteger(n) && n >= 0) || g.nCols !== n) {
    throw new ValidationError(`${name} must be square; got nRows=${n}, nCols=${g.nCols}`);
  }
  const { indptr, indices } = g;
  if (indptr.length !== n + 1 || indptr[0] !== 0 || indptr[n] !== indices.length) {
    throw new ValidationError(
      `${name}.indptr must hold nRows + 1 = ${n + 1} offsets from 0 to indices.length = ${indices.length}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (indptr[i + 1]! < indptr[i]!) throw new ValidationError(`${name}.indptr decreases at ${i + 1}`);
  }
  for (let p = 0; p < indices.length; p++) {
    const j = indices[p]!;
    if (j < 0 || j >= n) throw new ValidationError(`${name}.indices[${p}] = ${j} is outside 0..${n - 1}`);
  }
}

/** Symmetrises a CSR graph's sparsity pattern (i~j if j in N(i) or i in N(j)); returns adjacency lists. */
export function symmetricAdjacency(g: CsrGraph, mutual = false): Int32Array[] {
  checkSquareCsr(g);
  const n = g.nRows;
  const sets: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let i = 0; i < n; i++) {
    for (let p = g.indptr[i]!; p < g.indptr[i + 1]!; p++) {
      const j = g.indices[p]!;
      if (j === i) continue;
      sets[i]!.add(j);
    }
  }
  const out: Int32Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a: number[] = [];
    for (const j of sets[i]!) {
      if (mutual ? sets[j]!.has(i) : true) a.push(j);
    }
    out[i] = Int32Array.from(a);
  }
  if (!mutual) {
    const lists: number[][] = Array.from(out, (a) => Array.from(a));
    for (let i = 0; i < n; i++) for (const j of out[i]!) if (!sets[j]!.has(i)) lists[j]!.push(i);
    for (let i = 0; i < n; i++) out[i] = Int32Array.from(lists[i]!.sort((a, b) => a - b));
  } else {
    for (let i = 0; i < n; i++) out[i]!.sort();
  }
  return out;
}
