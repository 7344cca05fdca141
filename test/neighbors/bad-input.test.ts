/**
 * Bad input to every public function and estimator of neighbors/ fails with an error that names
 * the argument (issue 2). One row per case: the call and the exact message.
 */
import { describe, expect, it } from 'vitest';
import { NotFittedError, ValidationError } from '../../src/core/errors.js';
import { NearestNeighbors, kNearest, symmetricAdjacency, type CsrGraph } from '../../src/neighbors/index.js';

const X = [
  [0, 0],
  [1, 0],
  [0, 1],
  [5, 5],
  [6, 5],
  [5, 6],
];
const bad = <T>(v: unknown): T => v as T;
const nn = () => new NearestNeighbors({ nNeighbors: 2 }).fit(X);
const csr = (indptr: number[], indices: number[]): CsrGraph => ({
  nRows: indptr.length - 1,
  nCols: indptr.length - 1,
  indptr: Int32Array.from(indptr),
  indices: Int32Array.from(indices),
  data: new Float64Array(indices.length),
});

const CASES: [string, () => unknown, string][] = [
  [
    'NearestNeighbors nNeighbors',
    () => new NearestNeighbors({ nNeighbors: 0 }),
    "The 'nNeighbors' option of NearestNeighbors must be an integer >= 1; got 0.",
  ],
  [
    'NearestNeighbors algorithm',
    () => new NearestNeighbors({ algorithm: bad('ball_tree') }),
    `The 'algorithm' option of NearestNeighbors must be one of "auto", "brute", "kd_tree", "vp_tree"; got "ball_tree".`,
  ],
  [
    'NearestNeighbors leafSize',
    () => new NearestNeighbors({ leafSize: 0 }),
    "The 'leafSize' option of NearestNeighbors must be an integer >= 1; got 0.",
  ],
  ['fit NaN', () => new NearestNeighbors().fit([[0, NaN]]), 'X has NaN at row 0, column 1'],
  [
    'kneighbors k > n - 1 (self excluded)',
    () => new NearestNeighbors({ nNeighbors: 6 }).fit(X).kneighbors(),
    'nNeighbors=6 must be <= nSamplesFit=5 (the query point itself is excluded)',
  ],
  ['kneighbors k > n', () => nn().kneighbors(X, 7), 'nNeighbors=7 must be <= nSamplesFit=6'],
  ['kneighbors k fraction', () => nn().kneighbors(X, 1.5), 'nNeighbors must be an integer >= 1; got 1.5'],
  ['kneighbors features', () => nn().kneighbors([[1]]), 'X has 1 features, but the model was fitted on 2'],
  ['kneighbors NaN', () => nn().kneighbors([[1, NaN]]), 'X has NaN at row 0, column 1'],
  [
    'kneighborsGraph k',
    () => nn().kneighborsGraph(undefined, 0),
    'nNeighbors must be an integer >= 1; got 0',
  ],
  ['radiusNeighbors radius', () => nn().radiusNeighbors(X, -1), 'radius must be a finite number > 0; got -1'],
  [
    'radiusNeighbors NaN radius',
    () => nn().radiusNeighbors(X, NaN),
    'radius must be a finite number > 0; got NaN',
  ],
  [
    'radiusNeighborsGraph NaN',
    () => nn().radiusNeighborsGraph([[1, NaN]], 1),
    'X has NaN at row 0, column 1',
  ],
  ['kNearest k', () => kNearest(X, 0), 'k must be an integer >= 1; got 0'],
  ['kNearest k = n', () => kNearest(X, 6), 'k=6 must be <= 5, the number of candidate neighbours'],
  [
    'kNearest NaN',
    () =>
      kNearest(
        [
          [NaN, 1],
          [1, 1],
        ],
        1,
      ),
    'X has NaN at row 0, column 0',
  ],
  [
    'kNearest queries features',
    () => kNearest(X, 1, { queries: [[1]] }),
    'queries has 1 features, but the model was fitted on 2',
  ],
  [
    'kNearest algorithm',
    () => kNearest(X, 1, { algorithm: bad('ball_tree') }),
    'options.algorithm must be one of "auto", "brute", "kd_tree", "vp_tree"; got "ball_tree"',
  ],
  [
    'kNearest leafSize',
    () => kNearest(X, 1, { leafSize: 0 }),
    'options.leafSize must be an integer >= 1; got 0',
  ],
  [
    'symmetricAdjacency null',
    () => symmetricAdjacency(bad(null)),
    'g must be a CsrGraph { nRows, nCols, indptr: Int32Array, indices: Int32Array, data }',
  ],
  [
    'symmetricAdjacency not square',
    () => symmetricAdjacency({ ...csr([0, 1], [0]), nCols: 2 }),
    'g must be square; got nRows=1, nCols=2',
  ],
  [
    'symmetricAdjacency indptr',
    () => symmetricAdjacency(csr([0, 1, 3], [1, 0])),
    'g.indptr must hold nRows + 1 = 3 offsets from 0 to indices.length = 2',
  ],
  [
    'symmetricAdjacency indptr order',
    () => symmetricAdjacency(csr([0, 2, 1, 2], [1, 0])),
    'g.indptr decreases at 2',
  ],
  [
    'symmetricAdjacency indices',
    () => symmetricAdjacency(csr([0, 1, 2], [1, 5])),
    'g.indices[1] = 5 is outside 0..1',
  ],
];

describe('neighbors: bad input names the argument', () => {
  it.each(CASES)('%s', (_name, call, message) => {
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(new ValidationError(message)); // an Error argument: the message must be equal
  });

  it('reads before fit throw NotFittedError', () => {
    const read = () => new NearestNeighbors().kneighbors();
    expect(read).toThrow(NotFittedError);
    expect(read).toThrow('NearestNeighbors is not fitted; call fit() first');
  });
});
