import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { exactKnn, exactKnnQuery, approxKnn, sqDist64 } from '../../src/manifold/knn.js';
import { setBackend } from '../../src/kernels/index.js';

/** Brute-force float64 reference: all distances by sqDist64, k smallest by (distance, index). */
function reference(
  Q: Float64Array,
  m: number,
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  self: boolean,
): { indices: Int32Array; distances: Float64Array } {
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) if (!(self && j === i)) all.push([sqDist64(Q, i * d, X, j * d, d), j]);
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let t = 0; t < k; t++) {
      distances[i * k + t] = all[t]![0];
      indices[i * k + t] = all[t]![1];
    }
  }
  return { indices, distances };
}

/** n points in d dimensions: clusters of nearly equal points, exact duplicates and large offsets. */
function hardData(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (i % 7 === 3 && i > 10) {
      // exact duplicate of an earlier row: ties at distance 0 and equal distances to everyone else
      X.copyWithin(i * d, (i - 5) * d, (i - 4) * d);
      continue;
    }
    const c = i % 5;
    for (let t = 0; t < d; t++)
      X[i * d + t] = 100 * c + (t === 0 ? 1e3 : 0) + rng.normal() * (c === 0 ? 1e-3 : 1);
  }
  return X;
}

describe('exact k-NN', () => {
  it('equals a float64 brute force with ties broken by index (duplicates, far-off clusters)', () => {
    for (const [n, d, k] of [
      [300, 7, 10],
      [500, 50, 91],
      [120, 3, 119],
    ] as const) {
      const X = hardData(n, d, n + d);
      const g = exactKnn(X, n, d, k);
      const r = reference(X, n, X, n, d, k, true);
      expect(g.k).toBe(k);
      expect(Array.from(g.indices)).toEqual(Array.from(r.indices));
      expect(Array.from(g.distances)).toEqual(Array.from(r.distances));
    }
  });

  it('keeps a duplicate of the query point (distance 0) and never the point itself', () => {
    const rows = [0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0];
    const X = new Float64Array(rows);
    const g = exactKnn(X, 4, 3, 2);
    // rows 0 and 2 coincide; row 1 is at squared distance 1 from rows 0, 2 and 3 (ties: 0 and 2 win)
    expect(Array.from(g.indices)).toEqual([2, 1, 0, 2, 0, 1, 1, 0]);
    expect(Array.from(g.distances)).toEqual([0, 1, 1, 1, 0, 1, 1, 4]);
  });

  it('query version equals the brute force (rows of X among the queries give distance 0)', () => {
    const n = 400;
    const d = 20;
    const X = hardData(n, d, 9);
    const rng = new Rng(4);
    const m = 50;
    const Q = new Float64Array(m * d);
    for (let i = 0; i < m; i++) {
      if (i % 2 === 0) Q.set(X.subarray(i * 3 * d, i * 3 * d + d), i * d);
      else for (let t = 0; t < d; t++) Q[i * d + t] = rng.normal() * 100;
    }
    const g = exactKnnQuery(Q, m, X, n, d, 25);
    const r = reference(Q, m, X, n, d, 25, false);
    expect(Array.from(g.indices)).toEqual(Array.from(r.indices));
    expect(Array.from(g.distances)).toEqual(Array.from(r.distances));
    expect(g.distances[0]).toBe(0);
    expect(g.indices[0]).toBe(0);
  });

  it('equals the brute force on random data large enough for the sampled first guess', () => {
    const n = 3000;
    const d = 12;
    const rng = new Rng(21);
    const X = new Float64Array(n * d);
    rng.fillNormal(X, 0, 1);
    // quantise half the coordinates so that many distances tie exactly
    for (let t = 0; t < X.length; t += 2) X[t] = Math.round(X[t]! * 2) / 2;
    const k = 30;
    const g = exactKnn(X, n, d, k);
    const sub = 200; // reference for every 15th row
    const Q = new Float64Array(sub * d);
    for (let q = 0; q < sub; q++) Q.set(X.subarray(q * 15 * d, q * 15 * d + d), q * d);
    const all = reference(Q, sub, X, n, d, k + 1, false);
    for (let q = 0; q < sub; q++) {
      const i = q * 15;
      const want: number[] = [];
      const wantD: number[] = [];
      for (let t = 0; t < k + 1 && want.length < k; t++) {
        const j = all.indices[q * (k + 1) + t]!;
        if (j === i) continue;
        want.push(j);
        wantD.push(all.distances[q * (k + 1) + t]!);
      }
      expect(Array.from(g.indices.subarray(i * k, i * k + k))).toEqual(want);
      expect(Array.from(g.distances.subarray(i * k, i * k + k))).toEqual(wantD);
    }
  }, 30_000);
});

describe('exact k-NN at extreme scales (float32 screen: centred, scaled by a power of two)', () => {
  const backends = ['ts', 'wasm'] as const;
  const expectSame = (g: { indices: Int32Array; distances: Float64Array }, r: typeof g): void => {
    expect(Array.from(g.indices)).toEqual(Array.from(r.indices));
    expect(Array.from(g.distances)).toEqual(Array.from(r.distances));
  };

  it('equals the float64 brute force for data ×1e20, ×1e-22, ×1e-160, ×1e-300, ×1e200 on both backends', () => {
    // ×1e20: float32 squares overflowed (Infinity norms, rows filled from stale buffers); ×1e-22:
    // subnormal float32 squares; ×1e-160: float64 distances subnormal; ×1e-300: float64 distances
    // all 0 (ties by index); ×1e200: float64 distances Infinity (ties by index)
    try {
      for (const be of backends) {
        setBackend(be);
        for (const scale of [1e20, 1e-22, 1e-160, 1e-300, 1e200]) {
          const n = 300;
          const d = 3;
          const k = 5;
          const rng = new Rng(77);
          const X = new Float64Array(n * d);
          for (let t = 0; t < X.length; t++) X[t] = rng.uniform() * scale;
          expectSame(exactKnn(X, n, d, k), reference(X, n, X, n, d, k, true));
        }
      }
    } finally {
      setBackend('wasm');
    }
  });

  it('equals the brute force for data far from the origin (1e6 + O(1), 1e8 + O(1)) on both backends', () => {
    try {
      for (const be of backends) {
        setBackend(be);
        for (const [off, d] of [
          [1e6, 2],
          [1e6, 10],
          [1e8, 3],
        ] as const) {
          const n = 400;
          const k = 7;
          const rng = new Rng(off + d);
          const X = new Float64Array(n * d);
          for (let t = 0; t < X.length; t++) X[t] = off + rng.normal();
          expectSame(exactKnn(X, n, d, k), reference(X, n, X, n, d, k, true));
        }
      }
    } finally {
      setBackend('wasm');
    }
  });

  it('queries near the centre among tiny references, one far query setting the scale (subnormal float32)', () => {
    // the far query fixes the scale, so the other distances are float32 subnormals (~1e-44): only
    // the absolute term of the margin keeps the right candidates (without it, 161 wrong entries on wasm)
    try {
      for (const be of backends) {
        setBackend(be);
        for (const tiny of [1e-21, 1e-22, 1e-23]) {
          const n = 300;
          const m = 40;
          const d = 3;
          const k = 8;
          const rng = new Rng(5);
          const X = new Float64Array(n * d);
          for (let t = 0; t < X.length; t++) X[t] = rng.normal() * tiny;
          const Q = new Float64Array(m * d);
          for (let t = 0; t < Q.length; t++) Q[t] = rng.normal() * tiny;
          Q[0] = 1;
          expectSame(exactKnnQuery(Q, m, X, n, d, k), reference(Q, m, X, n, d, k, false));
        }
      }
    } finally {
      setBackend('wasm');
    }
  });

  it('never fills a row from stale buffers: non-finite coordinates get the float64 brute force', () => {
    const n = 50;
    const d = 2;
    const k = 4;
    const rng = new Rng(6);
    const X = new Float64Array(n * d);
    for (let t = 0; t < X.length; t++) X[t] = rng.normal();
    X[7] = Infinity;
    const g = exactKnn(X, n, d, k);
    // the column mean is Infinity: the plain float64 brute force runs (its distances are NaN/Infinity
    // where that row takes part; the rows are what sqDist64 gives, in index order among equals)
    for (let i = 0; i < n; i++)
      for (let t = 0; t < k; t++) {
        const j = g.indices[i * k + t]!;
        expect(j).not.toBe(i);
        expect(Object.is(g.distances[i * k + t], sqDist64(X, i * d, X, j * d, d))).toBe(true);
      }
  });
});

describe('approximate k-NN', () => {
  it('recall >= 0.99 against the exact graph on clustered data (seed 2), deterministic, rows sorted', () => {
    const n = 3000;
    const d = 20;
    const k = 30;
    const rng = new Rng(8);
    const C = new Float64Array(12 * d);
    rng.fillNormal(C, 0, 4);
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < d; t++) X[i * d + t] = C[(i % 12) * d + t]! + rng.normal();
    const ex = exactKnn(X, n, d, k);
    const ap = approxKnn(X, n, d, k, { seed: 2 });
    let hit = 0;
    for (let i = 0; i < n; i++) {
      const s = new Set(ex.indices.subarray(i * k, i * k + k));
      for (let t = 0; t < k; t++) {
        const j = ap.indices[i * k + t]!;
        if (s.has(j)) hit++;
        expect(j).not.toBe(i);
        // distances are exact float64 values of the pairs they name
        expect(Math.abs(ap.distances[i * k + t]! - sqDist64(X, i * d, X, j * d, d))).toBeLessThanOrEqual(
          1e-9 * (1 + ap.distances[i * k + t]!),
        );
        if (t > 0) expect(ap.distances[i * k + t]!).toBeGreaterThanOrEqual(ap.distances[i * k + t - 1]!);
      }
    }
    const recall = hit / (n * k);
    expect(recall).toBeGreaterThanOrEqual(0.99); // 0.9959 at this seed
    const again = approxKnn(X, n, d, k, { seed: 2 });
    expect(Array.from(again.indices)).toEqual(Array.from(ap.indices));
    expect(Array.from(again.distances)).toEqual(Array.from(ap.distances));
  }, 30_000);
});
