import { describe, expect, it } from 'vitest';
import { Matrix, Rng, toMatrix, validateOptions, ValidationError } from '../src/core/index.js';

describe('Rng (PCG32)', () => {
  it('matches the reference pcg32 sequence for seed 42, stream 54', () => {
    const r = new Rng(42, 54);
    const got = Array.from({ length: 6 }, () => r.nextU32().toString(16));
    expect(got).toEqual(['a15c02b7', '7b47f409', 'ba1d3330', '83d2f293', 'bfa4784b', 'cbed606e']);
  });

  it('gives negative seeds their own streams', () => {
    const a = new Rng(-1).nextU32();
    const b = new Rng(2 ** 32 - 1).nextU32();
    const c = new Rng(1).nextU32();
    expect(a).not.toBe(b);
    expect(a).not.toBe(c);
    expect(new Rng(-1).nextU32()).toBe(a);
  });

  it('is reproducible and restorable', () => {
    const a = new Rng(5);
    a.normal();
    const s = a.state();
    const x = [a.random(), a.normal(), a.int(10)];
    const b = Rng.restore(s);
    expect([b.random(), b.normal(), b.int(10)]).toEqual(x);
  });

  it('draws uniforms in [0,1) and normals with the right moments', () => {
    const r = new Rng(1);
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.random();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it('choice follows the weights; int is unbiased', () => {
    const r = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.choice([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.8);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.2);
    const perm = r.permutation(10);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('Matrix', () => {
  it('transposes and slices as views', () => {
    const M = Matrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(M.T.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(M.T.isColMajor()).toBe(true);
    expect(M.rowSlice(1, 2).toArray()).toEqual([[4, 5, 6]]);
    M.T.set(2, 0, 9);
    expect(M.get(0, 2)).toBe(9);
  });
});

describe('toMatrix', () => {
  it('names the problem', () => {
    expect(() => toMatrix([[1, NaN]])).toThrow('X has NaN at row 0, column 1');
    expect(() => toMatrix([[1, 2], [3]], 'Y')).toThrow('Y is ragged: row 1 has 1 values, expected 2');
    expect(() => toMatrix([])).toThrow('X is empty: it has no rows');
    expect(() => toMatrix({ data: [1, 2, 3], shape: [2, 2] })).toThrow(
      'X.data has 3 values but shape [2, 2] needs 4',
    );
    expect(() => toMatrix([[1, 2]], 'X', { minSamples: 2 })).toThrow(
      'X has 1 samples; at least 2 are needed',
    );
  });
});

describe('toMatrix packing', () => {
  it('copies views so that data starts at 0 with stride cols', () => {
    const M = Matrix.fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const v = toMatrix(M.rowSlice(1, 3));
    expect(v.offset).toBe(0);
    expect(Array.from(v.data)).toEqual([3, 4, 5, 6]);
    expect(Array.from(toMatrix(M.T).data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(toMatrix(M)).toBe(M);
  });
});

describe('validateOptions', () => {
  const defaults = { nClusters: 8, tol: 1e-4, init: 'k-means++' as 'k-means++' | 'random' };
  const table = {
    nClusters: { type: 'int', min: 1 },
    tol: { type: 'number', min: 0 },
    init: { type: 'enum', values: ['k-means++', 'random'] },
  } as const;
  it('merges defaults and freezes', () => {
    const o = validateOptions('KMeans', defaults, table, { nClusters: 3 });
    expect(o).toEqual({ nClusters: 3, tol: 1e-4, init: 'k-means++' });
    expect(Object.isFrozen(o)).toBe(true);
  });
  it('gives scikit-learn style messages', () => {
    expect(() => validateOptions('KMeans', defaults, table, { nClusters: 0 })).toThrow(
      "The 'nClusters' option of KMeans must be an integer >= 1; got 0.",
    );
    expect(() => validateOptions('KMeans', defaults, table, { init: 'x' as never })).toThrow(
      `The 'init' option of KMeans must be one of "k-means++", "random"; got "x".`,
    );
    expect(() => validateOptions('KMeans', defaults, table, { ncluster: 3 } as never)).toThrow(
      ValidationError,
    );
  });
});
