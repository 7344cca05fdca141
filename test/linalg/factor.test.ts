import { describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/core/errors.js';
import { Matrix } from '../../src/core/matrix.js';
import {
  cholesky,
  choleskyLogDet,
  inv,
  invSpd,
  logDet,
  qr,
  solve,
  solveTriangular,
} from '../../src/linalg/index.js';
import { FIX, M, maxAbsDiff, mul, orthError, randn } from './helpers.js';

function spd(n: number, seed: number): Matrix<Float64Array> {
  const X = randn(n, n, seed);
  const S = mul(X, X.T);
  for (let i = 0; i < n; i++) S.set(i, i, S.get(i, i) + n);
  return S;
}

describe('empty (0×0) inputs', () => {
  it('give empty results, and det = 1 as numpy.linalg.slogdet does', () => {
    const E = new Matrix(new Float64Array(0), 0, 0);
    expect(cholesky(E).rows).toBe(0);
    expect(solve(E, new Float64Array(0)).length).toBe(0);
    expect(inv(E).rows).toBe(0);
    expect(logDet(E)).toEqual({ sign: 1, logAbsDet: 0 });
    const { Q, R } = qr(new Matrix(new Float64Array(0), 0, 3));
    expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([0, 0, 0, 3]);
  });
});

describe('cholesky', () => {
  it('matches numpy.linalg.cholesky and its log-determinant', () => {
    const f = FIX.cholesky!;
    const L = cholesky(M(f.A));
    expect(maxAbsDiff(L, f.L)).toBeLessThan(1e-14);
    expect(choleskyLogDet(L)).toBeCloseTo(f.logdet, 12);
  });

  it('gives L·Lᵀ = A, lower triangular, for small and blocked sizes', () => {
    for (const [n, seed] of [
      [1, 1],
      [7, 2],
      [250, 3],
    ] as const) {
      const A = spd(n, seed);
      const L = cholesky(A);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L.get(i, j)).toBe(0);
      expect(maxAbsDiff(mul(L, L.T), A) / n).toBeLessThan(1e-13);
    }
  });

  it('throws NumericalError on matrices that are not positive definite', () => {
    expect(() =>
      cholesky(
        M([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(NumericalError);
    expect(() =>
      cholesky(
        M([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow('matrix is not positive definite');
    expect(() => cholesky(M([[0]]))).toThrow('matrix is not positive definite');
    expect(() => cholesky(Matrix.zeros(2, 3))).toThrow('A must be square; got 2x3');
  });

  it('invSpd inverts an SPD matrix', () => {
    const A = spd(20, 5);
    const Ai = invSpd(A);
    const I = mul(A, Ai);
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 20; j++) expect(I.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 12);
  });
});

describe('qr', () => {
  it('matches numpy.linalg.qr (same LAPACK sign convention) for tall and wide inputs', () => {
    for (const key of ['qr_tall', 'qr_wide']) {
      const f = FIX[key]!;
      const { Q, R } = qr(M(f.A));
      expect(maxAbsDiff(Q, f.Q)).toBeLessThan(1e-13);
      expect(maxAbsDiff(R, f.R)).toBeLessThan(1e-13);
    }
  });

  it('gives Q·R = A, QᵀQ = I, R upper triangular on random and rank-deficient inputs', () => {
    // 200×130 and 110×250 take the blocked (compact WY) paths, with partial last blocks.
    const cases = [
      randn(40, 15, 1),
      randn(15, 40, 2),
      mul(randn(30, 3, 3), randn(3, 10, 4)),
      Matrix.zeros(4, 3),
      randn(200, 130, 5),
      randn(110, 250, 6),
    ];
    for (const A of cases) {
      const { Q, R } = qr(A);
      expect(maxAbsDiff(mul(Q, R), A)).toBeLessThan(1e-13);
      expect(orthError(Q)).toBeLessThan(1e-13);
      for (let i = 0; i < R.rows; i++)
        for (let j = 0; j < Math.min(i, R.cols); j++) expect(R.get(i, j)).toBe(0);
    }
  });
});

describe('triangular solves', () => {
  it('match scipy.linalg.solve_triangular for lower, transposed, upper and unit-diagonal', () => {
    const f = FIX.triangular!;
    const L = M(f.L);
    const B = M(f.B);
    expect(maxAbsDiff(solveTriangular(L, B), f.lower)).toBeLessThan(1e-13);
    expect(maxAbsDiff(solveTriangular(L, B, { trans: true }), f.lowerTrans)).toBeLessThan(1e-13);
    expect(maxAbsDiff(solveTriangular(L.T, B, { lower: false }), f.upper)).toBeLessThan(1e-13);
    expect(maxAbsDiff(solveTriangular(L, B, { unitDiagonal: true }), f.unitLower)).toBeLessThan(1e-12);
    const x = solveTriangular(L, B.col(0));
    expect(x).toBeInstanceOf(Float64Array);
    for (let i = 0; i < 5; i++) expect(x[i]).toBeCloseTo(f.lower[i][0], 13);
  });

  it('solves large systems (blocked recursion through gemm) in all four orientations, unit or not', () => {
    const n = 150;
    const k = 7;
    const R = randn(n, n, 21);
    const lowerData = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) lowerData[i * n + j] = R.get(i, j) / Math.sqrt(n);
      lowerData[i * n + i] = 2 + Math.abs(R.get(i, i));
    }
    const L = new Matrix(lowerData, n, n);
    const U = L.T.clone();
    const B = randn(n, k, 22);
    for (const unit of [false, true]) {
      const eff = (M: Matrix, lower: boolean): Matrix => {
        const E = Matrix.zeros(n, n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const inside = lower ? j <= i : j >= i;
            if (inside) E.set(i, j, i === j && unit ? 1 : M.get(i, j));
          }
        }
        return E;
      };
      const cases: [Matrix, { lower: boolean; trans: boolean }, Matrix][] = [
        [L, { lower: true, trans: false }, eff(L, true)],
        [L, { lower: true, trans: true }, eff(L, true).T],
        [U, { lower: false, trans: false }, eff(U, false)],
        [U, { lower: false, trans: true }, eff(U, false).T],
      ];
      for (const [M, o, op] of cases) {
        const X = solveTriangular(M, B, { ...o, unitDiagonal: unit });
        expect(maxAbsDiff(mul(op, X), B)).toBeLessThan(1e-12);
      }
    }
  });

  it('rejects singular and mismatched systems', () => {
    expect(() =>
      solveTriangular(
        M([
          [1, 0],
          [1, 0],
        ]),
        new Float64Array([1, 1]),
      ),
    ).toThrow('L is singular: diagonal entry 1 is zero');
    expect(() => solveTriangular(M([[1]]), M([[1], [2]]))).toThrow('B has 2 rows, but L is 1x1');
    expect(() =>
      solveTriangular(
        M([
          [1, 0],
          [NaN, 1],
        ]),
        new Float64Array([1, 1]),
      ),
    ).toThrow('L has NaN at row 1, column 0');
  });

  it('leaves L and B untouched (L is read in place, B copied), also on the blocked path', () => {
    for (const n of [5, 130]) {
      const L = randn(n, n, 3);
      for (let i = 0; i < n; i++) L.set(i, i, 3 + Math.abs(L.get(i, i)));
      const B = randn(n, 2, 4);
      const l0 = Array.from(L.data);
      const b0 = Array.from(B.data);
      solveTriangular(L, B, { trans: true });
      expect(Array.from(L.data)).toEqual(l0);
      expect(Array.from(B.data)).toEqual(b0);
    }
  });
});

describe('solve, logDet, inv (LU with partial pivoting)', () => {
  it('match numpy.linalg.solve / slogdet / inv', () => {
    const f = FIX.solve!;
    const A = M(f.A);
    expect(maxAbsDiff(solve(A, M(f.B)), f.X)).toBeLessThan(1e-12);
    const ld = logDet(A);
    expect(ld.sign).toBe(f.sign);
    expect(ld.logAbsDet).toBeCloseTo(f.logAbsDet, 12);
    expect(maxAbsDiff(inv(A), f.inv)).toBeLessThan(1e-12);
    const g = FIX.slogdet2!;
    expect(logDet(M(g.A)).sign).toBe(g.sign);
    expect(logDet(M(g.A)).logAbsDet).toBeCloseTo(g.logAbsDet, 12);
  });

  it('needs pivoting: solves [[0, 1], [1, 0]] and large random systems to a small residual', () => {
    const x = solve(
      M([
        [0, 1],
        [1, 0],
      ]),
      new Float64Array([2, 3]),
    );
    expect(Array.from(x)).toEqual([3, 2]);
    const A = randn(120, 120, 9);
    const B = randn(120, 4, 10);
    const X = solve(A, B);
    expect(maxAbsDiff(mul(A, X), B)).toBeLessThan(1e-11);
    // Recursive (blocked) LU: log|det A| = ½·log det(AᵀA), the latter from a Cholesky factor.
    expect(logDet(A).logAbsDet).toBeCloseTo(choleskyLogDet(cholesky(mul(A.T, A))) / 2, 9);
    const Ai = inv(A);
    expect(
      maxAbsDiff(
        mul(A, Ai),
        Matrix.fromRows(
          Array.from({ length: 120 }, (_, i) => Array.from({ length: 120 }, (_, j) => (i === j ? 1 : 0))),
        ),
      ),
    ).toBeLessThan(1e-11);
    // A zero column makes a pivot exactly zero, also inside the recursion.
    const Z = A.clone();
    for (let i = 0; i < 120; i++) Z.set(i, 100, 0);
    expect(() => solve(Z, B)).toThrow('A is singular: pivot 100 of its LU factorisation is exactly zero');
    expect(logDet(Z)).toEqual({ sign: 0, logAbsDet: -Infinity });
  });

  it('reports singular matrices: NumericalError in solve/inv, sign 0 in logDet', () => {
    const S = M([
      [1, 2],
      [2, 4],
    ]);
    expect(() => solve(S, new Float64Array([1, 1]))).toThrow(NumericalError);
    expect(() => solve(S, new Float64Array([1, 1]))).toThrow('A is singular');
    expect(() => inv(S)).toThrow('A is singular');
    expect(logDet(S)).toEqual({ sign: 0, logAbsDet: -Infinity });
    expect(() =>
      solve(
        M([
          [1, 2],
          [3, 4],
        ]),
        new Float64Array([1]),
      ),
    ).toThrow('B has length 1, but A is 2x2');
    expect(() =>
      solve(
        M([
          [1, 2],
          [3, 4],
        ]),
        M([[1], [NaN]]),
      ),
    ).toThrow('B has NaN at row 1, column 0');
  });
});
