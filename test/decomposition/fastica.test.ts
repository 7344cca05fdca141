import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { FastICA } from '../../src/decomposition/index.js';
import { expectClose, fixture } from './helpers.js';

const F = fixture('ica.json');

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('FastICA', () => {
  it('recovers known sources from their mixtures: |corr| >= 0.99 up to order and sign', () => {
    const S = Matrix.fromRows(F.S);
    for (const algorithm of ['parallel', 'deflation'] as const) {
      for (const fun of ['logcosh', 'exp', 'cube'] as const) {
        const ica = new FastICA({ nComponents: 3, algorithm, fun, seed: 1, maxIter: 400 });
        const Y = ica.fitTransform(F.X3);
        expect(ica.converged).toBe(true);
        const used = new Set<number>();
        for (let t = 0; t < 3; t++) {
          let best = 0;
          let bj = -1;
          for (let j = 0; j < 3; j++) {
            const c = Math.abs(corr(S.col(t), Y.col(j)));
            if (c > best) {
              best = c;
              bj = j;
            }
          }
          expect(best).toBeGreaterThanOrEqual(0.99);
          used.add(bj);
        }
        expect(used.size).toBe(3);
      }
    }
  });

  for (const c of F.cases) {
    it(`equals scikit-learn 1.2 from the same wInit: ${c.data} ${c.algorithm} ${c.fun} ${c.whiten}`, () => {
      const ica = new FastICA({
        nComponents: 3,
        algorithm: c.algorithm,
        fun: c.fun,
        whiten: c.whiten,
        wInit: F.wInit,
        maxIter: 400,
        tol: 1e-6,
      });
      const Y = ica.fitTransform(F[c.data]);
      expect(ica.nIter).toBe(c.nIter);
      expectClose(ica.components, c.components, 1e-7);
      expectClose(ica.mixing, c.mixing, 1e-7);
      expectClose(ica.mean, c.mean, 1e-12);
      expectClose(Y.rowSlice(0, 20), c.sources, 1e-7);
    });
  }

  it('mixing·sources + mean reconstructs X when nComponents = nFeatures', () => {
    const ica = new FastICA({ seed: 2 });
    const Y = ica.fitTransform(F.X3);
    expectClose(ica.inverseTransform(Y), F.X3, 1e-9);
  });

  it('reports progress and stops when asked', () => {
    const seen: number[] = [];
    const ica = new FastICA({
      seed: 0,
      tol: 0,
      maxIter: 50,
      onProgress: (e) => (seen.push(e.iteration), e.iteration < 3),
    });
    ica.fit(F.X3);
    expect(seen).toEqual([1, 2, 3]);
    expect(ica.stopReason).toBe('callback');
    expect(ica.nIter).toBe(3);
    const full = new FastICA({ seed: 0, tol: 0, maxIter: 5 }).fit(F.X3);
    expect(full.stopReason).toBe('maxIter');
    expect(full.converged).toBe(false);
  });

  it('deflation stopped after the first unit still returns an orthogonal unmixing matrix', () => {
    const ica = new FastICA({ algorithm: 'deflation', seed: 3, onProgress: () => false });
    ica.fit(F.X3);
    expect(ica.stopReason).toBe('callback');
    // whitened-space rows of W are orthonormal: components·C·componentsᵀ ∝ I (C = covariance of X)
    const C = ica.components;
    const Y = ica.transform(F.X3);
    for (let a = 0; a < 3; a++) {
      for (let b = a + 1; b < 3; b++) {
        let s = 0;
        for (let i = 0; i < Y.rows; i++) s += Y.get(i, a) * Y.get(i, b);
        expect(Math.abs(s / Y.rows)).toBeLessThan(1e-9);
      }
    }
    expect(C.rows).toBe(3);
  });

  it('rejects bad input', () => {
    expect(() => new FastICA({ nComponents: 4 }).fit(F.X3)).toThrow('nComponents=4 must be <= nFeatures=3');
    expect(() => new FastICA({ whiten: false, nComponents: 2 }).fit(F.X3)).toThrow(
      'without whitening nComponents=2 must equal nFeatures=3',
    );
    expect(() =>
      new FastICA({
        wInit: [
          [1, 0],
          [0, 1],
        ],
      }).fit(F.X3),
    ).toThrow('wInit has shape 2x2; expected nComponents x nComponents = 3x3');
    expect(() => new FastICA({ fun: 'tanh' as never })).toThrow(
      `The 'fun' option of FastICA must be one of "logcosh", "exp", "cube"; got "tanh".`,
    );
    const rankDeficient = [
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
      [4, 8, 12],
    ];
    expect(() => new FastICA({ nComponents: 2 }).fit(rankDeficient)).toThrow(
      'X has rank 1 after centring, below nComponents=2: cannot whiten',
    );
  });
});
