import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Matrix } from '../../src/core/matrix.js';
import {
  adjustedMutualInfo,
  adjustedRandIndex,
  calinskiHarabasz,
  contingencyTable,
  daviesBouldin,
  fowlkesMallows,
  homogeneityCompletenessVMeasure,
  inertia,
  knnPreservation,
  logFactorial,
  mutualInfoScore,
  normalizedMutualInfo,
  oneNnAccuracy,
  purity,
  silhouetteSamples,
  silhouetteScore,
  trustworthiness,
} from '../../src/metrics/index.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8'));

/** |a − b| <= tol · max(1, |b|). */
function close(a: number, b: number, tol = 1e-10, what = ''): void {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

describe('label-comparison metrics vs scikit-learn', () => {
  const { cases } = fixture('labels.json');
  for (const c of cases) {
    it(c.name, () => {
      close(adjustedRandIndex(c.a, c.b), c.ari, 1e-10, 'ARI');
      for (const m of ['arithmetic', 'geometric', 'min', 'max'] as const) {
        close(normalizedMutualInfo(c.a, c.b, { average: m }), c.nmi[m], 1e-10, `NMI ${m}`);
      }
      close(mutualInfoScore(c.a, c.b), c.mi, 1e-10, 'MI');
      close(adjustedMutualInfo(c.a, c.b), c.ami, 1e-9, 'AMI');
      const h = homogeneityCompletenessVMeasure(c.a, c.b);
      close(h.homogeneity, c.homogeneity, 1e-10, 'homogeneity');
      close(h.completeness, c.completeness, 1e-10, 'completeness');
      close(h.vMeasure, c.vMeasure, 1e-10, 'V');
      close(fowlkesMallows(c.a, c.b), c.fowlkesMallows, 1e-10, 'FM');
      close(purity(c.a, c.b), c.purity, 1e-12, 'purity');
      if (c.contingency) {
        expect(contingencyTable(c.a, c.b)).toEqual({
          counts: c.contingency,
          rowLabels: c.rowLabels,
          colLabels: c.colLabels,
        });
      }
    });
  }

  it('NMI (arithmetic) equals the V-measure, and ARI/NMI are symmetric and permutation-invariant', () => {
    const c = cases[0];
    close(normalizedMutualInfo(c.a, c.b), homogeneityCompletenessVMeasure(c.a, c.b).vMeasure, 1e-14);
    expect(adjustedRandIndex(c.b, c.a)).toBe(adjustedRandIndex(c.a, c.b));
    const relabelled = c.b.map((v: number) => 100 - 7 * v);
    close(adjustedRandIndex(c.a, relabelled), c.ari, 1e-15);
    close(normalizedMutualInfo(c.a, relabelled), c.nmi.arithmetic, 1e-15);
  });

  it('handles one cluster per sample for large n without a dense table (sparse contingency)', () => {
    const n = 20000;
    const a = Int32Array.from({ length: n }, (_, i) => i % 10);
    const b = Int32Array.from({ length: n }, (_, i) => i);
    // ARI of singletons vs 10 classes: tp = 0, so ARI = 2(0·tn − fn·0)/(...) = 0.
    expect(adjustedRandIndex(a, b)).toBe(0);
    expect(purity(a, b)).toBe(1);
    close(normalizedMutualInfo(a, b), (2 * Math.log(10)) / (Math.log(10) + Math.log(n)), 1e-12);
  });

  it('ARI stays exact beyond 2^53 pair products', () => {
    const n = 200000;
    const a = Int32Array.from({ length: n }, (_, i) => i % 7);
    expect(adjustedRandIndex(a, a)).toBe(1);
    const b = Int32Array.from({ length: n }, (_, i) => (i % 7) + (i % 2) * 7);
    const v = adjustedRandIndex(a, b);
    expect(v).toBeGreaterThan(0.4);
    expect(v).toBeLessThan(1);
  });

  it('validates inputs with named errors', () => {
    expect(() => adjustedRandIndex([0, 1, 1, 0, 0, 1, 1, 0, 0, 1], [0, 1, 1, 0, 0, 1, 1, 0, 0])).toThrow(
      'labelsTrue and labelsPred have different lengths: 10 vs 9',
    );
    expect(() => normalizedMutualInfo([0, NaN], [0, 1])).toThrow(
      'labelsTrue has a non-finite or non-number value at index 1: NaN',
    );
    expect(() => purity([], [])).toThrow('labelsTrue is empty');
    expect(() => normalizedMutualInfo([0, 1], [0, 1], { average: 'mean' as never })).toThrow(
      `The 'average' option of normalizedMutualInfo must be one of "arithmetic", "geometric", "min", "max"; got "mean".`,
    );
    expect(() => contingencyTable([0, 1], [0, 'x' as never])).toThrow(ValidationError);
  });

  it('logFactorial is accurate on both sides of the switch to Stirling', () => {
    for (const k of [0, 1, 5, 20, 21, 22, 30]) {
      let f = 0;
      for (let i = 2; i <= k; i++) f += Math.log(i);
      close(logFactorial(k), f, 1e-14, `k=${k}`);
    }
  });
});

describe('silhouette vs scikit-learn', () => {
  const { cases } = fixture('silhouette.json');
  for (const c of cases) {
    it(c.name, () => {
      close(silhouetteScore(c.X, c.labels), c.score, 1e-10, 'score');
      const s = silhouetteSamples(c.X, c.labels);
      s.forEach((v, i) => close(v, c.samples[i], 1e-10, `sample ${i}`));
    });
  }

  it('sampled: deterministic per seed, close to exact, exact when sampleSize >= n', () => {
    const c = cases[0];
    const a = silhouetteScore(c.X, c.labels, { sampleSize: 100, seed: 3 });
    expect(silhouetteScore(c.X, c.labels, { sampleSize: 100, seed: 3 })).toBe(a);
    expect(silhouetteScore(c.X, c.labels, { sampleSize: 100, seed: 4 })).not.toBe(a);
    expect(Math.abs(a - c.score)).toBeLessThan(0.1);
    close(silhouetteScore(c.X, c.labels, { sampleSize: 1000 }), c.score, 1e-10);
  });

  it('matches a hand computation and accepts a float32 Matrix', () => {
    const X = Matrix.fromRows([[0], [1], [10], [11]], 'float32');
    const s = silhouetteSamples(X, [0, 0, 1, 1]);
    close(s[0]!, (10.5 - 1) / 10.5, 1e-12);
    close(s[1]!, (9.5 - 1) / 9.5, 1e-12);
  });

  it('validates labels', () => {
    expect(() => silhouetteScore([[0], [1], [2]], [0, 0, 0])).toThrow(
      'silhouetteScore needs 2 <= number of labels <= nSamples - 1; got 1 labels for nSamples=3',
    );
    expect(() => silhouetteScore([[0], [1], [2]], [0, 1])).toThrow('labels has 2 entries but X has 3 rows');
    expect(() => silhouetteScore([[0], [NaN]], [0, 1])).toThrow('X has NaN at row 1, column 0');
    expect(() => silhouetteScore([[0], [1], [2]], [0, 1, 1], { sampleSize: 1 })).toThrow(
      "The 'sampleSize' option of silhouetteScore must be an integer >= 2; got 1.",
    );
  });
});

describe('embedding metrics', () => {
  const { trustworthiness: cases, oneNn } = fixture('embedding.json');
  for (const c of cases) {
    it(`trustworthiness ${c.name} vs scikit-learn`, () => {
      close(trustworthiness(c.X, c.Y, c.k), c.trustworthiness, 1e-10);
    });
  }

  it('1-NN accuracy vs KNeighborsClassifier(1)', () => {
    close(oneNnAccuracy(oneNn.Ytrain, oneNn.ytrain, oneNn.Ytest, oneNn.ytest), oneNn.accuracy, 1e-12);
  });

  it('leave-one-out 1-NN accuracy on a hand example', () => {
    // Nearest others: 0→1 (same), 1→0 (same), 2→3 (differs), 3→2 (differs), 4→3 (same).
    const Y = [[0], [1], [10], [11], [12.6]];
    expect(oneNnAccuracy(Y, [0, 0, 1, 2, 2])).toBe(3 / 5);
  });

  it('k-NN preservation: 1 for an isometry, hand value otherwise', () => {
    const c = cases[0];
    const rot = c.X.map((r: number[]) => r.map((v: number, j: number) => (j === 0 ? -v : v + 3)));
    expect(knnPreservation(c.X, rot, 5)).toBe(1);
    close(trustworthiness(c.X, rot, 5), 1, 1e-15);
    // 1-D, no ties. X = 0,1,3,6: nearest of each point: 1, 0, 1, 2.
    // Y = 0,1,6,3: nearest: 1, 0, 3, 1. Points 0 and 1 keep their neighbour, 2 and 3 lose it.
    expect(knnPreservation([[0], [1], [3], [6]], [[0], [1], [6], [3]], 1)).toBe(2 / 4);
  });

  it('validates', () => {
    expect(() => trustworthiness([[0], [1], [2], [3]], [[0], [1], [2]], 1)).toThrow(
      'X and Y have different numbers of rows: 4 vs 3',
    );
    expect(() => trustworthiness([[0], [1], [2], [3]], [[0], [1], [2], [3]], 2)).toThrow(
      'trustworthiness: k=2 must be < nSamples / 2 = 2',
    );
    expect(() => knnPreservation([[0], [1]], [[0], [1]], 2)).toThrow(
      'knnPreservation: k=2 must be <= nSamples - 1 = 1',
    );
    expect(() => oneNnAccuracy([[0], [1]], [0, 1], [[0, 1]], [0])).toThrow(
      'Ytest has 2 columns but Ytrain has 1',
    );
    expect(() => oneNnAccuracy([[0], [1]], [0])).toThrow('ytrain has 1 entries but Ytrain has 2 rows');
  });
});

describe('internal indices vs scikit-learn', () => {
  const { cases } = fixture('internal.json');
  for (const c of cases) {
    it(c.name, () => {
      close(
        inertia(
          c.X,
          c.labels.map((v: number) => [...new Set(c.labels)].sort().indexOf(v)),
          c.centers,
        ),
        c.inertia,
        1e-10,
      );
      close(daviesBouldin(c.X, c.labels), c.daviesBouldin, 1e-10);
      close(calinskiHarabasz(c.X, c.labels), c.calinskiHarabasz, 1e-10);
    });
  }

  it('validates', () => {
    expect(() => inertia([[0, 0]], [1], [[0, 0]])).toThrow('labels[0]=1 is not a row of centers (0..0)');
    expect(() => inertia([[0, 0]], [0], [[0]])).toThrow('centers has 1 columns but X has 2');
    expect(() => daviesBouldin([[0], [1]], [0, 1])).toThrow(
      'daviesBouldin needs 2 <= number of labels <= nSamples - 1; got 2 labels for nSamples=2',
    );
  });
});
