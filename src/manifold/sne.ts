/**
 * SNE: stochastic neighbour embedding (Hinton & Roweis 2002, "Stochastic Neighbor Embedding",
 * NIPS 15; seed deck 000, the SNE slides). Conditional Gaussians in the data space,
 *   p_{j|i} = exp(−β_i ‖x_i − x_j‖²) / Σ_{k≠i} exp(−β_i ‖x_i − x_k‖²),
 * β_i = 1/(2σ_i²) by binary search on the perplexity (as t-SNE), and conditional Gaussians with fixed
 * variance σ² = 1/2 in the map,
 *   q_{j|i} = exp(−‖y_i − y_j‖²) / Σ_{k≠i} exp(−‖y_i − y_k‖²).
 * Objective: C = Σ_i KL(P_i‖Q_i) = Σ_i Σ_j p_{j|i} log(p_{j|i} / q_{j|i}), with gradient
 *   ∂C/∂y_i = 2 Σ_j (p_{j|i} − q_{j|i} + p_{i|j} − q_{i|j}) (y_i − y_j).
 * Optimised by gradient descent with momentum (0.5 for the first 250 iterations, then 0.8) and the
 * same per-coordinate gains as t-SNE (Jacobs 1988, used by van der Maaten's SNE code); no early
 * exaggeration. Exact O(n²) per iteration: SNE is the teaching baseline whose crowding problem t-SNE
 * fixes, not a large-scale method. Differences from the paper: no annealed jitter; PCA initialisation
 * (std 1e-4) by default.
 */
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { NumericalError, ValidationError } from '../core/errors.js';
import {
  fitted,
  registerModel,
  serialisableOptions,
  stateArray,
  type ModelState,
} from '../core/estimator.js';
import { ProgressReporter, type IterativeOptions, type StopReason } from '../core/progress.js';
import { rowSqNorms, sqdist } from '../kernels/index.js';
import { binarySearchPerplexity } from './affinity.js';
import { initialEmbedding } from './init.js';

export interface SneOptions extends IterativeOptions {
  /** Output dimension. Default 2. */
  nComponents?: number;
  /** Perplexity of each P_i, must be < nSamples. Default 30. */
  perplexity?: number;
  /** Iterations. Default 1000. */
  nIter?: number;
  /** Step size. Default 0.2 (the SNE gradient sums n conditional KLs, O(1) per point; with gains and momentum 0.8 steps above ~0.5 diverge). */
  learningRate?: number;
  /** Momentum for the first 250 iterations. Default 0.5. */
  momentum?: number;
  /** Momentum afterwards. Default 0.8. */
  finalMomentum?: number;
  /** Lower bound of the gains. Default 0.01. */
  minGain?: number;
  /** 'pca' (std 1e-4) or 'random'. Default 'pca'. */
  init?: 'pca' | 'random';
  /** Seed (random initialisation). Default 0. */
  seed?: number;
}

type SneResolved = Required<Omit<SneOptions, 'onProgress' | 'signal'>> & IterativeOptions;

export const SNE_DEFAULTS: Readonly<SneResolved> = {
  nComponents: 2,
  perplexity: 30,
  nIter: 1000,
  learningRate: 0.2,
  momentum: 0.5,
  finalMomentum: 0.8,
  minGain: 0.01,
  init: 'pca',
  seed: 0,
};

const TABLE: ConstraintTable<SneOptions> = {
  nComponents: { type: 'int', min: 1 },
  perplexity: { type: 'number', min: 0, exclusiveMin: true },
  nIter: { type: 'int', min: 0 },
  learningRate: { type: 'number', min: 0, exclusiveMin: true },
  momentum: { type: 'number', min: 0, max: 1 },
  finalMomentum: { type: 'number', min: 0, max: 1 },
  minGain: { type: 'number', min: 0 },
  init: { type: 'enum', values: ['pca', 'random'] },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

/**
 * Cost C = Σ_i KL(P_i‖Q_i) and its gradient (written into grad) for conditional P (dense n × n,
 * zero diagonal). Uses a row-wise log-sum-exp so that far-apart maps do not underflow.
 */
export function sneCostGradient(
  Y: Float64Array,
  n: number,
  c: number,
  P: Float64Array,
  grad: Float64Array,
  rowQ: Float64Array,
  computeCost = true,
): number {
  grad.fill(0);
  let cost = 0;
  const rowE = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let minD = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let q = 0; q < c; q++) {
        const t = Y[i * c + q]! - Y[j * c + q]!;
        s += t * t;
      }
      rowQ[j] = s;
      if (s < minD) minD = s;
    }
    let z = 0;
    for (let j = 0; j < n; j++) {
      const e = j === i ? 0 : Math.exp(minD - rowQ[j]!);
      rowE[j] = e;
      z += e;
    }
    const logZ = Math.log(z) - minD;
    const invZ = 1 / z;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const p = P[i * n + j]!;
      if (computeCost && p > 0) cost += p * (Math.log(p) + rowQ[j]! + logZ);
      const a = 2 * (p - rowE[j]! * invZ);
      for (let q = 0; q < c; q++) {
        const t = a * (Y[i * c + q]! - Y[j * c + q]!);
        grad[i * c + q]! += t;
        grad[j * c + q]! -= t;
      }
    }
  }
  return computeCost ? cost : NaN;
}

/**
 * SNE estimator.
 * @example const Y = new SNE({ perplexity: 20 }).fitTransform(X); // nSamples × 2
 */
export class SNE {
  readonly options: Readonly<SneResolved>;
  private _embedding?: Matrix<Float64Array>;
  private _kl?: number;
  private _nIter?: number;
  private _stopReason?: StopReason;

  constructor(options: SneOptions = {}) {
    this.options = validateOptions(
      'SNE',
      SNE_DEFAULTS as SneOptions,
      TABLE,
      options,
    ) as Readonly<SneResolved>;
  }

  get embedding(): Matrix<Float64Array> {
    return fitted(this._embedding, 'SNE');
  }
  /** Σ_i KL(P_i‖Q_i) of the final map. */
  get klDivergence(): number {
    return fitted(this._kl, 'SNE');
  }
  get nIter(): number {
    return fitted(this._nIter, 'SNE');
  }
  get stopReason(): StopReason {
    return fitted(this._stopReason, 'SNE');
  }

  fit(X: MatrixLike): this {
    const M = toMatrix(X, 'X', { minSamples: 2 }) as Matrix<Float64Array>;
    const n = M.rows;
    const d = M.cols;
    const o = this.options;
    if (o.perplexity >= n) throw new ValidationError(`perplexity=${o.perplexity} must be < nSamples=${n}`);
    const Xd = M.contiguous().data;
    const D = new Float64Array(n * n);
    const norms = new Float64Array(n);
    rowSqNorms(n, d, Xd, norms);
    sqdist(n, n, d, Xd, Xd, D, { xNorms: norms, yNorms: norms });
    const P = binarySearchPerplexity(D, n, n, o.perplexity, true).P;
    const c = o.nComponents;
    const Y = initialEmbedding(Xd, n, d, c, o.init, o.seed);
    const grad = new Float64Array(n * c);
    const update = new Float64Array(n * c);
    const gains = new Float64Array(n * c).fill(1);
    const rowQ = new Float64Array(n);
    const reporter = new ProgressReporter(o, o.nIter);
    let stop: StopReason = 'maxIter';
    let cost = NaN;
    let it = 0;
    while (it < o.nIter) {
      const report = (it + 1) % 50 === 0 || it + 1 === o.nIter;
      cost = sneCostGradient(Y, n, c, P, grad, rowQ, report);
      const mom = it < 250 ? o.momentum : o.finalMomentum;
      for (let t = 0; t < n * c; t++) {
        const g = grad[t]!;
        const u = update[t]!;
        let gain = u * g < 0 ? gains[t]! + 0.2 : gains[t]! * 0.8;
        if (gain < o.minGain) gain = o.minGain;
        gains[t] = gain;
        update[t] = mom * u - o.learningRate * gain * g;
        Y[t]! += update[t]!;
      }
      it++;
      if (report && !Number.isFinite(cost)) {
        throw new NumericalError(`SNE diverged at iteration ${it}; lower the learning rate`);
      }
      if (report || o.signal?.aborted) {
        const r = reporter.report(it, report ? cost : undefined, { stage: 'optimisation' });
        if (r) {
          stop = r;
          break;
        }
      }
    }
    cost = sneCostGradient(Y, n, c, P, grad, rowQ);
    this._embedding = new Matrix(Y, n, c);
    this._kl = cost;
    this._nIter = it;
    this._stopReason = stop;
    return this;
  }

  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fit(X).embedding;
  }

  getState(): ModelState {
    const E = this.embedding;
    return {
      className: 'SNE',
      version: 1,
      options: serialisableOptions(this.options),
      meta: { klDivergence: this._kl, nIter: this._nIter, stopReason: this._stopReason },
      arrays: { embedding: { data: E.data, shape: [E.rows, E.cols] } },
    };
  }

  static fromState(state: ModelState): SNE {
    const s = new SNE(state.options as SneOptions);
    const E = stateArray(state, 'embedding', Float64Array);
    s._embedding = new Matrix(E.data.slice(), E.shape[0]!, E.shape[1]!);
    s._kl = Number(state.meta.klDivergence);
    s._nIter = Number(state.meta.nIter);
    s._stopReason = state.meta.stopReason as StopReason;
    return s;
  }
}

registerModel('SNE', (s) => SNE.fromState(s));
