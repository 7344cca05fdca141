import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { NearestNeighbors, kNearest } from '../../src/neighbors/index.js';

function randn(n: number, d: number, seed: number, dup = false): Matrix<Float64Array> {
  const r = new Rng(seed);
  const a = new Float64Array(n * d);
  r.fillNormal(a);
  if (dup) for (let t = 0; t < d; t++) a[5 * d + t] = a[3 * d + t]!; // an exact duplicate
  return new Matrix(a, n, d);
}

/** Naive O(n²) reference with the library's tie rule (distance, then index). */
function naive(X: Matrix<Float64Array>, Q: Matrix<Float64Array>, k: number, self: boolean) {
  const out: { i: number[]; d: number[] }[] = [];
  for (let q = 0; q < Q.rows; q++) {
    const c: [number, number][] = [];
    for (let j = 0; j < X.rows; j++) {
      if (self && j === q) continue;
      let s = 0;
      for (let t = 0; t < X.cols; t++) s += (Q.get(q, t) - X.get(j, t)) ** 2;
      c.push([Math.sqrt(s), j]);
    }
    c.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    out.push({ i: c.slice(0, k).map((x) => x[1]), d: c.slice(0, k).map((x) => x[0]) });
  }
  return out;
}

describe('NearestNeighbors', () => {
  for (const d of [2, 7, 40]) {
    it(`brute, kd_tree and vp_tree agree with the naive answer (d=${d})`, () => {
      const X = randn(600, d, d, true);
      const ref = naive(X, X, 6, true);
      for (const algorithm of ['brute', 'kd_tree', 'vp_tree'] as const) {
        const nn = new NearestNeighbors({ nNeighbors: 6, algorithm, leafSize: 8 }).fit(X);
        const r = nn.kneighbors();
        for (let q = 0; q < X.rows; q++) {
          for (let t = 0; t < 6; t++) {
            expect(r.indices[q * 6 + t]).toBe(ref[q]!.i[t]);
            expect(r.distances[q * 6 + t]).toBeCloseTo(ref[q]!.d[t]!, 12);
          }
        }
      }
    });
  }

  it('many exact ties (an integer grid, every point twice) resolve to the smaller index in every algorithm', () => {
    const pts: number[] = [];
    for (let rep = 0; rep < 2; rep++)
      for (let a = 0; a < 12; a++) for (let b = 0; b < 12; b++) pts.push(a, b);
    const X = new Matrix(Float64Array.from(pts), pts.length / 2, 2);
    const k = 9;
    const ref = naive(X, X, k, true);
    for (const algorithm of ['brute', 'kd_tree', 'vp_tree'] as const) {
      const r = new NearestNeighbors({ nNeighbors: k, algorithm, leafSize: 4 }).fit(X).kneighbors();
      for (let q = 0; q < X.rows; q++) {
        expect(Array.from(r.indices.subarray(q * k, q * k + k))).toEqual(ref[q]!.i);
      }
    }
  });

  it('queries with new points include exact zero distances for duplicates', () => {
    const X = randn(300, 3, 1);
    const Q = X.selectRows([0, 10, 20]);
    for (const algorithm of ['brute', 'kd_tree', 'vp_tree'] as const) {
      const r = new NearestNeighbors({ algorithm }).fit(X).kneighbors(Q, 3);
      expect(Array.from(r.indices.filter((_, i) => i % 3 === 0))).toEqual([0, 10, 20]);
      expect(r.distances[0]).toBe(0);
    }
  });

  it('radius queries agree across algorithms and with the naive scan', () => {
    const X = randn(400, 3, 5);
    const ref = naive(X, X, 399, true);
    for (const algorithm of ['brute', 'kd_tree', 'vp_tree'] as const) {
      const r = new NearestNeighbors({ algorithm, leafSize: 5 }).fit(X).radiusNeighbors(undefined, 0.7);
      for (let q = 0; q < X.rows; q += 13) {
        const want = ref[q]!.i.filter((_, t) => ref[q]!.d[t]! <= 0.7);
        expect(Array.from(r.indices[q]!)).toEqual(want);
      }
    }
  });

  it('kNearest matches scikit-learn conventions on a hand example', () => {
    const X = [
      [0, 0],
      [1, 0],
      [0, 2],
      [5, 5],
    ];
    const r = kNearest(X, 2, { excludeSelf: true });
    expect(Array.from(r.indices)).toEqual([1, 2, 0, 2, 0, 1, 2, 1]);
    expect(r.distances[0]).toBe(1);
    expect(r.distances[1]).toBe(2);
    expect(r.distances[7]).toBeCloseTo(Math.sqrt(41), 14);
  });

  it('kneighborsGraph is CSR with k entries per row', () => {
    const X = randn(50, 4, 2);
    const g = new NearestNeighbors({ nNeighbors: 3 }).fit(X).kneighborsGraph(undefined, 3, 'distance');
    expect(g.indptr[50]).toBe(150);
    expect(g.data[0]).toBeGreaterThan(0);
  });

  it('errors name the numbers', () => {
    expect(() => kNearest([[0], [1], [2]], 3)).toThrow(
      'k=3 must be <= 2, the number of candidate neighbours',
    );
    expect(() => new NearestNeighbors().fit([[0, 1]]).kneighbors([[1, 2, 3]])).toThrow(
      'X has 3 features, but the model was fitted on 2',
    );
    expect(() => new NearestNeighbors().kneighbors()).toThrow('NearestNeighbors is not fitted');
  });
});
