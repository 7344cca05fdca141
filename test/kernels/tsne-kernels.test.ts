import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, rand, relErr } from './load.js';

const { k: K, w: W, r: R } = await loadKernels();
const { wasmHeap } = K;
const tsB = R.backendByName('ts')!;
const wasmB = R.backendByName('wasm')!;

/** Brute-force repulsion: rep_i = Σ_j w² (y_i − y_j), sumW_i = Σ_{j≠i} w. */
function exactRep(n: number, Y: Float64Array): { rep: Float64Array; sumW: Float64Array } {
  const rep = new Float64Array(2 * n);
  const sumW = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d0 = Y[2 * i]! - Y[2 * j]!;
      const d1 = Y[2 * i + 1]! - Y[2 * j + 1]!;
      const w = 1 / (1 + d0 * d0 + d1 * d1);
      sumW[i]! += w;
      rep[2 * i]! += w * w * d0;
      rep[2 * i + 1]! += w * w * d1;
    }
  }
  return { rep, sumW };
}

/** A clustered 2-D map: 8 blobs of different widths, coordinates up to ~±40. */
function clusteredMap(n: number, seed: number): Float64Array {
  const u = rand(4 * n, seed);
  const Y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = i % 8;
    const s = 0.5 + c;
    Y[2 * i] = 30 * Math.cos(c) + s * u[4 * i]! * Math.abs(u[4 * i + 2]!);
    Y[2 * i + 1] = 30 * Math.sin(c) + s * u[4 * i + 1]! * Math.abs(u[4 * i + 3]!);
  }
  return Y;
}

function repulsion(backend: typeof tsB, n: number, Y: Float64Array, theta: number) {
  const rep = new Float64Array(2 * n).fill(NaN);
  const sumW = new Float64Array(n).fill(NaN);
  backend.tsneRepulsion2d(n, Y, theta, rep, sumW);
  return { rep, sumW };
}

describe('t-SNE kernels: Barnes-Hut repulsion (group traversal)', () => {
  beforeAll(async () => {
    expect(W.wasmPool(), 'the threaded wasm variant should load in Node').not.toBeNull();
    K.setPoolOptions({ threads: 1 });
    expect(await W.whenPoolReady(10_000)).toBe(1);
  });
  afterAll(() => K.setPoolOptions({ threads: 1, stallTimeoutMs: 10_000 }));

  it('θ = 0 is the exact sum (both backends), including duplicates and a leaf larger than a group', () => {
    const n = 700;
    const Y = clusteredMap(n, 3);
    // 60 copies of one point: a leaf of identical Morton codes bigger than a group
    for (let i = 100; i < 160; i++) {
      Y[2 * i] = 1.25;
      Y[2 * i + 1] = -3.5;
    }
    const ex = exactRep(n, Y);
    for (const b of [tsB, wasmB]) {
      const r = repulsion(b, n, Y, 0);
      expect(relErr(r.rep, ex.rep), b.name).toBeLessThan(1e-13);
      expect(relErr(r.sumW, ex.sumW), b.name).toBeLessThan(1e-13);
    }
  });

  it('θ = 0.5: the backends agree to float32 rounding; the error against the exact sum is small', () => {
    const n = 3000;
    const Y = clusteredMap(n, 5);
    const ex = exactRep(n, Y);
    const a = repulsion(tsB, n, Y, 0.5);
    const b = repulsion(wasmB, n, Y, 0.5);
    // same tree and lists; the wasm kernel evaluates θ > 0 in float32 lanes (the TS one in float64)
    const eb = relErr(b.rep, a.rep);
    expect(eb).toBeLessThan(1e-5);
    expect(relErr(b.sumW, a.sumW)).toBeLessThan(1e-5);
    const e = relErr(a.rep, ex.rep);
    expect(e).toBeGreaterThan(1e-6); // an approximation, not the exact sum
    expect(e).toBeLessThan(2e-2);
    expect(Math.abs(relErr(b.rep, ex.rep) - e)).toBeLessThan(1e-4 * e + eb);
    let z = 0;
    let ze = 0;
    for (let i = 0; i < n; i++) {
      z += a.sumW[i]!;
      ze += ex.sumW[i]!;
    }
    expect(Math.abs(z - ze) / ze).toBeLessThan(1e-2);
    // a larger θ is coarser
    expect(relErr(repulsion(wasmB, n, Y, 1.2).rep, ex.rep)).toBeGreaterThan(e);
  });

  it('θ > 1/√2 never lets a point interact with a cell that holds it (no self-force)', () => {
    const n = 400;
    const Y = clusteredMap(n, 9);
    for (const b of [tsB, wasmB]) {
      const r = repulsion(b, n, Y, 5);
      const ex = exactRep(n, Y);
      for (let i = 0; i < n; i++) expect(r.sumW[i]!).toBeLessThan(ex.sumW[i]! * 1.5);
      expect(Number.isFinite(relErr(r.rep, ex.rep))).toBe(true);
    }
  });

  it('wide, sparse groups keep float64 precision (close pairs far from everything else)', () => {
    const cases: Float64Array[] = [
      new Float64Array([0, 0, 1e6, 0, 1e6 + 1e-3, 0]),
      // 20 pairs 0.01 apart, the pairs 5e4 apart
      Float64Array.from({ length: 80 }, (_, t) =>
        t % 2 ? 0 : Math.floor(t / 4) * 5e4 + ((t >> 1) % 2) * 0.01,
      ),
    ];
    for (const Y of cases) {
      const n = Y.length / 2;
      const ex = exactRep(n, Y);
      for (const b of [tsB, wasmB]) {
        const r = repulsion(b, n, Y, 0.5);
        expect(relErr(r.rep, ex.rep), b.name).toBeLessThan(1e-9);
        for (let i = 0; i < n; i++)
          expect(Math.abs(r.sumW[i]! - ex.sumW[i]!)).toBeLessThan(1e-9 * ex.sumW[i]! + 1e-12);
      }
    }
  });

  it('degenerate maps: one point, two points, all points identical', () => {
    for (const b of [tsB, wasmB]) {
      const one = repulsion(b, 1, new Float64Array([3, 4]), 0.5);
      expect([...one.rep, ...one.sumW]).toEqual([0, 0, 0]);
      const two = repulsion(b, 2, new Float64Array([0, 0, 1, 0]), 0.5);
      expect(two.sumW[0]).toBeCloseTo(0.5, 15);
      expect(two.rep[0]).toBeCloseTo(-0.25, 15); // w² (y0 − y1) = 0.25 · (−1)
      expect(two.rep[2]).toBeCloseTo(0.25, 15);
      const same = repulsion(b, 100, new Float64Array(200).fill(7), 0.5);
      for (let i = 0; i < 100; i++) expect(same.sumW[i]).toBe(99);
      for (let t = 0; t < 200; t++) expect(same.rep[t]).toBe(0);
    }
  });

  it('results are bit-identical on one thread and on two, and when a worker dies mid-call', async () => {
    const n = 20000;
    const Y = clusteredMap(n, 11);
    K.setPoolOptions({ threads: 0 });
    const one = repulsion(wasmB, n, Y, 0.5);
    K.setPoolOptions({ threads: 1 });
    expect(await W.whenPoolReady(10_000)).toBe(1);
    const d0 = K.getPoolStats().dispatches;
    const two = repulsion(wasmB, n, Y, 0.5);
    expect(K.getPoolStats().dispatches).toBe(d0 + 1);
    expect(two.rep).toEqual(one.rep);
    expect(two.sumW).toEqual(one.sumW);
    // a worker that dies leaves its groups undone: the main thread redoes the call, same numbers
    K.setPoolOptions({ stallTimeoutMs: 300 });
    const failures = K.getPoolStats().failures;
    W.wasmPool()!.injectFault(0, 'exit');
    const after = repulsion(wasmB, n, Y, 0.5);
    expect(K.getPoolStats().failures).toBe(failures + 1);
    expect(after.rep).toEqual(one.rep);
    expect(after.sumW).toEqual(one.sumW);
    expect(await W.whenPoolReady(10_000)).toBe(1);
  });

  it('operands outside wasm memory are copied in and out (same numbers as heap operands)', () => {
    const n = 2500;
    const Y = clusteredMap(n, 2);
    const plain = repulsion(wasmB, n, Y, 0.5);
    const Yh = wasmHeap.allocF64(2 * n);
    const rep = wasmHeap.allocF64(2 * n);
    const sumW = wasmHeap.allocF64(n);
    Yh.set(Y);
    K.tsneRepulsion2d(n, Yh, 0.5, rep, sumW);
    expect(rep).toEqual(plain.rep);
    expect(sumW).toEqual(plain.sumW);
    for (const v of [Yh, rep, sumW]) wasmHeap.free(v);
  });
});

describe('t-SNE kernels: attraction over a sparse P', () => {
  // a random sparse pattern with 1–12 entries per row
  const n = 3000;
  const u = rand(n * 40, 17);
  const indptr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = 1 + Math.floor(Math.abs(u[i]!) * 12);
    for (let t = 0; t < m; t++) {
      cols.push(Math.floor(Math.abs(u[n + i * 12 + t]!) * n) % n);
      vals.push(Math.abs(u[20 * n + i * 12 + t]!) * 1e-4);
    }
    indptr[i + 1] = cols.length;
  }
  const indices = Int32Array.from(cols);
  const data = Float64Array.from(vals);
  const Y = clusteredMap(n, 4);

  function reference(): { attr: Float64Array; kl: Float64Array } {
    const attr = new Float64Array(2 * n);
    const kl = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
        const j = indices[q]!;
        const d0 = Y[2 * i]! - Y[2 * j]!;
        const d1 = Y[2 * i + 1]! - Y[2 * j + 1]!;
        const w = 1 / (1 + d0 * d0 + d1 * d1);
        attr[2 * i]! += data[q]! * w * d0;
        attr[2 * i + 1]! += data[q]! * w * d1;
        kl[i]! += data[q]! * Math.log(w);
      }
    }
    return { attr, kl };
  }

  it('equals the direct sums in both backends, with P in wasm memory (threads) or not', () => {
    const ref = reference();
    const pIdx = wasmHeap.allocI32(n + 1);
    const pCol = wasmHeap.allocI32(indices.length);
    const pVal = wasmHeap.allocF64(data.length);
    pIdx.set(indptr);
    pCol.set(indices);
    pVal.set(data);
    for (const [b, P] of [
      [tsB, [indptr, indices, data]],
      [wasmB, [indptr, indices, data]],
      [wasmB, [pIdx, pCol, pVal]],
    ] as const) {
      const attr = new Float64Array(2 * n).fill(NaN);
      const kl = new Float64Array(n).fill(NaN);
      b.tsneAttraction2d(n, Y, P[0], P[1], P[2], attr, kl, false);
      expect(relErr(attr, ref.attr)).toBeLessThan(1e-13);
      expect(relErr(kl, ref.kl)).toBeLessThan(1e-13);
      const attr2 = new Float64Array(2 * n);
      b.tsneAttraction2d(n, Y, P[0], P[1], P[2], attr2, null, false);
      expect(attr2).toEqual(attr);
    }
    for (const v of [pIdx, pCol, pVal]) wasmHeap.free(v);
  });

  it('the strict upper triangle of a symmetric P gives the full attraction (threads or not)', async () => {
    // symmetric S = P + Pᵀ (full rows) and its strict upper triangle U, as CSR
    const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
    for (let i = 0; i < n; i++) {
      for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
        const j = indices[q]!;
        if (j === i) continue;
        rows[i]!.set(j, (rows[i]!.get(j) ?? 0) + data[q]!);
        rows[j]!.set(i, (rows[j]!.get(i) ?? 0) + data[q]!);
      }
    }
    const csr = (keep: (i: number, j: number) => boolean, heap: boolean) => {
      const ip: number[] = [0];
      const ix: number[] = [];
      const dv: number[] = [];
      for (let i = 0; i < n; i++) {
        for (const [j, v] of [...rows[i]!].sort((a, b) => a[0] - b[0])) {
          if (!keep(i, j)) continue;
          ix.push(j);
          dv.push(v);
        }
        ip.push(ix.length);
      }
      const alloc = <T extends Int32Array | Float64Array>(src: T, make: (k: number) => T): T => {
        const a = heap ? make(src.length) : src;
        if (heap) a.set(src);
        return a;
      };
      return [
        alloc(Int32Array.from(ip), (k) => wasmHeap.allocI32(k)),
        alloc(Int32Array.from(ix), (k) => wasmHeap.allocI32(k)),
        alloc(Float64Array.from(dv), (k) => wasmHeap.allocF64(k)),
      ] as const;
    };
    const full = csr(() => true, false);
    const ref = new Float64Array(2 * n);
    const refKl = new Float64Array(n);
    tsB.tsneAttraction2d(n, Y, full[0], full[1], full[2], ref, refKl, false);
    let klFull = 0;
    for (let i = 0; i < n; i++) klFull += refKl[i]!;
    for (const [b, heap] of [
      [tsB, false],
      [wasmB, false],
      [wasmB, true],
    ] as const) {
      const U = csr((i, j) => j > i, heap);
      const attr = new Float64Array(2 * n).fill(NaN);
      const kl = new Float64Array(n).fill(NaN);
      b.tsneAttraction2d(n, Y, U[0], U[1], U[2], attr, kl, true);
      expect(relErr(attr, ref)).toBeLessThan(1e-13);
      let klU = 0;
      for (let i = 0; i < n; i++) klU += kl[i]!;
      expect(Math.abs(2 * klU - klFull) / Math.abs(klFull)).toBeLessThan(1e-13);
      if (heap) {
        // one thread and two give the same bits (fixed halves, each with its own output)
        K.setPoolOptions({ threads: 0 });
        const one = new Float64Array(2 * n);
        b.tsneAttraction2d(n, Y, U[0], U[1], U[2], one, null, true);
        K.setPoolOptions({ threads: 1, minFlops: 0 });
        expect(await W.whenPoolReady(10_000)).toBe(1);
        const d0 = K.getPoolStats().dispatches;
        const two = new Float64Array(2 * n);
        b.tsneAttraction2d(n, Y, U[0], U[1], U[2], two, null, true);
        expect(K.getPoolStats().dispatches).toBe(d0 + 1);
        K.setPoolOptions({ minFlops: 2_000_000 });
        expect(two).toEqual(one);
        expect(two).toEqual(attr);
        for (const v of U) wasmHeap.free(v);
      }
    }
  });

  it('a column index outside [0, n) or a decreasing indptr is an error, before any memory is touched', () => {
    const pIdx = wasmHeap.allocI32(5);
    const pCol = wasmHeap.allocI32(2);
    const pVal = wasmHeap.allocF64(2);
    pIdx.set([0, 2, 2, 2, 2]);
    pVal.set([0.5, 0.5]);
    const Y4 = new Float64Array(8);
    for (const bad of [-3, 4, 1e6]) {
      pCol.set([1, bad]);
      for (const [b, P] of [
        [tsB, [pIdx.slice(), pCol.slice(), pVal.slice()]],
        [wasmB, [pIdx, pCol, pVal]],
      ] as const) {
        for (const upper of [false, true]) {
          expect(() => b.tsneAttraction2d(4, Y4, P[0], P[1], P[2], new Float64Array(8), null, upper)).toThrow(
            `tsneAttraction2d: column index ${bad} in row 0 is outside [0, 4)`,
          );
        }
      }
    }
    pIdx.set([0, 2, 1, 2, 2]);
    pCol.set([1, 2]);
    expect(() => K.tsneAttraction2d(4, Y4, pIdx, pCol, pVal, new Float64Array(8))).toThrow(
      'tsneAttraction2d: indptr must be non-decreasing from 0; indptr[1] = 2, indptr[2] = 1',
    );
    expect(() => K.tsneAttraction2d(2.5, Y4, pIdx, pCol, pVal, new Float64Array(8))).toThrow(
      'tsneAttraction2d: n must be an integer >= 0, got 2.5',
    );
    expect(() => K.tsneRepulsion2d(-1, Y4, 0.5, new Float64Array(8), new Float64Array(4))).toThrow(
      'tsneRepulsion2d: n must be an integer >= 0, got -1',
    );
    for (const v of [pIdx, pCol, pVal]) wasmHeap.free(v);
  });

  it('rejects mismatched lengths with the argument named', () => {
    expect(() =>
      K.tsneAttraction2d(n, Y.subarray(0, 10), indptr, indices, data, new Float64Array(2 * n)),
    ).toThrow(`tsneAttraction2d: Y and attr need ${2 * n} values, indptr ${n + 1}, klRow ${n}`);
    expect(() =>
      K.tsneAttraction2d(n, Y, indptr, indices.subarray(0, 5), data, new Float64Array(2 * n)),
    ).toThrow(`tsneAttraction2d: indices and data need ${indices.length} values (indptr[n])`);
    expect(() => K.tsneRepulsion2d(n, Y, -1, new Float64Array(2 * n), new Float64Array(n))).toThrow(
      'tsneRepulsion2d: theta must be >= 0, got -1',
    );
    expect(() => K.tsneRepulsion2d(n, Y, 0.5, new Float64Array(2), new Float64Array(n))).toThrow(
      `tsneRepulsion2d: Y and rep need ${2 * n} values and sumW ${n}`,
    );
  });
});
