/**
 * Dictionary learning (batch): alternate sparse coding and a dictionary update.
 *
 * Reference: seed 004, "Learning a sparse coding dictionary":
 *   min_{D ∈ C, Z}  Σᵢ ½‖xᵢ − Dᵀzᵢ‖² + λ‖zᵢ‖₁,   C = {D : ‖dⱼ‖ ≤ 1 for every atom dⱼ},
 * usually overcomplete (more atoms than features). Mairal, Bach, Ponce & Sapiro (2009/2010),
 * "Online dictionary learning for sparse coding" / "Online learning for matrix factorization and
 * sparse coding", JMLR 11 — Algorithm 2 (block coordinate descent on the atoms with warm restart);
 * scikit-learn's dict_learning.
 *
 * Each iteration: (1) codes by lasso (LARS, exact; or coordinate descent) for the current dictionary;
 * (2) one sweep over the atoms, each replaced by the exact minimiser of the objective over that atom
 * inside the unit ball, uⱼ = dⱼ + (Bⱼ − Aⱼ·D)/Aⱼⱼ projected onto ‖·‖ ≤ 1, with A = ZᵀZ, B = XᵀZ
 * (both with kernel products). Both steps are exact block minimisations, so the objective never
 * increases (except when an atom is unused, Aⱼⱼ ≤ 1e-6, and is re-drawn from the data as in
 * scikit-learn). The initial dictionary is the top right singular vectors scaled by the singular
 * values (scikit-learn's SVD start; here an exact truncated SVD through the Gram matrix).
 * Rows of `components` are the atoms (nComponents × nFeatures), scikit-learn's layout.
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
import { flipByScores, gramSvd, type F64Matrix } from './_shared.js';
import { SPARSE_CODING_ALGORITHMS, sparseEncodeRaw, type SparseCodingAlgorithm } from './sparse-coder.js';

/**
 * scikit-learn's _update_dict: one block-coordinate sweep over the atoms (rows of D, k × d) given
 * A = ZᵀZ (k × k) and B = XᵀZ (d × k). Unused atoms are re-drawn from the data rows (+1% noise) and
 * their codes zeroed. Returns how many atoms were re-drawn.
 */
export function updateDictionary(
  D: Float64Array,
  k: number,
  d: number,
  A: Float64Array,
  B: Float64Array,
  X: Float64Array,
  n: number,
  codes: Float64Array | null,
  rng: Rng,
  positive: boolean,
): number {
  let unused = 0;
  const AD = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    const ajj = A[j * k + j]!;
    const row = j * d;
    if (ajj > 1e-6) {
      AD.fill(0);
      for (let t = 0; t < k; t++) {
        const a = A[j * k + t]!;
        if (a === 0) continue;
        const o = t * d;
        for (let f = 0; f < d; f++) AD[f] += a * D[o + f]!;
      }
      const inv = 1 / ajj;
      for (let f = 0; f < d; f++) D[row + f] += (B[f * k + j]! - AD[f]!) * inv;
    } else {
      const i = rng.int(n);
      let m = 0;
      for (let f = 0; f < d; f++) m += X[i * d + f]!;
      m /= d;
      let v = 0;
      for (let f = 0; f < d; f++) v += (X[i * d + f]! - m) ** 2;
      const sd = Math.sqrt(v / d) || 1;
      for (let f = 0; f < d; f++) D[row + f] = X[i * d + f]! + rng.normal(0, 0.01 * sd);
      if (codes) for (let r = 0; r < codes.length / k; r++) codes[r * k + j] = 0;
      unused++;
    }
    if (positive) for (let f = 0; f < d; f++) if (D[row + f]! < 0) D[row + f] = 0;
    let nn = 0;
    for (let f = 0; f < d; f++) nn += D[row + f]! ** 2;
    nn = Math.sqrt(nn);
    if (nn > 1) for (let f = 0; f < d; f++) D[row + f] /= nn;
  }
  return unused;
}

/** ½‖X − Z·D‖² + λ‖Z‖₁ via products (no n × d residual): ½(‖X‖² − 2⟨B, Dᵀ⟩ + ⟨A, DDᵀ⟩) + λΣ|z|. */
export function dictionaryObjective(
  xx: number,
  D: Float64Array,
  k: number,
  d: number,
  codes: Float64Array,
  n: number,
  X: Float64Array,
  alpha: number,
): number {
  const A = new Float64Array(k * k);
  syrk(n, k, codes, A, {});
  const B = new Float64Array(d * k);
  gemm(d, k, n, X, codes, B, { transA: true });
  const DDt = new Float64Array(k * k);
  gemm(k, k, d, D, D, DDt, { transB: true });
  let cross = 0;
  for (let f = 0; f < d; f++) for (let j = 0; j < k; j++) cross += B[f * k + j]! * D[j * d + f]!;
  let quad = 0;
  for (let t = 0; t < k * k; t++) quad += A[t]! * DDt[t]!;
  let l1 = 0;
  for (let t = 0; t < n * k; t++) l1 += Math.abs(codes[t]!);
  return Math.max(0, 0.5 * (xx - 2 * cross + quad)) + alpha * l1;
}

/** SVD start: top right singular vectors × singular values (rows), zero-padded past the rank. */
export function svdDictionary(
  X: F64Matrix,
  k: number,
  randomized?: { nOversamples: number; nIter: number; seed: number },
): { D: Float64Array; U: Float64Array; r: number } {
  const { rows: n, cols: d } = X;
  const r = Math.min(k, n, d);
  const { s, Vt, U } = gramSvd(X, null, r, randomized);
  const rr = s.length;
  flipByScores(U, n, Vt, rr, d);
  const D = new Float64Array(k * d);
  for (let t = 0; t < rr; t++) for (let f = 0; f < d; f++) D[t * d + f] = s[t]! * Vt[t * d + f]!;
  return { D, U, r: rr };
}

export interface DictionaryLearningOptions extends IterativeOptions {
  /** Number of atoms (may exceed nFeatures: overcomplete). Default nFeatures. */
  nComponents?: number;
  /** λ of the ℓ1 penalty. Default 1. */
  alpha?: number;
  /** Maximum iterations. Default 1000. */
  maxIter?: number;
  /** Stop when the objective decreases by less than tol × objective. Default 1e-8. */
  tol?: number;
  /** Lasso solver while learning: 'lars' (default, exact) or 'cd'. */
  fitAlgorithm?: 'lars' | 'cd';
  /** Coding used by transform(): 'omp' (default), 'lasso_lars', 'lasso_cd' or 'threshold'. */
  transformAlgorithm?: SparseCodingAlgorithm;
  /** OMP sparsity for transform; default min(max(⌊d/10⌋, 1), nComponents). */
  transformNNonzeroCoefs?: number;
  /** λ (lasso/threshold) or ε (omp) for transform; default alpha (unset for omp). */
  transformAlpha?: number;
  /** Non-negative codes. Default false. */
  positiveCode?: boolean;
  /** Non-negative atoms. Default false. */
  positiveDict?: boolean;
  /** Seed for re-drawing unused atoms. Default 0. */
  seed?: number;
}

export const DICTIONARY_LEARNING_DEFAULTS: Readonly<DictionaryLearningOptions> = Object.freeze({
  nComponents: undefined,
  alpha: 1,
  maxIter: 1000,
  tol: 1e-8,
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

const TABLE: ConstraintTable<DictionaryLearningOptions> = {
  nComponents: { type: 'int', min: 1 },
  alpha: { type: 'number', min: 0 },
  maxIter: { type: 'int', min: 1 },
  tol: { type: 'number', min: 0 },
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

interface DLFit {
  k: number;
  d: number;
  D: Float64Array;
  nIter: number;
  stopReason: StopReason;
  errors: number[];
  codes: Float64Array;
  n: number;
}

/** Shared transform() of the dictionary learners: codes of X over the learned atoms. */
export function encodeWith(
  o: {
    transformAlgorithm?: SparseCodingAlgorithm;
    transformAlpha?: number;
    transformNNonzeroCoefs?: number;
    alpha?: number;
    positiveCode?: boolean;
  },
  D: Float64Array,
  k: number,
  d: number,
  X: MatrixLike,
): Matrix<Float64Array> {
  const M = toMatrix(X, 'X') as F64Matrix;
  checkFeatures(M, d);
  const alg = o.transformAlgorithm ?? 'omp';
  const codes = sparseEncodeRaw(M.data, 0, M.rows, d, D, k, {
    algorithm: alg,
    alpha: o.transformAlpha ?? (alg === 'omp' ? undefined : o.alpha),
    nNonzeroCoefs: o.transformNNonzeroCoefs !== undefined ? Math.min(o.transformNNonzeroCoefs, k) : undefined,
    positive: o.positiveCode,
  });
  return new Matrix(codes, M.rows, k);
}

/**
 * Batch dictionary learning. `fit(X)` learns `components` (atoms as rows, nComponents × d, each
 * of norm ≤ 1); `transform(X)` codes new data (OMP by default); `objectiveHistory` holds
 * ½‖X − ZD‖² + λ‖Z‖₁ after each iteration.
 *
 * @example
 *   const dl = new DictionaryLearning({ nComponents: 64, alpha: 0.5, maxIter: 20 }).fit(patches);
 *   const atoms = dl.components;
 */
export class DictionaryLearning {
  readonly options: Readonly<DictionaryLearningOptions>;
  private st?: DLFit;

  constructor(options: DictionaryLearningOptions = {}) {
    this.options = validateOptions('DictionaryLearning', DICTIONARY_LEARNING_DEFAULTS, TABLE, options);
  }

  fit(X: MatrixLike): this {
    const M = toMatrix(X, 'X') as F64Matrix;
    const o = this.options;
    const { rows: n, cols: d } = M;
    const k = o.nComponents ?? d;
    const Xd = M.data;
    const init = svdDictionary(M, k);
    const D = init.D;
    // Warm start of the codes (used by 'cd'): the left singular vectors, as scikit-learn.
    let codes: Float64Array = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let t = 0; t < init.r; t++) codes[i * k + t] = init.U[i * init.r + t]!;
    let xx = 0;
    for (let t = 0; t < n * d; t++) xx += Xd[t]! * Xd[t]!;
    const rng = new Rng(o.seed);
    const alpha = o.alpha!;
    const errors: number[] = [];
    const reporter = new ProgressReporter(o, o.maxIter!);
    const A = new Float64Array(k * k);
    const B = new Float64Array(d * k);
    let stop: StopReason = 'maxIter';
    let it = 0;
    for (; it < o.maxIter!; it++) {
      codes = sparseEncodeRaw(Xd, 0, n, d, D, k, {
        algorithm: o.fitAlgorithm === 'cd' ? 'lasso_cd' : 'lasso_lars',
        alpha,
        init: o.fitAlgorithm === 'cd' ? codes : undefined,
        positive: o.positiveCode,
        maxIter: 1000,
      });
      syrk(n, k, codes, A, {});
      gemm(d, k, n, Xd, codes, B, { transA: true });
      updateDictionary(D, k, d, A, B, Xd, n, codes, rng, o.positiveDict!);
      const cost = dictionaryObjective(xx, D, k, d, codes, n, Xd, alpha);
      errors.push(cost);
      const r = reporter.report(it + 1, cost);
      if (it > 0) {
        const dE = errors[errors.length - 2]! - cost;
        if (dE < o.tol! * cost) {
          stop = 'converged';
          it++;
          break;
        }
      }
      if (r) {
        stop = r;
        it++;
        break;
      }
    }
    this.st = { k, d, D, nIter: Math.min(it, o.maxIter!), stopReason: stop, errors, codes, n };
    return this;
  }

  /** Fits and returns the codes of the training data found by the last iteration. */
  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    this.fit(X);
    const s = this.s;
    return new Matrix(s.codes.slice(), s.n, s.k);
  }

  private get s(): DLFit {
    return fitted(this.st, 'DictionaryLearning');
  }
  /** Atoms as rows, nComponents × nFeatures, each with ‖atom‖ ≤ 1. */
  get components(): Matrix<Float64Array> {
    const s = this.s;
    return new Matrix(s.D.slice(), s.k, s.d);
  }
  get nIter(): number {
    return this.s.nIter;
  }
  get stopReason(): StopReason {
    return this.s.stopReason;
  }
  /** ½‖X − ZD‖² + λ‖Z‖₁ after each iteration (never increasing). */
  get objectiveHistory(): number[] {
    return this.s.errors.slice();
  }

  transform(X: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    return encodeWith(this.options, s.D, s.k, s.d, X);
  }

  getState(): ModelState {
    const s = this.s;
    return {
      className: 'DictionaryLearning',
      version: 1,
      options: serialisableOptions(this.options),
      meta: { k: s.k, d: s.d, n: s.n, nIter: s.nIter, stopReason: s.stopReason, errors: s.errors },
      arrays: { D: { data: s.D, shape: [s.k, s.d] } },
    };
  }

  static fromState(state: ModelState): DictionaryLearning {
    const m = new DictionaryLearning(state.options as DictionaryLearningOptions);
    const meta = state.meta as Record<string, unknown>;
    m.st = {
      k: meta.k as number,
      d: meta.d as number,
      n: 0,
      nIter: meta.nIter as number,
      stopReason: meta.stopReason as StopReason,
      errors: (meta.errors as number[]).slice(),
      D: stateArray(state, 'D', Float64Array).data,
      codes: new Float64Array(0),
    };
    return m;
  }
}

registerModel('DictionaryLearning', (s) => DictionaryLearning.fromState(s));
