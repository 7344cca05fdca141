/**
 * Boundary helpers shared by the linear-algebra routines: turn the caller's matrix into a private,
 * densely packed float64 copy (so nothing the caller owns is ever mutated), check shapes and
 * finiteness with errors that name the argument, and the small scalar helpers the factorisations
 * share (a Householder reflector generator, an overflow-safe hypot, sign normalisation).
 * Inner routines take (n, Float64Array) and assume validated input.
 */
import { ValidationError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { toMatrix } from '../core/validate.js';
import { isInHeap, wasmHeap } from '../kernels/index.js';

/** A Matrix view of the argument; `MatrixLike` inputs go through `toMatrix` (which rejects empty). */
export function asMatrix(A: MatrixLike, name: string): Matrix {
  if (A instanceof Matrix) return A;
  if (A === null || typeof A !== 'object') {
    throw new ValidationError(
      `${name} must be a Matrix or a 2-D array; got ${A === null ? 'null' : typeof A}`,
    );
  }
  return toMatrix(A, name);
}

/** Row-major float64 copy of M; throws "A has NaN at row i, column j" on non-finite entries. */
export function denseCopy(M: Matrix, name: string): Float64Array {
  const { rows, cols } = M;
  const out = new Float64Array(rows * cols);
  const d = M.data;
  if (M.isRowMajor()) {
    const o = M.offset;
    out.set(d.subarray(o, o + rows * cols));
  } else {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = d[M.offset + i * M.rowStride + j * M.colStride]!;
    }
  }
  checkFinite(out, cols, name);
  return out;
}

/**
 * M's data itself when it is a densely packed row-major float64 matrix (the caller must not write to
 * it), else a dense copy; non-finite entries raise the same error as `denseCopy`.
 */
export function readOnlyDense(M: Matrix, name: string): Float64Array {
  const { rows, cols } = M;
  if (!(M.data instanceof Float64Array) || !M.isRowMajor()) return denseCopy(M, name);
  const d = M.data.subarray(M.offset, M.offset + rows * cols);
  checkFinite(d, cols, name);
  return d;
}

function checkFinite(out: Float64Array, cols: number, name: string): void {
  // x·0 is 0 for every finite x and NaN for NaN/±Infinity: one sum per block of 1024 finds them.
  let bad = -1;
  for (let t = 0; t < out.length && bad < 0; t += 1024) {
    const end = Math.min(out.length, t + 1024);
    let acc = 0;
    for (let u = t; u < end; u++) acc += out[u]! * 0;
    if (acc !== 0) {
      for (let u = t; u < end; u++) {
        if (out[u]! - out[u]! !== 0) {
          bad = u;
          break;
        }
      }
    }
  }
  if (bad >= 0) {
    const v = out[bad]!;
    const i = Math.floor(bad / cols);
    const j = bad - i * cols;
    const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    throw new ValidationError(`${name} has ${what} at row ${i}, column ${j}`);
  }
}

/**
 * A private float64 copy of a right-hand side B for an n×n system whose matrix is called `of`: a
 * vector (Float64Array or Float32Array of length n) or an n×k matrix. Shared by solve and
 * solveTriangular.
 */
export function rhsCopy(
  B: MatrixLike | Float64Array | Float32Array,
  n: number,
  of: string,
): { x: Float64Array; k: number; isVec: boolean } {
  if (B instanceof Float64Array || B instanceof Float32Array) {
    if (B.length !== n) throw new ValidationError(`B has length ${B.length}, but ${of} is ${n}x${n}`);
    return { x: denseCopy(new Matrix(B, n, 1), 'B'), k: 1, isVec: true };
  }
  const BM = asMatrix(B, 'B');
  if (BM.rows !== n) throw new ValidationError(`B has ${BM.rows} rows, but ${of} is ${n}x${n}`);
  return { x: denseCopy(BM, 'B'), k: BM.cols, isVec: false };
}

/** An options argument may be left out, but not be null or a non-object (that was a TypeError). */
export function optionsObject<T extends object>(opts: T | undefined, name: string): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== 'object') {
    throw new ValidationError(
      `${name} options must be an object; got ${opts === null ? 'null' : typeof opts}`,
    );
  }
  return opts;
}

/** Throws unless an optional flag is a boolean ("lower must be a boolean; got no"). */
export function optionalBoolean(v: unknown, name: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ValidationError(`${name} must be a boolean; got ${String(v)}`);
  return v;
}

export function requireSquare(M: Matrix, name: string): number {
  if (M.rows !== M.cols) throw new ValidationError(`${name} must be square; got ${M.rows}x${M.cols}`);
  return M.rows;
}

/**
 * Checks symmetry of a dense n×n array to a relative tolerance and replaces it by its symmetric
 * part (so rounding-level asymmetry from blocked products does not matter).
 */
export function symmetrize(a: Float64Array, n: number, name: string, rtol = 1e-8): void {
  let amax = 0;
  for (let t = 0; t < n * n; t++) {
    const v = Math.abs(a[t]!);
    if (v > amax) amax = v;
  }
  const tol = rtol * amax;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = a[i * n + j]!;
      const y = a[j * n + i]!;
      if (Math.abs(x - y) > tol) {
        throw new ValidationError(
          `${name} must be symmetric; ${name}[${i},${j}]=${x} differs from ${name}[${j},${i}]=${y}`,
        );
      }
      const m = 0.5 * (x + y);
      a[i * n + j] = m;
      a[j * n + i] = m;
    }
  }
}

/** sqrt(a² + b²) without overflow or destructive underflow (cheaper than Math.hypot). */
export function hypot2(a: number, b: number): number {
  let x = a < 0 ? -a : a;
  let y = b < 0 ? -b : b;
  if (x < y) {
    const t = x;
    x = y;
    y = t;
  }
  if (x === 0) return 0;
  const r = y / x;
  return x * Math.sqrt(1 + r * r);
}

/** Euclidean norm of x[off], x[off+stride], ... (n values), scaled to avoid overflow. */
export function norm2(x: Float64Array, off: number, n: number, stride: number): number {
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(x[off + i * stride]!);
    if (v > scale) scale = v;
  }
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[off + i * stride]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/**
 * Householder reflector (LAPACK dlarfg): for the vector (alpha, x) with x = n values of `a` at
 * off, off+stride, ..., finds H = I − tau·v·vᵀ, v = (1, v₁..), with H·(alpha, x) = (beta, 0).
 * Overwrites x by v₁.. and returns [beta, tau]. tau = 0 (H = I) when x is already zero.
 */
export function householder(
  alpha: number,
  a: Float64Array,
  off: number,
  n: number,
  stride: number,
  out: Float64Array,
): void {
  const xnorm = norm2(a, off, n, stride);
  if (xnorm === 0) {
    out[0] = alpha;
    out[1] = 0;
    return;
  }
  const h = hypot2(alpha, xnorm);
  const beta = alpha >= 0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const scal = 1 / (alpha - beta);
  for (let i = 0; i < n; i++) a[off + i * stride] *= scal;
  out[0] = beta;
  out[1] = tau;
}

/**
 * Sign convention shared by eigh/svd (scikit-learn's svd_flip, u-based): each column j of the
 * n×k row-major `cols` gets its largest-|entry| (first one on ties) positive; returns the flips.
 */
export function flipColumnSigns(cols: Float64Array, n: number, k: number): Int8Array {
  const flips = new Int8Array(k);
  for (let j = 0; j < k; j++) {
    let best = -1;
    let bi = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(cols[i * k + j]!);
      if (v > best) {
        best = v;
        bi = i;
      }
    }
    if (cols[bi * k + j]! < 0) {
      flips[j] = 1;
      for (let i = 0; i < n; i++) cols[i * k + j] = -cols[i * k + j]!;
    }
  }
  return flips;
}

export function checkCount(k: unknown, name: string, max: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > max) {
    throw new ValidationError(`${name} must be an integer in [0, ${max}]; got ${String(k)}`);
  }
  return k;
}

/**
 * Runs `fn` on a copy of `src` placed in the kernels' wasm memory, then copies the result back.
 * gemm calls on sub-blocks of a plain typed array copy whole row spans into wasm memory on every
 * call; for the in-place blocked factorisations (many gemms on views of one n×n array) that copying
 * would cost more than the products. Falls back to `src` itself when the heap cannot hold it.
 */
export function inWasmHeap<R>(src: Float64Array, fn: (a: Float64Array) => R, copyBack = true): R {
  let h: Float64Array | null = null;
  try {
    h = wasmHeap.allocF64(src.length);
  } catch {
    h = null;
  }
  if (h === null || !isInHeap(h)) {
    if (h !== null) wasmHeap.free(h);
    return fn(src);
  }
  try {
    h.set(src);
    const r = fn(h);
    if (copyBack) src.set(h);
    return r;
  } finally {
    wasmHeap.free(h);
  }
}
