/**
 * Bad input to every public function and estimator of cluster/ fails with an error that names the
 * argument (issue 2). One row per case: the call and the exact message. (NaN, Infinity, empty and
 * ragged X for fit are also covered per estimator by test/contract.)
 */
import { describe, expect, it } from 'vitest';
import { NotFittedError, ValidationError } from '../../src/core/errors.js';
import {
  AgglomerativeClustering,
  BernoulliMixture,
  CliqueClustering,
  GaussianMixture,
  KMeans,
  MiniBatchKMeans,
  checkGraph,
  cliquesOfSize,
  cutTree,
  degeneracyOrder,
  edgeCount,
  epsilonGraph,
  graphFromEdges,
  kCliqueCommunities,
  kMeans,
  knnGraph,
  leavesList,
  linkage,
  linkageFromCondensed,
  maximalCliques,
  type Graph,
} from '../../src/cluster/index.js';
import { Matrix } from '../../src/core/matrix.js';
import { dendrogramPng, dendrogramSvg } from '../../src/viz/dendrogram.js';
import { graphSvg } from '../../src/viz/graph.js';

const X = [
  [0, 0],
  [1, 0],
  [0, 1],
  [5, 5],
  [6, 5],
  [5, 6],
];
const B = [
  [1, 0, 1],
  [0, 1, 1],
  [1, 1, 0],
  [0, 0, 1],
];
const bad = <T>(v: unknown): T => v as T;
const km2 = () => new KMeans({ nClusters: 2 }).fit(X);
const mbk2 = () => new MiniBatchKMeans({ nClusters: 2 }).fit(X);
const gmm2 = () => new GaussianMixture({ nComponents: 2 }).fit(X);
const bmm2 = () => new BernoulliMixture({ nComponents: 2 }).fit(B);
const path: Graph = graphFromEdges(3, [
  [0, 1],
  [1, 2],
]);
const Z3 = new Float64Array([0, 1, 1, 2, 2, 3, 2, 3]); // linkage of 3 points

const CASES: [string, () => unknown, string][] = [
  // KMeans
  [
    'KMeans nClusters 0',
    () => new KMeans({ nClusters: 0 }),
    "The 'nClusters' option of KMeans must be an integer >= 1; got 0.",
  ],
  [
    'KMeans tol',
    () => new KMeans({ tol: -1 }),
    "The 'tol' option of KMeans must be a finite number >= 0; got -1.",
  ],
  [
    'KMeans nInit',
    () => new KMeans({ nInit: 0 }),
    "The 'nInit' option of KMeans must be an integer >= 1; got 0.",
  ],
  [
    'KMeans algorithm',
    () => new KMeans({ algorithm: bad('full') }),
    `The 'algorithm' option of KMeans must be one of "lloyd", "elkan"; got "full".`,
  ],
  [
    'KMeans init name',
    () => new KMeans({ init: bad('foo') }),
    `The 'init' option of KMeans must be one of "k-means++", "random" or an object; got "foo".`,
  ],
  ['KMeans k > n', () => new KMeans({ nClusters: 7 }).fit(X), 'nSamples=6 must be >= nClusters=7'],
  [
    'KMeans init shape',
    () =>
      new KMeans({
        nClusters: 2,
        init: [
          [0, 0, 0],
          [1, 1, 1],
        ],
      }).fit(X),
    'KMeans: init has shape 2x3, expected nClusters x nFeatures = 2x2',
  ],
  [
    'KMeans init NaN',
    () =>
      new KMeans({
        nClusters: 2,
        init: [
          [0, NaN],
          [1, 1],
        ],
      }).fit(X),
    'init has NaN at row 0, column 1',
  ],
  ['KMeans.predict features', () => km2().predict([[1]]), 'X has 1 features, but the model was fitted on 2'],
  ['KMeans.predict NaN', () => km2().predict([[1, NaN]]), 'X has NaN at row 0, column 1'],
  [
    'KMeans.transform features',
    () => km2().transform([[1]]),
    'X has 1 features, but the model was fitted on 2',
  ],
  ['KMeans.score features', () => km2().score([[1]]), 'X has 1 features, but the model was fitted on 2'],
  [
    'kMeans options',
    () => kMeans(X, { nClusters: 0 }),
    "The 'nClusters' option of KMeans must be an integer >= 1; got 0.",
  ],
  // MiniBatchKMeans
  [
    'MiniBatchKMeans batchSize',
    () => new MiniBatchKMeans({ batchSize: 0 }),
    "The 'batchSize' option of MiniBatchKMeans must be an integer >= 1; got 0.",
  ],
  [
    'MiniBatchKMeans reassignmentRatio',
    () => new MiniBatchKMeans({ reassignmentRatio: -1 }),
    "The 'reassignmentRatio' option of MiniBatchKMeans must be a finite number >= 0; got -1.",
  ],
  [
    'MiniBatchKMeans k > n',
    () => new MiniBatchKMeans({ nClusters: 7 }).fit(X),
    'nSamples=6 must be >= nClusters=7',
  ],
  [
    'MiniBatchKMeans.predict features',
    () => mbk2().predict([[1]]),
    'X has 1 features, but the model was fitted on 2',
  ],
  ['MiniBatchKMeans.transform NaN', () => mbk2().transform([[1, NaN]]), 'X has NaN at row 0, column 1'],
  // AgglomerativeClustering, linkage and the tree helpers
  [
    'Agglomerative nClusters 0',
    () => new AgglomerativeClustering({ nClusters: 0 }),
    "The 'nClusters' option of AgglomerativeClustering must be an integer >= 1 or null; got 0.",
  ],
  [
    'Agglomerative threshold',
    () => new AgglomerativeClustering({ distanceThreshold: -1 }),
    "The 'distanceThreshold' option of AgglomerativeClustering must be a finite number >= 0; got -1.",
  ],
  [
    'Agglomerative both',
    () => new AgglomerativeClustering({ nClusters: 2, distanceThreshold: 1 }),
    'AgglomerativeClustering: exactly one of nClusters and distanceThreshold must be set',
  ],
  [
    'Agglomerative linkage',
    () => new AgglomerativeClustering({ linkage: bad('foo') }),
    `The 'linkage' option of AgglomerativeClustering must be one of "single", "complete", "average", "weighted", "centroid", "median", "ward"; got "foo".`,
  ],
  [
    'Agglomerative k > n',
    () => new AgglomerativeClustering({ nClusters: 7 }).fit(X),
    'nSamples=6 must be >= nClusters=7',
  ],
  [
    'linkage method',
    () => linkage(X, bad('foo')),
    'method must be one of "single", "complete", "average", "weighted", "centroid", "median", "ward"; got "foo"',
  ],
  [
    'linkage NaN',
    () =>
      linkage([
        [1, NaN],
        [1, 2],
      ]),
    'X has NaN at row 0, column 1',
  ],
  [
    'linkageFromCondensed length',
    () => linkageFromCondensed(new Float64Array(2), 3, 'single'),
    'dists has 2 values, but n=3 points need n(n-1)/2=3',
  ],
  [
    'linkageFromCondensed NaN',
    () => linkageFromCondensed(new Float64Array([1, NaN, 1]), 3, 'single'),
    'dists[1] = NaN; distances must be finite and >= 0',
  ],
  [
    'linkageFromCondensed negative',
    () => linkageFromCondensed(new Float64Array([-1, 1, 1]), 3, 'ward'),
    'dists[0] = -1; distances must be finite and >= 0',
  ],
  [
    'linkageFromCondensed n',
    () => linkageFromCondensed(new Float64Array(0), 0, 'ward'),
    'n must be an integer >= 1; got 0',
  ],
  [
    'linkageFromCondensed method',
    () => linkageFromCondensed(new Float64Array(1), 2, bad('upgma')),
    'method must be one of "single", "complete", "average", "weighted", "centroid", "median", "ward"; got "upgma"',
  ],
  [
    'leavesList length',
    () => leavesList(new Float64Array(3), 3),
    'Z has 3 values, but a linkage of n=3 leaves needs (n-1)*4=8',
  ],
  [
    'leavesList cycle',
    () => leavesList(new Float64Array([0, 1, 1, 2, 3, 3, 2, 3]), 3),
    'Z row 1 merges (3, 3): each must be a distinct node id < n + 1 = 4, not merged before',
  ],
  [
    'leavesList reuse',
    () => leavesList(new Float64Array([0, 1, 1, 2, 0, 3, 2, 3]), 3),
    'Z row 1 merges (0, 3): each must be a distinct node id < n + 1 = 4, not merged before',
  ],
  ['cutTree nClusters 0', () => cutTree(Z3, 3, 0), 'nClusters must be an integer in [1, n=3]; got 0'],
  ['cutTree nClusters > n', () => cutTree(Z3, 3, 4), 'nClusters must be an integer in [1, n=3]; got 4'],
  // GaussianMixture
  [
    'GMM regCovar',
    () => new GaussianMixture({ regCovar: -1 }),
    "The 'regCovar' option of GaussianMixture must be a finite number >= 0; got -1.",
  ],
  [
    'GMM covarianceType',
    () => new GaussianMixture({ covarianceType: bad('diagonal') }),
    `The 'covarianceType' option of GaussianMixture must be one of "full", "tied", "diag", "spherical"; got "diagonal".`,
  ],
  ['GMM k > n', () => new GaussianMixture({ nComponents: 7 }).fit(X), 'nSamples=6 must be >= nComponents=7'],
  ['GMM one sample', () => new GaussianMixture().fit([[1, 0]]), 'X has 1 samples; at least 2 are needed'],
  [
    'GMM weightsInit length',
    () => new GaussianMixture({ nComponents: 2, weightsInit: [1] }).fit(X),
    'weightsInit has 1 values, expected nComponents=2',
  ],
  [
    'GMM weightsInit sum',
    () => new GaussianMixture({ nComponents: 2, weightsInit: [0.2, 0.2] }).fit(X),
    'weightsInit must sum to 1; got 0.4',
  ],
  [
    'GMM weightsInit range',
    () => new GaussianMixture({ nComponents: 2, weightsInit: [1.5, -0.5] }).fit(X),
    'weightsInit must hold values in [0, 1]',
  ],
  [
    'GMM meansInit shape',
    () =>
      new GaussianMixture({
        nComponents: 2,
        meansInit: [
          [0, 0, 0],
          [1, 1, 1],
        ],
      }).fit(X),
    'meansInit has 6 values, expected nComponents x nFeatures = 2x2',
  ],
  [
    'GMM meansInit NaN',
    () =>
      new GaussianMixture({
        nComponents: 2,
        meansInit: [
          [0, NaN],
          [1, 1],
        ],
      }).fit(X),
    'meansInit has NaN at index 1',
  ],
  [
    'GMM meansInit non-number',
    () =>
      new GaussianMixture({
        nComponents: 2,
        meansInit: bad([
          [0, 'a'],
          [1, 1],
        ]),
      }).fit(X),
    'meansInit must hold only numbers; got a',
  ],
  [
    'GMM precisionsInit length',
    () => new GaussianMixture({ nComponents: 2, covarianceType: 'diag', precisionsInit: [1, 1, 1] }).fit(X),
    "precisionsInit has 3 values, expected 4 for covarianceType 'diag'",
  ],
  [
    'GMM precisionsInit sign',
    () =>
      new GaussianMixture({ nComponents: 2, covarianceType: 'spherical', precisionsInit: [1, -1] }).fit(X),
    'precisionsInit must be positive',
  ],
  [
    'GMM precisionsInit not SPD',
    () =>
      new GaussianMixture({
        covarianceType: 'tied',
        precisionsInit: [
          [1, 2],
          [2, 1],
        ],
      }).fit(X),
    'precisionsInit[0] is not symmetric positive definite',
  ],
  ['GMM.predictProba NaN', () => gmm2().predictProba([[NaN, 1]]), 'X has NaN at row 0, column 0'],
  ['GMM.score features', () => gmm2().score([[1]]), 'X has 1 features, but the model was fitted on 2'],
  ['GMM.bic features', () => gmm2().bic([[1]]), 'X has 1 features, but the model was fitted on 2'],
  ['GMM.sample 0', () => gmm2().sample(0), 'nSamples must be an integer >= 1; got 0'],
  ['GMM.sample 1.5', () => gmm2().sample(1.5), 'nSamples must be an integer >= 1; got 1.5'],
  // BernoulliMixture
  [
    'BMM alpha',
    () => new BernoulliMixture({ alpha: -1 }),
    "The 'alpha' option of BernoulliMixture must be a finite number >= 0; got -1.",
  ],
  ['BMM k > n', () => new BernoulliMixture({ nComponents: 5 }).fit(B), 'nSamples=4 must be >= nComponents=5'],
  [
    'BMM not binary',
    () =>
      new BernoulliMixture().fit([
        [0.5, 2],
        [1, 0],
      ]),
    'X must hold binary values (or probabilities in [0, 1]); X[0, 1] = 2',
  ],
  [
    'BMM.predict not binary',
    () => bmm2().predict([[1, 0, 3]]),
    'X must hold binary values (or probabilities in [0, 1]); X[0, 2] = 3',
  ],
  ['BMM.score features', () => bmm2().score([[1, 0]]), 'X has 2 features, but the model was fitted on 3'],
  ['BMM.sample -1', () => bmm2().sample(-1), 'nSamples must be an integer >= 1; got -1'],
  // Graphs and cliques
  ['graphFromEdges n', () => graphFromEdges(-1, []), 'n must be an integer >= 0; got -1'],
  ['graphFromEdges node', () => graphFromEdges(3, [[0, 5]]), 'edge 0 = (0, 5) has a node outside 0..2'],
  [
    'graphFromEdges fraction',
    () => graphFromEdges(3, [[0, 1.5]]),
    'edge 0 = (0, 1.5) has a node outside 0..2',
  ],
  [
    'epsilonGraph radius',
    () => epsilonGraph(X, -1),
    "The 'radius' option of NearestNeighbors must be a finite number > 0; got -1.",
  ],
  [
    'knnGraph k',
    () => knnGraph(X, 6),
    'nNeighbors=6 must be <= nSamplesFit=5 (the query point itself is excluded)',
  ],
  [
    'checkGraph null',
    () => checkGraph(bad(null)),
    'g must be a Graph { n: integer >= 0, adjacency: Int32Array[] }',
  ],
  [
    'checkGraph lists',
    () => checkGraph({ n: 3, adjacency: [Int32Array.of(1), Int32Array.of(0)] }),
    'g.adjacency has 2 lists, but g.n=3',
  ],
  [
    'maximalCliques not symmetric',
    () => maximalCliques({ n: 2, adjacency: [Int32Array.of(1), Int32Array.of()] }),
    'g is not symmetric: 1 is a neighbour of 0, but 0 is not a neighbour of 1',
  ],
  [
    'maximalCliques self-loop',
    () => maximalCliques({ n: 2, adjacency: [Int32Array.of(0), Int32Array.of()] }),
    'g.adjacency[0] must be strictly ascending node ids in 0..1 other than 0; got 0 at position 0',
  ],
  ['maximalCliques minSize', () => maximalCliques(path, 0), 'minSize must be an integer >= 1; got 0'],
  ['cliquesOfSize size', () => cliquesOfSize(path, 1.5), 'size must be an integer >= 1; got 1.5'],
  ['kCliqueCommunities k', () => kCliqueCommunities(path, 1), 'k must be an integer >= 2; got 1'],
  [
    'degeneracyOrder graph',
    () => degeneracyOrder(bad({ n: 1 })),
    'g must be a Graph { n: integer >= 0, adjacency: Int32Array[] }',
  ],
  [
    'edgeCount graph',
    () => edgeCount(bad({ n: 1, adjacency: [[0]] })),
    'g.adjacency[0] must be an Int32Array',
  ],
  [
    'CliqueClustering k',
    () => new CliqueClustering({ k: 1 }),
    "The 'k' option of CliqueClustering must be an integer >= 2; got 1.",
  ],
  [
    'CliqueClustering graph',
    () => new CliqueClustering({ graph: bad('mst') }),
    `The 'graph' option of CliqueClustering must be one of "knn", "epsilon"; got "mst".`,
  ],
  [
    'CliqueClustering n <= k',
    () => new CliqueClustering({ nNeighbors: 6 }).fit(X),
    'nSamples=6 must be > nNeighbors=6',
  ],
  // The figures of this folder's objects (viz/dendrogram.ts, viz/graph.ts)
  [
    'dendrogramSvg Z length',
    () => dendrogramSvg(new Float64Array(6)),
    'dendrogramSvg: Z has 6 values, not a multiple of 4',
  ],
  [
    'dendrogramSvg Z cycle',
    () => dendrogramSvg(new Float64Array([0, 1, 1, 2, 3, 3, 2, 3])),
    'Z row 1 merges (3, 3): each must be a distinct node id < n + 1 = 4, not merged before',
  ],
  [
    'dendrogramSvg Z columns',
    () => dendrogramSvg(new Matrix(new Float64Array(6), 2, 3)),
    'dendrogramSvg: Z must have 4 columns (a, b, height, size); got 3',
  ],
  [
    'dendrogramSvg nClusters',
    () => dendrogramSvg(Z3, { nClusters: 4 }),
    'dendrogramSvg: nClusters must be an integer in [1, 3]; got 4',
  ],
  [
    'dendrogramSvg labels',
    () => dendrogramSvg(Z3, { labels: ['a'] }),
    'dendrogramSvg: labels has 1 entries, but Z has n=3 leaves',
  ],
  [
    'dendrogramPng width',
    () => dendrogramPng(Z3, { width: -5 }),
    'dendrogramPng: width must be a number in [16, 20000]; got -5',
  ],
  [
    'dendrogramPng leafClasses',
    () => dendrogramPng(Z3, { leafClasses: [0, 1] }),
    'dendrogramPng: leafClasses has 2 entries, but Z has n=3 leaves',
  ],
  [
    'graphSvg positions',
    () => graphSvg(new Matrix(new Float64Array(3), 3, 1), path.adjacency),
    'graphSvg: positions must be an n x 2 Matrix',
  ],
  [
    'graphSvg NaN position',
    () => graphSvg(new Matrix(new Float64Array([0, 0, NaN, 1, 2, 2]), 3, 2), path.adjacency),
    'positions has NaN at row 1, column 0',
  ],
  [
    'graphSvg adjacency length',
    () => graphSvg(new Matrix(new Float64Array(6), 3, 2), [[1], [0]]),
    'graphSvg: adjacency has 2 lists, but positions has n=3 rows',
  ],
  [
    'graphSvg adjacency id',
    () => graphSvg(new Matrix(new Float64Array(6), 3, 2), [[1], [0, 7], []]),
    'graphSvg: adjacency[1][1] = 7 is not a node id in 0..2',
  ],
  [
    'graphSvg groups id',
    () => graphSvg(new Matrix(new Float64Array(6), 3, 2), path.adjacency, { groups: [[0, 3]] }),
    'graphSvg: groups[0] has 3, not a node id in 0..2',
  ],
];

describe('cluster: bad input names the argument', () => {
  it.each(CASES)('%s', (_name, call, message) => {
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(new ValidationError(message)); // an Error argument: the message must be equal
  });

  it.each([
    ['KMeans', () => new KMeans().clusterCenters],
    ['MiniBatchKMeans', () => new MiniBatchKMeans().clusterCenters],
    ['AgglomerativeClustering', () => new AgglomerativeClustering().labels],
    ['GaussianMixture', () => new GaussianMixture().means],
    ['BernoulliMixture', () => new BernoulliMixture().means],
    ['CliqueClustering', () => new CliqueClustering().labels],
  ])('%s reads before fit throw NotFittedError', (name, read) => {
    expect(read).toThrow(NotFittedError);
    expect(read).toThrow(`${name} is not fitted; call fit() first`);
  });

  it('the tree helpers still accept a valid linkage', () => {
    expect(Array.from(linkageFromCondensed(new Float64Array([1, 4, 2]), 3, 'single'))).toEqual(
      Array.from(Z3),
    );
    expect(Array.from(leavesList(Z3, 3))).toEqual([2, 0, 1]);
    expect(Array.from(cutTree(Z3, 3, 2))).toEqual([0, 0, 1]); // sklearn _hc_cut: heap [-3, -2]
  });
});
