/**
 * Synthetic data sets for clustering and manifold learning, deterministic through the seeded Rng.
 *
 * - makeBlobs, makeMoons, makeCircles, makeSwissRoll: as scikit-learn's make_* (same geometry and
 *   parameters; the random streams differ, so values are not identical to scikit-learn's).
 * - makeBrokenSwissRoll, makeTwinPeaks, makeHelix: as in van der Maaten, Postma & van den Herik (2009),
 *   "Dimensionality Reduction: A Comparative Review", generated like their drtoolbox `generate_data.m`
 *   (seed deck 001: "(c) Twinpeaks dataset. (d) Broken Swiss roll dataset."). The broken Swiss roll
 *   leaves out the middle fifth of the roll's angle, so the manifold has a gap.
 * - makeSpiral: interleaved 2-D spirals (one arm per class), a classic case where k-means fails.
 *
 * Every generator takes `{ nSamples, noise, seed }` (+ its own options) and returns `X` (n × d, float64),
 * class labels `y` where the set has classes, and the manifold coordinate `t` where it has one
 * (`manifold`: the n × 2 intrinsic coordinates of 2-D manifolds).
 */
import { ValidationError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { makeRng, type Rng } from '../core/rng.js';
import { validateOptions, type ConstraintTable } from '../core/validate.js';

export interface SyntheticData {
  /** Samples, one per row. */
  X: Matrix<Float64Array>;
  /** Class of each sample (blobs, moons, circles, spiral arms, piece of the broken roll). */
  y?: Int32Array;
  /** Position along the manifold (angle of the roll, of the helix, of the spiral). */
  t?: Float64Array;
  /** Intrinsic 2-D coordinates (n × 2) of 2-D manifolds (swiss rolls: [t, height]; twin peaks: [x, y]). */
  manifold?: Matrix<Float64Array>;
}

interface Common {
  /** Number of samples (integer >= 1). */
  nSamples?: number;
  /** Standard deviation of the Gaussian noise added to every coordinate (>= 0). */
  noise?: number;
  /** Seed of the random generator (default 0). */
  seed?: number;
}

const COMMON_TABLE = {
  nSamples: { type: 'int', min: 1 },
  noise: { type: 'number', min: 0 },
  // Rng needs a safe integer: the bounds make a larger seed an option error naming the generator.
  seed: { type: 'int', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
} as const;

function addNoise(X: Float64Array, noise: number, rng: Rng): void {
  if (noise > 0) for (let i = 0; i < X.length; i++) X[i] += noise * rng.normal();
}

/** Applies one random permutation to the rows of X and to the per-sample arrays. */
function shuffleRows(
  rng: Rng,
  X: Float64Array,
  d: number,
  ...cols: (Int32Array | Float64Array | undefined)[]
): void {
  const n = X.length / d;
  const perm = rng.permutation(n);
  const Xc = X.slice();
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = Xc[perm[i]! * d + j]!;
  for (const c of cols) {
    if (!c) continue;
    const copy = c.slice();
    for (let i = 0; i < n; i++) c[i] = copy[perm[i]!]!;
  }
}

// ---------------------------------------------------------------------------------------------

export interface BlobsOptions extends Common {
  /** Number of features (default 2). */
  nFeatures?: number;
  /** Number of centres (drawn uniformly in centerBox), or the centres themselves (default 3). */
  centers?: number | number[][];
  /** Standard deviation of each blob (default 1). `noise` is an alias for it. */
  clusterStd?: number;
  /** Box [lo, hi] for random centres (default [-10, 10]). */
  centerBox?: [number, number];
  /** Shuffle the samples (default true); otherwise they come grouped by blob. */
  shuffle?: boolean;
}

/** Defaults of `makeBlobs` (scikit-learn's make_blobs defaults). */
export const BLOBS_DEFAULTS = {
  nSamples: 100,
  nFeatures: 2,
  centers: 3 as number | number[][],
  clusterStd: 1,
  centerBox: [-10, 10] as [number, number],
  shuffle: true,
  seed: 0,
  noise: undefined as number | undefined,
};

/**
 * Isotropic Gaussian blobs (sklearn.datasets.make_blobs): samples split evenly between the centres.
 * @example const { X, y, centers } = makeBlobs({ nSamples: 300, centers: 4, seed: 1 });
 */
export function makeBlobs(
  options: BlobsOptions = {},
): SyntheticData & { y: Int32Array; centers: Matrix<Float64Array> } {
  const table: ConstraintTable<typeof BLOBS_DEFAULTS> = {
    ...COMMON_TABLE,
    nFeatures: { type: 'int', min: 1 },
    centers: { type: 'oneOf', options: [{ type: 'int', min: 1 }, { type: 'object' }] },
    clusterStd: { type: 'number', min: 0 },
    centerBox: { type: 'object' },
    shuffle: { type: 'boolean' },
  };
  const o = validateOptions('makeBlobs', BLOBS_DEFAULTS, table, options as Partial<typeof BLOBS_DEFAULTS>);
  if (options.noise !== undefined && options.clusterStd !== undefined) {
    throw new ValidationError('makeBlobs: give clusterStd or its alias noise, not both');
  }
  const std = options.noise ?? o.clusterStd;
  const rng = makeRng(o.seed);
  let C: Float64Array;
  let k: number;
  let d = o.nFeatures;
  if (typeof o.centers === 'number') {
    k = o.centers;
    const box = o.centerBox;
    if (!Array.isArray(box) || box.length !== 2 || !(box[0] < box[1])) {
      throw new ValidationError(
        `The 'centerBox' option of makeBlobs must be [lo, hi] with lo < hi; got ${JSON.stringify(box)}.`,
      );
    }
    C = new Float64Array(k * d);
    for (let i = 0; i < C.length; i++) C[i] = rng.uniform(box[0], box[1]);
  } else {
    const rows = o.centers;
    if (
      !Array.isArray(rows) ||
      rows.length === 0 ||
      !rows.every((r) => Array.isArray(r) && r.length === rows[0]!.length && r.every(Number.isFinite))
    ) {
      throw new ValidationError(
        "The 'centers' option of makeBlobs must be an integer >= 1 or a non-empty array of equal-length rows of finite numbers.",
      );
    }
    k = rows.length;
    if (options.nFeatures !== undefined && options.nFeatures !== rows[0]!.length) {
      throw new ValidationError(
        `makeBlobs: nFeatures=${options.nFeatures} but the centres have ${rows[0]!.length} coordinates`,
      );
    }
    d = rows[0]!.length;
    C = Float64Array.from(rows.flat());
  }
  const n = o.nSamples;
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let s = 0; s < count; s++, i++) {
      y[i] = c;
      for (let j = 0; j < d; j++) X[i * d + j] = C[c * d + j]! + std * rng.normal();
    }
  }
  if (o.shuffle) shuffleRows(rng, X, d, y);
  return { X: new Matrix(X, n, d), y, centers: new Matrix(C, k, d) };
}

// ---------------------------------------------------------------------------------------------

export interface SwissRollOptions extends Common {
  /** Width of the roll along its axis (default 21 as scikit-learn; van der Maaten uses 30). */
  height?: number;
  /** Leave a rectangular hole in the middle of the sheet (as scikit-learn's `hole`). */
  hole?: boolean;
}

/** Defaults of `makeSwissRoll`. */
export const SWISS_ROLL_DEFAULTS = { nSamples: 1000, noise: 0, seed: 0, height: 21, hole: false };

/**
 * Swiss roll (sklearn.datasets.make_swiss_roll): t = 1.5π(1 + 2u), X = [t cos t, h, t sin t] + noise.
 * `t` is the angle (the roll's unrolled coordinate), `manifold` = [t, h].
 */
export function makeSwissRoll(
  options: SwissRollOptions = {},
): SyntheticData & { t: Float64Array; manifold: Matrix<Float64Array> } {
  const o = validateOptions<typeof SWISS_ROLL_DEFAULTS>(
    'makeSwissRoll',
    SWISS_ROLL_DEFAULTS,
    {
      ...COMMON_TABLE,
      height: { type: 'number', min: 0, exclusiveMin: true },
      hole: { type: 'boolean' },
    },
    options,
  );
  const rng = makeRng(o.seed);
  const n = o.nSamples;
  const t = new Float64Array(n);
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (;;) {
      const u = rng.random();
      const v = rng.random();
      // scikit-learn's hole: the centre cell of a 3×3 grid over (t, h) stays empty (here by rejection).
      if (o.hole && u > 1 / 3 && u < 2 / 3 && v > 1 / 3 && v < 2 / 3) continue;
      t[i] = 1.5 * Math.PI * (1 + 2 * u);
      h[i] = o.height * v;
      break;
    }
  }
  return rollFromAngles(t, h, o.noise, rng);
}

function rollFromAngles(t: Float64Array, h: Float64Array, noise: number, rng: Rng) {
  const n = t.length;
  const X = new Float64Array(n * 3);
  const M = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    X[i * 3] = t[i]! * Math.cos(t[i]!);
    X[i * 3 + 1] = h[i]!;
    X[i * 3 + 2] = t[i]! * Math.sin(t[i]!);
    M[i * 2] = t[i]!;
    M[i * 2 + 1] = h[i]!;
  }
  addNoise(X, noise, rng);
  return { X: new Matrix(X, n, 3), t, manifold: new Matrix(M, n, 2) };
}

/** Defaults of `makeBrokenSwissRoll` (height 30 as drtoolbox). */
export const BROKEN_SWISS_ROLL_DEFAULTS = { nSamples: 1000, noise: 0, seed: 0, height: 30 };

/**
 * Broken Swiss roll (van der Maaten et al. 2009): the Swiss roll with the angle range
 * 1.5π(1 + 2u) restricted to u ∈ [0, 0.4] ∪ [0.6, 1] — a gap splits the sheet into two pieces.
 * Half the samples (rounded up) fall on the inner piece (y = 0), the rest on the outer one (y = 1).
 */
export function makeBrokenSwissRoll(
  options: Omit<SwissRollOptions, 'hole'> = {},
): SyntheticData & { y: Int32Array; t: Float64Array; manifold: Matrix<Float64Array> } {
  const o = validateOptions<typeof BROKEN_SWISS_ROLL_DEFAULTS>(
    'makeBrokenSwissRoll',
    BROKEN_SWISS_ROLL_DEFAULTS,
    {
      ...COMMON_TABLE,
      height: { type: 'number', min: 0, exclusiveMin: true },
    },
    options,
  );
  const rng = makeRng(o.seed);
  const n = o.nSamples;
  const nInner = Math.ceil(n / 2);
  const t = new Float64Array(n);
  const h = new Float64Array(n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i < nInner;
    const u = inner ? rng.random() * 0.4 : rng.random() * 0.4 + 0.6;
    t[i] = 1.5 * Math.PI * (1 + 2 * u);
    y[i] = inner ? 0 : 1;
  }
  for (let i = 0; i < n; i++) h[i] = o.height * rng.random();
  return { ...rollFromAngles(t, h, o.noise, rng), y };
}

/** Defaults of `makeTwinPeaks` and `makeHelix`. */
export const TWIN_PEAKS_DEFAULTS = { nSamples: 1000, noise: 0, seed: 0 };

/**
 * Twin peaks (van der Maaten et al. 2009): (x, y) uniform in [−1, 1]², z = sin(πx)·tanh(3y), noise
 * added to all three coordinates, then z scaled by 10 (as drtoolbox). `t` = z before scaling and noise.
 */
export function makeTwinPeaks(
  options: Common = {},
): SyntheticData & { t: Float64Array; manifold: Matrix<Float64Array> } {
  const o = validateOptions<typeof TWIN_PEAKS_DEFAULTS>(
    'makeTwinPeaks',
    TWIN_PEAKS_DEFAULTS,
    COMMON_TABLE,
    options,
  );
  const rng = makeRng(o.seed);
  const n = o.nSamples;
  const X = new Float64Array(n * 3);
  const M = new Float64Array(n * 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = 1 - 2 * rng.random();
    const b = 1 - 2 * rng.random();
    M[i * 2] = a;
    M[i * 2 + 1] = b;
    t[i] = Math.sin(Math.PI * a) * Math.tanh(3 * b);
  }
  for (let i = 0; i < n; i++) {
    X[i * 3] = M[i * 2]!;
    X[i * 3 + 1] = M[i * 2 + 1]!;
    X[i * 3 + 2] = t[i]!;
  }
  addNoise(X, o.noise, rng);
  for (let i = 0; i < n; i++) X[i * 3 + 2] *= 10;
  return { X: new Matrix(X, n, 3), t, manifold: new Matrix(M, n, 2) };
}

/**
 * Helix (van der Maaten et al. 2009): t = 2π·i/n, X = [(2 + cos 8t) cos t, (2 + cos 8t) sin t, sin 8t]
 * + noise: a closed 1-D curve wound around a torus.
 */
export function makeHelix(options: Common = {}): SyntheticData & { t: Float64Array } {
  const o = validateOptions<typeof TWIN_PEAKS_DEFAULTS>(
    'makeHelix',
    TWIN_PEAKS_DEFAULTS,
    COMMON_TABLE,
    options,
  );
  const rng = makeRng(o.seed);
  const n = o.nSamples;
  const X = new Float64Array(n * 3);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = (2 * Math.PI * (i + 1)) / n;
    t[i] = s;
    X[i * 3] = (2 + Math.cos(8 * s)) * Math.cos(s);
    X[i * 3 + 1] = (2 + Math.cos(8 * s)) * Math.sin(s);
    X[i * 3 + 2] = Math.sin(8 * s);
  }
  addNoise(X, o.noise, rng);
  return { X: new Matrix(X, n, 3), t };
}

// ---------------------------------------------------------------------------------------------

export interface SpiralOptions extends Common {
  /** Number of interleaved arms = classes (default 2). */
  nArms?: number;
  /** Turns of each arm (default 1.5). */
  turns?: number;
  /** Shuffle the samples (default true). */
  shuffle?: boolean;
}

/** Defaults of `makeSpiral`. */
export const SPIRAL_DEFAULTS = { nSamples: 500, noise: 0, seed: 0, nArms: 2, turns: 1.5, shuffle: true };

/**
 * Interleaved 2-D spirals: arm a at angle θ = t + 2πa/nArms, radius t/(2π·turns) (so radii lie in
 * (0, 1]), t uniform in arc length. Samples split evenly between the arms; y = arm, t = angle.
 */
export function makeSpiral(options: SpiralOptions = {}): SyntheticData & { y: Int32Array; t: Float64Array } {
  const o = validateOptions<typeof SPIRAL_DEFAULTS>(
    'makeSpiral',
    SPIRAL_DEFAULTS,
    {
      ...COMMON_TABLE,
      nArms: { type: 'int', min: 1 },
      turns: { type: 'number', min: 0, exclusiveMin: true },
      shuffle: { type: 'boolean' },
    },
    options,
  );
  const rng = makeRng(o.seed);
  const n = o.nSamples;
  const X = new Float64Array(n * 2);
  const y = new Int32Array(n);
  const t = new Float64Array(n);
  const tMax = 2 * Math.PI * o.turns;
  let i = 0;
  for (let a = 0; a < o.nArms; a++) {
    const count = Math.floor(n / o.nArms) + (a < n % o.nArms ? 1 : 0);
    for (let s = 0; s < count; s++, i++) {
      // Arc length of an Archimedean spiral grows ~ t²: t = tMax·√u spreads points evenly along it.
      const ti = tMax * Math.sqrt(rng.random());
      const r = ti / tMax;
      const th = ti + (2 * Math.PI * a) / o.nArms;
      X[i * 2] = r * Math.cos(th);
      X[i * 2 + 1] = r * Math.sin(th);
      y[i] = a;
      t[i] = ti;
    }
  }
  addNoise(X, o.noise, rng);
  if (o.shuffle) shuffleRows(rng, X, 2, y, t);
  return { X: new Matrix(X, n, 2), y, t };
}

export interface MoonsOptions extends Common {
  /** Shuffle the samples (default true). */
  shuffle?: boolean;
}

/** Defaults of `makeMoons`. */
export const MOONS_DEFAULTS = { nSamples: 100, noise: 0, seed: 0, shuffle: true };

/**
 * Two interleaving half circles (sklearn.datasets.make_moons): outer moon (y = 0) gets ⌊n/2⌋ samples
 * at evenly spaced angles, inner moon (y = 1) the rest, then Gaussian noise.
 */
export function makeMoons(options: MoonsOptions = {}): SyntheticData & { y: Int32Array; t: Float64Array } {
  const o = validateOptions<typeof MOONS_DEFAULTS>(
    'makeMoons',
    MOONS_DEFAULTS,
    { ...COMMON_TABLE, shuffle: { type: 'boolean' } },
    options,
  );
  return twoCurves(
    o,
    (i, count) => (count > 1 ? (Math.PI * i) / (count - 1) : 0),
    (a) => [Math.cos(a), Math.sin(a)],
    (a) => [1 - Math.cos(a), 1 - Math.sin(a) - 0.5],
  );
}

/**
 * Two labelled curves as scikit-learn's make_moons/make_circles: ⌊n/2⌋ samples on the outer one
 * (y = 0) and the rest on the inner one (y = 1) at angles angle(i, count), then shuffled, then noised.
 */
function twoCurves(
  o: { nSamples: number; noise: number; seed: number; shuffle: boolean },
  angle: (i: number, count: number) => number,
  outer: (a: number) => [number, number],
  inner: (a: number) => [number, number],
): SyntheticData & { y: Int32Array; t: Float64Array } {
  const rng = makeRng(o.seed);
  const n = o.nSamples;
  const nOut = Math.floor(n / 2);
  const X = new Float64Array(n * 2);
  const y = new Int32Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const isInner = i >= nOut;
    const a = isInner ? angle(i - nOut, n - nOut) : angle(i, nOut);
    [X[i * 2], X[i * 2 + 1]] = isInner ? inner(a) : outer(a);
    y[i] = isInner ? 1 : 0;
    t[i] = a;
  }
  if (o.shuffle) shuffleRows(rng, X, 2, y, t);
  addNoise(X, o.noise, rng);
  return { X: new Matrix(X, n, 2), y, t };
}

export interface CirclesOptions extends MoonsOptions {
  /** Radius of the inner circle relative to the outer one, in [0, 1) (default 0.8). */
  factor?: number;
}

/** Defaults of `makeCircles` (factor 0.8 as scikit-learn). */
export const CIRCLES_DEFAULTS = { nSamples: 100, noise: 0, seed: 0, shuffle: true, factor: 0.8 };

/** Two concentric circles (sklearn.datasets.make_circles): outer y = 0 (⌊n/2⌋ samples), inner y = 1. */
export function makeCircles(
  options: CirclesOptions = {},
): SyntheticData & { y: Int32Array; t: Float64Array } {
  const o = validateOptions<typeof CIRCLES_DEFAULTS>(
    'makeCircles',
    CIRCLES_DEFAULTS,
    {
      ...COMMON_TABLE,
      shuffle: { type: 'boolean' },
      factor: { type: 'number', min: 0, max: 1, exclusiveMax: true },
    },
    options,
  );
  return twoCurves(
    o,
    (i, count) => (2 * Math.PI * i) / count,
    (a) => [Math.cos(a), Math.sin(a)],
    (a) => [o.factor * Math.cos(a), o.factor * Math.sin(a)],
  );
}
