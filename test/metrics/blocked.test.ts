/**
 * The metrics work on blocks of rows (never an n×n matrix); with n > 2048 the blocks are smaller than
 * n, so these cases cross block boundaries. Reference: plain O(n²) implementations written here.
 */
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import {
  knnPreservation,
  oneNnAccuracy,
  silhouetteSamples,
  trustworthiness,
} from '../../src/metrics/index.js';

const n = 2100;
const rng = new Rng(11);
const X = Matrix.fromArray(rng.fillNormal(new Float64Array(n * 3)), n, 3);
const Y = Matrix.fromArray(new Float64Array(n * 2), n, 2);
for (let i = 0; i < n; i++) {
  Y.set(i, 0, X.get(i, 0) + 0.3 * rng.normal());
  Y.set(i, 1, X.get(i, 1) * X.get(i, 2));
}
const labels = Int32Array.from({ length: n }, (_, i) => (X.get(i, 0) > 0.5 ? 2 : X.get(i, 1) > 0 ? 1 : 0));

function dist(M: Matrix, i: number, j: number): number {
  let s = 0;
  for (let c = 0; c < M.cols; c++) s += (M.get(i, c) - M.get(j, c)) ** 2;
  return Math.sqrt(s);
}

function row(M: Matrix, i: number): Float64Array {
  const d = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = dist(M, i, j);
  return d;
}

/** 1-based rank of j among the other points by distance from i (ties broken by index). */
function rankOf(d: Float64Array, i: number, j: number): number {
  let r = 1;
  for (let l = 0; l < n; l++) if (l !== i && (d[l]! < d[j]! || (d[l] === d[j] && l < j))) r++;
  return r;
}

describe('metrics across row blocks (n = 2100)', () => {
  it('silhouetteSamples equals the naive double loop', () => {
    const s = silhouetteSamples(X, labels);
    for (const i of [0, 1, 500, 1700, 1701, 2099]) {
      const sum = [0, 0, 0];
      const cnt = [0, 0, 0];
      for (let j = 0; j < n; j++) {
        cnt[labels[j]!]!++;
        if (j !== i) sum[labels[j]!]! += dist(X, i, j);
      }
      const c = labels[i]!;
      const a = sum[c]! / (cnt[c]! - 1);
      const b = Math.min(...[0, 1, 2].filter((q) => q !== c).map((q) => sum[q]! / cnt[q]!));
      expect(Math.abs(s[i]! - (b - a) / Math.max(a, b))).toBeLessThan(1e-10);
    }
  });

  it('trustworthiness, kNN preservation and 1-NN accuracy equal naive versions', () => {
    const k = 4;
    let penalty = 0;
    let kept = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const dx = row(X, i);
      const dy = row(Y, i);
      // k nearest in Y by insertion into a sorted list of (distance, index).
      const nearY: number[] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let p = nearY.length;
        while (p > 0 && (dy[nearY[p - 1]!]! > dy[j]! || (dy[nearY[p - 1]!] === dy[j] && nearY[p - 1]! > j)))
          p--;
        if (p < k) {
          nearY.splice(p, 0, j);
          if (nearY.length > k) nearY.pop();
        }
      }
      for (const j of nearY) {
        const r = rankOf(dx, i, j);
        penalty += Math.max(0, r - k);
        if (r <= k) kept++;
      }
      if (labels[nearY[0]!] === labels[i]) correct++;
    }
    const T = 1 - (penalty * 2) / (n * k * (2 * n - 3 * k - 1));
    expect(Math.abs(trustworthiness(X, Y, k) - T)).toBeLessThan(1e-12);
    expect(knnPreservation(X, Y, k)).toBe(kept / (n * k));
    expect(oneNnAccuracy(Y, labels)).toBe(correct / n);
  });
});
