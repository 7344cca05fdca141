import { describe, expect, it } from 'vitest';
import { BernoulliMixture } from '../../src/cluster/index.js';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { loadMnist } from '../../src/datasets/index.js';

/** Binary data from 3 planted components of 20 pixels. */
function planted(n: number, seed: number) {
  const r = new Rng(seed);
  const mu = [0, 1, 2].map((c) => Array.from({ length: 20 }, (_, j) => (j % 3 === c ? 0.85 : 0.1)));
  const y = new Int32Array(n);
  const X = new Float64Array(n * 20);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 20; j++) X[i * 20 + j] = r.random() < mu[y[i]!]![j]! ? 1 : 0;
  }
  return { X: new Matrix(X, n, 20), y };
}

describe('BernoulliMixture', () => {
  it('scoreSamples equals the direct product formula', () => {
    const { X } = planted(90, 1);
    const m = new BernoulliMixture({ nComponents: 3, seed: 2 }).fit(X);
    const s = m.scoreSamples(X);
    for (let i = 0; i < 5; i++) {
      let p = 0;
      for (let c = 0; c < 3; c++) {
        let q = m.weights[c]!;
        for (let j = 0; j < 20; j++) {
          const mu = m.means.get(c, j);
          q *= X.get(i, j) === 1 ? mu : 1 - mu;
        }
        p += q;
      }
      expect(s[i]).toBeCloseTo(Math.log(p), 10);
    }
  });

  it('the penalised objective never decreases; planted components are found', () => {
    const { X, y } = planted(300, 4);
    for (const initParams of ['random', 'kmeans', 'random_from_data'] as const) {
      const m = new BernoulliMixture({ nComponents: 3, initParams, tol: 0, maxIter: 30, seed: 1 }).fit(X);
      const h = m.objectiveHistory;
      for (let i = 1; i < h.length; i++) expect(h[i]!).toBeGreaterThanOrEqual(h[i - 1]! - 1e-12);
      // each planted class maps to one component
      const map = new Map<number, number>();
      let agree = 0;
      for (let i = 0; i < 300; i++) {
        if (!map.has(y[i]!)) map.set(y[i]!, m.labels[i]!);
        if (map.get(y[i]!) === m.labels[i]) agree++;
      }
      expect(agree / 300).toBeGreaterThan(0.95);
    }
  });

  it('smoothing keeps every probability inside (0, 1): unseen ink gives a finite score', () => {
    const X = [
      [0, 0, 1],
      [0, 0, 1],
      [0, 1, 1],
      [0, 1, 0],
    ];
    const m = new BernoulliMixture({ nComponents: 2, alpha: 1 }).fit(X);
    for (const v of m.means.data) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
    expect(Number.isFinite(m.score([[1, 1, 1]]))).toBe(true);
    // with α = 1 a pixel never on gets μ = 1/(r_k + 2)
    expect(m.means.get(0, 0) * 1).toBeGreaterThan(0.1);
  });

  it("MNIST 3/5/8 binarised: components separate the digits (the notes' example)", () => {
    const { X, y } = loadMnist({ split: 'test', limit: 2000 });
    const keep: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === 3 || y[i] === 5 || y[i] === 8) keep.push(i);
    const B = X.selectRows(keep);
    for (let i = 0; i < B.data.length; i++) B.data[i] = B.data[i]! > 0.5 ? 1 : 0;
    const m = new BernoulliMixture({ nComponents: 3, maxIter: 30, seed: 0 }).fit(B);
    // purity: each component's majority digit
    let correct = 0;
    for (let c = 0; c < 3; c++) {
      const counts = new Map<number, number>();
      keep.forEach((row, i) => {
        if (m.labels[i] === c) counts.set(y[row]!, (counts.get(y[row]!) ?? 0) + 1);
      });
      correct += Math.max(0, ...counts.values());
    }
    // chance is ~0.35 (three near-equal classes); unsupervised BMM reaches ~0.57 on this subset
    expect(correct / keep.length).toBeGreaterThan(0.5);
  });

  it('rejects non-binary input and too many components', () => {
    expect(() =>
      new BernoulliMixture().fit([
        [0, 2],
        [1, 0],
      ]),
    ).toThrow('X must hold binary values (or probabilities in [0, 1]); X[0, 1] = 2');
    expect(() => new BernoulliMixture({ nComponents: 8 }).fit([[1], [0], [1], [0], [1]])).toThrow(
      'nSamples=5 must be >= nComponents=8',
    );
  });
});
