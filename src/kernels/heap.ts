/**
 * wasmHeap: one WebAssembly.Memory for the whole library, and a JS-side allocator over it.
 *
 * Why: the WebAssembly kernels can only read their own linear memory. Copying operands in costs
 * 10–30% of a training-shape product (PERFORMANCE.md), so tensors that the kernels touch every step
 * (the NN engine's weights, activations, gradients) should be allocated here once and handed to
 * gemm/axpy/... as ordinary typed arrays: the kernels recognise them and copy nothing.
 *
 * Memory model:
 * - The memory is shared (SharedArrayBuffer) whenever the platform allows it (always in Node; in
 *   browsers only when cross-origin isolated). A shared memory never detaches on grow: views handed out
 *   earlier stay valid forever (they keep their original SharedArrayBuffer object, whose length does not
 *   change, and the grown memory only adds bytes after them). The worker pool runs on the same memory.
 * - Without SharedArrayBuffer the memory is not shared, so growing it would detach every view handed
 *   out. Then it is reserved once (NONSHARED_BYTES) and never grown; allocations that do not fit come
 *   back as ordinary typed arrays (`isInHeap(v) === false`), which the kernels copy — slower, never wrong.
 * - wasm32 addresses at most 4 GiB. Allocations beyond that throw a RangeError naming the sizes.
 *   Kernel inputs that live outside the heap are copied into reusable scratch regions; inputs larger
 *   than the scratch capacity are processed in blocks (see wasm-backend.ts), so size limits cost speed,
 *   never correctness.
 *
 * Lifetimes are explicit: call `wasmHeap.free(view)` when done. There is deliberately no
 * FinalizationRegistry: a subarray can outlive the view it came from, and auto-freeing the region
 * under it would alias live data.
 */

const PAGE = 65536;
/** Bytes at the bottom of the memory left to the AssemblyScript module (it has no static data today). */
const RESERVED_BYTES = 1 << 18;
const ALIGN = 64;
/** wasm32: 65536 pages of 64 KiB. */
const MAX_PAGES_NODE = 65536;
/** Browsers: a smaller ceiling (2 GiB) so that a shared memory can be created on modest devices. */
const MAX_PAGES_BROWSER = 32768;
const NONSHARED_BYTES = 256 * 1024 * 1024;

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

function createMemory(): { memory: WebAssembly.Memory; shared: boolean; maxPages: number } {
  const sabOk =
    typeof SharedArrayBuffer !== 'undefined' &&
    (isNode || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true);
  const initialPages = 256; // 16 MiB; grows on demand
  if (sabOk) {
    const maxPages = isNode ? MAX_PAGES_NODE : MAX_PAGES_BROWSER;
    for (const max of [maxPages, 16384, 4096]) {
      try {
        return {
          memory: new WebAssembly.Memory({ initial: initialPages, maximum: max, shared: true }),
          shared: true,
          maxPages: max,
        };
      } catch {
        // try a smaller reservation
      }
    }
  }
  const pages = NONSHARED_BYTES / PAGE;
  return {
    memory: new WebAssembly.Memory({ initial: pages, maximum: pages }),
    shared: false,
    maxPages: pages,
  };
}

const created = createMemory();
/** The library's single WebAssembly.Memory (imported by every kernel module and worker). */
export const memory: WebAssembly.Memory = created.memory;
export const memoryIsShared: boolean = created.shared;
const maxBytes = created.maxPages * PAGE;

// Every ArrayBuffer/SharedArrayBuffer object that ever backed this memory: a view is "in the heap"
// exactly when its .buffer is one of them.
const heapBuffers = new WeakSet<ArrayBufferLike>();
let lastBuffer: ArrayBufferLike = memory.buffer;
heapBuffers.add(lastBuffer);

/** The memory's current buffer (registered as a heap buffer). */
export function heapBuffer(): ArrayBufferLike {
  const b = memory.buffer;
  if (b !== lastBuffer) {
    lastBuffer = b;
    heapBuffers.add(b);
  }
  return b;
}

/** True when `view` lives in the kernels' wasm memory (its byteOffset is then its wasm address). */
export function isInHeap(view: ArrayBufferView): boolean {
  return heapBuffers.has(view.buffer);
}

// First-fit free list, sorted by address, coalesced on free.
const freeStarts: number[] = [];
const freeSizes: number[] = [];
const used = new Map<number, number>();
let bytesInUse = 0;
/**
 * Every byte at or above this address has never been handed out since the memory was created. A new
 * WebAssembly.Memory and every page added by grow() are zero-filled by the engine, and nothing writes
 * outside allocated blocks (the AssemblyScript module has no static data or stack in the heap; its
 * workspaces come from allocBytes), so allocView needs to zero only the part of a block below this
 * mark: blocks carved from never-used memory skip the fill, reused blocks get it.
 */
let untouchedFrom = RESERVED_BYTES;
/** The value of untouchedFrom before the latest allocBytes (what allocView compares against). */
let untouchedBefore = RESERVED_BYTES;
{
  const top = memory.buffer.byteLength;
  freeStarts.push(RESERVED_BYTES);
  freeSizes.push(top - RESERVED_BYTES);
}

function insertFree(start: number, size: number): void {
  let i = 0;
  while (i < freeStarts.length && freeStarts[i]! < start) i++;
  freeStarts.splice(i, 0, start);
  freeSizes.splice(i, 0, size);
  // merge with next
  if (i + 1 < freeStarts.length && start + size === freeStarts[i + 1]) {
    freeSizes[i] = freeSizes[i]! + freeSizes[i + 1]!;
    freeStarts.splice(i + 1, 1);
    freeSizes.splice(i + 1, 1);
  }
  // merge with previous
  if (i > 0 && freeStarts[i - 1]! + freeSizes[i - 1]! === start) {
    freeSizes[i - 1] = freeSizes[i - 1]! + freeSizes[i]!;
    freeStarts.splice(i, 1);
    freeSizes.splice(i, 1);
  }
}

function grow(minBytes: number): boolean {
  if (!memoryIsShared) return false;
  const cur = memory.buffer.byteLength;
  // grow geometrically (at least 1/4 of the current size) to keep grow calls rare
  let want = Math.max(minBytes, cur >> 2);
  if (cur + want > maxBytes) want = maxBytes - cur;
  if (want < minBytes) return false;
  const pages = Math.ceil(want / PAGE);
  try {
    memory.grow(pages);
  } catch {
    return false;
  }
  heapBuffer();
  insertFree(cur, pages * PAGE);
  return true;
}

/** Reserves `bytes` (rounded up to 64) and returns the byte address, or -1 if the memory is full. */
export function allocBytes(bytes: number): number {
  const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  for (let attempt = 0; attempt < 2; attempt++) {
    for (let i = 0; i < freeStarts.length; i++) {
      const s = freeStarts[i]!;
      const fs = freeSizes[i]!;
      if (fs >= size) {
        if (fs === size) {
          freeStarts.splice(i, 1);
          freeSizes.splice(i, 1);
        } else {
          freeStarts[i] = s + size;
          freeSizes[i] = fs - size;
        }
        used.set(s, size);
        bytesInUse += size;
        untouchedBefore = untouchedFrom;
        if (s + size > untouchedFrom) untouchedFrom = s + size;
        return s;
      }
    }
    // the last free block may touch the end of memory: only the rest must be grown
    const top = memory.buffer.byteLength;
    const n = freeStarts.length;
    const tail = n > 0 && freeStarts[n - 1]! + freeSizes[n - 1]! === top ? freeSizes[n - 1]! : 0;
    if (!grow(size - tail)) return -1;
  }
  return -1;
}

/** Releases an address returned by allocBytes. */
export function freeBytes(addr: number): void {
  const size = used.get(addr);
  if (size === undefined)
    throw new Error(`wasmHeap.free: address ${addr} was not allocated by wasmHeap (double free?)`);
  used.delete(addr);
  bytesInUse -= size;
  insertFree(addr, size);
}

function outOfMemory(bytes: number): never {
  throw new RangeError(
    `wasmHeap: cannot allocate ${bytes} bytes: the WebAssembly memory is limited to ${maxBytes} bytes ` +
      `(wasm32 addresses at most 4 GiB; ${bytesInUse} bytes in use). Keep such data in ordinary typed arrays: ` +
      `the kernels process them in blocks.`,
  );
}

export interface WasmHeap {
  /**
   * A zero-filled Float32Array of length n living in wasm memory (kernels use it without copying).
   * Blocks from never-used memory are zero already and are not filled again; reused blocks are.
   */
  allocF32(n: number): Float32Array;
  /** A zero-filled Float64Array of length n living in wasm memory. */
  allocF64(n: number): Float64Array;
  /** A zero-filled Int32Array of length n living in wasm memory. */
  allocI32(n: number): Int32Array;
  /**
   * Returns the region of a view obtained from allocF32/allocF64/allocI32 to the heap. The view (and
   * its subarrays) must not be used afterwards. Views not from the heap are ignored (so code can free
   * unconditionally, including the ordinary-array fallback of a non-shared memory).
   */
  free(view: ArrayBufferView): void;
  /** True when the view lives in wasm memory. */
  isInHeap(view: ArrayBufferView): boolean;
  /** Whether the memory is shared (views never detach; worker threads available). */
  readonly shared: boolean;
  /** Bytes handed out and not yet freed. */
  readonly bytesInUse: number;
  /** Current size of the wasm memory in bytes. */
  readonly capacity: number;
  /** Upper bound on the memory size (4 GiB in Node: the wasm32 limit). */
  readonly maxBytes: number;
  /** The underlying WebAssembly.Memory. */
  readonly memory: WebAssembly.Memory;
  /**
   * Returns the kernels' scratch regions (operand copies kept for reuse between calls) to the free
   * list. A wasm memory never shrinks, but the space becomes available to later allocations.
   */
  releaseScratch(): void;
}

function allocView<T>(
  n: number,
  bpe: number,
  make: (buf: ArrayBufferLike, off: number, n: number) => T,
  plain: (n: number) => T,
): T {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`wasmHeap: length must be a non-negative integer, got ${n}`);
  const bytes = n * bpe;
  const addr = allocBytes(bytes);
  if (addr < 0) {
    if (!memoryIsShared) return plain(n); // documented fallback: an ordinary array, copied by the kernels
    outOfMemory(bytes);
  }
  const buf = heapBuffer();
  // zero only what was handed out before (freshly created or grown memory is already zero)
  const end = Math.min(addr + bytes, untouchedBefore);
  if (end > addr) new Uint8Array(buf, addr, end - addr).fill(0);
  return make(buf, addr, n);
}

/**
 * The kernels' allocator. Typical use in the NN engine:
 *
 * ```ts
 * const W = wasmHeap.allocF32(784 * 128); // lives in wasm memory
 * gemm(256, 128, 784, X, W, Y);           // no copy when X, W, Y all come from wasmHeap
 * wasmHeap.free(W);
 * ```
 */
export const wasmHeap: WasmHeap = {
  allocF32: (n) =>
    allocView(
      n,
      4,
      (b, o, len) => new Float32Array(b, o, len),
      (len) => new Float32Array(len),
    ),
  allocF64: (n) =>
    allocView(
      n,
      8,
      (b, o, len) => new Float64Array(b, o, len),
      (len) => new Float64Array(len),
    ),
  allocI32: (n) =>
    allocView(
      n,
      4,
      (b, o, len) => new Int32Array(b, o, len),
      (len) => new Int32Array(len),
    ),
  free(view) {
    if (!isInHeap(view)) return;
    freeBytes(view.byteOffset);
  },
  isInHeap,
  shared: memoryIsShared,
  get bytesInUse() {
    return bytesInUse;
  },
  get capacity() {
    return memory.buffer.byteLength;
  },
  maxBytes,
  memory,
  releaseScratch,
};

/**
 * Buffers of one computation (a fit, a t-SNE run, a k-NN search) that the kernels read, allocated
 * in wasm memory when possible (the kernels then use them in place instead of copying them on every
 * call) and released together at its end. Falls back to ordinary arrays when the heap is full or
 * absent, so callers never fail for lack of wasm memory (the kernels then copy or take their
 * TypeScript path).
 */
export class HeapBuffers {
  private readonly views: ArrayBufferView[] = [];

  f64(n: number): Float64Array {
    return this.keep(
      () => wasmHeap.allocF64(n),
      () => new Float64Array(n),
    );
  }

  f32(n: number): Float32Array {
    return this.keep(
      () => wasmHeap.allocF32(n),
      () => new Float32Array(n),
    );
  }

  i32(n: number): Int32Array {
    return this.keep(
      () => wasmHeap.allocI32(n),
      () => new Int32Array(n),
    );
  }

  /** Returns every buffer to the heap; they must not be used afterwards. */
  release(): void {
    for (const v of this.views) wasmHeap.free(v);
    this.views.length = 0;
  }

  private keep<T extends ArrayBufferView>(alloc: () => T, plain: () => T): T {
    try {
      const v = alloc();
      this.views.push(v);
      return v;
    } catch {
      return plain();
    }
  }
}

/**
 * Named scratch regions reused across kernel calls (operand copies, packing buffers per thread).
 * Returns the address of at least `bytes` bytes, or -1 when the memory cannot hold them (the caller
 * then processes its input in smaller blocks).
 */
const scratchAddr = new Map<string, number>();
const scratchSize = new Map<string, number>();

function releaseScratch(): void {
  for (const addr of scratchAddr.values()) freeBytes(addr);
  scratchAddr.clear();
  scratchSize.clear();
}
export function scratch(name: string, bytes: number): number {
  // a size that is not a non-negative number (e.g. an i32 byte count that wrapped) cannot be had
  if (!(bytes >= 0) || bytes > maxBytes) return -1;
  const have = scratchSize.get(name) ?? 0;
  if (have >= bytes) return scratchAddr.get(name)!;
  if (have > 0) {
    freeBytes(scratchAddr.get(name)!);
    scratchAddr.delete(name);
    scratchSize.delete(name);
  }
  // round up generously so that slowly increasing sizes do not reallocate every call
  const size = Math.max(bytes, Math.ceil(have * 1.5), 4096);
  let addr = allocBytes(size);
  if (addr < 0 && size > bytes) addr = allocBytes(bytes);
  if (addr < 0) return -1;
  scratchAddr.set(name, addr);
  scratchSize.set(name, Math.max(bytes, addr >= 0 ? (used.get(addr) ?? bytes) : bytes));
  return addr;
}
