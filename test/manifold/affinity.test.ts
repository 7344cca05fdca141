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
  // the same final beta (scikit-learn's sequence replayed exactly), and P and the entropy error bit
  // for bit (the final evaluation is scikit-learn's formula, in its order)
  expect(Array.from(got.beta)).toEqual(Array.from(ref.beta));
  expect(Array.from(got.P)).toEqual(Array.from(ref.P));
  expect(Array.from(got.entropyError)).toEqual(Array.from(ref.err));
}

/**
 * Adversarial rows: the underflow regime (distances 600..750 at β ~ 1: Σ exp(−βD) subnormal), equal
 * and nearly equal distances, scales 1e-8..1e8, a single neighbour, targets at or near k.
 */
function adversarialRows(): { name: string; D: Float64Array; n: number; m: number; perp: number }[] {
  const rng = new Rng(41);
  const out: { name: string; D: Float64Array; n: number; m: number; perp: number }[] = [];
  const add = (name: string, m: number, perp: number, gen: () => number[], n = 12): void => {
    const D = new Float64Array(n * m);
    for (let i = 0; i < n; i++) D.set(gen(), i * m);
    out.push({ name, D, n, m, perp });
  };
  const sorted = (a: number[]): number[] => a.sort((x, y) => x - y);
  for (const m of [1, 2, 3, 5, 30, 90]) {
    for (const sc of [1e-8, 1e-4, 1, 1e4, 1e8]) {
      add(`equal m${m} ×${sc}`, m, Math.max(1.01, m / 2), () => Array<number>(m).fill(sc));
      add(`random m${m} ×${sc}`, m, Math.max(1.01, m / 3), () =>
        sorted(Array.from({ length: m }, () => sc * rng.uniform())),
      );
      add(`perplexity ~k m${m} ×${sc}`, m, m * (1 - 1e-4 * rng.uniform()), () =>
        sorted(Array.from({ length: m }, () => sc * rng.uniform())),
      );
      add(`perplexity k m${m} ×${sc}`, m, m, () =>
        sorted(Array.from({ length: m }, () => sc * rng.uniform())),
      );
    }
    for (const d0 of [600, 700, 730, 740, 745, 750]) {
      add(`underflow ${d0} m${m}`, m, Math.max(1.01, 1 + (m - 1) * rng.uniform()), () =>
        sorted(Array.from({ length: m }, () => d0 + 3 * rng.uniform())),
      );
      add(`underflow near-ties ${d0} m${m}`, m, Math.max(1.01, 1 + (m - 1) * rng.uniform()), () =>
        sorted(Array.from({ length: m }, (_, j) => (j < m / 2 ? d0 : d0 + 1e-3 * rng.uniform()))),
      );
    }
    add(`spread 1e-8..1e8 m${m}`, m, Math.max(1.01, m / 2), () =>
      sorted(Array.from({ length: m }, () => 10 ** (16 * rng.uniform() - 8))),
    );
  }
  return out;
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

  it('subnormal sums (distances ~740 at beta ~1) end where the step-by-step search ends', () => {
    // the review's repro: the certification trusted rounding noise and stopped at 1.0060109805732038
    const D = new Float64Array([740.621, 740.681, 741.279]);
    const got = binarySearchPerplexity(D, 1, 3, 1.86);
    expect(got.beta[0]).toBe(1.0060924806371156);
    expectSameSearch(got, plain(D, 1, 3, 1.86, false));
  });

  it('adversarial rows: underflow, equal distances, scales 1e-8..1e8, one neighbour, perplexity ~k', () => {
    for (const c of adversarialRows()) {
      const got = binarySearchPerplexity(c.D, c.n, c.m, c.perp);
      const ref = plain(c.D, c.n, c.m, c.perp, false);
      try {
        expectSameSearch(got, ref);
      } catch (e) {
        throw new Error(`${c.name}: ${String(e)}`);
      }
    }
  });

  it('the result of a row does not depend on the rows before it (the carried Newton start)', () => {
    const rows = adversarialRows().filter((c) => c.m === 30);
    const m = 30;
    const n = rows.reduce((a, c) => a + c.n, 0);
    const D = new Float64Array(n * m);
    let q = 0;
    for (const c of rows) {
      D.set(c.D, q * m);
      q += c.n;
    }
    const perp = 7;
    const batch = binarySearchPerplexity(D, n, m, perp);
    // reversed order: every row starts from a different neighbour's root
    const R = new Float64Array(n * m);
    for (let i = 0; i < n; i++) R.set(D.subarray(i * m, i * m + m), (n - 1 - i) * m);
    const rev = binarySearchPerplexity(R, n, m, perp);
    for (let i = 0; i < n; i++) {
      const alone = binarySearchPerplexity(D.slice(i * m, i * m + m), 1, m, perp);
      expect(batch.beta[i]).toBe(alone.beta[0]);
      expect(rev.beta[n - 1 - i]).toBe(alone.beta[0]);
      expect(Array.from(batch.P.subarray(i * m, i * m + m))).toEqual(Array.from(alone.P));
    }
    expectSameSearch(batch, plain(D, n, m, perp, false));
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
