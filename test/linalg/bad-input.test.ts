/**
 * Bad input to every public function of linalg/ fails with an error that names the argument
 * (issue 2): ValidationError for malformed arguments, NumericalError where well-formed input has no
 * answer (not positive definite, singular). One row per case: the call, the class, the exact message.
 */
import { describe, expect, it } from 'vitest';
import { NumericalError, ValidationError } from '../../src/core/errors.js';
import {
  cholesky,
  choleskyLogDet,
  eigh,
  eigsh,
  inv,
  invSpd,
  logDet,
  qr,
  randomizedSvd,
  solve,
  solveTriangular,
  svd,
} from '../../src/linalg/index.js';

const bad = <T>(v: unknown): T => v as T;
const I2 = [
  [1, 0],
  [0, 1],
];
const A2 = [
  [1, 2],
  [3, 4],
];
const notSpd = [
  [1, 2],
  [2, 1],
];
const singular = [
  [1, 2],
  [2, 4],
];
const L2 = [
  [1, 0],
  [1, 1],
];
const identity = (x: Float64Array, y: Float64Array): void => y.set(x);
type ErrorClass = typeof ValidationError | typeof NumericalError;
const V = ValidationError;
const Nu = NumericalError;

const CASES: [string, () => unknown, ErrorClass, string][] = [
  ['eigh empty', () => eigh([]), V, 'A is empty: it has no rows'],
  [
    'eigh not square',
    () =>
      eigh([
        [1, 2, 3],
        [1, 2, 3],
      ]),
    V,
    'A must be square; got 2x3',
  ],
  ['eigh not symmetric', () => eigh(A2), V, 'A must be symmetric; A[1,0]=3 differs from A[0,1]=2'],
  [
    'eigh NaN',
    () =>
      eigh([
        [1, NaN],
        [NaN, 1],
      ]),
    V,
    'A has NaN at row 0, column 1',
  ],
  ['eigh largest > n', () => eigh(I2, { largest: 3 }), V, 'largest must be an integer in [0, 2]; got 3'],
  [
    'eigh both',
    () => eigh(I2, { largest: 1, smallest: 1 }),
    V,
    'eigh: give at most one of largest and smallest',
  ],
  ['eigh options', () => eigh(I2, bad(null)), V, 'eigh options must be an object'],
  ['svd NaN', () => svd([[1, NaN]]), V, 'A has NaN at row 0, column 1'],
  ['svd Infinity', () => svd([[1, Infinity]]), V, 'A has Infinity at row 0, column 1'],
  ['svd ragged', () => svd([[1, 2], [3]]), V, 'A is ragged: row 1 has 1 values, expected 2'],
  ['randomizedSvd k 0', () => randomizedSvd(A2, 0), V, 'k must be an integer in [1, min(m, n) = 2]; got 0'],
  [
    'randomizedSvd k > min',
    () => randomizedSvd(A2, 3),
    V,
    'k must be an integer in [1, min(m, n) = 2]; got 3',
  ],
  [
    'randomizedSvd nOversamples',
    () => randomizedSvd(A2, 1, { nOversamples: -1 }),
    V,
    'nOversamples must be an integer >= 0; got -1',
  ],
  [
    'randomizedSvd nIter',
    () => randomizedSvd(A2, 1, { nIter: -1 }),
    V,
    "nIter must be an integer >= 0 or 'auto'; got -1",
  ],
  [
    'randomizedSvd nIter name',
    () => randomizedSvd(A2, 1, { nIter: bad('x') }),
    V,
    "nIter must be an integer >= 0 or 'auto'; got x",
  ],
  ['qr NaN', () => qr([[1, NaN]]), V, 'A has NaN at row 0, column 1'],
  ['cholesky not square', () => cholesky([[4, 2, 1]]), V, 'A must be square; got 1x3'],
  [
    'cholesky not symmetric',
    () =>
      cholesky([
        [4, 2],
        [0, 4],
      ]),
    V,
    'A must be symmetric; A[1,0]=0 differs from A[0,1]=2',
  ],
  [
    'cholesky not SPD',
    () => cholesky(notSpd),
    Nu,
    'matrix is not positive definite (the leading minor of order 2 is not positive)',
  ],
  ['choleskyLogDet not square', () => choleskyLogDet([[4, 2, 1]]), V, 'L must be square; got 1x3'],
  [
    'choleskyLogDet diagonal',
    () =>
      choleskyLogDet([
        [-1, 0],
        [0, 1],
      ]),
    Nu,
    'L is not a Cholesky factor: L[0,0] = -1 is not positive',
  ],
  [
    'invSpd not SPD',
    () => invSpd(notSpd),
    Nu,
    'matrix is not positive definite (the leading minor of order 2 is not positive)',
  ],
  ['solveTriangular B rows', () => solveTriangular(L2, [[1, 2, 3]]), V, 'B has 1 rows, but L is 2x2'],
  [
    'solveTriangular B length',
    () => solveTriangular(L2, new Float64Array(3)),
    V,
    'B has length 3, but L is 2x2',
  ],
  [
    'solveTriangular B NaN',
    () => solveTriangular(L2, new Float64Array([NaN, 1])),
    V,
    'B has NaN at row 0, column 0',
  ],
  [
    'solveTriangular singular',
    () =>
      solveTriangular(
        [
          [0, 0],
          [1, 1],
        ],
        new Float64Array(2),
      ),
    Nu,
    'L is singular: diagonal entry 0 is zero',
  ],
  [
    'solve B length',
    () =>
      solve(
        [
          [1, 2],
          [2, 5],
        ],
        new Float64Array(3),
      ),
    V,
    'B has length 3, but A is 2x2',
  ],
  [
    'solve B rows',
    () =>
      solve(
        [
          [1, 2],
          [2, 5],
        ],
        [[1, 2]],
      ),
    V,
    'B has 1 rows, but A is 2x2',
  ],
  [
    'solve B NaN',
    () =>
      solve(
        [
          [1, 2],
          [2, 5],
        ],
        new Float64Array([NaN, 1]),
      ),
    V,
    'B has NaN at row 0, column 0',
  ],
  [
    'solve singular',
    () => solve(singular, new Float64Array(2)),
    Nu,
    'A is singular: pivot 1 of its LU factorisation is exactly zero',
  ],
  ['logDet not square', () => logDet([[1, 2, 3]]), V, 'A must be square; got 1x3'],
  ['inv singular', () => inv(singular), Nu, 'A is singular: pivot 1 of its LU factorisation is exactly zero'],
  ['eigsh op', () => eigsh(bad(null), 5, 1), V, 'op must be a function (x, y) => void writing A·x into y'],
  ['eigsh n', () => eigsh(identity, 0, 1), V, 'n must be an integer >= 1; got 0'],
  ['eigsh k', () => eigsh(identity, 3, 4), V, 'k must be an integer in [1, n = 3]; got 4'],
  [
    'eigsh which',
    () => eigsh(identity, 5, 1, { which: bad('both') }),
    V,
    "which must be 'largest' or 'smallest'; got both",
  ],
  ['eigsh tol', () => eigsh(identity, 5, 1, { tol: -1 }), V, 'tol must be a finite number > 0; got -1'],
  ['eigsh maxIter', () => eigsh(identity, 5, 1, { maxIter: 0 }), V, 'maxIter must be an integer >= 1; got 0'],
  [
    'eigsh options null',
    () => eigsh(identity, 5, 1, bad(null)),
    V,
    'eigsh options must be an object; got null',
  ],
  [
    'randomizedSvd options null',
    () => randomizedSvd(A2, 1, bad(null)),
    V,
    'randomizedSvd options must be an object; got null',
  ],
  [
    'solveTriangular options null',
    () => solveTriangular(L2, new Float64Array(2), bad(null)),
    V,
    'solveTriangular options must be an object; got null',
  ],
  [
    'solveTriangular lower not boolean',
    () => solveTriangular(L2, new Float64Array(2), { lower: bad('no') }),
    V,
    'lower must be a boolean; got no',
  ],
  [
    'eigsh op NaN',
    () => eigsh((_x, y) => y.fill(NaN), 5, 1),
    Nu,
    'eigsh: op returned a non-finite value at index 0',
  ],
];

describe('linalg: bad input names the argument', () => {
  it.each(CASES)('%s', (_name, call, cls, message) => {
    expect(call).toThrow(cls);
    expect(call).toThrow(new cls(message)); // an Error argument: the message must be equal
  });

  it('a Float32Array right-hand side is a vector, as a Float64Array', () => {
    const x = solve(
      [
        [2, 0],
        [0, 4],
      ],
      new Float32Array([2, 2]),
    );
    expect(Array.from(x)).toEqual([1, 0.5]);
    const y = solveTriangular(L2, new Float32Array([1, 3]));
    expect(Array.from(y)).toEqual([1, 2]);
  });

  it('a singular matrix has logDet sign 0 and -Infinity, as numpy.linalg.slogdet', () => {
    expect(logDet(singular)).toEqual({ sign: 0, logAbsDet: -Infinity });
  });
});
