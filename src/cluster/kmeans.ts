/**
 * KMeans — k-means clustering (Lloyd 1982; seed deck 000 "K-means clustering"), as scikit-learn 1.2's
 * `sklearn.cluster.KMeans`.
 *
 * Minimises the within-cluster sum of squares J(c, μ) = Σ_i ‖x_i − μ_{c(i)}‖² (the deck writes the
 * norm; scikit-learn and this version use its square, the "inertia"). Each run alternates assignment
 * and mean update until the labels stop changing or the centres move less than tol (scaled, as
 * scikit-learn, by the mean per-feature variance of X). Runs `nInit` times from different seeds and
 * keeps the lowest J — the deck's recipe against local minima.
 *
 * Seeding: greedy k-means++ (2 + ⌊ln k⌋ candidates per step), 'random' (k distinct points), or
 * explicit centres. Iterations: 'lloyd' (blocked gemm distances) or 'elkan' (triangle-inequality
 * bounds); both give the same iterates. Empty clusters take the points farthest from their centres.
 * As scikit-learn, X is centred internally (a copy) for the accuracy of ‖x‖² + ‖c‖² − 2x·c.
 */
import { ValidationError } from '../core/errors.js';
import { fitted, registerModel, serialisableOptions, type ModelState } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { ProgressReporter, type IterativeOptions } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { rowSqNorms, HeapBuffers } from '../kernels/index.js';
import { CentroidClusterer } from './centroids.js';
import { elkan, kmeansPlusPlus, KMeansWorkspace, lloyd, type KMeansRunResult } from './kmeans-core.js';

export type KMeansInit = 'k-means++' | 'random' | Matrix | number[][];

export interface KMeansOptions extends IterativeOptions {
  /** Number of clusters k (integer >= 1; default 8). */
  nClusters: number;
  /** Seeding: 'k-means++' (default), 'random', or explicit k × nFeatures centres (then nInit = 1). */
  init: KMeansInit;
  /** Number of restarts; the run with the lowest inertia is kept (integer >= 1; default 10, as scikit-learn 1.2). */
  nInit: number;
  /** Maximum iterations per run (integer >= 1; default 300). */
  maxIter: number;
  /** Relative tolerance on the squared centre shift, scaled by the mean feature variance (>= 0; default 1e-4). */
  tol: number;
  /** 'lloyd' (default) or 'elkan'; same results, different cost. */
  algorithm: 'lloyd' | 'elkan';
  /** Candidates per k-means++ step (integer >= 1; default 2 + ⌊ln k⌋). */
  nLocalTrials?: number;
  /** Seed of the random generator (default 0). */
  seed: number;
}

export const KMEANS_DEFAULTS: Readonly<KMeansOptions> = Object.freeze({
  nClusters: 8,
  init: 'k-means++',
  nInit: 10,
  maxIter: 300,
  tol: 1e-4,
  algorithm: 'lloyd',
  nLocalTrials: undefined,
  seed: 0,
  onProgress: undefined,
  signal: undefined,
});

const TABLE: ConstraintTable<KMeansOptions> = {
  nClusters: { type: 'int', min: 1 },
  init: { type: 'oneOf', options: [{ type: 'enum', values: ['k-means++', 'random'] }, { type: 'object' }] },
  nInit: { type: 'int', min: 1 },
  maxIter: { type: 'int', min: 1 },
  tol: { type: 'number', min: 0 },
  algorithm: { type: 'enum', values: ['lloyd', 'elkan'] },
  nLocalTrials: { type: 'int', min: 1 },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

/** Validated k × d centres from an explicit init. */
export function explicitCenters(init: Matrix | number[][], k: number, d: number, name: string): Float64Array {
  const C = toMatrix(init as MatrixLike, 'init');
  if (C.rows !== k || C.cols !== d) {
    throw new ValidationError(
      `${name}: init has shape ${C.rows}x${C.cols}, expected nClusters x nFeatures = ${k}x${d}`,
    );
  }
  return Float64Array.from(C.data);
}

/**
 * @example
 * const km = new KMeans({ nClusters: 10, nInit: 10, seed: 1 }).fit(X); // X: nSamples × nFeatures
 * km.labels; km.clusterCenters; km.inertia; km.predict(Xnew);
 */
export class KMeans extends CentroidClusterer {
  readonly options: Readonly<KMeansOptions>;
  protected readonly estimatorName = 'KMeans';
  private nIter_?: number;

  constructor(options: Partial<KMeansOptions> = {}) {
    super();
    this.options = validateOptions('KMeans', KMEANS_DEFAULTS, TABLE, options);
  }

  /** Iterations of the best run. */
  get nIter(): number {
    return fitted(this.nIter_, 'KMeans');
  }
  /** Number of features d seen in fit. */
  get nFeaturesIn(): number {
    return this.clusterCenters.cols;
  }

  /** Runs k-means nInit times on X (nSamples × nFeatures), keeping the lowest inertia; returns this. */
  fit(X: MatrixLike): this {
    const o = this.options;
    const M = toMatrix(X, 'X');
    const n = M.rows;
    const d = M.cols;
    const k = o.nClusters;
    if (n < k) throw new ValidationError(`nSamples=${n} must be >= nClusters=${k}`);
    // Centre a copy (the caller's data is never touched).
    const src = M.data as Float64Array;
    const scratch = new HeapBuffers();
    try {
      return this.fitCentred(src, n, d, k, scratch);
    } finally {
      scratch.release();
    }
  }

  private fitCentred(src: Float64Array, n: number, d: number, k: number, scratch: HeapBuffers): this {
    const o = this.options;
    // The centred copy lives in the kernels' memory: k-means++ and Lloyd hand it to gemm every step.
    const Xc = scratch.f64(n * d);
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += src[i * d + t]!;
    for (let t = 0; t < d; t++) mean[t] /= n;
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) Xc[i * d + t] = src[i * d + t]! - mean[t]!;
    const xn = scratch.f64(n);
    rowSqNorms(n, d, Xc, xn);
    // X is centred, so the mean per-feature variance is Σ‖x_i‖² / (n·d) (scikit-learn's tol scale).
    let ss = 0;
    for (let i = 0; i < n; i++) ss += xn[i]!;
    const tol = (o.tol * ss) / (n * d);
    const explicit = typeof o.init === 'object' ? explicitCenters(o.init, k, d, 'KMeans') : null;
    if (explicit) for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) explicit[j * d + t] -= mean[t]!;
    const nInit = explicit ? 1 : o.nInit;
    const rng = new Rng(o.seed);
    const ws = new KMeansWorkspace(n, d, k, scratch);
    const trials = o.nLocalTrials ?? 2 + Math.floor(Math.log(k));
    const reporter = new ProgressReporter(o, o.maxIter);
    let best: KMeansRunResult | null = null;
    for (let run = 0; run < nInit; run++) {
      if (explicit) ws.centers.set(explicit);
      else if (o.init === 'random') {
        const idx = rng.sampleWithoutReplacement(n, k);
        for (let j = 0; j < k; j++) ws.centers.set(Xc.subarray(idx[j]! * d, idx[j]! * d + d), j * d);
      } else kmeansPlusPlus(Xc, n, d, xn, k, rng, trials, ws.centers);
      const stage = `init ${run + 1}/${nInit}`;
      const hook =
        o.onProgress || o.signal
          ? (iteration: number, labels: Int32Array, C: Float64Array) => {
              let loss: number | undefined;
              if (o.onProgress) {
                loss = 0;
                for (let i = 0; i < n; i++) {
                  let s = 0;
                  const a = i * d;
                  const b = labels[i]! * d;
                  for (let t = 0; t < d; t++) {
                    const v = Xc[a + t]! - C[b + t]!;
                    s += v * v;
                  }
                  loss += s;
                }
              }
              return reporter.report(iteration, loss, { stage, run }) as 'callback' | 'aborted' | null;
            }
          : null;
      const r =
        o.algorithm === 'elkan'
          ? elkan(ws, Xc, xn, o.maxIter, tol, hook)
          : lloyd(ws, Xc, xn, o.maxIter, tol, hook);
      if (best === null || r.inertia < best.inertia) best = r;
      if (r.stop === 'callback' || r.stop === 'aborted') break;
    }
    const b = best!;
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) b.centers[j * d + t] += mean[t]!;
    // b.centers/b.labels are fresh copies (finish() copies out of the scratch buffers).
    this.centers_ = new Matrix(b.centers, k, d);
    this.labels_ = b.labels;
    this.inertia_ = b.inertia;
    this.nIter_ = b.nIter;
    this.stopReason_ = b.stop;
    return this;
  }

  /** The fitted state, for io/saveModel. */
  getState(): ModelState {
    const opts = serialisableOptions(this.options);
    if (typeof this.options.init === 'object') opts.init = 'k-means++';
    return {
      className: 'KMeans',
      version: 1,
      options: opts,
      meta: { inertia: this.inertia, nIter: this.nIter, stopReason: this.stopReason },
      arrays: this.centroidArrays(),
    };
  }

  /** Rebuilds a fitted model from its state (used by loadModel). */
  static fromState(state: ModelState): KMeans {
    const m = new KMeans(state.options as Partial<KMeansOptions>);
    m.restoreCentroids(state);
    m.nIter_ = Number(state.meta.nIter);
    return m;
  }
}

registerModel('KMeans', (s) => KMeans.fromState(s));

/** Functional form: `kMeans(X, options)` is `new KMeans(options).fit(X)`. */
export function kMeans(X: MatrixLike, options: Partial<KMeansOptions> = {}): KMeans {
  return new KMeans(options).fit(X);
}
