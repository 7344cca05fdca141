/**
 * Seeded pseudo-random generator: PCG32 (O'Neill 2014, "PCG: A Family of Simple Fast Space-Efficient
 * Statistically Good Algorithms for Random Number Generation"), XSH-RR output on a 64-bit LCG state
 * kept as two 32-bit halves so everything stays in exact integer arithmetic (Math.imul), bit for bit
 * reproducible on every JavaScript engine. Library code never calls Math.random: every stochastic
 * path receives an Rng (or a seed that makes one).
 *
 * Normals use the Marsaglia polar method with a cached spare; `state()`/`restore()` allow exact
 * checkpoint and resume.
 */
import { ValidationError } from './errors.js';

// Multiplier 6364136223846793005 = 0x5851f42d_4c957f2d
const MUL_HI = 0x5851f42d;
const MUL_LO = 0x4c957f2d;

export interface RngState {
  readonly hi: number;
  readonly lo: number;
  readonly incHi: number;
  readonly incLo: number;
  readonly spare: number | null;
}

export class Rng {
  private hi = 0;
  private lo = 0;
  private incHi = 0;
  private incLo = 0;
  private spare: number | null = null;

  /** @param seed integer seed (any safe integer); @param stream selects an independent sequence. */
  constructor(seed = 0, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new ValidationError(`seed must be a safe integer; got ${seed}`);
    // inc must be odd: (stream << 1) | 1, split in halves.
    const s = Math.abs(Math.trunc(stream));
    this.incHi = Math.floor(s / 0x80000000) >>> 0;
    this.incLo = (((s % 0x80000000) << 1) | 1) >>> 0;
    // Standard PCG seeding: state = 0; step; state += seed; step.
    this.step();
    // The seed as a 64-bit two's-complement integer, so negative seeds get streams of their own.
    const seedLo = (seed - Math.floor(seed / 0x100000000) * 0x100000000) >>> 0;
    const seedHi = Math.floor(seed / 0x100000000) >>> 0;
    this.add(seedHi, seedLo);
    this.step();
  }

  private add(hi: number, lo: number): void {
    const l = (this.lo + lo) >>> 0;
    const carry = l < this.lo ? 1 : 0;
    this.hi = (this.hi + hi + carry) >>> 0;
    this.lo = l;
  }

  /** state = state * MUL + inc (mod 2^64). */
  private step(): void {
    const aLo = this.lo;
    const aHi = this.hi;
    // 64-bit product low word via 16-bit limbs for the lo*lo part.
    const a0 = aLo & 0xffff;
    const a1 = aLo >>> 16;
    const b0 = MUL_LO & 0xffff;
    const b1 = MUL_LO >>> 16;
    const p00 = a0 * b0;
    const p01 = a0 * b1;
    const p10 = a1 * b0;
    const p11 = a1 * b1;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    const lo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
    const carryHi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
    const hi = (carryHi + Math.imul(aLo, MUL_HI) + Math.imul(aHi, MUL_LO)) >>> 0;
    this.lo = lo >>> 0;
    this.hi = hi;
    this.add(this.incHi, this.incLo);
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const hi = this.hi;
    const lo = this.lo;
    this.step();
    // xorshifted = ((old >> 18) ^ old) >> 27 ; rot = old >> 59
    const xHi = (hi >>> 18) ^ hi;
    const xLo = ((lo >>> 18) | (hi << 14)) ^ lo;
    const xorshifted = ((xLo >>> 27) | (xHi << 5)) >>> 0;
    const rot = hi >>> 27;
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.random();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n))
      throw new ValidationError(`Rng.int(n) needs an integer n >= 1; got ${n}`);
    if (n <= 0x100000000) {
      const limit = 0x100000000 - (0x100000000 % n);
      let x: number;
      do x = this.nextU32();
      while (x >= limit);
      return x % n;
    }
    return Math.floor(this.random() * n);
  }

  /** Standard normal (or N(mean, std²)) by the Marsaglia polar method. */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return mean + std * s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return mean + std * u * f;
  }

  /** Fills `out` with N(mean, std²) samples. */
  fillNormal<T extends Float64Array | Float32Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** Fills `out` with U[lo, hi) samples. */
  fillUniform<T extends Float64Array | Float32Array>(out: T, lo = 0, hi = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(lo, hi);
    return out;
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** k distinct indices from 0..n-1 (uniform, without replacement), in random order. */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (k > n) throw new ValidationError(`cannot sample k=${k} distinct values from n=${n}`);
    if (k * 4 > n) return this.permutation(n).slice(0, k);
    const chosen = new Set<number>();
    const out = new Int32Array(k);
    let m = 0;
    while (m < k) {
      const x = this.int(n);
      if (!chosen.has(x)) {
        chosen.add(x);
        out[m++] = x;
      }
    }
    return out;
  }

  /** An index drawn with probability proportional to `weights` (non-negative, not all zero). */
  choice(weights: ArrayLike<number>, total?: number): number {
    let sum = total ?? 0;
    if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i]!;
    if (!(sum > 0)) throw new ValidationError('choice(): weights must be non-negative with a positive sum');
    let r = this.random() * sum;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    // Rounding left r >= 0: return the last index with positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }

  /** A new generator whose sequence is independent of this one (for restarts, workers). */
  fork(): Rng {
    return new Rng(this.nextU32() * 0x200000 + (this.nextU32() >>> 11), this.nextU32());
  }

  state(): RngState {
    return { hi: this.hi, lo: this.lo, incHi: this.incHi, incLo: this.incLo, spare: this.spare };
  }

  static restore(s: RngState): Rng {
    const r = new Rng(0);
    r.hi = s.hi >>> 0;
    r.lo = s.lo >>> 0;
    r.incHi = s.incHi >>> 0;
    r.incLo = s.incLo >>> 0;
    r.spare = s.spare;
    return r;
  }
}

/** An Rng from a seed, or the given Rng itself. `undefined` means seed 0 (deterministic by default). */
export function makeRng(seed: number | Rng | undefined): Rng {
  if (seed instanceof Rng) return seed;
  return new Rng(seed ?? 0);
}
