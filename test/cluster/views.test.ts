/**
 * Row-slice views (Matrix.rowSlice: same buffer, offset > 0) are valid input everywhere: every
 * estimator and function gives on a view exactly what it gives on a packed copy of the same rows.
 * (toMatrix passes a row-major view through with its offset; reading `.data` from index 0 used to fit
 * the rows before the view — KMeans, linkage — or throw a RangeError — GaussianMixture.)
 */
import { describe, expect, it } from 'vitest';
import {
  AgglomerativeClustering,
  BernoulliMixture,
  CliqueClustering,
  GaussianMixture,
  KMeans,
  MiniBatchKMeans,
  linkage,
} from '../../src/cluster/index.js';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { NearestNeighbors, kNearest } from '../../src/neighbors/index.js';

const rng = new Rng(3);
const n = 40;
const d = 3;
const buf = new Float64Array((n + 7) * d);
rng.fillNormal(buf);
for (let t = 0; t < 7 * d; t++) buf[t] = 1e3; // rows before the view: far away, would dominate a wrong read
for (let i = 7 + n / 2; i < n + 7; i++) buf[i * d] += 6; // two groups
const full = new Matrix(buf, n + 7, d);
const view = full.rowSlice(7, n + 7);
const copy = view.clone();
const bin = (M: Matrix): Matrix => {
  const out = new Float64Array(M.rows * M.cols);
  for (let i = 0; i < M.rows; i++)
    for (let j = 0; j < M.cols; j++) out[i * M.cols + j] = M.get(i, j) > 0 ? 1 : 0;
  return new Matrix(out, M.rows, M.cols);
};
const binFull = bin(full);
const binView = binFull.rowSlice(7, n + 7);
const binCopy = binView.clone();

describe('row-slice views give the same results as packed copies', () => {
  it('is a real view', () => {
    expect(view.offset).toBe(7 * d);
    expect(view.data).toBe(full.data);
  });

  it.each([
    ['KMeans', (X: Matrix) => new KMeans({ nClusters: 2 }).fit(X)],
    ['MiniBatchKMeans', (X: Matrix) => new MiniBatchKMeans({ nClusters: 2, batchSize: 16 }).fit(X)],
  ])('%s fit, predict, transform', (_name, fit) => {
    const a = fit(view);
    const b = fit(copy);
    expect(Array.from(a.clusterCenters.data)).toEqual(Array.from(b.clusterCenters.data));
    expect(a.inertia).toBe(b.inertia);
    expect(Array.from(b.predict(view))).toEqual(Array.from(b.predict(copy)));
    expect(Array.from(b.transform(view).data)).toEqual(Array.from(b.transform(copy).data));
  });

  it('KMeans with a view as explicit init', () => {
    const a = new KMeans({ nClusters: 2, init: view.rowSlice(3, 5) }).fit(copy);
    const b = new KMeans({ nClusters: 2, init: copy.rowSlice(3, 5).clone() }).fit(copy);
    expect(Array.from(a.clusterCenters.data)).toEqual(Array.from(b.clusterCenters.data));
  });

  it('linkage and AgglomerativeClustering', () => {
    expect(Array.from(linkage(view, 'average').data)).toEqual(Array.from(linkage(copy, 'average').data));
    const a = new AgglomerativeClustering({ nClusters: 2 }).fit(view);
    expect(Array.from(a.labels)).toEqual(
      Array.from(new AgglomerativeClustering({ nClusters: 2 }).fit(copy).labels),
    );
  });

  it('GaussianMixture fit and score', () => {
    const a = new GaussianMixture({ nComponents: 2 }).fit(view);
    const b = new GaussianMixture({ nComponents: 2 }).fit(copy);
    expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
    expect(b.score(view)).toBe(b.score(copy));
  });

  it('BernoulliMixture fit and score', () => {
    const a = new BernoulliMixture({ nComponents: 2 }).fit(binView);
    const b = new BernoulliMixture({ nComponents: 2 }).fit(binCopy);
    expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
    expect(b.score(binView)).toBe(b.score(binCopy));
  });

  it('CliqueClustering, NearestNeighbors and kNearest', () => {
    const cc = (X: Matrix) => new CliqueClustering({ nNeighbors: 4 }).fit(X).communities;
    expect(cc(view)).toEqual(cc(copy));
    const nn = new NearestNeighbors({ nNeighbors: 3 }).fit(copy);
    expect(Array.from(nn.kneighbors(view).indices)).toEqual(Array.from(nn.kneighbors(copy).indices));
    expect(Array.from(new NearestNeighbors({ nNeighbors: 3 }).fit(view).kneighbors().indices)).toEqual(
      Array.from(nn.kneighbors().indices),
    );
    expect(Array.from(kNearest(view, 3).indices)).toEqual(Array.from(kNearest(copy, 3).indices));
    expect(Array.from(kNearest(copy, 2, { queries: view }).indices)).toEqual(
      Array.from(kNearest(copy, 2, { queries: copy }).indices),
    );
  });
});
