/**
 * Where tensor data live, and the step arena that makes a training step allocate nothing after the
 * first one.
 *
 * Every float32 buffer of the engine comes from `allocF32`, which places it in the kernels'
 * WebAssembly memory (src/kernels `wasmHeap`), so gemm reads weights, activations and gradients in
 * place, without a copy per step. (On a browser page without SharedArrayBuffer the heap may hand
 * back ordinary arrays when full: slower, never wrong.)
 *
 * The arena is a positional pool (the idea of a static memory plan, discovered at run time instead
 * of by a compiler pass): inside `scope()`, the i-th buffer requested gets the i-th pooled buffer
 * when its size and dtype match. A training step runs the same ops in the same order every time, so
 * from the second step on every intermediate and gradient buffer is reused; a shape change (the last,
 * smaller batch of an epoch) replaces just the buffers that differ. Outside a scope, buffers are plain
 * garbage-collected arrays (eager use, inference).
 */
import { wasmHeap } from '../kernels/index.js';

import type { DType } from '../core/matrix.js';
export type { DType };
export type Buf = Float32Array | Float64Array;

/** The one float32 allocation function of the engine (switch point to wasm memory). */
export function allocF32(n: number): Float32Array {
  return wasmHeap.allocF32(n);
}

/** Returns a buffer from `allocF32` to the wasm heap (a no-op for ordinary arrays). Do not use it after. */
export function freeBuf(b: Buf): void {
  wasmHeap.free(b);
}

export function allocBuf(dtype: DType, n: number): Buf {
  return dtype === 'float32' ? allocF32(n) : new Float64Array(n);
}

export class Arena {
  private pool: Buf[] = [];
  private cursor = 0;
  /** Buffers created since construction (the no-growth check of the tests reads this). */
  allocations = 0;

  /** A buffer of n values, contents unspecified (`zero` fills it with 0). */
  take(dtype: DType, n: number, zero: boolean): Buf {
    const i = this.cursor++;
    let b = this.pool[i];
    if (b === undefined || b.length !== n || (dtype === 'float32') !== b instanceof Float32Array) {
      if (b !== undefined) freeBuf(b);
      b = allocBuf(dtype, n);
      this.pool[i] = b;
      this.allocations++;
      return b;
    }
    if (zero) b.fill(0);
    return b;
  }

  reset(): void {
    this.cursor = 0;
  }

  /** Number of pooled buffers and their total bytes. */
  get stats(): { buffers: number; bytes: number } {
    let bytes = 0;
    for (const b of this.pool) bytes += b.byteLength;
    return { buffers: this.pool.length, bytes };
  }

  /** Frees every pooled buffer (tensors of past scopes become invalid). */
  clear(): void {
    for (const b of this.pool) freeBuf(b);
    this.pool = [];
    this.cursor = 0;
  }
}
