// @ts-nocheck -- AssemblyScript, not TypeScript: compiled by asc as part of kernels.ts.
// FFT-accelerated interpolation of the t-SNE repulsion (FIt-SNE, Linderman et al. 2019, Nature
// Methods 16) for 2-D maps, α = 1. The TypeScript reference is fftRepulsion2dTs in
// src/kernels/ts-fft.ts: same interpolation (p Lagrange nodes per box), same kernel, same self term;
// the transforms differ (there: decimation in time with bit reversal; here: no reordering at all).
//
// Grid. N × N cells of 32 bytes: one v128 of real parts and one of imaginary parts, lane 0 for the
// complex grid a = c0 + i·c1 and lane 1 for b = c2 + i·c3 (the four real charges 1, y1, y2, ‖y‖²
// of each point). Every butterfly is then the scalar one in f64x2: both grids are transformed in the
// same pass, with twiddles splatted over the two lanes.
//
// Transforms. N = R·2^L with R ∈ {1, 3, 5}. Forward: decimation in frequency (Gentleman & Sande
// 1966): one radix-R step, then radix-4 passes (two radix-2 stages fused, 3 complex products per 4
// values) and a last radix-2 pass when L is odd. The output is left in digit-reversed order, never
// reordered: the pointwise product with the kernel's transform (taken by the same forward transform,
// so in the same order) does not care, and the inverse is the exact transpose: decimation in time
// on the permuted input with conjugated twiddles, natural output (Cooley & Tukey 1965).
// Zero padding is exploited: only the first G (≤ N/2) rows and columns hold charges, and only those
// potentials are needed. Rows ≥ G are neither transformed forward nor back; the first forward pass
// (and the last inverse one) of every transform knows that the upper half (R = 1), the last third
// (R = 3) or the last two fifths (R = 5) of its input is zero (of its output not needed).
//
// Threads. Work is taken in units from an atomic counter (blocks of rows, blocks of columns, chunks
// of points); each unit's output depends only on the inputs, so results are bit-identical however
// the units fall between threads. Phases: rows forward | columns forward, × kernel, inverse |
// rows inverse | gather; the spreading (points → grid) runs on one thread (it adds into shared cells).
//
// Plan layout (bytes from `tw`, fft_plan): i32 header [N, R, m, L, nStages, stage offsets...] (128 B),
// radix-R twiddles (cos, −sin)(2π r q / N) for q < m, r = 1..R−1, then per radix-4 stage of size s
// (s = m, m/4, ...) s/4 entries (w1, w2, w3) = exp(−2πi·{1,2,3}k/s) as 6 f64.

const PLAN_HDR: usize = 128;
const ROWS_PER_UNIT: i32 = 4;
const COLS_PER_UNIT: i32 = 4;
const POINTS_PER_UNIT: i32 = 1024;

@inline function fftTake(counter: usize, chunk: i32): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, chunk);
  const v = load<i32>(counter);
  store<i32>(counter, v + chunk);
  return v;
}

function log2i(m: i32): i32 {
  let l = 0;
  while (1 << l < m) l++;
  return l;
}

/** Bytes of the plan of size N (N = 2^L, 3·2^L or 5·2^L). */
export function fft_plan_bytes(N: i32): i32 {
  const R = N % 3 == 0 ? 3 : N % 5 == 0 ? 5 : 1;
  const m = N / R;
  return <i32>PLAN_HDR + m * (R - 1) * 16 + (m / 2 + 8) * 48;
}

/** Fills the plan (twiddles) of size N at tw. */
export function fft_plan(tw: usize, N: i32): void {
  const R = N % 3 == 0 ? 3 : N % 5 == 0 ? 5 : 1;
  const m = N / R;
  const L = log2i(m);
  store<i32>(tw, N);
  store<i32>(tw, R, 4);
  store<i32>(tw, m, 8);
  store<i32>(tw, L, 12);
  let at: usize = PLAN_HDR;
  for (let q = 0; q < m; q++) {
    for (let r = 1; r < R; r++) {
      const a = (2 * Math.PI * <f64>(r * q)) / <f64>N;
      store<f64>(tw + at, Math.cos(a));
      store<f64>(tw + at, -Math.sin(a), 8);
      at += 16;
    }
  }
  let j = 0;
  for (let s = m; s >= 4; s >>= 2) {
    store<i32>(tw + 20 + ((<usize>j) << 2), <i32>at);
    const q = s >> 2;
    for (let k = 0; k < q; k++) {
      for (let e = 1; e <= 3; e++) {
        const a = (2 * Math.PI * <f64>(e * k)) / <f64>s;
        store<f64>(tw + at, Math.cos(a));
        store<f64>(tw + at, -Math.sin(a), 8);
        at += 16;
      }
    }
    j++;
  }
  store<i32>(tw, j, 16);
}

// x·w and conj(w)·x for x = (xr, xi) lanes and a splatted twiddle (wr, wi)
@inline function mulRe(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f64x2.sub(f64x2.mul(xr, wr), f64x2.mul(xi, wi));
}
@inline function mulIm(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(xr, wi), f64x2.mul(xi, wr));
}
@inline function cmulRe(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(xr, wr), f64x2.mul(xi, wi));
}
@inline function cmulIm(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f64x2.sub(f64x2.mul(xi, wr), f64x2.mul(xr, wi));
}

/**
 * Radix-4 DIF pass of size s over a segment of n elements: element i of vector c at
 * base + i·es + c·cs (w vectors). `pruned`: elements ≥ n/2 are zero on input (first pass, s = n).
 */
function difPass4(base: usize, s: i32, n: i32, es: usize, cs: usize, w: i32, tab: usize, pruned: bool): void {
  const q = s >> 2;
  const qs = (<usize>q) * es;
  for (let start = 0; start < n; start += s) {
    for (let k = 0; k < q; k++) {
      const t = tab + (<usize>k) * 48;
      const w1r = f64x2.splat(load<f64>(t));
      const w1i = f64x2.splat(load<f64>(t, 8));
      const w2r = f64x2.splat(load<f64>(t, 16));
      const w2i = f64x2.splat(load<f64>(t, 24));
      const w3r = f64x2.splat(load<f64>(t, 32));
      const w3i = f64x2.splat(load<f64>(t, 40));
      const a0 = base + (<usize>(start + k)) * es;
      for (let c = 0; c < w; c++) {
        const p0 = a0 + (<usize>c) * cs;
        const p1 = p0 + qs;
        const p2 = p1 + qs;
        const p3 = p2 + qs;
        const x0r = v128.load(p0);
        const x0i = v128.load(p0, 16);
        const x1r = v128.load(p1);
        const x1i = v128.load(p1, 16);
        let s02r: v128, s02i: v128, d02r: v128, d02i: v128, s13r: v128, s13i: v128, e13r: v128, e13i: v128;
        if (pruned) {
          s02r = x0r;
          s02i = x0i;
          d02r = x0r;
          d02i = x0i;
          s13r = x1r;
          s13i = x1i;
          e13r = x1r;
          e13i = x1i;
        } else {
          const x2r = v128.load(p2);
          const x2i = v128.load(p2, 16);
          const x3r = v128.load(p3);
          const x3i = v128.load(p3, 16);
          s02r = f64x2.add(x0r, x2r);
          s02i = f64x2.add(x0i, x2i);
          d02r = f64x2.sub(x0r, x2r);
          d02i = f64x2.sub(x0i, x2i);
          s13r = f64x2.add(x1r, x3r);
          s13i = f64x2.add(x1i, x3i);
          e13r = f64x2.sub(x1r, x3r);
          e13i = f64x2.sub(x1i, x3i);
        }
        // d13 = −i·(x1 − x3) = (e13i, −e13r)
        const y1r = f64x2.sub(s02r, s13r);
        const y1i = f64x2.sub(s02i, s13i);
        v128.store(p0, f64x2.add(s02r, s13r));
        v128.store(p0, f64x2.add(s02i, s13i), 16);
        v128.store(p1, mulRe(y1r, y1i, w2r, w2i));
        v128.store(p1, mulIm(y1r, y1i, w2r, w2i), 16);
        const y2r = f64x2.add(d02r, e13i);
        const y2i = f64x2.sub(d02i, e13r);
        v128.store(p2, mulRe(y2r, y2i, w1r, w1i));
        v128.store(p2, mulIm(y2r, y2i, w1r, w1i), 16);
        const y3r = f64x2.sub(d02r, e13i);
        const y3i = f64x2.add(d02i, e13r);
        v128.store(p3, mulRe(y3r, y3i, w3r, w3i));
        v128.store(p3, mulIm(y3r, y3i, w3r, w3i), 16);
      }
    }
  }
}

/** Radix-4 DIT pass (conjugated twiddles), the transpose of difPass4. `pruned`: only outputs < n/2. */
function ditPass4(base: usize, s: i32, n: i32, es: usize, cs: usize, w: i32, tab: usize, pruned: bool): void {
  const q = s >> 2;
  const qs = (<usize>q) * es;
  for (let start = 0; start < n; start += s) {
    for (let k = 0; k < q; k++) {
      const t = tab + (<usize>k) * 48;
      const w1r = f64x2.splat(load<f64>(t));
      const w1i = f64x2.splat(load<f64>(t, 8));
      const w2r = f64x2.splat(load<f64>(t, 16));
      const w2i = f64x2.splat(load<f64>(t, 24));
      const w3r = f64x2.splat(load<f64>(t, 32));
      const w3i = f64x2.splat(load<f64>(t, 40));
      const a0 = base + (<usize>(start + k)) * es;
      for (let c = 0; c < w; c++) {
        const p0 = a0 + (<usize>c) * cs;
        const p1 = p0 + qs;
        const p2 = p1 + qs;
        const p3 = p2 + qs;
        const y0r = v128.load(p0);
        const y0i = v128.load(p0, 16);
        let xr = v128.load(p1);
        let xi = v128.load(p1, 16);
        const t1r = cmulRe(xr, xi, w2r, w2i);
        const t1i = cmulIm(xr, xi, w2r, w2i);
        xr = v128.load(p2);
        xi = v128.load(p2, 16);
        const t2r = cmulRe(xr, xi, w1r, w1i);
        const t2i = cmulIm(xr, xi, w1r, w1i);
        xr = v128.load(p3);
        xi = v128.load(p3, 16);
        const t3r = cmulRe(xr, xi, w3r, w3i);
        const t3i = cmulIm(xr, xi, w3r, w3i);
        const u0r = f64x2.add(y0r, t1r);
        const u0i = f64x2.add(y0i, t1i);
        const u1r = f64x2.sub(y0r, t1r);
        const u1i = f64x2.sub(y0i, t1i);
        const vr = f64x2.add(t2r, t3r);
        const vi = f64x2.add(t2i, t3i);
        // d = i·(t2 − t3) = (−(t2i − t3i), t2r − t3r)
        const er = f64x2.sub(t2r, t3r);
        const ei = f64x2.sub(t2i, t3i);
        v128.store(p0, f64x2.add(u0r, vr));
        v128.store(p0, f64x2.add(u0i, vi), 16);
        v128.store(p1, f64x2.sub(u1r, ei));
        v128.store(p1, f64x2.add(u1i, er), 16);
        if (!pruned) {
          v128.store(p2, f64x2.sub(u0r, vr));
          v128.store(p2, f64x2.sub(u0i, vi), 16);
          v128.store(p3, f64x2.add(u1r, ei));
          v128.store(p3, f64x2.sub(u1i, er), 16);
        }
      }
    }
  }
}

/** Radix-2 pass of size 2 (no twiddles; its own transpose). */
function pass2(base: usize, n: i32, es: usize, cs: usize, w: i32): void {
  for (let start = 0; start < n; start += 2) {
    const a0 = base + (<usize>start) * es;
    for (let c = 0; c < w; c++) {
      const p0 = a0 + (<usize>c) * cs;
      const p1 = p0 + es;
      const x0r = v128.load(p0);
      const x0i = v128.load(p0, 16);
      const x1r = v128.load(p1);
      const x1i = v128.load(p1, 16);
      v128.store(p0, f64x2.add(x0r, x1r));
      v128.store(p0, f64x2.add(x0i, x1i), 16);
      v128.store(p1, f64x2.sub(x0r, x1r));
      v128.store(p1, f64x2.sub(x0i, x1i), 16);
    }
  }
}

/**
 * Radix-R DIF step (R = 3, 5) over n = R·m elements: y_r = Σ_j x_{q+jm} ω^{jr} · W_n^{rq} into
 * position q + r·m. `pruned`: x_{q+jm} = 0 for j ≥ R − 1 − (R == 5) (the zero-padded part).
 */
function difRadix(base: usize, R: i32, m: i32, es: usize, cs: usize, w: i32, twr: usize, pruned: bool): void {
  const ms = (<usize>m) * es;
  if (R == 3) {
    const s3 = f64x2.splat(-0.8660254037844386); // forward: ω = −1/2 − i·√3/2
    const half = f64x2.splat(0.5);
    for (let q = 0; q < m; q++) {
      const t = twr + (<usize>q) * 32;
      const w1r = f64x2.splat(load<f64>(t));
      const w1i = f64x2.splat(load<f64>(t, 8));
      const w2r = f64x2.splat(load<f64>(t, 16));
      const w2i = f64x2.splat(load<f64>(t, 24));
      const a0 = base + (<usize>q) * es;
      for (let c = 0; c < w; c++) {
        const p0 = a0 + (<usize>c) * cs;
        const p1 = p0 + ms;
        const p2 = p1 + ms;
        const x0r = v128.load(p0);
        const x0i = v128.load(p0, 16);
        const x1r = v128.load(p1);
        const x1i = v128.load(p1, 16);
        let x2r = f64x2.splat(0);
        let x2i = x2r;
        if (!pruned) {
          x2r = v128.load(p2);
          x2i = v128.load(p2, 16);
        }
        const sr = f64x2.add(x1r, x2r);
        const si = f64x2.add(x1i, x2i);
        const dr = f64x2.mul(s3, f64x2.sub(x1r, x2r));
        const di = f64x2.mul(s3, f64x2.sub(x1i, x2i));
        const mr = f64x2.sub(x0r, f64x2.mul(half, sr));
        const mi = f64x2.sub(x0i, f64x2.mul(half, si));
        v128.store(p0, f64x2.add(x0r, sr));
        v128.store(p0, f64x2.add(x0i, si), 16);
        // y1 = m + i·d, y2 = m − i·d
        let yr = f64x2.sub(mr, di);
        let yi = f64x2.add(mi, dr);
        v128.store(p1, mulRe(yr, yi, w1r, w1i));
        v128.store(p1, mulIm(yr, yi, w1r, w1i), 16);
        yr = f64x2.add(mr, di);
        yi = f64x2.sub(mi, dr);
        v128.store(p2, mulRe(yr, yi, w2r, w2i));
        v128.store(p2, mulIm(yr, yi, w2r, w2i), 16);
      }
    }
    return;
  }
  const c1 = f64x2.splat(0.30901699437494745); // cos 2π/5
  const c2 = f64x2.splat(-0.8090169943749473); // cos 4π/5
  const n1 = f64x2.splat(-0.9510565162951535); // forward: −sin 2π/5
  const n2 = f64x2.splat(-0.5877852522924732); // −sin 4π/5
  for (let q = 0; q < m; q++) {
    const a0 = base + (<usize>q) * es;
    const t = twr + (<usize>q) * 64;
    for (let c = 0; c < w; c++) {
      const p0 = a0 + (<usize>c) * cs;
      const p1 = p0 + ms;
      const p2 = p1 + ms;
      const p3 = p2 + ms;
      const p4 = p3 + ms;
      const x0r = v128.load(p0);
      const x0i = v128.load(p0, 16);
      const x1r = v128.load(p1);
      const x1i = v128.load(p1, 16);
      const x2r = v128.load(p2);
      const x2i = v128.load(p2, 16);
      let x3r = f64x2.splat(0);
      let x3i = x3r;
      let x4r = x3r;
      let x4i = x3r;
      if (!pruned) {
        x3r = v128.load(p3);
        x3i = v128.load(p3, 16);
        x4r = v128.load(p4);
        x4i = v128.load(p4, 16);
      }
      const s1r = f64x2.add(x1r, x4r);
      const s1i = f64x2.add(x1i, x4i);
      const d1r = f64x2.sub(x1r, x4r);
      const d1i = f64x2.sub(x1i, x4i);
      const s2r = f64x2.add(x2r, x3r);
      const s2i = f64x2.add(x2i, x3i);
      const d2r = f64x2.sub(x2r, x3r);
      const d2i = f64x2.sub(x2i, x3i);
      v128.store(p0, f64x2.add(x0r, f64x2.add(s1r, s2r)));
      v128.store(p0, f64x2.add(x0i, f64x2.add(s1i, s2i)), 16);
      const m1r = f64x2.add(x0r, f64x2.add(f64x2.mul(c1, s1r), f64x2.mul(c2, s2r)));
      const m1i = f64x2.add(x0i, f64x2.add(f64x2.mul(c1, s1i), f64x2.mul(c2, s2i)));
      const m2r = f64x2.add(x0r, f64x2.add(f64x2.mul(c2, s1r), f64x2.mul(c1, s2r)));
      const m2i = f64x2.add(x0i, f64x2.add(f64x2.mul(c2, s1i), f64x2.mul(c1, s2i)));
      const ur = f64x2.add(f64x2.mul(n1, d1r), f64x2.mul(n2, d2r));
      const ui = f64x2.add(f64x2.mul(n1, d1i), f64x2.mul(n2, d2i));
      const vr = f64x2.sub(f64x2.mul(n2, d1r), f64x2.mul(n1, d2r));
      const vi = f64x2.sub(f64x2.mul(n2, d1i), f64x2.mul(n1, d2i));
      // y1 = m1 + i·u, y4 = m1 − i·u, y2 = m2 + i·v, y3 = m2 − i·v; then × W^{rq}
      let yr = f64x2.sub(m1r, ui);
      let yi = f64x2.add(m1i, ur);
      let wr = f64x2.splat(load<f64>(t));
      let wi = f64x2.splat(load<f64>(t, 8));
      v128.store(p1, mulRe(yr, yi, wr, wi));
      v128.store(p1, mulIm(yr, yi, wr, wi), 16);
      yr = f64x2.sub(m2r, vi);
      yi = f64x2.add(m2i, vr);
      wr = f64x2.splat(load<f64>(t, 16));
      wi = f64x2.splat(load<f64>(t, 24));
      v128.store(p2, mulRe(yr, yi, wr, wi));
      v128.store(p2, mulIm(yr, yi, wr, wi), 16);
      yr = f64x2.add(m2r, vi);
      yi = f64x2.sub(m2i, vr);
      wr = f64x2.splat(load<f64>(t, 32));
      wi = f64x2.splat(load<f64>(t, 40));
      v128.store(p3, mulRe(yr, yi, wr, wi));
      v128.store(p3, mulIm(yr, yi, wr, wi), 16);
      yr = f64x2.add(m1r, ui);
      yi = f64x2.sub(m1i, ur);
      wr = f64x2.splat(load<f64>(t, 48));
      wi = f64x2.splat(load<f64>(t, 56));
      v128.store(p4, mulRe(yr, yi, wr, wi));
      v128.store(p4, mulIm(yr, yi, wr, wi), 16);
    }
  }
}

/** Radix-R DIT step, the transpose of difRadix (conjugated). `pruned`: outputs q + j·m for j < R − 1 − (R == 5) only. */
function ditRadix(base: usize, R: i32, m: i32, es: usize, cs: usize, w: i32, twr: usize, pruned: bool): void {
  const ms = (<usize>m) * es;
  if (R == 3) {
    const s3 = f64x2.splat(0.8660254037844386); // inverse: ω = −1/2 + i·√3/2
    const half = f64x2.splat(0.5);
    for (let q = 0; q < m; q++) {
      const t = twr + (<usize>q) * 32;
      const w1r = f64x2.splat(load<f64>(t));
      const w1i = f64x2.splat(load<f64>(t, 8));
      const w2r = f64x2.splat(load<f64>(t, 16));
      const w2i = f64x2.splat(load<f64>(t, 24));
      const a0 = base + (<usize>q) * es;
      for (let c = 0; c < w; c++) {
        const p0 = a0 + (<usize>c) * cs;
        const p1 = p0 + ms;
        const p2 = p1 + ms;
        const x0r = v128.load(p0);
        const x0i = v128.load(p0, 16);
        let xr = v128.load(p1);
        let xi = v128.load(p1, 16);
        const x1r = cmulRe(xr, xi, w1r, w1i);
        const x1i = cmulIm(xr, xi, w1r, w1i);
        xr = v128.load(p2);
        xi = v128.load(p2, 16);
        const x2r = cmulRe(xr, xi, w2r, w2i);
        const x2i = cmulIm(xr, xi, w2r, w2i);
        const sr = f64x2.add(x1r, x2r);
        const si = f64x2.add(x1i, x2i);
        const dr = f64x2.mul(s3, f64x2.sub(x1r, x2r));
        const di = f64x2.mul(s3, f64x2.sub(x1i, x2i));
        const mr = f64x2.sub(x0r, f64x2.mul(half, sr));
        const mi = f64x2.sub(x0i, f64x2.mul(half, si));
        v128.store(p0, f64x2.add(x0r, sr));
        v128.store(p0, f64x2.add(x0i, si), 16);
        v128.store(p1, f64x2.sub(mr, di));
        v128.store(p1, f64x2.add(mi, dr), 16);
        if (!pruned) {
          v128.store(p2, f64x2.add(mr, di));
          v128.store(p2, f64x2.sub(mi, dr), 16);
        }
      }
    }
    return;
  }
  const c1 = f64x2.splat(0.30901699437494745);
  const c2 = f64x2.splat(-0.8090169943749473);
  const n1 = f64x2.splat(0.9510565162951535); // inverse: +sin
  const n2 = f64x2.splat(0.5877852522924732);
  for (let q = 0; q < m; q++) {
    const a0 = base + (<usize>q) * es;
    const t = twr + (<usize>q) * 64;
    for (let c = 0; c < w; c++) {
      const p0 = a0 + (<usize>c) * cs;
      const p1 = p0 + ms;
      const p2 = p1 + ms;
      const p3 = p2 + ms;
      const p4 = p3 + ms;
      const x0r = v128.load(p0);
      const x0i = v128.load(p0, 16);
      let xr = v128.load(p1);
      let xi = v128.load(p1, 16);
      let wr = f64x2.splat(load<f64>(t));
      let wi = f64x2.splat(load<f64>(t, 8));
      const x1r = cmulRe(xr, xi, wr, wi);
      const x1i = cmulIm(xr, xi, wr, wi);
      xr = v128.load(p2);
      xi = v128.load(p2, 16);
      wr = f64x2.splat(load<f64>(t, 16));
      wi = f64x2.splat(load<f64>(t, 24));
      const x2r = cmulRe(xr, xi, wr, wi);
      const x2i = cmulIm(xr, xi, wr, wi);
      xr = v128.load(p3);
      xi = v128.load(p3, 16);
      wr = f64x2.splat(load<f64>(t, 32));
      wi = f64x2.splat(load<f64>(t, 40));
      const x3r = cmulRe(xr, xi, wr, wi);
      const x3i = cmulIm(xr, xi, wr, wi);
      xr = v128.load(p4);
      xi = v128.load(p4, 16);
      wr = f64x2.splat(load<f64>(t, 48));
      wi = f64x2.splat(load<f64>(t, 56));
      const x4r = cmulRe(xr, xi, wr, wi);
      const x4i = cmulIm(xr, xi, wr, wi);
      const s1r = f64x2.add(x1r, x4r);
      const s1i = f64x2.add(x1i, x4i);
      const d1r = f64x2.sub(x1r, x4r);
      const d1i = f64x2.sub(x1i, x4i);
      const s2r = f64x2.add(x2r, x3r);
      const s2i = f64x2.add(x2i, x3i);
      const d2r = f64x2.sub(x2r, x3r);
      const d2i = f64x2.sub(x2i, x3i);
      v128.store(p0, f64x2.add(x0r, f64x2.add(s1r, s2r)));
      v128.store(p0, f64x2.add(x0i, f64x2.add(s1i, s2i)), 16);
      const m1r = f64x2.add(x0r, f64x2.add(f64x2.mul(c1, s1r), f64x2.mul(c2, s2r)));
      const m1i = f64x2.add(x0i, f64x2.add(f64x2.mul(c1, s1i), f64x2.mul(c2, s2i)));
      const m2r = f64x2.add(x0r, f64x2.add(f64x2.mul(c2, s1r), f64x2.mul(c1, s2r)));
      const m2i = f64x2.add(x0i, f64x2.add(f64x2.mul(c2, s1i), f64x2.mul(c1, s2i)));
      const ur = f64x2.add(f64x2.mul(n1, d1r), f64x2.mul(n2, d2r));
      const ui = f64x2.add(f64x2.mul(n1, d1i), f64x2.mul(n2, d2i));
      const vr = f64x2.sub(f64x2.mul(n2, d1r), f64x2.mul(n1, d2r));
      const vi = f64x2.sub(f64x2.mul(n2, d1i), f64x2.mul(n1, d2i));
      v128.store(p1, f64x2.sub(m1r, ui));
      v128.store(p1, f64x2.add(m1i, ur), 16);
      v128.store(p2, f64x2.sub(m2r, vi));
      v128.store(p2, f64x2.add(m2i, vr), 16);
      if (!pruned) {
        v128.store(p3, f64x2.add(m2r, vi));
        v128.store(p3, f64x2.sub(m2i, vr), 16);
        v128.store(p4, f64x2.add(m1r, ui));
        v128.store(p4, f64x2.sub(m1i, ur), 16);
      }
    }
  }
}

function pow2Dif(base: usize, m: i32, es: usize, cs: usize, w: i32, tw: usize, pruned: bool): void {
  let j = 0;
  let s = m;
  for (; s >= 4; s >>= 2) {
    difPass4(base, s, m, es, cs, w, tw + <usize>load<i32>(tw + 20 + ((<usize>j) << 2)), pruned && j == 0);
    j++;
  }
  if (s == 2) pass2(base, m, es, cs, w);
}

function pow2Dit(base: usize, m: i32, es: usize, cs: usize, w: i32, tw: usize, pruned: bool): void {
  const ns = load<i32>(tw, 16);
  if ((load<i32>(tw, 12) & 1) != 0) pass2(base, m, es, cs, w);
  for (let j = ns - 1; j >= 0; j--) {
    const s = m >> (2 * j);
    ditPass4(base, s, m, es, cs, w, tw + <usize>load<i32>(tw + 20 + ((<usize>j) << 2)), pruned && j == 0);
  }
}

/** Forward transform (digit-reversed output) of w vectors; `pruned`: the zero-padded tail is zero. */
function forward(base: usize, es: usize, cs: usize, w: i32, tw: usize, pruned: bool): void {
  const R = load<i32>(tw, 4);
  const m = load<i32>(tw, 8);
  if (R == 1) {
    pow2Dif(base, m, es, cs, w, tw, pruned);
    return;
  }
  difRadix(base, R, m, es, cs, w, tw + PLAN_HDR, pruned);
  for (let r = 0; r < R; r++) pow2Dif(base + (<usize>(r * m)) * es, m, es, cs, w, tw, false);
}

/** Inverse transform (unscaled) of digit-reversed input; `pruned`: only the head is needed. */
function inverse(base: usize, es: usize, cs: usize, w: i32, tw: usize, pruned: bool): void {
  const R = load<i32>(tw, 4);
  const m = load<i32>(tw, 8);
  if (R == 1) {
    pow2Dit(base, m, es, cs, w, tw, pruned);
    return;
  }
  for (let r = 0; r < R; r++) pow2Dit(base + (<usize>(r * m)) * es, m, es, cs, w, tw, false);
  ditRadix(base, R, m, es, cs, w, tw + PLAN_HDR, pruned);
}

/**
 * Bytes from one grid row to the next: N cells plus two (one cache line), so that the column passes
 * (stride = one row) do not map every row of a block onto the same few cache sets (N·32 bytes is a
 * multiple of 4 KiB for most N: the columns ran 2–3x slower than the rows without the padding).
 */
@inline function gridRowBytes(N: i32): usize {
  return (<usize>(N + 2)) << 5;
}

/** Bytes of the grid of size N (N rows of gridRowBytes). */
export function fft_grid_bytes(N: i32): i32 {
  return <i32>((<usize>N) * gridRowBytes(N));
}

/** Rows or columns from index z on are zero on input of a pruned forward transform (and not needed on output of a pruned inverse). */
export function fft_zero_from(N: i32): i32 {
  if (N % 3 == 0) return (2 * N) / 3;
  if (N % 5 == 0) return (3 * N) / 5;
  return N >> 1;
}

/**
 * Forward row transforms. `full` = 0: rows [0, G) hold charges in columns [0, G); rows and columns
 * [G, z) are zeroed here (z = fft_zero_from(N)) and the transforms are pruned. `full` = 1: all N rows,
 * unpruned. Units: blocks of ROWS_PER_UNIT rows.
 */
export function fft_rows_fwd(grid: usize, tw: usize, G: i32, full: i32, counter: usize): void {
  const N = load<i32>(tw);
  const z = full != 0 ? N : fft_zero_from(N);
  const rowBytes = gridRowBytes(N);
  const rows = full != 0 ? N : z;
  for (;;) {
    const r0 = fftTake(counter, ROWS_PER_UNIT);
    if (r0 >= rows) break;
    const r1 = min(r0 + ROWS_PER_UNIT, rows);
    const t1 = full != 0 ? r1 : min(r1, G);
    for (let r = r0; r < r1; r++) {
      const row = grid + (<usize>r) * rowBytes;
      if (full == 0) {
        if (r < G) memory.fill(row + ((<usize>G) << 5), 0, (<usize>(z - G)) << 5);
        else memory.fill(row, 0, rowBytes);
      }
    }
    if (t1 > r0) forward(grid + (<usize>r0) * rowBytes, 32, rowBytes, t1 - r0, tw, full == 0);
  }
}

/**
 * Column phase. `mode` 0: forward transforms only, all rows (the kernel's transform). `mode` 1: pruned
 * forward transform, product with the real kernel transform khat (N × N f64, column-major, same digit-reversed
 * order, scaled by 1/N²), pruned inverse transform. Units: blocks of COLS_PER_UNIT columns, copied into the
 * thread's buffer `buf` (COLS_PER_UNIT·N cells) as contiguous vectors: the passes then run like the row
 * passes (sequential, prefetched) instead of striding one grid row per element (~1.5x slower).
 */
export function fft_cols(grid: usize, tw: usize, khat: usize, mode: i32, buf: usize, counter: usize): void {
  const N = load<i32>(tw);
  const rowBytes = gridRowBytes(N);
  const vecBytes = gridRowBytes(N);
  const z = mode != 0 ? fft_zero_from(N) : N;
  for (;;) {
    const c0 = fftTake(counter, COLS_PER_UNIT);
    if (c0 >= N) break;
    const w = min(COLS_PER_UNIT, N - c0);
    const base = grid + ((<usize>c0) << 5);
    // gather rows [0, z) of the block (the rest is zero on input of the pruned transform)
    for (let r = 0; r < z; r++) {
      const src = base + (<usize>r) * rowBytes;
      const dst = buf + ((<usize>r) << 5);
      for (let c = 0; c < w; c++) {
        const s = src + ((<usize>c) << 5);
        const d = dst + (<usize>c) * vecBytes;
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    }
    forward(buf, 32, vecBytes, w, tw, mode != 0);
    if (mode != 0) {
      for (let c = 0; c < w; c++) {
        const v = buf + (<usize>c) * vecBytes;
        const kk = khat + (((<usize>(c0 + c)) * (<usize>N)) << 3);
        for (let r = 0; r < N; r++) {
          const k = f64x2.splat(load<f64>(kk + ((<usize>r) << 3)));
          const p = v + ((<usize>r) << 5);
          v128.store(p, f64x2.mul(v128.load(p), k));
          v128.store(p, f64x2.mul(v128.load(p, 16), k), 16);
        }
      }
      inverse(buf, 32, vecBytes, w, tw, true);
    }
    // scatter back rows [0, z) (the pruned inverse leaves only those)
    for (let r = 0; r < z; r++) {
      const dst = base + (<usize>r) * rowBytes;
      const src = buf + ((<usize>r) << 5);
      for (let c = 0; c < w; c++) {
        const d = dst + ((<usize>c) << 5);
        const s = src + (<usize>c) * vecBytes;
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    }
  }
}

/** Bytes of the per-thread column buffer of fft_cols. */
export function fft_col_buf_bytes(N: i32): i32 {
  return <i32>gridRowBytes(N) * COLS_PER_UNIT;
}

/** Inverse row transforms of rows [0, G) (pruned: columns [0, G) are what is needed). */
export function fft_rows_inv(grid: usize, tw: usize, G: i32, counter: usize): void {
  const N = load<i32>(tw);
  const rowBytes = gridRowBytes(N);
  for (;;) {
    const r0 = fftTake(counter, ROWS_PER_UNIT);
    if (r0 >= G) break;
    const r1 = min(r0 + ROWS_PER_UNIT, G);
    inverse(grid + (<usize>r0) * rowBytes, 32, rowBytes, r1 - r0, tw, true);
  }
}

/**
 * The kernel K(Δ) = (1 + ‖Δ‖²)^−2 at grid offsets (a, b)·h, |a|, |b| < G, wrapped mod N, into lane 0 of
 * the real parts of the grid (everything else zero). Then fft_rows_fwd(full) and fft_cols(mode 0),
 * then fft_kernel_take.
 */
export function fft_kernel_fill(grid: usize, N: i32, G: i32, h: f64): void {
  const rowBytes = gridRowBytes(N);
  memory.fill(grid, 0, (<usize>N) * rowBytes);
  for (let a = -(G - 1); a <= G - 1; a++) {
    const ra = (a + N) % N;
    const da = <f64>a * h;
    for (let b = -(G - 1); b <= G - 1; b++) {
      const db = <f64>b * h;
      const w = 1 / (1 + da * da + db * db);
      store<f64>(grid + (<usize>ra) * rowBytes + ((<usize>((b + N) % N)) << 5), w * w);
    }
  }
}

/** khat[c, r] = Re(lane 0 of the transformed grid at row r, column c) / N² (column-major: fft_cols reads it by columns). */
export function fft_kernel_take(grid: usize, N: i32, khat: usize): void {
  const scale = 1 / (<f64>N * <f64>N);
  const rowBytes = gridRowBytes(N);
  for (let r = 0; r < N; r++) {
    const row = grid + (<usize>r) * rowBytes;
    for (let c = 0; c < N; c++) {
      store<f64>(khat + (((<usize>c) * (<usize>N) + (<usize>r)) << 3), load<f64>(row + ((<usize>c) << 5)) * scale);
    }
  }
}

/**
 * Spreads the charges 1, y1, y2, ‖y‖² of the n points (interleaved y, f64) onto the cells [0, G)² of
 * the grid (zeroed first) with p Lagrange weights per axis (nodes (k + ½)/p of each box of width boxW,
 * boxes from lo); stores each point's boxes (i32 × 2) and weights (f64 × 2p) for fft_gather. p ≤ 8.
 */
export function fft_spread(
  n: i32,
  y: usize,
  grid: usize,
  N: i32,
  G: i32,
  p: i32,
  lo: f64,
  boxW: f64,
  box: usize,
  wts: usize,
): void {
  const rowBytes = gridRowBytes(N);
  for (let r = 0; r < G; r++) memory.fill(grid + (<usize>r) * rowBytes, 0, (<usize>G) << 5);
  const nBoxes = G / p;
  for (let i = 0; i < n; i++) {
    const y0 = load<f64>(y + ((<usize>i) << 4));
    const y1 = load<f64>(y + ((<usize>i) << 4), 8);
    const wi = wts + (<usize>(2 * p * i)) * 8;
    for (let c = 0; c < 2; c++) {
      const rel = ((c == 0 ? y0 : y1) - lo) / boxW;
      let bx = <i32>Math.floor(rel);
      if (bx >= nBoxes) bx = nBoxes - 1;
      if (bx < 0) bx = 0;
      store<i32>(box + ((<usize>(2 * i + c)) << 2), bx);
      const x = rel - <f64>bx;
      const W = wi + (<usize>(c * p)) * 8;
      if (p == 3) {
        const u0 = x - 1.0 / 6.0;
        const u1 = x - 0.5;
        const u2 = x - 5.0 / 6.0;
        store<f64>(W, u1 * u2 * 4.5);
        store<f64>(W, u0 * u2 * -9, 8);
        store<f64>(W, u0 * u1 * 4.5, 16);
        continue;
      }
      for (let k = 0; k < p; k++) {
        let num: f64 = 1;
        for (let mm = 0; mm < p; mm++) if (mm != k) num *= x - (<f64>mm + 0.5) / <f64>p;
        let dd: f64 = 1;
        for (let mm = 0; mm < p; mm++) if (mm != k) dd *= (<f64>(k - mm)) / <f64>p;
        store<f64>(W + ((<usize>k) << 3), num / dd);
      }
    }
    // re lanes (c0, c2) = (1, y2), im lanes (c1, c3) = (y1, ‖y‖²), times the weight
    const A = f64x2.replace_lane(f64x2.splat(1.0), 1, y1);
    const B = f64x2.replace_lane(f64x2.splat(y0), 1, y0 * y0 + y1 * y1);
    const gx = load<i32>(box + ((<usize>(2 * i)) << 2)) * p;
    const gy = load<i32>(box + ((<usize>(2 * i + 1)) << 2)) * p;
    for (let kx = 0; kx < p; kx++) {
      const lx = load<f64>(wi + ((<usize>kx) << 3));
      const row = grid + (<usize>(gx + kx)) * rowBytes + ((<usize>gy) << 5);
      for (let ky = 0; ky < p; ky++) {
        const l = f64x2.splat(lx * load<f64>(wi + ((<usize>(p + ky)) << 3)));
        const cell = row + ((<usize>ky) << 5);
        v128.store(cell, f64x2.add(v128.load(cell), f64x2.mul(l, A)));
        v128.store(cell, f64x2.add(v128.load(cell, 16), f64x2.mul(l, B)), 16);
      }
    }
  }
}

/**
 * Gathers the potentials at the points (units of POINTS_PER_UNIT points): rep[i] = y_i φ1 − (φ2, φ3)
 * and zi[i] = (1 + ‖y_i‖²) φ1 − 2 y_i·(φ2, φ3) + φ4 − s_i, where s_i is the interpolated self term
 * Σ Vx(dx) Vy(dy) T(dx, dy) with T the kernel at offsets (dx, dy)·h, |dx|, |dy| < p (table `selfT` of
 * the offsets ≥ 0, p² f64, from fft_self_table).
 */
export function fft_gather(
  n: i32,
  y: usize,
  grid: usize,
  N: i32,
  p: i32,
  box: usize,
  wts: usize,
  selfT: usize,
  rep: usize,
  zi: usize,
  counter: usize,
): void {
  const rowBytes = gridRowBytes(N);
  const tw = 2 * p - 1;
  for (;;) {
    const i0 = fftTake(counter, POINTS_PER_UNIT);
    if (i0 >= n) break;
    const i1 = min(i0 + POINTS_PER_UNIT, n);
    for (let i = i0; i < i1; i++) {
      const wi = wts + (<usize>(2 * p * i)) * 8;
      const gx = load<i32>(box + ((<usize>(2 * i)) << 2)) * p;
      const gy = load<i32>(box + ((<usize>(2 * i + 1)) << 2)) * p;
      let accR = f64x2.splat(0);
      let accI = accR;
      for (let kx = 0; kx < p; kx++) {
        const lx = load<f64>(wi + ((<usize>kx) << 3));
        const row = grid + (<usize>(gx + kx)) * rowBytes + ((<usize>gy) << 5);
        for (let ky = 0; ky < p; ky++) {
          const l = f64x2.splat(lx * load<f64>(wi + ((<usize>(p + ky)) << 3)));
          const cell = row + ((<usize>ky) << 5);
          accR = f64x2.add(accR, f64x2.mul(l, v128.load(cell)));
          accI = f64x2.add(accI, f64x2.mul(l, v128.load(cell, 16)));
        }
      }
      const p1 = f64x2.extract_lane(accR, 0);
      const p3 = f64x2.extract_lane(accR, 1);
      const p2 = f64x2.extract_lane(accI, 0);
      const p4 = f64x2.extract_lane(accI, 1);
      // self term Σ_{dx,dy} Vx(dx) Vy(dy) T(dx, dy), Vx(d) = Σ_{a−c=d} lx_a lx_c: V and T are even in
      // each offset, so it runs over offsets ≥ 0 with the terms of ±d (d > 0) counted twice
      let self: f64 = 0;
      if (p == 3) {
        const a0 = load<f64>(wi);
        const a1 = load<f64>(wi, 8);
        const a2 = load<f64>(wi, 16);
        const b0 = load<f64>(wi, 24);
        const b1 = load<f64>(wi, 32);
        const b2 = load<f64>(wi, 40);
        const vx0 = a0 * a0 + a1 * a1 + a2 * a2;
        const vx1 = 2 * (a1 * a0 + a2 * a1);
        const vx2 = 2 * (a2 * a0);
        const vy0 = b0 * b0 + b1 * b1 + b2 * b2;
        const vy1 = 2 * (b1 * b0 + b2 * b1);
        const vy2 = 2 * (b2 * b0);
        self =
          vx0 * (vy0 * load<f64>(selfT) + vy1 * load<f64>(selfT, 8) + vy2 * load<f64>(selfT, 16)) +
          vx1 * (vy0 * load<f64>(selfT, 24) + vy1 * load<f64>(selfT, 32) + vy2 * load<f64>(selfT, 40)) +
          vx2 * (vy0 * load<f64>(selfT, 48) + vy1 * load<f64>(selfT, 56) + vy2 * load<f64>(selfT, 64));
      } else {
        for (let a = 0; a < p; a++) {
          let vx: f64 = 0;
          for (let u = a; u < p; u++) vx += load<f64>(wi + ((<usize>u) << 3)) * load<f64>(wi + ((<usize>(u - a)) << 3));
          if (a > 0) vx *= 2;
          let acc: f64 = 0;
          for (let b = 0; b < p; b++) {
            let vy: f64 = 0;
            for (let u = b; u < p; u++) {
              vy += load<f64>(wi + ((<usize>(p + u)) << 3)) * load<f64>(wi + ((<usize>(p + u - b)) << 3));
            }
            if (b > 0) vy *= 2;
            acc += vy * load<f64>(selfT + ((<usize>(a * p + b)) << 3));
          }
          self += vx * acc;
        }
      }
      const y0 = load<f64>(y + ((<usize>i) << 4));
      const y1 = load<f64>(y + ((<usize>i) << 4), 8);
      store<f64>(zi + ((<usize>i) << 3), (1 + y0 * y0 + y1 * y1) * p1 - 2 * (y0 * p2 + y1 * p3) + p4 - self);
      store<f64>(rep + ((<usize>i) << 4), y0 * p1 - p2);
      store<f64>(rep + ((<usize>i) << 4), y1 * p1 - p3, 8);
    }
  }
}

/** T[a, b] = (1 + (a² + b²) h²)^−2 for offsets 0 ≤ a, b < p (p² f64). */
export function fft_self_table(selfT: usize, p: i32, h: f64): void {
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      const da = <f64>a * h;
      const db = <f64>b * h;
      const w = 1 / (1 + da * da + db * db);
      store<f64>(selfT + ((<usize>(a * p + b)) << 3), w * w);
    }
  }
}

/** Σ zi[i] in index order (the returned Z estimate is independent of the thread split). */
export function fft_sum(n: i32, zi: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += load<f64>(zi + ((<usize>i) << 3));
  return s;
}
