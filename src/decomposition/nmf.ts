/**
 * Non-negative matrix factorisation, Frobenius loss.
 *
 * Reference: seed 004, "Non-negative matrix factorization": min ½‖X − WH‖²_F s.t. W ≥ 0, H ≥ 0
 * (parts-based representation; Lee & Seung 1999). Solvers:
 *  - 'cd': coordinate descent on one column of W (then one row of H) at a time with the others
 *    fixed — hierarchical alternating least squares (HALS; Cichocki & Phan 2009, "Fast local
 *    algorithms for large scale nonnegative matrix and tensor factorizations"), as scikit-learn's
 *    'cd' solver (Hsieh & Dhillon 2011 for the projected-gradient stopping rule): each scalar
 *    update is the exact minimiser of the objective in that variable, clipped at 0, so the
 *    objective never increases.
 *  - 'mu': multiplicative updates (Lee & Seung 2001, "Algorithms for non-negative matrix
 *    factorization"), W ← W ∘ (XHᵀ) ⊘ (WHHᵀ), H ← H ∘ (WᵀX) ⊘ (WᵀWH): non-increasing objective,
 *    non-negativity kept by construction.
 * Initialisation (Boutsidis & Gallopoulos 2008): NNDSVD from the leading singular triplets (as
 * scikit-learn, by randomized subspace iteration, here on the Gram matrix of the smaller side), its
 * variants 'nndsvda' (zeros → mean of X) and 'nndsvdar' (zeros → small random values), or 'random'.
 * Optional elastic-net penalties follow scikit-learn 1.2 (alphaW, alphaH, l1Ratio, scaled by
 * nFeatures for W and nSamples for H).
 *
 * Every dense product (XHᵀ, XᵀW, HHᵀ, WᵀW) goes through the gemm/syrk kernels; the O(nk²) scalar
 * sweeps are the only loops here. The objective is tracked from those products
 * (‖X‖² − 2⟨W, XHᵀ⟩ + ⟨WᵀW, HHᵀ⟩), never by forming WH.
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
import { gemm, syrk } from '../kernels/index.js';
import { gramSvd, norm2, type F64Matrix } from './_shared.js';

export type NMFInit = 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar' | 'custom';

export interface NMFOptions extends IterativeOptions {
  /** Number of components k. Default: nFeatures. */
  nComponents?: number;
  /**
   * Initialisation; default: 'nndsvda' when k ≤ min(n, d), else 'random' (scikit-learn 1.2).
   * 'custom' uses the W and H given to fit().
   */
  init?: NMFInit;
  /** 'cd' (coordinate descent / HALS, default) or 'mu' (multiplicative updates). */
  solver?: 'cd' | 'mu';
  /** Stopping tolerance (cd: projected-gradient norm relative to the first; mu: relative error decrease). Default 1e-4. */
  tol?: number;
  /** Maximum iterations. Default 200. */
  maxIter?: number;
  /** Randomise the coordinate order of 'cd'. Default false. */
  shuffle?: boolean;
  /** Penalty on W (× nFeatures). Default 0. */
  alphaW?: number;
  /** Penalty on H (× nSamples); default: same as alphaW. */
  alphaH?: number;
  /** Share of ℓ1 in the penalty (0 = ℓ2, 1 = ℓ1). Default 0. */
  l1Ratio?: number;
  /** Seed for 'random'/'nndsvdar' init and shuffling. Default 0. */
  seed?: number;
}

export const NMF_DEFAULTS: Readonly<NMFOptions> = Object.freeze({
  nComponents: undefined,
  init: undefined,
  solver: 'cd',
  tol: 1e-4,
  maxIter: 200,
  shuffle: false,
  alphaW: 0,
  alphaH: undefined,
  l1Ratio: 0,
  seed: 0,
  onProgress: undefined,
  signal: undefined,
});

const TABLE: ConstraintTable<NMFOptions> = {
  nComponents: { type: 'int', min: 1 },
  init: { type: 'enum', values: ['random', 'nndsvd', 'nndsvda', 'nndsvdar', 'custom'] },
  solver: { type: 'enum', values: ['cd', 'mu'] },
  tol: { type: 'number', min: 0 },
  maxIter: { type: 'int', min: 1 },
  shuffle: { type: 'boolean' },
  alphaW: { type: 'number', min: 0 },
  alphaH: { type: 'number', min: 0 },
  l1Ratio: { type: 'number', min: 0, max: 1 },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

/** float32 machine epsilon: scikit-learn's guard against 0 denominators in 'mu'. */
const EPSILON = 1.1920928955078125e-7;

/** Checks non-negativity, naming the first offending entry. */
export function assertNonNegative(M: Matrix, name: string, who: string): void {
  for (let i = 0; i < M.rows; i++) {
    for (let j = 0; j < M.cols; j++) {
      const v = M.get(i, j);
      if (v < 0)
        throw new ValidationError(
          `${name} has a negative value at row ${i}, column ${j}: ${v}; ${who} needs non-negative data`,
        );
    }
  }
}

/**
 * NNDSVD initialisation (Boutsidis & Gallopoulos 2008) as scikit-learn's _initialize_nmf.
 * Returns W (n × k) and H (k × d).
 */
export function nmfInit(
  X: F64Matrix,
  k: number,
  init: 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar',
  rng: Rng,
): { W: Float64Array; H: Float64Array } {
  const { rows: n, cols: d } = X;
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sum += X.get(i, j);
  const mean = sum / (n * d);
  const W = new Float64Array(n * k);
  const H = new Float64Array(k * d);
  if (init === 'random') {
    const avg = Math.sqrt(mean / k);
    for (let t = 0; t < k * d; t++) H[t] = Math.abs(avg * rng.normal());
    for (let t = 0; t < n * k; t++) W[t] = Math.abs(avg * rng.normal());
    return { W, H };
  }
  // scikit-learn uses randomized_svd here; the same randomized subspace iteration on the Gram matrix.
  const { s, U, Vt } = gramSvd(X, null, k, {
    nOversamples: 10,
    nIter: k < 0.1 * Math.min(n, d) ? 7 : 4,
    seed: rng.int(0x7fffffff),
  });
  const kk = s.length;
  // Leading triplet is non-negative up to sign.
  const s0 = Math.sqrt(s[0]!);
  for (let i = 0; i < n; i++) W[i * k] = s0 * Math.abs(U[i * kk]!);
  for (let j = 0; j < d; j++) H[j] = s0 * Math.abs(Vt[j]!);
  const xp = new Float64Array(n);
  const xn = new Float64Array(n);
  const yp = new Float64Array(d);
  const yn = new Float64Array(d);
  for (let t = 1; t < Math.min(k, kk); t++) {
    for (let i = 0; i < n; i++) {
      const v = U[i * kk + t]!;
      xp[i] = v > 0 ? v : 0;
      xn[i] = v < 0 ? -v : 0;
    }
    for (let j = 0; j < d; j++) {
      const v = Vt[t * d + j]!;
      yp[j] = v > 0 ? v : 0;
      yn[j] = v < 0 ? -v : 0;
    }
    const xpn = norm2(xp);
    const ypn = norm2(yp);
    const xnn = norm2(xn);
    const ynn = norm2(yn);
    const mp = xpn * ypn;
    const mn = xnn * ynn;
    const usePos = mp > mn;
    const sigma = usePos ? mp : mn;
    const lbd = Math.sqrt(s[t]! * sigma);
    const ux = usePos ? xp : xn;
    const vy = usePos ? yp : yn;
    const ux0 = usePos ? xpn : xnn;
    const vy0 = usePos ? ypn : ynn;
    for (let i = 0; i < n; i++) W[i * k + t] = (lbd * ux[i]!) / ux0;
    for (let j = 0; j < d; j++) H[t * d + j] = (lbd * vy[j]!) / vy0;
  }
  const eps = 1e-6;
  for (let t = 0; t < n * k; t++) if (W[t]! < eps || Number.isNaN(W[t]!)) W[t] = 0;
  for (let t = 0; t < k * d; t++) if (H[t]! < eps || Number.isNaN(H[t]!)) H[t] = 0;
  if (init === 'nndsvda') {
    for (let t = 0; t < n * k; t++) if (W[t] === 0) W[t] = mean;
    for (let t = 0; t < k * d; t++) if (H[t] === 0) H[t] = mean;
  } else if (init === 'nndsvdar') {
    for (let t = 0; t < n * k; t++) if (W[t] === 0) W[t] = Math.abs((mean * rng.normal()) / 100);
    for (let t = 0; t < k * d; t++) if (H[t] === 0) H[t] = Math.abs((mean * rng.normal()) / 100);
  }
  return { W, H };
}

/**
 * One HALS sweep over the columns of W (n × k) given HHt (k × k) and XHt (n × k), as scikit-learn's
 * _update_cdnmf_fast; returns the projected-gradient violation Σ|pg|.
 *
 * scikit-learn loops columns outside and rows inside. The update of W[i, t] reads only row i of W,
 * so rows are independent and looping rows outside (each row's columns in the same order) gives the
 * identical iterates, while keeping the row and HHt in cache instead of streaming W k times.
 */
function cdSweep(
  W: Float64Array,
  n: number,
  k: number,
  HHt: Float64Array,
  XHt: Float64Array,
  perm: Int32Array,
): number {
  let violation = 0;
  const k4 = k - (k % 4);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let s = 0; s < k; s++) {
      const t = perm[s]!;
      const h = t * k;
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      let g3 = 0;
      let r = 0;
      for (; r < k4; r += 4) {
        g0 += HHt[h + r]! * W[row + r]!;
        g1 += HHt[h + r + 1]! * W[row + r + 1]!;
        g2 += HHt[h + r + 2]! * W[row + r + 2]!;
        g3 += HHt[h + r + 3]! * W[row + r + 3]!;
      }
      for (; r < k; r++) g0 += HHt[h + r]! * W[row + r]!;
      const grad = g0 + g1 + (g2 + g3) - XHt[row + t]!;
      const w = W[row + t]!;
      const pg = w === 0 ? Math.min(0, grad) : grad;
      violation += Math.abs(pg);
      const hess = HHt[h + t]!;
      if (hess !== 0) {
        const nw = w - grad / hess;
        W[row + t] = nw > 0 ? nw : 0;
      }
    }
  }
  return violation;
}

interface NMFWork {
  X: F64Matrix;
  Xt: Float64Array; // d × n (transposed copy; the H step works on Xᵀ)
  Xd: Float64Array; // n × d row-major
  n: number;
  d: number;
  k: number;
  xx: number; // ‖X‖²
}

function makeWork(X: F64Matrix, k: number): NMFWork {
  const { rows: n, cols: d } = X;
  const Xc = X.contiguous();
  const Xt = new Float64Array(d * n);
  let xx = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = Xc.data[i * d + j]!;
      Xt[j * n + i] = v;
      xx += v * v;
    }
  }
  return { X, Xt, Xd: Xc.data, n, d, k, xx };
}

interface NMFFit {
  n: number;
  d: number;
  k: number;
  H: Float64Array; // k × d
  nIter: number;
  stopReason: StopReason;
  reconstructionErr: number;
  losses: number[];
}

/**
 * NMF: X (n × d, non-negative) ≈ W·H with W (n × k) ≥ 0 and H (k × d) ≥ 0.
 * `fitTransform(X)` returns W; `components` is H; `transform(Xnew)` solves for W with H fixed.
 *
 * @example
 *   const nmf = new NMF({ nComponents: 20, seed: 0 });
 *   const W = nmf.fitTransform(images); // parts in nmf.components
 */
export class NMF {
  readonly options: Readonly<NMFOptions>;
  private st?: NMFFit;

  constructor(options: NMFOptions = {}) {
    this.options = validateOptions('NMF', NMF_DEFAULTS, TABLE, options);
  }

  fit(X: MatrixLike, init?: { W: MatrixLike; H: MatrixLike }): this {
    this.fitTransform(X, init);
    return this;
  }

  fitTransform(X: MatrixLike, init?: { W: MatrixLike; H: MatrixLike }): Matrix<Float64Array> {
    const M = toMatrix(X, 'X') as F64Matrix;
    assertNonNegative(M, 'X', 'NMF');
    const o = this.options;
    const { rows: n, cols: d } = M;
    const k = o.nComponents ?? d;
    let mode = o.init ?? (k <= Math.min(n, d) ? 'nndsvda' : 'random');
    if (init && o.init === undefined) mode = 'custom';
    if (mode !== 'random' && mode !== 'custom' && k > Math.min(n, d)) {
      throw new ValidationError(
        `init '${mode}' needs nComponents=${k} <= min(nSamples=${n}, nFeatures=${d})`,
      );
    }
    let sum = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sum += M.get(i, j);
    if (sum === 0 && mode !== 'custom')
      throw new ValidationError('X is all zeros; NMF needs at least one positive value');
    const rng = new Rng(o.seed);
    let W: Float64Array;
    let H: Float64Array;
    if (mode === 'custom') {
      if (!init) throw new ValidationError("init 'custom' needs fit(X, { W, H })");
      const Wm = toMatrix(init.W, 'W') as F64Matrix;
      const Hm = toMatrix(init.H, 'H') as F64Matrix;
      if (Wm.rows !== n || Wm.cols !== k)
        throw new ValidationError(`W has shape ${Wm.rows}x${Wm.cols}; expected ${n}x${k}`);
      if (Hm.rows !== k || Hm.cols !== d)
        throw new ValidationError(`H has shape ${Hm.rows}x${Hm.cols}; expected ${k}x${d}`);
      assertNonNegative(Wm, 'W', 'NMF');
      assertNonNegative(Hm, 'H', 'NMF');
      W = Wm.clone().data as Float64Array;
      H = Hm.clone().data as Float64Array;
    } else {
      ({ W, H } = nmfInit(M, k, mode, rng));
    }
    const work = makeWork(M, k);
    const r = this.solve(work, W, H, true, rng);
    this.st = {
      n,
      d,
      k,
      H,
      nIter: r.nIter,
      stopReason: r.stop,
      reconstructionErr: Math.sqrt(2 * r.loss0),
      losses: r.losses,
    };
    return new Matrix(W, n, k);
  }

  /**
   * Runs the chosen solver on W (and H when updateH). Returns the final ½‖X − WH‖² (loss0, no
   * penalty) and the per-iteration objective (with penalty).
   */
  private solve(
    w: NMFWork,
    W: Float64Array,
    H: Float64Array,
    updateH: boolean,
    rng: Rng,
  ): { nIter: number; stop: StopReason; loss0: number; losses: number[] } {
    const o = this.options;
    const { n, d, k, Xd, Xt, xx } = w;
    const alphaW = o.alphaW!;
    const alphaH = o.alphaH ?? alphaW;
    const l1r = o.l1Ratio!;
    const l1W = d * alphaW * l1r;
    const l2W = d * alphaW * (1 - l1r);
    const l1H = updateH ? n * alphaH * l1r : 0;
    const l2H = updateH ? n * alphaH * (1 - l1r) : 0;
    const Ht = new Float64Array(d * k); // H transposed (d × k): the H step is a W step on Xᵀ
    for (let t = 0; t < k; t++) for (let j = 0; j < d; j++) Ht[j * k + t] = H[t * d + j]!;
    const HHt = new Float64Array(k * k);
    const WtW = new Float64Array(k * k);
    const XHt = new Float64Array(n * k);
    const XtW = new Float64Array(d * k);
    const perm = new Int32Array(k);
    for (let t = 0; t < k; t++) perm[t] = t;
    const losses: number[] = [];
    const reporter = new ProgressReporter(o, o.maxIter!);
    const penalty = (): number => {
      if (alphaW === 0 && alphaH === 0) return 0;
      let s1w = 0;
      let s2w = 0;
      let s1h = 0;
      let s2h = 0;
      for (let t = 0; t < n * k; t++) {
        s1w += W[t]!;
        s2w += W[t]! * W[t]!;
      }
      for (let t = 0; t < d * k; t++) {
        s1h += Ht[t]!;
        s2h += Ht[t]! * Ht[t]!;
      }
      return l1W * s1w + 0.5 * l2W * s2w + l1H * s1h + 0.5 * l2H * s2h;
    };
    // ½‖X − WH‖² from XtW (= XᵀW for the current W), WtW and HHt (current H).
    const lossFrom = (): number => {
      let cross = 0;
      for (let t = 0; t < d * k; t++) cross += Ht[t]! * XtW[t]!;
      let quad = 0;
      for (let t = 0; t < k * k; t++) quad += WtW[t]! * HHt[t]!;
      return Math.max(0, 0.5 * (xx - 2 * cross + quad));
    };
    const products = (): void => {
      syrk(d, k, Ht, HHt, {}); // HHᵀ = Htᵀ·Ht
      gemm(n, k, d, Xd, Ht, XHt); // X·Hᵀ
    };
    const hProducts = (): void => {
      syrk(n, k, W, WtW, {}); // WᵀW
      gemm(d, k, n, Xt, W, XtW); // Xᵀ·W
    };

    let nIter = 0;
    let stop: StopReason = 'maxIter';
    let loss0 = 0;
    if (o.solver === 'cd') {
      let violationInit = 0;
      for (let it = 1; it <= o.maxIter!; it++) {
        products();
        if (l2W !== 0) for (let t = 0; t < k; t++) HHt[t * k + t] += l2W;
        if (l1W !== 0) for (let t = 0; t < n * k; t++) XHt[t] -= l1W;
        if (o.shuffle) rng.shuffle(perm);
        let violation = cdSweep(W, n, k, HHt, XHt, perm);
        hProducts();
        if (updateH) {
          if (l2H !== 0) for (let t = 0; t < k; t++) WtW[t * k + t] += l2H;
          if (l1H !== 0) for (let t = 0; t < d * k; t++) XtW[t] -= l1H;
          if (o.shuffle) rng.shuffle(perm);
          violation += cdSweep(Ht, d, k, WtW, XtW, perm);
          if (l2H !== 0) for (let t = 0; t < k; t++) WtW[t * k + t] -= l2H;
          if (l1H !== 0) for (let t = 0; t < d * k; t++) XtW[t] += l1H;
        }
        syrk(d, k, Ht, HHt, {});
        loss0 = lossFrom();
        const loss = loss0 + penalty();
        losses.push(loss);
        nIter = it;
        if (it === 1) violationInit = violation;
        const r = reporter.report(it, loss, { violation: violationInit > 0 ? violation / violationInit : 0 });
        if (violationInit === 0 || violation / violationInit <= o.tol!) {
          stop = 'converged';
          break;
        }
        if (r) {
          stop = r;
          break;
        }
      }
    } else {
      const den = new Float64Array(Math.max(n, d) * k);
      let errorInit = -1;
      let prevError = 0;
      for (let it = 1; it <= o.maxIter!; it++) {
        // W ← W ∘ (XHᵀ) ⊘ (W·HHᵀ + l1 + l2·W)
        products();
        gemm(n, k, k, W, HHt, den);
        if (errorInit < 0) {
          // error at init: ‖X − WH‖ from the fresh products (scikit-learn computes it before the loop)
          hProducts();
          errorInit = Math.sqrt(2 * lossFrom());
          prevError = errorInit;
        }
        for (let t = 0; t < n * k; t++) {
          let dn = den[t]! + l1W + l2W * W[t]!;
          if (dn === 0) dn = EPSILON;
          W[t] = (W[t]! * XHt[t]!) / dn;
        }
        hProducts();
        if (updateH) {
          // Hᵀ ← Hᵀ ∘ (XᵀW) ⊘ (Hᵀ·WᵀW + l1 + l2·Hᵀ)
          gemm(d, k, k, Ht, WtW, den);
          for (let t = 0; t < d * k; t++) {
            let dn = den[t]! + l1H + l2H * Ht[t]!;
            if (dn === 0) dn = EPSILON;
            Ht[t] = (Ht[t]! * XtW[t]!) / dn;
          }
        }
        syrk(d, k, Ht, HHt, {});
        loss0 = lossFrom();
        const loss = loss0 + penalty();
        losses.push(loss);
        nIter = it;
        const r = reporter.report(it, loss);
        if (o.tol! > 0 && it % 10 === 0) {
          const error = Math.sqrt(2 * loss0);
          if ((prevError - error) / errorInit < o.tol!) {
            stop = 'converged';
            break;
          }
          prevError = error;
        }
        if (r) {
          stop = r;
          break;
        }
      }
    }
    for (let t = 0; t < k; t++) for (let j = 0; j < d; j++) H[t * d + j] = Ht[j * k + t]!;
    return { nIter, stop, loss0, losses };
  }

  private get s(): NMFFit {
    return fitted(this.st, 'NMF');
  }
  /** H, k × d (the parts). */
  get components(): Matrix<Float64Array> {
    const s = this.s;
    return new Matrix(s.H.slice(), s.k, s.d);
  }
  get nComponents(): number {
    return this.s.k;
  }
  get nIter(): number {
    return this.s.nIter;
  }
  get stopReason(): StopReason {
    return this.s.stopReason;
  }
  /** ‖X − WH‖_F at the end of fit (scikit-learn's reconstruction_err_). */
  get reconstructionErr(): number {
    return this.s.reconstructionErr;
  }
  /** Objective ½‖X − WH‖² (+ penalty) after each iteration. */
  get objectiveHistory(): number[] {
    return this.s.losses.slice();
  }

  /** W for new data with H fixed (n × k). */
  transform(X: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    const M = toMatrix(X, 'X') as F64Matrix;
    checkFeatures(M, s.d);
    assertNonNegative(M, 'X', 'NMF');
    const n = M.rows;
    const W = new Float64Array(n * s.k);
    if (this.options.solver === 'mu') {
      let sum = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < s.d; j++) sum += M.get(i, j);
      W.fill(Math.sqrt(sum / (n * s.d) / s.k));
    }
    const H = s.H.slice();
    this.solve(makeWork(M, s.k), W, H, false, new Rng(this.options.seed));
    return new Matrix(W, n, s.k);
  }

  /** W·H (n × d). */
  inverseTransform(W: MatrixLike): Matrix<Float64Array> {
    const s = this.s;
    const M = toMatrix(W, 'W') as F64Matrix;
    if (M.cols !== s.k)
      throw new ValidationError(`W has ${M.cols} columns, but the model has nComponents=${s.k}`);
    const out = new Float64Array(M.rows * s.d);
    gemm(M.rows, s.d, s.k, M.data, s.H, out);
    return new Matrix(out, M.rows, s.d);
  }

  getState(): ModelState {
    const s = this.s;
    return {
      className: 'NMF',
      version: 1,
      options: serialisableOptions(this.options),
      meta: {
        n: s.n,
        d: s.d,
        k: s.k,
        nIter: s.nIter,
        stopReason: s.stopReason,
        reconstructionErr: s.reconstructionErr,
      },
      arrays: {
        H: { data: s.H, shape: [s.k, s.d] },
        losses: { data: Float64Array.from(s.losses), shape: [s.losses.length] },
      },
    };
  }

  static fromState(state: ModelState): NMF {
    const m = new NMF(state.options as NMFOptions);
    const meta = state.meta as Record<string, unknown>;
    m.st = {
      n: meta.n as number,
      d: meta.d as number,
      k: meta.k as number,
      nIter: meta.nIter as number,
      stopReason: meta.stopReason as StopReason,
      reconstructionErr: meta.reconstructionErr as number,
      H: stateArray(state, 'H', Float64Array).data,
      losses: Array.from(stateArray(state, 'losses', Float64Array).data),
    };
    return m;
  }
}

registerModel('NMF', (s) => NMF.fromState(s));
