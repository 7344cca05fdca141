/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the implicit QL
 * algorithm with Wilkinson-type shifts (Golub & Van Loan §8.3.5, Algorithm 8.3.3 in its QL form;
 * EISPACK tql1/tql2, Bowdler, Martin, Reinsch & Wilkinson 1968). Converges cubically for almost all
 * inputs; deflation uses |e_i| ≤ ε·max_j(|d_j| + |e_j|), i.e. absolute accuracy ε‖T‖.
 *
 * The rotations are accumulated into ZT, whose ROWS are the eigenvectors, so each rotation touches
 * two contiguous rows (the column-oriented EISPACK layout is strided and ~3× slower in JS).
 */
import { NumericalError } from '../core/errors.js';
import { hypot2 } from './util.js';

const EPS = 2 ** -52;

/**
 * In place: d (diagonal, n), e (off-diagonal, e[i] couples i and i+1; e[n−1] ignored) → d holds the
 * eigenvalues (unsorted), e is destroyed. If ZT (n×c row-major, c ≥ n... any c) is given, the
 * rotations are applied to its rows 0..n−1: pass the identity to get the eigenvectors as rows.
 */
export function tridiagQL(
  d: Float64Array,
  e: Float64Array,
  n: number,
  ZT: Float64Array | null,
  c: number,
): void {
  if (n === 0) return;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const maxIter = 30 * n + 30;
  let iterTotal = 0;
  for (let l = 0; l < n; l++) {
    const t = Math.abs(d[l]) + Math.abs(e[l]);
    if (t > tst1) tst1 = t;
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m]) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        if (++iterTotal > maxIter)
          throw new NumericalError('eigh: the tridiagonal QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot2(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let cc = 1;
        let c2 = cc;
        let c3 = cc;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = cc;
          s2 = s;
          g = cc * e[i];
          h = cc * p;
          r = hypot2(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          cc = p / r;
          p = cc * d[i] - s * g;
          d[i + 1] = h + s * (cc * g + s * d[i]);
          if (ZT !== null) rotateRows(ZT, i * c, (i + 1) * c, c, cc, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = cc * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** (x, y) ← (c·x − s·y, s·x + c·y) for the rows at offsets ox, oy. */
function rotateRows(Z: Float64Array, ox: number, oy: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const x = Z[ox + k];
    const y = Z[oy + k];
    Z[oy + k] = s * x + c * y;
    Z[ox + k] = c * x - s * y;
  }
}

/** Indices that sort `v` ascending (stable). */
export function argsortAscending(v: Float64Array): Int32Array {
  const idx = Array.from({ length: v.length }, (_, i) => i);
  idx.sort((a, b) => v[a] - v[b] || a - b);
  return Int32Array.from(idx);
}
