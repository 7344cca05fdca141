/**
 * FastICA: independent component analysis by fixed-point iteration.
 *
 * Reference: Hyvärinen & Oja (2000), "Independent component analysis: algorithms and
 * applications", Neural Networks 13 — §6 (the fixed-point algorithm), eq. (40) for one unit and
 * §6.2 for several (deflation with Gram–Schmidt, or parallel with symmetric decorrelation
 * W ← (WWᵀ)^(−1/2) W). Seed 000 lists ICA beside PCA: PCA finds uncorrelated directions, ICA
 * statistically independent ones (maximally non-Gaussian projections).
 *
 * Model: x = A s with independent non-Gaussian sources s. After centring and whitening
 * (z = K(x − μ), E[zzᵀ] = I), find orthogonal W maximising Σᵢ J(wᵢᵀz), with the negentropy
 * approximation J(y) ∝ (E[G(y)] − E[G(ν)])², ν Gaussian, and contrasts
 *   logcosh: G(u) = log cosh(αu)/α,  g(u) = tanh(αu),       g'(u) = α(1 − tanh²(αu))
 *   exp:     G(u) = −exp(−u²/2),     g(u) = u·exp(−u²/2),   g'(u) = (1 − u²)·exp(−u²/2)
 *   cube:    G(u) = u⁴/4,            g(u) = u³,             g'(u) = 3u²
 * Update: w⁺ = E[z g(wᵀz)] − E[g'(wᵀz)] w, then decorrelate and normalise.
 *
 * This follows scikit-learn 1.2's FastICA step for step (whitening by the eigenvectors of the
 * covariance with sign fixed by the first row, the same stopping rule
 * max |1 − |⟨w⁺ᵢ, wᵢ⟩|| < tol), so from the same wInit it gives the same result. The whitening
 * covariance is formed with syrk and every product W·Z goes through gemm.
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
import { gemm } from '../kernels/index.js';
import { eigh } from '../linalg/index.js';
import { centredGram, columnMeans, projectRows, synthesize, topEigen, type F64Matrix } from './_shared.js';

export interface FastICAOptions extends IterativeOptions {
  /** Number of sources to recover (≤ nFeatures). Default: nFeatures. */
  nComponents?: number;
  /** 'parallel' (symmetric decorrelation, default) or 'deflation' (one unit at a time). */
  algorithm?: 'parallel' | 'deflation';
  /**
   * 'unit-variance' (default; sources scaled to unit variance), 'arbitrary-variance' (scikit-learn
   * 1.2's default) or false (data assumed already white; nComponents must equal nFeatures).
   */
  whiten?: 'unit-variance' | 'arbitrary-variance' | false;
  /** Contrast function: 'logcosh' (default), 'exp' or 'cube'. */
  fun?: 'logcosh' | 'exp' | 'cube';
  /** α of the logcosh contrast, in [1, 2]. Default 1. */
  alpha?: number;
  /** Maximum fixed-point iterations (per component for deflation). Default 200. */
  maxIter?: number;
  /** Convergence tolerance on max |1 − |⟨w⁺, w⟩||. Default 1e-4. */
  tol?: number;
  /** Initial unmixing matrix (nComponents × nComponents); default: standard normal from `seed`. */
  wInit?: number[][];
  /** Seed for the default wInit. Default 0. */
  seed?: number;
}

export const FASTICA_DEFAULTS: Readonly<FastICAOptions> = Object.freeze({
  nComponents: undefined,
  algorithm: 'parallel',
  whiten: 'unit-variance',
  fun: 'logcosh',
  alpha: 1,
  maxIter: 200,
  tol: 1e-4,
  wInit: undefined,
  seed: 0,
  onProgress: undefined,
  signal: undefined,
});

const TABLE: ConstraintTable<FastICAOptions> = {
  nComponents: { type: 'int', min: 1 },
  algorithm: { type: 'enum', values: ['parallel', 'deflation'] },
  whiten: {
    type: 'oneOf',
    options: [{ type: 'enum', values: ['unit-variance', 'arbitrary-variance'] }, { type: 'boolean' }],
  },
  fun: { type: 'enum', values: ['logcosh', 'exp', 'cube'] },
  alpha: { type: 'number', min: 1, max: 2 },
  maxIter: { type: 'int', min: 1 },
  tol: { type: 'number', min: 0 },
  wInit: { type: 'object' },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

interface ICAFit {
  d: number;
  k: number;
  components: Float64Array; // k × d
  mixing: Float64Array; // d × k
  mean: Float64Array; // d (zeros when not whitening)
  whitening: Float64Array | null; // k × d
  unmixing: Float64Array; // k × k
  nIter: number;
  stopReason: StopReason;
  lastChange: number;
}

/**
 * Applies the contrast to Y (k × n, in place → g(Y)) and writes the row means of g'(Y) to gp.
 * One function per contrast keeps the loops monomorphic.
 */
function contrast(
  fun: 'logcosh' | 'exp' | 'cube',
  alpha: number,
  Y: Float64Array,
  k: number,
  n: number,
  gp: Float64Array,
): void {
  for (let r = 0; r < k; r++) {
    let s = 0;
    const o = r * n;
    if (fun === 'logcosh') {
      for (let i = 0; i < n; i++) {
        const t = Math.tanh(alpha * Y[o + i]!);
        Y[o + i] = t;
        s += alpha * (1 - t * t);
      }
    } else if (fun === 'exp') {
      for (let i = 0; i < n; i++) {
        const u = Y[o + i]!;
        const e = Math.exp(-(u * u) / 2);
        Y[o + i] = u * e;
        s += (1 - u * u) * e;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const u = Y[o + i]!;
        Y[o + i] = u * u * u;
        s += 3 * u * u;
      }
    }
    gp[r] = s / n;
  }
}

/** W ← (WWᵀ)^(−1/2) W for a k × k matrix (in place). */
function symDecorrelate(W: Float64Array, k: number): void {
  const G = new Float64Array(k * k);
  gemm(k, k, k, W, W, G, { transB: true });
  const { values, vectors } = eigh(new Matrix(G, k, k));
  // M = U diag(1/√s) Uᵀ
  const M = new Float64Array(k * k);
  for (let t = 0; t < k; t++) {
    const s = Math.max(values[t]!, Number.MIN_VALUE);
    const f = 1 / Math.sqrt(s);
    for (let i = 0; i < k; i++) {
      const ui = vectors.get(i, t) * f;
      for (let j = 0; j < k; j++) M[i * k + j] += ui * vectors.get(j, t);
    }
  }
  const out = new Float64Array(k * k);
  gemm(k, k, k, M, W, out);
  W.set(out);
}

/** Moore–Penrose pseudo-inverse of a full-row-rank C (k × d): Cᵀ(CCᵀ)⁻¹, d × k. */
function pinvRows(C: Float64Array, k: number, d: number): Float64Array {
  const G = new Float64Array(k * k);
  gemm(k, k, d, C, C, G, { transB: true });
  const { values, vectors } = eigh(new Matrix(G, k, k));
  const Ginv = new Float64Array(k * k);
  const cut = values[k - 1]! * 1e-15 * k;
  for (let t = 0; t < k; t++) {
    if (!(values[t]! > cut)) continue;
    const f = 1 / values[t]!;
    for (let i = 0; i < k; i++) {
      const ui = vectors.get(i, t) * f;
      for (let j = 0; j < k; j++) Ginv[i * k + j] += ui * vectors.get(j, t);
    }
  }
  const out = new Float64Array(d * k);
  gemm(d, k, k, C, Ginv, out, { transA: true });
  return out;
}

/**
 * FastICA: `new FastICA({ nComponents: 3, seed: 0 }).fitTransform(X)` gives the estimated sources
 * (n × k). Fitted: `components` (k × d, unmixing applied to centred data), `mixing` (d × k),
 * `mean`, `whitening` (k × d), `nIter`, `stopReason`, `converged`.
 */
export class FastICA {
  readonly options: Readonly<FastICAOptions>;
  private st?: ICAFit;

  constructor(options: FastICAOptions = {}) {
    this.options = validateOptions('FastICA', FASTICA_DEFAULTS, TABLE, options);
    if ((this.options.whiten as unknown) === true) {
      throw new ValidationError(
        "The 'whiten' option of FastICA must be 'unit-variance', 'arbitrary-variance' or false; got true.",
      );
    }
  }

  fit(X: MatrixLike): this {
    this.fitInternal(toMatrix(X, 'X', { minSamples: 2 }) as F64Matrix);
    return this;
  }

  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    const M = toMatrix(X, 'X', { minSamples: 2 }) as F64Matrix;
    this.fitInternal(M);
    return this.transformChecked(M);
  }

  private fitInternal(X: F64Matrix): void {
    const o = this.options;
    const { rows: n, cols: d } = X;
    const whiten = o.whiten;
    const k = o.nComponents ?? d;
    if (k > d) throw new ValidationError(`nComponents=${k} must be <= nFeatures=${d}`);
    if (!whiten && k !== d)
      throw new ValidationError(`without whitening nComponents=${k} must equal nFeatures=${d}`);
    if (whiten && k > n) throw new ValidationError(`nComponents=${k} must be <= nSamples=${n}`);

    // Whitening: Z = √n · D⁻¹ Uᵀ Xcᵀ  (k × n), K = D⁻¹Uᵀ (k × d).
    let mean: Float64Array;
    let K: Float64Array | null = null;
    const Z = new Float64Array(k * n);
    if (whiten) {
      mean = columnMeans(X);
      const { values, rows } = topEigen(centredGram(X, mean), d, k);
      for (let t = 0; t < k; t++) {
        if (!(values[t]! > 1e-300)) {
          throw new ValidationError(`X has rank ${t} after centring, below nComponents=${k}: cannot whiten`);
        }
        const sg = rows[t * d]! < 0 ? -1 : 1; // scikit-learn: u *= sign(u[0])
        const inv = sg / Math.sqrt(values[t]!);
        for (let j = 0; j < d; j++) rows[t * d + j] *= inv;
      }
      K = rows;
      const P = new Float64Array(n * k);
      projectRows(X, mean, K, k, P);
      const sq = Math.sqrt(n);
      for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) Z[t * n + i] = P[i * k + t]! * sq;
    } else {
      mean = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Z[j * n + i] = X.get(i, j);
    }

    // Initial W.
    const W = new Float64Array(k * k);
    if (o.wInit !== undefined) {
      const w = toMatrix(o.wInit, 'wInit');
      if (w.rows !== k || w.cols !== k) {
        throw new ValidationError(
          `wInit has shape ${w.rows}x${w.cols}; expected nComponents x nComponents = ${k}x${k}`,
        );
      }
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) W[i * k + j] = w.get(i, j);
    } else {
      new Rng(o.seed).fillNormal(W);
    }

    const reporter = new ProgressReporter(o, o.maxIter!);
    const alpha = o.alpha!;
    const fun = o.fun!;
    let nIter = 0;
    let stop: StopReason = 'maxIter';
    let lastChange = Infinity;
    if (o.algorithm === 'parallel') {
      symDecorrelate(W, k);
      const Y = new Float64Array(k * n);
      const gp = new Float64Array(k);
      const W1 = new Float64Array(k * k);
      for (let it = 0; it < o.maxIter!; it++) {
        gemm(k, n, k, W, Z, Y);
        contrast(fun, alpha, Y, k, n, gp);
        // W1 = g(Y) Zᵀ / n − diag(gp) W
        gemm(k, k, n, Y, Z, W1, { transB: true, alpha: 1 / n });
        for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) W1[r * k + c] -= gp[r]! * W[r * k + c]!;
        symDecorrelate(W1, k);
        let lim = 0;
        for (let r = 0; r < k; r++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += W1[r * k + c]! * W[r * k + c]!;
          lim = Math.max(lim, Math.abs(Math.abs(s) - 1));
        }
        W.set(W1);
        nIter = it + 1;
        lastChange = lim;
        if (lim < o.tol!) {
          stop = 'converged';
          reporter.report(nIter, undefined, { change: lim });
          break;
        }
        const r = reporter.report(nIter, undefined, { change: lim });
        if (r) {
          stop = r;
          break;
        }
      }
    } else {
      const y = new Float64Array(n);
      const gp = new Float64Array(1);
      const Wd = new Float64Array(k * k);
      const w = new Float64Array(k);
      const w1 = new Float64Array(k);
      let maxIt = 0;
      let anyUnconverged = false;
      outer: for (let j = 0; j < k; j++) {
        let nrm = 0;
        for (let c = 0; c < k; c++) nrm += W[j * k + c]! ** 2;
        nrm = Math.sqrt(nrm);
        for (let c = 0; c < k; c++) w[c] = W[j * k + c]! / nrm;
        let it = 0;
        let conv = false;
        for (; it < o.maxIter!; it++) {
          gemm(1, n, k, w, Z, y);
          contrast(fun, alpha, y, 1, n, gp);
          // w1 = Z g / n − mean(g') w
          gemm(k, 1, n, Z, y, w1, { alpha: 1 / n });
          for (let c = 0; c < k; c++) w1[c] -= gp[0]! * w[c]!;
          // Gram–Schmidt against the rows already found.
          for (let p = 0; p < j; p++) {
            let s = 0;
            for (let c = 0; c < k; c++) s += w1[c]! * Wd[p * k + c]!;
            for (let c = 0; c < k; c++) w1[c] -= s * Wd[p * k + c]!;
          }
          let nn = 0;
          for (let c = 0; c < k; c++) nn += w1[c]! * w1[c]!;
          nn = Math.sqrt(nn);
          let dot = 0;
          for (let c = 0; c < k; c++) {
            w1[c] /= nn;
            dot += w1[c]! * w[c]!;
          }
          const lim = Math.abs(Math.abs(dot) - 1);
          w.set(w1);
          lastChange = lim;
          if (lim < o.tol!) {
            conv = true;
            it++;
            break;
          }
        }
        if (it > maxIt) maxIt = it;
        if (!conv) anyUnconverged = true;
        for (let c = 0; c < k; c++) Wd[j * k + c] = w[c]!;
        const r = reporter.report(j + 1, undefined, { change: lastChange, component: j, iterations: it });
        if (r) {
          stop = r;
          // Fill the remaining rows by Gram–Schmidt on wInit so W stays orthogonal.
          for (let q = j + 1; q < k; q++) {
            for (let c = 0; c < k; c++) w[c] = W[q * k + c]!;
            for (let p = 0; p < q; p++) {
              let s = 0;
              for (let c = 0; c < k; c++) s += w[c]! * Wd[p * k + c]!;
              for (let c = 0; c < k; c++) w[c] -= s * Wd[p * k + c]!;
            }
            let nn = 0;
            for (let c = 0; c < k; c++) nn += w[c]! * w[c]!;
            nn = Math.sqrt(nn) || 1;
            for (let c = 0; c < k; c++) Wd[q * k + c] = w[c]! / nn;
          }
          nIter = Math.max(maxIt, 1);
          break outer;
        }
        if (j === k - 1) {
          nIter = maxIt;
          stop = anyUnconverged ? 'maxIter' : 'converged';
        }
      }
      W.set(Wd);
    }

    // Unmixing of the (centred) data: components = W·K (k × d).
    let components: Float64Array;
    if (K) {
      components = new Float64Array(k * d);
      gemm(k, d, k, W, K, components);
      if (whiten === 'unit-variance') {
        // Scale each source to unit standard deviation (ddof 0), as scikit-learn.
        const S = new Float64Array(n * k);
        projectRows(X, mean, components, k, S);
        for (let t = 0; t < k; t++) {
          let m = 0;
          for (let i = 0; i < n; i++) m += S[i * k + t]!;
          m /= n;
          let v = 0;
          for (let i = 0; i < n; i++) v += (S[i * k + t]! - m) ** 2;
          const sd = Math.sqrt(v / n);
          for (let c = 0; c < k; c++) W[t * k + c] /= sd;
          for (let j = 0; j < d; j++) components[t * d + j] /= sd;
        }
      }
    } else {
      components = W.slice();
    }
    this.st = {
      d,
      k,
      components,
      mixing: pinvRows(components, k, d),
      mean,
      whitening: K,
      unmixing: W,
      nIter,
      stopReason: stop,
      lastChange,
    };
  }

  private get s(): ICAFit {
    return fitted(this.st, 'FastICA');
  }
  /** Unmixing matrix applied to centred data, k × d: sources = (X − mean)·componentsᵀ. */
  get components(): Matrix<Float64Array> {
    const s = this.s;
    return new Matrix(s.components.slice(), s.k, s.d);
  }
  /** Mixing matrix, d × k (pseudo-inverse of components): X ≈ sources·mixingᵀ + mean. */
  get mixing(): Matrix<Float64Array> {
    const s = this.s;
    return new Matrix(s.mixing.slice(), s.d, s.k);
  }
  get mean(): Float64Array {
    return this.s.mean.slice();
  }
  /** Whitening matrix K (k × d), or null when whiten is false. */
  get whitening(): Matrix<Float64Array> | null {
    const s = this.s;
    return s.whitening ? new Matrix(s.whitening.slice(), s.k, s.d) : null;
  }
  /** Iterations run (the maximum over components for deflation). */
  get nIter(): number {
    return this.s.nIter;
  }
  get stopReason(): StopReason {
    return this.s.stopReason;
  }
  get converged(): boolean {
    return this.s.stopReason === 'converged';
  }
  /** The last value of max |1 − |⟨w⁺, w⟩||. */
  get lastChange(): number {
    return this.s.lastChange;
  }
  get nComponents(): number {
    return this.s.k;
  }

  /** Estimated sources (n × k): (X − mean)·componentsᵀ. */
  transform(X: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    const M = toMatrix(X, 'X') as F64Matrix;
    checkFeatures(M, s.d);
    return this.transformChecked(M);
  }

  private transformChecked(M: F64Matrix): Matrix<Float64Array> {
    const s = this.s;
    const out = new Float64Array(M.rows * s.k);
    projectRows(M, s.mean, s.components, s.k, out);
    return new Matrix(out, M.rows, s.k);
  }

  /** Mixes sources back: S·mixingᵀ + mean (n × d). */
  inverseTransform(S: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    const M = toMatrix(S, 'S') as F64Matrix;
    if (M.cols !== s.k)
      throw new ValidationError(`S has ${M.cols} columns, but the model has nComponents=${s.k}`);
    return synthesize(M, s.mixing, s.mean, s.d, true);
  }

  getState(): ModelState {
    const s = this.s;
    const arrays: ModelState['arrays'] = {
      components: { data: s.components, shape: [s.k, s.d] },
      mixing: { data: s.mixing, shape: [s.d, s.k] },
      mean: { data: s.mean, shape: [s.d] },
      unmixing: { data: s.unmixing, shape: [s.k, s.k] },
    };
    if (s.whitening) arrays.whitening = { data: s.whitening, shape: [s.k, s.d] };
    return {
      className: 'FastICA',
      version: 1,
      options: serialisableOptions(this.options),
      meta: {
        d: s.d,
        k: s.k,
        nIter: s.nIter,
        stopReason: s.stopReason,
        lastChange: Number.isFinite(s.lastChange) ? s.lastChange : null,
      },
      arrays,
    };
  }

  static fromState(state: ModelState): FastICA {
    const m = new FastICA(state.options as FastICAOptions);
    const meta = state.meta as Record<string, unknown>;
    m.st = {
      d: meta.d as number,
      k: meta.k as number,
      nIter: meta.nIter as number,
      stopReason: meta.stopReason as StopReason,
      lastChange: (meta.lastChange as number | null) ?? Infinity,
      components: stateArray(state, 'components', Float64Array).data,
      mixing: stateArray(state, 'mixing', Float64Array).data,
      mean: stateArray(state, 'mean', Float64Array).data,
      unmixing: stateArray(state, 'unmixing', Float64Array).data,
      whitening: state.arrays.whitening ? stateArray(state, 'whitening', Float64Array).data : null,
    };
    return m;
  }
}

registerModel('FastICA', (s) => FastICA.fromState(s));
