/**
 * Per-fit buffers that the dense kernels read, allocated in the kernels' wasm memory when possible
 * (the kernels then use them in place instead of copying hundreds of MB per call) and released
 * together at the end of fit. Falls back to ordinary arrays when the wasm heap is full or absent.
 */
import { wasmHeap } from '../kernels/index.js';

export class Scratch {
  private readonly views: ArrayBufferView[] = [];

  f64(n: number): Float64Array {
    try {
      const v = wasmHeap.allocF64(n);
      this.views.push(v);
      return v;
    } catch {
      return new Float64Array(n);
    }
  }

  /** Returns every buffer to the heap; they must not be used afterwards. */
  release(): void {
    for (const v of this.views) wasmHeap.free(v);
    this.views.length = 0;
  }
}
