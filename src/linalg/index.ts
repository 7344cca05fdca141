/** Dense linear algebra in float64: eigensolvers, SVD, factorisations and solves. */
export { eigh, type EighOptions, type EighResult } from './eigh.js';
export { eigsh, type EigshOptions, type EigshResult } from './eigsh.js';
export { svd, type SvdResult } from './svd.js';
export { randomizedSvd, type RandomizedSvdOptions } from './randomized-svd.js';
export { qr, type QrResult } from './qr.js';
export { cholesky, choleskyLogDet, invSpd } from './cholesky.js';
export { solveTriangular, type SolveTriangularOptions } from './triangular.js';
export { solve, logDet, inv, type LogDetResult } from './lu.js';
