/**
 * Dense linear algebra in float64 (float32 input is converted): eigensolvers, SVD, factorisations
 * and solves. Every function copies its input (the caller's data is never mutated), validates it at
 * the boundary ("A must be square; got 3x4", "A has NaN at row 1, column 0") and puts its O(n³)
 * work through the gemm kernel of src/kernels.
 *
 *   eigh(A, { largest | smallest })   A (n×n symmetric) → values (k, ascending), vectors (n×k)
 *   eigsh(op, n, k, { which })        matrix-free Lanczos for k eigenpairs of a symmetric operator
 *   svd(A)                            A (m×n) → U (m×r), s (r, descending), Vt (r×n), r = min(m, n)
 *   randomizedSvd(A, k, opts)         the k leading triplets (Halko et al. 2011)
 *   qr(A)                             thin Q (m×r), R (r×n)
 *   cholesky(A) / choleskyLogDet(L) / invSpd(A)
 *   solveTriangular(L, B, opts) / solve(A, B) / logDet(A) / inv(A)
 */
export { eigh, type EighOptions, type EighResult } from './eigh.js';
export { eigsh, type EigshOptions, type EigshResult } from './eigsh.js';
export { svd, type SvdResult } from './svd.js';
export { randomizedSvd, type RandomizedSvdOptions } from './randomized-svd.js';
export { qr, type QrResult } from './qr.js';
export { cholesky, choleskyLogDet, invSpd } from './cholesky.js';
export { solveTriangular, type SolveTriangularOptions } from './triangular.js';
export { solve, logDet, inv, type LogDetResult } from './lu.js';
