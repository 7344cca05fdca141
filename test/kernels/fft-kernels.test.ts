import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FftRepulsionBuffers } from '../../src/kernels/ts-fft.js';
import { loadKernels, rand, relErr } from './load.js';

const { k: K, w: W, r: R } = await loadKernels();
const tsB = R.backendByName('ts')!;
const wasmB = R.backendByName('wasm')!;

/** A clustered 2-D map inside [-ext, ext]². */
function clusteredMap(n: number, seed: number, ext: number): Float64Array {
  const u = rand(4 * n, seed);
  const Y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = i % 8;
    const s = (0.05 + 0.02 * c) * ext;
    const x = 0.6 * ext * Math.cos(c) + s * u[4 * i]! * Math.abs(u[4 * i + 2]!);
    const y = 0.6 * ext * Math.sin(c) + s * u[4 * i + 1]! * Math.abs(u[4 * i + 3]!);
    Y[2 * i] = Math.max(-ext, Math.min(ext, x));
    Y[2 * i + 1] = Math.max(-ext, Math.min(ext, y));
  }
  return Y;
}

/** The grid of fftRepulsive for this map: N, lower corner, box width. */
function grid(Y: Float64Array, p: number, N: number): { lo: number; boxW: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of Y) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const cover = (hi - lo) * 1.05;
  return { lo: (lo + hi) / 2 - cover / 2, boxW: cover / Math.floor(N / (2 * p)) };
}

function run(b: typeof tsB, n: number, Y: Float64Array, p: number, N: number) {
  const { lo, boxW } = grid(Y, p, N);
  const rep = new Float64Array(2 * n).fill(NaN);
  const Z = b.tsneFftRepulsion2d(n, Y, p, N, lo, boxW, rep, new FftRepulsionBuffers());
  return { Z, rep };
}

describe('t-SNE kernels: FFT-interpolated repulsion (FIt-SNE)', () => {
  beforeAll(async () => {
    expect(W.wasmPool(), 'the threaded wasm variant should load in Node').not.toBeNull();
    K.setPoolOptions({ threads: 1 });
    expect(await W.whenPoolReady(10_000)).toBe(1);
  });
  afterAll(() => K.setPoolOptions({ threads: 1, stallTimeoutMs: 10_000 }));

  it('WebAssembly equals the TypeScript reference for every FFT size kind (2^k, 3·2^k, 5·2^k), p = 3 and 4', () => {
    const n = 3000;
    // N = 192 (3·64), 256, 384 (3·128), 512, 640 (5·128), 1280 (5·256): even and odd power-of-two parts
    for (const [N, ext, p] of [
      [192, 10, 3],
      [256, 20, 3],
      [384, 30, 3],
      [512, 40, 3],
      [640, 50, 3],
      [1280, 100, 3],
      [256, 15, 4],
      [640, 40, 5],
    ] as const) {
      const Y = clusteredMap(n, N + p, ext);
      const a = run(tsB, n, Y, p, N);
      const b = run(wasmB, n, Y, p, N);
      expect(Math.abs(b.Z - a.Z) / a.Z, `Z at N = ${N}, p = ${p}`).toBeLessThan(1e-11);
      expect(relErr(b.rep, a.rep), `rep at N = ${N}, p = ${p}`).toBeLessThan(1e-11);
    }
  });

  it('is close to the exact sums (interpolation error only)', () => {
    const n = 1500;
    const Y = clusteredMap(n, 5, 12);
    const rep = new Float64Array(2 * n);
    let Z = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d0 = Y[2 * i]! - Y[2 * j]!;
        const d1 = Y[2 * i + 1]! - Y[2 * j + 1]!;
        const w = 1 / (1 + d0 * d0 + d1 * d1);
        Z += w;
        rep[2 * i]! += w * w * d0;
        rep[2 * i + 1]! += w * w * d1;
      }
    }
    const b = run(wasmB, n, Y, 3, 192);
    expect(Math.abs(b.Z - Z) / Z).toBeLessThan(1e-3);
    expect(relErr(b.rep, rep)).toBeLessThan(1e-2);
  });

  it('results are bit-identical on one thread and on two, and when a worker dies mid-call', async () => {
    const n = 20000;
    const Y = clusteredMap(n, 11, 60);
    K.setPoolOptions({ threads: 0 });
    const one = run(wasmB, n, Y, 3, 640);
    K.setPoolOptions({ threads: 1 });
    expect(await W.whenPoolReady(10_000)).toBe(1);
    const d0 = K.getPoolStats().dispatches;
    const two = run(wasmB, n, Y, 3, 640);
    expect(K.getPoolStats().dispatches).toBeGreaterThan(d0);
    expect(two.Z).toBe(one.Z);
    expect(two.rep).toEqual(one.rep);
    K.setPoolOptions({ stallTimeoutMs: 300 });
    const failures = K.getPoolStats().failures;
    W.wasmPool()!.injectFault(0, 'exit');
    const after = run(wasmB, n, Y, 3, 640);
    expect(K.getPoolStats().failures).toBe(failures + 1);
    expect(after.Z).toBe(one.Z);
    expect(after.rep).toEqual(one.rep);
    expect(await W.whenPoolReady(10_000)).toBe(1);
  });

  it('the cached kernel transform follows the grid (N, p, spacing) between calls', () => {
    const n = 2000;
    const Y1 = clusteredMap(n, 1, 20);
    const Y2 = clusteredMap(n, 2, 35);
    const first = run(wasmB, n, Y1, 3, 384);
    run(wasmB, n, Y2, 3, 384); // other spacing, same N
    run(wasmB, n, Y2, 3, 640);
    const again = run(wasmB, n, Y1, 3, 384);
    expect(again.Z).toBe(first.Z);
    expect(again.rep).toEqual(first.rep);
  });

  it('rejects bad arguments with exact messages', () => {
    const Y = new Float64Array(20);
    const rep = new Float64Array(20);
    const buf = new FftRepulsionBuffers();
    expect(() => K.tsneFftRepulsion2d(11, Y, 3, 192, 0, 1, rep, buf)).toThrow(
      'tsneFftRepulsion2d: Y and rep need 22 values',
    );
    expect(() => K.tsneFftRepulsion2d(10, Y, 0, 192, 0, 1, rep, buf)).toThrow(
      'tsneFftRepulsion2d: p must be an integer >= 1, got 0',
    );
    expect(() => K.tsneFftRepulsion2d(10, Y, 3, 100, 0, 1, rep, buf)).toThrow(
      'tsneFftRepulsion2d: N must be a power of two, 3·2^m or 5·2^m, at least 2p = 6 and at most 4096, got 100',
    );
    // 8192: byte counts of the wasm kernels would pass 2^31 (they wrapped and overran memory)
    expect(() => K.tsneFftRepulsion2d(10, Y, 3, 8192, 0, 1, rep, buf)).toThrow(
      'tsneFftRepulsion2d: N must be a power of two, 3·2^m or 5·2^m, at least 2p = 6 and at most 4096, got 8192',
    );
    expect(() => K.tsneFftRepulsion2d(2.5, Y, 3, 192, 0, 1, rep, buf)).toThrow(
      'tsneFftRepulsion2d: n must be an integer >= 0, got 2.5',
    );
    expect(() => K.tsneFftRepulsion2d(10, Y, 3, 192, 0, 0, rep, buf)).toThrow(
      'tsneFftRepulsion2d: boxW must be finite and > 0 and lo finite, got 0 and 0',
    );
    expect(K.tsneFftRepulsion2d(0, Y, 3, 192, 0, 1, rep, buf)).toBe(0);
  });
});
