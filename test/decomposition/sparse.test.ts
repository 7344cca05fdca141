import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import {
  SparseCoder,
  lassoCd,
  lassoLars,
  orthogonalMp,
  orthogonalMpGram,
  softThresholdArray,
  sparseEncode,
} from '../../src/decomposition/index.js';
import { softThreshold } from '../../src/decomposition/sparse-coder.js';
import { saveModel, loadModel } from '../../src/io/index.js';
import { expectClose, fixture } from './helpers.js';

const F = fixture('sparse.json');

function lassoObjective(X: number[][], y: number[], w: ArrayLike<number>, alpha: number): number {
  const n = X.length;
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    let s = y[i]!;
    for (let j = 0; j < w.length; j++) s -= X[i]![j]! * w[j]!;
    r2 += s * s;
  }
  let l1 = 0;
  for (let j = 0; j < w.length; j++) l1 += Math.abs(w[j]!);
  return r2 / (2 * n) + alpha * l1;
}

describe('lasso vs scikit-learn 1.2', () => {
  for (const c of F.lasso) {
    const { X, y } = F.problems[c.problem];
    it(`${c.problem} alpha=${c.alpha}: coordinate descent`, () => {
      const exact = lassoCd(X, y, { alpha: c.alpha, tol: 1e-12, maxIter: 100000 });
      expect(exact.converged).toBe(true);
      expectClose(exact.coef, c.cdExact, 1e-8);
      // Default tolerance: same iterations, same iterate as scikit-learn's cd_fast.
      const r = lassoCd(X, y, { alpha: c.alpha });
      expect(r.nIter).toBe(c.cdNIter);
      expectClose(r.coef, c.cd, 1e-10);
      expect(r.dualGap).toBeCloseTo(c.cdGap, 10);
    });
    it(`${c.problem} alpha=${c.alpha}: LARS`, () => {
      const r = lassoLars(X, y, { alpha: c.alpha });
      expectClose(r.coef, c.lars, 1e-8);
      // Both solve the same strictly convex problem: LARS is at CD's optimum.
      expectClose(r.coef, c.cdExact, 1e-8);
      expect(lassoObjective(X, y, r.coef, c.alpha)).toBeCloseTo(lassoObjective(X, y, c.cdExact, c.alpha), 12);
      const nz = Array.from(r.coef)
        .flatMap((v, j) => (v !== 0 ? [j] : []))
        .sort((a, b) => a - b);
      expect(Array.from(r.active).sort((a, b) => a - b)).toEqual(nz);
    });
  }

  it('y = 0 gives w = 0 at once', () => {
    const { X } = F.problems.tall;
    const r = lassoCd(X, new Array(30).fill(0), { alpha: 0.1 });
    expect(r.converged).toBe(true);
    expect(r.nIter).toBe(0);
    expect(
      Array.from(
        sparseEncode([new Array(10).fill(0)], F.coder.dictionary, { algorithm: 'lasso_cd', alpha: 0.1 }).data,
      ).every((v) => v === 0),
    ).toBe(true);
  });

  it('alpha above max|Xᵀy|/n gives the zero vector', () => {
    const { X, y } = F.problems.tall;
    expect(Array.from(lassoLars(X, y, { alpha: 1e3 }).coef).every((v) => v === 0)).toBe(true);
    expect(Array.from(lassoCd(X, y, { alpha: 1e3 }).coef).every((v) => v === 0)).toBe(true);
  });
});

describe('OMP vs scikit-learn 1.2', () => {
  const D = F.omp.D as number[][];
  const G = new Matrix(new Float64Array(60 * 60), 60, 60);
  for (let a = 0; a < 60; a++)
    for (let b = 0; b < 60; b++) {
      let s = 0;
      for (let i = 0; i < 40; i++) s += D[i]![a]! * D[i]![b]!;
      G.set(a, b, s);
    }
  for (const c of F.omp.cases) {
    it(`signal ${c.signal}, ${c.kind}: same support and coefficients`, () => {
      const y = F.omp.Y[c.signal] as number[];
      const opts = c.kind === 'tol' ? { tol: 0.05 } : { nNonzeroCoefs: c.kind === 'k3' ? 3 : 6 };
      const r = orthogonalMp(D, y, opts);
      expect(Array.from(r.support).sort((a, b) => a - b)).toEqual(c.support);
      expectClose(r.coef, c.coef, 1e-9);
      const Xy = new Float64Array(60);
      for (let a = 0; a < 60; a++) for (let i = 0; i < 40; i++) Xy[a] += D[i]![a]! * y[i]!;
      const yy = y.reduce((s, v) => s + v * v, 0);
      const g = orthogonalMpGram(G, Xy, { ...opts, normSquared: yy });
      expectClose(g.coef, c.coefGram, 1e-9);
    });
  }
  it('rejects impossible targets', () => {
    expect(() => orthogonalMp(D, F.omp.Y[0], { nNonzeroCoefs: 61 })).toThrow(
      'nNonzeroCoefs=61 must be <= nFeatures=60',
    );
    expect(() => orthogonalMp(D, [1, 2, 3])).toThrow('y has 3 entries; expected 40');
  });
});

describe('SparseCoder vs scikit-learn 1.2', () => {
  const { dictionary, X, codes } = F.coder;
  it('lasso_lars, lasso_cd, threshold and omp codes equal scikit-learn', () => {
    const lars = new SparseCoder({
      dictionary,
      transformAlgorithm: 'lasso_lars',
      transformAlpha: 0.3,
    }).transform(X);
    expectClose(lars, codes.lasso_lars, 1e-8);
    const cd = new SparseCoder({ dictionary, transformAlgorithm: 'lasso_cd', transformAlpha: 0.3 }).transform(
      X,
    );
    expectClose(cd, codes.lasso_cd, 1e-8);
    const th = new SparseCoder({
      dictionary,
      transformAlgorithm: 'threshold',
      transformAlpha: 0.3,
    }).transform(X);
    expectClose(th, codes.threshold, 1e-12);
    const omp = new SparseCoder({
      dictionary,
      transformAlgorithm: 'omp',
      transformNNonzeroCoefs: 3,
    }).transform(X);
    expectClose(omp, codes.omp, 1e-9);
    expectClose(sparseEncode(X, dictionary, { algorithm: 'omp', nNonzeroCoefs: 3 }), codes.omp, 1e-9);
  });

  it('saves and loads; checks shapes', () => {
    const c = new SparseCoder({ dictionary, transformAlgorithm: 'omp', transformNNonzeroCoefs: 2 }).fit(X);
    const back = loadModel(saveModel(c)) as SparseCoder;
    expectClose(back.transform(X), c.transform(X), 0);
    expect(() => c.transform([[1, 2, 3]])).toThrow('X has 3 features, but the dictionary atoms have 10');
    expect(() => new SparseCoder({})).toThrow("SparseCoder needs the 'dictionary' option");
    expect(() => new SparseCoder({ dictionary, transformNNonzeroCoefs: 21 })).toThrow(
      'nNonzeroCoefs must be an integer in [1, nComponents=20]; got 21',
    );
  });

  it('soft thresholding is the prox of t|.|', () => {
    expect(softThreshold(3, 1)).toBe(2);
    expect(softThreshold(-3, 1)).toBe(-2);
    expect(softThreshold(0.5, 1)).toBe(0);
    expect(Array.from(softThresholdArray([1.5, -0.2, -4], 0.5))).toEqual([1, 0, -3.5]);
  });
});

describe('sparse coding options', () => {
  const { dictionary, X } = F.coder;
  it('OMP by tolerance ε stops at the first support whose squared residual is <= ε', () => {
    const eps = 0.5;
    const Z = sparseEncode(X, dictionary, { algorithm: 'omp', alpha: eps });
    for (let i = 0; i < X.length; i++) {
      let r2 = 0;
      for (let f = 0; f < 10; f++) {
        let r = X[i][f];
        for (let j = 0; j < 20; j++) r -= Z.get(i, j) * dictionary[j][f];
        r2 += r * r;
      }
      expect(r2).toBeLessThanOrEqual(eps + 1e-9);
      // One atom fewer would not reach ε: the support is minimal along the greedy path.
      const nz = Array.from(Z.row(i)).filter((v) => v !== 0).length;
      if (nz > 1) {
        const fewer = sparseEncode([X[i]], dictionary, { algorithm: 'omp', nNonzeroCoefs: nz - 1 });
        let q = 0;
        for (let f = 0; f < 10; f++) {
          let r = X[i][f];
          for (let j = 0; j < 20; j++) r -= fewer.get(0, j) * dictionary[j][f];
          q += r * r;
        }
        expect(q).toBeGreaterThan(eps);
      }
    }
  });

  it('positive lasso codes are non-negative and solve the constrained problem (KKT)', () => {
    for (const algorithm of ['lasso_lars', 'lasso_cd'] as const) {
      const Z = sparseEncode(X, dictionary, { algorithm, alpha: 0.2, positive: true, tol: 1e-10 });
      for (let i = 0; i < X.length; i++) {
        for (let j = 0; j < 20; j++) {
          const z = Z.get(i, j);
          expect(z).toBeGreaterThanOrEqual(0);
          // gradient of ½‖x − zD‖²: g_j = −d_j·(x − zD); KKT: g_j = −λ where z_j > 0, g_j >= −λ where z_j = 0
          let g = 0;
          for (let f = 0; f < 10; f++) {
            let r = X[i][f];
            for (let t = 0; t < 20; t++) r -= Z.get(i, t) * dictionary[t][f];
            g -= dictionary[j][f] * r;
          }
          if (z > 0) expect(g).toBeCloseTo(-0.2, 5);
          else expect(g).toBeGreaterThanOrEqual(-0.2 - 1e-6);
        }
      }
    }
  });
});
