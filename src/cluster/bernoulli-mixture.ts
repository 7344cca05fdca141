/**
 * BernoulliMixture — a mixture of K multivariate Bernoulli distributions ("K bags of D coins")
 * fitted by EM in log space (seed deck 004, "Mixture of Bernoullis for binary data" and "EM for
 * mixtures of Bernoullis"; Bishop, PRML §9.3.3; Murphy, MLaPP §11.4.2.1 with the MNIST 3/5/8 example).
 *
 * Model p(x) = Σ_k π_k Π_j μ_kj^x_j (1 − μ_kj)^(1−x_j). Maximises the penalised log-likelihood
 *   Σ_i log p(x_i) + α Σ_kj [log μ_kj + log(1 − μ_kj)]     (a symmetric Beta(α+1, α+1) prior),
 * which never decreases across EM iterations:
 *   E step  log r_ik = log π_k + Σ_j x_ij logit μ_kj + Σ_j log(1 − μ_kj) − log-sum-exp_k(·)
 *           (the x·logit μ products are one gemm, n×d · d×K)
 *   M step  π_k = r_k / N,  μ_kj = (Σ_i r_ik x_ij + α) / (r_k + 2α)     (MAP; Laplace for α = 1)
 * The prior is the smoothing: no μ reaches 0 or 1, so no log is ever −∞ (plain ML EM on MNIST puts
 * μ = 0 on border pixels and breaks on the first test digit with ink there). `lowerBound` is the
 * unpenalised mean log-likelihood; `objective` the penalised one (per sample).
 *
 * Inputs are expected binary; values in [0, 1] are accepted and act as expected counts.
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
import { ProgressReporter, type IterativeOptions, type StopReason } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { checkFeatures, toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { gemm, HeapBuffers } from '../kernels/index.js';
import { normalise } from './gmm.js';
import { argmaxRows, MixtureModel, type MixtureLogProb } from './mixture.js';
import { KMeans } from './kmeans.js';

export interface BernoulliMixtureOptions extends IterativeOptions {
  /** Number of components K (integer >= 1; default 2). */
  nComponents: number;
  /** Beta prior pseudo-count α added to each pixel's on and off counts (>= 0; default 1, Laplace). */
  alpha: number;
  /** Stop when the penalised objective per sample changes by less than this (>= 0; default 1e-4). */
  tol: number;
  /** EM iterations per initialisation (integer >= 1; default 100). */
  maxIter: number;
  /** Initialisations; the highest objective is kept (integer >= 1; default 1). */
  nInit: number;
  /** 'kmeans' (default: responsibilities from a k-means run), 'random' (random responsibilities),
   * 'random_from_data' (K random points as the first means, smoothed). */
  initParams: 'kmeans' | 'random' | 'random_from_data';
  seed: number;
}

export const BERNOULLI_MIXTURE_DEFAULTS: Readonly<BernoulliMixtureOptions> = Object.freeze({
  nComponents: 2,
  alpha: 1,
  tol: 1e-4,
  maxIter: 100,
  nInit: 1,
  initParams: 'kmeans',
  seed: 0,
  onProgress: undefined,
  signal: undefined,
});

const TABLE: ConstraintTable<BernoulliMixtureOptions> = {
  nComponents: { type: 'int', min: 1 },
  alpha: { type: 'number', min: 0 },
  tol: { type: 'number', min: 0 },
  maxIter: { type: 'int', min: 1 },
  nInit: { type: 'int', min: 1 },
  initParams: { type: 'enum', values: ['kmeans', 'random', 'random_from_data'] },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

const TINY = 1e-300;

interface Params {
  weights: Float64Array;
  means: Float64Array;
}

/** Weighted log-probabilities log π_k + log p(x_i | μ_k) into out (n×k). */
function weightedLogProb(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  p: Params,
  logit: Float64Array,
  out: Float64Array,
): void {
  const c0 = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = Math.log(p.weights[c]! + TINY);
    for (let j = 0; j < d; j++) {
      const m = p.means[c * d + j]!;
      logit[c * d + j] = Math.log(m) - Math.log1p(-m);
      s += Math.log1p(-m);
    }
    c0[c] = s;
  }
  gemm(n, k, d, X, logit, out, { transB: true });
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] += c0[c]!;
}

/** MAP M step from responsibilities (n×k). */
function mStep(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  alpha: number,
  resp: Float64Array,
  p: Params,
): void {
  const nk = p.weights;
  nk.fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) nk[c] += resp[i * k + c]!;
  gemm(k, d, n, resp, X, p.means, { transA: true });
  for (let c = 0; c < k; c++) {
    // α = 0 and an empty component: keep μ at ½ rather than 0/0.
    const den = nk[c]! + 2 * alpha;
    for (let j = 0; j < d; j++) {
      const v = den > 0 ? (p.means[c * d + j]! + alpha) / den : 0.5;
      // With α = 0 a pixel can reach 0 or 1: clamp to the nearest representable interior.
      p.means[c * d + j] = v <= 0 ? 1e-12 : v >= 1 ? 1 - 1e-12 : v;
    }
  }
  let s = 0;
  for (let c = 0; c < k; c++) s += nk[c]!;
  for (let c = 0; c < k; c++) nk[c] = nk[c]! / s;
}

function logPrior(p: Params, k: number, d: number, alpha: number): number {
  if (alpha === 0) return 0;
  let s = 0;
  for (let i = 0; i < k * d; i++) s += Math.log(p.means[i]!) + Math.log1p(-p.means[i]!);
  return alpha * s;
}

/**
 * @example
 * const b = new BernoulliMixture({ nComponents: 3 }).fit(binaryDigits); // rows of 0/1 pixels
 * imageGridPng(b.means, { width: 28, height: 28, normalize: 'none' });
 */
export class BernoulliMixture extends MixtureModel {
  readonly options: Readonly<BernoulliMixtureOptions>;
  private p_?: Params;
  private d_?: number;
  private lowerBound_?: number;
  private objective_?: number;
  private history_?: number[];
  private converged_?: boolean;
  private nIter_?: number;
  private labels_?: Int32Array;
  private stopReason_?: StopReason;

  constructor(options: Partial<BernoulliMixtureOptions> = {}) {
    super();
    this.options = validateOptions('BernoulliMixture', BERNOULLI_MIXTURE_DEFAULTS, TABLE, options);
  }

  private get p(): Params {
    return fitted(this.p_, 'BernoulliMixture');
  }
  /** Mixing weights π (nComponents). */
  get weights(): Float64Array {
    return this.p.weights;
  }
  /** Pixel probabilities μ, nComponents × nFeatures (render each row as an image). */
  get means(): Matrix<Float64Array> {
    return new Matrix(this.p.means, this.options.nComponents, this.d_!);
  }
  /** Mean log-likelihood of the training data under the fitted model (before the last M step, as GaussianMixture). */
  get lowerBound(): number {
    return fitted(this.lowerBound_, 'BernoulliMixture');
  }
  /** Penalised objective per sample (log-likelihood + log prior, / N) after each iteration. */
  get objectiveHistory(): number[] {
    return fitted(this.history_, 'BernoulliMixture');
  }
  /** Final penalised objective per sample (the last objectiveHistory entry). */
  get objective(): number {
    return fitted(this.objective_, 'BernoulliMixture');
  }
  /** Whether the best run stopped on tol (not on maxIter or a callback). */
  get converged(): boolean {
    return fitted(this.converged_, 'BernoulliMixture');
  }
  /** Iterations of the kept run. */
  get nIter(): number {
    return fitted(this.nIter_, 'BernoulliMixture');
  }
  /** Why the kept run stopped: 'converged', 'maxIter', 'callback' or 'aborted'. */
  get stopReason(): StopReason {
    return fitted(this.stopReason_, 'BernoulliMixture');
  }
  /** Most probable component of each training point (nSamples). */
  get labels(): Int32Array {
    return fitted(this.labels_, 'BernoulliMixture');
  }

  private static check(M: Matrix): void {
    const a = M.data;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v < 0 || v > 1) {
        const d = M.cols;
        throw new ValidationError(
          `X must hold binary values (or probabilities in [0, 1]); X[${Math.floor(i / d)}, ${i % d}] = ${v}`,
        );
      }
    }
  }

  /** Fits the mixture by EM on X (nSamples × nFeatures, values in [0, 1]); returns this. */
  fit(X: MatrixLike): this {
    const o = this.options;
    const M = toMatrix(X, 'X');
    BernoulliMixture.check(M);
    const n = M.rows;
    const d = M.cols;
    const k = o.nComponents;
    if (n < k) throw new ValidationError(`nSamples=${n} must be >= nComponents=${k}`);
    const scratch = new HeapBuffers();
    try {
      const Xd = scratch.f64(n * d);
      Xd.set(M.data as Float64Array);
      const lp = scratch.f64(n * k);
      const resp = scratch.f64(n * k);
      const logit = scratch.f64(k * d);
      const rng = new Rng(o.seed);
      const reporter = new ProgressReporter(o, o.maxIter * o.nInit);
      let best: Params | null = null;
      let bestObj = -Infinity;
      let bestLb = -Infinity;
      let bestIter = 0;
      let bestHist: number[] = [];
      let converged = false;
      let stop: StopReason = 'maxIter';
      let step = 0;
      outer: for (let run = 0; run < o.nInit; run++) {
        const p = this.initialise(Xd, n, d, k, resp, rng);
        let obj = -Infinity;
        let lb = -Infinity;
        const hist: number[] = [];
        let it = 1;
        for (; it <= o.maxIter; it++) {
          const prev = obj;
          weightedLogProb(Xd, n, d, k, p, logit, lp);
          lb = normalise(lp, n, k, null);
          obj = lb + logPrior(p, k, d, o.alpha) / n;
          for (let i = 0; i < n * k; i++) resp[i] = Math.exp(lp[i]!);
          mStep(Xd, n, d, k, o.alpha, resp, p);
          hist.push(obj);
          const r = reporter.report(++step, -obj, {
            lowerBound: lb,
            run,
            stage: `init ${run + 1}/${o.nInit}`,
          });
          if (Math.abs(obj - prev) < o.tol) {
            converged = true;
            break;
          }
          if (r) {
            stop = r;
            if (obj > bestObj || best === null)
              [best, bestObj, bestLb, bestIter, bestHist] = [p, obj, lb, it, hist];
            break outer;
          }
        }
        if (obj > bestObj || best === null)
          [best, bestObj, bestLb, bestIter, bestHist] = [p, obj, lb, Math.min(it, o.maxIter), hist];
      }
      this.p_ = best!;
      this.d_ = d;
      this.objective_ = bestObj;
      this.lowerBound_ = bestLb;
      this.history_ = bestHist;
      this.nIter_ = bestIter;
      this.converged_ = converged;
      this.stopReason_ = stop === 'maxIter' && converged ? 'converged' : stop;
      weightedLogProb(Xd, n, d, k, best!, logit, lp);
      this.labels_ = argmaxRows(lp, n, k);
      return this;
    } finally {
      scratch.release();
    }
  }

  private initialise(X: Float64Array, n: number, d: number, k: number, resp: Float64Array, rng: Rng): Params {
    const o = this.options;
    const p: Params = { weights: new Float64Array(k), means: new Float64Array(k * d) };
    resp.fill(0);
    if (o.initParams === 'kmeans') {
      const lab = new KMeans({ nClusters: k, nInit: 1, seed: rng.int(0x7fffffff) }).fit(
        new Matrix(X, n, d),
      ).labels;
      for (let i = 0; i < n; i++) resp[i * k + lab[i]!] = 1;
    } else if (o.initParams === 'random') {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += resp[i * k + c] = rng.random();
        for (let c = 0; c < k; c++) resp[i * k + c] /= s;
      }
    } else {
      const idx = rng.sampleWithoutReplacement(n, k);
      for (let c = 0; c < k; c++) resp[idx[c]! * k + c] = 1;
    }
    // One M step; the smoothing needs a positive α to keep one-point means off 0 and 1.
    mStep(X, n, d, k, Math.max(o.alpha, 1e-2), resp, p);
    return p;
  }

  protected logProb(X: MatrixLike): MixtureLogProb {
    const p = this.p;
    const M = toMatrix(X, 'X');
    checkFeatures(M, this.d_!);
    BernoulliMixture.check(M);
    const n = M.rows;
    const k = this.options.nComponents;
    const lp = new Float64Array(n * k);
    weightedLogProb(M.data as Float64Array, n, this.d_!, k, p, new Float64Array(k * this.d_!), lp);
    const norm = new Float64Array(n);
    normalise(lp, n, k, norm);
    return { lp, n, norm };
  }

  /** fit(X) then its labels (nSamples). */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }

  /** Number of free parameters: the K·d Bernoulli means and K − 1 weights. */
  nParameters(): number {
    return this.options.nComponents * fitted(this.d_, 'BernoulliMixture') + this.options.nComponents - 1;
  }

  /** Draws binary samples (nSamples × nFeatures) and their components. */
  sample(nSamples: number, seed = this.options.seed): { X: Matrix<Float64Array>; y: Int32Array } {
    const p = this.p;
    if (!Number.isInteger(nSamples) || nSamples < 1)
      throw new ValidationError(`nSamples must be an integer >= 1; got ${nSamples}`);
    const d = this.d_!;
    const rng = new Rng(seed);
    const X = new Float64Array(nSamples * d);
    const y = new Int32Array(nSamples);
    for (let i = 0; i < nSamples; i++) {
      const c = rng.choice(p.weights);
      y[i] = c;
      for (let j = 0; j < d; j++) X[i * d + j] = rng.random() < p.means[c * d + j]! ? 1 : 0;
    }
    return { X: new Matrix(X, nSamples, d), y };
  }

  /** The fitted state, for io/saveModel. */
  getState(): ModelState {
    const p = this.p;
    const k = this.options.nComponents;
    return {
      className: 'BernoulliMixture',
      version: 1,
      options: serialisableOptions(this.options),
      meta: {
        lowerBound: this.lowerBound,
        objective: this.objective,
        converged: this.converged,
        nIter: this.nIter,
        stopReason: this.stopReason,
        nFeatures: this.d_,
      },
      arrays: {
        weights: { data: p.weights, shape: [k] },
        means: { data: p.means, shape: [k, this.d_!] },
        labels: { data: this.labels, shape: [this.labels.length] },
      },
    };
  }

  /** Rebuilds a fitted model from its state (used by loadModel). */
  static fromState(state: ModelState): BernoulliMixture {
    const m = new BernoulliMixture(state.options as Partial<BernoulliMixtureOptions>);
    m.p_ = {
      weights: Float64Array.from(stateArray(state, 'weights', Float64Array).data),
      means: Float64Array.from(stateArray(state, 'means', Float64Array).data),
    };
    m.d_ = Number(state.meta.nFeatures);
    m.lowerBound_ = Number(state.meta.lowerBound);
    m.objective_ = Number(state.meta.objective);
    m.converged_ = Boolean(state.meta.converged);
    m.nIter_ = Number(state.meta.nIter);
    m.stopReason_ = state.meta.stopReason as StopReason;
    m.history_ = [];
    m.labels_ = Int32Array.from(stateArray(state, 'labels', Int32Array).data);
    return m;
  }
}

registerModel('BernoulliMixture', (s) => BernoulliMixture.fromState(s));
