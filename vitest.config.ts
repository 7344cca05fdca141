import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Relaxed SIMD (FMA) is behind a flag on Node 20; the kernels detect it and fall back without it.
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
