// Backend selection in fresh processes: UNSUPERVISED_BACKEND=ts forces the TypeScript kernels, and an
// engine without SharedArrayBuffer (simulated by deleting the global, as on a browser page that is
// not cross-origin isolated) gets the private-memory wasm build (no worker pool), still correct.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve('.');
const script = join(mkdtempSync(join(tmpdir(), 'kernels-env-')), 'probe.mts');

beforeAll(() => {
  if (!existsSync('build/wasm/kernels-simd-st.wasm'))
    execFileSync(process.execPath, ['scripts/build-wasm.mjs']);
  writeFileSync(
    script,
    `if (process.env.PROBE_NO_SAB) delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
if (process.env.PROBE_NO_GBM) delete (process as { getBuiltinModule?: unknown }).getBuiltinModule; // Node < 20.16
const { gemm, sqdist, tsneRepulsion2d, getBackend, getPoolStats, initKernels, wasmHeap, whenPoolReady } = await import(${JSON.stringify(join(root, 'src/kernels/index.ts'))});
const atImport = getBackend().name;
await initKernels();
let filled = 0;
if (process.env.PROBE_FILL) {
  // use up the (fixed, private) wasm memory: the kernels must fall back to TypeScript, not fail
  const keep = [];
  for (;;) {
    const v = wasmHeap.allocF64(1 << 18);
    if (!wasmHeap.isInHeap(v)) break;
    keep.push(v);
  }
  filled = keep.length;
  wasmHeap.releaseScratch();
  for (;;) {
    const v = wasmHeap.allocF64(1 << 10);
    if (!wasmHeap.isInHeap(v)) break;
    keep.push(v);
  }
  (globalThis as { keep?: unknown }).keep = keep;
}
const n = 130; // 4.4 MFLOP: large enough to start the worker pool, which must not keep the process alive
const A = new Float64Array(n * n).map((_, i) => ((i * 7919) % 13) - 6);
const C = new Float64Array(n * n);
gemm(n, n, n, A, A, C);
await whenPoolReady();
gemm(n, n, n, A, A, C);
let err = 0;
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
  let s = 0;
  for (let p = 0; p < n; p++) s += A[i * n + p] * A[p * n + j];
  err = Math.max(err, Math.abs(s - C[i * n + j]));
}
const D = new Float64Array(n * n);
sqdist(n, n, n, A, A, D);
let derr = 0;
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
  let s = 0;
  for (let p = 0; p < n; p++) s += (A[i * n + p] - A[j * n + p]) ** 2;
  derr = Math.max(derr, Math.abs(s - D[i * n + j]));
}
// t-SNE Barnes-Hut kernel with θ = 0 (the exact sum) against a brute-force loop
const m = 300;
const Y = Float64Array.from({ length: 2 * m }, (_, i) => ((i * 7919) % 101) / 7 - 7);
const rep = new Float64Array(2 * m);
const sumW = new Float64Array(m);
tsneRepulsion2d(m, Y, 0, rep, sumW);
let terr = 0;
for (let i = 0; i < m; i++) {
  let a = 0, b = 0, c = 0;
  for (let j = 0; j < m; j++) {
    if (j === i) continue;
    const d0 = Y[2 * i] - Y[2 * j], d1 = Y[2 * i + 1] - Y[2 * j + 1];
    const w = 1 / (1 + d0 * d0 + d1 * d1);
    c += w; a += w * w * d0; b += w * w * d1;
  }
  terr = Math.max(terr, Math.abs(a - rep[2 * i]), Math.abs(b - rep[2 * i + 1]), Math.abs(c - sumW[i]) / c);
}
console.log(JSON.stringify({ ...getBackend(), atImport, shared: wasmHeap.shared, err, derr, terr, filled, dispatches: getPoolStats().dispatches }));
`,
  );
});

function probe(
  args: string[],
  env: Record<string, string>,
): {
  name: string;
  atImport: string;
  description: string;
  shared: boolean;
  err: number;
  derr: number;
  terr: number;
  filled: number;
  dispatches: number;
} {
  const out = execFileSync(process.execPath, [...args, '--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000, // a worker keeping the process alive would show up here
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('backend selection at load time', () => {
  it('UNSUPERVISED_BACKEND=ts forces the TypeScript kernels', () => {
    const r = probe([], { UNSUPERVISED_BACKEND: 'ts' });
    expect(r.name).toBe('ts');
    expect(r.err).toBe(0);
    expect(r.terr).toBeLessThan(1e-12);
  });
  it('defaults to wasm with relaxed SIMD even without the command-line flag (switched on at load)', () => {
    const r = probe([], { UNSUPERVISED_BACKEND: '' });
    expect(r.name).toBe('wasm');
    expect(r.description).toContain('kernels-relaxed-mt');
    expect(r.shared).toBe(true);
    expect(r.err).toBe(0);
    expect(r.terr).toBeLessThan(1e-12);
    expect(r.dispatches).toBeGreaterThanOrEqual(1); // products ran on two threads, and the process still exited
  });
  it('Node < 20.16 (no process.getBuiltinModule): TypeScript at import, wasm with threads after initKernels()', () => {
    const r = probe([], { UNSUPERVISED_BACKEND: '', PROBE_NO_GBM: '1' });
    expect(r.atImport).toBe('ts');
    expect(r.name).toBe('wasm');
    expect(r.description).toContain('kernels-relaxed-mt');
    expect(r.err).toBe(0);
    expect(r.dispatches).toBeGreaterThanOrEqual(1);
  });
  it('a full wasm memory (private, fixed size) makes the kernels fall back to TypeScript, still correct', () => {
    const r = probe([], { UNSUPERVISED_BACKEND: '', PROBE_NO_SAB: '1', PROBE_FILL: '1' });
    expect(r.shared).toBe(false);
    expect(r.filled).toBeGreaterThan(100); // about 256 MiB of 2 MiB blocks
    expect(r.err).toBe(0);
    expect(r.derr).toBe(0);
    expect(r.terr).toBeLessThan(1e-12); // the t-SNE kernels too (no room for their tree: TypeScript)
  });
  it('without SharedArrayBuffer: private memory, single-threaded wasm build, same results', () => {
    const r = probe([], { UNSUPERVISED_BACKEND: '', PROBE_NO_SAB: '1' });
    expect(r.shared).toBe(false);
    expect(r.description).toMatch(/kernels-relaxed-st|kernels-simd-st/);
    expect(r.err).toBe(0);
    expect(r.terr).toBeLessThan(1e-12); // t-SNE kernel without atomics (single-threaded build)
  });
});
