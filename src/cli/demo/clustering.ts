/**
 * Demo section "Clustering and mixture models" (seeds 000 and 004): k-means with restarts (centroids
 * as digit images, J per restart, contingency table, ARI/NMI), a Gaussian mixture on the PCA-50
 * projection, the mixture of Bernoullis on binarised 3/5/8 (component means as images), a dendrogram
 * of a labelled subset (Ward), and a clique graph (k-NN graph, cliques with 3 members, k-clique
 * communities).
 *
 * Budget ≈ 60 s in the default profile on 2 cores: k-means on 10,000 training digits (5 restarts),
 * GMM on 10,000 PCA-50 scores, BMM on the 3/5/8 among 20,000 digits, Ward on 2,000. `--full`:
 * k-means (10 restarts), GMM and BMM on all 60,000 training digits, Ward on 10,000.
 */
import {
  AgglomerativeClustering,
  BernoulliMixture,
  GaussianMixture,
  KMeans,
  cliquesOfSize,
  kCliqueCommunities,
  knnGraph,
  edgeCount,
  maximalCliques,
} from '../../cluster/index.js';
import { Matrix } from '../../core/matrix.js';
import { PCA } from '../../decomposition/index.js';
import { adjustedRandIndex, contingencyTable, normalizedMutualInfo } from '../../metrics/index.js';
import {
  dendrogramPng,
  dendrogramSvg,
  figureHtml,
  figureRow,
  graphSvg,
  heatmapSvg,
  imageGridPng,
  lineChartSvg,
  tableHtml,
} from '../../viz/index.js';
import type { DemoContext, DemoSection, SectionResult } from './types.js';

function pick(ctx: DemoContext, n: number): { X: Matrix<Float64Array>; y: Int32Array } {
  const N = ctx.train.X.rows;
  if (n >= N) return { X: ctx.train.X, y: ctx.train.y };
  const idx = ctx.rng.sampleWithoutReplacement(N, n);
  return {
    X: ctx.train.X.selectRows(idx) as Matrix<Float64Array>,
    y: Int32Array.from(idx, (i) => ctx.train.y[i]!),
  };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

/** Contingency heatmap (true digit × cluster), clusters ordered by their majority digit. */
function contingencyFigure(
  y: Int32Array,
  labels: Int32Array,
  title: string,
): { svg: string; purity: number } {
  const ct = contingencyTable(y, labels);
  const majority = ct.colLabels.map((_, j) => {
    let best = 0;
    for (let i = 1; i < ct.rowLabels.length; i++) if (ct.counts[i]![j]! > ct.counts[best]![j]!) best = i;
    return best;
  });
  const order = ct.colLabels.map((_, j) => j).sort((a, b) => majority[a]! - majority[b]! || a - b);
  const M = Matrix.fromRows(ct.counts.map((row) => order.map((j) => row[j]!)));
  let hit = 0;
  for (let j = 0; j < ct.colLabels.length; j++) hit += ct.counts[majority[j]!]![j]!;
  const svg = heatmapSvg(M, {
    title,
    rowLabels: ct.rowLabels.map(String),
    colLabels: order.map((j) => `c${ct.colLabels[j]}`),
    rowTitle: 'true digit',
    colTitle: 'cluster (ordered by majority digit)',
    annotate: true,
    digits: 4,
  });
  return { svg, purity: hit / y.length };
}

async function run(ctx: DemoContext): Promise<SectionResult> {
  const W = ctx.train.width;
  const H = ctx.train.height;
  const nKm = ctx.full ? ctx.train.X.rows : 10000;
  const restarts = ctx.full ? 10 : 5;
  const bar = ctx.progress('k-means · GMM · BMM · Ward · cliques', restarts + 4);
  const times: (string | number)[][] = [];

  // 1. k-means with restarts: keep the lowest J (seed 000's recipe).
  const { X, y } = pick(ctx, nKm);
  const runs: { km: KMeans; J: number[]; t: number }[] = [];
  for (let r = 0; r < restarts; r++) {
    const J: number[] = [];
    const [km, t] = timed(() =>
      new KMeans({
        nClusters: 10,
        nInit: 1,
        seed: ctx.seed * 100 + r,
        algorithm: 'elkan',
        onProgress: (e) => void J.push(e.loss!),
      }).fit(X),
    );
    runs.push({ km, J, t });
    bar.update(r + 1, `k-means restart ${r + 1}: J = ${km.inertia.toExponential(4)}`);
  }
  const best = runs.reduce((a, b) => (b.km.inertia < a.km.inertia ? b : a));
  const km = best.km;
  times.push([
    `KMeans k=10, ${restarts} restarts (k-means++, Elkan)`,
    `${nKm} × 784`,
    runs.reduce((s, r) => s + r.t, 0),
  ]);
  const kmAri = adjustedRandIndex(y, km.labels);
  const kmNmi = normalizedMutualInfo(y, km.labels);
  const kmCt = contingencyFigure(
    y,
    km.labels,
    `k-means clusters vs digits (${nKm.toLocaleString('en-US')} digits)`,
  );
  const centersPng = ctx.writeFile(
    'kmeans-centroids.png',
    imageGridPng(km.clusterCenters, { width: W, height: H, cols: 10, scale: 3 }),
  );
  const ctSvg = ctx.writeFile('kmeans-contingency.svg', kmCt.svg);
  const jSvg = ctx.writeFile(
    'kmeans-objective.svg',
    lineChartSvg(
      runs.map((r, i) => ({ name: `restart ${i + 1}`, x: r.J.map((_, t) => t + 1), y: r.J })),
      { title: 'Objective J per iteration, each restart', xLabel: 'iteration', yLabel: 'J = Σ‖x − μ_c(x)‖²' },
    ),
  );
  const restartRows = runs.map((r, i) => [
    i + 1,
    r.km.inertia,
    r.km.nIter,
    r === best ? 'kept (lowest J)' : '',
  ]);

  // 2. GMM on the PCA-50 projection.
  const [pca, tPca] = timed(() => new PCA({ nComponents: 50, seed: ctx.seed }).fit(X));
  const Z = pca.transform(X);
  const lb: number[] = [];
  const [gmm, tGmm] = timed(() =>
    new GaussianMixture({
      nComponents: 10,
      covarianceType: 'full',
      seed: ctx.seed,
      maxIter: 100,
      onProgress: (e) => void lb.push(e.lowerBound as number),
    }).fit(Z),
  );
  times.push(['PCA to 50 dimensions', `${nKm} × 784`, tPca]);
  times.push([`GaussianMixture k=10, full covariances (${gmm.nIter} EM iterations)`, `${nKm} × 50`, tGmm]);
  const [gmmDiag, tDiag] = timed(() =>
    new GaussianMixture({ nComponents: 10, covarianceType: 'diag', seed: ctx.seed }).fit(Z),
  );
  times.push(['GaussianMixture k=10, diagonal covariances', `${nKm} × 50`, tDiag]);
  bar.update(restarts + 1, `GMM lower bound ${gmm.lowerBound.toFixed(2)}`);
  const gmmAri = adjustedRandIndex(y, gmm.labels);
  const gmmNmi = normalizedMutualInfo(y, gmm.labels);
  const gmmMeansPng = ctx.writeFile(
    'gmm-means.png',
    imageGridPng(pca.inverseTransform(gmm.means), { width: W, height: H, cols: 10, scale: 3 }),
  );
  const gmmCt = contingencyFigure(y, gmm.labels, 'GMM (PCA-50, full) components vs digits');
  const gmmCtSvg = ctx.writeFile('gmm-contingency.svg', gmmCt.svg);
  const lbSvg = ctx.writeFile(
    'gmm-lower-bound.svg',
    lineChartSvg([{ name: 'mean log-likelihood', x: lb.map((_, t) => t + 1), y: lb }], {
      title: 'EM never decreases the log-likelihood',
      xLabel: 'EM iteration',
      yLabel: 'lower bound',
    }),
  );

  // 3. Mixture of Bernoullis on binarised 3, 5, 8 (seed 004's example).
  const nPool = ctx.full ? ctx.train.X.rows : 20000;
  const keep: number[] = [];
  for (let i = 0; i < nPool; i++) {
    const d = ctx.train.y[i]!;
    if (d === 3 || d === 5 || d === 8) keep.push(i);
  }
  const B = ctx.train.X.selectRows(keep);
  for (let i = 0; i < B.data.length; i++) B.data[i] = B.data[i]! > 0.5 ? 1 : 0;
  const yB = Int32Array.from(keep, (i) => ctx.train.y[i]!);
  const [bmm, tBmm] = timed(() =>
    new BernoulliMixture({ nComponents: 3, seed: ctx.seed, maxIter: 100 }).fit(B),
  );
  const [bmm10, tBmm10] = timed(() =>
    new BernoulliMixture({ nComponents: 10, seed: ctx.seed, maxIter: 50 }).fit(B),
  );
  times.push([
    `BernoulliMixture k=3 on binarised 3/5/8 (${bmm.nIter} iterations)`,
    `${keep.length} × 784`,
    tBmm,
  ]);
  times.push(['BernoulliMixture k=10 on the same digits', `${keep.length} × 784`, tBmm10]);
  bar.update(restarts + 2, 'Bernoulli mixture');
  const bmmPng = ctx.writeFile(
    'bmm-358-means.png',
    imageGridPng(bmm.means, { width: W, height: H, cols: 3, scale: 4, normalize: 'none' }),
  );
  const bmm10Png = ctx.writeFile(
    'bmm-358-means-k10.png',
    imageGridPng(bmm10.means, { width: W, height: H, cols: 10, scale: 3, normalize: 'none' }),
  );
  const bmmAri = adjustedRandIndex(yB, bmm.labels);
  const bmmRows = Array.from({ length: 3 }, (_, c) => {
    const counts = [3, 5, 8].map((d) => yB.filter((v, i) => v === d && bmm.labels[i] === c).length);
    return [`component ${c + 1}`, bmm.weights[c]!, ...counts];
  });

  // 4. Hierarchical clustering: a dendrogram of a small labelled subset, and Ward at scale.
  const nSmall = 60;
  const small = pick(ctx, 4000);
  const classes = [0, 1, 4, 7];
  const smallIdx: number[] = [];
  for (let i = 0; i < small.y.length && smallIdx.length < nSmall; i++)
    if (classes.includes(small.y[i]!)) smallIdx.push(i);
  const Xs = small.X.selectRows(smallIdx);
  const ys = Int32Array.from(smallIdx, (i) => small.y[i]!);
  const agSmall = new AgglomerativeClustering({ nClusters: 4, linkage: 'ward' }).fit(Xs);
  const dendro = ctx.writeFile(
    'ward-dendrogram.svg',
    dendrogramSvg(agSmall.linkageMatrix, {
      title: `Ward dendrogram of ${Xs.rows} digits (leaf label = true digit, link colour = 4-cluster cut)`,
      labels: Array.from(ys, String),
      leafClasses: ys,
      nClusters: 4,
      width: 900,
      height: 380,
    }),
  );
  const nWard = ctx.full ? 10000 : 2000;
  const wardData =
    nWard <= small.X.rows
      ? { X: small.X.rowSlice(0, nWard), y: small.y.subarray(0, nWard) }
      : pick(ctx, nWard);
  const linkRows: (string | number)[][] = [];
  let wardSeconds = 0;
  let wardPng = '';
  for (const method of ['ward', 'average', 'complete', 'single'] as const) {
    const [ag, t] = timed(() =>
      new AgglomerativeClustering({ nClusters: 10, linkage: method }).fit(wardData.X),
    );
    if (method === 'ward') {
      wardSeconds = t;
      wardPng = ctx.writeFile(
        'ward-dendrogram-large.png',
        dendrogramPng(ag.linkageMatrix, {
          nClusters: 10,
          maxLeaves: 200,
          leafClasses: wardData.y,
          width: 900,
          height: 360,
        }),
      );
    }
    const sizes = new Map<number, number>();
    for (const l of ag.labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
    linkRows.push([
      method,
      adjustedRandIndex(wardData.y, ag.labels),
      normalizedMutualInfo(wardData.y, ag.labels),
      Math.max(...sizes.values()),
      t,
    ]);
  }
  times.push([`AgglomerativeClustering, Ward (NN-chain)`, `${nWard} × 784`, wardSeconds]);
  bar.update(restarts + 3, 'agglomerative');

  // 5. Graph clustering with cliques: a mutual k-NN graph of 36 digits of three classes.
  const cl = [0, 1, 7];
  const gIdx: number[] = [];
  for (let i = 0; i < small.y.length && gIdx.length < 36; i++) if (cl.includes(small.y[i]!)) gIdx.push(i);
  const Xg = small.X.selectRows(gIdx);
  const yg = Int32Array.from(gIdx, (i) => small.y[i]!);
  const g = knnGraph(Xg, 4);
  const pos = new PCA({ nComponents: 2, seed: ctx.seed }).fitTransform(Xg);
  const triangles = cliquesOfSize(g, 3);
  const maximal = maximalCliques(g, 3);
  const communities = kCliqueCommunities(g, 3);
  const triSvg = ctx.writeFile(
    'cliques-3.svg',
    graphSvg(pos, g.adjacency, {
      title: `4-NN graph of ${Xg.rows} digits: the ${triangles.length} cliques with 3 members`,
      groups: triangles.slice(0, 12),
      nodeLabels: Array.from(yg, String),
    }),
  );
  const comSvg = ctx.writeFile(
    'cliques-communities.svg',
    graphSvg(pos, g.adjacency, {
      title: `3-clique percolation: ${communities.length} communities`,
      groups: communities,
      nodeLabels: Array.from(yg, String),
    }),
  );
  const comRows = communities.map((c, i) => {
    const counts = cl.map((d) => c.filter((v) => yg[v] === d).length);
    return [`community ${i + 1}`, c.length, ...counts];
  });
  bar.update(restarts + 4, 'cliques');
  bar.stop();

  const html =
    `<p>k-means (seed 000) on ${nKm.toLocaleString('en-US')} training digits, k = 10: ${restarts} runs from different k-means++ seeds, ` +
    `keeping the one with the lowest objective J, as the notes recommend against local minima. ` +
    `Best J = <b>${km.inertia.toExponential(5)}</b>; against the true digits ARI = <b>${kmAri.toFixed(3)}</b>, NMI = <b>${kmNmi.toFixed(3)}</b>, purity ${(100 * kmCt.purity).toFixed(1)}%.</p>` +
    figureRow(
      figureHtml(centersPng, 'The 10 centroids μ_j of the best run, as images.'),
      figureHtml(jSvg, 'J never increases within a run; restarts end in different local minima.'),
    ) +
    figureRow(
      figureHtml(ctSvg, 'Contingency table: rows are true digits, columns clusters.'),
      tableHtml(['restart', 'J', 'iterations', ''], restartRows, {
        caption: 'Objective J of each restart',
        digits: 7,
      }),
    ) +
    `<p>Gaussian mixture (seed 004) fitted by EM on the 50-dimensional PCA projection of the same digits, full covariances, initialised from k-means: ` +
    `lower bound ${gmm.lowerBound.toFixed(3)} per sample after ${gmm.nIter} iterations (converged: ${gmm.converged}); ARI = <b>${gmmAri.toFixed(3)}</b>, NMI = <b>${gmmNmi.toFixed(3)}</b>. ` +
    `BIC full = ${gmm.bic(Z).toExponential(4)}, diagonal = ${gmmDiag.bic(Z).toExponential(4)} (lower is better).</p>` +
    figureRow(
      figureHtml(gmmMeansPng, 'GMM component means, mapped back to pixels through the PCA basis.'),
      figureHtml(lbSvg, 'Lower bound per EM iteration.'),
    ) +
    figureRow(figureHtml(gmmCtSvg, 'GMM components vs digits.')) +
    `<p>Mixture of Bernoullis (seed 004's MNIST 3/5/8 example): ${keep.length.toLocaleString('en-US')} digits binarised at 0.5, EM in log space with a Beta(2, 2) prior ` +
    `(Laplace smoothing: no pixel probability reaches 0 or 1). ARI with the three digits = ${bmmAri.toFixed(3)}.</p>` +
    figureRow(
      figureHtml(bmmPng, 'The K = 3 component means μ_k (pixel probabilities).'),
      tableHtml(['component', 'π_k', '3s', '5s', '8s'], bmmRows, {
        caption: 'Digits per component',
        digits: 3,
      }),
    ) +
    figureRow(
      figureHtml(bmm10Png, 'With K = 10 components the mixture finds writing styles of the three digits.'),
    ) +
    `<p>Agglomerative clustering (seed 000, connectivity-based): Ward's linkage by the nearest-neighbour chain on a condensed distance array; the tree is cut by number of clusters.</p>` +
    figureRow(figureHtml(dendro, 'Dendrogram (scipy leaf order).')) +
    figureRow(
      figureHtml(
        wardPng,
        `Ward tree of ${nWard.toLocaleString('en-US')} digits, truncated to its last 200 clusters; links coloured by the 10-cluster cut, the strip below gives each leaf's majority digit.`,
      ),
    ) +
    tableHtml(['linkage', 'ARI', 'NMI', 'largest cluster', 'seconds'], linkRows, {
      caption: `${nWard.toLocaleString('en-US')} digits cut into 10 clusters`,
      digits: 3,
    }) +
    `<p>Graph clustering with cliques (seed 000, Figure 4): a symmetrised 4-NN graph of ${Xg.rows} digits (0, 1 and 7; ${edgeCount(g)} edges), ` +
    `drawn on its first two principal components. It has ${triangles.length} cliques with 3 members and ${maximal.length} maximal cliques of 3 or more; ` +
    `nodes in several cliques get several rings. Chaining 3-cliques that share an edge (clique percolation) gives ${communities.length} communities.</p>` +
    figureRow(
      figureHtml(triSvg, 'Cliques with 3 members (first 12 coloured).'),
      figureHtml(comSvg, 'k-clique communities (k = 3).'),
    ) +
    tableHtml(['community', 'size', '0s', '1s', '7s'], comRows, {
      caption: 'Communities vs digits',
      digits: 3,
    }) +
    tableHtml(['step', 'size', 'seconds'], times, { caption: 'Timings on this machine', digits: 3 });

  return {
    html,
    metrics: {
      kmeansSamples: nKm,
      kmeansInertia: km.inertia,
      kmeansAri: kmAri,
      kmeansNmi: kmNmi,
      gmmLowerBound: gmm.lowerBound,
      gmmAri,
      gmmNmi,
      bmmAri,
      wardSeconds,
      cliqueCommunities: communities.length,
    },
  };
}

export const clustering: DemoSection = {
  id: 'clustering',
  title: 'Clustering and mixture models',
  seedSays:
    'Seed 000: k-means partitions the data into Voronoi cells, minimising J = Σ‖x − μ_c‖², run several times keeping the smallest J; ' +
    'hierarchical clustering merges clusters bottom-up; cliques (fully connected node sets) cluster graphs. ' +
    'Seed 004: Gaussian and Bernoulli mixtures fitted by EM with responsibilities r_ik, shown on MNIST 3, 5 and 8.',
  run,
};
