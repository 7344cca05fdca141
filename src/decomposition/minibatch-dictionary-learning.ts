/**
 * Online (mini-batch) dictionary learning.
 *
 * Reference: Mairal, Bach, Ponce & Sapiro (2010), "Online learning for matrix factorization and
 * sparse coding", JMLR 11 — Algorithm 1 with the mini-batch extension and the forgetting factor of
 * §3.4.3; seed 004's dictionary learning objective
 *   min_{D ∈ C} E_x [ min_z ½‖x − Dᵀz‖² + λ‖z‖₁ ],  C = {‖dⱼ‖ ≤ 1},
 * for large n. Each step codes one mini-batch (lasso by LARS or coordinate descent), folds it into
 * the sufficient statistics A ← βA + ZᵀZ/b, B ← βB + XᵀZ/b (β from scikit-learn's schedule
 * θ = (t+1)·b for t < b−1, else b² + t + 1 − b; β = (θ + 1 − b)/(θ + 1)), and runs one
 * block-coordinate sweep over the atoms (the same projected update as the batch version).
 * Stopping as scikit-learn 1.2 (max_iter epochs): when the dictionary moves less than tol (Frobenius
 * norm ÷ nComponents) or the exponentially weighted batch cost has not improved for maxNoImprovement
 * steps. Products go through gemm/syrk.
 */
import {
  fitted,
  registerModel,
  serialisableOptions,
  stateArray,
  type ModelState,
} from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { ProgressReporter, type IterativeOptions, type StopReason } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { checkFeatures, toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { gemm, syrk } from '../kernels/index.js';
import { type F64Matrix } from './_shared.js';
import { encodeWith, svdDictionary, updateDictionary } from './dictionary-learning.js';
import { SPARSE_CODING_ALGORITHMS, sparseEncodeRaw, type SparseCodingAlgorithm } from './sparse-coder.js';

export interface MiniBatchDictionaryLearningOptions extends IterativeOptions {
  /** Number of atoms (may exceed nFeatures). Default nFeatures. */
  nComponents?: number;
  /** λ of the ℓ1 penalty. Default 1. */
  alpha?: number;
  /** Maximum number of epochs over the data. Default 10. */
  maxIter?: number;
  /** Rows per mini-batch. Default 256. */
  batchSize?: number;
  /** Shuffle the rows once before the epochs. Default true. */
  shuffle?: boolean;
  /** Stop when ‖D − D_prev‖_F / nComponents ≤ tol (0 disables). Default 1e-3. */
  tol?: number;
  /** Stop after this many steps without improvement of the smoothed batch cost. Default 10. */
  maxNoImprovement?: number;
  /** Lasso solver while learning: 'lars' (default) or 'cd'. */
  fitAlgorithm?: 'lars' | 'cd';
  /** Coding used by transform(): 'omp' (default), 'lasso_lars', 'lasso_cd' or 'threshold'. */
  transformAlgorithm?: SparseCodingAlgorithm;
  transformNNonzeroCoefs?: number;
  transformAlpha?: number;
  positiveCode?: boolean;
  positiveDict?: boolean;
  /** Seed (shuffling, re-drawing unused atoms). Default 0. */
  seed?: number;
}

export const MINIBATCH_DICTIONARY_LEARNING_DEFAULTS: Readonly<MiniBatchDictionaryLearningOptions> =
  Object.freeze({
    nComponents: undefined,
    alpha: 1,
    maxIter: 10,
    batchSize: 256,
    shuffle: true,
    tol: 1e-3,
    maxNoImprovement: 10,
    fitAlgorithm: 'lars',
    transformAlgorithm: 'omp',
    transformNNonzeroCoefs: undefined,
    transformAlpha: undefined,
    positiveCode: false,
    positiveDict: false,
    seed: 0,
    onProgress: undefined,
    signal: undefined,
  });

const TABLE: ConstraintTable<MiniBatchDictionaryLearningOptions> = {
  nComponents: { type: 'int', min: 1 },
  alpha: { type: 'number', min: 0 },
  maxIter: { type: 'int', min: 1 },
  batchSize: { type: 'int', min: 1 },
  shuffle: { type: 'boolean' },
  tol: { type: 'number', min: 0 },
  maxNoImprovement: { type: 'int', min: 1 },
  fitAlgorithm: { type: 'enum', values: ['lars', 'cd'] },
  transformAlgorithm: { type: 'enum', values: SPARSE_CODING_ALGORITHMS },
  transformNNonzeroCoefs: { type: 'int', min: 1 },
  transformAlpha: { type: 'number', min: 0 },
  positiveCode: { type: 'boolean' },
  positiveDict: { type: 'boolean' },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

interface MBState {
  k: number;
  d: number;
  D: Float64Array;
  A: Float64Array;
  B: Float64Array;
  nSteps: number;
  nIter: number;
  stopReason: StopReason;
  batchCosts: number[];
  rng: Rng;
}

/**
 * Mini-batch dictionary learning: `fit(X)` for epochs over X, or `partialFit(batch)` for streams.
 * `components` are the atoms (rows, norm ≤ 1); `batchCosts` the per-step
 * (½‖X_b − Z_bD‖² + λ‖Z_b‖₁)/b before each update.
 */
export class MiniBatchDictionaryLearning {
  readonly options: Readonly<MiniBatchDictionaryLearningOptions>;
  private st?: MBState;

  constructor(options: MiniBatchDictionaryLearningOptions = {}) {
    this.options = validateOptions(
      'MiniBatchDictionaryLearning',
      MINIBATCH_DICTIONARY_LEARNING_DEFAULTS,
      TABLE,
      options,
    );
  }

  private init(M: F64Matrix, rng: Rng): MBState {
    const k = this.options.nComponents ?? M.cols;
    const d = M.cols;
    // scikit-learn starts from randomized_svd(X, k); here the same randomized subspace iteration.
    const { D } = svdDictionary(M, k, {
      nOversamples: 10,
      nIter: k < 0.1 * Math.min(M.rows, d) ? 7 : 4,
      seed: rng.int(0x7fffffff),
    });
    return {
      k,
      d,
      D,
      A: new Float64Array(k * k),
      B: new Float64Array(d * k),
      nSteps: 0,
      nIter: 0,
      stopReason: 'maxIter',
      batchCosts: [],
      rng,
    };
  }

  /** One online step on batch rows [r0, r1) of Xd (n × d); returns the batch cost. */
  private step(s: MBState, Xd: Float64Array, r0: number, r1: number): number {
    const o = this.options;
    const { k, d } = s;
    const b = r1 - r0;
    const xb = Xd.subarray(r0 * d, r1 * d);
    const codes = sparseEncodeRaw(xb, 0, b, d, s.D, k, {
      algorithm: o.fitAlgorithm === 'cd' ? 'lasso_cd' : 'lasso_lars',
      alpha: o.alpha,
      positive: o.positiveCode,
      maxIter: 1000,
    });
    // Batch cost before the update: ½‖X_b − Z D‖² + λ‖Z‖₁, over b.
    const R = new Float64Array(b * d);
    R.set(xb);
    gemm(b, d, k, codes, s.D, R, { alpha: -1, beta: 1 });
    let rr = 0;
    for (let t = 0; t < b * d; t++) rr += R[t]! * R[t]!;
    let l1 = 0;
    for (let t = 0; t < b * k; t++) l1 += Math.abs(codes[t]!);
    const cost = (0.5 * rr + o.alpha! * l1) / b;
    const step = s.nSteps;
    const theta = step < b - 1 ? (step + 1) * b : b * b + step + 1 - b;
    const beta = (theta + 1 - b) / (theta + 1);
    for (let t = 0; t < k * k; t++) s.A[t] *= beta;
    for (let t = 0; t < d * k; t++) s.B[t] *= beta;
    syrk(b, k, codes, s.A, { alpha: 1 / b, beta: 1 });
    gemm(d, k, b, xb, codes, s.B, { transA: true, alpha: 1 / b, beta: 1 });
    updateDictionary(s.D, k, d, s.A, s.B, xb, b, codes, s.rng, o.positiveDict!);
    s.nSteps++;
    s.batchCosts.push(cost);
    return cost;
  }

  fit(X: MatrixLike): this {
    const o = this.options;
    const M0 = toMatrix(X, 'X') as F64Matrix;
    const rng = new Rng(o.seed);
    const s = this.init(M0, rng);
    const n = M0.rows;
    const d = M0.cols;
    let Xd = M0.data;
    if (o.shuffle) {
      const perm = rng.permutation(n);
      const Y = new Float64Array(n * d);
      for (let i = 0; i < n; i++) Y.set(Xd.subarray(perm[i]! * d, (perm[i]! + 1) * d), i * d);
      Xd = Y;
    }
    const bs = Math.min(o.batchSize!, n);
    const perEpoch = Math.ceil(n / bs);
    const nSteps = o.maxIter! * perEpoch;
    const reporter = new ProgressReporter(o, nSteps);
    const old = s.D.slice();
    let ewa: number | null = null;
    let ewaMin: number | null = null;
    let noImprovement = 0;
    let stop: StopReason = 'maxIter';
    let i = 0;
    for (; i < nSteps; i++) {
      const r0 = (i % perEpoch) * bs;
      const r1 = Math.min(n, r0 + bs);
      const cost = this.step(s, Xd, r0, r1);
      const r = reporter.report(i + 1, cost, { epoch: Math.floor(i / perEpoch) + 1 });
      // scikit-learn's _check_convergence
      const stepNo = i + 1;
      const b = r1 - r0;
      let converged = false;
      if (stepNo > Math.min(100, n / b)) {
        if (ewa === null) ewa = cost;
        else {
          const a = Math.min(b / (n + 1), 1);
          ewa = ewa * (1 - a) + cost * a;
        }
        let diff = 0;
        for (let t = 0; t < s.D.length; t++) diff += (s.D[t]! - old[t]!) ** 2;
        diff = Math.sqrt(diff) / s.k;
        if (o.tol! > 0 && diff <= o.tol!) converged = true;
        else {
          if (ewaMin === null || ewa < ewaMin) {
            noImprovement = 0;
            ewaMin = ewa;
          } else noImprovement++;
          if (noImprovement >= o.maxNoImprovement!) converged = true;
        }
      }
      if (converged) {
        stop = 'converged';
        i++;
        break;
      }
      if (r) {
        stop = r;
        i++;
        break;
      }
      old.set(s.D);
    }
    s.nIter = Math.ceil(Math.min(i, nSteps) / perEpoch);
    s.stopReason = stop;
    this.st = s;
    return this;
  }

  /** Updates the dictionary with one batch (initialising it from this batch the first time). */
  partialFit(X: MatrixLike): this {
    const M = toMatrix(X, 'X') as F64Matrix;
    if (!this.st) this.st = this.init(M, new Rng(this.options.seed));
    else checkFeatures(M, this.st.d);
    this.step(this.st, M.data, 0, M.rows);
    return this;
  }

  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fit(X).transform(X);
  }

  private get s(): MBState {
    return fitted(this.st, 'MiniBatchDictionaryLearning');
  }
  get components(): Matrix<Float64Array> {
    const s = this.s;
    return new Matrix(s.D.slice(), s.k, s.d);
  }
  /** Epochs run (ceil(nSteps / steps per epoch)). */
  get nIter(): number {
    return this.s.nIter;
  }
  get nSteps(): number {
    return this.s.nSteps;
  }
  get stopReason(): StopReason {
    return this.s.stopReason;
  }
  get batchCosts(): number[] {
    return this.s.batchCosts.slice();
  }

  transform(X: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    return encodeWith(this.options, s.D, s.k, s.d, X);
  }

  getState(): ModelState {
    const s = this.s;
    return {
      className: 'MiniBatchDictionaryLearning',
      version: 1,
      options: serialisableOptions(this.options),
      meta: {
        k: s.k,
        d: s.d,
        nSteps: s.nSteps,
        nIter: s.nIter,
        stopReason: s.stopReason,
        rng: s.rng.state(),
      },
      arrays: {
        D: { data: s.D, shape: [s.k, s.d] },
        A: { data: s.A, shape: [s.k, s.k] },
        B: { data: s.B, shape: [s.d, s.k] },
        batchCosts: { data: Float64Array.from(s.batchCosts), shape: [s.batchCosts.length] },
      },
    };
  }

  static fromState(state: ModelState): MiniBatchDictionaryLearning {
    const m = new MiniBatchDictionaryLearning(state.options as MiniBatchDictionaryLearningOptions);
    const meta = state.meta as Record<string, unknown>;
    const rng = Rng.restore(meta.rng as never);
    m.st = {
      k: meta.k as number,
      d: meta.d as number,
      nSteps: meta.nSteps as number,
      nIter: meta.nIter as number,
      stopReason: meta.stopReason as StopReason,
      D: stateArray(state, 'D', Float64Array).data,
      A: stateArray(state, 'A', Float64Array).data,
      B: stateArray(state, 'B', Float64Array).data,
      batchCosts: Array.from(stateArray(state, 'batchCosts', Float64Array).data),
      rng,
    };
    return m;
  }
}

registerModel('MiniBatchDictionaryLearning', (s) => MiniBatchDictionaryLearning.fromState(s));
