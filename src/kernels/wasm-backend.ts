/** WebAssembly SIMD backend (loader lands next; until then the TypeScript backend stays active). */
export interface PoolOptions {
  /** Worker threads besides the main thread (default 1: two threads in all; 0 disables the pool). */
  threads?: number;
}
export interface PoolStats {
  threads: number;
}
export function setPoolOptions(_o: PoolOptions): void {}
export function getPoolStats(): PoolStats {
  return { threads: 0 };
}
export async function initWasmBackend(_url?: string | URL): Promise<void> {}
