/**
 * Principal component analysis.
 *
 * Reference: Pearson (1901), Hotelling (1933); seed 000 (PCA as the directions of maximum variance:
 * the eigenvectors of the covariance Σ̂ with the largest eigenvalues), seed 001 (PCA as the linear
 * autoencoder: the k-dimensional subspace with minimum reconstruction error, whose error is the
 * sum of the discarded eigenvalues), seed 004 (synthesis/analysis views, PCA through the SVD).
 *
 * Objective: with Xc = X − 1·μᵀ, find W (k × d, orthonormal rows) minimising
 *   ‖Xc − Xc Wᵀ W‖²_F  ⇔  maximising tr(W Σ̂ Wᵀ),  Σ̂ = XcᵀXc / (n − 1).
 *
 * Solvers (scikit-learn 1.2 semantics for the fitted attributes):
 *  - 'full': exact. scikit-learn runs LAPACK's SVD of Xc; here the d × d covariance XcᵀXc is formed
 *    with syrk (in row blocks, so X is never copied whole) and eigen-decomposed (linalg.eigh); when
 *    n < d the n × n Gram matrix Xc Xcᵀ is used instead. Same subspace and values; forming the
 *    Gram matrix squares the condition number, which only costs relative accuracy in eigenvalues
 *    far below the largest (≈ 1e-16·λ₁ absolute).
 *  - 'randomized': Halko, Martinsson & Tropp (2011) randomized subspace iteration with q power
 *    iterations and nOversamples extra directions, as scikit-learn. When min(n, d) ≤ 4096 it runs
 *    on the small Gram matrix XcᵀXc (or Xc Xcᵀ), formed once with syrk: C^(q+1)·Ω spans the same
 *    subspace as scikit-learn's Xc(XcᵀXc)^q·Ω, at a fraction of the cost of 2(q + 1) passes over a
 *    tall X (on MNIST 60,000 × 784 the passes would cost ~2.5× the syrk). Larger inputs iterate on
 *    Xc itself with the centring applied inside the products (X is never copied). CholeskyQR2
 *    replaces scikit-learn's LU between power iterations (same subspace, different rounding).
 *  - 'auto' (scikit-learn 1.2): 'full' when max(n, d) ≤ 500 or nComponents is a fraction,
 *    'randomized' when 1 ≤ nComponents < 0.8·min(n, d), else 'full'.
 * Sign convention: scikit-learn's svd_flip (u-based): in each component, the sample with the score
 * of largest magnitude gets a positive score, so results are deterministic and match scikit-learn.
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
import { gemm } from '../kernels/index.js';
import {
  centredGram,
  centredOuterGram,
  centredSquares,
  columnMeans,
  copyBlock,
  flipByScores,
  gramSvd,
  projectRows,
  randomizedSvdCentred,
  synthesize,
  topEigen,
  unwhitenRows,
  whitenColumns,
  type F64Matrix,
} from './_shared.js';

/**
 * Up to this many features (or samples, when fewer), the randomized solver works on the
 * min(n, d)-sized Gram matrix formed with one syrk pass: cheaper than 2·(q + 1) passes over X while
 * the Gram matrix is small (4096² doubles = 128 MB).
 */
const GRAM_LIMIT = 4096;

export interface PCAOptions {
  /**
   * Number of components: an integer in [1, min(nSamples, nFeatures)], or a fraction in (0, 1):
   * keep the fewest components whose explained variance ratio sums past it. Default: all
   * (min(nSamples, nFeatures)).
   */
  nComponents?: number;
  /** 'auto' (default; as scikit-learn 1.2), 'full' (exact) or 'randomized'. */
  svdSolver?: 'auto' | 'full' | 'randomized';
  /** Scale the scores to unit variance (divide by √explainedVariance). Default false. */
  whiten?: boolean;
  /** Power iterations of the randomized solver; 'auto' = 7 if nComponents < 0.1·min(n, d), else 4. */
  iteratedPower?: number | 'auto';
  /** Extra random directions of the randomized solver. Default 10. */
  nOversamples?: number;
  /** Seed of the randomized solver. Default 0. */
  seed?: number;
}

export const PCA_DEFAULTS: Readonly<PCAOptions> = Object.freeze({
  nComponents: undefined,
  svdSolver: 'auto',
  whiten: false,
  iteratedPower: 'auto',
  nOversamples: 10,
  seed: 0,
});

const TABLE: ConstraintTable<PCAOptions> = {
  nComponents: { type: 'number', min: 0, exclusiveMin: true },
  svdSolver: { type: 'enum', values: ['auto', 'full', 'randomized'] },
  whiten: { type: 'boolean' },
  iteratedPower: {
    type: 'oneOf',
    options: [
      { type: 'int', min: 0 },
      { type: 'enum', values: ['auto'] },
    ],
  },
  nOversamples: { type: 'int', min: 0 },
  seed: { type: 'int' },
};

interface PCAFit {
  nSamples: number;
  nFeatures: number;
  k: number;
  solver: 'full' | 'randomized';
  components: Float64Array; // k × d
  mean: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
  noiseVariance: number;
  totalVariance: number;
}

/**
 * PCA: `new PCA({ nComponents: 50 }).fit(X)`; `transform(X)` gives the scores (n × k).
 *
 * Fitted fields: `components` (k × d, rows = principal axes), `explainedVariance` (k),
 * `explainedVarianceRatio` (k), `singularValues` (k), `mean` (d), `noiseVariance`, `nComponents`.
 *
 * @example
 *   const pca = new PCA({ nComponents: 2 }).fit([[1, 2], [3, 4], [5, 7]]);
 *   pca.transform([[2, 3]]); // 1 × 2 scores
 */
export class PCA {
  readonly options: Readonly<PCAOptions>;
  private state?: PCAFit;

  constructor(options: PCAOptions = {}) {
    this.options = validateOptions('PCA', PCA_DEFAULTS, TABLE, options);
    const k = this.options.nComponents;
    if (k !== undefined && k >= 1 && !Number.isInteger(k)) {
      throw new ValidationError(
        `The 'nComponents' option of PCA must be an integer >= 1 or a fraction in (0, 1); got ${k}.`,
      );
    }
  }

  fit(X: MatrixLike): this {
    this.fitInternal(toMatrix(X, 'X') as F64Matrix, false);
    return this;
  }

  /** Fits and returns the scores of X (n × k); cheaper than fit + transform. */
  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fitInternal(toMatrix(X, 'X') as F64Matrix, true)!;
  }

  private fitInternal(X: F64Matrix, wantScores: boolean): Matrix<Float64Array> | undefined {
    const { rows: n, cols: d } = X;
    const o = this.options;
    const minDim = Math.min(n, d);
    const req = o.nComponents;
    if (n < 2) throw new ValidationError(`PCA needs at least 2 samples; got nSamples=${n}`);
    const isFraction = req !== undefined && req < 1;
    if (req !== undefined && !isFraction && req > minDim) {
      throw new ValidationError(`nComponents=${req} must be <= min(nSamples=${n}, nFeatures=${d})=${minDim}`);
    }
    let solver: 'full' | 'randomized';
    if (o.svdSolver === 'auto') {
      if (Math.max(n, d) <= 500 || req === undefined || isFraction) solver = 'full';
      else solver = req >= 1 && req < 0.8 * minDim ? 'randomized' : 'full';
    } else solver = o.svdSolver!;
    if (solver === 'randomized' && (req === undefined || isFraction)) {
      throw new ValidationError(
        `svdSolver 'randomized' needs an integer nComponents; got ${req ?? 'undefined (all)'}`,
      );
    }

    const mean = columnMeans(X);
    const sq = centredSquares(X, mean);
    let total = 0;
    for (let j = 0; j < d; j++) total += sq[j]!;
    const totalVariance = total / (n - 1);

    let k: number;
    let comps: Float64Array;
    let lambdas: Float64Array; // eigenvalues of XcᵀXc = s²
    let scores: Float64Array | undefined;
    if (solver === 'full') {
      const want = req === undefined ? minDim : isFraction ? minDim : req;
      let eig: { values: Float64Array; rows: Float64Array };
      if (d <= n) {
        eig = topEigen(centredGram(X, mean), d, want);
      } else {
        const G = centredOuterGram(X, mean);
        const u = topEigen(G, n, want);
        // v_t = Xcᵀ u_t / s_t
        const Xc = new Float64Array(n * d);
        copyBlock(X, mean, 0, n, Xc);
        const kk = u.values.length;
        const rows = new Float64Array(kk * d);
        gemm(kk, d, n, u.rows, Xc, rows);
        for (let t = 0; t < kk; t++) {
          const s = Math.sqrt(Math.max(u.values[t]!, 0));
          const inv = s > 0 ? 1 / s : 0;
          for (let j = 0; j < d; j++) rows[t * d + j] *= inv;
        }
        eig = { values: u.values, rows };
      }
      lambdas = eig.values;
      for (let t = 0; t < lambdas.length; t++) if (lambdas[t]! < 0) lambdas[t] = 0;
      if (isFraction) {
        // searchsorted(cumsum(ratio), fraction, side='right') + 1, as scikit-learn.
        let cum = 0;
        k = lambdas.length;
        for (let t = 0; t < lambdas.length; t++) {
          cum += lambdas[t]! / (n - 1) / totalVariance;
          if (cum > req!) {
            k = t + 1;
            break;
          }
        }
      } else k = want;
      k = Math.min(k, lambdas.length);
      comps = eig.rows.slice(0, k * d);
      lambdas = lambdas.slice(0, k);
    } else {
      k = req!;
      const rOpts = {
        nOversamples: o.nOversamples!,
        nIter: o.iteratedPower === 'auto' ? (k < 0.1 * minDim ? 7 : 4) : (o.iteratedPower as number),
        seed: o.seed!,
      };
      if (minDim <= GRAM_LIMIT) {
        // Randomized subspace iteration on the small Gram matrix (one syrk pass over X).
        const r = gramSvd(X, mean, k, rOpts);
        comps = r.Vt;
        lambdas = r.lambda;
        if (d > n) {
          scores = r.U;
          for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) scores[i * k + t] *= r.s[t]!;
        }
      } else {
        const r = randomizedSvdCentred(X, mean, k, rOpts);
        comps = r.Vt;
        lambdas = new Float64Array(k);
        for (let t = 0; t < k; t++) lambdas[t] = r.s[t]! * r.s[t]!;
        // scores = U·diag(s): same signs as U, used for the u-based flip below.
        scores = r.U;
        for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) scores[i * k + t] *= r.s[t]!;
      }
      for (let t = 0; t < k; t++) if (lambdas[t]! < 0) lambdas[t] = 0;
    }

    if (!scores) {
      scores = new Float64Array(n * k);
      projectRows(X, mean, comps, k, scores);
    }
    flipByScores(scores, n, comps, k, d);

    const ev = new Float64Array(k);
    const ratio = new Float64Array(k);
    const sv = new Float64Array(k);
    let kept = 0;
    for (let t = 0; t < k; t++) {
      ev[t] = lambdas[t]! / (n - 1);
      ratio[t] = totalVariance > 0 ? ev[t]! / totalVariance : 0;
      sv[t] = Math.sqrt(lambdas[t]!);
      kept += ev[t]!;
    }
    const noiseVariance = k < minDim ? Math.max(0, (totalVariance - kept) / (minDim - k)) : 0;
    this.state = {
      nSamples: n,
      nFeatures: d,
      k,
      solver,
      components: comps,
      mean,
      explainedVariance: ev,
      explainedVarianceRatio: ratio,
      singularValues: sv,
      noiseVariance,
      totalVariance,
    };
    if (!wantScores) return undefined;
    if (o.whiten) whitenColumns(scores, n, ev, k);
    return new Matrix(scores, n, k);
  }

  private get fit_(): PCAFit {
    return fitted(this.state, 'PCA');
  }

  /** Principal axes, k × d (rows, unit norm, in decreasing order of explained variance). */
  get components(): Matrix<Float64Array> {
    const s = this.fit_;
    return new Matrix(s.components.slice(), s.k, s.nFeatures);
  }
  /** Variance of the data along each component (eigenvalues of Σ̂, ddof = 1). */
  get explainedVariance(): Float64Array {
    return this.fit_.explainedVariance.slice();
  }
  /** Share of the total variance along each component (k; sums to ≤ 1). */
  get explainedVarianceRatio(): Float64Array {
    return this.fit_.explainedVarianceRatio.slice();
  }
  /** Singular values of the centred data (√((n−1)·explainedVariance)). */
  get singularValues(): Float64Array {
    return this.fit_.singularValues.slice();
  }
  /** Per-feature mean of the training data (d), subtracted before projecting. */
  get mean(): Float64Array {
    return this.fit_.mean.slice();
  }
  /** Probabilistic-PCA noise variance: mean of the discarded eigenvalues (0 when none). */
  get noiseVariance(): number {
    return this.fit_.noiseVariance;
  }
  /** Number of components kept (resolves a fractional nComponents). */
  get nComponents(): number {
    return this.fit_.k;
  }
  /** Features seen in fit (d). */
  get nFeatures(): number {
    return this.fit_.nFeatures;
  }
  /** Samples seen in fit (n). */
  get nSamples(): number {
    return this.fit_.nSamples;
  }
  /** The solver actually used ('full' or 'randomized'). */
  get solver(): 'full' | 'randomized' {
    return this.fit_.solver;
  }
  /** Sum of the variances of all features (ddof = 1). */
  get totalVariance(): number {
    return this.fit_.totalVariance;
  }

  /** Scores of X: (X − mean)·componentsᵀ (÷ √explainedVariance when whitened), n × k. */
  transform(X: MatrixLike): Matrix<Float64Array> {
    const s = this.fit_;
    const M = toMatrix(X, 'X') as F64Matrix;
    checkFeatures(M, s.nFeatures);
    const out = new Float64Array(M.rows * s.k);
    projectRows(M, s.mean, s.components, s.k, out);
    if (this.options.whiten) whitenColumns(out, M.rows, s.explainedVariance, s.k);
    return new Matrix(out, M.rows, s.k);
  }

  /** Maps scores Z (n × k) back to the data space: Z·components + mean (undoing whitening). */
  inverseTransform(Z: MatrixLike): Matrix<Float64Array> {
    const s = this.fit_;
    const M = toMatrix(Z, 'Z') as F64Matrix;
    if (M.cols !== s.k)
      throw new ValidationError(`Z has ${M.cols} columns, but the model has nComponents=${s.k}`);
    const W = this.options.whiten
      ? unwhitenRows(s.components, s.explainedVariance, s.k, s.nFeatures)
      : s.components;
    return synthesize(M, W, s.mean, s.nFeatures);
  }

  /**
   * Mean squared reconstruction error per sample, (1/n)·Σᵢ ‖xᵢ − x̂ᵢ‖², with x̂ the projection on
   * the k components. On the training data it equals (n−1)/n × the sum of the discarded
   * eigenvalues of Σ̂ (seed 001: "the reconstruction error is the sum of eigenvalues").
   */
  reconstructionError(X: MatrixLike): number {
    const s = this.fit_;
    const M = toMatrix(X, 'X') as F64Matrix;
    checkFeatures(M, s.nFeatures);
    const n = M.rows;
    const d = s.nFeatures;
    const k = s.k;
    const Z = new Float64Array(n * k);
    projectRows(M, s.mean, s.components, k, Z);
    const R = new Float64Array(n * d);
    gemm(n, d, k, Z, s.components, R);
    let err = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = M.get(i, j) - s.mean[j]! - R[i * d + j]!;
        err += v * v;
      }
    }
    return err / n;
  }

  getState(): ModelState {
    const s = this.fit_;
    return {
      className: 'PCA',
      version: 1,
      options: serialisableOptions(this.options),
      meta: {
        nSamples: s.nSamples,
        nFeatures: s.nFeatures,
        k: s.k,
        solver: s.solver,
        noiseVariance: s.noiseVariance,
        totalVariance: s.totalVariance,
      },
      arrays: {
        components: { data: s.components, shape: [s.k, s.nFeatures] },
        mean: { data: s.mean, shape: [s.nFeatures] },
        explainedVariance: { data: s.explainedVariance, shape: [s.k] },
        explainedVarianceRatio: { data: s.explainedVarianceRatio, shape: [s.k] },
        singularValues: { data: s.singularValues, shape: [s.k] },
      },
    };
  }

  static fromState(state: ModelState): PCA {
    const m = new PCA(state.options as PCAOptions);
    const meta = state.meta as Record<string, number | string>;
    m.state = {
      nSamples: meta.nSamples as number,
      nFeatures: meta.nFeatures as number,
      k: meta.k as number,
      solver: meta.solver as 'full' | 'randomized',
      noiseVariance: meta.noiseVariance as number,
      totalVariance: meta.totalVariance as number,
      components: stateArray(state, 'components', Float64Array).data,
      mean: stateArray(state, 'mean', Float64Array).data,
      explainedVariance: stateArray(state, 'explainedVariance', Float64Array).data,
      explainedVarianceRatio: stateArray(state, 'explainedVarianceRatio', Float64Array).data,
      singularValues: stateArray(state, 'singularValues', Float64Array).data,
    };
    return m;
  }
}

registerModel('PCA', (s) => PCA.fromState(s));

/** Functional form: the scores of X on its first nComponents principal components. */
export function pca(X: MatrixLike, options: PCAOptions = {}): Matrix<Float64Array> {
  return new PCA(options).fitTransform(X);
}
