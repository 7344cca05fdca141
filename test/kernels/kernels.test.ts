import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, naiveGemm, rand } from './load.js';

const { k: K, w: W, r: R } = await loadKernels();
const { wasmHeap } = K;

type Backend = 'ts' | 'wasm';
type DT = 'f32' | 'f64';
const BACKENDS: Backend[] = ['ts', 'wasm'];
const DTYPES: DT[] = ['f32', 'f64'];

function arr(dt: DT, src: ArrayLike<number>, heap: boolean): Float32Array | Float64Array {
  if (heap) {
    const a = dt === 'f32' ? wasmHeap.allocF32(src.length) : wasmHeap.allocF64(src.length);
    a.set(src);
    return a;
  }
  return dt === 'f32' ? Float32Array.from(src) : Float64Array.from(src);
}

function expectClose(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  tol: (i: number) => number,
  what: string,
): void {
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(got[i]! - ref[i]!);
    if (!(e <= tol(i))) {
      if (worst < 0 || e > worstErr || Number.isNaN(e)) {
        worst = i;
        worstErr = e;
      }
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}: entry ${worst} is ${got[worst]}, expected ${ref[worst]} (err ${worstErr}, tol ${tol(worst)})`,
    );
  }
}

const eps = (dt: DT) => (dt === 'f32' ? 6e-8 : 1.2e-16);

beforeAll(() => {
  expect(R.backendByName('wasm'), `wasm backend failed to load: ${W.wasmInfo().error}`).toBeDefined();
});
afterAll(() => {
  K.setBackend('wasm');
  W._setScratchBudget(512 * 1024 * 1024);
});

describe('registry', () => {
  it('loads the wasm backend by default in Node and can switch', () => {
    expect(K.getBackend().available).toEqual(['ts', 'wasm']);
    K.setBackend('ts');
    expect(K.getBackend().name).toBe('ts');
    K.setBackend('wasm');
    expect(K.getBackend().name).toBe('wasm');
    expect(K.getBackend().description).toMatch(/simd128/);
  });
  it('fails loudly on an unknown backend or a missing kernel', () => {
    expect(() => K.setBackend('gpu' as 'ts')).toThrow(
      "kernels: backend 'gpu' is not available (available: ts, wasm)",
    );
    const partial = { ...R.tsBackend, name: 'wasm', gemmF32: undefined } as unknown as Parameters<
      typeof R.registerBackend
    >[0];
    expect(() => R.registerBackend(partial)).toThrow("kernels: backend 'wasm' is missing kernel(s): gemmF32");
  });
  it('rejects mixed dtypes and short arrays with named errors', () => {
    expect(() =>
      K.gemm(2, 2, 2, new Float32Array(4), new Float64Array(4) as never, new Float32Array(4)),
    ).toThrow('gemm: operands mix Float32Array and Float64Array');
    expect(() => K.gemm(2, 2, 2, new Float64Array(3), new Float64Array(4), new Float64Array(4))).toThrow(
      'gemm: A needs 4 elements (2x2, ld 2, offset 0) but has 3',
    );
  });
});

// (m, n, k): edge sizes around the 4x8 / 4x4 tiles and the MC/KC/NC blocks (f32 MC=128, NC=1024; f64 MC=64, NC=512; KC=256)
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 17],
  [17, 33, 7],
  [33, 3, 257],
  [257, 17, 33],
  [7, 257, 3],
  [65, 70, 300],
  [9, 520, 5],
  [5, 1030, 9],
  // matrix-vector shapes (m = 1 or n = 1)
  [33, 1, 257],
  [1, 40, 77],
  [1, 1, 300],
];

describe.each(BACKENDS)('gemm [%s]', (backend) => {
  beforeAll(() => K.setBackend(backend));
  for (const dt of DTYPES) {
    it(`${dt}: all transposes, alpha/beta, offsets and leading dimensions, heap and plain operands`, () => {
      let seed = 1;
      for (const [m, n, k] of SHAPES) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            for (const heap of backend === 'wasm' ? [false, true] : [false]) {
              seed++;
              const padded = seed % 3 === 0;
              const ao = padded ? 3 : 0;
              const bo = padded ? 5 : 0;
              const co = padded ? 2 : 0;
              const lda = (ta ? m : k) + (padded ? 2 : 0);
              const ldb = (tb ? k : n) + (padded ? 1 : 0);
              const ldc = n + (padded ? 3 : 0);
              const alpha = seed % 2 === 0 ? 1 : -0.75;
              const beta = [0, 1, 0.5][seed % 3]!;
              const Araw = rand(ao + (ta ? k : m) * lda, seed);
              const Braw = rand(bo + (tb ? n : k) * ldb, seed + 1000);
              const Craw = rand(co + m * ldc, seed + 2000);
              const A = arr(dt, Araw, heap);
              const B = arr(dt, Braw, heap);
              const C = arr(dt, Craw, heap);
              if (beta === 0) for (let i = co; i < co + m * ldc; i += ldc) C.fill(NaN, i, i + n); // beta = 0 must not read C
              const ref = naiveGemm(m, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
              K.gemm(m, n, k, A, B, C, {
                transA: ta,
                transB: tb,
                alpha,
                beta,
                aOffset: ao,
                bOffset: bo,
                cOffset: co,
                lda,
                ldb,
                ldc,
              });
              expectClose(
                C,
                ref.C,
                (i) => 2 * (k + 2) * eps(dt) * ref.mag[i]! + 1e-300,
                `${dt} ${m}x${n}x${k} ta=${ta} tb=${tb} heap=${heap}`,
              );
              if (heap) for (const v of [A, B, C]) wasmHeap.free(v);
            }
          }
        }
      }
    });
  }

  it('k = 0 gives beta·C; alpha = 0 ignores A and B', () => {
    const C = Float64Array.from([1, 2, 3, 4]);
    K.gemm(2, 2, 0, new Float64Array(0), new Float64Array(0), C, { beta: 2 });
    expect(Array.from(C)).toEqual([2, 4, 6, 8]);
    K.gemm(2, 2, 0, new Float64Array(0), new Float64Array(0), C);
    expect(Array.from(C)).toEqual([0, 0, 0, 0]);
  });

  it('syrk equals XᵀX, exactly symmetric, for d below and above the blocking size', () => {
    for (const [n, d] of [
      [33, 7],
      [40, 400],
    ] as const) {
      for (const dt of DTYPES) {
        const X = arr(dt, rand(n * d, n + d), false);
        const C = arr(dt, rand(d * d, 3), false);
        for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) C[i * d + j] = C[j * d + i]!; // syrk reads the upper triangle
        const ref = naiveGemm(d, d, n, X, 0, d, true, X, 0, d, false, C, 0, d, 0.5, 2);
        K.syrk(n, d, X, C, { alpha: 0.5, beta: 2 });
        expectClose(C, ref.C, (i) => 2 * (n + 2) * eps(dt) * ref.mag[i]!, `syrk ${dt} ${n}x${d}`);
        let asym = 0;
        for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) if (C[i * d + j] !== C[j * d + i]) asym++;
        expect(asym).toBe(0);
      }
    }
  });

  it('rowSqNorms, sqdist: non-negative, zero on identical rows, equal to the naive distances', () => {
    for (const dt of DTYPES) {
      const [m, n, d] = [37, 19, 33];
      const Xs = rand(m * d, 7);
      const Ys = rand(n * d, 8);
      for (let j = 0; j < d; j++) Ys[3 * d + j] = Xs[5 * d + j]! * 100; // far from the origin: cancellation
      for (let j = 0; j < d; j++) Xs[5 * d + j] = Xs[5 * d + j]! * 100;
      const X = arr(dt, Xs, false);
      const Y = arr(dt, Ys, false);
      const D = arr(dt, new Float64Array(m * n), false);
      K.sqdist(m, n, d, X, Y, D);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          let mag = 0;
          for (let p = 0; p < d; p++) {
            s += (X[i * d + p]! - Y[j * d + p]!) ** 2;
            mag += X[i * d + p]! ** 2 + Y[j * d + p]! ** 2;
          }
          const v = D[i * n + j]!;
          expect(v).toBeGreaterThanOrEqual(0);
          expect(Math.abs(v - s)).toBeLessThanOrEqual(4 * (d + 2) * eps(dt) * mag);
        }
      }
      // identical rows, relative to their squared norm ~ 1e4 · d
      expect(D[5 * n + 3]!).toBeLessThanOrEqual(4 * (d + 2) * eps(dt) * 2e4 * d);
      const S = arr(dt, new Float64Array(m * m), false);
      K.sqdist(m, m, d, X, X, S);
      for (let i = 0; i < m; i++) expect(S[i * m + i]).toBe(0);
      const norms = arr(dt, new Float64Array(m), false);
      K.rowSqNorms(m, d, X, norms);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let p = 0; p < d; p++) s += X[i * d + p]! ** 2;
        expect(Math.abs(norms[i]! - s)).toBeLessThanOrEqual(4 * d * eps(dt) * s);
      }
    }
  });

  it('argminRows and topkRows: ascending, ties to the lower index, NaN never first', () => {
    const D = Float64Array.from([3, 1, 1, 2, 5, 5, 5, 5, NaN, 0, 2, 0]);
    const idx = new Int32Array(3);
    const val = new Float64Array(3);
    K.argminRows(3, 4, D, idx, val);
    expect(Array.from(idx)).toEqual([1, 0, 1]);
    expect(Array.from(val)).toEqual([1, 5, 0]);
    const ti = new Int32Array(9);
    const tv = new Float64Array(9);
    K.topkRows(3, 4, 3, D, ti, tv);
    expect(Array.from(ti)).toEqual([1, 2, 3, 0, 1, 2, 1, 3, 2]);
    expect(Array.from(tv)).toEqual([1, 1, 2, 5, 5, 5, 0, 0, 2]);
    // random rows against a full sort
    const [m, n] = [13, 257];
    for (const k of [1, 7, 257]) {
      const R2 = Float32Array.from(rand(m * n, k), (v) => Math.round(v * 20)); // many ties
      const i2 = new Int32Array(m * k);
      const v2 = new Float32Array(m * k);
      K.topkRows(m, n, k, R2, i2, v2);
      for (let i = 0; i < m; i++) {
        const order = Array.from({ length: n }, (_, j) => j).sort(
          (a, b) => R2[i * n + a]! - R2[i * n + b]! || a - b,
        );
        expect(Array.from(i2.subarray(i * k, i * k + k))).toEqual(order.slice(0, k));
      }
    }
  });

  it('vector maps and reductions, on heap and plain arrays', () => {
    for (const dt of DTYPES) {
      for (const heap of [false, true]) {
        for (const n of [0, 1, 7, 33, 1001]) {
          const xs = rand(n, n + 1);
          const ys = rand(n, n + 2);
          const x = arr(dt, xs, heap);
          const y = arr(dt, ys, heap);
          const out = arr(dt, new Float64Array(n), heap);
          const tol = n * eps(dt) * 4 + 1e-300;
          let s = 0;
          let dot = 0;
          let mx = -Infinity;
          for (let i = 0; i < n; i++) {
            s += x[i]!;
            dot += x[i]! * y[i]!;
            mx = Math.max(mx, x[i]!);
          }
          expect(Math.abs(K.vecSum(x) - s)).toBeLessThanOrEqual(tol);
          expect(Math.abs(K.vecDot(x, y) - dot)).toBeLessThanOrEqual(tol);
          expect(K.vecMax(x)).toBe(mx);
          K.vecAdd(x, y, out);
          expectClose(
            out,
            Array.from(x, (v, i) => v + y[i]!),
            () => 4 * eps(dt),
            'vecAdd',
          );
          K.vecMul(x, y, out);
          expectClose(
            out,
            Array.from(x, (v, i) => v * y[i]!),
            () => 2 * eps(dt),
            'vecMul',
          );
          const y0 = Float64Array.from(y);
          K.vecAxpy(-0.5, x, y);
          expectClose(
            y,
            Array.from(x, (v, i) => y0[i]! - 0.5 * v),
            () => 4 * eps(dt),
            'vecAxpy',
          );
          K.vecScale(2, x);
          expectClose(
            x,
            Array.from(xs, (v) => (dt === 'f32' ? Math.fround(2 * Math.fround(v)) : 2 * v)),
            () => 0,
            'vecScale',
          );
          if (n > 3) {
            x[3] = NaN;
            expect(K.vecMax(x)).toBeNaN();
          }
          if (heap) for (const v of [x, y, out]) wasmHeap.free(v);
        }
      }
    }
  });
});

describe('matmul on Matrix views', () => {
  it('row blocks, column blocks, transposes and strided views give the dense product', async () => {
    const { Matrix } = await import('../../src/core/matrix.js');
    const base = new Matrix(rand(9 * 11, 5), 9, 11); // 9x11 row-major
    const other = new Matrix(rand(11 * 7, 6), 11, 7);
    const dense = (M: InstanceType<typeof Matrix>) => M.toArray();
    const ref = (X: number[][], Y: number[][]) =>
      X.map((r) => Y[0]!.map((_, j) => r.reduce((s, v, p) => s + v * Y[p]![j]!, 0)));
    const cases: [InstanceType<typeof Matrix>, InstanceType<typeof Matrix>][] = [
      [base, other],
      [base.rowSlice(2, 7), other],
      [new Matrix(base.data, 9, 5, 3, 11, 1), new Matrix(other.data, 5, 7, 0, 7, 1)], // column block (row stride 11)
      [other.T, base.T], // both transposed: 7x11 · 11x9
      [base.T.T, other],
      [new Matrix(base.data, 3, 4, 1, 22, 2), new Matrix(other.data, 4, 2, 0, 7, 3)], // strided both ways: copied
      [base.rowSlice(4, 5), other], // a single row
      [base, other.T.rowSlice(0, 1).T], // a single column
    ];
    for (const [X, Y] of cases) {
      for (const backend of BACKENDS) {
        K.setBackend(backend);
        const C = K.matmul(X, Y);
        const R0 = ref(dense(X), dense(Y));
        expect(C.shape).toEqual([X.rows, Y.cols]);
        expectClose(
          C.data,
          R0.flat(),
          () => 1e-13,
          `matmul ${X.rows}x${X.cols}·${Y.rows}x${Y.cols} [${backend}]`,
        );
      }
    }
    K.setBackend('wasm');
  });
});

describe('wasm operand handling', () => {
  beforeAll(() => K.setBackend('wasm'));
  it('copies narrow views of wide arrays densely (only the block), for every transpose', () => {
    const W0 = 300;
    for (const dt of DTYPES) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const [m, n, k] = [50, 40, 20];
          const Abig = arr(dt, rand(W0 * W0, 31), false);
          const Bbig = arr(dt, rand(W0 * W0, 32), false);
          const C = arr(dt, rand(m * W0, 33), false);
          const o = {
            transA: ta,
            transB: tb,
            lda: W0,
            ldb: W0,
            ldc: W0,
            aOffset: 7 * W0 + 100,
            bOffset: 3 * W0 + 11,
            cOffset: 5,
            alpha: 1.25,
            beta: 0.5,
          };
          const ref = naiveGemm(
            m,
            n,
            k,
            Abig,
            o.aOffset,
            W0,
            ta,
            Bbig,
            o.bOffset,
            W0,
            tb,
            C,
            o.cOffset,
            W0,
            o.alpha,
            o.beta,
          );
          K.gemm(m, n, k, Abig, Bbig, C, o);
          expectClose(
            C,
            ref.C,
            (i) => 2 * (k + 2) * eps(dt) * ref.mag[i]! + 1e-300,
            `narrow views ${dt} ta=${ta} tb=${tb}`,
          );
        }
      }
    }
  });

  it('processes products larger than the scratch budget in blocks, with the same result', () => {
    const [m, n, k] = [150, 140, 300];
    const A = rand(m * k, 1);
    const B = rand(k * n, 2);
    const C0 = rand(m * n, 3);
    const ref = naiveGemm(m, n, k, A, 0, k, false, B, 0, k, true, C0, 0, n, 1.5, 0.5);
    W._setScratchBudget(40_000); // bytes: forces splitting along m, n and k
    try {
      const C = Float64Array.from(C0);
      K.gemm(m, n, k, A, B, C, { alpha: 1.5, beta: 0.5, ldb: k, transB: true });
      expectClose(C, ref.C, (i) => 2 * (k + 2) * eps('f64') * ref.mag[i]!, 'blocked gemm');
    } finally {
      W._setScratchBudget(512 * 1024 * 1024);
    }
  });

  it('sqdist: heap operands, precomputed norms and blocked processing agree with the TS backend', () => {
    for (const dt of DTYPES) {
      const [m, n, d] = [70, 45, 37];
      const Xs = rand(m * d, 11);
      const Ys = rand(n * d, 12);
      const ref = arr(dt, new Float64Array(m * n), false);
      K.setBackend('ts');
      K.sqdist(m, n, d, arr(dt, Xs, false), arr(dt, Ys, false), ref);
      K.setBackend('wasm');
      const tol = () => 8 * (d + 2) * eps(dt) * 2 * d;
      for (const heap of [false, true]) {
        for (const budget of [512 * 1024 * 1024, 6000]) {
          W._setScratchBudget(budget);
          try {
            const X = arr(dt, Xs, heap);
            const Y = arr(dt, Ys, heap);
            const D = arr(dt, new Float64Array(m * n).fill(NaN), heap);
            K.sqdist(m, n, d, X, Y, D);
            expectClose(D, ref, tol, `sqdist ${dt} heap=${heap} budget=${budget}`);
            const xn = arr(dt, new Float64Array(m), heap);
            const yn = arr(dt, new Float64Array(n), heap);
            K.rowSqNorms(m, d, X, xn);
            K.rowSqNorms(n, d, Y, yn);
            D.fill(NaN);
            K.sqdist(m, n, d, X, Y, D, { xNorms: xn, yNorms: yn });
            expectClose(D, ref, tol, `sqdist with norms ${dt} heap=${heap} budget=${budget}`);
            if (heap) for (const v of [X, Y, D, xn, yn]) wasmHeap.free(v);
          } finally {
            W._setScratchBudget(512 * 1024 * 1024);
          }
        }
      }
    }
  });

  it('wasmHeap: random allocations and frees never overlap (contents survive)', () => {
    const live: { v: Float32Array | Float64Array; tag: number }[] = [];
    const before = wasmHeap.bytesInUse;
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let step = 0; step < 2000; step++) {
      if (live.length > 0 && next() < 0.45) {
        const i = Math.floor(next() * live.length);
        const { v, tag } = live[i]!;
        if (!v.every((x) => x === tag)) throw new Error(`allocation ${tag} was overwritten`);
        wasmHeap.free(v);
        live.splice(i, 1);
      } else {
        const n = 1 + Math.floor(next() ** 3 * 30_000);
        const v = next() < 0.5 ? wasmHeap.allocF32(n) : wasmHeap.allocF64(n);
        expect(v.every((x) => x === 0)).toBe(true);
        v.fill(step);
        live.push({ v, tag: step });
      }
    }
    for (const { v, tag } of live) {
      expect(v.every((x) => x === tag)).toBe(true);
      wasmHeap.free(v);
    }
    expect(wasmHeap.bytesInUse).toBe(before);
  });

  it('wasmHeap: views stay valid while the memory grows; free/reuse; clear error past 4 GiB', () => {
    const a = wasmHeap.allocF32(1000);
    a.fill(7);
    const before = wasmHeap.capacity;
    const bigN = Math.ceil(wasmHeap.capacity / 8) + 1_000_000; // more than the whole memory: must grow
    const big = wasmHeap.allocF64(bigN);
    expect(wasmHeap.capacity).toBeGreaterThan(before);
    expect(a[999]).toBe(7);
    a[0] = 3;
    expect(a[0]).toBe(3);
    expect(wasmHeap.isInHeap(a) && wasmHeap.isInHeap(big)).toBe(true);
    expect(wasmHeap.isInHeap(new Float32Array(4))).toBe(false);
    const used = wasmHeap.bytesInUse;
    wasmHeap.free(big);
    expect(wasmHeap.bytesInUse).toBeLessThan(used);
    const again = wasmHeap.allocF64(bigN);
    expect(again.every((v) => v === 0)).toBe(true);
    wasmHeap.free(again);
    wasmHeap.free(a);
    expect(() => wasmHeap.free(a)).toThrow(/was not allocated by wasmHeap/);
    expect(() => wasmHeap.allocF64(1e9)).toThrow(/wasm32 addresses at most 4 GiB/);
    // scratch regions (operand copies) go back to the free list on request, and come back when needed
    const [m, n, k] = [120, 90, 70];
    const A = rand(m * k, 1);
    const B = rand(k * n, 2);
    const C = new Float64Array(m * n);
    K.gemm(m, n, k, A, B, C);
    const withScratch = wasmHeap.bytesInUse;
    wasmHeap.releaseScratch();
    expect(wasmHeap.bytesInUse).toBeLessThanOrEqual(withScratch - (m * k + k * n + m * n) * 8);
    const C2 = new Float64Array(m * n);
    K.gemm(m, n, k, A, B, C2);
    expect(Array.from(C2)).toEqual(Array.from(C));
  });
});
