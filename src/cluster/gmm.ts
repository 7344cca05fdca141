/**
 * GaussianMixture — a mixture of K Gaussians fitted by expectation–maximisation (seed deck 004,
 * "Mixture of Gaussians" and "EM algorithm for GMMs"; Dempster, Laird & Rubin 1977), as
 * scikit-learn 1.2's `sklearn.mixture.GaussianMixture`.
 *
 * Model p(x) = Σ_k π_k N(x | μ_k, Σ_k). EM maximises the mean log-likelihood
 * L = (1/N) Σ_i log Σ_k π_k N(x_i | μ_k, Σ_k), which never decreases across iterations:
 *   E step  r_ik = π_k N(x_i|μ_k,Σ_k) / Σ_k' π_k' N(x_i|μ_k',Σ_k')   (in log space, log-sum-exp)
 *   M step  π_k = r_k/N, μ_k = Σ_i r_ik x_i / r_k, Σ_k = Σ_i r_ik (x_i−μ_k)(x_i−μ_k)ᵀ / r_k + regCovar·I
 * Covariance types: 'full' (one Σ_k each), 'tied' (one Σ shared), 'diag', 'spherical' (σ_k² I).
 * Densities use the Cholesky factor of each precision (P = Σ⁻¹ = UUᵀ): log N = −½(d log 2π +
 * ‖(x−μ)ᵀU‖²) + log det U, so no matrix is ever inverted explicitly. Stops when the lower bound
 * changes by less than `tol`; with `nInit` restarts keeps the highest lower bound. As scikit-learn, a
 * final E step makes `labels` agree with `predict(X)`.
 *
 * Dense products (x·U per component, Rᵀ·X, weighted scatter matrices) go through gemm/syrk.
 */
import { NumericalError, ValidationError } from '../core/errors.js';
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
import {
  assertFiniteArray,
  checkFeatures,
  toMatrix,
  validateOptions,
  type ConstraintTable,
} from '../core/validate.js';
import { gemm, rowSqNorms, syrk, HeapBuffers } from '../kernels/index.js';
import { cholesky, solveTriangular } from '../linalg/index.js';
import { KMeans } from './kmeans.js';
import { kmeansPlusPlus } from './kmeans-core.js';
import { argmaxRows, MixtureModel, type MixtureLogProb } from './mixture.js';

export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';
export type MixtureInit = 'kmeans' | 'k-means++' | 'random' | 'random_from_data';

export interface GaussianMixtureOptions extends IterativeOptions {
  /** Number of components K (integer >= 1; default 1). */
  nComponents: number;
  /** 'full' (default), 'tied', 'diag' or 'spherical'. */
  covarianceType: CovarianceType;
  /** Convergence threshold on the change of the mean log-likelihood lower bound (>= 0; default 1e-3). */
  tol: number;
  /** Added to the covariance diagonals so they stay positive definite (>= 0; default 1e-6). */
  regCovar: number;
  /** EM iterations per initialisation (integer >= 1; default 100). */
  maxIter: number;
  /** Initialisations; the one with the highest lower bound is kept (integer >= 1; default 1). */
  nInit: number;
  /** How the first responsibilities are made: 'kmeans' (default; labels of a k-means run),
   * 'k-means++' (seeds only), 'random' (uniform, normalised), 'random_from_data' (K random points). */
  initParams: MixtureInit;
  /** Initial weights (K, summing to 1); overrides the init's. */
  weightsInit?: ArrayLike<number>;
  /** Initial means (K × d); overrides the init's. */
  meansInit?: Matrix | number[][];
  /** Initial precisions (inverse covariances), in the covariance type's shape: full K×d×d, tied d×d,
   * diag K×d, spherical K — as nested arrays or a flat array. */
  precisionsInit?: ArrayLike<number> | number[][] | number[][][];
  /** Seed (default 0). */
  seed: number;
}

export const GAUSSIAN_MIXTURE_DEFAULTS: Readonly<GaussianMixtureOptions> = Object.freeze({
  nComponents: 1,
  covarianceType: 'full',
  tol: 1e-3,
  regCovar: 1e-6,
  maxIter: 100,
  nInit: 1,
  initParams: 'kmeans',
  weightsInit: undefined,
  meansInit: undefined,
  precisionsInit: undefined,
  seed: 0,
  onProgress: undefined,
  signal: undefined,
});

const TABLE: ConstraintTable<GaussianMixtureOptions> = {
  nComponents: { type: 'int', min: 1 },
  covarianceType: { type: 'enum', values: ['full', 'tied', 'diag', 'spherical'] },
  tol: { type: 'number', min: 0 },
  regCovar: { type: 'number', min: 0 },
  maxIter: { type: 'int', min: 1 },
  nInit: { type: 'int', min: 1 },
  initParams: { type: 'enum', values: ['kmeans', 'k-means++', 'random', 'random_from_data'] },
  weightsInit: { type: 'object' },
  meansInit: { type: 'object' },
  precisionsInit: { type: 'object' },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

const EPS10 = 10 * 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);

/** Number of floats of the covariance / precision arrays for a type. */
function covSize(type: CovarianceType, k: number, d: number): number {
  return type === 'full' ? k * d * d : type === 'tied' ? d * d : type === 'diag' ? k * d : k;
}

function covShape(type: CovarianceType, k: number, d: number): number[] {
  return type === 'full' ? [k, d, d] : type === 'tied' ? [d, d] : type === 'diag' ? [k, d] : [k];
}

/** Fitted parameters of one EM run. */
interface Params {
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  /** Cholesky factors of the precisions (full/tied: U with UUᵀ = Σ⁻¹, row-major d×d each). */
  precChol: Float64Array;
}

/** U = L⁻ᵀ for Σ = LLᵀ (scikit-learn's `_compute_precision_cholesky`). */
function precisionCholesky(
  cov: Float64Array,
  type: CovarianceType,
  k: number,
  d: number,
  out: Float64Array,
): void {
  const fail = () =>
    new NumericalError(
      'Fitting the mixture model failed because some components have ill-defined empirical covariance ' +
        '(for instance caused by singleton or collapsed samples). Try to decrease the number of components, ' +
        'or increase regCovar.',
    );
  if (type === 'full' || type === 'tied') {
    const m = type === 'full' ? k : 1;
    const I = new Matrix(new Float64Array(d * d), d, d);
    for (let t = 0; t < d; t++) I.data[t * d + t] = 1;
    for (let c = 0; c < m; c++) {
      const S = new Matrix(cov.subarray(c * d * d, (c + 1) * d * d), d, d);
      let L: Matrix<Float64Array>;
      try {
        L = cholesky(S);
      } catch {
        throw fail();
      }
      const Linv = solveTriangular(L, I, { lower: true });
      // U = (L⁻¹)ᵀ
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) out[c * d * d + a * d + b] = Linv.data[b * d + a]!;
    }
    return;
  }
  for (let i = 0; i < cov.length; i++) {
    if (!(cov[i]! > 0)) throw fail();
    out[i] = 1 / Math.sqrt(cov[i]!);
  }
}

/** log det of the precision Cholesky factor per component. */
function logDetChol(pc: Float64Array, type: CovarianceType, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    if (type === 'full' || type === 'tied') {
      const o = type === 'full' ? c * d * d : 0;
      for (let t = 0; t < d; t++) s += Math.log(pc[o + t * d + t]!);
    } else if (type === 'diag') {
      for (let t = 0; t < d; t++) s += Math.log(pc[c * d + t]!);
    } else s = d * Math.log(pc[c]!);
    out[c] = s;
  }
  return out;
}

/** Buffers shared by the E and M steps of one fit. */
class Work {
  readonly Y: Float64Array;
  readonly logProb: Float64Array;
  readonly resp: Float64Array;
  readonly muU: Float64Array;
  readonly kd: Float64Array;
  readonly dd: Float64Array;
  X2?: Float64Array;
  xNorm?: Float64Array;
  XtX?: Float64Array;
  /** d × K·d: the precision factors side by side (full covariances). */
  readonly ucat: Float64Array | null;
  constructor(
    readonly n: number,
    readonly d: number,
    readonly k: number,
    s: HeapBuffers,
  ) {
    // Y holds n × d (M step) or a row block × K·d (E step): at least n·d, at most ~16 MB more.
    this.Y = s.f64(Math.max(n * d, Math.min(n, Math.max(1, Math.floor((2 << 20) / (k * d)))) * k * d));
    this.ucat = s.f64(d * k * d);
    this.logProb = s.f64(n * k);
    this.resp = s.f64(n * k);
    this.muU = new Float64Array(d);
    this.kd = s.f64(k * d);
    this.dd = s.f64(d * d);
  }
}

/** Weighted log densities log π_k + log N(x_i | μ_k, Σ_k) into w.logProb (n×k). */
function weightedLogProb(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  type: CovarianceType,
  p: Params,
  w: Work,
  out: Float64Array,
): void {
  const logDet = logDetChol(p.precChol, type, k, d);
  if (type === 'full' && k > 1) {
    // All components in one product per row block: Y_b = X_b · [U_1 … U_K] (b × K·d), a wider
    // gemm than K separate d-column ones; then ‖y − μ_k U_k‖² per component.
    const kd = k * d;
    const Ucat = w.ucat!;
    for (let c = 0; c < k; c++) {
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) Ucat[a * kd + c * d + b] = p.precChol[c * d * d + a * d + b]!;
      }
    }
    const muU = w.kd; // K × d: μ_k U_k
    for (let c = 0; c < k; c++) {
      for (let b = 0; b < d; b++) {
        let sum = 0;
        for (let a = 0; a < d; a++) sum += p.means[c * d + a]! * p.precChol[c * d * d + a * d + b]!;
        muU[c * d + b] = sum;
      }
    }
    const logW = Float64Array.from(p.weights, (v) => Math.log(v));
    const Y = w.Y;
    const block = Math.max(1, Math.floor(Y.length / kd));
    for (let s0 = 0; s0 < n; s0 += block) {
      const bsz = Math.min(block, n - s0);
      gemm(bsz, kd, d, X, Ucat, Y, { aOffset: s0 * d });
      for (let r = 0; r < bsz; r++) {
        const yo = r * kd;
        const oo = (s0 + r) * k;
        for (let c = 0; c < k; c++) {
          let sum = 0;
          const co = c * d;
          for (let b = 0; b < d; b++) {
            const v = Y[yo + co + b]! - muU[co + b]!;
            sum += v * v;
          }
          out[oo + c] = -0.5 * (d * LOG_2PI + sum) + logDet[c]! + logW[c]!;
        }
      }
    }
    return;
  }
  if (type === 'full' || type === 'tied') {
    const Y = w.Y;
    for (let c = 0; c < k; c++) {
      const o = type === 'full' ? c * d * d : 0;
      if (type === 'full' || c === 0) gemm(n, d, d, X, p.precChol, Y, { bOffset: o });
      // μ_k·U
      const muU = w.muU;
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += p.means[c * d + a]! * p.precChol[o + a * d + b]!;
        muU[b] = s;
      }
      for (let i = 0; i < n; i++) {
        let s = 0;
        const r = i * d;
        for (let b = 0; b < d; b++) {
          const v = Y[r + b]! - muU[b]!;
          s += v * v;
        }
        out[i * k + c] = -0.5 * (d * LOG_2PI + s) + logDet[c]! + Math.log(p.weights[c]!);
      }
    }
    return;
  }
  // diag / spherical: Σ μ²p − 2 x·(μp) + x²·p, through one gemm.
  const prec = new Float64Array(type === 'diag' ? k * d : k);
  for (let i = 0; i < prec.length; i++) prec[i] = p.precChol[i]! * p.precChol[i]!;
  const MP = w.kd; // k×d: μ_k ⊙ p_k
  const c0 = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const pk = type === 'diag' ? prec[c * d + t]! : prec[c]!;
      const m = p.means[c * d + t]!;
      MP[c * d + t] = m * pk;
      s += m * m * pk;
    }
    c0[c] = s;
  }
  gemm(n, k, d, X, MP, out, { transB: true, alpha: -2 });
  if (type === 'diag') {
    // + X² · precᵀ
    gemm(n, k, d, w.X2!, prec, out, { transB: true, beta: 1 });
  } else {
    const xn = w.xNorm!;
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] += xn[i]! * prec[c]!;
  }
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const lp = out[i * k + c]! + c0[c]!;
      out[i * k + c] = -0.5 * (d * LOG_2PI + lp) + logDet[c]! + Math.log(p.weights[c]!);
    }
  }
}

/** Row-wise log-sum-exp of logProb (n×k) into norm (n); logProb becomes log responsibilities. */
export function normalise(logProb: Float64Array, n: number, k: number, norm: Float64Array | null): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let m = -Infinity;
    for (let c = 0; c < k; c++) if (logProb[o + c]! > m) m = logProb[o + c]!;
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(logProb[o + c]! - m);
    const lse = m === -Infinity ? -Infinity : m + Math.log(s);
    for (let c = 0; c < k; c++) logProb[o + c] = logProb[o + c]! - lse;
    if (norm) norm[i] = lse;
    total += lse;
  }
  return total / n;
}

/** M step from responsibilities (n×k, not logs): scikit-learn's `_estimate_gaussian_parameters`. */
function estimateParameters(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  type: CovarianceType,
  reg: number,
  resp: Float64Array,
  w: Work,
  p: Params,
): void {
  const nk = p.weights;
  nk.fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) nk[c] += resp[i * k + c]!;
  for (let c = 0; c < k; c++) nk[c] += EPS10;
  // means = Rᵀ X / nk
  gemm(k, d, n, resp, X, p.means, { transA: true });
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) p.means[c * d + t] /= nk[c]!;
  const cov = p.covariances;
  if (type === 'full') {
    const W = w.Y;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) {
        const s = Math.sqrt(resp[i * k + c]!);
        for (let t = 0; t < d; t++) W[i * d + t] = s * (X[i * d + t]! - p.means[c * d + t]!);
      }
      syrk(n, d, W, w.dd);
      const o = c * d * d;
      for (let t = 0; t < d * d; t++) cov[o + t] = w.dd[t]! / nk[c]!;
      for (let t = 0; t < d; t++) cov[o + t * d + t] += reg;
    }
  } else if (type === 'tied') {
    const XtX = w.XtX!;
    let sum = 0;
    for (let c = 0; c < k; c++) sum += nk[c]!;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let m2 = 0;
        for (let c = 0; c < k; c++) m2 += nk[c]! * p.means[c * d + a]! * p.means[c * d + b]!;
        cov[a * d + b] = (XtX[a * d + b]! - m2) / sum;
      }
    }
    for (let t = 0; t < d; t++) cov[t * d + t] += reg;
  } else {
    // avg_X2 = Rᵀ X² / nk; cov = avg_X2 − 2 μ·(RᵀX/nk) + μ² + reg
    const A = w.kd;
    gemm(k, d, n, resp, w.X2!, A, { transA: true });
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const m = p.means[c * d + t]!;
        const v = A[c * d + t]! / nk[c]! - 2 * (m * m) + m * m + reg;
        if (type === 'diag') cov[c * d + t] = v;
        s += v;
      }
      if (type === 'spherical') cov[c] = s / d;
    }
  }
  precisionCholesky(cov, type, k, d, p.precChol);
}

function nestedToFlat(v: unknown, name: string): number[] {
  const out: number[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'number') out.push(x);
    else if (x && typeof x === 'object' && typeof (x as ArrayLike<unknown>).length === 'number') {
      const a = x as ArrayLike<unknown>;
      for (let i = 0; i < a.length; i++) walk(a[i]);
    } else throw new ValidationError(`${name} must hold only numbers; got ${String(x)}`);
  };
  walk(v);
  return out;
}

/**
 * @example
 * const g = new GaussianMixture({ nComponents: 10, covarianceType: 'full', seed: 0 }).fit(Z);
 * g.predictProba(Z); g.bic(Z); g.sample(100).X;
 */
export class GaussianMixture extends MixtureModel {
  readonly options: Readonly<GaussianMixtureOptions>;
  private p_?: Params;
  private d_?: number;
  private lowerBound_?: number;
  private converged_?: boolean;
  private nIter_?: number;
  private labels_?: Int32Array;
  private stopReason_?: StopReason;
  private lowerBounds_?: number[];

  constructor(options: Partial<GaussianMixtureOptions> = {}) {
    super();
    this.options = validateOptions('GaussianMixture', GAUSSIAN_MIXTURE_DEFAULTS, TABLE, options);
  }

  private get p(): Params {
    return fitted(this.p_, 'GaussianMixture');
  }
  /** Mixing weights π (nComponents). */
  get weights(): Float64Array {
    return this.p.weights;
  }
  /** Component means, nComponents × nFeatures. */
  get means(): Matrix<Float64Array> {
    return new Matrix(this.p.means, this.options.nComponents, this.d_!);
  }
  /** Covariances, flat, in the type's shape (`covariancesShape`): full K×d×d, tied d×d, diag K×d, spherical K. */
  get covariances(): Float64Array {
    return this.p.covariances;
  }
  /** Shape of `covariances`: full [K, d, d], tied [d, d], diag [K, d], spherical [K]. */
  get covariancesShape(): number[] {
    return covShape(
      this.options.covarianceType,
      this.options.nComponents,
      fitted(this.d_, 'GaussianMixture'),
    );
  }
  /** Cholesky factors of the precision matrices (same shape as covariances). */
  get precisionsCholesky(): Float64Array {
    return this.p.precChol;
  }
  /** Best mean log-likelihood lower bound reached. */
  get lowerBound(): number {
    return fitted(this.lowerBound_, 'GaussianMixture');
  }
  /** Lower bound after each EM iteration of the best run. */
  get lowerBoundHistory(): number[] {
    return fitted(this.lowerBounds_, 'GaussianMixture');
  }
  /** Whether the best run stopped on tol (not on maxIter or a callback). */
  get converged(): boolean {
    return fitted(this.converged_, 'GaussianMixture');
  }
  /** Iterations of the kept run. */
  get nIter(): number {
    return fitted(this.nIter_, 'GaussianMixture');
  }
  /** Why the kept run stopped: 'converged', 'maxIter', 'callback' or 'aborted'. */
  get stopReason(): StopReason {
    return fitted(this.stopReason_, 'GaussianMixture');
  }
  /** Component of each training point (after the final E step). */
  get labels(): Int32Array {
    return fitted(this.labels_, 'GaussianMixture');
  }

  /** Fits the mixture by EM on X (nSamples × nFeatures, nSamples >= 2); returns this. */
  fit(X: MatrixLike): this {
    const o = this.options;
    const M = toMatrix(X, 'X', { minSamples: 2 });
    const n = M.rows;
    const d = M.cols;
    const k = o.nComponents;
    if (n < k) throw new ValidationError(`nSamples=${n} must be >= nComponents=${k}`);
    const type = o.covarianceType;
    const scratch = new HeapBuffers();
    try {
      const Xd = scratch.f64(n * d);
      Xd.set(M.data as Float64Array);
      const w = new Work(n, d, k, scratch);
      if (type === 'diag') {
        w.X2 = scratch.f64(n * d);
        for (let i = 0; i < n * d; i++) w.X2[i] = Xd[i]! * Xd[i]!;
      } else if (type === 'spherical') {
        w.xNorm = new Float64Array(n);
        rowSqNorms(n, d, Xd, w.xNorm);
        w.X2 = scratch.f64(n * d);
        for (let i = 0; i < n * d; i++) w.X2[i] = Xd[i]! * Xd[i]!;
      } else if (type === 'tied') {
        w.XtX = new Float64Array(d * d);
        syrk(n, d, Xd, w.XtX);
      }
      const rng = new Rng(o.seed);
      const reporter = new ProgressReporter(o, o.maxIter * o.nInit);
      let best: Params | null = null;
      let bestLb = -Infinity;
      let bestIter = 0;
      let bestHist: number[] = [];
      let converged = false;
      let stop: StopReason = 'maxIter';
      let step = 0;
      const norm = new Float64Array(n);
      outer: for (let run = 0; run < o.nInit; run++) {
        const p = this.initialise(Xd, n, d, k, w, rng);
        let lb = -Infinity;
        let it = 0;
        const hist: number[] = [];
        for (it = 1; it <= o.maxIter; it++) {
          const prev = lb;
          weightedLogProb(Xd, n, d, k, type, p, w, w.logProb);
          lb = normalise(w.logProb, n, k, norm);
          for (let i = 0; i < n * k; i++) w.resp[i] = Math.exp(w.logProb[i]!);
          estimateParameters(Xd, n, d, k, type, o.regCovar, w.resp, w, p);
          let s = 0;
          for (let c = 0; c < k; c++) s += p.weights[c]!;
          for (let c = 0; c < k; c++) p.weights[c] /= s;
          hist.push(lb);
          const r = reporter.report(++step, -lb, {
            lowerBound: lb,
            run,
            stage: `init ${run + 1}/${o.nInit}`,
          });
          if (Math.abs(lb - prev) < o.tol) {
            converged = true;
            stop = 'converged';
            break;
          }
          if (r) {
            stop = r;
            if (lb > bestLb || bestLb === -Infinity) {
              bestLb = lb;
              best = p;
              bestIter = it;
              bestHist = hist;
            }
            break outer;
          }
        }
        if (lb > bestLb || bestLb === -Infinity) {
          bestLb = lb;
          best = p;
          bestIter = Math.min(it, o.maxIter);
          bestHist = hist;
        }
      }
      this.p_ = best!;
      this.d_ = d;
      this.lowerBound_ = bestLb;
      this.converged_ = converged;
      this.nIter_ = bestIter;
      this.lowerBounds_ = bestHist;
      this.stopReason_ = converged && stop === 'maxIter' ? 'converged' : stop;
      weightedLogProb(Xd, n, d, k, type, best!, w, w.logProb);
      this.labels_ = argmaxRows(w.logProb, n, k);
      return this;
    } finally {
      scratch.release();
    }
  }

  /** Initial parameters: responsibilities from initParams, then one M step, then the overrides. */
  private initialise(X: Float64Array, n: number, d: number, k: number, w: Work, rng: Rng): Params {
    const o = this.options;
    const type = o.covarianceType;
    const resp = w.resp;
    resp.fill(0);
    if (o.initParams === 'kmeans') {
      const km = new KMeans({ nClusters: k, nInit: 1, seed: rng.int(0x7fffffff) }).fit(new Matrix(X, n, d));
      const lab = km.labels;
      for (let i = 0; i < n; i++) resp[i * k + lab[i]!] = 1;
    } else if (o.initParams === 'random') {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) {
          const v = rng.random();
          resp[i * k + c] = v;
          s += v;
        }
        for (let c = 0; c < k; c++) resp[i * k + c] /= s;
      }
    } else if (o.initParams === 'random_from_data') {
      const idx = rng.sampleWithoutReplacement(n, k);
      for (let c = 0; c < k; c++) resp[idx[c]! * k + c] = 1;
    } else {
      const xn = new Float64Array(n);
      rowSqNorms(n, d, X, xn);
      const idx = kmeansPlusPlus(X, n, d, xn, k, rng, 2 + Math.floor(Math.log(k)), new Float64Array(k * d));
      for (let c = 0; c < k; c++) resp[idx[c]! * k + c] = 1;
    }
    const p: Params = {
      weights: new Float64Array(k),
      means: new Float64Array(k * d),
      covariances: new Float64Array(covSize(type, k, d)),
      precChol: new Float64Array(covSize(type, k, d)),
    };
    const hasPrec = o.precisionsInit !== undefined;
    if (hasPrec) {
      // The covariances from the init responsibilities are not used (the first M step replaces them),
      // and may be singular (one-point clusters): compute them without factorising.
      const save = p.precChol;
      try {
        estimateParameters(X, n, d, k, type, o.regCovar, resp, w, p);
      } catch (e) {
        if (!(e instanceof NumericalError)) throw e;
      }
      p.precChol = save;
    } else {
      estimateParameters(X, n, d, k, type, o.regCovar, resp, w, p);
    }
    for (let c = 0; c < k; c++) p.weights[c] /= n;
    if (o.weightsInit !== undefined) {
      const wi = Float64Array.from(nestedToFlat(o.weightsInit, 'weightsInit'));
      if (wi.length !== k)
        throw new ValidationError(`weightsInit has ${wi.length} values, expected nComponents=${k}`);
      let s = 0;
      for (const v of wi) {
        if (!(v >= 0 && v <= 1)) throw new ValidationError('weightsInit must hold values in [0, 1]');
        s += v;
      }
      if (Math.abs(s - 1) > 1e-6) throw new ValidationError(`weightsInit must sum to 1; got ${s}`);
      p.weights.set(wi);
    }
    if (o.meansInit !== undefined) {
      const mi = nestedToFlat(
        o.meansInit instanceof Matrix ? o.meansInit.toArray() : o.meansInit,
        'meansInit',
      );
      if (mi.length !== k * d)
        throw new ValidationError(
          `meansInit has ${mi.length} values, expected nComponents x nFeatures = ${k}x${d}`,
        );
      // A NaN mean used to surface later as a misleading "ill-defined empirical covariance" error.
      assertFiniteArray(mi, 'meansInit');
      p.means.set(mi);
    }
    if (hasPrec) {
      const pi = Float64Array.from(nestedToFlat(o.precisionsInit, 'precisionsInit'));
      const size = covSize(type, k, d);
      if (pi.length !== size)
        throw new ValidationError(
          `precisionsInit has ${pi.length} values, expected ${size} for covarianceType '${type}'`,
        );
      if (type === 'full' || type === 'tied') {
        const m = type === 'full' ? k : 1;
        for (let c = 0; c < m; c++) {
          let L: Matrix<Float64Array>;
          try {
            L = cholesky(new Matrix(pi.subarray(c * d * d, (c + 1) * d * d), d, d));
          } catch {
            throw new ValidationError(`precisionsInit[${c}] is not symmetric positive definite`);
          }
          p.precChol.set(L.data, c * d * d);
        }
      } else {
        for (let i = 0; i < size; i++) {
          if (!(pi[i]! > 0)) throw new ValidationError('precisionsInit must be positive');
          p.precChol[i] = Math.sqrt(pi[i]!);
        }
      }
    }
    return p;
  }

  protected logProb(X: MatrixLike): MixtureLogProb {
    const p = this.p;
    const M = toMatrix(X, 'X');
    checkFeatures(M, this.d_!);
    const n = M.rows;
    const d = this.d_!;
    const k = this.options.nComponents;
    const type = this.options.covarianceType;
    const scratch = new HeapBuffers();
    try {
      const w = new Work(n, d, k, scratch);
      const Xd = M.data as Float64Array;
      if (type === 'diag' || type === 'spherical') {
        w.X2 = new Float64Array(n * d);
        for (let i = 0; i < n * d; i++) w.X2[i] = Xd[i]! * Xd[i]!;
        w.xNorm = new Float64Array(n);
        rowSqNorms(n, d, Xd, w.xNorm);
      }
      const lp = new Float64Array(n * k);
      weightedLogProb(Xd, n, d, k, type, p, w, lp);
      const norm = new Float64Array(n);
      normalise(lp, n, k, norm);
      return { lp, n, norm };
    } finally {
      scratch.release();
    }
  }

  /** fit(X) then its labels (nSamples). */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }

  /** Number of free parameters (scikit-learn's `_n_parameters`). */
  nParameters(): number {
    const d = fitted(this.d_, 'GaussianMixture');
    const k = this.options.nComponents;
    const type = this.options.covarianceType;
    const cov =
      type === 'full'
        ? (k * d * (d + 1)) / 2
        : type === 'diag'
          ? k * d
          : type === 'tied'
            ? (d * (d + 1)) / 2
            : k;
    return cov + k * d + k - 1;
  }

  /**
   * Draws nSamples points from the fitted mixture; returns them grouped by component (as
   * scikit-learn) with their component labels.
   */
  sample(nSamples: number, seed = this.options.seed): { X: Matrix<Float64Array>; y: Int32Array } {
    const p = this.p;
    if (!Number.isInteger(nSamples) || nSamples < 1)
      throw new ValidationError(`nSamples must be an integer >= 1; got ${nSamples}`);
    const d = this.d_!;
    const k = this.options.nComponents;
    const type = this.options.covarianceType;
    const rng = new Rng(seed);
    const counts = new Int32Array(k);
    for (let i = 0; i < nSamples; i++) counts[rng.choice(p.weights)]++;
    const X = new Float64Array(nSamples * d);
    const y = new Int32Array(nSamples);
    const z = new Float64Array(d);
    let row = 0;
    for (let c = 0; c < k; c++) {
      let L: Float64Array | null = null;
      if (type === 'full' || type === 'tied') {
        const o = type === 'full' ? c * d * d : 0;
        L = cholesky(new Matrix(p.covariances.subarray(o, o + d * d), d, d)).data;
      }
      for (let s = 0; s < counts[c]!; s++, row++) {
        rng.fillNormal(z);
        y[row] = c;
        for (let a = 0; a < d; a++) {
          let v = p.means[c * d + a]!;
          if (L) for (let b = 0; b <= a; b++) v += L[a * d + b]! * z[b]!;
          else v += Math.sqrt(type === 'diag' ? p.covariances[c * d + a]! : p.covariances[c]!) * z[a]!;
          X[row * d + a] = v;
        }
      }
    }
    return { X: new Matrix(X, nSamples, d), y };
  }

  /** The fitted state, for io/saveModel. */
  getState(): ModelState {
    const p = this.p;
    const k = this.options.nComponents;
    const d = this.d_!;
    const shape = covShape(this.options.covarianceType, k, d);
    const opts = serialisableOptions(this.options);
    delete opts.weightsInit;
    delete opts.meansInit;
    delete opts.precisionsInit;
    return {
      className: 'GaussianMixture',
      version: 1,
      options: opts,
      meta: {
        lowerBound: this.lowerBound,
        converged: this.converged,
        nIter: this.nIter,
        stopReason: this.stopReason,
        nFeatures: d,
      },
      arrays: {
        weights: { data: p.weights, shape: [k] },
        means: { data: p.means, shape: [k, d] },
        covariances: { data: p.covariances, shape },
        precisionsCholesky: { data: p.precChol, shape },
        labels: { data: this.labels, shape: [this.labels.length] },
      },
    };
  }

  /** Rebuilds a fitted model from its state (used by loadModel). */
  static fromState(state: ModelState): GaussianMixture {
    const m = new GaussianMixture(state.options as Partial<GaussianMixtureOptions>);
    const f = (name: string) => Float64Array.from(stateArray(state, name, Float64Array).data);
    m.p_ = {
      weights: f('weights'),
      means: f('means'),
      covariances: f('covariances'),
      precChol: f('precisionsCholesky'),
    };
    m.d_ = Number(state.meta.nFeatures);
    m.lowerBound_ = Number(state.meta.lowerBound);
    m.converged_ = Boolean(state.meta.converged);
    m.nIter_ = Number(state.meta.nIter);
    m.stopReason_ = state.meta.stopReason as StopReason;
    m.lowerBounds_ = [];
    m.labels_ = Int32Array.from(stateArray(state, 'labels', Int32Array).data);
    return m;
  }
}

registerModel('GaussianMixture', (s) => GaussianMixture.fromState(s));
