import { describe, expect, it } from 'vitest';
import {
  makeBlobs,
  makeBrokenSwissRoll,
  makeCircles,
  makeHelix,
  makeMoons,
  makeSpiral,
  makeSwissRoll,
  makeTwinPeaks,
} from '../../src/datasets/index.js';

function stats(a: ArrayLike<number>) {
  let min = Infinity;
  let max = -Infinity;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    min = Math.min(min, a[i]!);
    max = Math.max(max, a[i]!);
    s += a[i]!;
  }
  return { min, max, mean: s / a.length };
}

const generators = {
  makeBlobs,
  makeSwissRoll,
  makeBrokenSwissRoll,
  makeTwinPeaks,
  makeHelix,
  makeSpiral,
  makeMoons,
  makeCircles,
};

describe('synthetic data sets', () => {
  for (const [name, gen] of Object.entries(generators)) {
    it(`${name}: deterministic per seed, finite, right sizes`, () => {
      const a = (gen as (o: object) => { X: { data: Float64Array; rows: number } })({
        nSamples: 101,
        noise: 0.05,
        seed: 7,
      });
      const b = (gen as (o: object) => { X: { data: Float64Array } })({
        nSamples: 101,
        noise: 0.05,
        seed: 7,
      });
      const c = (gen as (o: object) => { X: { data: Float64Array } })({
        nSamples: 101,
        noise: 0.05,
        seed: 8,
      });
      expect(a.X.rows).toBe(101);
      expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
      expect(Array.from(a.X.data)).not.toEqual(Array.from(c.X.data));
      expect(a.X.data.every(Number.isFinite)).toBe(true);
    });
  }

  it('makeBlobs: even split, points near their centre, given centres honoured', () => {
    const { X, y, centers } = makeBlobs({
      nSamples: 301,
      centers: 3,
      nFeatures: 4,
      clusterStd: 0.5,
      seed: 1,
    });
    expect([X.rows, X.cols, centers.rows, centers.cols]).toEqual([301, 4, 3, 4]);
    const counts = [0, 0, 0];
    for (const v of y) counts[v]!++;
    expect(counts).toEqual([101, 100, 100]);
    for (let i = 0; i < X.rows; i++) {
      let d2 = 0;
      for (let j = 0; j < 4; j++) d2 += (X.get(i, j) - centers.get(y[i]!, j)) ** 2;
      expect(Math.sqrt(d2)).toBeLessThan(0.5 * 6);
    }
    const fixed = makeBlobs({
      nSamples: 4,
      centers: [
        [0, 0],
        [100, 100],
      ],
      clusterStd: 0,
      shuffle: false,
    });
    expect(fixed.X.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [100, 100],
      [100, 100],
    ]);
    expect(Array.from(fixed.y)).toEqual([0, 0, 1, 1]);
    expect(makeBlobs({ nSamples: 10, noise: 0, centers: [[1, 2]] }).X.toArray()[0]).toEqual([1, 2]);
  });

  it('makeSwissRoll: points on the roll x = t cos t, z = t sin t, t in [1.5π, 4.5π]', () => {
    const { X, t, manifold } = makeSwissRoll({ nSamples: 500, seed: 2 });
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(1.5 * Math.PI);
    expect(s.max).toBeLessThanOrEqual(4.5 * Math.PI);
    for (let i = 0; i < 500; i++) {
      expect(X.get(i, 0)).toBeCloseTo(t[i]! * Math.cos(t[i]!), 12);
      expect(X.get(i, 2)).toBeCloseTo(t[i]! * Math.sin(t[i]!), 12);
      expect(manifold.get(i, 1)).toBe(X.get(i, 1));
    }
    expect(stats(X.col(1)).max).toBeLessThanOrEqual(21);
    const holed = makeSwissRoll({ nSamples: 2000, hole: true, seed: 2 });
    for (let i = 0; i < 2000; i++) {
      const u = (holed.t[i]! / (1.5 * Math.PI) - 1) / 2;
      const v = holed.manifold.get(i, 1) / 21;
      expect(u > 1 / 3 && u < 2 / 3 && v > 1 / 3 && v < 2 / 3).toBe(false);
    }
  });

  it('makeBrokenSwissRoll: the middle fifth of the angle range is empty', () => {
    const { t, y, X } = makeBrokenSwissRoll({ nSamples: 1001, seed: 3 });
    let inner = 0;
    for (let i = 0; i < t.length; i++) {
      const u = (t[i]! / (1.5 * Math.PI) - 1) / 2;
      expect(u < 0.4 || u >= 0.6).toBe(true);
      expect(y[i]).toBe(u < 0.4 ? 0 : 1);
      if (y[i] === 0) inner++;
    }
    expect(inner).toBe(501);
    expect(stats(X.col(1)).max).toBeLessThanOrEqual(30);
  });

  it('makeTwinPeaks: z = 10 sin(πx) tanh(3y) without noise', () => {
    const { X, manifold } = makeTwinPeaks({ nSamples: 200, seed: 4 });
    for (let i = 0; i < 200; i++) {
      const [a, b] = [manifold.get(i, 0), manifold.get(i, 1)];
      expect(Math.abs(a)).toBeLessThanOrEqual(1);
      expect(X.get(i, 2)).toBeCloseTo(10 * Math.sin(Math.PI * a) * Math.tanh(3 * b), 12);
    }
  });

  it('makeHelix: closed curve on a torus', () => {
    const { X } = makeHelix({ nSamples: 100 });
    expect(X.get(99, 0)).toBeCloseTo(3, 12);
    expect(X.get(99, 1)).toBeCloseTo(0, 12);
  });

  it('makeMoons and makeCircles: exact sklearn geometry without noise', () => {
    const m = makeMoons({ nSamples: 7, shuffle: false });
    expect(Array.from(m.y)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(m.X.get(0, 0)).toBe(1);
    expect(m.X.get(2, 0)).toBeCloseTo(-1, 15);
    expect(m.X.get(3, 0)).toBe(0);
    expect(m.X.get(3, 1)).toBe(0.5);
    expect(m.X.get(6, 0)).toBeCloseTo(2, 15);
    const c = makeCircles({ nSamples: 200, factor: 0.5, seed: 1 });
    for (let i = 0; i < 200; i++) {
      expect(Math.hypot(c.X.get(i, 0), c.X.get(i, 1))).toBeCloseTo(c.y[i] === 0 ? 1 : 0.5, 12);
    }
  });

  it('makeSpiral: arms with radius t/tMax, shuffled labels kept aligned', () => {
    const { X, y, t } = makeSpiral({ nSamples: 300, nArms: 3, turns: 2, seed: 5 });
    const tMax = 4 * Math.PI;
    for (let i = 0; i < 300; i++) {
      const th = t[i]! + (2 * Math.PI * y[i]!) / 3;
      expect(X.get(i, 0)).toBeCloseTo((t[i]! / tMax) * Math.cos(th), 12);
      expect(X.get(i, 1)).toBeCloseTo((t[i]! / tMax) * Math.sin(th), 12);
    }
  });

  it('validates options', () => {
    expect(() => makeMoons({ nSamples: 0 })).toThrow(
      "The 'nSamples' option of makeMoons must be an integer >= 1; got 0.",
    );
    expect(() => makeSwissRoll({ noise: -1 })).toThrow(
      "The 'noise' option of makeSwissRoll must be a finite number >= 0; got -1.",
    );
    expect(() => makeCircles({ factor: 1 })).toThrow(
      "The 'factor' option of makeCircles must be a finite number >= 0 and < 1; got 1.",
    );
    expect(() => makeBlobs({ noise: 1, clusterStd: 2 })).toThrow(
      'makeBlobs: give clusterStd or its alias noise, not both',
    );
    expect(() => makeSpiral({ arms: 2 } as never)).toThrow("Unknown option 'arms' for makeSpiral");
  });
});
