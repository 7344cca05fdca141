import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { ValidationError } from '../../src/core/errors.js';
import { PCA, IncrementalPCA } from '../../src/decomposition/index.js';
import { saveModel, loadModel } from '../../src/io/index.js';
import {
  columnMeans,
  randomizedSvdCentred,
  randomizedTopEigen,
  centredGram,
  topEigen,
} from '../../src/decomposition/_shared.js';
import { expectClose, fixture } from './helpers.js';

const F = fixture('pca.json');

describe('PCA vs scikit-learn 1.2 (svd_solver=full), float64', () => {
  for (const c of F.cases) {
    it(`${c.data} nComponents=${c.nComponents} whiten=${c.whiten}`, () => {
      const X = F.data[c.data] as number[][];
      const p = new PCA({ nComponents: c.nComponents ?? undefined, whiten: c.whiten, svdSolver: 'full' }).fit(
        X,
      );
      expect(p.nComponents).toBe(c.nComponentsFitted);
      // The last component of the 12-sample wide case spans the null space of the centred data
      // (singular value 0): any unit vector there is valid, so compare only the determined ones.
      const k = (c.singularValues as number[]).filter((s: number) => s > 1e-8).length;
      const d = X[0]!.length;
      const comps = p.components;
      expectClose(comps.data.subarray(0, k * d), (c.components as number[][]).slice(0, k).flat(), 1e-8);
      expectClose(p.explainedVariance, c.explainedVariance, 1e-8);
      expectClose(p.explainedVarianceRatio, c.explainedVarianceRatio, 1e-8);
      expectClose(p.singularValues, c.singularValues, 1e-8);
      expectClose(p.mean, c.mean, 1e-12);
      expect(Math.abs(p.noiseVariance - c.noiseVariance)).toBeLessThan(1e-8);
      if (k === p.nComponents) {
        expectClose(p.transform(X), c.transform, 1e-8);
        const Z = p.transform(X).rowSlice(0, 5);
        expectClose(p.inverseTransform(Z), c.inverse, 1e-8);
        expectClose(
          new PCA({ nComponents: c.nComponents ?? undefined, whiten: c.whiten }).fitTransform(X),
          c.transform,
          1e-8,
        );
      }
    });
  }
});

function lowRankData(n: number, d: number, seed: number): Matrix<Float64Array> {
  // MNIST-like: a decaying spectrum plus noise.
  const rng = new Rng(seed);
  const r = 30;
  const Z = new Float64Array(n * r);
  rng.fillNormal(Z);
  const W = new Float64Array(r * d);
  rng.fillNormal(W);
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < r; t++) {
      const z = Z[i * r + t]! * Math.pow(0.85, t) * 3;
      for (let j = 0; j < d; j++) X[i * d + j] += z * W[t * d + j]!;
    }
    for (let j = 0; j < d; j++) X[i * d + j] += 0.05 * rng.normal() + 0.3;
  }
  return new Matrix(X, n, d);
}

describe('PCA properties', () => {
  it('randomized matches the exact solver on MNIST-like data (top components to 1e-4)', () => {
    const X = lowRankData(600, 120, 1);
    const exact = new PCA({ nComponents: 10, svdSolver: 'full' }).fit(X);
    const rand = new PCA({ nComponents: 10, svdSolver: 'randomized', seed: 3 }).fit(X);
    expect(rand.solver).toBe('randomized');
    expectClose(rand.components, exact.components, 1e-4);
    expectClose(rand.explainedVariance, exact.explainedVariance, 1e-4);
    expect(Math.abs(rand.noiseVariance - exact.noiseVariance)).toBeLessThan(1e-4 * exact.noiseVariance);
  });

  it('randomized SVD on Xc itself (the path for min(n, d) > 4096) and on the Gram matrix agree with the exact eigenpairs', () => {
    const X = lowRankData(400, 90, 11);
    const mean = columnMeans(X);
    const exact = topEigen(centredGram(X, mean), 90, 8);
    const r = randomizedSvdCentred(X, mean, 8, { nOversamples: 10, nIter: 7, seed: 1 });
    const g = randomizedTopEigen(centredGram(X, mean), 90, 8, { nOversamples: 10, nIter: 7, seed: 1 });
    for (let t = 0; t < 8; t++) {
      expect(Math.abs(r.s[t]! ** 2 - exact.values[t]!) / exact.values[t]!).toBeLessThan(1e-8);
      expect(Math.abs(g.values[t]! - exact.values[t]!) / exact.values[t]!).toBeLessThan(1e-8);
      let dr = 0;
      let dg = 0;
      for (let j = 0; j < 90; j++) {
        dr += r.Vt[t * 90 + j]! * exact.rows[t * 90 + j]!;
        dg += g.rows[t * 90 + j]! * exact.rows[t * 90 + j]!;
      }
      expect(Math.abs(Math.abs(dr) - 1)).toBeLessThan(1e-8);
      expect(Math.abs(Math.abs(dg) - 1)).toBeLessThan(1e-8);
    }
    // U = Xc·V/s has orthonormal columns.
    for (let a = 0; a < 8; a++) {
      let s2 = 0;
      for (let i = 0; i < 400; i++) s2 += r.U[i * 8 + a]! ** 2;
      expect(s2).toBeCloseTo(1, 8);
    }
  });

  it("'auto' picks randomized for large inputs and few components, full otherwise (scikit-learn 1.2)", () => {
    const X = lowRankData(520, 20, 2);
    expect(new PCA({ nComponents: 5 }).fit(X).solver).toBe('randomized');
    expect(new PCA({ nComponents: 17 }).fit(X).solver).toBe('full');
    expect(new PCA({ nComponents: 0.5 }).fit(X).solver).toBe('full');
    expect(new PCA({ nComponents: 5 }).fit(X.rowSlice(0, 400)).solver).toBe('full');
  });

  it('reconstruction error equals the sum of the discarded eigenvalues (seed 001)', () => {
    const X = lowRankData(200, 25, 4);
    const all = new PCA({ svdSolver: 'full' }).fit(X).explainedVariance;
    for (const k of [1, 5, 12]) {
      const p = new PCA({ nComponents: k }).fit(X);
      let discarded = 0;
      for (let t = k; t < all.length; t++) discarded += all[t]!;
      const n = X.rows;
      expect(p.reconstructionError(X)).toBeCloseTo((discarded * (n - 1)) / n, 9);
      expect(p.noiseVariance).toBeCloseTo(discarded / (all.length - k), 10);
    }
  });

  it('whitened scores have unit variance and round-trip through inverseTransform', () => {
    const X = lowRankData(150, 12, 5);
    const p = new PCA({ nComponents: 12, whiten: true });
    const Z = p.fitTransform(X);
    for (let t = 0; t < 12; t++) {
      let s = 0;
      for (let i = 0; i < Z.rows; i++) s += Z.get(i, t) ** 2;
      expect(s / (Z.rows - 1)).toBeCloseTo(1, 10);
    }
    expectClose(p.inverseTransform(Z), X, 1e-9);
  });

  it('accepts float32 data (computes in float64)', () => {
    const X = lowRankData(60, 5, 13);
    const a = new PCA({ nComponents: 2 }).fit(X.toDType('float32'));
    const b = new PCA({ nComponents: 2 }).fit(X.toDType('float32').toDType('float64'));
    expectClose(a.components, b.components, 0);
  });

  it('saves and loads', () => {
    const X = lowRankData(50, 6, 6);
    const p = new PCA({ nComponents: 3 }).fit(X);
    const q = loadModel(saveModel(p)) as PCA;
    expectClose(q.transform(X), p.transform(X), 0);
  });

  it('rejects bad options and shapes with named errors', () => {
    expect(() => new PCA({ nComponents: 2.5 })).toThrow(
      /'nComponents' option of PCA must be an integer >= 1 or a fraction/,
    );
    expect(() => new PCA({ nComponents: 0 })).toThrow(ValidationError);
    expect(() =>
      new PCA({ nComponents: 7 }).fit([
        [1, 2],
        [3, 4],
        [5, 7],
      ]),
    ).toThrow('nComponents=7 must be <= min(nSamples=3, nFeatures=2)=2');
    expect(() => new PCA().fit([[1, 2]])).toThrow('PCA needs at least 2 samples; got nSamples=1');
    const p = new PCA({ nComponents: 1 }).fit([
      [1, 2],
      [3, 4],
      [5, 7],
    ]);
    expect(() => p.transform([[1, 2, 3]])).toThrow('X has 3 features, but the model was fitted on 2');
    expect(() => new PCA().components).toThrow('PCA is not fitted');
  });
});

describe('IncrementalPCA vs scikit-learn 1.2', () => {
  for (const c of F.incremental.cases) {
    it(`nComponents=${c.nComponents} batchSize=${c.batchSize} whiten=${c.whiten}`, () => {
      const X = F.incremental.X as number[][];
      const p = new IncrementalPCA({
        nComponents: c.nComponents,
        batchSize: c.batchSize,
        whiten: c.whiten,
      }).fit(X);
      expectClose(p.components, c.components, 1e-8);
      expectClose(p.explainedVariance, c.explainedVariance, 1e-8);
      expectClose(p.explainedVarianceRatio, c.explainedVarianceRatio, 1e-8);
      expectClose(p.singularValues, c.singularValues, 1e-8);
      expectClose(p.mean, c.mean, 1e-12);
      expectClose(p.var, c.var, 1e-10);
      expect(Math.abs(p.noiseVariance - c.noiseVariance)).toBeLessThan(1e-8);
      expectClose(p.transform(X), c.transform, 1e-8);
    });
  }

  it('fit(X) equals partialFit over the same batches', () => {
    const X = lowRankData(100, 9, 12);
    const a = new IncrementalPCA({ nComponents: 4, batchSize: 30 }).fit(X);
    const b = new IncrementalPCA({ nComponents: 4 });
    // gen_batches(100, 30, min_batch_size=4): [0,30), [30,60), [60,90), [90,100).
    b.partialFit(X.rowSlice(0, 30))
      .partialFit(X.rowSlice(30, 60))
      .partialFit(X.rowSlice(60, 90))
      .partialFit(X.rowSlice(90, 100));
    expectClose(b.components, a.components, 0);
    // A tail shorter than nComponents is merged into the previous batch: [0,30), [30,60), [60,90), [90,92) → [60,92).
    const c = new IncrementalPCA({ nComponents: 4, batchSize: 30 }).fit(X.rowSlice(0, 92));
    const d = new IncrementalPCA({ nComponents: 4 });
    d.partialFit(X.rowSlice(0, 30)).partialFit(X.rowSlice(30, 60)).partialFit(X.rowSlice(60, 92));
    expectClose(d.components, c.components, 0);
    expect(b.nSamplesSeen).toBe(100);
    expect(() => b.partialFit([[1, 2, 3]])).toThrow('X has 3 features, but the model was fitted on 9');
  });

  it('partialFit over all the data in one batch equals PCA', () => {
    const X = lowRankData(80, 7, 8);
    const inc = new IncrementalPCA({ nComponents: 3 }).partialFit(X);
    const full = new PCA({ nComponents: 3 }).fit(X);
    // IncrementalPCA flips signs by the rows of Vt (scikit-learn's u_based_decision=False), PCA by
    // the scores: equal up to the sign of each component.
    const a = inc.components;
    const b = full.components;
    for (let t = 0; t < 3; t++) {
      const sgn = Math.sign(a.get(t, 0) * b.get(t, 0));
      for (let j = 0; j < 7; j++) expect(a.get(t, j)).toBeCloseTo(sgn * b.get(t, j), 9);
    }
    expectClose(inc.explainedVariance, full.explainedVariance, 1e-9);
  });
});

describe('whitening a zero-variance component', () => {
  // Rank-1 data, two components: the second has explained variance 0. Dividing by √0 used to
  // give 0·Infinity = NaN scores in IncrementalPCA; both estimators now give 0 there.
  const X = [
    [1, 2, 3],
    [2, 4, 6],
    [3, 6, 9],
    [4, 8, 12],
  ];
  it.each([
    ['PCA', () => new PCA({ nComponents: 2, whiten: true })],
    ['IncrementalPCA', () => new IncrementalPCA({ nComponents: 2, whiten: true })],
  ] as const)('%s gives finite scores and inverts them', (_name, make) => {
    const m = make().fit(X);
    expect(m.explainedVariance[1]).toBeCloseTo(0, 12);
    const Z = m.transform(X);
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(Z.get(i, 0))).toBeCloseTo(
        [1.161895003862225, 0.3872983346207418][i < 2 ? i : 3 - i]!,
        12,
      );
      expect(Z.get(i, 1)).toBeCloseTo(0, 12);
    }
    const R = m.inverseTransform(Z);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) expect(R.get(i, j)).toBeCloseTo(X[i]![j]!, 12);
  });
});

describe('constant data', () => {
  // No variance at all: the explained-variance ratio is 0, not 0/0 = NaN (IncrementalPCA gave NaN).
  it.each([
    ['PCA', () => new PCA({ nComponents: 1 })],
    ['IncrementalPCA', () => new IncrementalPCA({ nComponents: 1 })],
  ] as const)('%s reports ratio 0 and variance 0', (_name, make) => {
    const m = make().fit([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(Array.from(m.explainedVarianceRatio)).toEqual([0]);
    expect(Array.from(m.explainedVariance)).toEqual([0]);
    expect(m.noiseVariance).toBe(0);
  });
});
