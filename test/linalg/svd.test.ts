import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { randomizedSvd, svd } from '../../src/linalg/index.js';
import {
  FIX,
  M,
  gramSchmidt,
  maxAbs,
  maxAbsDiff,
  mul,
  orthError,
  randn,
  scaleCols,
  vecDiff,
} from './helpers.js';

function reconstruct(U: Matrix, s: Float64Array, Vt: Matrix): Matrix {
  return mul(scaleCols(U, s), Vt);
}

function checkSvd(A: Matrix, tol: number): void {
  const { U, s, Vt } = svd(A);
  const r = Math.min(A.rows, A.cols);
  expect([U.rows, U.cols, s.length, Vt.rows, Vt.cols]).toEqual([A.rows, r, r, r, A.cols]);
  const scale = Math.max(1e-300, maxAbs(A));
  expect(maxAbsDiff(reconstruct(U, s, Vt), A) / scale).toBeLessThan(tol);
  expect(orthError(U)).toBeLessThan(tol);
  expect(orthError(Vt.T)).toBeLessThan(tol);
  for (let j = 1; j < r; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]!);
  for (let j = 0; j < r; j++) expect(s[j]).toBeGreaterThanOrEqual(0);
}

/** A = U·diag(sig)·Vᵀ with random orthonormal U (m×r), V (n×r). */
function withSingularValues(m: number, n: number, sig: number[], seed: number): Matrix {
  const U = gramSchmidt(randn(m, sig.length, seed));
  const V = gramSchmidt(randn(n, sig.length, seed + 1000));
  return mul(scaleCols(U, sig), V.T);
}

describe('svd', () => {
  it('matches numpy.linalg.svd on a fixed tall matrix (values, and vectors with svd_flip signs)', () => {
    const f = FIX.svd_tall!;
    const { U, s, Vt } = svd(M(f.A));
    expect(vecDiff(s, f.s)).toBeLessThan(1e-13);
    // numpy's signs are LAPACK's; compare up to the sign of each column.
    const Unp = M(f.U);
    const Vnp = M(f.Vt);
    for (let j = 0; j < 4; j++) {
      const sg = Math.sign(U.get(0, j) * Unp.get(0, j));
      for (let i = 0; i < 7; i++) expect(U.get(i, j)).toBeCloseTo(sg * Unp.get(i, j), 12);
      for (let i = 0; i < 4; i++) expect(Vt.get(j, i)).toBeCloseTo(sg * Vnp.get(j, i), 12);
    }
    checkSvd(M(f.A), 1e-13);
  });

  it('matches numpy on wide, rank-deficient and ill-conditioned (cond 1e12) matrices', () => {
    for (const key of ['svd_wide', 'svd_rank3', 'svd_illcond']) {
      const f = FIX[key]!;
      const A = M(f.A);
      const { s } = svd(A);
      // Absolute accuracy relative to σ₁, as LAPACK's.
      expect(vecDiff(s, f.s) / f.s[0]).toBeLessThan(1e-14);
      checkSvd(A, 1e-13);
    }
    // The smallest singular values of the cond-1e12 matrix are resolved (eig of AᵀA would give ~1e-8 noise).
    const f = FIX.svd_illcond!;
    const s = svd(M(f.A)).s;
    for (let i = 0; i < 6; i++) expect(Math.abs(s[i]! - f.s_true[i]) / f.s_true[0]).toBeLessThan(1e-14);
    expect(s[5]! / f.s_true[5]).toBeGreaterThan(0.9);
    expect(s[5]! / f.s_true[5]).toBeLessThan(1.1);
  });

  it('recovers prescribed singular values spanning 1 .. 1e-14 and exact zeros (rank deficiency)', () => {
    const sig = [1, 1e-2, 1e-5, 1e-8, 1e-11, 1e-14];
    const A = withSingularValues(30, 12, sig, 3);
    const { s } = svd(A);
    for (let i = 0; i < 6; i++) expect(Math.abs(s[i]! - sig[i]!)).toBeLessThan(1e-14);
    for (let i = 6; i < 12; i++) expect(s[i]).toBeLessThan(1e-14);
    checkSvd(A, 1e-13);
  });

  it('stays accurate when U comes from A·V (n ≥ 64) and with blocked bidiagonalisation (n ≥ 128): graded spectrum 1..1e-13, exact zeros', () => {
    for (const [m, n] of [
      [150, 100],
      [100, 100],
      [100, 160],
      [180, 150],
    ] as const) {
      const r = Math.min(m, n);
      const sig = Array.from({ length: r - 10 }, (_, i) => Math.pow(10, (-13 * i) / (r - 11)));
      const A = withSingularValues(m, n, sig, 40 + m);
      const { U, s, Vt } = svd(A);
      for (let i = 0; i < r - 10; i++) expect(Math.abs(s[i]! - sig[i]!)).toBeLessThan(1e-14);
      for (let i = r - 10; i < r; i++) expect(s[i]).toBeLessThan(1e-14);
      expect(orthError(U)).toBeLessThan(1e-13);
      expect(orthError(Vt.T)).toBeLessThan(1e-13);
      expect(maxAbsDiff(reconstruct(U, s, Vt), A)).toBeLessThan(1e-14);
    }
  });

  it('is as accurate on the divide-and-conquer (Golub–Kahan tridiagonal) path for well-conditioned n ≥ 64', () => {
    // σ in [0.01, 1] (the fast path's condition), with a block of equal values (a deflation case).
    const sig = Array.from({ length: 80 }, (_, i) => (i >= 20 && i < 35 ? 0.5 : Math.pow(10, (-2 * i) / 79)));
    sig.sort((a, b) => b - a);
    for (const [m, n] of [
      [120, 80],
      [80, 80],
    ] as const) {
      const A = withSingularValues(m, n, sig, 70 + m);
      const { U, s, Vt } = svd(A);
      for (let i = 0; i < 80; i++) expect(Math.abs(s[i]! - sig[i]!)).toBeLessThan(1e-14);
      expect(orthError(U)).toBeLessThan(1e-13);
      expect(orthError(Vt.T)).toBeLessThan(1e-13);
      expect(maxAbsDiff(reconstruct(U, s, Vt), A)).toBeLessThan(1e-14);
    }
  });

  it('holds U·S·Vᵀ = A with orthonormal factors on random shapes and seeds', () => {
    for (const [m, n, seed] of [
      [1, 1, 1],
      [1, 5, 2],
      [5, 1, 3],
      [8, 8, 4],
      [50, 20, 5],
      [20, 50, 6],
      [90, 70, 7],
      [160, 140, 8],
    ] as const) {
      checkSvd(randn(m, n, seed), 1e-12);
    }
  });

  it('handles repeated singular values, zero and extreme-scale matrices', () => {
    checkSvd(withSingularValues(10, 6, [2, 2, 2, 1, 1, 1], 8), 1e-13);
    const z = svd(Matrix.zeros(4, 3));
    expect(Array.from(z.s)).toEqual([0, 0, 0]);
    expect(orthError(z.U)).toBe(0);
    for (const sc of [1e300, 1e-300]) {
      const A = randn(6, 4, 2);
      const ref = svd(A).s;
      const s = svd(
        new Matrix(
          A.data.map((v) => v * sc),
          6,
          4,
        ),
      ).s;
      for (let i = 0; i < 4; i++) expect(s[i]! / sc).toBeCloseTo(ref[i]!, 10);
    }
    const e = svd(new Matrix(new Float64Array(0), 0, 3));
    expect([e.U.rows, e.U.cols, e.s.length, e.Vt.rows, e.Vt.cols]).toEqual([0, 0, 0, 0, 3]);
  });

  it('uses the svd_flip sign convention (largest-|entry| of each U column positive), deterministically', () => {
    const A = randn(9, 5, 12);
    const { U } = svd(A);
    for (let j = 0; j < 5; j++) {
      let best = 0;
      for (let i = 0; i < 9; i++) if (Math.abs(U.get(i, j)) > Math.abs(best)) best = U.get(i, j);
      expect(best).toBeGreaterThan(0);
    }
    expect(Array.from(svd(A).Vt.data)).toEqual(Array.from(svd(A).Vt.data));
  });

  it('does not mutate its input and rejects non-finite values', () => {
    const A = randn(4, 3, 1);
    const c = A.clone();
    svd(A);
    expect(Array.from(A.data)).toEqual(Array.from(c.data));
    expect(() => svd(M([[1, Infinity]]))).toThrow('A has Infinity at row 0, column 1');
  });
});

describe('randomizedSvd', () => {
  it('is exact (to rounding) on a matrix of rank k, tall and wide', () => {
    for (const [m, n] of [
      [120, 40],
      [40, 120],
    ] as const) {
      const sig = [10, 5, 3, 1, 0.5];
      const A = withSingularValues(m, n, sig, 4);
      const { U, s, Vt } = randomizedSvd(A, 5, { seed: 3 });
      expect(vecDiff(s, sig)).toBeLessThan(1e-12);
      expect(maxAbsDiff(reconstruct(U, s, Vt), A)).toBeLessThan(1e-12);
      expect(orthError(U)).toBeLessThan(1e-13);
      // Same convention as svd: the leading vectors agree with the full SVD.
      const full = svd(A);
      for (let j = 0; j < 5; j++)
        for (let i = 0; i < m; i++) expect(U.get(i, j)).toBeCloseTo(full.U.get(i, j), 9);
    }
  });

  it('approximates the leading singular values of a decaying spectrum with power iterations', () => {
    const sig = Array.from({ length: 30 }, (_, i) => Math.pow(0.8, i));
    const A = withSingularValues(200, 60, sig, 5);
    const { s } = randomizedSvd(A, 8, { seed: 1 });
    for (let i = 0; i < 8; i++) expect(Math.abs(s[i]! - sig[i]!) / sig[0]!).toBeLessThan(1e-6);
    const crude = randomizedSvd(A, 8, { seed: 1, nIter: 0, nOversamples: 0 }).s;
    expect(Math.abs(crude[7]! - sig[7]!)).toBeGreaterThan(Math.abs(s[7]! - sig[7]!));
  });

  it('is deterministic for a seed and validates k and options', () => {
    const A = randn(30, 20, 2);
    const a = randomizedSvd(A, 3, { seed: 7 });
    const b = randomizedSvd(A, 3, { seed: 7 });
    expect(Array.from(a.U.data)).toEqual(Array.from(b.U.data));
    expect(() => randomizedSvd(A, 21)).toThrow('k must be an integer in [1, min(m, n) = 20]; got 21');
    expect(() => randomizedSvd(A, 2, { nIter: -1 })).toThrow('nIter must be an integer >= 0');
  });
});
