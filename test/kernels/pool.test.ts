import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerCtor } from '../../src/kernels/pool.js';
import { loadKernels, naiveGemm, rand } from './load.js';

const { k: K, w: W } = await loadKernels();
const { wasmHeap } = K;

function maxErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++)
    e = Math.max(e, Math.abs(a[i]! - b[i]!) || (Number.isNaN(a[i]!) ? Infinity : 0));
  return e;
}

describe('worker pool (2 threads over shared memory)', () => {
  const pool = W.wasmPool()!;
  beforeAll(async () => {
    K.setBackend('wasm');
    expect(pool, 'the threaded wasm variant should load in Node').not.toBeNull();
    K.setPoolOptions({ threads: 1, minFlops: 0, stallTimeoutMs: 10_000, adaptive: false });
    expect(await W.whenPoolReady(10_000)).toBe(1);
  });
  afterAll(() => K.setPoolOptions({ minFlops: 2_000_000, stallTimeoutMs: 10_000, adaptive: true }));

  it('thousands of dispatches in a row give correct results (rows and columns split)', () => {
    const before = K.getPoolStats().dispatches;
    for (const [m, n, k] of [
      [64, 24, 40],
      [6, 80, 33],
    ] as const) {
      const A = wasmHeap.allocF32(m * k);
      const B = wasmHeap.allocF32(k * n);
      const C = wasmHeap.allocF32(m * n);
      A.set(rand(m * k, m));
      B.set(rand(k * n, n));
      const ref = naiveGemm(m, n, k, A, 0, k, false, B, 0, n, false, C, 0, n, 1, 0);
      for (let it = 0; it < 1500; it++) {
        C.fill(NaN);
        K.gemm(m, n, k, A, B, C);
        const e = maxErr(C, ref.C);
        if (!(e < 1e-4)) throw new Error(`dispatch ${it}: max error ${e}`);
      }
      for (const v of [A, B, C]) wasmHeap.free(v);
    }
    expect(K.getPoolStats().dispatches - before).toBe(3000);
  });

  it('results are bit-identical however the product is split between threads (any alpha, beta)', () => {
    for (const dt of ['f32', 'f64'] as const) {
      for (const [m, n, k] of [
        [103, 37, 300],
        [6, 203, 45],
      ] as const) {
        const mk = (src: ArrayLike<number>): Float32Array | Float64Array =>
          dt === 'f32' ? Float32Array.from(src) : Float64Array.from(src);
        const A = mk(rand(m * k, 3));
        const B = mk(rand(k * n, 4));
        const C0 = mk(rand(m * n, 5));
        const run = (minFlops: number, share: number) => {
          K.setPoolOptions({ minFlops });
          pool.share = share;
          const C = mk(C0);
          K.gemm(m, n, k, A, B, C, { alpha: 0.7, beta: 0.3 });
          return C;
        };
        const single = run(Infinity, 0.5);
        for (const share of [0.13, 0.5, 0.71]) {
          const split = run(0, share);
          let diff = 0;
          for (let i = 0; i < single.length; i++) if (split[i] !== single[i]) diff++;
          expect(diff, `${dt} ${m}x${n}x${k} share ${share}`).toBe(0);
        }
      }
    }
    K.setPoolOptions({ minFlops: 0 });
    pool.share = 0.5;
  });

  for (const fault of ['exit', 'hang'] as const) {
    it(`a worker that ${fault === 'exit' ? 'dies' : 'hangs'} mid-call gives a clear error in bounded time; later calls still work`, async () => {
      expect(await W.whenPoolReady(10_000)).toBe(1);
      K.setPoolOptions({ stallTimeoutMs: 300 });
      const [m, n, k] = [96, 64, 50];
      const A = rand(m * k, 1);
      const B = rand(k * n, 2);
      const ref = naiveGemm(m, n, k, A, 0, k, false, B, 0, n, false, new Float64Array(m * n), 0, n, 1, 0);
      const C = new Float64Array(m * n);
      const failuresBefore = K.getPoolStats().failures;
      pool.injectFault(0, fault);
      const t0 = performance.now();
      expect(() => K.gemm(m, n, k, A, B, C)).toThrow(
        /worker thread 1 did not finish its share of gemm_f64 within 300 ms \(it died or stalled\)/,
      );
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(K.getPoolStats().failures).toBe(failuresBefore + 1);
      // right away: the main thread alone
      C.fill(0);
      K.gemm(m, n, k, A, B, C);
      expect(maxErr(C, ref.C)).toBeLessThan(1e-12);
      // a replacement worker takes over
      expect(await W.whenPoolReady(10_000)).toBe(1);
      const d0 = K.getPoolStats().dispatches;
      C.fill(0);
      K.gemm(m, n, k, A, B, C);
      expect(maxErr(C, ref.C)).toBeLessThan(1e-12);
      expect(K.getPoolStats().dispatches).toBe(d0 + 1);
      K.setPoolOptions({ stallTimeoutMs: 10_000 });
    });
  }

  it('adaptive mode keeps a size class on one thread when splitting does not pay, and re-tries it', () => {
    K.setPoolOptions({ adaptive: true });
    const flops = 2 ** 44; // a size class no other test touches
    const picks: boolean[] = [];
    for (let i = 0; i < 64; i++) {
      const split = pool.shouldSplit(flops);
      picks.push(split);
      pool.record(flops, split, split ? 3000 : 1000); // splitting 3x slower, as on a crowded machine
    }
    expect(picks.slice(0, 3)).toEqual([true, true, true]); // measure the split first
    expect(picks.slice(3, 6)).toEqual([false, false, false]); // then one thread
    const later = picks.slice(6);
    expect(later.filter((x) => x).length).toBe(later.filter((_, i) => (i + 7) % 16 === 0).length); // re-try every 16th call
    K.setPoolOptions({ adaptive: false });
  });

  it('threads: 0 runs everything on the main thread', () => {
    K.setPoolOptions({ threads: 0 });
    const d0 = K.getPoolStats().dispatches;
    const C = new Float64Array(64 * 64);
    K.gemm(64, 64, 64, rand(4096, 1), rand(4096, 2), C);
    expect(K.getPoolStats().dispatches).toBe(d0);
    K.setPoolOptions({ threads: 1 });
  });
});

describe('browser Worker variant of the pool (same protocol, run here through a stand-in Worker)', () => {
  it('runs dispatches through a Blob-URL worker and reports a dead one', async () => {
    const { Worker: NodeWorker } = await import('node:worker_threads');
    const { resolveObjectURL } = await import('node:buffer');
    // A minimal browser-like Worker on top of worker_threads: `self`, onmessage, close, error events.
    class FakeWorker {
      private t: InstanceType<typeof NodeWorker> | null = null;
      private pending: unknown[] = [];
      private listeners: ((e: unknown) => void)[] = [];
      constructor(url: string) {
        void resolveObjectURL(url)!
          .text()
          .then((src) => {
            const prelude =
              "const { parentPort } = require('node:worker_threads'); globalThis.self = globalThis;" +
              "self.close = () => process.exit(0); parentPort.once('message', (data) => self.onmessage({ data }));\n";
            this.t = new NodeWorker(prelude + src, { eval: true });
            this.t.unref();
            this.t.on('error', (e) => this.listeners.forEach((f) => f(e)));
            for (const m of this.pending) this.t.postMessage(m);
          });
      }
      postMessage(m: unknown): void {
        if (this.t) this.t.postMessage(m);
        else this.pending.push(m);
      }
      terminate(): void {
        void this.t?.terminate();
      }
      addEventListener(ev: string, f: (e: unknown) => void): void {
        if (ev === 'error') this.listeners.push(f);
      }
    }
    const g = globalThis as { Worker?: unknown };
    const saved = g.Worker;
    g.Worker = FakeWorker;
    try {
      const P = await import('../../src/kernels/pool.js');
      const heap = await import('../../src/kernels/heap.js');
      const module = new WebAssembly.Module(W.readVariantSync('kernels-relaxed-mt')! as BufferSource);
      const bp = new P.WorkerPool(
        module,
        heap.memory,
        () => heap.allocBytes(1 << 21),
        P.BrowserWorkerAdapter as unknown as WorkerCtor,
        P.BROWSER_WORKER_SOURCE,
      );
      bp.configure({ minFlops: 0, adaptive: false, stallTimeoutMs: 300 });
      expect(await bp.whenReady(10_000)).toBe(1);
      const [m, n, k] = [37, 29, 41];
      const A = wasmHeap.allocF32(m * k);
      const B = wasmHeap.allocF32(k * n);
      const C = wasmHeap.allocF32(m * n);
      A.set(rand(m * k, 21));
      B.set(rand(k * n, 22));
      const ref = naiveGemm(m, n, k, A, 0, k, false, B, 0, n, false, C, 0, n, 1, 0);
      const slot = bp.available(1)[0]!;
      for (let it = 0; it < 300; it++) {
        C.fill(NaN);
        bp.post(slot, 'gemm_f32', [
          m,
          n,
          k,
          A.byteOffset,
          k,
          0,
          B.byteOffset,
          n,
          0,
          C.byteOffset,
          n,
          1,
          0,
          slot.work,
        ]);
        bp.wait(slot, 0, 'gemm_f32');
        const e = maxErr(C, ref.C);
        if (!(e < 1e-4)) throw new Error(`browser-variant dispatch ${it}: max error ${e}`);
      }
      bp.injectFault(0, 'exit');
      bp.post(slot, 'gemm_f32', [
        m,
        n,
        k,
        A.byteOffset,
        k,
        0,
        B.byteOffset,
        n,
        0,
        C.byteOffset,
        n,
        1,
        0,
        slot.work,
      ]);
      expect(() => bp.wait(slot, 0, 'gemm_f32')).toThrow(
        /did not finish its share of gemm_f32 within 300 ms/,
      );
      bp.shutdown();
      for (const v of [A, B, C]) wasmHeap.free(v);
    } finally {
      g.Worker = saved;
    }
  });
});
