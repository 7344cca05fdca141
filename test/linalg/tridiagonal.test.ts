import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { tridiagDC } from '../../src/linalg/tridiag-dc.js';
import { tridiagQL } from '../../src/linalg/tridiag-eig.js';

/** max |T·q − λq| and max |QᵀQ − I| over all pairs. */
function check(d: Float64Array, e: Float64Array): { res: number; orth: number; valErr: number } {
  const n = d.length;
  const { lam, Q } = tridiagDC(d.slice(), e.slice(), n);
  const dd = d.slice();
  tridiagQL(dd, e.slice(), n, null, 0);
  const ref = Array.from(dd).sort((a, b) => a - b);
  let valErr = 0;
  let res = 0;
  let orth = 0;
  for (let j = 0; j < n; j++) {
    valErr = Math.max(valErr, Math.abs(lam[j]! - ref[j]!));
    if (j > 0) expect(lam[j]).toBeGreaterThanOrEqual(lam[j - 1]!);
    for (let i = 0; i < n; i++) {
      let s = d[i]! * Q[i * n + j]!;
      if (i > 0) s += e[i - 1]! * Q[(i - 1) * n + j]!;
      if (i < n - 1) s += e[i]! * Q[(i + 1) * n + j]!;
      res = Math.max(res, Math.abs(s - lam[j]! * Q[i * n + j]!));
    }
    for (let q = 0; q <= j; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[i * n + q]! * Q[i * n + j]!;
      orth = Math.max(orth, Math.abs(s - (q === j ? 1 : 0)));
    }
  }
  return { res, orth, valErr };
}

function norm(d: Float64Array, e: Float64Array): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]!) + 2 * Math.abs(e[i]!));
  return m;
}

describe('tridiagonal divide and conquer', () => {
  const n = 150;
  const rng = new Rng(4);
  const cases: Record<string, [Float64Array, Float64Array]> = {};
  {
    const d = new Float64Array(n).map(() => rng.normal());
    const e = new Float64Array(n).map(() => rng.normal());
    cases.random = [d, e];
  }
  // Wilkinson W+ (pairs of nearly equal eigenvalues), glued copies (clusters), graded, identity,
  // Toeplitz (1, 2, 1) and a diagonal with repeated values: the classic deflation stress tests.
  cases.wilkinson = [
    new Float64Array(n).map((_, i) => Math.abs(i - (n - 1) / 2)),
    new Float64Array(n).fill(1),
  ];
  cases.glued = [
    new Float64Array(n).map((_, i) => Math.abs((i % 21) - 10)),
    new Float64Array(n).map((_, i) => ((i + 1) % 21 === 0 ? 1e-10 : 1)),
  ];
  cases.graded = [
    new Float64Array(n).map((_, i) => Math.pow(10, (-15 * i) / n)),
    new Float64Array(n).map((_, i) => 0.3 * Math.pow(10, (-15 * i) / n)),
  ];
  cases.identity = [new Float64Array(n).fill(1), new Float64Array(n)];
  cases.toeplitz = [new Float64Array(n).fill(2), new Float64Array(n).fill(1)];
  cases.repeated = [
    new Float64Array(n).map((_, i) => i % 3),
    new Float64Array(n).map((_, i) => (i % 4 === 0 ? 1e-13 : 0)),
  ];
  for (const [name, [d, e]] of Object.entries(cases)) {
    it(`gives residual and orthogonality at rounding level: ${name}`, () => {
      e[n - 1] = 0;
      const { res, orth, valErr } = check(d, e);
      const t = norm(d, e);
      expect(res / t).toBeLessThan(1e-14);
      expect(orth).toBeLessThan(1e-13);
      expect(valErr / t).toBeLessThan(1e-13);
    });
  }
});
