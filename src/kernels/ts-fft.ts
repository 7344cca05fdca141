/**
 * Reference (plain TypeScript) FFT kernels of the FFT-interpolated t-SNE gradient: the fallback of
 * assembly/fft.ts and the yardstick of its tests (`fftRepulsion2dTs`), on top of
 * a compact complex FFT (Cooley & Tukey 1965) on split real/imaginary Float64Arrays for the sizes the
 * FFT-interpolated t-SNE gradient needs (Linderman et al. 2019): powers of two (iterative radix-2,
 * twiddles per stage and bit reversal tabulated once per size), 3·2^m and 5·2^m (one radix-3 or
 * radix-5 split on top of three or five power-of-two transforms), so that the zero-padded grid
 * can be sized within a factor 4/3 of what the interpolation needs instead of a factor 2. 2-D transforms do rows one by one (contiguous)
 * and columns all at once (each butterfly combines two whole rows, so the inner loop is contiguous).
 * The radix-2 stages run fused in pairs (one pass over 4 values does the stages of sizes s/2 and s:
 * half the loads and stores, which is what bounds a scalar JS FFT; 1.5–3× faster than one pass per
 * stage at N = 512–1024). Blocking the column transforms through a small cached buffer was tried
 * and was slower (the gather/scatter costs more than it saves: the passes are not memory bound).
 */

/** Powers of two, 3·2^m and 5·2^m are supported. */
export function fftSizeOk(n: number): boolean {
  if (n < 1) return false;
  const m = n % 3 === 0 ? n / 3 : n % 5 === 0 ? n / 5 : n;
  return Number.isInteger(m) && (m & (m - 1)) === 0;
}

/**
 * Largest grid side of the FFT t-SNE gradient: a 4096 × 4096 grid of both charge pairs is ~0.5 GB,
 * and the WebAssembly kernels' i32 byte counts stay below 2^31 up to here.
 */
export const MAX_FFT_GRID = 4096;

/**
 * Grid side of the FFT gradient for at least n points: `nextFftSize(n)`, or from 640 up the smaller
 * 5·2^m when it fits (1280 for 1025..1280 instead of 1536: ~35% less work per gradient on the
 * 70,000-digit maps). Small grids keep the extra resolution of rounding up: there the boxes are
 * smaller than one unit and the test maps measure that accuracy.
 */
export function nextGridSize(n: number): number {
  const a = nextFftSize(n);
  let f = 5;
  while (f < n) f <<= 1;
  return f >= 640 && f < a ? f : a;
}

/** Smallest supported size >= n. */
export function nextFftSize(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  // 3·2^(k−2) lies between 2^(k−1) and 2^k
  const q = (3 * p) / 4;
  return q >= n && Number.isInteger(q) && q >= 3 ? q : p;
}

class Pow2 {
  readonly n: number;
  /** Twiddles of all stages back to back: stage of size s uses s/2 entries cos(2πk/s), sin(2πk/s). */
  readonly twC: Float64Array;
  readonly twS: Float64Array;
  readonly rev: Int32Array;
  readonly log2: number;

  constructor(n: number) {
    this.n = n;
    let lg = 0;
    while (1 << lg < n) lg++;
    this.log2 = lg;
    this.twC = new Float64Array(Math.max(1, n));
    this.twS = new Float64Array(Math.max(1, n));
    let o = 0;
    for (let size = 2; size <= n; size <<= 1) {
      for (let k = 0; k < size >> 1; k++) {
        this.twC[o + k] = Math.cos((2 * Math.PI * k) / size);
        this.twS[o + k] = Math.sin((2 * Math.PI * k) / size);
      }
      o += size >> 1;
    }
    this.rev = new Int32Array(n);
    let bits = 0;
    while (1 << bits < n) bits++;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  /** In-place transform of n values at re/im[o ..]. sign −1: forward, +1: inverse (unscaled). */
  transform(re: Float64Array, im: Float64Array, o: number, sign: number): void {
    const n = this.n;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[o + i]!;
        re[o + i] = re[o + j]!;
        re[o + j] = tr;
        const ti = im[o + i]!;
        im[o + i] = im[o + j]!;
        im[o + j] = ti;
      }
    }
    // Stages are fused in pairs (sizes s/2 and s in one pass over 4 values: half the loads and
    // stores of two radix-2 passes, same arithmetic); an odd count starts with the size-2 stage.
    let size = 2;
    if (this.log2 & 1) {
      for (let a = o; a + 1 < o + n; a += 2) {
        const xr = re[a + 1]!;
        const xi = im[a + 1]!;
        re[a + 1] = re[a]! - xr;
        im[a + 1] = im[a]! - xi;
        re[a]! += xr;
        im[a]! += xi;
      }
      size = 4;
    } else size = 2;
    const C = this.twC;
    const S = this.twS;
    // fused stages of sizes s/2 (=2q) and s (=4q); twiddles of stage size t start at t/2 − 1
    for (let s4 = size * 2; s4 <= n; s4 <<= 2) {
      const q = s4 >> 2;
      const o1 = q - 1; // stage size 2q
      const o2 = 2 * q - 1; // stage size 4q
      for (let start = o; start < o + n; start += s4) {
        for (let k = 0; k < q; k++) {
          const w1r = C[o1 + k]!;
          const w1i = sign * S[o1 + k]!;
          const w2r = C[o2 + k]!;
          const w2i = sign * S[o2 + k]!;
          const i0 = start + k;
          const i1 = i0 + q;
          const i2 = i1 + q;
          const i3 = i2 + q;
          const a1r = re[i1]!;
          const a1i = im[i1]!;
          const a3r = re[i3]!;
          const a3i = im[i3]!;
          const t1r = a1r * w1r - a1i * w1i;
          const t1i = a1r * w1i + a1i * w1r;
          const t3r = a3r * w1r - a3i * w1i;
          const t3i = a3r * w1i + a3i * w1r;
          const a0r = re[i0]!;
          const a0i = im[i0]!;
          const a2r = re[i2]!;
          const a2i = im[i2]!;
          const b0r = a0r + t1r;
          const b0i = a0i + t1i;
          const b1r = a0r - t1r;
          const b1i = a0i - t1i;
          const b2r = a2r + t3r;
          const b2i = a2i + t3i;
          const b3r = a2r - t3r;
          const b3i = a2i - t3i;
          // W2·b2 and (sign·i)·W2·b3
          const u2r = b2r * w2r - b2i * w2i;
          const u2i = b2r * w2i + b2i * w2r;
          const v3r = b3r * w2r - b3i * w2i;
          const v3i = b3r * w2i + b3i * w2r;
          const u3r = -sign * v3i;
          const u3i = sign * v3r;
          re[i0] = b0r + u2r;
          im[i0] = b0i + u2i;
          re[i2] = b0r - u2r;
          im[i2] = b0i - u2i;
          re[i1] = b1r + u3r;
          im[i1] = b1i + u3i;
          re[i3] = b1r - u3r;
          im[i3] = b1i - u3i;
        }
      }
    }
  }

  /**
   * Transforms along the first axis of an (n × w) row-major block at offset o (i.e. w columns of
   * length n at once). `tmp` must hold w values.
   */
  columns(
    re: Float64Array,
    im: Float64Array,
    o: number,
    w: number,
    sign: number,
    tmpRe: Float64Array,
    tmpIm: Float64Array,
  ): void {
    const n = this.n;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const a = o + i * w;
        const b = o + j * w;
        tmpRe.set(re.subarray(a, a + w));
        re.copyWithin(a, b, b + w);
        re.set(tmpRe.subarray(0, w), b);
        tmpIm.set(im.subarray(a, a + w));
        im.copyWithin(a, b, b + w);
        im.set(tmpIm.subarray(0, w), b);
      }
    }
    const C = this.twC;
    const S = this.twS;
    let first = 4;
    if (this.log2 & 1) {
      // size-2 stage
      for (let start = 0; start < n; start += 2) {
        const a = o + start * w;
        const b = a + w;
        for (let c = 0; c < w; c++) {
          const xr = re[b + c]!;
          const xi = im[b + c]!;
          const ar = re[a + c]!;
          const ai = im[a + c]!;
          re[b + c] = ar - xr;
          im[b + c] = ai - xi;
          re[a + c] = ar + xr;
          im[a + c] = ai + xi;
        }
      }
      first = 8;
    }
    // fused pairs of stages, as in transform (each value of the pass is a whole row of w)
    for (let s4 = first; s4 <= n; s4 <<= 2) {
      const q = s4 >> 2;
      const o1 = q - 1;
      const o2 = 2 * q - 1;
      for (let start = 0; start < n; start += s4) {
        for (let k = 0; k < q; k++) {
          const w1r = C[o1 + k]!;
          const w1i = sign * S[o1 + k]!;
          const w2r = C[o2 + k]!;
          const w2i = sign * S[o2 + k]!;
          const i0 = o + (start + k) * w;
          const i1 = i0 + q * w;
          const i2 = i1 + q * w;
          const i3 = i2 + q * w;
          for (let c = 0; c < w; c++) {
            const a1r = re[i1 + c]!;
            const a1i = im[i1 + c]!;
            const a3r = re[i3 + c]!;
            const a3i = im[i3 + c]!;
            const t1r = a1r * w1r - a1i * w1i;
            const t1i = a1r * w1i + a1i * w1r;
            const t3r = a3r * w1r - a3i * w1i;
            const t3i = a3r * w1i + a3i * w1r;
            const a0r = re[i0 + c]!;
            const a0i = im[i0 + c]!;
            const a2r = re[i2 + c]!;
            const a2i = im[i2 + c]!;
            const b0r = a0r + t1r;
            const b0i = a0i + t1i;
            const b1r = a0r - t1r;
            const b1i = a0i - t1i;
            const b2r = a2r + t3r;
            const b2i = a2i + t3i;
            const b3r = a2r - t3r;
            const b3i = a2i - t3i;
            const u2r = b2r * w2r - b2i * w2i;
            const u2i = b2r * w2i + b2i * w2r;
            const v3r = b3r * w2r - b3i * w2i;
            const v3i = b3r * w2i + b3i * w2r;
            const u3r = -sign * v3i;
            const u3i = sign * v3r;
            re[i0 + c] = b0r + u2r;
            im[i0 + c] = b0i + u2i;
            re[i2 + c] = b0r - u2r;
            im[i2 + c] = b0i - u2i;
            re[i1 + c] = b1r + u3r;
            im[i1 + c] = b1i + u3i;
            re[i3 + c] = b1r - u3r;
            im[i3 + c] = b1i - u3i;
          }
        }
      }
    }
  }
}

export class Fft {
  readonly n: number;
  private readonly p2: Pow2;
  /** 1 for powers of two, 3 for 3·2^m, 5 for 5·2^m. */
  private readonly radix: number;
  private readonly m: number;
  /** W_n^k = exp(−2πik/n), k < (radix − 1)·m (radix 3 and 5). */
  private readonly wC: Float64Array;
  private readonly wS: Float64Array;
  private sRe: Float64Array;
  private sIm: Float64Array;

  constructor(n: number) {
    if (!fftSizeOk(n)) throw new Error(`FFT size must be a power of two, 3·2^m or 5·2^m; got ${n}`);
    this.n = n;
    this.radix = (n & (n - 1)) === 0 ? 1 : n % 3 === 0 ? 3 : 5;
    this.m = n / this.radix;
    this.p2 = new Pow2(this.m);
    const nw = this.radix === 1 ? 0 : (this.radix - 1) * this.m;
    this.wC = new Float64Array(nw);
    this.wS = new Float64Array(nw);
    for (let k = 0; k < this.wC.length; k++) {
      this.wC[k] = Math.cos((2 * Math.PI * k) / n);
      this.wS[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.sRe = new Float64Array(this.radix === 1 ? 0 : n);
    this.sIm = new Float64Array(this.radix === 1 ? 0 : n);
  }

  /** In-place transform of re/im at offset o (stride 1). sign −1: forward, +1: inverse (unscaled). */
  transform(re: Float64Array, im: Float64Array, o: number, sign: number): void {
    if (this.radix === 1) {
      this.p2.transform(re, im, o, sign);
      return;
    }
    const m = this.m;
    const sRe = this.sRe;
    const sIm = this.sIm;
    const R = this.radix;
    for (let r = 0; r < R; r++) {
      for (let q = 0; q < m; q++) {
        sRe[r * m + q] = re[o + R * q + r]!;
        sIm[r * m + q] = im[o + R * q + r]!;
      }
      this.p2.transform(sRe, sIm, r * m, sign);
    }
    if (R === 3) this.combine3(sRe, sIm, 1, re, im, o, sign);
    else this.combine5(sRe, sIm, 1, re, im, o, sign);
  }

  /**
   * Radix-3 butterflies: sub-transforms A_r (r = 0, 1, 2) at s[r·m·w + k·w + c] → x[o + (k + j·m)·w + c].
   * w = 1 for a single row, w = row width for column transforms.
   */
  private combine3(
    sRe: Float64Array,
    sIm: Float64Array,
    w: number,
    re: Float64Array,
    im: Float64Array,
    o: number,
    sign: number,
  ): void {
    const m = this.m;
    const c3 = -0.5;
    const s3 = (sign * Math.sqrt(3)) / 2;
    for (let k = 0; k < m; k++) {
      const w1r = this.wC[k]!;
      const w1i = sign * this.wS[k]!;
      const w2r = this.wC[2 * k]!;
      const w2i = sign * this.wS[2 * k]!;
      const a0 = k * w;
      const a1 = (m + k) * w;
      const a2 = (2 * m + k) * w;
      const x0 = o + k * w;
      const x1 = o + (k + m) * w;
      const x2 = o + (k + 2 * m) * w;
      for (let c = 0; c < w; c++) {
        const b1r = sRe[a1 + c]!;
        const b1i = sIm[a1 + c]!;
        const b2r = sRe[a2 + c]!;
        const b2i = sIm[a2 + c]!;
        const t1r = b1r * w1r - b1i * w1i;
        const t1i = b1r * w1i + b1i * w1r;
        const t2r = b2r * w2r - b2i * w2i;
        const t2i = b2r * w2i + b2i * w2r;
        const sr = t1r + t2r;
        const si = t1i + t2i;
        const dr = t1r - t2r;
        const di = t1i - t2i;
        const ar = sRe[a0 + c]!;
        const ai = sIm[a0 + c]!;
        re[x0 + c] = ar + sr;
        im[x0 + c] = ai + si;
        // ω t1 + ω² t2 with ω = c3 + i s3: c3 (t1 + t2) + i s3 (t1 − t2)
        const mr = ar + c3 * sr;
        const mi = ai + c3 * si;
        re[x1 + c] = mr - s3 * di;
        im[x1 + c] = mi + s3 * dr;
        re[x2 + c] = mr + s3 * di;
        im[x2 + c] = mi - s3 * dr;
      }
    }
  }

  /**
   * Radix-5 butterflies (as combine3): X[k + j·m] = Σ_r W_n^{rk} A_r[k] · ω^{rj}, ω = exp(sign·2πi/5),
   * with the usual symmetric split (t1 ± t4, t2 ± t3: ω⁴ and ω³ are the conjugates of ω and ω²).
   */
  private combine5(
    sRe: Float64Array,
    sIm: Float64Array,
    w: number,
    re: Float64Array,
    im: Float64Array,
    o: number,
    sign: number,
  ): void {
    const m = this.m;
    const c1 = Math.cos((2 * Math.PI) / 5);
    const c2 = Math.cos((4 * Math.PI) / 5);
    const n1 = sign * Math.sin((2 * Math.PI) / 5);
    const n2 = sign * Math.sin((4 * Math.PI) / 5);
    const C = this.wC;
    const S = this.wS;
    for (let k = 0; k < m; k++) {
      const w1r = C[k]!;
      const w1i = sign * S[k]!;
      const w2r = C[2 * k]!;
      const w2i = sign * S[2 * k]!;
      const w3r = C[3 * k]!;
      const w3i = sign * S[3 * k]!;
      const w4r = C[4 * k]!;
      const w4i = sign * S[4 * k]!;
      const a0 = k * w;
      const a1 = (m + k) * w;
      const a2 = (2 * m + k) * w;
      const a3 = (3 * m + k) * w;
      const a4 = (4 * m + k) * w;
      const x0 = o + k * w;
      const x1 = o + (k + m) * w;
      const x2 = o + (k + 2 * m) * w;
      const x3 = o + (k + 3 * m) * w;
      const x4 = o + (k + 4 * m) * w;
      for (let c = 0; c < w; c++) {
        let br = sRe[a1 + c]!;
        let bi = sIm[a1 + c]!;
        const t1r = br * w1r - bi * w1i;
        const t1i = br * w1i + bi * w1r;
        br = sRe[a2 + c]!;
        bi = sIm[a2 + c]!;
        const t2r = br * w2r - bi * w2i;
        const t2i = br * w2i + bi * w2r;
        br = sRe[a3 + c]!;
        bi = sIm[a3 + c]!;
        const t3r = br * w3r - bi * w3i;
        const t3i = br * w3i + bi * w3r;
        br = sRe[a4 + c]!;
        bi = sIm[a4 + c]!;
        const t4r = br * w4r - bi * w4i;
        const t4i = br * w4i + bi * w4r;
        const s1r = t1r + t4r;
        const s1i = t1i + t4i;
        const d1r = t1r - t4r;
        const d1i = t1i - t4i;
        const s2r = t2r + t3r;
        const s2i = t2i + t3i;
        const d2r = t2r - t3r;
        const d2i = t2i - t3i;
        const ar = sRe[a0 + c]!;
        const ai = sIm[a0 + c]!;
        re[x0 + c] = ar + s1r + s2r;
        im[x0 + c] = ai + s1i + s2i;
        const m1r = ar + c1 * s1r + c2 * s2r;
        const m1i = ai + c1 * s1i + c2 * s2i;
        const m2r = ar + c2 * s1r + c1 * s2r;
        const m2i = ai + c2 * s1i + c1 * s2i;
        const ur = n1 * d1r + n2 * d2r;
        const ui = n1 * d1i + n2 * d2i;
        const vr = n2 * d1r - n1 * d2r;
        const vi = n2 * d1i - n1 * d2i;
        re[x1 + c] = m1r - ui;
        im[x1 + c] = m1i + ur;
        re[x4 + c] = m1r + ui;
        im[x4 + c] = m1i - ur;
        re[x2 + c] = m2r - vi;
        im[x2 + c] = m2i + vr;
        re[x3 + c] = m2r + vi;
        im[x3 + c] = m2i - vr;
      }
    }
  }

  /** Transforms all columns of an n × n row-major grid (in place). */
  columns(re: Float64Array, im: Float64Array, sign: number, tmpRe: Float64Array, tmpIm: Float64Array): void {
    const n = this.n;
    if (this.radix === 1) {
      this.p2.columns(re, im, 0, n, sign, tmpRe, tmpIm);
      return;
    }
    const m = this.m;
    if (this.sRe.length < n * n) {
      this.sRe = new Float64Array(n * n);
      this.sIm = new Float64Array(n * n);
    }
    const sRe = this.sRe;
    const sIm = this.sIm;
    const R = this.radix;
    for (let r = 0; r < R; r++) {
      for (let q = 0; q < m; q++) {
        const src = (R * q + r) * n;
        const dst = (r * m + q) * n;
        sRe.set(re.subarray(src, src + n), dst);
        sIm.set(im.subarray(src, src + n), dst);
      }
      this.p2.columns(sRe, sIm, r * m * n, n, sign, tmpRe, tmpIm);
    }
    if (R === 3) this.combine3(sRe, sIm, n, re, im, 0, sign);
    else this.combine5(sRe, sIm, n, re, im, 0, sign);
  }
}

/**
 * 2-D FFT of an N × N complex grid (row-major). Only the first `rowsIn` rows may be non-zero on
 * input (forward) and only the first `rowsOut` rows are needed on output (inverse): the other row
 * transforms are skipped.
 */
export function fft2(
  f: Fft,
  re: Float64Array,
  im: Float64Array,
  sign: number,
  rowsIn: number,
  rowsOut: number,
  tmpRe: Float64Array,
  tmpIm: Float64Array,
): void {
  const n = f.n;
  if (sign < 0) {
    for (let r = 0; r < rowsIn; r++) f.transform(re, im, r * n, sign);
    f.columns(re, im, sign, tmpRe, tmpIm);
  } else {
    f.columns(re, im, sign, tmpRe, tmpIm);
    for (let r = 0; r < rowsOut; r++) f.transform(re, im, r * n, sign);
  }
}

/**
 * Buffers of the TypeScript FFT repulsion (fftRepulsion2dTs), reused across calls, and its cached
 * kernel transform (valid for the grid size, node count and spacing it was computed for).
 */
export class FftRepulsionBuffers {
  size = 0;
  kN = 0;
  kP = 0;
  kH = NaN;
  fft: Fft | null = null;
  kRe = new Float64Array(0);
  kIm = new Float64Array(0);
  aRe = new Float64Array(0);
  aIm = new Float64Array(0);
  bRe = new Float64Array(0);
  bIm = new Float64Array(0);
  colRe = new Float64Array(0);
  colIm = new Float64Array(0);
  box = new Int32Array(0);
  wx = new Float64Array(0);
  wy = new Float64Array(0);
  /** Interleaved G × G × 4 charges / potentials (G < N). */
  q4 = new Float64Array(0);
  selfT = new Float64Array(0);
  selfVx = new Float64Array(0);
  selfVy = new Float64Array(0);

  ensure(N: number, n: number, p: number): void {
    if (this.selfVx.length !== 2 * p - 1) {
      this.selfT = new Float64Array((2 * p - 1) * (2 * p - 1));
      this.selfVx = new Float64Array(2 * p - 1);
      this.selfVy = new Float64Array(2 * p - 1);
    }
    if (this.size !== N) {
      this.size = N;
      this.q4 = new Float64Array(N * N);
      this.fft = new Fft(N);
      for (const k of ['kRe', 'kIm', 'aRe', 'aIm', 'bRe', 'bIm'] as const) this[k] = new Float64Array(N * N);
      this.colRe = new Float64Array(N);
      this.colIm = new Float64Array(N);
      this.kN = 0;
    }
    if (this.box.length !== 2 * n || this.wx.length !== n * p) {
      this.box = new Int32Array(2 * n);
      this.wx = new Float64Array(n * p);
      this.wy = new Float64Array(n * p);
    }
  }
}

/**
 * FFT-interpolated t-SNE repulsion of a 2-D map, α = 1 (Linderman et al. 2019), TypeScript reference
 * of the `tsneFftRepulsion2d` kernel. The map lies in the square [lo, lo + nBoxes·boxW)² of
 * nBoxes = ⌊N / 2p⌋ boxes per side with p Lagrange nodes each (grid spacing h = boxW / p, G = p·nBoxes
 * nodes per side, zero-padded to N for the circular convolution). Writes rep_i ≈ Σ_j w_ij² (y_i − y_j)
 * and returns Z ≈ Σ_{i≠j} w_ij (the interpolated self terms removed).
 */
export function fftRepulsion2dTs(
  n: number,
  Y: Float64Array,
  p: number,
  N: number,
  lo: number,
  boxW: number,
  rep: Float64Array,
  ws: FftRepulsionBuffers,
): number {
  const nBoxes = Math.floor(N / (2 * p));
  const G = p * nBoxes;
  const h = boxW / p; // grid spacing
  ws.ensure(N, n, p);
  const { kRe, kIm, aRe, aIm, bRe, bIm, colRe, colIm, box, wx, wy } = ws;
  const f = ws.fft!;
  if (!(ws.kN === N && ws.kP === p && ws.kH === h)) {
    ws.kN = N;
    ws.kP = p;
    ws.kH = h;
    // kernel on the circulant-embedded grid: K(Δ) = (1 + ‖Δ‖²)^−2 at grid offsets, wrapped mod N
    kIm.fill(0);
    kRe.fill(0);
    for (let a = -(G - 1); a <= G - 1; a++) {
      const ra = (a + N) % N;
      const da = a * h;
      for (let b = -(G - 1); b <= G - 1; b++) {
        const db = b * h;
        const w = 1 / (1 + da * da + db * db);
        kRe[ra * N + ((b + N) % N)] = w * w;
      }
    }
    fft2(f, kRe, kIm, -1, N, N, colRe, colIm);
  }

  // Lagrange weights of each point on the p nodes of its box, nodes at (k + 1/2)/p of the box
  const nodes = new Float64Array(p);
  const denom = new Float64Array(p);
  for (let k = 0; k < p; k++) nodes[k] = (k + 0.5) / p;
  for (let k = 0; k < p; k++) {
    let dd = 1;
    for (let m = 0; m < p; m++) if (m !== k) dd *= nodes[k]! - nodes[m]!;
    denom[k] = dd;
  }
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      const rel = (Y[2 * i + c]! - lo) / boxW;
      let bx = Math.floor(rel);
      if (bx >= nBoxes) bx = nBoxes - 1;
      if (bx < 0) bx = 0;
      box[2 * i + c] = bx;
      const x = rel - bx;
      const W = c === 0 ? wx : wy;
      if (p === 3) {
        // nodes 1/6, 1/2, 5/6; denominators 2/9, −1/9, 2/9
        const u0 = x - 1 / 6;
        const u1 = x - 0.5;
        const u2 = x - 5 / 6;
        W[i * 3] = u1 * u2 * 4.5;
        W[i * 3 + 1] = u0 * u2 * -9;
        W[i * 3 + 2] = u0 * u1 * 4.5;
        continue;
      }
      for (let k = 0; k < p; k++) {
        let num = 1;
        for (let m = 0; m < p; m++) if (m !== k) num *= x - nodes[m]!;
        W[i * p + k] = num / denom[k]!;
      }
    }
  }

  // Spread the four charges 1, y1, y2, ‖y‖² onto an interleaved G × G × 4 grid (one point touches
  // p rows of 4p contiguous values instead of 4 separate N × N grids: a few cache lines, not 4p²),
  // then copy it into the two complex grids (charges two per grid) in one sequential pass that
  // also zeroes the padding.
  const q4 = ws.q4;
  q4.fill(0, 0, G * G * 4);
  for (let i = 0; i < n; i++) {
    const y0 = Y[2 * i]!;
    const y1 = Y[2 * i + 1]!;
    const sq = y0 * y0 + y1 * y1;
    const gx = box[2 * i]! * p;
    const gy = box[2 * i + 1]! * p;
    for (let kx = 0; kx < p; kx++) {
      const lx = wx[i * p + kx]!;
      const row = ((gx + kx) * G + gy) * 4;
      for (let ky = 0; ky < p; ky++) {
        const l = lx * wy[i * p + ky]!;
        const q = row + 4 * ky;
        q4[q]! += l;
        q4[q + 1]! += l * y0;
        q4[q + 2]! += l * y1;
        q4[q + 3]! += l * sq;
      }
    }
  }
  for (let r = 0; r < G; r++) {
    const src = r * G * 4;
    const dst = r * N;
    for (let c = 0; c < G; c++) {
      const u = src + 4 * c;
      aRe[dst + c] = q4[u]!;
      aIm[dst + c] = q4[u + 1]!;
      bRe[dst + c] = q4[u + 2]!;
      bIm[dst + c] = q4[u + 3]!;
    }
    aRe.fill(0, dst + G, dst + N);
    aIm.fill(0, dst + G, dst + N);
    bRe.fill(0, dst + G, dst + N);
    bIm.fill(0, dst + G, dst + N);
  }
  aRe.fill(0, G * N);
  aIm.fill(0, G * N);
  bRe.fill(0, G * N);
  bIm.fill(0, G * N);
  fft2(f, aRe, aIm, -1, G, G, colRe, colIm);
  fft2(f, bRe, bIm, -1, G, G, colRe, colIm);
  // the kernel is real and even, so its transform is real: multiply both grids by it
  const scale = 1 / (N * N);
  for (let q = 0; q < N * N; q++) {
    const k = kRe[q]! * scale;
    aRe[q]! *= k;
    aIm[q]! *= k;
    bRe[q]! *= k;
    bIm[q]! *= k;
  }
  fft2(f, aRe, aIm, 1, G, G, colRe, colIm);
  fft2(f, bRe, bIm, 1, G, G, colRe, colIm);
  // back to the interleaved layout for the gather
  for (let r = 0; r < G; r++) {
    const dst = r * G * 4;
    const src = r * N;
    for (let c = 0; c < G; c++) {
      const u = dst + 4 * c;
      q4[u] = aRe[src + c]!;
      q4[u + 1] = aIm[src + c]!;
      q4[u + 2] = bRe[src + c]!;
      q4[u + 3] = bIm[src + c]!;
    }
  }

  // The interpolated kernel of a point with itself is not exactly w_ii = 1: subtract the
  // interpolated self term s_i (it cancels in the forces and only enters Z), so Z stays accurate
  // even when the map is sparse (Z not >> n). s_i = Σ_{a,c,b,e} lx_a lx_c ly_b ly_e T(a−c, b−e)
  // = Σ_{dx,dy} Vx(dx) Vy(dy) T(dx, dy) with Vx(d) = Σ_{a−c=d} lx_a lx_c: (2p−1)² terms, not p⁴.
  const tw = 2 * p - 1;
  const T = ws.selfT;
  for (let a = 0; a < tw; a++) {
    for (let b = 0; b < tw; b++) {
      const da = (a - (p - 1)) * h;
      const db = (b - (p - 1)) * h;
      const w = 1 / (1 + da * da + db * db);
      T[a * tw + b] = w * w;
    }
  }
  const Vx = ws.selfVx;
  const Vy = ws.selfVy;
  // gather the potentials back at the points
  let sumQ = 0;
  let selfSum = 0;
  for (let i = 0; i < n; i++) {
    const gx = box[2 * i]! * p;
    const gy = box[2 * i + 1]! * p;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let p4 = 0;
    for (let kx = 0; kx < p; kx++) {
      const lx = wx[i * p + kx]!;
      const row = ((gx + kx) * G + gy) * 4;
      for (let ky = 0; ky < p; ky++) {
        const l = lx * wy[i * p + ky]!;
        const q = row + 4 * ky;
        p1 += l * q4[q]!;
        p2 += l * q4[q + 1]!;
        p3 += l * q4[q + 2]!;
        p4 += l * q4[q + 3]!;
      }
    }
    Vx.fill(0);
    Vy.fill(0);
    for (let a = 0; a < p; a++) {
      const la = wx[i * p + a]!;
      const ma = wy[i * p + a]!;
      for (let c = 0; c < p; c++) {
        Vx[a - c + p - 1]! += la * wx[i * p + c]!;
        Vy[a - c + p - 1]! += ma * wy[i * p + c]!;
      }
    }
    let self = 0;
    for (let a = 0; a < tw; a++) {
      let acc = 0;
      for (let b = 0; b < tw; b++) acc += Vy[b]! * T[a * tw + b]!;
      self += Vx[a]! * acc;
    }
    selfSum += self;
    const y0 = Y[2 * i]!;
    const y1 = Y[2 * i + 1]!;
    sumQ += (1 + y0 * y0 + y1 * y1) * p1 - 2 * (y0 * p2 + y1 * p3) + p4;
    rep[2 * i] = y0 * p1 - p2;
    rep[2 * i + 1] = y1 * p1 - p3;
  }
  return sumQ - selfSum;
}
