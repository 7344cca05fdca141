import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { binarySearchPerplexity } from '../../src/manifold/affinity.js';

/** scikit-learn's _binary_search_perplexity, step by step (the reference the fast search replays). */
function plain(D: Float64Array, n: number, m: number, perplexity: number, dense: boolean) {
  const P = new Float64Array(n * m);
  const beta = new Float64Array(n);
  const err = new Float64Array(n);
  const desired = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let lo = -Infinity;
    let hi = Infinity;
    let b = 1;
    let diff = 0;
    for (let step = 0; step < 100; step++) {
      let s = 0;
      for (let j = 0; j < m; j++) {
        const p = dense && j === i ? 0 : Math.exp(-D[i * m + j]! * b);
        P[i * m + j] = p;
        s += p;
      }
      if (s === 0) s = 1e-8;
      let sdp = 0;
      for (let j = 0; j < m; j++) {
        P[i * m + j]! /= s;
        sdp += D[i * m + j]! * P[i * m + j]!;
      }
      diff = Math.log(s) + b * sdp - desired;
      if (Math.abs(diff) <= 1e-5) break;
      if (diff > 0) {
        lo = b;
        b = hi === Infinity ? b * 2 : (b + hi) / 2;
      } else {
        hi = b;
        b = lo === -Infinity ? b / 2 : (b + lo) / 2;
      }
    }
    beta[i] = b;
    err[i] = Math.abs(diff);
  }
  return { P, beta, err };
}

/** Sorted squared distances of n rows to m neighbours with row-dependent scales (1e-3 .. 1e3). */
function knnRows(n: number, m: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const D = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const scale = 10 ** (rng.uniform() * 6 - 3);
    const row = Array.from({ length: m }, () => scale * (rng.uniform() + 0.2 * rng.normal() ** 2));
    row.sort((a, b) => a - b);
    if (i % 10 === 0) row[0] = 0; // a duplicate point
    if (i % 10 === 1) row[m - 1] = row[m - 2] = row[m - 3]!; // ties
    D.set(row, i * m);
  }
  return D;
}

function expectSameSearch(
  got: ReturnType<typeof binarySearchPerplexity>,
  ref: ReturnType<typeof plain>,
): void {
  // the same final beta (scikit-learn's sequence replayed exactly), P to rounding
  expect(Array.from(got.beta)).toEqual(Array.from(ref.beta));
  for (let t = 0; t < ref.P.length; t++)
    expect(Math.abs(got.P[t]! - ref.P[t]!)).toBeLessThanOrEqual(1e-13 * ref.P[t]! + 1e-300);
  for (let i = 0; i < ref.err.length; i++)
    expect(Math.abs(got.entropyError[i]! - ref.err[i]!)).toBeLessThanOrEqual(1e-12);
}

describe('perplexity search', () => {
  it('ends at the same beta as the step-by-step search on k-NN rows (scales 1e-3..1e3, ties, zeros)', () => {
    const n = 400;
    for (const [m, perp] of [
      [91, 30],
      [16, 5],
      [151, 50],
    ] as const) {
      const D = knnRows(n, m, m);
      const got = binarySearchPerplexity(D, n, m, perp);
      const ref = plain(D, n, m, perp, false);
      expectSameSearch(got, ref);
      for (let i = 0; i < n; i++) expect(got.entropyError[i]!).toBeLessThanOrEqual(1e-5);
    }
  });

  it('dense rows skip the point itself; unreachable targets fall back to the plain search', () => {
    const n = 60;
    const rng = new Rng(3);
    const X = new Float64Array(n * 2);
    rng.fillNormal(X, 0, 1);
    const D = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        D[i * n + j] = (X[2 * i]! - X[2 * j]!) ** 2 + (X[2 * i + 1]! - X[2 * j + 1]!) ** 2;
    expectSameSearch(binarySearchPerplexity(D, n, n, 10, true), plain(D, n, n, 10, true));
    // all neighbours at the same distance: perplexity 8 cannot be reached with 5 candidates
    const E = new Float64Array(3 * 5).fill(2);
    const got = binarySearchPerplexity(E, 3, 5, 8);
    expectSameSearch(got, plain(E, 3, 5, 8, false));
    expect(got.P[0]).toBeCloseTo(0.2, 15);
    expect(got.entropyError[0]).toBeCloseTo(Math.log(8 / 5), 12);
  });
});
