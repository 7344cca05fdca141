/**
 * Kernel benchmarks: dense products and distances of src/kernels against the plain TypeScript
 * backend, ml-matrix and numpy/OpenBLAS, in one run. `npm run bench:kernels` (add `-- --small` for a
 * quick smoke run). Writes bench/results/kernels.md.
 *
 * Operands of the wasm rows live in wasmHeap (no copies), as the NN engine keeps them; the "plain
 * arrays" rows include copying operands in and C out. numpy uses its OpenBLAS with 2 threads (the
 * native ceiling) and 1 thread.
 */
import { Matrix as MlMatrix } from 'ml-matrix';
import {
  sqdist,
  getBackend,
  setBackend,
  setPoolOptions,
  wasmHeap,
  whenPoolReady,
} from '../src/kernels/index.js';
import { tsBackend, type KernelBackend } from '../src/kernels/registry.js';
import { makeWasmBackend, readVariantSync, wasmInfo, wasmPool } from '../src/kernels/wasm-backend.js';
import {
  PY_TIMER,
  fmt,
  gflops,
  machineInfo,
  mdTable,
  runPython,
  timeIt,
  twoThreadScaling,
  writeResults,
} from './common.js';

const small = process.argv.includes('--small');
const N = small ? 256 : 1024;
const SQ = small ? { m: 1000, n: 100, d: 784 } : { m: 10000, n: 1000, d: 784 };

if (getBackend().name !== 'wasm') throw new Error(`wasm backend not loaded: ${JSON.stringify(wasmInfo())}`);
const wasm = (await import('../src/kernels/registry.js')).backendByName('wasm')!;
const mainPool = wasmPool()!;

// the plain-SIMD variant as a second backend object (its own pool)
const simdBytes = readVariantSync('kernels-simd-mt');
const simd = simdBytes
  ? makeWasmBackend(new WebAssembly.Module(simdBytes as BufferSource), 'kernels-simd-mt')
  : null;

function rnd(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}
function heapF32(src: Float64Array): Float32Array {
  const a = wasmHeap.allocF32(src.length);
  a.set(src);
  return a;
}
function heapF64(src: Float64Array): Float64Array {
  const a = wasmHeap.allocF64(src.length);
  a.set(src);
  return a;
}

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  ta: boolean;
  tb: boolean;
}

type Variant = { label: string; backend: KernelBackend; threads: number; pool?: typeof mainPool | null };
const variants: Variant[] = [
  { label: 'TypeScript (4x4 tiles)', backend: tsBackend, threads: 0 },
  { label: 'wasm SIMD, 1 thread', backend: simd?.backend ?? wasm, threads: 0, pool: simd?.pool },
  { label: 'wasm SIMD+FMA (relaxed), 1 thread', backend: wasm, threads: 0, pool: mainPool },
  { label: 'wasm SIMD, 2 threads', backend: simd?.backend ?? wasm, threads: 1, pool: simd?.pool },
  { label: 'wasm SIMD+FMA (relaxed), 2 threads', backend: wasm, threads: 1, pool: mainPool },
];
if (!simd) {
  variants.splice(3, 1);
  variants.splice(1, 1);
}

async function gemmRow(shape: Shape, dt: 'f32' | 'f64', v: Variant): Promise<{ wall: number; cpu: number }> {
  const { m, n, k, ta, tb } = shape;
  if (v.pool) {
    v.pool.configure({ threads: v.threads, adaptive: false });
    if (v.threads > 0) {
      v.pool.ensureStarted();
      await v.pool.whenReady(10_000);
    }
  }
  const A = rnd(m * k, 1);
  const B = rnd(k * n, 2);
  const lda = ta ? m : k;
  const ldb = tb ? k : n;
  let t;
  if (dt === 'f32') {
    const [a, b, c] = [heapF32(A), heapF32(B), wasmHeap.allocF32(m * n)];
    const f = () => v.backend.gemmF32(m, n, k, a, 0, lda, ta, b, 0, ldb, tb, c, 0, n, 1, 0);
    t = timeIt(f, {
      warmup: 2,
      warmupMs: v.backend === tsBackend ? 1500 : 0,
      reps: v.backend === tsBackend ? 3 : 7,
      minMs: v.backend === tsBackend ? 0 : 300,
    });
    [a, b, c].forEach((x) => wasmHeap.free(x));
  } else {
    const [a, b, c] = [heapF64(A), heapF64(B), wasmHeap.allocF64(m * n)];
    const f = () => v.backend.gemmF64(m, n, k, a, 0, lda, ta, b, 0, ldb, tb, c, 0, n, 1, 0);
    t = timeIt(f, {
      warmup: 2,
      warmupMs: v.backend === tsBackend ? 1500 : 0,
      reps: v.backend === tsBackend ? 3 : 7,
      minMs: v.backend === tsBackend ? 0 : 300,
    });
    [a, b, c].forEach((x) => wasmHeap.free(x));
  }
  return { wall: gflops(2 * m * n * k, t.median), cpu: gflops(2 * m * n * k * t.reps, t.cpuTotal) };
}

const shapes: Shape[] = [
  { name: `gemm n=${N}`, m: N, n: N, k: N, ta: false, tb: false },
  { name: 'MLP fwd X·W (256x784·784x128)', m: 256, n: 128, k: 784, ta: false, tb: false },
  { name: 'MLP grad Xᵀ·dY (784x256·256x128)', m: 784, n: 128, k: 256, ta: true, tb: false },
  { name: 'MLP grad dY·Wᵀ (256x128·128x784)', m: 256, n: 784, k: 128, ta: false, tb: true },
];

// ---- numpy --------------------------------------------------------------------------------------
const pyGemm = (threads: number) =>
  runPython<Record<string, number | [number, number]>>(
    `${PY_TIMER}
import numpy as np
rng = np.random.default_rng(0)
out = {}
for dt in ['float32', 'float64']:
    A = rng.random((${N}, ${N})).astype(dt); B = rng.random((${N}, ${N})).astype(dt)
    out['gemm_' + dt] = bench_cpu(lambda: A @ B, reps=7, min_ms=300)
X = rng.random((256, 784)).astype('float32'); W = rng.random((784, 128)).astype('float32'); dY = rng.random((256, 128)).astype('float32')
out['fwd'] = bench_cpu(lambda: X @ W, reps=21, min_ms=300)
out['gW'] = bench_cpu(lambda: X.T @ dY, reps=21, min_ms=300)
out['gX'] = bench_cpu(lambda: dY @ W.T, reps=21, min_ms=300)
for dt in ['float32', 'float64']:
    P = rng.random((${SQ.m}, ${SQ.d})).astype(dt); Q = rng.random((${SQ.n}, ${SQ.d})).astype(dt)
    def sq():
        D = (P * P).sum(1)[:, None] + (Q * Q).sum(1)[None, :] - 2 * (P @ Q.T)
        np.maximum(D, 0, out=D)
    out['sqdist_' + dt] = bench(sq, reps=3, min_ms=300)
Z = rng.standard_normal((2000, 784)) * np.linspace(3, 0.01, 784)
Cov = np.cov(Z, rowvar=False)
out['eigh'] = bench(lambda: np.linalg.eigh(Cov), reps=3, min_ms=300)
print(json.dumps(out))
`,
    600_000,
    {
      OPENBLAS_NUM_THREADS: String(threads),
      OMP_NUM_THREADS: String(threads),
      MKL_NUM_THREADS: String(threads),
    },
  );

console.log(machineInfo());
const scaling = await twoThreadScaling();
console.log(`two threads of plain JS together: ${scaling.toFixed(2)}x one thread`);
console.log(`wasm backend: ${getBackend().description}`);
const np2 = pyGemm(2);
const np1 = pyGemm(1);

// ---- gemm table ---------------------------------------------------------------------------------
const rows: (string | number)[][] = [];
const cpuRows: (string | number)[][] = [];
const results: Record<string, Record<string, number>> = {};
for (const shape of shapes) {
  for (const dt of shape === shapes[0] ? (['f32', 'f64'] as const) : (['f32'] as const)) {
    const key = `${shape.name} ${dt}`;
    results[key] = {};
    for (const v of variants) {
      const g = await gemmRow(shape, dt, v);
      results[key][v.label] = g.wall;
      results[key][`${v.label} cpu`] = g.cpu;
      console.log(`${key.padEnd(44)} ${v.label.padEnd(36)} ${fmt(g.wall)} GFLOPS (${fmt(g.cpu)} per CPU-s)`);
    }
    let ml: number | null = null;
    if (shape === shapes[0] && dt === 'f64') {
      const a = new MlMatrix(N, N);
      const b = new MlMatrix(N, N);
      const A = rnd(N * N, 1);
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) {
          a.set(i, j, A[i * N + j]!);
          b.set(i, j, A[j * N + i]!);
        }
      const t = timeIt(() => a.mmul(b), { warmup: 1, reps: 1, minMs: 0 });
      ml = gflops(2 * N ** 3, t.median);
      console.log(`${key.padEnd(44)} ml-matrix mmul ${fmt(ml)} GFLOPS`);
    }
    const flops = 2 * shape.m * shape.n * shape.k;
    const pyKey =
      shape === shapes[0]
        ? `gemm_${dt === 'f32' ? 'float32' : 'float64'}`
        : ['fwd', 'gW', 'gX'][shapes.indexOf(shape) - 1]!;
    const pw = (r: typeof np2, i: 0 | 1) => (r ? gflops(flops, (r[pyKey] as [number, number])[i]) : null);
    const npg2 = pw(np2, 0);
    const npg1 = pw(np1, 0);
    const npg1cpu = pw(np1, 1);
    const r = results[key];
    const best = r['wasm SIMD+FMA (relaxed), 2 threads']!;
    rows.push([
      key,
      fmt(r['TypeScript (4x4 tiles)']),
      fmt(r['wasm SIMD, 1 thread']),
      fmt(r['wasm SIMD+FMA (relaxed), 1 thread']),
      fmt(r['wasm SIMD, 2 threads']),
      fmt(best),
      fmt(ml),
      fmt(npg1),
      fmt(npg2),
      `${fmt(best / r['TypeScript (4x4 tiles)']!)}x`,
      npg2 ? `${fmt(best / npg2, 2)}x` : '–',
    ]);
    const ts1 = r['TypeScript (4x4 tiles) cpu']!;
    const fma1 = r['wasm SIMD+FMA (relaxed), 1 thread cpu']!;
    cpuRows.push([
      key,
      fmt(ts1),
      fmt(r['wasm SIMD, 1 thread cpu']),
      fmt(fma1),
      fmt(r['wasm SIMD+FMA (relaxed), 2 threads cpu']),
      fmt(npg1cpu),
      `${fmt(fma1 / ts1)}x`,
      npg1cpu ? `${fmt(fma1 / npg1cpu, 2)}x` : '–',
    ]);
  }
}

// ---- copies: the same products with operands in ordinary typed arrays (copied in, C copied out) ----
mainPool.configure({ threads: 1, adaptive: false });
await mainPool.whenReady(10_000);
const copyRows: (string | number)[][] = [];
for (const shape of [shapes[0]!, shapes[1]!]) {
  const { m, n, k, ta, tb } = shape;
  const A = Float32Array.from(rnd(m * k, 1));
  const B = Float32Array.from(rnd(k * n, 2));
  const C = new Float32Array(m * n);
  const { gemm } = await import('../src/kernels/index.js');
  const t = timeIt(() => gemm(m, n, k, A, B, C, { transA: ta, transB: tb }), {
    warmup: 2,
    reps: 7,
    minMs: 300,
  });
  const g = gflops(2 * m * n * k, t.median);
  const inHeap = results[`${shape.name} f32`]!['wasm SIMD+FMA (relaxed), 2 threads']!;
  copyRows.push([`${shape.name} f32`, fmt(inHeap), fmt(g), `${fmt((100 * (inHeap - g)) / inHeap, 0)}%`]);
  console.log(`${shape.name} f32 plain arrays (copies): ${fmt(g)} GFLOPS`);
}
mainPool.configure({ adaptive: true });

// ---- sqdist (plain Float32/Float64 arrays, as callers pass them: includes the copies) --------------
setPoolOptions({ threads: 1 });
await whenPoolReady();
const sqRows: (string | number)[][] = [];
for (const dt of ['f32', 'f64'] as const) {
  const { m, n, d } = SQ;
  const P0 = rnd(m * d, 5);
  const Q0 = rnd(n * d, 6);
  const P = dt === 'f32' ? Float32Array.from(P0) : P0;
  const Q = dt === 'f32' ? Float32Array.from(Q0) : Q0;
  const D = dt === 'f32' ? new Float32Array(m * n) : new Float64Array(m * n);
  const cell: Record<string, number> = {};
  for (const b of ['ts', 'wasm'] as const) {
    setBackend(b);
    const t = timeIt(() => sqdist(m, n, d, P as Float64Array, Q as Float64Array, D as Float64Array), {
      warmup: 1,
      reps: b === 'ts' ? 1 : 5,
      minMs: b === 'ts' ? 0 : 300,
    });
    cell[b] = t.median;
    console.log(`sqdist ${m}x${d} vs ${n} ${dt} ${b}: ${t.median.toFixed(1)} ms`);
  }
  setBackend('wasm');
  const py = np2 ? (np2[`sqdist_${dt === 'f32' ? 'float32' : 'float64'}`] as number) : null;
  sqRows.push([
    `sqdist ${m}x${d} vs ${n}, ${dt}`,
    fmt(cell.ts, 0),
    fmt(cell.wasm, 1),
    py === null ? '–' : fmt(py, 1),
    `${fmt(cell.ts! / cell.wasm!)}x`,
    py === null ? '–' : `${fmt(cell.wasm! / py, 2)}x`,
  ]);
}

// ---- eigh of a 784x784 covariance (src/linalg, if present) -----------------------------------------
let eighRow: (string | number)[] | null = null;
try {
  const linalg = (await import('../src/linalg/index.js')) as { eigh?: (A: unknown) => unknown };
  const core = await import('../src/core/matrix.js');
  if (linalg.eigh) {
    const d = 784;
    const Z = rnd(2000 * d, 9);
    for (let i = 0; i < 2000; i++)
      for (let j = 0; j < d; j++) Z[i * d + j] = Z[i * d + j]! * (3 - (3 * j) / d + 0.01);
    const Cov = new Float64Array(d * d);
    const { syrk } = await import('../src/kernels/index.js');
    syrk(2000, d, Z, Cov, { alpha: 1 / 1999 });
    const M = new core.Matrix(Cov, d, d);
    const t = timeIt(() => linalg.eigh!(M), { warmup: 1, reps: 3, minMs: 0 });
    const py = np2 ? (np2.eigh as number) : null;
    eighRow = [
      'eigh 784x784 (all pairs)',
      fmt(t.median, 0),
      py === null ? '–' : fmt(py, 0),
      py === null ? '–' : `${fmt(t.median / py, 2)}x`,
    ];
    console.log(`eigh 784: ${t.median.toFixed(0)} ms (numpy ${py?.toFixed(0)} ms)`);
  }
} catch (e) {
  console.log(`eigh skipped: ${(e as Error).message}`);
}

const md = `## Kernels (gemm, squared distances, eigh)

Command: \`npm run bench:kernels\`${small ? ' -- --small (smoke run: small sizes)' : ''}. Machine: ${machineInfo()}.
Two threads of plain compute-bound JavaScript got ${scaling.toFixed(2)}x the work of one at the start of this
run (about 2 on two free cores; about 1 when the two vCPUs share a physical core or one is busy, and then no
2-thread figure below can beat the 1-thread one).
wasm backend: ${getBackend().description}. Medians of warm runs; GFLOPS = 2·m·n·k / time. wasm operands live
in wasmHeap (no copies). numpy: OpenBLAS from /usr/bin/python3, 1 and 2 threads.

${mdTable(
  [
    'GFLOPS',
    'TypeScript',
    'wasm SIMD 1T',
    'wasm FMA 1T',
    'wasm SIMD 2T',
    'wasm FMA 2T',
    'ml-matrix',
    'numpy 1T',
    'numpy 2T',
    'best wasm / TS',
    'best wasm / numpy 2T',
  ],
  rows,
)}

Speed per CPU-second (flops / CPU time of all threads of the process): independent of how busy the
machine is, so these are the figures to compare when other work shares the cores (the wall-clock rows
above then undercount). A 2-thread figure close to the 1-thread one means the split wastes little
(no idle spinning, little duplicated packing): with two free cores its wall-clock speed is about twice
that.

${mdTable(['GFLOPS per CPU-s', 'TypeScript', 'wasm SIMD 1T', 'wasm FMA 1T', 'wasm FMA 2T', 'numpy 1T', 'FMA 1T / TS', 'FMA 1T / numpy 1T'], cpuRows)}

The same products with operands in ordinary typed arrays (copied into wasm memory and back on every call), wasm FMA 2 threads:

${mdTable(['GFLOPS', 'operands in wasmHeap', 'ordinary arrays', 'cost of the copies'], copyRows)}

Squared distances (plain typed arrays, as callers pass them: copies into wasm memory included), ms:

${mdTable(['ms', 'TypeScript', 'wasm (2 threads)', 'numpy 2T', 'TS / wasm', 'wasm / numpy'], sqRows)}
${eighRow ? `\n${mdTable(['ms', 'unsupervised eigh', 'numpy.linalg.eigh 2T', 'ours / numpy'], [eighRow])}\n` : ''}`;
writeResults('kernels', md);
process.exit(0);
