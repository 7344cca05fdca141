import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { KMeans, MiniBatchKMeans } from '../../src/cluster/index.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/cluster/kmeans.json', import.meta.url), 'utf8')) as {
  X: number[][];
  cases: {
    name: string;
    k: number;
    maxIter: number;
    init: number[][];
    lloyd: { labels: number[]; inertia: number; centers: number[][]; nIter: number };
    elkan: { labels: number[]; inertia: number; centers: number[][]; nIter: number };
  }[];
};

function blobs(n: number, d: number, k: number, seed: number): Matrix<Float64Array> {
  const r = new Rng(seed);
  const C = Array.from({ length: k }, () => Array.from({ length: d }, () => r.normal(0, 5)));
  const a = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) a[i * d + t] = C[i % k]![t]! + r.normal();
  return new Matrix(a, n, d);
}

describe('KMeans vs scikit-learn 1.2 from the same initial centres', () => {
  for (const c of fx.cases) {
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      it(`${c.name} (${algorithm})`, () => {
        const km = new KMeans({ nClusters: c.k, init: c.init, algorithm, maxIter: c.maxIter }).fit(fx.X);
        const ref = c[algorithm];
        expect(Array.from(km.labels)).toEqual(ref.labels);
        expect(Math.abs(km.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-6);
        expect(km.nIter).toBe(ref.nIter);
        for (let j = 0; j < c.k; j++) {
          for (let t = 0; t < 4; t++) expect(km.clusterCenters.get(j, t)).toBeCloseTo(ref.centers[j]![t]!, 8);
        }
      });
    }
  }
});

describe('KMeans properties', () => {
  it('Lloyd and Elkan give identical labels and inertia (k-means++ seeding, restarts)', () => {
    const X = blobs(500, 6, 7, 3);
    const a = new KMeans({ nClusters: 7, nInit: 3, seed: 5, algorithm: 'lloyd' }).fit(X);
    const b = new KMeans({ nClusters: 7, nInit: 3, seed: 5, algorithm: 'elkan' }).fit(X);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(b.inertia).toBeCloseTo(a.inertia, 8);
    expect(b.nIter).toBe(a.nIter);
  });

  it('the objective never increases across iterations', () => {
    const X = blobs(400, 5, 10, 9);
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const losses: number[] = [];
      new KMeans({
        nClusters: 12,
        nInit: 1,
        init: 'random',
        seed: 2,
        algorithm,
        tol: 0,
        onProgress: (e) => void losses.push(e.loss!),
      }).fit(X);
      expect(losses.length).toBeGreaterThan(2);
      for (let i = 1; i < losses.length; i++)
        expect(losses[i]!).toBeLessThanOrEqual(losses[i - 1]! * (1 + 1e-12));
    }
  });

  it('nInit keeps the restart with the lowest inertia', () => {
    const X = blobs(300, 2, 9, 4);
    const many = new KMeans({ nClusters: 9, nInit: 8, init: 'random', seed: 1 }).fit(X);
    const one = new KMeans({ nClusters: 9, nInit: 1, init: 'random', seed: 1 }).fit(X);
    // the first restart of `many` is `one` (same generator sequence), so the best can only be lower
    expect(many.inertia).toBeLessThanOrEqual(one.inertia + 1e-9);
  });

  it('hand-computable toy: inertia 1.0', () => {
    // two clusters {0,1} and {10, 10.5, 11}: inertia 0.5 + 0.5 = 1.0
    const X = [[0], [1], [10], [10.5], [11]];
    const km = new KMeans({ nClusters: 2, seed: 0 }).fit(X);
    expect(km.inertia).toBeCloseTo(1.0, 12);
    expect(km.predict([[0.2], [9]])[0]).not.toBe(km.predict([[0.2], [9]])[1]);
    const T = km.transform([[0]]);
    expect(Math.min(T.get(0, 0), T.get(0, 1))).toBeCloseTo(0.5, 12);
    expect(km.score(X)).toBeCloseTo(-1.0, 12);
  });

  it('predict on training data equals labels; same seed is bit-identical', () => {
    const X = blobs(200, 3, 4, 8);
    const a = new KMeans({ nClusters: 4, seed: 3 }).fit(X);
    const b = new KMeans({ nClusters: 4, seed: 3 }).fit(X);
    expect(Array.from(a.predict(X))).toEqual(Array.from(a.labels));
    expect(Array.from(a.clusterCenters.data)).toEqual(Array.from(b.clusterCenters.data));
  });

  it('bad input: k > n, NaN, all-identical points', () => {
    expect(() => new KMeans({ nClusters: 8 }).fit([[1], [2], [3], [4], [5]])).toThrow(
      'nSamples=5 must be >= nClusters=8',
    );
    expect(() =>
      new KMeans({ nClusters: 2 }).fit([
        [1, 2],
        [NaN, 1],
        [3, 3],
      ]),
    ).toThrow('X has NaN at row 1, column 0');
    expect(() => new KMeans({ nClusters: 0 })).toThrow(
      "The 'nClusters' option of KMeans must be an integer >= 1; got 0.",
    );
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const km = new KMeans({ nClusters: 3, algorithm }).fit([
        [2, 2],
        [2, 2],
        [2, 2],
        [2, 2],
      ]);
      expect(km.inertia).toBe(0);
      for (const v of km.clusterCenters.data) expect(v).toBe(2);
    }
    expect(() =>
      new KMeans({ nClusters: 2, init: [[0, 0]] }).fit([
        [1, 1],
        [2, 2],
      ]),
    ).toThrow('init has shape 1x2, expected nClusters x nFeatures = 2x2');
  });
});

describe('MiniBatchKMeans', () => {
  it('reaches an inertia close to full k-means on blobs, deterministically', async () => {
    const { MiniBatchKMeans } = await import('../../src/cluster/index.js');
    const X = blobs(3000, 8, 6, 21);
    const full = new KMeans({ nClusters: 6, nInit: 3, seed: 1 }).fit(X);
    const mb = new MiniBatchKMeans({ nClusters: 6, batchSize: 256, seed: 1 }).fit(X);
    expect(mb.inertia).toBeLessThan(full.inertia * 1.05);
    const mb2 = new MiniBatchKMeans({ nClusters: 6, batchSize: 256, seed: 1 }).fit(X);
    expect(Array.from(mb2.clusterCenters.data)).toEqual(Array.from(mb.clusterCenters.data));
    expect(Array.from(mb.predict(X))).toEqual(Array.from(mb.labels));
    expect(mb.nSteps).toBeGreaterThan(0);
    expect(() => new MiniBatchKMeans({ nClusters: 8 }).fit([[1], [2], [3], [4], [5]])).toThrow(
      'nSamples=5 must be >= nClusters=8',
    );
  });
});

describe('KMeans progress and stopping', () => {
  it('onProgress returning false stops the run and keeps a consistent partial result', () => {
    const X = blobs(300, 4, 5, 2);
    const km = new KMeans({
      nClusters: 5,
      nInit: 3,
      init: 'random',
      seed: 1,
      onProgress: (e) => e.iteration < 2,
    }).fit(X);
    expect(km.stopReason).toBe('callback');
    expect(km.nIter).toBe(2);
    expect(Array.from(km.predict(X))).toEqual(Array.from(km.labels));
    const ac = new AbortController();
    ac.abort();
    const a = new KMeans({ nClusters: 5, nInit: 2, seed: 1, signal: ac.signal }).fit(X);
    expect(a.stopReason).toBe('aborted');
  });
});

describe('KMeans and MiniBatchKMeans share predict/transform/score', () => {
  const rng = new Rng(11);
  const X = new Matrix(new Float64Array(120 * 3), 120, 3);
  rng.fillNormal(X.data);
  for (let i = 60; i < 120; i++) X.data[i * 3] += 8;

  it.each([
    ['KMeans', () => new KMeans({ nClusters: 3, seed: 2 })],
    ['MiniBatchKMeans', () => new MiniBatchKMeans({ nClusters: 3, batchSize: 32, seed: 2 })],
  ])('%s: score(X) is −inertia on the training data; fitTransform = fit + transform', (_n, make) => {
    const m = make().fit(X);
    // score relabels X with predict (fit's final labels); KMeans sums on centred X, so equal to rounding.
    expect(Math.abs(m.score(X) + m.inertia)).toBeLessThanOrEqual(1e-12 * m.inertia);
    expect(Array.from(m.predict(X))).toEqual(Array.from(m.labels));
    const D = make().fitTransform(X);
    expect(Array.from(D.data)).toEqual(Array.from(m.transform(X).data));
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let j = 1; j < 3; j++) if (D.get(i, j) < D.get(i, best)) best = j;
      expect(best).toBe(m.labels[i]);
    }
  });
});
