import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GaussianMixture, type CovarianceType } from '../../src/cluster/index.js';
import { Rng } from '../../src/core/rng.js';

interface Case {
  precisionsInit: unknown;
  trajectory: { maxIter: number; means: number[][]; weights: number[]; lowerBound: number }[];
  means: number[][];
  weights: number[];
  covariances: unknown;
  lowerBound: number;
  nIter: number;
  converged: boolean;
  scoreSamples: number[];
  predictProba: number[][];
  predict: number[];
  bic: number;
  aic: number;
  score: number;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/cluster/gmm.json', import.meta.url), 'utf8')) as {
  X: number[][];
  meansInit: number[][];
  weightsInit: number[];
  cases: Record<CovarianceType, Case>;
};

const close = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('GaussianMixture vs scikit-learn 1.2 from the same initialisation', () => {
  for (const [type, c] of Object.entries(fx.cases) as [CovarianceType, Case][]) {
    const make = (maxIter: number, tol: number) =>
      new GaussianMixture({
        nComponents: 3,
        covarianceType: type,
        meansInit: fx.meansInit,
        weightsInit: fx.weightsInit,
        precisionsInit: c.precisionsInit as number[],
        maxIter,
        tol,
      }).fit(fx.X);
    it(`${type}: EM trajectory (1, 2, 5 iterations)`, () => {
      for (const t of c.trajectory) {
        const g = make(t.maxIter, 0);
        close(g.lowerBound, t.lowerBound, 1e-9);
        for (let k = 0; k < 3; k++) {
          close(g.weights[k]!, t.weights[k]!, 1e-9);
          for (let j = 0; j < 3; j++) close(g.means.get(k, j), t.means[k]![j]!, 1e-9);
        }
      }
    });
    it(`${type}: converged fit, scores, BIC/AIC`, () => {
      const g = make(200, 1e-3);
      expect(g.nIter).toBe(c.nIter);
      expect(g.converged).toBe(c.converged);
      close(g.lowerBound, c.lowerBound, 1e-8);
      for (let k = 0; k < 3; k++) {
        close(g.weights[k]!, c.weights[k]!, 1e-7);
        for (let j = 0; j < 3; j++) close(g.means.get(k, j), c.means[k]![j]!, 1e-7);
      }
      const cov = (c.covariances as number[] | number[][] | number[][][]).flat(2) as number[];
      expect(g.covariances.length).toBe(cov.length);
      for (let i = 0; i < cov.length; i++) close(g.covariances[i]!, cov[i]!, 1e-6);
      const ss = g.scoreSamples(fx.X.slice(0, 10));
      for (let i = 0; i < 10; i++) close(ss[i]!, c.scoreSamples[i]!, 1e-8);
      const pp = g.predictProba(fx.X.slice(0, 5));
      for (let i = 0; i < 5; i++)
        for (let k = 0; k < 3; k++)
          expect(Math.abs(pp.get(i, k) - c.predictProba[i]![k]!)).toBeLessThan(1e-7);
      expect(Array.from(g.predict(fx.X))).toEqual(c.predict);
      expect(Array.from(g.labels)).toEqual(c.predict);
      close(g.bic(fx.X), c.bic, 1e-8);
      close(g.aic(fx.X), c.aic, 1e-8);
      close(g.score(fx.X), c.score, 1e-8);
    });
  }
});

describe('GaussianMixture properties', () => {
  for (const type of ['full', 'tied', 'diag', 'spherical'] as const) {
    it(`${type}: the lower bound never decreases (random and k-means inits)`, () => {
      for (const initParams of ['random', 'kmeans', 'random_from_data', 'k-means++'] as const) {
        const g = new GaussianMixture({
          nComponents: 4,
          covarianceType: type,
          initParams,
          tol: 0,
          maxIter: 40,
          seed: 3,
        }).fit(fx.X);
        const h = g.lowerBoundHistory;
        expect(h.length).toBe(40);
        for (let i = 1; i < h.length; i++)
          expect(h[i]!).toBeGreaterThanOrEqual(h[i - 1]! - 1e-10 * Math.abs(h[i - 1]!));
      }
    });
  }

  it('zero-variance dimensions are regularised, never NaN', () => {
    const r = new Rng(2);
    const X = Array.from({ length: 60 }, (_, i) => [r.normal() + (i % 2) * 5, 3, r.normal()]);
    for (const type of ['full', 'tied', 'diag', 'spherical'] as const) {
      const g = new GaussianMixture({ nComponents: 2, covarianceType: type }).fit(X);
      expect(Number.isFinite(g.lowerBound)).toBe(true);
      for (const v of g.covariances) expect(Number.isFinite(v)).toBe(true);
      for (const v of g.scoreSamples(X)) expect(Number.isFinite(v)).toBe(true);
    }
    // all-identical points: every covariance is regCovar·I
    const g = new GaussianMixture({ nComponents: 1 }).fit([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(g.covariances[0]).toBeCloseTo(1e-6, 15);
  });

  it('sample draws from the components in proportion', () => {
    const g = new GaussianMixture({ nComponents: 3, seed: 1 }).fit(fx.X);
    const s = g.sample(3000, 5);
    expect(s.X.rows).toBe(3000);
    const counts = [0, 0, 0];
    for (const v of s.y) counts[v]++;
    for (let k = 0; k < 3; k++) expect(Math.abs(counts[k]! / 3000 - g.weights[k]!)).toBeLessThan(0.04);
  });

  it('bad input errors name the problem', () => {
    expect(() => new GaussianMixture({ nComponents: 8 }).fit([[1], [2], [3], [4], [5]])).toThrow(
      'nSamples=5 must be >= nComponents=8',
    );
    expect(() =>
      new GaussianMixture().fit([
        [1, NaN],
        [1, 2],
      ]),
    ).toThrow('X has NaN at row 0, column 1');
    expect(() => new GaussianMixture().predict([[1]])).toThrow('GaussianMixture is not fitted');
    expect(() => new GaussianMixture({ nComponents: 2, weightsInit: [0.5, 0.6] }).fit(fx.X)).toThrow(
      'weightsInit must sum to 1',
    );
  });
});
