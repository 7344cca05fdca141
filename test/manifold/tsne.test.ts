import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { TSNE, tsneAffinities, tsneMethodFor, binarySearchPerplexity } from '../../src/manifold/index.js';
import { exactKnn, approxKnn } from '../../src/manifold/knn.js';
import {
  exactGradient,
  bhGradient,
  fftGradient,
  fftRepulsive,
  BhTree,
  FftWorkspace,
  entropyTerm,
  attractive,
  upperTriangle,
  Bh2dGradient,
} from '../../src/manifold/gradient.js';
import type { Csr } from '../../src/manifold/affinity.js';
import { wasmHeap } from '../../src/kernels/index.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/manifold/${name}`, import.meta.url), 'utf8'));

function toDense(P: Csr): Float64Array {
  const D = new Float64Array(P.n * P.n);
  for (let i = 0; i < P.n; i++)
    for (let q = P.indptr[i]!; q < P.indptr[i + 1]!; q++) D[i * P.n + P.indices[q]!] = P.data[q]!;
  return D;
}

function blobs(
  n: number,
  d: number,
  k: number,
  seed: number,
  spread = 8,
): { X: Float64Array; y: Int32Array } {
  const rng = new Rng(seed);
  const centers = new Float64Array(k * d);
  rng.fillNormal(centers, 0, spread);
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % k;
    for (let j = 0; j < d; j++) X[i * d + j] = centers[y[i]! * d + j]! + rng.normal();
  }
  return { X, y };
}

function nnAccuracy(E: Float64Array, c: number, y: Int32Array): number {
  const n = y.length;
  let ok = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let lab = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let q = 0; q < c; q++) s += (E[i * c + q]! - E[j * c + q]!) ** 2;
      if (s < best) {
        best = s;
        lab = y[j]!;
      }
    }
    if (lab === y[i]) ok++;
  }
  return ok / n;
}

describe('t-SNE affinities', () => {
  it('exact P equals scikit-learn _joint_probabilities', () => {
    const f = fixture('joint_exact.json');
    const X = Matrix.fromRows(f.X);
    const n = X.rows;
    const { P, maxEntropyError } = tsneAffinities(X.data as Float64Array, n, X.cols, f.perplexity, true);
    expect(maxEntropyError).toBeLessThanOrEqual(1e-5);
    const D = toDense(P);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        sum += D[i * n + j]!;
        // scikit-learn runs the search on float32 distances: agreement to ~1e-6 relative
        expect(Math.abs(D[i * n + j]! - f.P[i][j])).toBeLessThanOrEqual(1e-6 * f.P[i][j] + 1e-12);
      }
    }
    expect(sum).toBeCloseTo(1, 12);
  });

  it('k-NN P equals scikit-learn _joint_probabilities_nn (k = 3·perplexity + 1)', () => {
    const f = fixture('joint_knn.json');
    const X = Matrix.fromRows(f.X);
    const n = X.rows;
    const { P } = tsneAffinities(X.data as Float64Array, n, X.cols, f.perplexity, false, 'exact');
    expect(Math.floor(3 * f.perplexity + 1)).toBe(f.k);
    const D = toDense(P);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(Math.abs(D[i * n + j]! - f.P[i][j])).toBeLessThanOrEqual(1e-6 * f.P[i][j] + 1e-12);
      }
    }
    // symmetric, rows sorted by column
    for (let i = 0; i < n; i++) {
      for (let q = P.indptr[i]! + 1; q < P.indptr[i + 1]!; q++)
        expect(P.indices[q]!).toBeGreaterThan(P.indices[q - 1]!);
    }
  });

  it('perplexity search reaches the target within 1e-5 nats per point', () => {
    const { X } = blobs(200, 10, 4, 3);
    const g = exactKnn(X, 200, 10, 60);
    for (const perp of [5, 20, 50]) {
      const r = binarySearchPerplexity(g.distances, 200, 60, perp);
      for (let i = 0; i < 200; i++) {
        expect(r.entropyError[i]!).toBeLessThanOrEqual(1e-5);
        let H = 0;
        let s = 0;
        for (let t = 0; t < 60; t++) {
          const p = r.P[i * 60 + t]!;
          s += p;
          if (p > 0) H -= p * Math.log(p);
        }
        expect(s).toBeCloseTo(1, 12);
        expect(Math.abs(Math.exp(H) - perp) / perp).toBeLessThanOrEqual(1.1e-5);
      }
    }
  });

  it('duplicate points: affinities stay finite and rows sum to one', () => {
    const rows: number[][] = [];
    for (let i = 0; i < 30; i++) rows.push([i % 3, 0, 0]); // 10 copies of 3 points
    const X = Matrix.fromRows(rows);
    const { P } = tsneAffinities(X.data as Float64Array, 30, 3, 5, false, 'exact');
    let s = 0;
    for (const v of P.data) {
      expect(Number.isFinite(v)).toBe(true);
      s += v;
    }
    expect(s).toBeCloseTo(1, 12);
  });

  it('approximate k-NN recovers most exact neighbours', () => {
    const { X } = blobs(1500, 20, 10, 5, 3);
    const k = 15;
    const ex = exactKnn(X, 1500, 20, k);
    const ap = approxKnn(X, 1500, 20, k, { seed: 1 });
    let hit = 0;
    for (let i = 0; i < 1500; i++) {
      const s = new Set(Array.from(ex.indices.subarray(i * k, (i + 1) * k)));
      for (let t = 0; t < k; t++) if (s.has(ap.indices[i * k + t]!)) hit++;
      for (let t = 1; t < k; t++)
        expect(ap.distances[i * k + t]!).toBeGreaterThanOrEqual(ap.distances[i * k + t - 1]!);
    }
    expect(hit / (1500 * k)).toBeGreaterThan(0.95);
    // same seed, same graph
    expect(approxKnn(X, 1500, 20, k, { seed: 1 }).indices).toEqual(ap.indices);
  });
});

describe('t-SNE gradients', () => {
  const n = 150;
  const { X } = blobs(n, 5, 3, 11, 3);
  const { P } = tsneAffinities(X, n, 5, 10, false, 'exact');
  const plogp = entropyTerm(P);
  const rng = new Rng(2);

  it('upperTriangle finds a symmetric P (rows renumbered); attractive forces agree in 2-D and 3-D', () => {
    // rows renumbered (columns left unsorted, as after the RCM reordering)
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = (i * 37) % n;
    const inv = new Int32Array(n);
    for (let i = 0; i < n; i++) inv[order[i]!] = i;
    const indptr = new Int32Array(n + 1);
    const indices = new Int32Array(P.indices.length);
    const data = new Float64Array(P.data.length);
    for (let i = 0; i < n; i++) {
      const old = order[i]!;
      let q = (indptr[i + 1] = indptr[i]! + P.indptr[old + 1]! - P.indptr[old]!) - 1;
      for (let t = P.indptr[old + 1]! - 1; t >= P.indptr[old]!; t--) {
        indices[q] = inv[P.indices[t]!]!;
        data[q--] = P.data[t]!;
      }
    }
    const Pp: Csr = { n, indptr, indices, data };
    expect(upperTriangle(Pp)).not.toBeNull();
    const Y = new Float64Array(n * 2);
    rng.fillNormal(Y, 0, 3);
    const g1 = new Float64Array(n * 2);
    const s1 = attractive(Y, 2, Pp, 12, 1, g1);
    // the same P as 3-D points with a zero third coordinate takes the general (full) loop
    const Y3 = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      Y3[3 * i] = Y[2 * i]!;
      Y3[3 * i + 1] = Y[2 * i + 1]!;
    }
    const g3 = new Float64Array(n * 3);
    const s3 = attractive(Y3, 3, Pp, 12, 1, g3);
    expect(Math.abs(s1 - s3)).toBeLessThan(1e-12 * Math.abs(s3));
    for (let i = 0; i < n; i++) {
      expect(Math.abs(g1[2 * i]! - g3[3 * i]!)).toBeLessThan(1e-12);
      expect(Math.abs(g1[2 * i + 1]! - g3[3 * i + 1]!)).toBeLessThan(1e-12);
    }
    // a non-symmetric P falls back to the full loop
    const Q: Csr = { n, indptr, indices, data: data.map((v, q) => (q === 0 ? v * 2 : v)) };
    expect(upperTriangle(Q)).toBeNull();
  });

  for (const [dim, dof] of [
    [2, 1],
    [3, 1],
    [2, 0.6],
    [4, 2],
  ] as const) {
    it(`exact gradient equals finite differences of KL(P‖Q) (dim ${dim}, α = ${dof})`, () => {
      const Y = new Float64Array(n * dim);
      rng.fillNormal(Y, 0, 2);
      const g = new Float64Array(n * dim);
      exactGradient(Y, n, dim, P, 1, dof, g, plogp);
      const c = (2 * (dof + 1)) / dof;
      for (const t of [0, 7, 101, n * dim - 1]) {
        const h = 1e-5;
        const Yp = Y.slice();
        Yp[t]! += h;
        const Ym = Y.slice();
        Ym[t]! -= h;
        const kp = exactGradient(Yp, n, dim, P, 1, dof, new Float64Array(n * dim), plogp).kl;
        const km = exactGradient(Ym, n, dim, P, 1, dof, new Float64Array(n * dim), plogp).kl;
        const fd = (kp - km) / (2 * h);
        expect(Math.abs(fd - c * g[t]!)).toBeLessThanOrEqual(1e-6 * Math.max(1e-3, Math.abs(fd)));
      }
    });
  }

  for (const [dim, dof] of [
    [2, 1],
    [3, 1],
    [2, 0.5],
  ] as const) {
    it(`Barnes-Hut with θ = 0 equals the exact gradient (dim ${dim}, α = ${dof})`, () => {
      const Y = new Float64Array(n * dim);
      rng.fillNormal(Y, 0, 3);
      const ge = new Float64Array(n * dim);
      const gb = new Float64Array(n * dim);
      const a = exactGradient(Y, n, dim, P, 12, dof, ge, plogp);
      const b = bhGradient(Y, n, dim, P, 12, dof, 0, new BhTree(dim), new Float64Array(n * dim), gb, plogp);
      expect(Math.abs(a.Z - b.Z) / a.Z).toBeLessThan(1e-12);
      expect(Math.abs(a.kl - b.kl)).toBeLessThan(1e-10);
      for (let t = 0; t < n * dim; t++) expect(Math.abs(ge[t]! - gb[t]!)).toBeLessThan(1e-12);
    });
  }

  it('kernel Barnes-Hut (group traversal) with θ = 0 equals the exact gradient, Z and KL', () => {
    const Y = new Float64Array(n * 2);
    rng.fillNormal(Y, 0, 3);
    const ge = new Float64Array(n * 2);
    const gb = new Float64Array(n * 2);
    const a = exactGradient(Y, n, 2, P, 12, 1, ge, plogp);
    const k = new Bh2dGradient(P);
    const b = k.gradient(Y, n, 12, 0, new Float64Array(n * 2), gb, plogp, true);
    k.dispose();
    expect(Math.abs(a.Z - b.Z) / a.Z).toBeLessThan(1e-12);
    expect(Math.abs(a.kl - b.kl)).toBeLessThan(1e-10);
    for (let t = 0; t < n * 2; t++) expect(Math.abs(ge[t]! - gb[t]!)).toBeLessThan(1e-12);
    // without the KL the gradient is the same and the KL is NaN
    const k2 = new Bh2dGradient(P);
    const g2 = new Float64Array(n * 2);
    expect(k2.gradient(Y, n, 12, 0, new Float64Array(n * 2), g2, plogp, false).kl).toBeNaN();
    k2.dispose();
    expect(g2).toEqual(gb);
  });

  it('kernel Barnes-Hut with θ = 0.5 is closer to exact than the per-point tree', () => {
    const Y = new Float64Array(n * 2);
    rng.fillNormal(Y, 0, 5);
    const ge = new Float64Array(n * 2);
    exactGradient(Y, n, 2, P, 1, 1, ge, plogp);
    const relErr = (g: Float64Array) => {
      let err = 0;
      let nrm = 0;
      for (let t = 0; t < n * 2; t++) {
        err += (ge[t]! - g[t]!) ** 2;
        nrm += ge[t]! ** 2;
      }
      return Math.sqrt(err / nrm);
    };
    const gb = new Float64Array(n * 2);
    bhGradient(Y, n, 2, P, 1, 1, 0.5, new BhTree(2), new Float64Array(n * 2), gb, plogp);
    const gk = new Float64Array(n * 2);
    const k = new Bh2dGradient(P);
    k.gradient(Y, n, 1, 0.5, new Float64Array(n * 2), gk, plogp, false);
    k.dispose();
    expect(relErr(gk)).toBeGreaterThan(0); // it is an approximation
    expect(relErr(gk)).toBeLessThan(relErr(gb));
  });

  it('Barnes-Hut with θ = 0.5 is close to exact', () => {
    const Y = new Float64Array(n * 2);
    rng.fillNormal(Y, 0, 5);
    const ge = new Float64Array(n * 2);
    const gb = new Float64Array(n * 2);
    exactGradient(Y, n, 2, P, 1, 1, ge, plogp);
    bhGradient(Y, n, 2, P, 1, 1, 0.5, new BhTree(2), new Float64Array(n * 2), gb, plogp);
    let err = 0;
    let nrm = 0;
    for (let t = 0; t < n * 2; t++) {
      err += (ge[t]! - gb[t]!) ** 2;
      nrm += ge[t]! ** 2;
    }
    expect(Math.sqrt(err / nrm)).toBeLessThan(0.05);
  });

  it('FFT-interpolated gradient is close to exact, and Z too', () => {
    for (const spread of [0.5, 5, 30]) {
      const Y = new Float64Array(n * 2);
      rng.fillNormal(Y, 0, spread);
      const ge = new Float64Array(n * 2);
      const gf = new Float64Array(n * 2);
      const a = exactGradient(Y, n, 2, P, 1, 1, ge, plogp);
      const b = fftGradient(Y, n, P, 1, new FftWorkspace(), new Float64Array(n * 2), gf, plogp);
      expect(Math.abs(a.Z - b.Z) / a.Z).toBeLessThan(spread < 1 ? 1e-4 : 1e-2);
      let err = 0;
      let nrm = 0;
      for (let t = 0; t < n * 2; t++) {
        err += (ge[t]! - gf[t]!) ** 2;
        nrm += ge[t]! ** 2;
      }
      // boxes of about one unit of map length (FIt-SNE's default) give errors of a few per cent
      expect(Math.sqrt(err / nrm)).toBeLessThan(spread < 1 ? 1e-4 : 5e-2);
      expect(Math.abs(a.kl - b.kl)).toBeLessThan(spread < 1 ? 1e-6 : 1e-2);
    }
  });
});

describe('TSNE estimator', () => {
  const { X, y } = blobs(240, 8, 4, 21, 6);
  const XM = new Matrix(X, 240, 8);

  it('separates blobs; KL decreases and is reported every 50 iterations', () => {
    const losses: number[] = [];
    const t = new TSNE({ perplexity: 15, nIter: 400, seed: 1, onProgress: (e) => void losses.push(e.loss!) });
    const E = t.fitTransform(XM);
    expect(t.method).toBe('exact');
    expect(losses.length).toBe(8);
    for (let i = 6; i < losses.length; i++) expect(losses[i]!).toBeLessThanOrEqual(losses[i - 1]! + 1e-9);
    expect(t.klDivergence).toBeCloseTo(losses[losses.length - 1]!, 10);
    expect(nnAccuracy(E.data, 2, y)).toBe(1);
    expect(t.nIter).toBe(400);
    expect(t.stopReason).toBe('maxIter');
  });

  it('Barnes-Hut, FFT and exact reach similar KL; 3-D Barnes-Hut works', { timeout: 60000 }, () => {
    const kls: number[] = [];
    for (const method of ['exact', 'barnes-hut', 'fft'] as const) {
      const t = new TSNE({ perplexity: 15, nIter: 200, earlyExaggerationIter: 100, method, seed: 1 }).fit(XM);
      expect(nnAccuracy(t.embedding.data, 2, y), method).toBeGreaterThanOrEqual(0.98);
      kls.push(t.klDivergence);
    }
    // exact uses the dense P (all pairs), Barnes-Hut and FFT the same k-NN P: those two must agree
    expect(Math.abs(kls[2]! - kls[1]!)).toBeLessThan(0.1);
    expect(Math.abs(kls[1]! - kls[0]!)).toBeLessThan(0.15);
    const t3 = new TSNE({
      nComponents: 3,
      perplexity: 15,
      nIter: 250,
      earlyExaggerationIter: 100,
      method: 'barnes-hut',
    }).fit(XM);
    expect(t3.embedding.cols).toBe(3);
    expect(nnAccuracy(t3.embedding.data, 3, y)).toBe(1);
  });

  it("a map too wide for an FFT grid (> 4096 per side) takes Barnes-Hut, also with method 'fft'", () => {
    // a huge learning rate spreads the map over thousands of units
    const t = new TSNE({
      perplexity: 10,
      nIter: 120,
      earlyExaggerationIter: 20,
      method: 'fft',
      learningRate: 3e5,
      seed: 1,
    });
    t.fit(XM);
    expect(t.methodIterations.barnesHut).toBeGreaterThan(0);
    expect(t.methodIterations.fft).toBeGreaterThan(0);
    for (const v of t.embedding.data) expect(Number.isFinite(v)).toBe(true);
    const Y = t.embedding.data;
    const n = t.embedding.rows;
    expect(() => fftRepulsive(Y, n, new Float64Array(2 * n), new FftWorkspace())).toThrow(
      /^fftRepulsive: this map needs an FFT grid of side \d+ \(> 4096, ~0.5 GB per grid\): use Barnes-Hut for maps this wide$/,
    );
  });

  it('gives back the wasm memory that holds P after fit, finalize, re-initialize and a failed fit', () => {
    // a first run of each method sets up the kernels' scratch regions (kept and reused by design)
    for (const method of ['exact', 'barnes-hut', 'fft'] as const) {
      new TSNE({ perplexity: 10, nIter: 60, earlyExaggerationIter: 20, method, seed: 1 }).fit(XM);
    }
    const before = wasmHeap.bytesInUse;
    for (const method of ['exact', 'barnes-hut', 'fft'] as const) {
      new TSNE({ perplexity: 10, nIter: 60, earlyExaggerationIter: 20, method, seed: 1 }).fit(XM);
      expect(wasmHeap.bytesInUse, method).toBe(before);
    }
    const t = new TSNE({ perplexity: 10, nIter: 60, method: 'barnes-hut', seed: 1 });
    t.initialize(XM);
    expect(wasmHeap.bytesInUse).toBeGreaterThan(before); // P's copy for the kernels
    t.step(5);
    t.initialize(XM); // the first run's copy is released
    t.step(5);
    t.finalize();
    expect(wasmHeap.bytesInUse).toBe(before);
    // an abandoned animation
    const a = new TSNE({ perplexity: 10, method: 'barnes-hut', seed: 1 });
    a.initialize(XM).step(3);
    expect(wasmHeap.bytesInUse).toBeGreaterThan(before);
    a.dispose();
    expect(wasmHeap.bytesInUse).toBe(before);
    expect(() => a.step()).toThrow('TSNE.step() needs initialize(X) first');
    // a run stopped by a throwing callback releases it too
    const boom = new TSNE({
      perplexity: 10,
      nIter: 100,
      method: 'barnes-hut',
      seed: 1,
      onProgress: () => {
        throw new Error('stop here');
      },
    });
    expect(() => boom.fit(XM)).toThrow('stop here');
    expect(wasmHeap.bytesInUse).toBe(before);
  });

  it('step() from initialize() gives the same map as fit()', () => {
    const a = new TSNE({ perplexity: 10, nIter: 120, seed: 4 }).fit(XM).embedding;
    const t = new TSNE({ perplexity: 10, nIter: 120, seed: 4 }).initialize(XM);
    while (t.iteration < 120) t.step(7);
    t.finalize();
    expect(t.embedding.data).toEqual(a.data);
  });

  it('degreesOfFreedom < 1 gives heavier tails (more separated clusters)', () => {
    const t = new TSNE({
      perplexity: 15,
      nIter: 150,
      earlyExaggerationIter: 50,
      degreesOfFreedom: 0.5,
      seed: 1,
    }).fit(XM.rowSlice(0, 120));
    expect(Number.isFinite(t.klDivergence)).toBe(true);
    expect(nnAccuracy(t.embedding.data, 2, y.subarray(0, 120))).toBe(1);
  });

  it('transform places new points next to their own cluster', () => {
    const t = new TSNE({ perplexity: 15, nIter: 300, seed: 1 }).fit(XM);
    const fresh = blobs(240, 8, 4, 21, 6); // same centres (same seed), new noise below
    const rng = new Rng(99);
    const Xn = new Float64Array(40 * 8);
    for (let i = 0; i < 40; i++)
      for (let j = 0; j < 8; j++) Xn[i * 8 + j] = fresh.X[i * 8 + j]! + rng.normal(0, 0.3);
    const En = t.transform(new Matrix(Xn, 40, 8));
    const E = t.embedding.data;
    let ok = 0;
    for (let i = 0; i < 40; i++) {
      let best = Infinity;
      let lab = -1;
      for (let j = 0; j < 240; j++) {
        const s = (En.data[2 * i]! - E[2 * j]!) ** 2 + (En.data[2 * i + 1]! - E[2 * j + 1]!) ** 2;
        if (s < best) {
          best = s;
          lab = y[j]!;
        }
      }
      if (lab === fresh.y[i]) ok++;
    }
    expect(ok).toBe(40);
    expect(() => t.transform([[1, 2]])).toThrow(/X has 2 features, but the model was fitted on 8/);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => new TSNE({ perplexity: 30 }).fit(XM.rowSlice(0, 20))).toThrow(
      /perplexity=30 must be < nSamples=20/,
    );
    expect(() => new TSNE({ perplexity: 0 })).toThrow(
      /The 'perplexity' option of TSNE must be a finite number > 0; got 0/,
    );
    expect(() => new TSNE({ method: 'fft', nComponents: 3 }).fit(XM)).toThrow(
      /method 'fft' needs nComponents = 2/,
    );
    expect(() => new TSNE({ method: 'barnes-hut', nComponents: 4 }).fit(XM)).toThrow(
      /needs nComponents = 2 or 3/,
    );
    expect(() =>
      new TSNE().fit([
        [1, NaN],
        [2, 3],
      ]),
    ).toThrow(/X has NaN at row 0, column 1/);
    expect(() => new TSNE().embedding).toThrow(/TSNE is not fitted/);
  });

  it('handles duplicate points (documented: they get the largest affinity, the map stays finite)', () => {
    const rows: number[][] = [];
    for (let i = 0; i < 60; i++) rows.push([i % 6, (i % 6) * 2, 0]);
    const t = new TSNE({ perplexity: 5, nIter: 200, seed: 0 }).fit(rows);
    for (const v of t.embedding.data) expect(Number.isFinite(v)).toBe(true);
  });

  it("large maps are optimised in a permuted order and returned in the caller's order", async () => {
    const { initialEmbedding } = await import('../../src/manifold/init.js');
    const big = blobs(5000, 4, 5, 2, 5);
    const t = new TSNE({ nIter: 0 }).fit(new Matrix(big.X, 5000, 4));
    expect(t.embedding.data).toEqual(initialEmbedding(big.X, 5000, 4, 2, 'pca', 0));
  });

  it('picks the gradient method by size', () => {
    expect(tsneMethodFor(500, 2, 1)).toBe('exact');
    expect(tsneMethodFor(3000, 2, 1)).toBe('barnes-hut');
    expect(tsneMethodFor(20000, 2, 1)).toBe('fft+barnes-hut');
    expect(tsneMethodFor(20000, 3, 1)).toBe('barnes-hut');
    expect(tsneMethodFor(20000, 2, 0.5)).toBe('barnes-hut');
  });
});

describe('FFT', () => {
  it('5·2^m sizes (radix-5 split) match the naive 2-D DFT; nextGridSize adds 5·2^m from 640', async () => {
    const { Fft, fft2, nextGridSize } = await import('../../src/kernels/ts-fft.js');
    expect([5, 7, 100, 300, 600, 700, 1100, 1300, 2100].map(nextGridSize)).toEqual([
      6, 8, 128, 384, 640, 768, 1280, 1536, 2560,
    ]);
    const rng = new Rng(5);
    for (const n of [5, 10, 20, 40]) {
      const re = new Float64Array(n * n);
      const im = new Float64Array(n * n);
      rng.fillNormal(re);
      rng.fillNormal(im);
      const r2 = re.slice();
      const i2 = im.slice();
      const f = new Fft(n);
      fft2(f, r2, i2, -1, n, n, new Float64Array(n), new Float64Array(n));
      for (let u = 0; u < n; u++) {
        for (let v = 0; v < n; v++) {
          let sr = 0;
          let si = 0;
          for (let a = 0; a < n; a++) {
            for (let b = 0; b < n; b++) {
              const ang = (-2 * Math.PI * (((u * a) % n) * n + ((v * b) % n) * n)) / (n * n);
              sr += re[a * n + b]! * Math.cos(ang) - im[a * n + b]! * Math.sin(ang);
              si += re[a * n + b]! * Math.sin(ang) + im[a * n + b]! * Math.cos(ang);
            }
          }
          expect(Math.abs(r2[u * n + v]! - sr)).toBeLessThan(1e-9 * n * n);
          expect(Math.abs(i2[u * n + v]! - si)).toBeLessThan(1e-9 * n * n);
        }
      }
      fft2(f, r2, i2, 1, n, n, new Float64Array(n), new Float64Array(n));
      for (let t = 0; t < n * n; t++) expect(Math.abs(r2[t]! / (n * n) - re[t]!)).toBeLessThan(1e-12 * n);
    }
  });

  it('1-D transforms of longer rows (several fused radix-4 passes) match the naive DFT', async () => {
    const { Fft } = await import('../../src/kernels/ts-fft.js');
    const rng = new Rng(9);
    for (const n of [32, 64, 96, 128, 192, 256]) {
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      rng.fillNormal(re);
      rng.fillNormal(im);
      const f = new Fft(n);
      const r2 = re.slice();
      const i2 = im.slice();
      f.transform(r2, i2, 0, -1);
      for (let u = 0; u < n; u++) {
        let sr = 0;
        let si = 0;
        for (let a = 0; a < n; a++) {
          const ang = (-2 * Math.PI * ((u * a) % n)) / n;
          sr += re[a]! * Math.cos(ang) - im[a]! * Math.sin(ang);
          si += re[a]! * Math.sin(ang) + im[a]! * Math.cos(ang);
        }
        expect(Math.abs(r2[u]! - sr)).toBeLessThan(1e-10 * n);
        expect(Math.abs(i2[u]! - si)).toBeLessThan(1e-10 * n);
      }
    }
  });

  it('matches the naive DFT for powers of two and 3·2^m, rows and columns', async () => {
    const { Fft, fft2, nextFftSize } = await import('../../src/kernels/ts-fft.js');
    expect([5, 7, 12, 13, 25, 100, 300].map(nextFftSize)).toEqual([6, 8, 12, 16, 32, 128, 384]);
    const rng = new Rng(4);
    for (const n of [1, 2, 3, 4, 6, 8, 12, 16, 24, 48]) {
      const re = new Float64Array(n * n);
      const im = new Float64Array(n * n);
      rng.fillNormal(re);
      rng.fillNormal(im);
      // naive 2-D DFT
      const eRe = new Float64Array(n * n);
      const eIm = new Float64Array(n * n);
      for (let u = 0; u < n; u++) {
        for (let v = 0; v < n; v++) {
          let sr = 0;
          let si = 0;
          for (let a = 0; a < n; a++) {
            for (let b = 0; b < n; b++) {
              const ang = (-2 * Math.PI * ((u * a) / n + (v * b) / n)) % (2 * Math.PI);
              const c = Math.cos(ang);
              const s = Math.sin(ang);
              sr += re[a * n + b]! * c - im[a * n + b]! * s;
              si += re[a * n + b]! * s + im[a * n + b]! * c;
            }
          }
          eRe[u * n + v] = sr;
          eIm[u * n + v] = si;
        }
      }
      const f = new Fft(n);
      const r2 = re.slice();
      const i2 = im.slice();
      fft2(f, r2, i2, -1, n, n, new Float64Array(n), new Float64Array(n));
      for (let t = 0; t < n * n; t++) {
        expect(Math.abs(r2[t]! - eRe[t]!)).toBeLessThan(1e-9 * n * n);
        expect(Math.abs(i2[t]! - eIm[t]!)).toBeLessThan(1e-9 * n * n);
      }
      // inverse brings it back (unscaled)
      fft2(f, r2, i2, 1, n, n, new Float64Array(n), new Float64Array(n));
      for (let t = 0; t < n * n; t++) expect(Math.abs(r2[t]! / (n * n) - re[t]!)).toBeLessThan(1e-12 * n);
    }
  });
});
