// Test helper: makes sure the .wasm kernels are built before the kernels module is imported (it loads
// them synchronously at import time), then returns the module namespaces.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export async function loadKernels() {
  if (!existsSync('build/wasm/kernels-relaxed-mt.wasm') || !existsSync('build/wasm/kernels-simd-mt.wasm')) {
    execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' });
  }
  const k = await import('../../src/kernels/index.js');
  const w = await import('../../src/kernels/wasm-backend.js');
  const r = await import('../../src/kernels/registry.js');
  return { k, w, r };
}

/** ‖a − b‖ / ‖b‖ (Euclidean, over all entries). */
export function relErr(a: Float64Array, b: Float64Array): number {
  let e = 0;
  let s = 0;
  for (let t = 0; t < a.length; t++) {
    e += (a[t]! - b[t]!) ** 2;
    s += b[t]! ** 2;
  }
  return Math.sqrt(e / s);
}

/** Deterministic uniform(-1, 1) values (xorshift), no dependency on core/rng. */
export function rand(n: number, seed: number): Float64Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** Naive C = alpha·op(A)·op(B) + beta·C0 with offsets/leading dims; also Σ|terms| for tolerances. */
export function naiveGemm(
  m: number,
  n: number,
  k: number,
  A: ArrayLike<number>,
  ao: number,
  lda: number,
  ta: boolean,
  B: ArrayLike<number>,
  bo: number,
  ldb: number,
  tb: boolean,
  C0: ArrayLike<number>,
  co: number,
  ldc: number,
  alpha: number,
  beta: number,
): { C: Float64Array; mag: Float64Array } {
  const C = Float64Array.from(C0);
  const mag = new Float64Array(C0.length);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let sa = 0;
      for (let p = 0; p < k; p++) {
        const a = ta ? A[ao + p * lda + i]! : A[ao + i * lda + p]!;
        const b = tb ? B[bo + j * ldb + p]! : B[bo + p * ldb + j]!;
        s += a * b;
        sa += Math.abs(a * b);
      }
      const idx = co + i * ldc + j;
      C[idx] = alpha * s + (beta === 0 ? 0 : beta * C0[idx]!);
      mag[idx] = Math.abs(alpha) * sa + (beta === 0 ? 0 : Math.abs(beta * C0[idx]!));
    }
  }
  return { C, mag };
}
