/**
 * WebAssembly SIMD backend: loads the AssemblyScript kernels (src/kernels/assembly/, built by
 * scripts/build-wasm.mjs) and registers them behind the public kernel functions.
 *
 * Loading. In Node the module is read and compiled synchronously when this file is imported
 * (readFileSync + new WebAssembly.Module), so `import { gemm } from 'unsupervised'` needs no await.
 * The .wasm files are looked up next to the compiled code (dist/kernels/wasm/, copied there by
 * scripts/copy-wasm.mjs) and then in build/wasm/ (running from src/ under tsx or vitest). Variant
 * order: relaxed SIMD (FMA; on Node 20 this needs --experimental-wasm-relaxed-simd, which we try to
 * switch on with v8.setFlagsFromString before giving up), then plain SIMD (about 20% slower), then the
 * TypeScript backend. Browsers call `initKernels()` (async fetch + compile).
 *
 * Operands. Typed arrays from `wasmHeap` are passed by address (no copy). Others are copied into
 * reusable scratch regions of the same memory, C is copied back; if the copies would exceed the
 * scratch budget (or the 4 GiB wasm32 limit) the product is split along its largest dimension and
 * done in blocks, so big inputs are slower, never wrong. Products of more than
 * `PoolOptions.minFlops` are split by rows (or columns) between the main thread and the worker pool.
 */
import { allocBytes, freeBytes, heapBuffer, isInHeap, memory, memoryIsShared, scratch } from './heap.js';
import { MAX_FFT_GRID, fftRepulsion2dTs, type FftRepulsionBuffers } from './ts-fft.js';
import {
  BROWSER_WORKER_SOURCE,
  BrowserWorkerAdapter,
  NODE_WORKER_SOURCE,
  WorkerPool,
  browserPoolPossible,
  type PoolOp,
  type PoolOptions,
  type PoolStats,
  type WorkerCtor,
} from './pool.js';
import { registerBackend, tsBackend, type GemmImpl, type KernelBackend } from './registry.js';
import * as ts from './ts-backend.js';
import * as tsnn from './ts-nn.js';
import * as tstsne from './ts-tsne.js';

export type { PoolOptions, PoolStats } from './pool.js';

type F32 = Float32Array;
type F64 = Float64Array;
type Float = F32 | F64;

interface KernelExports {
  WORKSPACE_BYTES: WebAssembly.Global;
  gemm_f32(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    ta: number,
    b: number,
    ldb: number,
    tb: number,
    c: number,
    ldc: number,
    alpha: number,
    beta: number,
    work: number,
  ): void;
  gemm_f64(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    ta: number,
    b: number,
    ldb: number,
    tb: number,
    c: number,
    ldc: number,
    alpha: number,
    beta: number,
    work: number,
  ): void;
  rownorms_f32(m: number, d: number, x: number, ldx: number, out: number): void;
  rownorms_f64(m: number, d: number, x: number, ldx: number, out: number): void;
  sqdist_finish_f32(m: number, n: number, d: number, ldd: number, xn: number, yn: number): void;
  sqdist_finish_f64(m: number, n: number, d: number, ldd: number, xn: number, yn: number): void;
  axpy_f32(n: number, alpha: number, x: number, y: number): void;
  axpy_f64(n: number, alpha: number, x: number, y: number): void;
  scale_f32(n: number, alpha: number, x: number): void;
  scale_f64(n: number, alpha: number, x: number): void;
  binary_f32(op: number, n: number, x: number, y: number, out: number): void;
  binary_f64(op: number, n: number, x: number, y: number, out: number): void;
  dot_f32(n: number, x: number, y: number): number;
  dot_f64(n: number, x: number, y: number): number;
  max_f32(n: number, x: number): number;
  max_f64(n: number, x: number): number;
  map_f32(op: number, n: number, x: number, out: number): void;
  leaky_relu_f32(n: number, alpha: number, x: number, out: number): void;
  leaky_relu_bwd_f32(n: number, alpha: number, ref: number, g: number, dx: number, acc: number): void;
  sigmoid_bwd_f32(n: number, s: number, g: number, dx: number, acc: number): void;
  colsum_add_f32(m: number, n: number, g: number, db: number): void;
  bce_sum_f32(n: number, p: number, t: number): number;
  bce_bwd_f32(mode: number, n: number, k: number, p: number, t: number, dx: number, acc: number): void;
  adam_f32(
    n: number,
    w: number,
    g: number,
    m: number,
    v: number,
    b1: number,
    b2: number,
    stepSize: number,
    invSbc2: number,
    eps: number,
    wd: number,
  ): void;
  tsne_bh_bytes(n: number, cap: number): number;
  tsne_bh_list_bytes(n: number): number;
  tsne_bh_build(ws: number, n: number, cap: number, y: number, leaf: number, group: number): number;
  tsne_bh_repulse(ws: number, theta: number, counter: number, list: number, rep: number, sumw: number): void;
  tsne_attract_upper(
    n: number,
    y: number,
    indptr: number,
    indices: number,
    data: number,
    split: number,
    out0: number,
    out1: number,
    klrow: number,
    counter: number,
  ): void;
  tsne_attract(
    n: number,
    y: number,
    indptr: number,
    indices: number,
    data: number,
    attr: number,
    klrow: number,
    counter: number,
  ): void;
  fft_plan_bytes(N: number): number;
  fft_plan(tw: number, N: number): void;
  fft_grid_bytes(N: number): number;
  fft_rows_fwd(grid: number, tw: number, G: number, full: number, counter: number): void;
  fft_cols(grid: number, tw: number, khat: number, mode: number, buf: number, counter: number): void;
  fft_col_buf_bytes(N: number): number;
  fft_rows_inv(grid: number, tw: number, G: number, counter: number): void;
  fft_kernel_fill(grid: number, N: number, G: number, h: number): void;
  fft_kernel_take(grid: number, N: number, khat: number): void;
  fft_spread(
    n: number,
    y: number,
    grid: number,
    N: number,
    G: number,
    p: number,
    lo: number,
    boxW: number,
    box: number,
    wts: number,
  ): void;
  fft_gather(
    n: number,
    y: number,
    grid: number,
    N: number,
    p: number,
    box: number,
    wts: number,
    selfT: number,
    rep: number,
    zi: number,
    counter: number,
  ): void;
  fft_self_table(selfT: number, p: number, h: number): void;
  fft_sum(n: number, zi: number): number;
}

/** Variants in order of preference for this memory. */
export const WASM_VARIANTS: readonly string[] = memoryIsShared
  ? ['kernels-relaxed-mt', 'kernels-simd-mt']
  : ['kernels-relaxed-st', 'kernels-simd-st'];

/** Bytes of operand copies one product may use before it is split into blocks (tests lower it). */
let scratchBudget = 512 * 1024 * 1024;
/** Internal (tests): sets the copy budget that triggers blocked processing. */
export function _setScratchBudget(bytes: number): void {
  scratchBudget = bytes;
}

/** Scratch space could not be had: the wasm memory is full. */
class OutOfWasmMemory extends Error {
  override readonly name = 'OutOfWasmMemory';
}

/** Below this many flops, operands that would need copying go to the TypeScript kernels instead. */
const COPY_MIN_FLOPS = 1 << 16;

export interface WasmInstanceInfo {
  variant: string;
  relaxed: boolean;
  threads: boolean;
}

/** Builds a backend object around one instantiated kernel module. */
export function makeWasmBackend(
  module: WebAssembly.Module,
  variant: string,
): { backend: KernelBackend; pool: WorkerPool | null } {
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const workBytes = ex.WORKSPACE_BYTES.value as number;
  const mainWork = allocBytes(workBytes);
  if (mainWork < 0) throw new Error('kernels: no room for the wasm packing workspace');
  const threads = variant.endsWith('-mt');
  // Node: worker_threads; browsers: Web Workers, only from inside a Web Worker (blocking allowed)
  const nodeWorker = nodeBuiltin<{ Worker?: WorkerCtor }>('node:worker_threads')?.Worker ?? null;
  const [WorkerClass, source] = nodeWorker
    ? [nodeWorker, NODE_WORKER_SOURCE]
    : browserPoolPossible()
      ? [BrowserWorkerAdapter as unknown as WorkerCtor, BROWSER_WORKER_SOURCE]
      : [null, NODE_WORKER_SOURCE];
  const pool =
    threads && memoryIsShared
      ? new WorkerPool(module, memory, () => allocBytes(workBytes), WorkerClass, source)
      : null;
  const relaxed = variant.includes('relaxed');

  /** Runs one product whose operands are all in wasm memory, split across threads when large. */
  function run(
    f64: boolean,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    ta: boolean,
    b: number,
    ldb: number,
    tb: boolean,
    c: number,
    ldc: number,
    alpha: number,
    beta: number,
  ): void {
    const fn = f64 ? ex.gemm_f64 : ex.gemm_f32;
    const bpe = f64 ? 8 : 4;
    const ita = ta ? 1 : 0;
    const itb = tb ? 1 : 0;
    const flops = 2 * m * n * k;
    const slots = pool ? pool.available(flops) : [];
    const parts = slots.length + 1;
    // each thread packs its own copy of the operand it shares: rows duplicate op(B) (k×n), columns
    // duplicate op(A) (m×k), so split the longer of m and n
    const byRows = m >= 16 * parts && (m >= n || n < 16 * parts);
    if (parts === 1 || (!byRows && n < 16 * parts)) {
      fn(m, n, k, a, lda, ita, b, ldb, itb, c, ldc, alpha, beta, mainWork);
      return;
    }
    if (!pool!.shouldSplit(flops)) {
      const t0 = performance.now();
      fn(m, n, k, a, lda, ita, b, ldb, itb, c, ldc, alpha, beta, mainWork);
      pool!.record(flops, false, performance.now() - t0);
      return;
    }
    const tStart = performance.now();
    const what = f64 ? 'gemm_f64' : 'gemm_f32';
    const op = f64 ? 'gemm_f64' : 'gemm_f32';
    const share = pool!.share;
    if (byRows) {
      // workers take `chunk` rows each from the bottom; the main thread does the rows above
      const chunk = Math.max(4, Math.round((m * share) / 4) * 4);
      const mainRows = Math.max(4, m - chunk * slots.length);
      for (let w = 0; w < slots.length; w++) {
        const i0 = mainRows + w * chunk;
        const rows = Math.min(chunk, m - i0);
        if (rows <= 0) continue;
        const aw = a + (ta ? i0 : i0 * lda) * bpe;
        pool!.post(slots[w]!, op, [
          rows,
          n,
          k,
          aw,
          lda,
          ita,
          b,
          ldb,
          itb,
          c + i0 * ldc * bpe,
          ldc,
          alpha,
          beta,
          slots[w]!.work,
        ]);
      }
      const t0 = performance.now();
      try {
        fn(mainRows, n, k, a, lda, ita, b, ldb, itb, c, ldc, alpha, beta, mainWork);
      } finally {
        const dt = performance.now() - t0;
        const used = slots.filter((_, w) => mainRows + w * chunk < m);
        for (const s of used) pool!.wait(s, dt, what);
        pool!.balance(used, mainRows, dt, chunk);
        pool!.record(flops, true, performance.now() - tStart);
      }
    } else {
      const chunk = Math.max(8, Math.round((n * share) / 8) * 8);
      const mainCols = Math.max(8, n - chunk * slots.length);
      for (let w = 0; w < slots.length; w++) {
        const j0 = mainCols + w * chunk;
        const cols = Math.min(chunk, n - j0);
        if (cols <= 0) continue;
        const bw = b + (tb ? j0 * ldb : j0) * bpe;
        pool!.post(slots[w]!, op, [
          m,
          cols,
          k,
          a,
          lda,
          ita,
          bw,
          ldb,
          itb,
          c + j0 * bpe,
          ldc,
          alpha,
          beta,
          slots[w]!.work,
        ]);
      }
      const t0 = performance.now();
      try {
        fn(m, mainCols, k, a, lda, ita, b, ldb, itb, c, ldc, alpha, beta, mainWork);
      } finally {
        const dt = performance.now() - t0;
        const used = slots.filter((_, w) => mainCols + w * chunk < n);
        for (const s of used) pool!.wait(s, dt, what);
        pool!.balance(used, mainCols, dt, chunk);
        pool!.record(flops, true, performance.now() - tStart);
      }
    }
  }

  function makeGemm<T extends Float>(
    f64: boolean,
    tsGemm: GemmImpl<T>,
    View: new (b: ArrayBufferLike, o: number, n: number) => T,
  ): GemmImpl<T> {
    const bpe = f64 ? 8 : 4;
    const gemmBlock = (
      m: number,
      n: number,
      k: number,
      A: T,
      ao: number,
      lda: number,
      ta: boolean,
      B: T,
      bo: number,
      ldb: number,
      tb: boolean,
      C: T,
      co: number,
      ldc: number,
      alpha: number,
      beta: number,
    ): void => {
      if (m === 0 || n === 0) return;
      if (k === 0 || alpha === 0) {
        tsGemm(m, n, 0, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
        return;
      }
      if (m === 1 || n === 1) {
        // matrix-vector: one pass over the operands in place beats copying and packing them
        tsGemm(m, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
        return;
      }
      const aIn = isInHeap(A);
      const bIn = isInHeap(B);
      const cIn = isInHeap(C);
      if (aIn && bIn && cIn) {
        run(
          f64,
          m,
          n,
          k,
          A.byteOffset + ao * bpe,
          lda,
          ta,
          B.byteOffset + bo * bpe,
          ldb,
          tb,
          C.byteOffset + co * bpe,
          ldc,
          alpha,
          beta,
        );
        return;
      }
      if (2 * m * n * k < COPY_MIN_FLOPS) {
        tsGemm(m, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
        return;
      }
      // elements to copy: A and B as stored (their whole span, or row by row into a dense block when
      // they are narrow views of wider arrays), and C densely
      const aRows = ta ? k : m;
      const aCols = ta ? m : k;
      const bRows = tb ? n : k;
      const bCols = tb ? k : n;
      const aPack = !aIn && aRows > 1 && lda > aCols + (aCols >> 2);
      const bPack = !bIn && bRows > 1 && ldb > bCols + (bCols >> 2);
      const aSpan = aPack ? aRows * aCols : (aRows - 1) * lda + aCols;
      const bSpan = bPack ? bRows * bCols : (bRows - 1) * ldb + bCols;
      const ldaW = aPack ? aCols : lda;
      const ldbW = bPack ? bCols : ldb;
      const shareAB = !aIn && !bIn && !aPack && !bPack && A === B;
      const abLo = shareAB ? Math.min(ao, bo) : 0;
      const abSpan = shareAB ? Math.max(ao + aSpan, bo + bSpan) - abLo : 0;
      const bytes = ((shareAB ? abSpan : (aIn ? 0 : aSpan) + (bIn ? 0 : bSpan)) + (cIn ? 0 : m * n)) * bpe;
      const copyIn = (
        addr: number,
        X: T,
        off: number,
        rows: number,
        cols: number,
        ld: number,
        pack: boolean,
      ) => {
        const v = new View(heapBuffer(), addr, pack ? rows * cols : (rows - 1) * ld + cols);
        if (!pack) v.set(X.subarray(off, off + (rows - 1) * ld + cols));
        else for (let r = 0; r < rows; r++) v.set(X.subarray(off + r * ld, off + r * ld + cols), r * cols);
      };
      let aAddr = -1;
      let bAddr = -1;
      let cAddr = -1;
      if (bytes <= scratchBudget) {
        if (shareAB) {
          const base = scratch('A', abSpan * bpe);
          if (base >= 0) {
            new View(heapBuffer(), base, abSpan).set(A.subarray(abLo, abLo + abSpan));
            aAddr = base + (ao - abLo) * bpe;
            bAddr = base + (bo - abLo) * bpe;
          }
        } else {
          aAddr = aIn ? A.byteOffset + ao * bpe : scratch('A', aSpan * bpe);
          if (aAddr >= 0 && !aIn) copyIn(aAddr, A, ao, aRows, aCols, lda, aPack);
          bAddr = bIn ? B.byteOffset + bo * bpe : scratch('B', bSpan * bpe);
          if (bAddr >= 0 && !bIn) copyIn(bAddr, B, bo, bRows, bCols, ldb, bPack);
        }
        cAddr = cIn ? C.byteOffset + co * bpe : scratch('C', m * n * bpe);
      }
      if (bytes <= scratchBudget && (aAddr < 0 || bAddr < 0 || cAddr < 0)) {
        // the wasm memory itself is full (wasm32 limit, or a fixed private memory): plain TypeScript
        tsGemm(m, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
        return;
      }
      if (aAddr < 0 || bAddr < 0 || cAddr < 0) {
        // too big for the copy budget: split the largest dimension and recurse (each half fits eventually)
        if (m >= n && m >= k && m > 1) {
          const h = m >> 1;
          gemmBlock(h, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
          gemmBlock(
            m - h,
            n,
            k,
            A,
            ao + (ta ? h : h * lda),
            lda,
            ta,
            B,
            bo,
            ldb,
            tb,
            C,
            co + h * ldc,
            ldc,
            alpha,
            beta,
          );
        } else if (n >= k && n > 1) {
          const h = n >> 1;
          gemmBlock(m, h, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
          gemmBlock(
            m,
            n - h,
            k,
            A,
            ao,
            lda,
            ta,
            B,
            bo + (tb ? h * ldb : h),
            ldb,
            tb,
            C,
            co + h,
            ldc,
            alpha,
            beta,
          );
        } else if (k > 1) {
          const h = k >> 1;
          gemmBlock(m, n, h, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
          gemmBlock(
            m,
            n,
            k - h,
            A,
            ao + (ta ? h * lda : h),
            lda,
            ta,
            B,
            bo + (tb ? h : h * ldb),
            ldb,
            tb,
            C,
            co,
            ldc,
            alpha,
            1,
          );
        } else {
          tsGemm(m, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
        }
        return;
      }
      const ldcW = cIn ? ldc : n;
      if (!cIn && beta !== 0) {
        const cv = new View(heapBuffer(), cAddr, m * n);
        if (ldc === n) cv.set(C.subarray(co, co + m * n));
        else for (let i = 0; i < m; i++) cv.set(C.subarray(co + i * ldc, co + i * ldc + n), i * n);
      }
      run(f64, m, n, k, aAddr, ldaW, ta, bAddr, ldbW, tb, cAddr, ldcW, alpha, beta);
      if (!cIn) {
        const cv = new View(heapBuffer(), cAddr, m * n);
        if (ldc === n) C.set(cv, co);
        else for (let i = 0; i < m; i++) C.set(cv.subarray(i * n, i * n + n), co + i * ldc);
      }
    };
    return gemmBlock;
  }

  /**
   * Squared distances with everything in wasm memory: norms (SIMD), the −2·X·Yᵀ product (threaded)
   * and the clamp, then one copy of each row block of D out. Operands outside the heap are copied in
   * row blocks of X sized to the scratch budget; a Y too large for half the budget is split by rows.
   */
  function makeSqdist<T extends Float>(
    f64: boolean,
    tsImpl: KernelBackend['sqdistF32'] | KernelBackend['sqdistF64'],
    View: new (b: ArrayBufferLike, o: number, n: number) => T,
  ) {
    const bpe = f64 ? 8 : 4;
    const norms = f64 ? ex.rownorms_f64 : ex.rownorms_f32;
    const finish = f64 ? ex.sqdist_finish_f64 : ex.sqdist_finish_f32;
    const impl = (
      m: number,
      n: number,
      d: number,
      X: T,
      Y: T,
      D: T,
      xn: T | null,
      yn: T | null,
      dOff: number,
      ldd: number,
    ): void => {
      if (m === 0 || n === 0) return;
      const inHeap = isInHeap(X) && isInHeap(Y) && isInHeap(D);
      if (!inHeap && 2 * m * n * d < COPY_MIN_FLOPS && dOff === 0 && ldd === n) {
        (tsImpl as (...a: unknown[]) => void)(m, n, d, X, Y, D, xn, yn);
        return;
      }
      if (n * (d + 1) * bpe > scratchBudget / 2 && n > 1) {
        const h = n >> 1;
        impl(m, h, d, X, Y, D, xn, yn ? (yn.subarray(0, h) as T) : null, dOff, ldd);
        impl(m, n - h, d, X, Y.subarray(h * d) as T, D, xn, yn ? (yn.subarray(h) as T) : null, dOff + h, ldd);
        return;
      }
      // Y and its norms (in the heap or copied once)
      const yAddr = isInHeap(Y) ? Y.byteOffset : scratch('B', Math.max(1, n * d) * bpe);
      if (yAddr < 0) throw new OutOfWasmMemory();
      if (!isInHeap(Y)) new View(heapBuffer(), yAddr, n * d).set(Y.subarray(0, n * d));
      const ynAddr = scratch('yn', n * bpe);
      if (ynAddr < 0) throw new OutOfWasmMemory();
      if (yn) new View(heapBuffer(), ynAddr, n).set(yn.subarray(0, n));
      else norms(n, d, yAddr, d, ynAddr);
      // rows of X per block so that the X block and the D block fit the rest of the budget
      const perRow = (d + n + 1) * bpe;
      const rowsPer = Math.max(4, Math.min(m, Math.floor((scratchBudget - n * (d + 1) * bpe) / perRow)));
      for (let i0 = 0; i0 < m; i0 += rowsPer) {
        const r = Math.min(rowsPer, m - i0);
        const xAddr = isInHeap(X) ? X.byteOffset + i0 * d * bpe : scratch('A', Math.max(1, r * d) * bpe);
        if (xAddr < 0) throw new OutOfWasmMemory();
        if (!isInHeap(X)) new View(heapBuffer(), xAddr, r * d).set(X.subarray(i0 * d, (i0 + r) * d));
        const xnAddr = scratch('xn', r * bpe);
        const dIn = isInHeap(D);
        const dAddr = dIn ? D.byteOffset + (dOff + i0 * ldd) * bpe : scratch('C', r * n * bpe);
        if (xnAddr < 0 || dAddr < 0) throw new OutOfWasmMemory();
        const lddW = dIn ? ldd : n;
        if (xn) new View(heapBuffer(), xnAddr, r).set(xn.subarray(i0, i0 + r));
        else norms(r, d, xAddr, d, xnAddr);
        if (d > 0) run(f64, r, n, d, xAddr, d, false, yAddr, d, true, dAddr, lddW, -2, 0);
        else new View(heapBuffer(), dAddr, r * lddW).fill(0);
        finish(r, n, dAddr, lddW, xnAddr, ynAddr);
        if (!dIn) {
          const dv = new View(heapBuffer(), dAddr, r * n);
          if (ldd === n) D.set(dv, dOff + i0 * ldd);
          else for (let i = 0; i < r; i++) D.set(dv.subarray(i * n, i * n + n), dOff + (i0 + i) * ldd);
        }
      }
    };
    return (m: number, n: number, d: number, X: T, Y: T, D: T, xn: T | null, yn: T | null): void => {
      try {
        impl(m, n, d, X, Y, D, xn, yn, 0, n);
      } catch (e) {
        if (!(e instanceof OutOfWasmMemory)) throw e;
        // no room left in wasm memory for the copies: plain TypeScript (D is fully rewritten)
        (tsImpl as (...a: unknown[]) => void)(m, n, d, X, Y, D, xn, yn);
      }
    };
  }

  const allIn = (...arrs: Float[]): boolean => {
    for (const a of arrs) if (!isInHeap(a)) return false;
    return true;
  };

  /**
   * Runs a work-sharing kernel (one that takes its units from the atomic counter at `counter`) on the
   * main thread and every ready worker; `args(t)` gives thread t's arguments. Each unit's output is a
   * pure function of the inputs, so results are bit-identical however the units fall. A worker that
   * dies or stalls leaves units undone: the kernel then runs again on the main thread alone.
   */
  function shared(op: PoolOp, work: number, counter: number, args: (t: number) => number[]): boolean {
    const fn = (ex as unknown as Record<PoolOp, (...a: number[]) => void>)[op];
    const ctr = new Int32Array(heapBuffer(), counter, 3);
    Atomics.store(ctr, 0, 0);
    Atomics.store(ctr, 1, 0); // error report of the kernels that check their input (row + 1, value)
    const slots = pool ? pool.available(work) : [];
    // every thread's arguments first (they may allocate): nothing is posted unless all can run
    const all = Array.from({ length: slots.length + 1 }, (_, t) => args(t));
    for (let w = 0; w < slots.length; w++) pool!.post(slots[w]!, op, all[w + 1]!);
    const t0 = performance.now();
    fn(...all[0]!);
    const dt = performance.now() - t0;
    let failed = false;
    for (const s of slots) {
      try {
        pool!.wait(s, dt, op);
      } catch {
        failed = true;
      }
    }
    if (failed) {
      Atomics.store(ctr, 0, 0);
      fn(...all[0]!);
    }
    return failed;
  }

  /** Throws the error a checking kernel reported at counter + 4 (row + 1) and + 8 (value). */
  function reported(counter: number, what: string, n: number): void {
    const c = new Int32Array(heapBuffer(), counter, 3);
    const row = Atomics.load(c, 1);
    if (row !== 0) {
      throw new RangeError(
        `${what}: column index ${Atomics.load(c, 2)} in row ${row - 1} is outside [0, ${n})`,
      );
    }
  }
  /** Output regions of the pair-symmetric attraction: renamed (the old ones abandoned, never freed) after a lost worker, which could still write to them. */
  let attGen = 0;

  /** Address of `a` in wasm memory, copying it into the named scratch region when it lives elsewhere. */
  function addrOf(name: string, a: F64, copyIn: boolean): number {
    if (isInHeap(a)) return a.byteOffset;
    const at = scratch(name, a.byteLength);
    if (at < 0) throw new OutOfWasmMemory(name);
    if (copyIn) new Float64Array(heapBuffer(), at, a.length).set(a);
    return at;
  }
  function copyOut(at: number, a: F64): void {
    if (!isInHeap(a)) a.set(new Float64Array(heapBuffer(), at, a.length));
  }

  function tsneRepulsion2d(n: number, Y: F64, theta: number, rep: F64, sumW: F64): void {
    if (n > 8_000_000) throw new OutOfWasmMemory('tsne-bh'); // byte counts would pass 2^31: TypeScript
    const cap = 2 * n + 128;
    const ws = scratch('tsne-bh', ex.tsne_bh_bytes(n, cap));
    const counter = scratch('tsne-counter', 64);
    if (ws < 0 || counter < 0) throw new OutOfWasmMemory('tsne-bh');
    const y = addrOf('tsne-y', Y.subarray(0, 2 * n), true);
    const r = addrOf('tsne-rep', rep.subarray(0, 2 * n), false);
    const sw = addrOf('tsne-sumw', sumW.subarray(0, n), false);
    if (ex.tsne_bh_build(ws, n, cap, y, tstsne.BH_LEAF, tstsne.BH_GROUP) < 0) {
      throw new Error('kernels: Barnes-Hut tree capacity exceeded'); // cannot happen: ≤ 2n − 1 nodes
    }
    const lists: number[] = [];
    shared('tsne_bh_repulse', n * 2000, counter, (t) => {
      while (lists.length <= t) {
        const at = scratch(`tsne-list-${lists.length}`, ex.tsne_bh_list_bytes(n));
        if (at < 0) throw new OutOfWasmMemory('tsne-list');
        lists.push(at);
      }
      return [ws, theta, counter, lists[t]!, r, sw];
    });
    copyOut(r, rep.subarray(0, 2 * n));
    copyOut(sw, sumW.subarray(0, n));
  }

  function tsneAttraction2d(
    n: number,
    Y: F64,
    indptr: Int32Array,
    indices: Int32Array,
    data: F64,
    attr: F64,
    klRow: F64 | null,
    upper: boolean,
  ): void {
    if (!isInHeap(indptr) || !isInHeap(indices) || !isInHeap(data)) {
      // P is large and reused every iteration: callers that want the wasm path keep it in wasmHeap
      tstsne.attraction2d(n, Y, indptr, indices, data, attr, klRow, upper);
      return;
    }
    const counter = scratch('tsne-counter', 64);
    if (counter < 0) throw new OutOfWasmMemory('tsne-counter');
    const y = addrOf('tsne-y', Y.subarray(0, 2 * n), true);
    const k = klRow ? addrOf('tsne-kl', klRow.subarray(0, n), false) : 0;
    const nnz = indptr[n]!;
    if (upper) {
      // two fixed halves of the pairs (by count), each with its own output: thread-independent sums
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (indptr[mid]! < nnz / 2) lo = mid + 1;
        else hi = mid;
      }
      const o0 = scratch(`tsne-att0-${attGen}`, 16 * n);
      const o1 = scratch(`tsne-att1-${attGen}`, 16 * n);
      if (o0 < 0 || o1 < 0) throw new OutOfWasmMemory('tsne-att');
      const lost = shared('tsne_attract_upper', nnz * 40, counter, () => [
        n,
        y,
        indptr.byteOffset,
        indices.byteOffset,
        data.byteOffset,
        lo,
        o0,
        o1,
        k,
        counter,
      ]);
      reported(counter, 'tsneAttraction2d', n);
      if (lost) {
        // a worker that stalled may still be adding into these outputs: recompute in TypeScript and
        // leave the regions to it (later calls use new ones)
        attGen++;
        tstsne.attraction2d(n, Y, indptr, indices, data, attr, klRow, upper);
        return;
      }
      const buf = heapBuffer();
      const a0 = new Float64Array(buf, o0, 2 * n);
      const a1 = new Float64Array(buf, o1, 2 * n);
      for (let t = 0; t < 2 * n; t++) attr[t] = a0[t]! + a1[t]!;
    } else {
      const a = addrOf('tsne-attr', attr.subarray(0, 2 * n), false);
      shared('tsne_attract', nnz * 20, counter, () => [
        n,
        y,
        indptr.byteOffset,
        indices.byteOffset,
        data.byteOffset,
        a,
        k,
        counter,
      ]);
      reported(counter, 'tsneAttraction2d', n);
      copyOut(a, attr.subarray(0, 2 * n));
    }
    if (klRow) copyOut(k, klRow.subarray(0, n));
  }

  // FFT repulsion: the plan (twiddles) of the last grid size and the kernel's transform of the last
  // (N, p, h), in regions owned here (not scratch: they must survive between calls unchanged)
  const fftPlan = { addr: -1, N: 0 };
  const fftKernel = { addr: -1, bytes: 0, N: 0, p: 0, h: NaN };

  function tsneFftRepulsion2d(
    n: number,
    Y: F64,
    p: number,
    N: number,
    lo: number,
    boxW: number,
    rep: F64,
  ): { Z: number; lost: boolean } {
    // byte counts stay below 2^31 (the kernels' i32 sizes) up to MAX_FFT_GRID, which the public
    // wrapper enforces; larger grids would go to the TypeScript path
    if (N > MAX_FFT_GRID) throw new OutOfWasmMemory('fft-grid');
    const nBoxes = Math.floor(N / (2 * p));
    const G = p * nBoxes;
    const h = boxW / p;
    if (fftPlan.N !== N) {
      if (fftPlan.addr >= 0) freeBytes(fftPlan.addr);
      fftPlan.N = 0;
      fftPlan.addr = allocBytes(ex.fft_plan_bytes(N));
      if (fftPlan.addr < 0) throw new OutOfWasmMemory('fft-plan');
      ex.fft_plan(fftPlan.addr, N);
      fftPlan.N = N;
    }
    const tw = fftPlan.addr;
    const grid = scratch(`fft-grid-${fftGen}`, ex.fft_grid_bytes(N));
    const counter = scratch('fft-counter', 64);
    if (grid < 0 || counter < 0) throw new OutOfWasmMemory('fft-grid');
    const logN = Math.log2(N);
    const colBuf = (t: number): number => {
      const at = scratch(`fft-cols-${t}-${fftGen}`, ex.fft_col_buf_bytes(N));
      if (at < 0) throw new OutOfWasmMemory('fft-cols');
      return at;
    };
    const k = fftKernel;
    if (!(k.N === N && k.p === p && k.h === h)) {
      if (k.bytes < N * N * 8) {
        if (k.addr >= 0) freeBytes(k.addr);
        k.bytes = 0;
        k.addr = allocBytes(N * N * 8);
        if (k.addr < 0) throw new OutOfWasmMemory('fft-kernel');
        k.bytes = N * N * 8;
      }
      k.N = 0;
      ex.fft_kernel_fill(grid, N, G, h);
      if (shared('fft_rows_fwd', N * N * logN * 10, counter, () => [grid, tw, G, 1, counter])) return LOST;
      if (shared('fft_cols', N * N * logN * 10, counter, (t) => [grid, tw, k.addr, 0, colBuf(t), counter]))
        return LOST;
      ex.fft_kernel_take(grid, N, k.addr);
      k.N = N;
      k.p = p;
      k.h = h;
    }
    const y = addrOf('tsne-y', Y.subarray(0, 2 * n), true);
    const box = scratch('fft-box', 8 * n);
    const wts = scratch('fft-wts', 16 * p * n);
    const zi = scratch('fft-zi', 8 * n);
    const selfT = scratch('fft-self', 8 * p * p);
    if (box < 0 || wts < 0 || zi < 0 || selfT < 0) throw new OutOfWasmMemory('fft-points');
    const r = addrOf('tsne-rep', rep.subarray(0, 2 * n), false);
    ex.fft_spread(n, y, grid, N, G, p, lo, boxW, box, wts);
    // a phase that lost a worker was rerun by shared() over half-transformed data: give up the call
    if (shared('fft_rows_fwd', G * N * logN * 10, counter, () => [grid, tw, G, 0, counter])) return LOST;
    if (shared('fft_cols', N * N * logN * 20, counter, (t) => [grid, tw, k.addr, 1, colBuf(t), counter]))
      return LOST;
    if (shared('fft_rows_inv', G * N * logN * 10, counter, () => [grid, tw, G, counter])) return LOST;
    ex.fft_self_table(selfT, p, h);
    if (
      shared('fft_gather', n * p * p * 40, counter, () => [n, y, grid, N, p, box, wts, selfT, r, zi, counter])
    )
      return LOST;
    copyOut(r, rep.subarray(0, 2 * n));
    return { Z: ex.fft_sum(n, zi), lost: false };
  }
  const LOST = { Z: NaN, lost: true };
  /** Suffix of the FFT's grid and column regions: renewed after a lost worker, which might still write to the old ones. */
  let fftGen = 0;

  const backend: KernelBackend = {
    name: 'wasm',
    description: `wasm simd128${relaxed ? '+relaxed (FMA)' : ''}${pool ? ', worker pool' : ', 1 thread'} [${variant}]`,
    gemmF32: makeGemm<F32>(false, ts.gemmF32, Float32Array),
    gemmF64: makeGemm<F64>(true, ts.gemmF64, Float64Array),
    rowSqNormsF32: (m, d, X, xo, ldx, out, oo) =>
      allIn(X, out)
        ? ex.rownorms_f32(m, d, X.byteOffset + xo * 4, ldx, out.byteOffset + oo * 4)
        : ts.rowSqNormsF32(m, d, X, xo, ldx, out, oo),
    rowSqNormsF64: (m, d, X, xo, ldx, out, oo) =>
      allIn(X, out)
        ? ex.rownorms_f64(m, d, X.byteOffset + xo * 8, ldx, out.byteOffset + oo * 8)
        : ts.rowSqNormsF64(m, d, X, xo, ldx, out, oo),
    sqdistFinishF32: (m, n, D, dof, ldd, xn, yn) =>
      allIn(D, xn, yn)
        ? ex.sqdist_finish_f32(m, n, D.byteOffset + dof * 4, ldd, xn.byteOffset, yn.byteOffset)
        : ts.sqdistFinishF32(m, n, D, dof, ldd, xn, yn),
    sqdistFinishF64: (m, n, D, dof, ldd, xn, yn) =>
      allIn(D, xn, yn)
        ? ex.sqdist_finish_f64(m, n, D.byteOffset + dof * 8, ldd, xn.byteOffset, yn.byteOffset)
        : ts.sqdistFinishF64(m, n, D, dof, ldd, xn, yn),
    sqdistF32: makeSqdist<F32>(false, tsBackend.sqdistF32, Float32Array),
    sqdistF64: makeSqdist<F64>(true, tsBackend.sqdistF64, Float64Array),
    argminRowsF32: tsBackend.argminRowsF32,
    argminRowsF64: tsBackend.argminRowsF64,
    topkRows: tsBackend.topkRows,
    axpy: (n, alpha, x, xo, y, yo) => {
      if (!allIn(x, y)) return ts.axpyTs(n, alpha, x, xo, y, yo);
      if (x instanceof Float32Array) ex.axpy_f32(n, alpha, x.byteOffset + xo * 4, y.byteOffset + yo * 4);
      else ex.axpy_f64(n, alpha, x.byteOffset + xo * 8, y.byteOffset + yo * 8);
    },
    scale: (n, alpha, x, xo) => {
      if (!isInHeap(x)) return ts.scaleTs(n, alpha, x, xo);
      if (x instanceof Float32Array) ex.scale_f32(n, alpha, x.byteOffset + xo * 4);
      else ex.scale_f64(n, alpha, x.byteOffset + xo * 8);
    },
    add: (n, x, y, out) => {
      if (!allIn(x, y, out)) return ts.addTs(n, x, y, out);
      if (x instanceof Float32Array) ex.binary_f32(0, n, x.byteOffset, y.byteOffset, out.byteOffset);
      else ex.binary_f64(0, n, x.byteOffset, y.byteOffset, out.byteOffset);
    },
    mul: (n, x, y, out) => {
      if (!allIn(x, y, out)) return ts.mulTs(n, x, y, out);
      if (x instanceof Float32Array) ex.binary_f32(1, n, x.byteOffset, y.byteOffset, out.byteOffset);
      else ex.binary_f64(1, n, x.byteOffset, y.byteOffset, out.byteOffset);
    },
    // address 0 is reserved (heap.ts keeps the first 256 KiB), so y = 0 means "sum"
    sum: (n, x) =>
      !isInHeap(x)
        ? ts.sumTs(n, x)
        : x instanceof Float32Array
          ? ex.dot_f32(n, x.byteOffset, 0)
          : ex.dot_f64(n, x.byteOffset, 0),
    dot: (n, x, y) =>
      !allIn(x, y)
        ? ts.dotTs(n, x, y)
        : x instanceof Float32Array
          ? ex.dot_f32(n, x.byteOffset, y.byteOffset)
          : ex.dot_f64(n, x.byteOffset, y.byteOffset),
    max: (n, x) =>
      !isInHeap(x)
        ? ts.maxTs(n, x)
        : x instanceof Float32Array
          ? ex.max_f32(n, x.byteOffset)
          : ex.max_f64(n, x.byteOffset),
    // NN elementwise kernels: in place on wasm memory; operands elsewhere take the TypeScript path
    // (no copies: these are single passes, a copy would cost as much as the work).
    mapF32: (op, n, x, out) =>
      allIn(x, out) ? ex.map_f32(op, n, x.byteOffset, out.byteOffset) : tsnn.mapF32(op, n, x, out),
    leakyReluF32: (n, alpha, x, out) =>
      allIn(x, out)
        ? ex.leaky_relu_f32(n, alpha, x.byteOffset, out.byteOffset)
        : tsnn.leakyReluF32(n, alpha, x, out),
    leakyReluBackwardF32: (n, alpha, ref, g, dx, acc) =>
      allIn(ref, g, dx)
        ? ex.leaky_relu_bwd_f32(n, alpha, ref.byteOffset, g.byteOffset, dx.byteOffset, acc ? 1 : 0)
        : tsnn.leakyReluBackwardF32(n, alpha, ref, g, dx, acc),
    sigmoidBackwardF32: (n, s, g, dx, acc) =>
      allIn(s, g, dx)
        ? ex.sigmoid_bwd_f32(n, s.byteOffset, g.byteOffset, dx.byteOffset, acc ? 1 : 0)
        : tsnn.sigmoidBackwardF32(n, s, g, dx, acc),
    colSumsAddF32: (m, n, g, db) =>
      allIn(g, db) ? ex.colsum_add_f32(m, n, g.byteOffset, db.byteOffset) : tsnn.colSumsAddF32(m, n, g, db),
    bceSumF32: (n, p, t) =>
      allIn(p, t) ? ex.bce_sum_f32(n, p.byteOffset, t.byteOffset) : tsnn.bceSumF32(n, p, t),
    bceBackwardF32: (mode, n, k, p, t, dx, acc) =>
      allIn(p, t, dx)
        ? ex.bce_bwd_f32(mode, n, k, p.byteOffset, t.byteOffset, dx.byteOffset, acc ? 1 : 0)
        : tsnn.bceBackwardF32(mode, n, k, p, t, dx, acc),
    adamF32: (n, w, g, m, v, b1, b2, stepSize, invSbc2, eps, wd) =>
      allIn(w, g, m, v)
        ? ex.adam_f32(
            n,
            w.byteOffset,
            g.byteOffset,
            m.byteOffset,
            v.byteOffset,
            b1,
            b2,
            stepSize,
            invSbc2,
            eps,
            wd,
          )
        : tsnn.adamF32(n, w, g, m, v, b1, b2, stepSize, invSbc2, eps, wd),
    tsneRepulsion2d: (n, Y, theta, rep, sumW) => {
      try {
        tsneRepulsion2d(n, Y, theta, rep, sumW);
      } catch (e) {
        if (!(e instanceof OutOfWasmMemory)) throw e;
        tstsne.bhRepulsion2d(n, Y, theta, rep, sumW);
      }
    },
    tsneAttraction2d: (n, Y, indptr, indices, data, attr, klRow, upper) => {
      try {
        tsneAttraction2d(n, Y, indptr, indices, data, attr, klRow, upper);
      } catch (e) {
        if (!(e instanceof OutOfWasmMemory)) throw e;
        tstsne.attraction2d(n, Y, indptr, indices, data, attr, klRow, upper);
      }
    },
    tsneFftRepulsion2d: (n, Y, p, N, lo, boxW, rep, buffers: FftRepulsionBuffers) => {
      // The transforms work in place, so a phase cannot simply be redone after a worker died in it
      // (shared() reruns it on the main thread over half-transformed data): then the whole call is
      // redone (the dead worker is gone; the kernel's transform is recomputed too).
      for (let attempt = 0; attempt < 3 && N >= 16 && p <= 8; attempt++) {
        let r: { Z: number; lost: boolean };
        try {
          r = tsneFftRepulsion2d(n, Y, p, N, lo, boxW, rep);
        } catch (e) {
          if (!(e instanceof OutOfWasmMemory)) throw e;
          break;
        }
        if (!r.lost) return r.Z;
        // a worker died, stalled or failed: new regions (it may still write to the old grid), the
        // kernel's transform recomputed, the whole call redone
        fftGen++;
        fftKernel.N = 0;
      }
      return fftRepulsion2dTs(n, Y, p, N, lo, boxW, rep, buffers);
    },
  };
  return { backend, pool };
}

// ---- loading ----------------------------------------------------------------------------------------

interface NodeFs {
  existsSync(p: string | URL): boolean;
  readFileSync(p: string | URL): Uint8Array;
}

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
/** Node built-ins obtained asynchronously by initKernels() on Node < 20.16 (no getBuiltinModule). */
const builtins = new Map<string, unknown>();

/**
 * A Node built-in module without a static import (which would break browser bundles):
 * process.getBuiltinModule (Node >= 20.16) or what initKernels() imported.
 */
function nodeBuiltin<T>(name: string): T | undefined {
  if (builtins.has(name)) return builtins.get(name) as T;
  const proc = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.(name) as T | undefined;
  } catch {
    return undefined;
  }
}

function candidates(variant: string, base?: string | URL): URL[] {
  if (base !== undefined) return [new URL(`${variant}.wasm`, base)];
  return [
    new URL(`./wasm/${variant}.wasm`, import.meta.url),
    new URL(`../../build/wasm/${variant}.wasm`, import.meta.url),
  ];
}

let relaxedFlagTried = false;
/** Whether the engine accepts these relaxed-SIMD bytes, switching V8's flag on in Node if needed. */
function relaxedOk(bytes: Uint8Array): boolean {
  if (WebAssembly.validate(bytes as BufferSource)) return true;
  if (!relaxedFlagTried) {
    relaxedFlagTried = true;
    const v8 = nodeBuiltin<{ setFlagsFromString(f: string): void }>('node:v8');
    try {
      v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      return false;
    }
  }
  return WebAssembly.validate(bytes as BufferSource);
}

/** Reads a variant's bytes in Node (null when absent or not accepted by this engine). */
export function readVariantSync(variant: string): Uint8Array | null {
  const fs = nodeBuiltin<NodeFs>('node:fs');
  if (!fs) return null;
  for (const url of candidates(variant)) {
    if (url.protocol !== 'file:' || !fs.existsSync(url)) continue;
    const bytes = fs.readFileSync(url);
    if (variant.includes('relaxed') ? relaxedOk(bytes) : WebAssembly.validate(bytes as BufferSource))
      return bytes;
    return null;
  }
  return null;
}

let loaded: { backend: KernelBackend; pool: WorkerPool | null; variant: string } | null = null;
let loadError: string | null = null;

function install(module: WebAssembly.Module, variant: string): void {
  const made = makeWasmBackend(module, variant);
  loaded = { ...made, variant };
  registerBackend(made.backend);
}

function loadSync(): void {
  if (typeof WebAssembly === 'undefined') return;
  for (const variant of WASM_VARIANTS) {
    let bytes: Uint8Array | null;
    try {
      bytes = readVariantSync(variant);
    } catch (e) {
      loadError = String(e);
      continue;
    }
    if (!bytes) continue;
    try {
      install(new WebAssembly.Module(bytes as BufferSource), variant);
      return;
    } catch (e) {
      loadError = `${variant}: ${(e as Error).message}`;
    }
  }
}

loadSync();

/** Browsers (or any engine without node:fs): fetch, compile and register the best variant. */
export async function initWasmBackend(url?: string | URL): Promise<void> {
  if (loaded || typeof WebAssembly === 'undefined') return;
  if (isNode && url === undefined) {
    // Node older than 20.16 cannot load synchronously at import: import the built-ins now
    for (const name of ['node:fs', 'node:v8', 'node:worker_threads']) {
      if (nodeBuiltin(name) !== undefined) continue;
      try {
        builtins.set(name, await import(/* @vite-ignore */ name));
      } catch {
        // not available: that part stays off
      }
    }
    loadSync();
    return;
  }
  if (typeof fetch === 'undefined') return;
  for (const variant of WASM_VARIANTS) {
    for (const u of candidates(variant, url)) {
      try {
        const res = await fetch(u);
        if (!res.ok) continue;
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (!WebAssembly.validate(bytes as BufferSource)) break;
        install(await WebAssembly.compile(bytes), variant);
        return;
      } catch (e) {
        loadError = `${variant}: ${(e as Error).message}`;
      }
    }
  }
}

/** Which variant is loaded (null: none; see `wasmLoadError`). */
export function wasmInfo(): { variant: string | null; error: string | null } {
  return { variant: loaded?.variant ?? null, error: loadError };
}

/** The loaded backend's worker pool (internal: tests and benches). */
export function wasmPool(): WorkerPool | null {
  return loaded?.pool ?? null;
}

/**
 * Configures the worker pool of the WebAssembly backend: `threads` workers besides the main thread
 * (default 1; 0 = single-threaded), the stall limit after which a silent worker is declared dead, and
 * the size below which products stay on one thread.
 */
export function setPoolOptions(o: PoolOptions): void {
  loaded?.pool?.configure(o);
}

/** Counters of the worker pool (threads configured/ready, dispatches, failures, respawns). */
export function getPoolStats(): PoolStats {
  return loaded?.pool?.stats() ?? { threads: 0, ready: 0, dispatches: 0, failures: 0, spawned: 0 };
}

/** Resolves when the pool's workers are instantiated (they start on the first large product). */
export async function whenPoolReady(timeoutMs = 5000): Promise<number> {
  return loaded?.pool ? loaded.pool.whenReady(timeoutMs) : 0;
}
