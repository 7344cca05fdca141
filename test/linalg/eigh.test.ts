import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { eigh } from '../../src/linalg/index.js';
import {
  FIX,
  M,
  maxAbs,
  maxAbsDiff,
  mul,
  orthError,
  randn,
  scaleCols,
  symWithEigs,
  vecDiff,
} from './helpers.js';

function randSym(n: number, seed: number): Matrix<Float64Array> {
  const X = randn(n, n, seed);
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = X.get(i, j) + X.get(j, i);
  return new Matrix(S, n, n);
}

function checkDecomposition(A: Matrix, values: Float64Array, V: Matrix, tol: number): void {
  const scale = Math.max(1, maxAbs(A));
  // A·V = V·Λ and VᵀV = I
  expect(maxAbsDiff(mul(A, V), scaleCols(V, values)) / scale).toBeLessThan(tol);
  expect(orthError(V)).toBeLessThan(tol);
  for (let j = 1; j < values.length; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]!);
}

describe('eigh', () => {
  it('matches numpy.linalg.eigh on a fixed symmetric matrix (values and vectors up to sign)', () => {
    const f = FIX.eigh_random!;
    const { values, vectors } = eigh(M(f.A));
    expect(vecDiff(values, f.values)).toBeLessThan(1e-13);
    const Vnp = M(f.vectors);
    for (let j = 0; j < 6; j++) {
      let dot = 0;
      for (let i = 0; i < 6; i++) dot += vectors.get(i, j) * Vnp.get(i, j);
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-12);
    }
    checkDecomposition(M(f.A), values, vectors, 1e-13);
  });

  it('reproduces A = VΛVᵀ for repeated and graded (1e-12..1) spectra as numpy does', () => {
    for (const key of ['eigh_repeated', 'eigh_graded']) {
      const f = FIX[key]!;
      const A = M(f.A);
      const { values, vectors } = eigh(A);
      expect(vecDiff(values, f.values)).toBeLessThan(1e-14 * Math.max(1, maxAbs(A)) * 10);
      checkDecomposition(A, values, vectors, 1e-13);
      const R = mul(scaleCols(vectors, values), vectors.T);
      expect(maxAbsDiff(R, A)).toBeLessThan(1e-13);
    }
  });

  it('holds A·V = V·Λ, VᵀV = I on random matrices of several sizes and seeds', () => {
    for (const [n, seed] of [
      [2, 1],
      [3, 2],
      [17, 3],
      [64, 4],
      [150, 5],
      [230, 6],
    ] as const) {
      const A = randSym(n, seed);
      const { values, vectors } = eigh(A);
      checkDecomposition(A, values, vectors, 1e-12);
    }
  });

  it('finds a highly repeated eigenvalue (identity plus rank one) with an orthonormal basis', () => {
    const n = 40;
    const lam = Array.from({ length: n }, (_, i) => (i === n - 1 ? 5 : 1));
    const A = symWithEigs(lam, 9);
    const { values, vectors } = eigh(A);
    for (let i = 0; i < n - 1; i++) expect(values[i]).toBeCloseTo(1, 12);
    expect(values[n - 1]).toBeCloseTo(5, 12);
    checkDecomposition(A, values, vectors, 1e-12);
  });

  it('handles the rank-deficient covariance of image-like data (many zero eigenvalues) at blocked sizes', () => {
    // 200 features, 60 samples (30 features always zero): rank 60, a cluster of 140 zero eigenvalues.
    const n = 200;
    const X = randn(60, n, 31);
    for (let i = 0; i < 60; i++) for (let j = 0; j < 30; j++) X.set(i, j * 6, 0);
    const C = mul(X.T, X);
    const { values, vectors } = eigh(C);
    checkDecomposition(C, values, vectors, 1e-12);
    let zeros = 0;
    for (let i = 0; i < n; i++) if (Math.abs(values[i]!) < 1e-10 * values[n - 1]!) zeros++;
    expect(zeros).toBe(n - 60);
  });

  it('returns the k largest / smallest pairs, equal to the matching slice of the full result', () => {
    const A = randSym(30, 11);
    const full = eigh(A);
    const top = eigh(A, { largest: 4 });
    const bot = eigh(A, { smallest: 3 });
    expect(vecDiff(top.values, full.values.slice(26))).toBeLessThan(1e-12);
    expect(vecDiff(bot.values, full.values.slice(0, 3))).toBeLessThan(1e-12);
    expect(top.vectors.rows).toBe(30);
    expect(top.vectors.cols).toBe(4);
    expect(
      maxAbsDiff(top.vectors, new Matrix(full.vectors.clone().data, 30, 30).T.rowSlice(26, 30).T),
    ).toBeLessThan(1e-9);
    checkDecomposition(A, top.values, top.vectors, 1e-12);
    expect(eigh(A, { largest: 0 }).vectors.cols).toBe(0);
  });

  it('makes the largest-|entry| of each eigenvector positive and is deterministic', () => {
    const A = randSym(12, 4);
    const a = eigh(A);
    const b = eigh(A);
    expect(Array.from(a.vectors.data)).toEqual(Array.from(b.vectors.data));
    for (let j = 0; j < 12; j++) {
      let best = 0;
      for (let i = 0; i < 12; i++)
        if (Math.abs(a.vectors.get(i, j)) > Math.abs(best)) best = a.vectors.get(i, j);
      expect(best).toBeGreaterThan(0);
    }
  });

  it('handles 1x1, 0x0, zero, diagonal and extreme-scale matrices without overflow', () => {
    const one = eigh(M([[-3]]));
    expect(Array.from(one.values)).toEqual([-3]);
    expect(one.vectors.get(0, 0)).toBe(1);
    const empty = eigh(new Matrix(new Float64Array(0), 0, 0));
    expect(empty.values.length).toBe(0);
    const zero = eigh(Matrix.zeros(3, 3));
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(orthError(zero.vectors)).toBe(0);
    const diag = eigh(
      M([
        [3, 0, 0],
        [0, 1, 0],
        [0, 0, 2],
      ]),
    );
    expect(Array.from(diag.values)).toEqual([1, 2, 3]);
    for (const s of [1e300, 1e-300]) {
      const A = randSym(6, 7);
      const ref = eigh(A).values;
      const big = eigh(
        new Matrix(
          A.data.map((v) => v * s),
          6,
          6,
        ),
      ).values;
      for (let i = 0; i < 6; i++) expect(big[i]! / s).toBeCloseTo(ref[i]!, 10);
    }
  });

  it('does not mutate its input and accepts nested arrays and float32', () => {
    const A = randSym(5, 1);
    const copy = A.clone();
    eigh(A);
    expect(Array.from(A.data)).toEqual(Array.from(copy.data));
    const f32 = A.toDType('float32');
    expect(vecDiff(eigh(f32).values, eigh(A.toArray()).values)).toBeLessThan(1e-5);
  });

  it('rejects bad input with errors naming the argument', () => {
    expect(() => eigh(Matrix.zeros(3, 4))).toThrow('A must be square; got 3x4');
    expect(() =>
      eigh(
        M([
          [1, NaN],
          [NaN, 1],
        ]),
      ),
    ).toThrow('A has NaN at row 0, column 1');
    expect(() =>
      eigh(
        M([
          [1, 2],
          [3, 1],
        ]),
      ),
    ).toThrow('A must be symmetric');
    expect(() => eigh(M([[1]]), { largest: 2 })).toThrow('largest must be an integer in [0, 1]; got 2');
    expect(() => eigh(M([[1]]), { largest: 1, smallest: 1 })).toThrow('at most one of largest and smallest');
  });
});
