import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AgglomerativeClustering, linkage, leavesList, type Linkage } from '../../src/cluster/index.js';
import { Rng } from '../../src/core/rng.js';

const fx = JSON.parse(
  readFileSync(new URL('../fixtures/cluster/agglomerative.json', import.meta.url), 'utf8'),
) as {
  X: number[][];
  methods: Record<
    string,
    {
      Z: number[][];
      fcluster4: number[];
      sklearnLabels4?: number[];
      threshold?: number;
      sklearnThresholdLabels?: number[];
    }
  >;
};

/** Same partition (labels equal up to renaming). */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]!) ?? b[i]) !== b[i] || (ba.get(b[i]!) ?? a[i]) !== a[i]) return false;
    ab.set(a[i]!, b[i]!);
    ba.set(b[i]!, a[i]!);
  }
  return true;
}

describe('linkage vs scipy', () => {
  for (const [method, ref] of Object.entries(fx.methods)) {
    it(`${method}: linkage matrix equals scipy's (ids, sizes exactly; heights 1e-10)`, () => {
      const Z = linkage(fx.X, method as Linkage);
      expect(Z.rows).toBe(ref.Z.length);
      for (let r = 0; r < Z.rows; r++) {
        expect(Z.get(r, 0)).toBe(ref.Z[r]![0]);
        expect(Z.get(r, 1)).toBe(ref.Z[r]![1]);
        expect(Math.abs(Z.get(r, 2) - ref.Z[r]![2]!)).toBeLessThan(1e-10 * Math.max(1, ref.Z[r]![2]!));
        expect(Z.get(r, 3)).toBe(ref.Z[r]![3]);
      }
    });
    it(`${method}: 4 clusters equal scipy fcluster (as partitions) and scikit-learn labels`, () => {
      const ag = new AgglomerativeClustering({ nClusters: 4, linkage: method as Linkage }).fit(fx.X);
      expect(ag.nClustersFound).toBe(4);
      if (method !== 'centroid' && method !== 'median')
        expect(samePartition(ag.labels, ref.fcluster4)).toBe(true);
      // scikit-learn builds single linkage with its own MST, whose merge order (and so its label
      // numbering) differs from scipy's; the partition is the same.
      const same = (a: Int32Array, b: number[]) =>
        method === 'single' ? expect(samePartition(a, b)).toBe(true) : expect(Array.from(a)).toEqual(b);
      if (ref.sklearnLabels4) same(ag.labels, ref.sklearnLabels4);
      if (ref.sklearnThresholdLabels) {
        const t = new AgglomerativeClustering({
          distanceThreshold: ref.threshold!,
          linkage: method as Linkage,
        }).fit(fx.X);
        expect(t.nClustersFound).toBe(20); // 19 merges above the threshold
        same(t.labels, ref.sklearnThresholdLabels);
      }
    });
  }
});

describe('AgglomerativeClustering properties', () => {
  it('reducible linkages give monotone heights; leaves are a permutation', () => {
    const r = new Rng(3);
    const X = Array.from({ length: 120 }, () => [r.normal(), r.normal(), r.normal()]);
    for (const method of ['single', 'complete', 'average', 'weighted', 'ward'] as const) {
      const Z = linkage(X, method);
      for (let i = 1; i < Z.rows; i++) expect(Z.get(i, 2)).toBeGreaterThanOrEqual(Z.get(i - 1, 2));
      expect(Z.get(Z.rows - 1, 3)).toBe(120);
      const leaves = Array.from(leavesList(Z.data, 120)).sort((a, b) => a - b);
      expect(leaves).toEqual(Array.from({ length: 120 }, (_, i) => i));
    }
  });

  it('hand example: single linkage on a line', () => {
    const Z = linkage([[0], [1], [3], [7]], 'single');
    expect(Z.toArray()).toEqual([
      [0, 1, 1, 2],
      [2, 4, 2, 3],
      [3, 5, 4, 4],
    ]);
    const W = linkage([[0], [1], [3], [7]], 'ward');
    // ward height of merging {0,1} with {3}: sqrt(2·2·1/3)·‖0.5 − 3‖ = 2.5·sqrt(4/3)
    expect(W.get(1, 2)).toBeCloseTo(2.5 * Math.sqrt(4 / 3), 12);
  });

  it('identical points merge at height 0; bad options are named', () => {
    const ag = new AgglomerativeClustering({ nClusters: 2 }).fit([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(Array.from(ag.distances)).toEqual([0, 0]);
    expect(() => new AgglomerativeClustering({ nClusters: 8 }).fit([[1], [2], [3], [4], [5]])).toThrow(
      'nSamples=5 must be >= nClusters=8',
    );
    expect(() => new AgglomerativeClustering({ nClusters: 2, distanceThreshold: 1 })).toThrow(
      'exactly one of nClusters and distanceThreshold',
    );
    expect(() => new AgglomerativeClustering({ linkage: 'foo' as Linkage })).toThrow(
      "The 'linkage' option of AgglomerativeClustering must be one of",
    );
  });
});

describe('linkage vs scipy on 300 random points', () => {
  const large = (fx as unknown as { large: { X: number[][]; Z: Record<string, number[][]> } }).large;
  for (const [method, Zref] of Object.entries(large.Z)) {
    it(`${method}`, () => {
      const Z = linkage(large.X, method as Linkage);
      let maxRel = 0;
      let idMismatch = 0;
      for (let r = 0; r < Z.rows; r++) {
        if (Z.get(r, 0) !== Zref[r]![0] || Z.get(r, 1) !== Zref[r]![1] || Z.get(r, 3) !== Zref[r]![3])
          idMismatch++;
        maxRel = Math.max(maxRel, Math.abs(Z.get(r, 2) - Zref[r]![2]!) / Math.max(1e-12, Zref[r]![2]!));
      }
      expect(idMismatch).toBe(0);
      expect(maxRel).toBeLessThan(1e-9);
    });
  }
});
