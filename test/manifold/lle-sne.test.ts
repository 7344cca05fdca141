import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { LocallyLinearEmbedding, SNE, binarySearchPerplexity } from '../../src/manifold/index.js';
import { sneCostGradient } from '../../src/manifold/sne.js';
import { barycenterWeights, lleMatrix } from '../../src/manifold/lle.js';
import { exactKnn } from '../../src/manifold/knn.js';
import { csrMatvec, reverseCuthillMcKee, EnvelopeCholesky, csrFromCoo } from '../../src/manifold/sparse.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/manifold/${name}`, import.meta.url), 'utf8'));

/** Orthogonal Procrustes residual ‖A R − B‖ / ‖B‖ over rotations/reflections R (2 columns). */
function procrustes2(A: number[][], B: number[][]): number {
  // M = Aᵀ B (2×2); R = U Vᵀ from its SVD, computed in closed form for 2×2
  let m00 = 0, m01 = 0, m10 = 0, m11 = 0, nb = 0; // prettier-ignore
  for (let i = 0; i < A.length; i++) {
    m00 += A[i]![0]! * B[i]![0]!;
    m01 += A[i]![0]! * B[i]![1]!;
    m10 += A[i]![1]! * B[i]![0]!;
    m11 += A[i]![1]! * B[i]![1]!;
    nb += B[i]![0]! ** 2 + B[i]![1]! ** 2;
  }
  let best = Infinity;
  // R is a rotation or a reflection: maximise tr(Rᵀ M) over both families
  for (const refl of [1, -1]) {
    const th = Math.atan2(refl * m10 - m01, m00 + refl * m11);
    const c = Math.cos(th);
    const s = Math.sin(th);
    const R = [
      [c, -s * refl],
      [s, c * refl],
    ];
    let r = 0;
    for (let i = 0; i < A.length; i++) {
      for (let q = 0; q < 2; q++) {
        const v = A[i]![0]! * R[0]![q]! + A[i]![1]! * R[1]![q]! - B[i]![q]!;
        r += v * v;
      }
    }
    best = Math.min(best, Math.sqrt(r / nb));
  }
  return best;
}

describe('LocallyLinearEmbedding', () => {
  const f = fixture('lle_swiss.json');

  it('equals scikit-learn up to sign/rotation (Procrustes residual < 1e-6), same reconstruction error', () => {
    const lle = new LocallyLinearEmbedding({ nNeighbors: f.nNeighbors, nComponents: 2 }).fit(f.X);
    expect(lle.solver).toBe('shift-invert');
    expect(procrustes2(lle.embedding.toArray(), f.embedding)).toBeLessThan(1e-6);
    expect(lle.reconstructionError).toBeCloseTo(f.reconstructionError, 12);
    // the embedding satisfies the constraints: centred, orthonormal columns
    const E = lle.embedding;
    for (let q = 0; q < 2; q++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < E.rows; i++) {
        s += E.get(i, q);
        s2 += E.get(i, q) ** 2;
      }
      expect(Math.abs(s)).toBeLessThan(1e-8);
      expect(s2).toBeCloseTo(1, 10);
    }
    // transform equals scikit-learn's (same sign fix as the embedding)
    const T = lle.transform(f.Xq).toArray();
    expect(procrustes2(T, f.transform)).toBeLessThan(1e-6);
  });

  it('the plain Lanczos fallback finds the same embedding', () => {
    const a = new LocallyLinearEmbedding({ nNeighbors: 12 }).fit(f.X);
    const b = new LocallyLinearEmbedding({ nNeighbors: 12, maxEnvelope: 0 }).fit(f.X);
    expect(b.solver).toBe('lanczos');
    expect(procrustes2(b.embedding.toArray(), a.embedding.toArray())).toBeLessThan(1e-5);
  });

  it('weights sum to one and reconstruct points in the span of their neighbours', () => {
    const X = new Float64Array(f.X.flat());
    const n = f.X.length;
    const g = exactKnn(X, n, 3, 12);
    const W = barycenterWeights(X, n, X, 3, g.indices, 12, 1e-3);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < 12; a++) s += W[i * 12 + a]!;
      expect(s).toBeCloseTo(1, 12);
    }
    // M = (I − W)ᵀ(I − W) is symmetric and annihilates the constant vector
    const M = lleMatrix(n, 12, g.indices, W);
    const one = new Float64Array(n).fill(1);
    const out = new Float64Array(n);
    csrMatvec(M, one, out);
    for (let i = 0; i < n; i++) expect(Math.abs(out[i]!)).toBeLessThan(1e-12);
    expect(M.indptr[n]!).toBeLessThan(n * 13 * 13); // sparse, never n × n
  });

  it('envelope Cholesky solves a sparse SPD system', () => {
    const rng = new Rng(3);
    const n = 200;
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      r.push(i);
      c.push(i);
      v.push(4);
      for (const j of [i + 1, i + 17]) {
        if (j >= n) continue;
        const w = rng.uniform(-1, 1);
        r.push(i, j);
        c.push(j, i);
        v.push(w, w);
      }
    }
    const A = csrFromCoo(n, Int32Array.from(r), Int32Array.from(c), Float64Array.from(v));
    const L = EnvelopeCholesky.factor(A, reverseCuthillMcKee(A), 0)!;
    const b = new Float64Array(n);
    rng.fillNormal(b);
    const x = new Float64Array(n);
    L.solve(b, x);
    const Ax = new Float64Array(n);
    csrMatvec(A, x, Ax);
    for (let i = 0; i < n; i++) expect(Math.abs(Ax[i]! - b[i]!)).toBeLessThan(1e-12);
  });

  it('rejects bad options and input', () => {
    expect(() => new LocallyLinearEmbedding({ nNeighbors: 10 }).fit(f.X.slice(0, 8))).toThrow(
      /nNeighbors=10 must be < nSamples=8/,
    );
    expect(() => new LocallyLinearEmbedding({ nNeighbors: 2, nComponents: 3 }).fit(f.X)).toThrow(
      /nComponents=3 must be <= nNeighbors=2/,
    );
    expect(() =>
      new LocallyLinearEmbedding().fit([
        [1, NaN],
        [2, 3],
      ]),
    ).toThrow(/X has NaN at row 0, column 1/);
    expect(() => new LocallyLinearEmbedding().embedding).toThrow(/LocallyLinearEmbedding is not fitted/);
  });
});

describe('SNE', () => {
  const rng = new Rng(8);
  const n = 90;
  const d = 6;
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < d; j++) X[i * d + j] = (j === y[i] ? 6 : 0) + rng.normal();
  }

  it('gradient equals finite differences of Σ_i KL(P_i‖Q_i)', () => {
    const D = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let t = 0; t < d; t++) D[i * n + j]! += (X[i * d + t]! - X[j * d + t]!) ** 2;
    const P = binarySearchPerplexity(D, n, n, 10, true).P;
    const Y = new Float64Array(n * 2);
    rng.fillNormal(Y);
    const g = new Float64Array(n * 2);
    const buf = new Float64Array(n);
    sneCostGradient(Y, n, 2, P, g, buf);
    for (const t of [0, 33, 179]) {
      const h = 1e-6;
      const Yp = Y.slice();
      Yp[t]! += h;
      const Ym = Y.slice();
      Ym[t]! -= h;
      const fd =
        (sneCostGradient(Yp, n, 2, P, new Float64Array(n * 2), buf) -
          sneCostGradient(Ym, n, 2, P, new Float64Array(n * 2), buf)) /
        (2 * h);
      expect(Math.abs(fd - g[t]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  it('separates clusters and the cost decreases', () => {
    const losses: number[] = [];
    const s = new SNE({ perplexity: 10, nIter: 300, onProgress: (e) => void losses.push(e.loss!) }).fit(
      new Matrix(X, n, d),
    );
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThanOrEqual(losses[i - 1]! + 1e-9);
    expect(s.klDivergence).toBeLessThan(losses[0]!);
    const E = s.embedding;
    // cluster means far apart relative to within-cluster spread
    const ratio = (M: Matrix) => {
      const mu = [0, 0, 0].map(() => [0, 0]);
      for (let i = 0; i < n; i++) for (let q = 0; q < 2; q++) mu[y[i]!]![q]! += M.get(i, q) / (n / 3);
      let within = 0;
      for (let i = 0; i < n; i++)
        within += (M.get(i, 0) - mu[y[i]!]![0]!) ** 2 + (M.get(i, 1) - mu[y[i]!]![1]!) ** 2;
      let between = 0;
      for (let a = 0; a < 3; a++)
        for (let b = a + 1; b < 3; b++)
          between += (mu[a]![0]! - mu[b]![0]!) ** 2 + (mu[a]![1]! - mu[b]![1]!) ** 2;
      return between / 3 / (within / n);
    };
    expect(ratio(E)).toBeGreaterThan(3);
  });

  it('rejects perplexity >= n', () => {
    expect(() => new SNE({ perplexity: 50 }).fit(new Matrix(X, n, d).rowSlice(0, 40))).toThrow(
      /perplexity=50 must be < nSamples=40/,
    );
  });
});
