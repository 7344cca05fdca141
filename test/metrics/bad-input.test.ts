/**
 * Issue 2's bar for the metrics: every exported function rejects bad input with a ValidationError
 * whose message names the argument (exact text asserted), one row per case.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import {
  adjustedMutualInfo,
  adjustedRandIndex,
  calinskiHarabasz,
  contingencyTable,
  daviesBouldin,
  encodeLabels,
  fowlkesMallows,
  homogeneityCompletenessVMeasure,
  inertia,
  knnPreservation,
  logFactorial,
  mutualInfoScore,
  normalizedMutualInfo,
  oneNnAccuracy,
  purity,
  silhouetteSamples,
  silhouetteScore,
  trustworthiness,
} from '../../src/metrics/index.js';

const X = [
  [0, 0],
  [0, 1],
  [5, 5],
  [5, 6],
  [9, 9],
  [9, 8],
];
const L = [0, 0, 1, 1, 2, 2];
const NAN_X = [
  [0, 0],
  [0, NaN],
  [5, 5],
  [5, 6],
  [9, 9],
  [9, 8],
];
const pairFns = {
  adjustedRandIndex,
  mutualInfoScore,
  normalizedMutualInfo,
  adjustedMutualInfo,
  homogeneityCompletenessVMeasure,
  fowlkesMallows,
  purity,
  contingencyTable,
} as const;

const cases: [string, () => unknown, string][] = [
  [
    'encodeLabels: NaN',
    () => encodeLabels([0, NaN]),
    'labels has a non-finite or non-number value at index 1: NaN',
  ],
  ['encodeLabels: empty', () => encodeLabels([]), 'labels is empty'],
  [
    'encodeLabels: not an array',
    () => encodeLabels(3 as never),
    'labels must be an array of numbers; got number 3',
  ],
  ['logFactorial: negative', () => logFactorial(-1), 'logFactorial needs an integer k >= 0; got -1'],
  ['logFactorial: fraction', () => logFactorial(2.5), 'logFactorial needs an integer k >= 0; got 2.5'],
  ...Object.entries(pairFns).flatMap(([name, f]): [string, () => unknown, string][] => [
    [
      `${name}: lengths differ`,
      () => f([0, 1], [0, 1, 1]),
      'labelsTrue and labelsPred have different lengths: 2 vs 3',
    ],
    [
      `${name}: Infinity`,
      () => f([0, Infinity], [0, 1]),
      'labelsTrue has a non-finite or non-number value at index 1: Infinity',
    ],
    [
      `${name}: NaN in pred`,
      () => f([0, 1], [NaN, 1]),
      'labelsPred has a non-finite or non-number value at index 0: NaN',
    ],
    [`${name}: empty`, () => f([], []), 'labelsTrue is empty'],
    [
      `${name}: string label`,
      () => f(['a', 'b'] as never, [0, 1]),
      'labelsTrue has a non-finite or non-number value at index 0: a',
    ],
  ]),
  [
    'normalizedMutualInfo: bad average',
    () => normalizedMutualInfo([0, 1], [0, 1], { average: 'mean' as never }),
    `The 'average' option of normalizedMutualInfo must be one of "arithmetic", "geometric", "min", "max"; got "mean".`,
  ],
  [
    'adjustedMutualInfo: unknown option',
    () => adjustedMutualInfo([0, 1], [0, 1], { avg: 'min' } as never),
    "Unknown option 'avg' for adjustedMutualInfo; known options: average",
  ],
  [
    'homogeneity: negative beta',
    () => homogeneityCompletenessVMeasure([0, 1], [0, 1], { beta: -1 }),
    "The 'beta' option of homogeneityCompletenessVMeasure must be a finite number >= 0; got -1.",
  ],
  ['silhouetteSamples: NaN in X', () => silhouetteSamples(NAN_X, L), 'X has NaN at row 1, column 1'],
  [
    'silhouetteSamples: ragged X',
    () => silhouetteSamples([[0, 0], [1]], [0, 1]),
    'X is ragged: row 1 has 1 values, expected 2',
  ],
  ['silhouetteSamples: empty X', () => silhouetteSamples([], []), 'X is empty: it has no rows'],
  [
    'silhouetteSamples: labels length',
    () => silhouetteSamples(X, [0, 1]),
    'labels has 2 entries but X has 6 rows',
  ],
  [
    'silhouetteSamples: one cluster',
    () => silhouetteSamples(X, [0, 0, 0, 0, 0, 0]),
    'silhouetteSamples needs 2 <= number of labels <= nSamples - 1; got 1 labels for nSamples=6',
  ],
  [
    'silhouetteScore: sampleSize 1',
    () => silhouetteScore(X, L, { sampleSize: 1 }),
    "The 'sampleSize' option of silhouetteScore must be an integer >= 2; got 1.",
  ],
  [
    'silhouetteScore: seed not an integer',
    () => silhouetteScore(X, L, { sampleSize: 4, seed: 0.5 }),
    "The 'seed' option of silhouetteScore must be an integer; got 0.5.",
  ],
  [
    'silhouetteScore: unknown option',
    () => silhouetteScore(X, L, { size: 4 } as never),
    "Unknown option 'size' for silhouetteScore; known options: sampleSize, seed",
  ],
  [
    'silhouetteScore: NaN label outside the subset is still named by its own index',
    () => silhouetteScore(X, [0, 0, 1, 1, 2, NaN], { sampleSize: 3 }),
    'labels has a non-finite or non-number value at index 5: NaN',
  ],
  [
    'silhouetteScore: labels length with sampleSize',
    () => silhouetteScore(X, [0, 1, 2], { sampleSize: 3 }),
    'labels has 3 entries but X has 6 rows',
  ],
  [
    'daviesBouldin: Infinity in X',
    () => daviesBouldin([[0], [Infinity], [2]], [0, 1, 1]),
    'X has Infinity at row 1, column 0',
  ],
  [
    'daviesBouldin: one label per sample',
    () => daviesBouldin(X, [0, 1, 2, 3, 4, 5]),
    'daviesBouldin needs 2 <= number of labels <= nSamples - 1; got 6 labels for nSamples=6',
  ],
  [
    'calinskiHarabasz: labels length',
    () => calinskiHarabasz(X, [0, 1]),
    'labels has 2 entries but X has 6 rows',
  ],
  ['inertia: centers width', () => inertia(X, L, [[0], [1], [2]]), 'centers has 1 columns but X has 2'],
  [
    'inertia: label outside centers',
    () =>
      inertia(
        X,
        [0, 0, 1, 1, 2, 3],
        [
          [0, 0],
          [5, 5],
          [9, 9],
        ],
      ),
    'labels[5]=3 is not a row of centers (0..2)',
  ],
  [
    'inertia: fractional label',
    () =>
      inertia(
        X,
        [0, 0, 1, 1, 2, 1.5],
        [
          [0, 0],
          [5, 5],
          [9, 9],
        ],
      ),
    'labels must hold integers; index 5 is 1.5',
  ],
  [
    'inertia: NaN in centers',
    () =>
      inertia(X, L, [
        [0, 0],
        [NaN, 5],
        [9, 9],
      ]),
    'centers has NaN at row 1, column 0',
  ],
  [
    'trustworthiness: rows differ',
    () => trustworthiness(X, [[0], [1]], 1),
    'X and Y have different numbers of rows: 6 vs 2',
  ],
  [
    'trustworthiness: k = 0',
    () => trustworthiness(X, X, 0),
    'trustworthiness: k must be an integer >= 1; got 0',
  ],
  [
    'trustworthiness: k >= n/2',
    () => trustworthiness(X, X, 3),
    'trustworthiness: k=3 must be < nSamples / 2 = 3',
  ],
  ['trustworthiness: NaN in Y', () => trustworthiness(X, NAN_X, 1), 'Y has NaN at row 1, column 1'],
  [
    'knnPreservation: k too large',
    () => knnPreservation(X, X, 6),
    'knnPreservation: k=6 must be <= nSamples - 1 = 5',
  ],
  [
    'knnPreservation: k fraction',
    () => knnPreservation(X, X, 1.5),
    'knnPreservation: k must be an integer >= 1; got 1.5',
  ],
  [
    'oneNnAccuracy: ytrain length',
    () => oneNnAccuracy(X, [0, 1]),
    'ytrain has 2 entries but Ytrain has 6 rows',
  ],
  [
    'oneNnAccuracy: one sample',
    () => oneNnAccuracy([[0]], [0]),
    'oneNnAccuracy: leave-one-out needs at least 2 samples',
  ],
  [
    'oneNnAccuracy: ytest without Ytest',
    () => oneNnAccuracy(X, L, undefined, L),
    'oneNnAccuracy: ytest given without Ytest',
  ],
  [
    'oneNnAccuracy: Ytest without ytest',
    () => oneNnAccuracy(X, L, X),
    'oneNnAccuracy: Ytest given without ytest',
  ],
  [
    'oneNnAccuracy: Ytest width',
    () => oneNnAccuracy(X, L, [[1]], [0]),
    'Ytest has 1 columns but Ytrain has 2',
  ],
  ['oneNnAccuracy: NaN in Ytest', () => oneNnAccuracy(X, L, NAN_X, L), 'Ytest has NaN at row 1, column 1'],
  [
    'oneNnAccuracy: fractional ytest',
    () => oneNnAccuracy(X, L, [[1, 1]], [0.5]),
    'ytest must hold integers; index 0 is 0.5',
  ],
];

describe('metrics: bad input gives a ValidationError naming the argument', () => {
  it.each(cases)('%s', (_name, run, message) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(message);
  });

  it('inputs are not mutated by any metric', () => {
    const x = X.map((r) => [...r]);
    const l = [...L];
    silhouetteScore(x, l, { sampleSize: 4, seed: 1 });
    daviesBouldin(x, l);
    trustworthiness(x, x, 2);
    adjustedMutualInfo(l, [...l].reverse());
    expect(x).toEqual(X);
    expect(l).toEqual(L);
  });
});
