/**
 * MiniBatchKMeans — k-means on random mini-batches (Sculley 2010, "Web-scale k-means clustering"),
 * as scikit-learn 1.2's `MiniBatchKMeans`, for n too large for full Lloyd passes.
 *
 * Same objective as KMeans (Σ ‖x − μ_c(x)‖²). Each step draws a batch (with replacement), assigns it
 * to the nearest centres (gemm), and moves each centre towards its batch points with a per-centre
 * learning rate 1/count (the running mean of every point it was ever given). Centres whose count
 * falls below `reassignmentRatio` × the largest are re-seeded on random batch points (scikit-learn's
 * random reassignment). Stops after `maxIter` passes over the data, or when an exponentially weighted
 * average of the batch inertia has not improved for `maxNoImprovement` steps. Seeding: k-means++ on
 * `initSize` random points, the best of `nInit` seedings by inertia on that subset.
 */
import { ValidationError } from '../core/errors.js';
import { fitted, registerModel, serialisableOptions, type ModelState } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { ProgressReporter, type IterativeOptions, type StopReason } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { rowSqNorms } from '../kernels/index.js';
import { assignLabels, copyRow, inertiaOf, kmeansPlusPlus } from './kmeans-core.js';
import { CentroidClusterer, predictNearest } from './centroids.js';

export interface MiniBatchKMeansOptions extends IterativeOptions {
  /** Number of clusters (integer >= 1; default 8). */
  nClusters: number;
  /** Points per mini-batch (integer >= 1; default 1024). */
  batchSize: number;
  /** Maximum passes over the data (integer >= 1; default 100). */
  maxIter: number;
  /** Seedings tried on the init subset; the lowest inertia wins (integer >= 1; default 3). */
  nInit: number;
  /** Points used for seeding (integer >= 1; default 3 × batchSize; below nClusters it becomes 3 × nClusters, as scikit-learn; at most n). */
  initSize?: number;
  /** Early stop after this many steps without improvement of the smoothed batch inertia (default 10). */
  maxNoImprovement: number;
  /** Stop when the mean squared centre change per feature falls below tol (>= 0; default 0: off). */
  tol: number;
  /** Re-seed centres with count < ratio × max count (>= 0; default 0.01). */
  reassignmentRatio: number;
  seed: number;
}

export const MINIBATCH_KMEANS_DEFAULTS: Readonly<MiniBatchKMeansOptions> = Object.freeze({
  nClusters: 8,
  batchSize: 1024,
  maxIter: 100,
  nInit: 3,
  initSize: undefined,
  maxNoImprovement: 10,
  tol: 0,
  reassignmentRatio: 0.01,
  seed: 0,
  onProgress: undefined,
  signal: undefined,
});

const TABLE: ConstraintTable<MiniBatchKMeansOptions> = {
  nClusters: { type: 'int', min: 1 },
  batchSize: { type: 'int', min: 1 },
  maxIter: { type: 'int', min: 1 },
  nInit: { type: 'int', min: 1 },
  initSize: { type: 'int', min: 1 },
  maxNoImprovement: { type: 'int', min: 1 },
  tol: { type: 'number', min: 0 },
  reassignmentRatio: { type: 'number', min: 0 },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

/**
 * @example
 * const mb = new MiniBatchKMeans({ nClusters: 10, batchSize: 1024, seed: 0 }).fit(X);
 */
export class MiniBatchKMeans extends CentroidClusterer {
  readonly options: Readonly<MiniBatchKMeansOptions>;
  protected readonly estimatorName = 'MiniBatchKMeans';
  private nSteps_?: number;

  constructor(options: Partial<MiniBatchKMeansOptions> = {}) {
    super();
    this.options = validateOptions('MiniBatchKMeans', MINIBATCH_KMEANS_DEFAULTS, TABLE, options);
  }

  /** Mini-batch steps taken. */
  get nSteps(): number {
    return fitted(this.nSteps_, 'MiniBatchKMeans');
  }

  /** Fits the centres on random mini-batches of X (nSamples × nFeatures); returns this. */
  fit(X: MatrixLike): this {
    const o = this.options;
    const M = toMatrix(X, 'X');
    const n = M.rows;
    const d = M.cols;
    const k = o.nClusters;
    if (n < k) throw new ValidationError(`nSamples=${n} must be >= nClusters=${k}`);
    const data = M.data as Float64Array;
    const rng = new Rng(o.seed);
    const B = Math.min(o.batchSize, n);
    // --- seeding on a random subset
    // scikit-learn 1.2: 3·batchSize by default; fewer than k seeds become 3·k (not k: k-means++ over
    // exactly k points just returns them); at most n.
    let initSize = o.initSize ?? 3 * B;
    if (initSize < k) initSize = 3 * k;
    initSize = Math.min(n, initSize);
    const initIdx = rng.sampleWithoutReplacement(n, initSize);
    const Xi = new Float64Array(initSize * d);
    for (let r = 0; r < initSize; r++) copyRow(data, initIdx[r]!, Xi, r, d);
    const xin = new Float64Array(initSize);
    rowSqNorms(initSize, d, Xi, xin);
    const cn = new Float64Array(k);
    const Dbuf = new Float64Array(Math.max(initSize, B) * k);
    const lab = new Int32Array(Math.max(initSize, B));
    let centers = new Float64Array(k * d);
    let bestInertia = Infinity;
    const cand = new Float64Array(k * d);
    for (let t = 0; t < o.nInit; t++) {
      kmeansPlusPlus(Xi, initSize, d, xin, k, rng, 2 + Math.floor(Math.log(k)), cand);
      assignLabels(Xi, initSize, d, xin, cand, k, cn, Dbuf, initSize, lab, null);
      const inertia = inertiaOf(Xi, initSize, d, cand, lab);
      if (inertia < bestInertia) {
        bestInertia = inertia;
        centers = Float64Array.from(cand);
      }
    }
    // --- mini-batch steps
    const counts = new Float64Array(k);
    const batch = new Float64Array(B * d);
    const bn = new Float64Array(B);
    const bIdx = new Int32Array(B);
    const old = new Float64Array(k * d);
    const sums = new Float64Array(k * d);
    const m = new Float64Array(k);
    const nSteps = Math.max(1, Math.floor((o.maxIter * n) / B));
    const alpha = Math.min(1, (B * 2) / (n + 1));
    let ewa = -1;
    let ewaMin = Infinity;
    let noImprove = 0;
    let stop: StopReason = 'maxIter';
    const reporter = new ProgressReporter(o, nSteps);
    let step = 0;
    // scikit-learn reassigns every 10 + min(counts) steps (a loop: no spread of counts per step).
    const reassignEvery = (): number => {
      let lo = Infinity;
      for (let c = 0; c < k; c++) if (counts[c]! < lo) lo = counts[c]!;
      return 10 + lo;
    };
    let sinceReassign = 0;
    for (; step < nSteps; step++) {
      for (let r = 0; r < B; r++) {
        const i = rng.int(n);
        bIdx[r] = i;
        copyRow(data, i, batch, r, d);
      }
      rowSqNorms(B, d, batch, bn);
      assignLabels(batch, B, d, bn, centers, k, cn, Dbuf, B, lab, null);
      const batchInertia = inertiaOf(batch, B, d, centers, lab) / B;
      old.set(centers);
      // running-mean update: c ← (c·count + Σ batch points) / (count + m)
      sums.fill(0);
      m.fill(0);
      for (let r = 0; r < B; r++) {
        const c = lab[r]!;
        m[c]++;
        for (let t = 0; t < d; t++) sums[c * d + t] += batch[r * d + t]!;
      }
      for (let c = 0; c < k; c++) {
        if (m[c] === 0) continue;
        const w = counts[c]!;
        const tot = w + m[c]!;
        for (let t = 0; t < d; t++) centers[c * d + t] = (centers[c * d + t]! * w + sums[c * d + t]!) / tot;
        counts[c] = tot;
      }
      // random reassignment of starved centres
      if (o.reassignmentRatio > 0 && ++sinceReassign >= reassignEvery()) {
        sinceReassign = 0;
        let maxC = 0;
        for (const v of counts) if (v > maxC) maxC = v;
        const low: number[] = [];
        for (let c = 0; c < k; c++) if (counts[c]! < o.reassignmentRatio * maxC) low.push(c);
        const nRe = Math.min(low.length, Math.floor(0.5 * B));
        if (nRe > 0) {
          let minKept = Infinity;
          for (let c = 0; c < k; c++) if (!low.includes(c)) minKept = Math.min(minKept, counts[c]!);
          for (let t = 0; t < nRe; t++) {
            const r = rng.int(B);
            centers.set(batch.subarray(r * d, r * d + d), low[t]! * d);
            counts[low[t]!] = Number.isFinite(minKept) ? minKept : 1;
          }
        }
      }
      // convergence tests (scikit-learn's _mini_batch_convergence)
      ewa = ewa < 0 ? batchInertia : ewa * (1 - alpha) + batchInertia * alpha;
      const rep = reporter.report(step + 1, batchInertia, { ewaInertia: ewa });
      if (rep) {
        stop = rep;
        step++;
        break;
      }
      if (o.tol > 0) {
        let diff = 0;
        for (let t = 0; t < k * d; t++) diff += (centers[t]! - old[t]!) ** 2;
        if (diff / d <= o.tol) {
          stop = 'converged';
          step++;
          break;
        }
      }
      if (ewa < ewaMin) {
        ewaMin = ewa;
        noImprove = 0;
      } else if (++noImprove >= o.maxNoImprovement) {
        stop = 'converged';
        step++;
        break;
      }
    }
    const C = new Matrix(centers, k, d);
    const labels = predictNearest(data, n, C);
    this.centers_ = C;
    this.labels_ = labels;
    this.inertia_ = inertiaOf(data, n, d, centers, labels);
    this.nSteps_ = Math.min(step, nSteps);
    this.stopReason_ = stop;
    return this;
  }

  /** The fitted state, for io/saveModel. */
  getState(): ModelState {
    return {
      className: 'MiniBatchKMeans',
      version: 1,
      options: serialisableOptions(this.options),
      meta: { inertia: this.inertia, nSteps: this.nSteps, stopReason: this.stopReason },
      arrays: this.centroidArrays(),
    };
  }

  /** Rebuilds a fitted model from its state (used by loadModel). */
  static fromState(state: ModelState): MiniBatchKMeans {
    const m = new MiniBatchKMeans(state.options as Partial<MiniBatchKMeansOptions>);
    m.restoreCentroids(state);
    m.nSteps_ = Number(state.meta.nSteps);
    return m;
  }
}

registerModel('MiniBatchKMeans', (s) => MiniBatchKMeans.fromState(s));
