import { readFileSync } from 'node:fs';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';

export const FIX = JSON.parse(
  readFileSync(new URL('../fixtures/linalg/linalg.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixture JSON of mixed shapes

export function M(rows: number[][]): Matrix<Float64Array> {
  return Matrix.fromRows(rows) as Matrix<Float64Array>;
}

export function randn(m: number, n: number, seed: number): Matrix<Float64Array> {
  const a = new Float64Array(m * n);
  new Rng(seed).fillNormal(a);
  return new Matrix(a, m, n);
}

/** Plain triple loop, independent of the kernels under test. */
export function mul(A: Matrix, B: Matrix): Matrix<Float64Array> {
  const out = new Float64Array(A.rows * B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let p = 0; p < A.cols; p++) s += A.get(i, p) * B.get(p, j);
      out[i * B.cols + j] = s;
    }
  }
  return new Matrix(out, A.rows, B.cols);
}

export function maxAbsDiff(A: Matrix, B: Matrix | number[][]): number {
  const b = B instanceof Matrix ? B : M(B);
  if (A.rows !== b.rows || A.cols !== b.cols)
    throw new Error(`shape ${A.rows}x${A.cols} vs ${b.rows}x${b.cols}`);
  let d = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) d = Math.max(d, Math.abs(A.get(i, j) - b.get(i, j)));
  return d;
}

export function maxAbs(A: Matrix): number {
  let d = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) d = Math.max(d, Math.abs(A.get(i, j)));
  return d;
}

/** max |QᵀQ − I| over the columns of Q. */
export function orthError(Q: Matrix): number {
  const G = mul(Q.T, Q);
  let d = 0;
  for (let i = 0; i < G.rows; i++)
    for (let j = 0; j < G.cols; j++) d = Math.max(d, Math.abs(G.get(i, j) - (i === j ? 1 : 0)));
  return d;
}

/** Random symmetric matrix with the given eigenvalues (Q·diag(λ)·Qᵀ, Q from a QR of a Gaussian). */
export function symWithEigs(lambda: number[], seed: number): Matrix<Float64Array> {
  const n = lambda.length;
  const Q = gramSchmidt(randn(n, n, seed));
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += Q.get(i, p) * lambda[p]! * Q.get(j, p);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return new Matrix(out, n, n);
}

/** Orthonormal columns by modified Gram–Schmidt applied twice (independent of src/linalg). */
export function gramSchmidt(A: Matrix): Matrix<Float64Array> {
  const m = A.rows;
  const n = A.cols;
  const Q = A.clone() as Matrix<Float64Array>;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += Q.get(i, k) * Q.get(i, j);
        for (let i = 0; i < m; i++) Q.set(i, j, Q.get(i, j) - s * Q.get(i, k));
      }
      let nrm = 0;
      for (let i = 0; i < m; i++) nrm += Q.get(i, j) ** 2;
      nrm = Math.sqrt(nrm);
      for (let i = 0; i < m; i++) Q.set(i, j, Q.get(i, j) / nrm);
    }
  }
  return Q;
}

export function scaleCols(A: Matrix, s: ArrayLike<number>): Matrix<Float64Array> {
  const B = A.clone() as Matrix<Float64Array>;
  for (let i = 0; i < B.rows; i++) for (let j = 0; j < B.cols; j++) B.set(i, j, B.get(i, j) * s[j]!);
  return B;
}

export function vecDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}
