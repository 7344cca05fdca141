/**
 * A compact iterative radix-2 complex FFT (Cooley & Tukey 1965) on split real/imaginary Float64Arrays,
 * with twiddle and bit-reversal tables built once per size, and the 2-D convolution with a real,
 * even kernel that the FFT-interpolated t-SNE gradient needs (Linderman et al. 2019).
 * Sizes are powers of two.
 */

export class Fft {
  readonly n: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Int32Array;

  get cosTable(): Float64Array {
    return this.cos;
  }
  get sinTable(): Float64Array {
    return this.sin;
  }
  get bitReverse(): Int32Array {
    return this.rev;
  }

  constructor(n: number) {
    if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`FFT size must be a power of two; got ${n}`);
    this.n = n;
    this.cos = new Float64Array(n >> 1);
    this.sin = new Float64Array(n >> 1);
    for (let i = 0; i < n >> 1; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = Math.sin((2 * Math.PI * i) / n);
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

  /** In-place transform of re/im at offset o (stride 1). sign −1: forward, +1: inverse (unscaled). */
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
    const C = this.cos;
    const S = this.sin;
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        let t = 0;
        for (let k = 0; k < half; k++) {
          const wr = C[t]!;
          const wi = sign * S[t]!;
          t += step;
          const a = o + start + k;
          const b = a + half;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a]! += xr;
          im[a]! += xi;
        }
      }
    }
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
  colRe: Float64Array,
  colIm: Float64Array,
): void {
  const n = f.n;
  if (sign < 0) {
    for (let r = 0; r < rowsIn; r++) f.transform(re, im, r * n, sign);
    columns(f, re, im, sign, colRe, colIm);
  } else {
    columns(f, re, im, sign, colRe, colIm);
    for (let r = 0; r < rowsOut; r++) f.transform(re, im, r * n, sign);
  }
}

/**
 * Column transforms of an N × N row-major grid, all columns at once: each butterfly combines two
 * whole rows with one twiddle, so the inner loop runs over contiguous memory (a column-by-column
 * transform would touch one cache line per element).
 */
function columns(f: Fft, re: Float64Array, im: Float64Array, sign: number, tmpRe: Float64Array, tmpIm: Float64Array): void {
  const n = f.n;
  const rev = f.bitReverse;
  for (let i = 0; i < n; i++) {
    const j = rev[i]!;
    if (j > i) {
      const a = i * n;
      const b = j * n;
      tmpRe.set(re.subarray(a, a + n));
      re.copyWithin(a, b, b + n);
      re.set(tmpRe, b);
      tmpIm.set(im.subarray(a, a + n));
      im.copyWithin(a, b, b + n);
      im.set(tmpIm, b);
    }
  }
  const C = f.cosTable;
  const S = f.sinTable;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = C[k * step]!;
        const wi = sign * S[k * step]!;
        const a = (start + k) * n;
        const b = a + half * n;
        if (k === 0) {
          for (let c = 0; c < n; c++) {
            const xr = re[b + c]!;
            const xi = im[b + c]!;
            const ar = re[a + c]!;
            const ai = im[a + c]!;
            re[b + c] = ar - xr;
            im[b + c] = ai - xi;
            re[a + c] = ar + xr;
            im[a + c] = ai + xi;
          }
          continue;
        }
        for (let c = 0; c < n; c++) {
          const br = re[b + c]!;
          const bi = im[b + c]!;
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          const ar = re[a + c]!;
          const ai = im[a + c]!;
          re[b + c] = ar - xr;
          im[b + c] = ai - xi;
          re[a + c] = ar + xr;
          im[a + c] = ai + xi;
        }
      }
    }
  }
}
