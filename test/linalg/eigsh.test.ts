import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { eigh, eigsh } from '../../src/linalg/index.js';
import { mul, orthError, randn, scaleCols, symWithEigs, maxAbsDiff, vecDiff } from './helpers.js';

function denseOp(A: Matrix): (x: Float64Array, y: Float64Array) => void {
  const n = A.rows;
  const a = A.contiguous().data;
  return (x, y) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      y[i] = s;
    }
  };
}

describe('eigsh (thick-restart Lanczos)', () => {
  it('finds the largest and smallest eigenpairs of a random symmetric matrix as eigh does', () => {
    const n = 200;
    const X = randn(n, n, 1);
    const A = mul(X, X.T);
    const full = eigh(A).values;
    for (const [which, slice] of [
      ['largest', full.slice(n - 4)],
      ['smallest', full.slice(0, 4)],
    ] as const) {
      const r = eigsh(denseOp(A), n, 4, { which, seed: 2 });
      expect(vecDiff(r.values, slice) / full[n - 1]!).toBeLessThan(1e-11);
      expect(orthError(r.vectors)).toBeLessThan(1e-10);
      expect(maxAbsDiff(mul(A, r.vectors), scaleCols(r.vectors, r.values)) / full[n - 1]!).toBeLessThan(1e-9);
      expect(r.nIter).toBeGreaterThan(1); // restarts were needed (ncv = 20 < n)
    }
  });

  it('converges for clustered and repeated eigenvalues and for k = n', () => {
    const lam = [1, 2, 3, 4, 5, 6, 7, 8, 9.999, 10, 10];
    const A = symWithEigs(lam, 5);
    const r = eigsh(denseOp(A), 11, 3, { which: 'largest', ncv: 6 });
    expect(vecDiff(r.values, [9.999, 10, 10])).toBeLessThan(1e-9);
    const all = eigsh(denseOp(A), 11, 11, { ncv: 11 });
    expect(vecDiff(all.values, lam)).toBeLessThan(1e-12);
  });

  it('handles an operator with an invariant start subspace (diagonal, start vector e0)', () => {
    const d = [5, 1, 4, 2, 3];
    const op = (x: Float64Array, y: Float64Array) => {
      for (let i = 0; i < 5; i++) y[i] = d[i]! * x[i]!;
    };
    const v0 = new Float64Array([1, 0, 0, 0, 0]);
    const r = eigsh(op, 5, 2, { which: 'largest', v0, ncv: 5 });
    expect(vecDiff(r.values, [4, 5])).toBeLessThan(1e-13);
  });

  it('is deterministic for a seed and validates its arguments', () => {
    const A = symWithEigs([1, 2, 3, 4, 5, 6, 7, 8], 3);
    const a = eigsh(denseOp(A), 8, 2, { seed: 4, ncv: 5 });
    const b = eigsh(denseOp(A), 8, 2, { seed: 4, ncv: 5 });
    expect(Array.from(a.vectors.data)).toEqual(Array.from(b.vectors.data));
    expect(() => eigsh(denseOp(A), 8, 9)).toThrow('k must be an integer in [1, n = 8]; got 9');
    expect(() => eigsh(denseOp(A), 8, 2, { ncv: 2 })).toThrow(
      'ncv must be an integer in (k = 2, n = 8]; got 2',
    );
    expect(() => eigsh(denseOp(A), 8, 2, { which: 'middle' as never })).toThrow(
      "which must be 'largest' or 'smallest'",
    );
    const B = mul(randn(100, 100, 3), randn(100, 100, 4).T);
    const Bs = new Matrix(
      B.data.map((v, t) => v + B.data[(t % 100) * 100 + Math.floor(t / 100)]!),
      100,
      100,
    );
    expect(() => eigsh(denseOp(Bs), 100, 4, { ncv: 6, maxIter: 1 })).toThrow(
      'eigsh did not converge: 0 of 4 eigenpairs reached tol=1e-10 after 1 restarts',
    );
    const nanOp = (_x: Float64Array, y: Float64Array) => y.fill(NaN);
    expect(() => eigsh(nanOp, 8, 1)).toThrow('eigsh: op returned a non-finite value at index 0');
  });
});
