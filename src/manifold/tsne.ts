/**
 * t-SNE: t-distributed stochastic neighbour embedding.
 *
 * References: van der Maaten & Hinton (2008), "Visualizing data using t-SNE", JMLR 9 (seed decks 000
 * and 004: conditional Gaussians with perplexity-calibrated σ_i, p_ij = (p_{j|i} + p_{i|j})/2n,
 * Student-t q_ij); van der Maaten (2014), "Accelerating t-SNE using tree-based algorithms", JMLR 15
 * (sparse k-NN P with k = 3·perplexity, Barnes-Hut gradient); Linderman et al. (2019), "Fast
 * interpolation-based t-SNE for improved visualization of single-cell RNA-seq data", Nature Methods
 * (FFT-accelerated interpolation); Belkina et al. (2019), Nature Communications (learning rate N/α);
 * Kobak & Linderman (2021) (PCA initialisation).
 *
 * Objective: C = KL(P‖Q) = Σ_ij p_ij log(p_ij / q_ij), q_ij ∝ (1 + ‖y_i − y_j‖²/α)^{−(α+1)/2}.
 *
 * Optimisation as openTSNE / scikit-learn: early exaggeration (P × 12 for 250 iterations, momentum 0.5),
 * then momentum 0.8; per-coordinate gains (+0.2 when the gradient changes sign, ×0.8 otherwise,
 * ≥ 0.01); the embedding is re-centred after every step. Gradient convention (see gradient.ts): the
 * gradient without its constant factor 2(α+1)/α = 4, as openTSNE and FIt-SNE, so learning rate 'auto'
 * is max(200, N / exaggeration) in each phase (openTSNE's rule; during early exaggeration N/12, the
 * value scikit-learn's 'auto' N/(4·12) gives with its 4× larger gradient). The KL divergence reported
 * through onProgress every 50 iterations is that of the un-exaggerated P.
 *
 * Differences from the references: the approximate k-NN (used above ~22,000 points in 50
 * dimensions) is a random-projection forest with one neighbour-of-neighbour pass (openTSNE uses
 * Annoy or PyNNDescent); exact k-NN comes from src/neighbors (kd-tree) in low dimension and from
 * the blocked `sqdist` kernel otherwise. FFT grids have 2^k or 3·2^k points per side, and 5·2^k
 * from 640 up (the box count is rounded up to fill them, which only adds accuracy). Barnes-Hut for
 * 2-D maps with α = 1 runs in the kernels (kernels/ts-tsne.ts and its WebAssembly twin): a
 * Morton-ordered quadtree traversed once per group of ≤ 64 nearby points (Barnes 1990), whose cell
 * criterion is measured from the group's bounding box, so it is at least as strict as van der
 * Maaten's per-point one (the repulsion error on a 10,000-point MNIST map is 3.7x smaller than the
 * per-point tree's at the same θ; the WebAssembly kernel evaluates the lists in float32 lanes, as
 * scikit-learn's float32 positions); the attraction visits each symmetric pair once; both are split
 * over the kernels' worker pool, with results independent of the split. 'exact' on such maps is the
 * same kernel with θ = 0 (every leaf opened, float64). The FFT-interpolated gradient runs in the
 * kernels too (kernels/ts-fft.ts and assembly/fft.ts: both charge grids in the two f64 lanes, pruned
 * for the zero padding, split over the pool). 'auto' switches between FFT and Barnes-Hut per
 * iteration by a cost model of the active backend (with the WebAssembly kernels and the pool, a
 * 70,000-point map takes the FFT while its grid side is at most ~768, i.e. early in the optimisation,
 * and Barnes-Hut once the map has spread). Maps of >= 5,000 points are optimised in reverse
 * Cuthill-McKee order of P for cache locality.
 *
 * Bad input: perplexity >= nSamples is an error naming both numbers; NaN/Infinity are named by row
 * and column; duplicate points are allowed (distance 0 gives them the largest affinity; a point
 * whose neighbours are all at one distance gets the uniform distribution over them, as in
 * scikit-learn), and the map stays finite.
 */
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { checkFeatures, toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { NumericalError, ValidationError } from '../core/errors.js';
import {
  fitted,
  registerModel,
  serialisableOptions,
  stateArray,
  type ModelState,
} from '../core/estimator.js';
import { ProgressReporter, type IterativeOptions, type StopReason } from '../core/progress.js';
import { HeapBuffers, getBackend, getPoolStats, sqdist, rowSqNorms } from '../kernels/index.js';
import { binarySearchPerplexity, symmetrizeDense, symmetrizeKnn, type Csr } from './affinity.js';
import { approxKnn, exactKnn, exactKnnQuery } from './knn.js';
import { kNearest } from '../neighbors/index.js';
import {
  Bh2dGradient,
  PairAttraction,
  BhTree,
  FftWorkspace,
  bhGradient,
  bhRepulsive,
  entropyTerm,
  exactGradient,
  fftGradient,
  fftGrid,
} from './gradient.js';
import { initialEmbedding } from './init.js';
import { MAX_FFT_GRID } from '../kernels/ts-fft.js';
import { reverseCuthillMcKee } from './sparse.js';

export type TsneMethod = 'auto' | 'exact' | 'barnes-hut' | 'fft';
/** What 'auto' resolves to; 'fft+barnes-hut' picks the cheaper of the two at every iteration. */
export type TsneResolvedMethod = 'exact' | 'barnes-hut' | 'fft' | 'fft+barnes-hut';

export interface TsneOptions extends IterativeOptions {
  /** Output dimension. 2 or 3 for 'barnes-hut', 2 for 'fft', any for 'exact'. Default 2. */
  nComponents?: number;
  /** Effective number of neighbours (2^entropy of each P_i), must be < nSamples. Typical 5-50. Default 30. */
  perplexity?: number;
  /** Factor on P during the first `earlyExaggerationIter` iterations. Default 12. */
  earlyExaggeration?: number;
  /** Number of early-exaggeration iterations. Default 250. */
  earlyExaggerationIter?: number;
  /** Total iterations, early exaggeration included. Default 750 (openTSNE: 250 + 500). */
  nIter?: number;
  /** Step size, or 'auto' = max(200, N / exaggeration) (Belkina et al. 2019, openTSNE). Default 'auto'. */
  learningRate?: number | 'auto';
  /** Momentum during early exaggeration. Default 0.5. */
  momentum?: number;
  /** Momentum afterwards. Default 0.8. */
  finalMomentum?: number;
  /** Lower bound of the per-coordinate gains. Default 0.01. */
  minGain?: number;
  /**
   * Gradient method. 'auto': 'exact' for n < 1000; for 2-D, α = 1 and n >= 5000 'fft+barnes-hut',
   * which at every iteration takes whichever of FFT interpolation and Barnes-Hut a cost model says
   * is cheaper for the current map (see `fftCheaper`: costs of the active backend measured on this
   * project's 2-core machine, as functions of n and of the N × N grid the map's extent needs; the
   * choice depends only on the map and the configuration, so runs stay deterministic); else
   * 'barnes-hut'. 'fft' uses Barnes-Hut for the iterations where the map is too wide for an FFT grid
   * (side > MAX_FFT_GRID = 4096, about 650 units). Default 'auto'.
   */
  method?: TsneMethod;
  /** Barnes-Hut opening angle (0 = exact, larger = faster and coarser). Default 0.5. */
  theta?: number;
  /** Degrees of freedom α of the Student-t output kernel (1 = Cauchy, the standard t-SNE). Default 1. */
  degreesOfFreedom?: number;
  /** 'pca' (scaled to std 1e-4) or 'random' (N(0, 1e-4²)). Default 'pca'. */
  init?: 'pca' | 'random';
  /**
   * k-NN for the sparse affinities: 'exact' (blocked brute force), 'approx' (random-projection forest
   * + refinement), 'auto' (exact for n <= 20000 or d <= 10... see `knnMethodFor`). Default 'auto'.
   */
  neighbors?: 'auto' | 'exact' | 'approx';
  /** Seed of the random parts (initialisation when random, approximate k-NN). Default 0. */
  seed?: number;
}

type TsneResolved = Required<Omit<TsneOptions, 'onProgress' | 'signal'>> & IterativeOptions;

export const TSNE_DEFAULTS: Readonly<TsneResolved> = {
  nComponents: 2,
  perplexity: 30,
  earlyExaggeration: 12,
  earlyExaggerationIter: 250,
  nIter: 750,
  learningRate: 'auto',
  momentum: 0.5,
  finalMomentum: 0.8,
  minGain: 0.01,
  method: 'auto',
  theta: 0.5,
  degreesOfFreedom: 1,
  init: 'pca',
  neighbors: 'auto',
  seed: 0,
};

const TABLE: ConstraintTable<TsneOptions> = {
  nComponents: { type: 'int', min: 1 },
  perplexity: { type: 'number', min: 0, exclusiveMin: true },
  earlyExaggeration: { type: 'number', min: 0, exclusiveMin: true },
  earlyExaggerationIter: { type: 'int', min: 0 },
  nIter: { type: 'int', min: 0 },
  learningRate: {
    type: 'oneOf',
    options: [
      { type: 'number', min: 0, exclusiveMin: true },
      { type: 'enum', values: ['auto'] },
    ],
  },
  momentum: { type: 'number', min: 0, max: 1 },
  finalMomentum: { type: 'number', min: 0, max: 1 },
  minGain: { type: 'number', min: 0 },
  method: { type: 'enum', values: ['auto', 'exact', 'barnes-hut', 'fft'] },
  theta: { type: 'number', min: 0 },
  degreesOfFreedom: { type: 'number', min: 0, exclusiveMin: true },
  init: { type: 'enum', values: ['pca', 'random'] },
  neighbors: { type: 'enum', values: ['auto', 'exact', 'approx'] },
  seed: { type: 'int' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
};

/** The gradient method 'auto' picks (documented thresholds). */
export function tsneMethodFor(n: number, nComponents: number, dof: number): TsneResolvedMethod {
  if (n < 1000 || nComponents > 3) return 'exact';
  if (nComponents === 2 && dof === 1 && n >= 5000) return 'fft+barnes-hut';
  return 'barnes-hut';
}

/**
 * Seconds per n·log2(n) of one Barnes-Hut iteration (repulsion + attraction + update) on the active
 * kernels, measured on MNIST maps on the 2-core machine of BENCHMARKS.md: WebAssembly with the worker
 * pool ~2.5 ms at 10,000 points and ~20 ms at 70,000 (18 ns per n·log2 n at both); one WebAssembly
 * thread about twice that; TypeScript ~12 ms at 10,000. It depends only on the configuration, never on
 * timings, so runs stay deterministic.
 */
function bhCostPerNLogN(): number {
  if (getBackend().name !== 'wasm') return 90e-9;
  return getPoolStats().threads > 0 ? 18e-9 : 34e-9;
}

/**
 * Seconds of one FFT gradient per N²·log2 N of its grid and per point (spread, gather, attraction) on
 * the active kernels, measured on 70,000-point maps at N = 192, 640 and 1280 on the 2-core machine of
 * BENCHMARKS.md: WebAssembly with the worker pool 8.8 / 15.2 / 36 ms, one WebAssembly thread
 * 14 / 24 / 62 ms, TypeScript 29 / 59 / 172 ms. Like bhCostPerNLogN it depends only on the configuration.
 */
function fftCosts(): { grid: number; point: number } {
  if (getBackend().name !== 'wasm') return { grid: 8.6e-9, point: 0.37e-6 };
  return getPoolStats().threads > 0 ? { grid: 1.6e-9, point: 0.13e-6 } : { grid: 2.9e-9, point: 0.185e-6 };
}

/**
 * Grid side the FFT gradient needs for map Y with the default options (as `fftRepulsive` computes it);
 * beyond MAX_FFT_GRID (maps wider than about 650 units) Barnes-Hut runs instead, also with 'fft'.
 */
function fftGridSide(Y: Float64Array, n: number): number {
  return fftGrid(Y, n).N;
}

/**
 * The cost model of 'fft+barnes-hut': true when the FFT gradient is expected to be cheaper. With the
 * WebAssembly kernels and the pool, a 70,000-point map takes the FFT while its grid side is at most
 * 768 (Barnes-Hut ~20 ms; FFT ~9 ms + 1.6 ns·N² log2 N), a 10,000-point map up to N ≈ 256.
 */
export function fftCheaper(Y: Float64Array, n: number): boolean {
  const N = fftGridSide(Y, n);
  if (N > MAX_FFT_GRID) return false;
  const c = fftCosts();
  const fft = c.grid * N * N * Math.log2(N) + c.point * n;
  const bh = bhCostPerNLogN() * n * Math.log2(n);
  return fft < bh;
}

/** The k-NN method 'auto' picks: brute force while n²·d stays below ~2.5e10 multiply-adds. */
export function knnMethodFor(n: number, d: number): 'exact' | 'approx' {
  return n * n * d <= 2.5e10 || n <= 5000 || d <= 15 ? 'exact' : 'approx';
}

export interface TsneAffinities {
  P: Csr;
  /** Max |H(P_i) − log perplexity| over the points (nats). */
  maxEntropyError: number;
}

/**
 * Joint probabilities P of t-SNE. `exact`: over all pairs (scikit-learn `_joint_probabilities`);
 * otherwise over the k = min(n − 1, ⌊3·perplexity + 1⌋) nearest neighbours (`_joint_probabilities_nn`).
 * Assumes X validated and perplexity < n.
 */
export function tsneAffinities(
  X: Float64Array,
  n: number,
  d: number,
  perplexity: number,
  exact: boolean,
  neighbors: 'auto' | 'exact' | 'approx' = 'auto',
  seed = 0,
): TsneAffinities {
  if (exact) {
    const D = new Float64Array(n * n);
    const norms = new Float64Array(n);
    rowSqNorms(n, d, X, norms);
    sqdist(n, n, d, X, X, D, { xNorms: norms, yNorms: norms });
    const r = binarySearchPerplexity(D, n, n, perplexity, true);
    return { P: symmetrizeDense(r.P, n), maxEntropyError: maxOf(r.entropyError) };
  }
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const which = neighbors === 'auto' ? knnMethodFor(n, d) : neighbors;
  let g: { indices: Int32Array; distances: Float64Array };
  if (which === 'exact' && d <= 15) {
    // low dimension: the kd-tree of src/neighbors (Euclidean distances, squared here)
    const r = kNearest(new Matrix(X, n, d), k);
    for (let t = 0; t < r.distances.length; t++) r.distances[t] = r.distances[t]! * r.distances[t]!;
    g = r;
  } else g = which === 'exact' ? exactKnn(X, n, d, k) : approxKnn(X, n, d, k, { seed });
  const r = binarySearchPerplexity(g.distances, n, k, perplexity);
  return { P: symmetrizeKnn(r.P, g.indices, n, k), maxEntropyError: maxOf(r.entropyError) };
}

function maxOf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

interface RunState {
  /** Optimisation order (new → original index), or null for the original order. */
  order: Int32Array | null;
  P: Csr;
  plogp: number;
  Y: Float64Array;
  update: Float64Array;
  gains: Float64Array;
  grad: Float64Array;
  rep: Float64Array;
  /** Y and rep, in wasm memory where they fit. */
  heap: HeapBuffers;
  method: TsneResolvedMethod;
  tree: BhTree | null;
  /** Barnes-Hut through the kernels (2-D, α = 1); holds P in wasm memory until disposed. */
  bh2d: Bh2dGradient | null;
  fftWs: FftWorkspace | null;
  /** 2-D, α = 1: P in wasm memory for the attraction kernel, shared by Barnes-Hut and the FFT. */
  att: PairAttraction | null;
  iter: number;
  kl: number;
  fftIters: number;
  bhIters: number;
}

/**
 * t-SNE estimator.
 *
 * @example
 * const tsne = new TSNE({ perplexity: 30, seed: 1 });
 * const Y = tsne.fitTransform(X);            // X: nSamples × nFeatures → Y: nSamples × 2
 * tsne.klDivergence;                          // final KL(P‖Q)
 * // animate: tsne.initialize(X); while (tsne.iteration < 750) { tsne.step(10); draw(tsne.embedding); }
 * // then tsne.finalize() (or tsne.dispose() to abandon the run)
 */
export class TSNE {
  readonly options: Readonly<TsneResolved>;
  private run?: RunState;
  private X?: Matrix<Float64Array>;
  private _embedding?: Matrix<Float64Array>;
  private _kl?: number;
  private _nIter?: number;
  private _stopReason?: StopReason;
  private _method?: TsneResolvedMethod;
  private _methodIters?: { fft: number; barnesHut: number };

  constructor(options: TsneOptions = {}) {
    this.options = validateOptions(
      'TSNE',
      TSNE_DEFAULTS as TsneOptions,
      TABLE,
      options,
    ) as Readonly<TsneResolved>;
  }

  /** Embedding (nSamples × nComponents) after fit, or the current one while stepping. */
  get embedding(): Matrix<Float64Array> {
    if (this.run) {
      const c = this.options.nComponents;
      return new Matrix(unpermuteRows(this.run.Y, this.run.order, c), this.run.Y.length / c, c);
    }
    return fitted(this._embedding, 'TSNE');
  }

  /** KL(P‖Q) of the final embedding. */
  get klDivergence(): number {
    return fitted(this._kl, 'TSNE');
  }

  get nIter(): number {
    return fitted(this._nIter, 'TSNE');
  }

  get stopReason(): StopReason {
    return fitted(this._stopReason, 'TSNE');
  }

  /** Gradient evaluations done by each approximate method (the 'fft+barnes-hut' split). */
  get methodIterations(): { fft: number; barnesHut: number } {
    return fitted(this._methodIters, 'TSNE');
  }

  /** Gradient method actually used. */
  get method(): TsneResolvedMethod {
    return fitted(this._method, 'TSNE');
  }

  /** Iterations done so far by `step` (0 after `initialize`). */
  get iteration(): number {
    return this.run?.iter ?? this._nIter ?? 0;
  }

  private resolveMethod(n: number): TsneResolvedMethod {
    const o = this.options;
    const c = o.nComponents;
    const m = o.method === 'auto' ? tsneMethodFor(n, c, o.degreesOfFreedom) : o.method;
    if (m === 'barnes-hut' && c !== 2 && c !== 3) {
      throw new ValidationError(`method 'barnes-hut' needs nComponents = 2 or 3; got ${c} (use 'exact')`);
    }
    if ((m === 'fft' || m === 'fft+barnes-hut') && (c !== 2 || o.degreesOfFreedom !== 1)) {
      throw new ValidationError(
        `method 'fft' needs nComponents = 2 and degreesOfFreedom = 1; got ${c} and ${o.degreesOfFreedom} (use 'barnes-hut')`,
      );
    }
    return m;
  }

  /**
   * Computes the affinities and the initial embedding; then call `step(k)` to optimise (the
   * explorer's animation), or use `fit`, which does both.
   */
  initialize(X: MatrixLike): this {
    const M = toMatrix(X, 'X', { minSamples: 2 }) as Matrix<Float64Array>;
    const n = M.rows;
    const d = M.cols;
    const o = this.options;
    if (o.perplexity >= n) {
      throw new ValidationError(`perplexity=${o.perplexity} must be < nSamples=${n}`);
    }
    const method = this.resolveMethod(n);
    this.disposeRun();
    const Xd = M.contiguous().data;
    const aff = tsneAffinities(Xd, n, d, o.perplexity, method === 'exact', o.neighbors, o.seed);
    const c = o.nComponents;
    const Y0 = initialEmbedding(Xd, n, d, c, o.init, o.seed);
    this.X = new Matrix(Xd.slice(), n, d);
    // Large maps are optimised in reverse Cuthill-McKee order of the P graph, so that a point's
    // neighbours sit at nearby indices and the attractive sum reads the map from cache; the
    // embedding is returned in the caller's order.
    const order = method !== 'exact' && n >= 5000 ? reverseCuthillMcKee(aff.P) : null;
    const P = order ? permuteCsr(aff.P, order) : aff.P;
    // the map and the repulsion live in wasm memory, where the kernels read and write them in place
    const heap = new HeapBuffers();
    const Y = heap.f64(n * c);
    Y.set(order ? permuteRows(Y0, order, c) : Y0);
    const att = c === 2 && o.degreesOfFreedom === 1 ? new PairAttraction(P) : null;
    const fftWs = method === 'fft' || method === 'fft+barnes-hut' ? new FftWorkspace() : null;
    if (fftWs && att) fftWs.useAttraction(att);
    this.run = {
      order,
      P,
      plogp: entropyTerm(P),
      Y,
      update: new Float64Array(n * c),
      gains: new Float64Array(n * c).fill(1),
      grad: new Float64Array(n * c),
      rep: heap.f64(n * c),
      heap,
      method,
      // the TypeScript per-point tree, for the maps the kernels do not take (3-D, α ≠ 1)
      tree: !att && (method === 'barnes-hut' || method === 'fft+barnes-hut') ? new BhTree(c) : null,
      // 2-D, α = 1: the kernels' Barnes-Hut (θ = 0 for 'exact': every leaf opened, the exact sum)
      bh2d: att ? new Bh2dGradient(att) : null,
      fftWs,
      att,
      fftIters: 0,
      bhIters: 0,
      iter: 0,
      kl: NaN,
    };
    this._method = method;
    this._embedding = undefined;
    this._kl = undefined;
    this._nIter = undefined;
    this._stopReason = undefined;
    return this;
  }

  /** Gradient G (convention of gradient.ts) at the current embedding; returns the KL when asked. */
  private gradient(exaggeration: number, computeKl: boolean): number {
    const r = this.run!;
    const o = this.options;
    const n = r.Y.length / o.nComponents;
    if (r.method === 'exact') {
      if (r.bh2d) return r.bh2d.gradient(r.Y, n, exaggeration, 0, r.rep, r.grad, r.plogp, computeKl).kl;
      return exactGradient(
        r.Y,
        n,
        o.nComponents,
        r.P,
        exaggeration,
        o.degreesOfFreedom,
        r.grad,
        r.plogp,
        computeKl,
      ).kl;
    }
    const useBh =
      r.method === 'barnes-hut' ||
      (r.method === 'fft+barnes-hut' && !fftCheaper(r.Y, n)) ||
      (r.method === 'fft' && fftGridSide(r.Y, n) > MAX_FFT_GRID);
    if (useBh) {
      r.bhIters++;
      if (r.bh2d) {
        return r.bh2d.gradient(r.Y, n, exaggeration, o.theta, r.rep, r.grad, r.plogp, computeKl).kl;
      }
      return bhGradient(
        r.Y,
        n,
        o.nComponents,
        r.P,
        exaggeration,
        o.degreesOfFreedom,
        o.theta,
        r.tree!,
        r.rep,
        r.grad,
        r.plogp,
        computeKl,
      ).kl;
    }
    r.fftIters++;
    return fftGradient(r.Y, n, r.P, exaggeration, r.fftWs!, r.rep, r.grad, r.plogp, computeKl).kl;
  }

  /**
   * Runs `k` optimisation iterations (default 1, never past `nIter`) from where the last call stopped; the schedule
   * (exaggeration, momentum) follows the global iteration count. Returns the KL divergence when it
   * was computed in these iterations (every 50th and the last of the schedule), else NaN.
   */
  step(k = 1, reporter?: ProgressReporter): number {
    const r = this.run;
    if (!r) throw new ValidationError('TSNE.step() needs initialize(X) first');
    const o = this.options;
    const n = r.Y.length / o.nComponents;
    const len = r.Y.length;
    let lastKl = NaN;
    const todo = Math.min(k, o.nIter - r.iter);
    for (let s = 0; s < todo; s++) {
      const it = r.iter;
      const early = it < o.earlyExaggerationIter;
      const exaggeration = early ? o.earlyExaggeration : 1;
      const momentum = early ? o.momentum : o.finalMomentum;
      const lr = o.learningRate === 'auto' ? Math.max(200, n / exaggeration) : o.learningRate;
      const computeKl = (it + 1) % 50 === 0 || it + 1 === o.nIter;
      const kl = this.gradient(exaggeration, computeKl);
      const { Y, update, gains, grad } = r;
      const minGain = o.minGain;
      for (let t = 0; t < len; t++) {
        const g = grad[t]!;
        const u = update[t]!;
        let gain = gains[t]!;
        gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
        if (gain < minGain) gain = minGain;
        gains[t] = gain;
        const nu = momentum * u - lr * gain * g;
        update[t] = nu;
        Y[t]! += nu;
      }
      recenter(Y, n, o.nComponents);
      r.iter++;
      if (computeKl) {
        if (!Number.isFinite(kl))
          throw new NumericalError(
            `t-SNE diverged at iteration ${r.iter} (KL is ${kl}); lower the learning rate`,
          );
        r.kl = kl;
        lastKl = kl;
      }
      if (reporter && (computeKl || o.signal?.aborted)) {
        const stop = reporter.report(r.iter, computeKl ? kl : undefined, {
          stage: early ? 'early exaggeration' : 'optimisation',
        });
        if (stop) {
          this._stopReason = stop;
          break;
        }
      } else if (o.signal?.aborted) {
        this._stopReason = 'aborted';
        break;
      }
    }
    return lastKl;
  }

  /** Computes the t-SNE embedding of X (nSamples × nFeatures). */
  fit(X: MatrixLike): this {
    this.initialize(X);
    const o = this.options;
    const r = this.run!;
    const reporter = new ProgressReporter(o, o.nIter);
    this._stopReason = undefined;
    try {
      while (r.iter < o.nIter && this._stopReason === undefined) this.step(1, reporter);
      if (!Number.isFinite(r.kl) || r.iter % 50 !== 0) {
        // the KL of the final map, also when stopped between reports
        const saved = r.grad.slice();
        r.kl = this.gradient(1, true);
        r.grad.set(saved);
      }
    } catch (e) {
      this.disposeRun(); // a diverged or interrupted fit keeps no wasm memory
      throw e;
    }
    this.finish(this._stopReason ?? 'maxIter');
    return this;
  }

  private finish(reason: StopReason): void {
    const r = this.run!;
    const c = this.options.nComponents;
    this._embedding = new Matrix(unpermuteRows(r.Y, r.order, c), r.Y.length / c, c);
    this._methodIters = { fft: r.fftIters, barnesHut: r.bhIters };
    this._kl = r.kl;
    this._nIter = r.iter;
    this._stopReason = reason;
    this.disposeRun();
  }

  /** Drops the optimisation state, giving back the wasm memory it holds. */
  private disposeRun(): void {
    const r = this.run;
    r?.fftWs?.dispose();
    r?.bh2d?.dispose();
    r?.att?.dispose();
    r?.heap.release();
    this.run = undefined;
  }

  /** Stops stepping and freezes the current embedding as the fitted result. */
  finalize(): this {
    if (!this.run) throw new ValidationError('TSNE.finalize() needs initialize(X) first');
    const r = this.run;
    const saved = r.grad.slice();
    r.kl = this.gradient(1, true);
    r.grad.set(saved);
    this.finish(r.iter >= this.options.nIter ? 'maxIter' : 'callback');
    return this;
  }

  /**
   * Abandons a run started by `initialize` without fitting: gives back the WebAssembly memory that
   * holds P for the kernels (`fit` and `finalize` do this themselves). A fitted model is unaffected.
   */
  dispose(): void {
    this.disposeRun();
  }

  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fit(X).embedding;
  }

  /**
   * Places new points into the fitted map without moving it (openTSNE's `transform`): each new point
   * gets conditional affinities p_{j|i} to its k = ⌊3·perplexity⌋ nearest training points (perplexity
   * default 5, as openTSNE), starts at the median of its 10 nearest training points' positions, and
   * minimises its own KL(P_i‖Q_i) with q_{j|i} ∝ w_ij over the training points (Barnes-Hut repulsion
   * from the frozen map, θ = 0.5), with momentum 0.8 and gains.
   */
  transform(
    Xnew: MatrixLike,
    opts: { perplexity?: number; nIter?: number; learningRate?: number } = {},
  ): Matrix<Float64Array> {
    const E = fitted(this._embedding, 'TSNE');
    const Xref = fitted(this.X, 'TSNE');
    const M = toMatrix(Xnew, 'X') as Matrix<Float64Array>;
    checkFeatures(M, Xref.cols);
    const n = Xref.rows;
    const m = M.rows;
    const d = Xref.cols;
    const c = this.options.nComponents;
    const perplexity = opts.perplexity ?? Math.min(5, n - 1);
    if (perplexity >= n)
      throw new ValidationError(`perplexity=${perplexity} must be < nSamples=${n} of the fitted map`);
    const k = Math.min(n, Math.max(1, Math.floor(3 * perplexity)));
    const Q = M.contiguous().data;
    const g = exactKnnQuery(Q, m, Xref.data, n, d, k);
    const Pc = binarySearchPerplexity(g.distances, m, k, perplexity).P;
    // initialise at the coordinate-wise median of the nearest training points
    const Y = new Float64Array(m * c);
    const kMed = Math.min(k, 10);
    const buf = new Float64Array(kMed);
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < c; q++) {
        for (let t = 0; t < kMed; t++) buf[t] = E.data[g.indices[i * k + t]! * c + q]!;
        buf.sort();
        Y[i * c + q] = kMed % 2 ? buf[kMed >> 1]! : (buf[kMed / 2 - 1]! + buf[kMed / 2]!) / 2;
      }
    }
    const nIter = opts.nIter ?? 100;
    const lr = opts.learningRate ?? 1;
    const dof = this.options.degreesOfFreedom;
    const useTree = c === 2 || c === 3;
    const tree = useTree ? new BhTree(c) : null;
    tree?.build(E.data, n);
    const rep = new Float64Array(m * c);
    const sumW = new Float64Array(m);
    const grad = new Float64Array(m * c);
    const update = new Float64Array(m * c);
    const gains = new Float64Array(m * c).fill(1);
    for (let it = 0; it < nIter; it++) {
      if (tree) bhRepulsive(tree, E.data, Y, m, 0.5, dof, rep, false, sumW);
      else exactRepulsiveQuery(E.data, n, Y, m, c, dof, rep, sumW);
      grad.fill(0);
      for (let i = 0; i < m; i++) {
        for (let t = 0; t < k; t++) {
          const j = g.indices[i * k + t]!;
          let d2 = 0;
          for (let q = 0; q < c; q++) d2 += (Y[i * c + q]! - E.data[j * c + q]!) ** 2;
          const u = 1 / (1 + d2 / dof);
          const pu = Pc[i * k + t]! * u;
          for (let q = 0; q < c; q++) grad[i * c + q]! += pu * (Y[i * c + q]! - E.data[j * c + q]!);
        }
        const z = Math.max(sumW[i]!, Number.MIN_VALUE);
        for (let q = 0; q < c; q++) grad[i * c + q]! -= rep[i * c + q]! / z;
      }
      for (let t = 0; t < m * c; t++) {
        const gr = grad[t]!;
        const u = update[t]!;
        let gain = u * gr < 0 ? gains[t]! + 0.2 : gains[t]! * 0.8;
        if (gain < 0.01) gain = 0.01;
        gains[t] = gain;
        update[t] = 0.8 * u - lr * gain * gr;
        Y[t]! += update[t]!;
      }
    }
    return new Matrix(Y, m, c);
  }

  getState(): ModelState {
    const E = fitted(this._embedding, 'TSNE');
    const X = fitted(this.X, 'TSNE');
    return {
      className: 'TSNE',
      version: 1,
      options: serialisableOptions(this.options),
      meta: {
        klDivergence: this._kl,
        nIter: this._nIter,
        stopReason: this._stopReason,
        method: this._method,
        methodIterations: this._methodIters,
      },
      arrays: {
        embedding: { data: E.data, shape: [E.rows, E.cols] },
        X: { data: X.data, shape: [X.rows, X.cols] },
      },
    };
  }

  static fromState(state: ModelState): TSNE {
    const t = new TSNE(state.options as TsneOptions);
    const E = stateArray(state, 'embedding', Float64Array);
    const X = stateArray(state, 'X', Float64Array);
    t._embedding = new Matrix(E.data.slice(), E.shape[0]!, E.shape[1]!);
    t.X = new Matrix(X.data.slice(), X.shape[0]!, X.shape[1]!);
    t._kl = Number(state.meta.klDivergence);
    t._nIter = Number(state.meta.nIter);
    t._stopReason = state.meta.stopReason as StopReason;
    t._method = state.meta.method as TsneResolvedMethod;
    t._methodIters = (state.meta.methodIterations as { fft: number; barnesHut: number } | undefined) ?? {
      fft: 0,
      barnesHut: 0,
    };
    return t;
  }
}

registerModel('TSNE', (s) => TSNE.fromState(s));

/** Rows of Y (n × c) in the new order: out[i] = Y[order[i]]. */
function permuteRows(Y: Float64Array, order: Int32Array, c: number): Float64Array {
  const out = new Float64Array(Y.length);
  for (let i = 0; i < order.length; i++) for (let q = 0; q < c; q++) out[i * c + q] = Y[order[i]! * c + q]!;
  return out;
}

/** Back to the original order: out[order[i]] = Y[i] (a copy either way). */
function unpermuteRows(Y: Float64Array, order: Int32Array | null, c: number): Float64Array {
  if (!order) return Y.slice();
  const out = new Float64Array(Y.length);
  for (let i = 0; i < order.length; i++) for (let q = 0; q < c; q++) out[order[i]! * c + q] = Y[i * c + q]!;
  return out;
}

/** P with rows and columns renumbered: new index i ↔ old index order[i]. */
function permuteCsr(P: Csr, order: Int32Array): Csr {
  const n = P.n;
  const inv = new Int32Array(n);
  for (let i = 0; i < n; i++) inv[order[i]!] = i;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i]! + (P.indptr[order[i]! + 1]! - P.indptr[order[i]!]!);
  const indices = new Int32Array(P.indices.length);
  const data = new Float64Array(P.data.length);
  for (let i = 0; i < n; i++) {
    const old = order[i]!;
    let q = indptr[i]!;
    for (let t = P.indptr[old]!; t < P.indptr[old + 1]!; t++) {
      indices[q] = inv[P.indices[t]!]!;
      data[q] = P.data[t]!;
      q++;
    }
  }
  return { n, indptr, indices, data };
}

function recenter(Y: Float64Array, n: number, c: number): void {
  for (let q = 0; q < c; q++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Y[i * c + q]!;
    s /= n;
    for (let i = 0; i < n; i++) Y[i * c + q]! -= s;
  }
}

function exactRepulsiveQuery(
  E: Float64Array,
  n: number,
  Y: Float64Array,
  m: number,
  c: number,
  dof: number,
  rep: Float64Array,
  sumW: Float64Array,
): void {
  const e = -(dof + 1) / 2;
  rep.fill(0);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      let d2 = 0;
      for (let q = 0; q < c; q++) d2 += (Y[i * c + q]! - E[j * c + q]!) ** 2;
      const base = 1 + d2 / dof;
      const w = Math.pow(base, e);
      s += w;
      for (let q = 0; q < c; q++) rep[i * c + q]! += (w / base) * (Y[i * c + q]! - E[j * c + q]!);
    }
    sumW[i] = s;
  }
}

/** Functional form: `new TSNE(options).fit(X).embedding`. */
export function tsne(X: MatrixLike, options: TsneOptions = {}): Matrix<Float64Array> {
  return new TSNE(options).fit(X).embedding;
}
