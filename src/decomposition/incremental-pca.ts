/**
 * Incremental PCA: PCA over data seen in batches, for data that does not fit in memory at once.
 *
 * Reference: Ross, Lim, Lin & Yang (2008), "Incremental Learning for Robust Visual Tracking",
 * sequential Karhunen–Loeve with a mean update; scikit-learn's IncrementalPCA.partial_fit.
 * Objective: as PCA (minimum reconstruction error of the centred data), solved approximately: each
 * batch is centred on its own mean, stacked under the current components scaled by their singular
 * values plus one row that corrects for the shift of the mean, and the stack's thin SVD gives the
 * new components. Exact when the rank of the data is ≤ nComponents; otherwise the variance outside
 * the kept subspace is dropped at each step, as in scikit-learn (whose numbers this matches).
 * The stack's SVD is taken through the Gram matrix of its smaller side (syrk + eigh) rather than a
 * bidiagonal SVD: the leading triplets are what the update keeps, and it is one kernel product.
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
import {
  flipByRows,
  gramSvd,
  projectRows,
  synthesize,
  unwhitenRows,
  whitenColumns,
  type F64Matrix,
} from './_shared.js';

export interface IncrementalPCAOptions {
  /** Components to keep; default: min(nFeatures, first batch size). */
  nComponents?: number;
  /** Scale the scores to unit variance. Default false. */
  whiten?: boolean;
  /** Rows per batch in fit(); default 5 × nFeatures (scikit-learn's default). */
  batchSize?: number;
}

export const INCREMENTAL_PCA_DEFAULTS: Readonly<IncrementalPCAOptions> = Object.freeze({
  nComponents: undefined,
  whiten: false,
  batchSize: undefined,
});

const TABLE: ConstraintTable<IncrementalPCAOptions> = {
  nComponents: { type: 'int', min: 1 },
  whiten: { type: 'boolean' },
  batchSize: { type: 'int', min: 1 },
};

interface IState {
  d: number;
  k: number;
  nSeen: number;
  mean: Float64Array;
  var: Float64Array;
  components: Float64Array; // k × d
  singularValues: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  noiseVariance: number;
}

/**
 * `new IncrementalPCA({ nComponents: 50 })`; call `partialFit(batch)` repeatedly, or `fit(X)`
 * (which walks X in batches of `batchSize` rows). Same fitted fields as PCA plus `var`.
 */
export class IncrementalPCA {
  readonly options: Readonly<IncrementalPCAOptions>;
  private st?: IState;

  constructor(options: IncrementalPCAOptions = {}) {
    this.options = validateOptions('IncrementalPCA', INCREMENTAL_PCA_DEFAULTS, TABLE, options);
  }

  fit(X: MatrixLike): this {
    const M = toMatrix(X, 'X') as F64Matrix;
    const { rows: n, cols: d } = M;
    this.st = undefined;
    const bs = this.options.batchSize ?? 5 * d;
    const minBatch = this.options.nComponents ?? 0;
    // scikit-learn's gen_batches(n, bs, min_batch_size=nComponents): a short last batch is merged
    // into the previous one.
    let start = 0;
    while (start < n) {
      let end = Math.min(n, start + bs);
      if (n - end > 0 && n - end < minBatch) end = n;
      this.partialFitChecked(M.rowSlice(start, end));
      start = end;
    }
    return this;
  }

  /** Updates the model with one batch of rows (at least nComponents of them). */
  partialFit(X: MatrixLike): this {
    const M = toMatrix(X, 'X') as F64Matrix;
    if (this.st) checkFeatures(M, this.st.d);
    this.partialFitChecked(M);
    return this;
  }

  private partialFitChecked(M: F64Matrix): void {
    const { rows: b, cols: d } = M;
    const prev = this.st;
    const k = this.options.nComponents ?? (prev ? prev.k : Math.min(b, d));
    if (k > d) throw new ValidationError(`nComponents=${k} must be <= nFeatures=${d}`);
    if (k > b) throw new ValidationError(`nComponents=${k} must be <= the batch's nSamples=${b}`);
    // Variances divide by nSamplesSeen − 1: one sample would give 0/0 (scikit-learn returns NaN).
    if ((prev ? prev.nSeen : 0) + b < 2) {
      throw new ValidationError(`IncrementalPCA needs at least 2 samples; got nSamples=${b}`);
    }
    // Incremental mean and variance (Chan, Golub & LeVeque), as scikit-learn's _incremental_mean_and_var.
    const lastN = prev ? prev.nSeen : 0;
    const newSum = new Float64Array(d);
    for (let i = 0; i < b; i++) for (let j = 0; j < d; j++) newSum[j] += M.get(i, j);
    const total = lastN + b;
    const batchMean = new Float64Array(d);
    for (let j = 0; j < d; j++) batchMean[j] = newSum[j]! / b;
    const newUnnorm = new Float64Array(d);
    const corr = new Float64Array(d);
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < d; j++) {
        const t = M.get(i, j) - batchMean[j]!;
        corr[j] += t;
        newUnnorm[j] += t * t;
      }
    }
    const mean = new Float64Array(d);
    const variance = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      newUnnorm[j] -= (corr[j]! * corr[j]!) / b;
      if (!prev) {
        mean[j] = newSum[j]! / total;
        variance[j] = newUnnorm[j]! / total;
      } else {
        const lastSum = prev.mean[j]! * lastN;
        mean[j] = (lastSum + newSum[j]!) / total;
        const lastOverNew = lastN / b;
        const diff = lastSum / lastOverNew - newSum[j]!;
        const upd = prev.var[j]! * lastN + newUnnorm[j]! + (lastOverNew / total) * diff * diff;
        variance[j] = upd / total;
      }
    }
    // Stack: [s ∘ components; X − batchMean; mean correction].
    const kp = prev ? prev.k : 0;
    const rowsAll = kp + b + (prev ? 1 : 0);
    const S = new Float64Array(rowsAll * d);
    if (prev) {
      for (let t = 0; t < kp; t++)
        for (let j = 0; j < d; j++) S[t * d + j] = prev.singularValues[t]! * prev.components[t * d + j]!;
    }
    const centre = prev ? batchMean : mean;
    for (let i = 0; i < b; i++) for (let j = 0; j < d; j++) S[(kp + i) * d + j] = M.get(i, j) - centre[j]!;
    if (prev) {
      const f = Math.sqrt((lastN / total) * b);
      for (let j = 0; j < d; j++) S[(kp + b) * d + j] = f * (prev.mean[j]! - batchMean[j]!);
    }
    const r = gramSvd(new Matrix(S, rowsAll, d), null, Math.min(rowsAll, d));
    const m = r.s.length;
    const Vt = r.Vt;
    flipByRows(Vt, m, d);
    let varSum = 0;
    for (let j = 0; j < d; j++) varSum += variance[j]! * total;
    const ev = new Float64Array(k);
    const ratio = new Float64Array(k);
    const sv = new Float64Array(k);
    for (let t = 0; t < k; t++) {
      const s2 = r.s[t]! * r.s[t]!;
      sv[t] = r.s[t]!;
      ev[t] = s2 / (total - 1);
      ratio[t] = varSum > 0 ? s2 / varSum : 0; // constant data: no variance to explain
    }
    let noise = 0;
    if (k !== b && k !== d && m > k) {
      for (let t = k; t < m; t++) noise += (r.s[t]! * r.s[t]!) / (total - 1);
      noise /= m - k;
    }
    this.st = {
      d,
      k,
      nSeen: total,
      mean,
      var: variance,
      components: Vt.slice(0, k * d),
      singularValues: sv,
      explainedVariance: ev,
      explainedVarianceRatio: ratio,
      noiseVariance: noise,
    };
  }

  private get s(): IState {
    return fitted(this.st, 'IncrementalPCA');
  }
  /** Principal axes, k × d (rows, unit norm, decreasing explained variance). */
  get components(): Matrix<Float64Array> {
    const s = this.s;
    return new Matrix(s.components.slice(), s.k, s.d);
  }
  /** Variance along each component over all rows seen (ddof = 1). */
  get explainedVariance(): Float64Array {
    return this.s.explainedVariance.slice();
  }
  /** Share of the total variance along each component. */
  get explainedVarianceRatio(): Float64Array {
    return this.s.explainedVarianceRatio.slice();
  }
  /** Singular values of the centred data seen so far (k). */
  get singularValues(): Float64Array {
    return this.s.singularValues.slice();
  }
  /** Per-feature mean of all rows seen (d). */
  get mean(): Float64Array {
    return this.s.mean.slice();
  }
  /** Per-feature variance of all rows seen (ddof = 0). */
  get var(): Float64Array {
    return this.s.var.slice();
  }
  /** Mean of the discarded eigenvalues of the last batch's update (0 when none), as scikit-learn. */
  get noiseVariance(): number {
    return this.s.noiseVariance;
  }
  /** Number of components kept. */
  get nComponents(): number {
    return this.s.k;
  }
  /** Rows seen by fit/partialFit. */
  get nSamplesSeen(): number {
    return this.s.nSeen;
  }

  transform(X: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    const M = toMatrix(X, 'X') as F64Matrix;
    checkFeatures(M, s.d);
    const out = new Float64Array(M.rows * s.k);
    projectRows(M, s.mean, s.components, s.k, out);
    if (this.options.whiten) whitenColumns(out, M.rows, s.explainedVariance, s.k);
    return new Matrix(out, M.rows, s.k);
  }

  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fit(X).transform(X);
  }

  inverseTransform(Z: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    const M = toMatrix(Z, 'Z') as F64Matrix;
    if (M.cols !== s.k)
      throw new ValidationError(`Z has ${M.cols} columns, but the model has nComponents=${s.k}`);
    const W = this.options.whiten ? unwhitenRows(s.components, s.explainedVariance, s.k, s.d) : s.components;
    return synthesize(M, W, s.mean, s.d);
  }

  getState(): ModelState {
    const s = this.s;
    return {
      className: 'IncrementalPCA',
      version: 1,
      options: serialisableOptions(this.options),
      meta: { d: s.d, k: s.k, nSeen: s.nSeen, noiseVariance: s.noiseVariance },
      arrays: {
        mean: { data: s.mean, shape: [s.d] },
        var: { data: s.var, shape: [s.d] },
        components: { data: s.components, shape: [s.k, s.d] },
        singularValues: { data: s.singularValues, shape: [s.k] },
        explainedVariance: { data: s.explainedVariance, shape: [s.k] },
        explainedVarianceRatio: { data: s.explainedVarianceRatio, shape: [s.k] },
      },
    };
  }

  static fromState(state: ModelState): IncrementalPCA {
    const m = new IncrementalPCA(state.options as IncrementalPCAOptions);
    const meta = state.meta as Record<string, number>;
    m.st = {
      d: meta.d!,
      k: meta.k!,
      nSeen: meta.nSeen!,
      noiseVariance: meta.noiseVariance!,
      mean: stateArray(state, 'mean', Float64Array).data,
      var: stateArray(state, 'var', Float64Array).data,
      components: stateArray(state, 'components', Float64Array).data,
      singularValues: stateArray(state, 'singularValues', Float64Array).data,
      explainedVariance: stateArray(state, 'explainedVariance', Float64Array).data,
      explainedVarianceRatio: stateArray(state, 'explainedVarianceRatio', Float64Array).data,
    };
    return m;
  }
}

registerModel('IncrementalPCA', (s) => IncrementalPCA.fromState(s));
