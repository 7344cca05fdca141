/**
 * The one place that decides which implementation runs each kernel.
 *
 * Backends: 'ts' (plain TypeScript, always present) and 'wasm' (WebAssembly SIMD, registered by
 * wasm-backend.ts when the module loads). The best registered backend is active unless the
 * environment variable UNSUPERVISED_BACKEND=ts forces the TypeScript one. A backend that lacks a
 * kernel is rejected when registered or selected, naming the kernel: no silent mix-ups.
 */
import * as ts from './ts-backend.js';
import * as tsnn from './ts-nn.js';
import * as tstsne from './ts-tsne.js';
import { fftRepulsion2dTs, type FftRepulsionBuffers } from './ts-fft.js';

type F32 = Float32Array;
type F64 = Float64Array;
type Float = F32 | F64;

/** C = alpha·op(A)·op(B) + beta·C with explicit offsets and leading dimensions (all validated upstream). */
export type GemmImpl<T extends Float> = (
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
) => void;

export interface KernelBackend {
  readonly name: 'ts' | 'wasm';
  /** Human-readable variant, e.g. "wasm simd128+relaxed, 2 threads". */
  readonly description: string;
  gemmF32: GemmImpl<F32>;
  gemmF64: GemmImpl<F64>;
  rowSqNormsF32: (m: number, d: number, X: F32, xo: number, ldx: number, out: F32, oo: number) => void;
  rowSqNormsF64: (m: number, d: number, X: F64, xo: number, ldx: number, out: F64, oo: number) => void;
  sqdistFinishF32: (m: number, n: number, D: F32, dof: number, ldd: number, xn: F32, yn: F32) => void;
  sqdistFinishF64: (m: number, n: number, D: F64, dof: number, ldd: number, xn: F64, yn: F64) => void;
  /** D = max(0, ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j) for dense row-major X (m×d), Y (n×d), D (m×n); norms computed when null. */
  sqdistF32: (
    m: number,
    n: number,
    d: number,
    X: F32,
    Y: F32,
    D: F32,
    xn: F32 | null,
    yn: F32 | null,
  ) => void;
  sqdistF64: (
    m: number,
    n: number,
    d: number,
    X: F64,
    Y: F64,
    D: F64,
    xn: F64 | null,
    yn: F64 | null,
  ) => void;
  argminRowsF32: (m: number, n: number, D: F32, idx: Int32Array, val: F32) => void;
  argminRowsF64: (m: number, n: number, D: F64, idx: Int32Array, val: F64) => void;
  topkRows: (m: number, n: number, k: number, D: Float, idx: Int32Array, val: Float) => void;
  axpy: (n: number, alpha: number, x: Float, xo: number, y: Float, yo: number) => void;
  scale: (n: number, alpha: number, x: Float, xo: number) => void;
  add: (n: number, x: Float, y: Float, out: Float) => void;
  mul: (n: number, x: Float, y: Float, out: Float) => void;
  sum: (n: number, x: Float) => number;
  dot: (n: number, x: Float, y: Float) => number;
  max: (n: number, x: Float) => number;
  // neural-network elementwise kernels (float32; see ts-nn.ts for the formulas)
  mapF32: (op: 0 | 1 | 2, n: number, x: F32, out: F32) => void;
  leakyReluF32: (n: number, alpha: number, x: F32, out: F32) => void;
  leakyReluBackwardF32: (n: number, alpha: number, ref: F32, g: F32, dx: F32, acc: boolean) => void;
  sigmoidBackwardF32: (n: number, s: F32, g: F32, dx: F32, acc: boolean) => void;
  colSumsAddF32: (m: number, n: number, g: F32, db: F32) => void;
  bceSumF32: (n: number, p: F32, t: F32) => number;
  bceBackwardF32: (mode: 0 | 1, n: number, k: number, p: F32, t: F32, dx: F32, acc: boolean) => void;
  adamF32: (
    n: number,
    w: F32,
    g: F32,
    m: F32,
    v: F32,
    b1: number,
    b2: number,
    stepSize: number,
    invSbc2: number,
    eps: number,
    wd: number,
  ) => void;
  // t-SNE gradient kernels for 2-D maps, Cauchy kernel (see ts-tsne.ts for the formulas)
  /** Barnes-Hut repulsion: rep (n × 2) = Σ_j w_ij² (y_i − y_j), sumW[i] = Σ_{j≠i} w_ij. */
  tsneRepulsion2d: (n: number, Y: F64, theta: number, rep: F64, sumW: F64) => void;
  /**
   * Attraction over CSR rows: attr (n × 2) = Σ_j p_ij w_ij (y_i − y_j); klRow[i] = Σ_j p_ij log w_ij.
   * `upper`: the CSR holds only the strict upper triangle of a symmetric P (each pair once; klRow then
   * sums over j > i, so Σ_ij p_ij log w_ij = 2 Σ_i klRow[i]).
   */
  tsneAttraction2d: (
    n: number,
    Y: F64,
    indptr: Int32Array,
    indices: Int32Array,
    data: F64,
    attr: F64,
    klRow: F64 | null,
    upper: boolean,
  ) => void;
  /**
   * FFT-interpolated t-SNE repulsion (FIt-SNE): rep (n × 2) ≈ Σ_j w_ij² (y_i − y_j), returns
   * Z ≈ Σ_{i≠j} w_ij; the grid is N × N with ⌊N/2p⌋ boxes of width boxW per side from (lo, lo) and p
   * nodes per box (see fftRepulsion2dTs in ts-fft.ts). `buffers` hold the TypeScript path's arrays.
   */
  tsneFftRepulsion2d: (
    n: number,
    Y: F64,
    p: number,
    N: number,
    lo: number,
    boxW: number,
    rep: F64,
    buffers: FftRepulsionBuffers,
  ) => number;
}

export const KERNEL_NAMES = [
  'gemmF32',
  'gemmF64',
  'rowSqNormsF32',
  'rowSqNormsF64',
  'sqdistFinishF32',
  'sqdistFinishF64',
  'sqdistF32',
  'sqdistF64',
  'argminRowsF32',
  'argminRowsF64',
  'topkRows',
  'axpy',
  'scale',
  'add',
  'mul',
  'sum',
  'dot',
  'max',
  'mapF32',
  'leakyReluF32',
  'leakyReluBackwardF32',
  'sigmoidBackwardF32',
  'colSumsAddF32',
  'bceSumF32',
  'bceBackwardF32',
  'adamF32',
  'tsneRepulsion2d',
  'tsneAttraction2d',
  'tsneFftRepulsion2d',
] as const satisfies readonly (keyof KernelBackend)[];

export const tsBackend: KernelBackend = {
  name: 'ts',
  description: 'plain TypeScript (4x4 register tiles)',
  gemmF32: ts.gemmF32,
  gemmF64: ts.gemmF64,
  rowSqNormsF32: ts.rowSqNormsF32,
  rowSqNormsF64: ts.rowSqNormsF64,
  sqdistFinishF32: ts.sqdistFinishF32,
  sqdistFinishF64: ts.sqdistFinishF64,
  sqdistF32: (m, n, d, X, Y, D, xn, yn) => {
    const a = xn ?? new Float32Array(m);
    const b = yn ?? (X === Y && m === n && !xn ? a : new Float32Array(n));
    if (!xn) ts.rowSqNormsF32(m, d, X, 0, d, a, 0);
    if (!yn && b !== a) ts.rowSqNormsF32(n, d, Y, 0, d, b, 0);
    ts.gemmF32(m, n, d, X, 0, d, false, Y, 0, d, true, D, 0, n, -2, 0);
    ts.sqdistFinishF32(m, n, D, 0, n, a, b);
  },
  sqdistF64: (m, n, d, X, Y, D, xn, yn) => {
    const a = xn ?? new Float64Array(m);
    const b = yn ?? (X === Y && m === n && !xn ? a : new Float64Array(n));
    if (!xn) ts.rowSqNormsF64(m, d, X, 0, d, a, 0);
    if (!yn && b !== a) ts.rowSqNormsF64(n, d, Y, 0, d, b, 0);
    ts.gemmF64(m, n, d, X, 0, d, false, Y, 0, d, true, D, 0, n, -2, 0);
    ts.sqdistFinishF64(m, n, D, 0, n, a, b);
  },
  argminRowsF32: ts.argminRowsF32,
  argminRowsF64: ts.argminRowsF64,
  topkRows: ts.topkRowsGeneric,
  axpy: ts.axpyTs,
  scale: ts.scaleTs,
  add: ts.addTs,
  mul: ts.mulTs,
  sum: ts.sumTs,
  dot: ts.dotTs,
  max: ts.maxTs,
  mapF32: tsnn.mapF32,
  leakyReluF32: tsnn.leakyReluF32,
  leakyReluBackwardF32: tsnn.leakyReluBackwardF32,
  sigmoidBackwardF32: tsnn.sigmoidBackwardF32,
  colSumsAddF32: tsnn.colSumsAddF32,
  bceSumF32: tsnn.bceSumF32,
  bceBackwardF32: tsnn.bceBackwardF32,
  adamF32: tsnn.adamF32,
  tsneRepulsion2d: (n, Y, theta, rep, sumW) => tstsne.bhRepulsion2d(n, Y, theta, rep, sumW),
  tsneAttraction2d: tstsne.attraction2d,
  tsneFftRepulsion2d: fftRepulsion2dTs,
};

function checkComplete(b: KernelBackend): void {
  const missing = KERNEL_NAMES.filter(
    (k) => typeof (b as unknown as Record<string, unknown>)[k] !== 'function',
  );
  if (missing.length > 0) {
    throw new Error(`kernels: backend '${b.name}' is missing kernel(s): ${missing.join(', ')}`);
  }
}

const backends = new Map<string, KernelBackend>([['ts', tsBackend]]);

function envBackend(): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.UNSUPERVISED_BACKEND;
  return v === undefined || v === '' ? undefined : v.toLowerCase();
}

const forced = envBackend();
if (forced !== undefined && forced !== 'ts' && forced !== 'wasm') {
  throw new Error(`UNSUPERVISED_BACKEND must be 'ts' or 'wasm', got '${forced}'`);
}

/** The active backend (read by every public kernel call). */
export let active: KernelBackend = tsBackend;

/** Called by a backend module once it is ready; it becomes active unless the user chose otherwise. */
export function registerBackend(b: KernelBackend): void {
  checkComplete(b);
  backends.set(b.name, b);
  if (forced === undefined || forced === b.name) {
    if (!userChoice || userChoice === b.name) active = b;
  }
}

let userChoice: 'ts' | 'wasm' | undefined;

/** Name and description of the backend that runs the kernels now. */
export function getBackend(): { name: 'ts' | 'wasm'; description: string; available: ('ts' | 'wasm')[] } {
  return {
    name: active.name,
    description: active.description,
    available: [...backends.keys()] as ('ts' | 'wasm')[],
  };
}

/**
 * Selects the backend for all later kernel calls. Throws if it is not available (e.g. 'wasm' before
 * the module loaded, or in an environment without WebAssembly SIMD).
 */
export function setBackend(name: 'ts' | 'wasm'): void {
  const b = backends.get(name);
  if (!b) {
    throw new Error(
      `kernels: backend '${name}' is not available (available: ${[...backends.keys()].join(', ')})` +
        (name === 'wasm' ? '; in browsers await initKernels() first' : ''),
    );
  }
  checkComplete(b);
  userChoice = name;
  active = b;
}

/** Internal (tests): the backend object itself. */
export function backendByName(name: 'ts' | 'wasm'): KernelBackend | undefined {
  return backends.get(name);
}
