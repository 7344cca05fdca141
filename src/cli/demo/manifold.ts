/**
 * Demo section "Neighbour embeddings and manifold learning": a t-SNE map of MNIST coloured by label,
 * SNE against t-SNE on the same digits (the crowding problem, seed 000), t-SNE at three perplexities,
 * and LLE on the swiss roll, the broken swiss roll and twin peaks (seed 004).
 *
 * Budget ≈ 90 s in the default profile on 2 cores: t-SNE of 10,000 training digits after PCA-50
 * (FFT or Barnes-Hut gradient, whichever is cheaper per iteration), SNE and t-SNE on 800 digits, perplexities 5/30/100 on 2,000 digits
 * (Barnes-Hut), LLE on 2,000-point synthetic manifolds. `--full`: the t-SNE map of all 70,000
 * digits (train + test), SNE/t-SNE on 2,500, perplexities on 10,000, LLE on 5,000 points.
 */
import { Matrix } from '../../core/matrix.js';
import { PCA } from '../../decomposition/index.js';
import { TSNE, SNE, LocallyLinearEmbedding } from '../../manifold/index.js';
import { makeSwissRoll, makeBrokenSwissRoll, makeTwinPeaks } from '../../datasets/index.js';
import { figureHtml, figureRow, scatterSvg, tableHtml } from '../../viz/index.js';
import type { DemoContext, DemoSection, SectionResult } from './types.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function subset(ctx: DemoContext, n: number): { X: Matrix<Float64Array>; y: Int32Array } {
  const N = ctx.train.X.rows;
  if (n >= N + ctx.test.X.rows) {
    // everything: train then test
    const d = ctx.train.X.cols;
    const X = new Float64Array((N + ctx.test.X.rows) * d);
    X.set(ctx.train.X.data.subarray(0, N * d));
    X.set(ctx.test.X.data.subarray(0, ctx.test.X.rows * d), N * d);
    const y = new Int32Array(N + ctx.test.X.rows);
    y.set(ctx.train.y);
    y.set(ctx.test.y, N);
    return { X: new Matrix(X, y.length, d), y };
  }
  const idx = ctx.rng.sampleWithoutReplacement(N, Math.min(n, N));
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) y[i] = ctx.train.y[idx[i]!]!;
  return { X: ctx.train.X.selectRows(idx) as Matrix<Float64Array>, y };
}

function pca50(X: Matrix<Float64Array>, seed: number): Matrix<Float64Array> {
  return new PCA({ nComponents: 50, svdSolver: 'randomized', seed }).fitTransform(X) as Matrix<Float64Array>;
}

/** 1-NN accuracy of a 2-D map: the first half of the points labels the second half. */
function oneNn(E: Matrix<Float64Array>, y: Int32Array): number {
  const n = E.rows;
  const h = n >> 1;
  const D = E.data;
  let ok = 0;
  for (let i = h; i < n; i++) {
    let best = Infinity;
    let lab = -1;
    const a = D[2 * i]!;
    const b = D[2 * i + 1]!;
    for (let j = 0; j < h; j++) {
      const u = a - D[2 * j]!;
      const v = b - D[2 * j + 1]!;
      const s = u * u + v * v;
      if (s < best) {
        best = s;
        lab = y[j]!;
      }
    }
    if (lab === y[i]) ok++;
  }
  return ok / (n - h);
}

/** Fraction of the map's area (bounding box) that holds the middle 50% of the points per axis: crowding. */
function crowding(E: Matrix<Float64Array>): number {
  const n = E.rows;
  const spread = (q: number) => {
    const v = Float64Array.from({ length: n }, (_, i) => E.data[2 * i + q]!).sort();
    return (
      (v[Math.floor(0.75 * (n - 1))]! - v[Math.floor(0.25 * (n - 1))]!) / Math.max(1e-300, v[n - 1]! - v[0]!)
    );
  };
  return spread(0) * spread(1);
}

function bins(t: Float64Array, k: number): Int32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of t) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return Int32Array.from(t, (v) => Math.min(k - 1, Math.floor(((v - lo) / Math.max(1e-300, hi - lo)) * k)));
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

async function run(ctx: DemoContext): Promise<SectionResult> {
  const full = ctx.full;
  const nMap = full ? 70000 : 10000;
  const nSne = full ? 2500 : 800;
  const nPerp = full ? 10000 : 2000;
  const nLle = full ? 5000 : 2000;
  const rows: (string | number)[][] = [];
  const metrics: Record<string, number | string> = {};

  // 1. The t-SNE map of MNIST.
  const { X: Xmap, y: yMap } = subset(ctx, nMap);
  const bar = ctx.progress(`t-SNE of ${nMap} digits`, 750);
  const [Zmap, tPca] = timed(() => pca50(Xmap, ctx.seed));
  const tsne = new TSNE({
    seed: ctx.seed,
    onProgress: (e) => bar.update(e.iteration, e.loss !== undefined ? `KL ${e.loss.toFixed(3)}` : undefined),
  });
  const [Emap, tMap] = timed(() => tsne.fitTransform(Zmap));
  bar.stop();
  const accMap = oneNn(Emap, yMap);
  rows.push([
    `t-SNE (${tsne.method}), perplexity 30`,
    `${nMap} × 50 (PCA)`,
    tsne.klDivergence.toFixed(3),
    accMap.toFixed(3),
    (tPca + tMap).toFixed(1),
  ]);
  metrics.tsneSamples = nMap;
  metrics.tsneKl = tsne.klDivergence;
  metrics.tsneOneNn = accMap;
  metrics.tsneSeconds = tMap;
  const mapSvg = ctx.writeFile(
    'tsne-mnist.svg',
    scatterSvg(Emap, yMap, {
      title: `t-SNE of ${nMap} MNIST digits (PCA-50, perplexity 30)`,
      labelNames: DIGITS,
      width: 640,
      height: 560,
    }),
  );

  // 2. SNE against t-SNE on the same digits: the crowding problem.
  const { X: Xs, y: ys } = subset(ctx, nSne);
  const Zs = pca50(Xs, ctx.seed);
  const bar2 = ctx.progress(`SNE vs t-SNE on ${nSne} digits`, 2);
  const [sne, tSne] = timed(() => new SNE({ perplexity: 30, nIter: 500, seed: ctx.seed }).fit(Zs));
  bar2.update(1, 'SNE');
  const [ts2, tTs2] = timed(() => new TSNE({ perplexity: 30, seed: ctx.seed }).fit(Zs));
  bar2.stop();
  const crowdSne = crowding(sne.embedding);
  const crowdTsne = crowding(ts2.embedding);
  rows.push([
    `SNE (Gaussian map kernel)`,
    `${nSne} × 50`,
    `Σ KL(P_i‖Q_i) ${sne.klDivergence.toFixed(1)}`,
    oneNn(sne.embedding, ys).toFixed(3),
    tSne.toFixed(1),
  ]);
  rows.push([
    `t-SNE (${ts2.method})`,
    `${nSne} × 50`,
    ts2.klDivergence.toFixed(3),
    oneNn(ts2.embedding, ys).toFixed(3),
    tTs2.toFixed(1),
  ]);
  metrics.crowdingSne = crowdSne;
  metrics.crowdingTsne = crowdTsne;
  const sneSvg = ctx.writeFile(
    'sne-mnist.svg',
    scatterSvg(sne.embedding, ys, {
      title: `SNE, ${nSne} digits: crowded centre`,
      labelNames: DIGITS,
      legend: false,
    }),
  );
  const ts2Svg = ctx.writeFile(
    'tsne-mnist-small.svg',
    scatterSvg(ts2.embedding, ys, {
      title: `t-SNE, the same ${nSne} digits`,
      labelNames: DIGITS,
      legend: false,
    }),
  );

  // 3. Perplexity comparison.
  const { X: Xp, y: yp } = subset(ctx, nPerp);
  const Zp = pca50(Xp, ctx.seed);
  const perps = [5, 30, 100];
  const bar3 = ctx.progress(`t-SNE perplexities on ${nPerp} digits`, perps.length);
  const perpFigs: string[] = [];
  for (let q = 0; q < perps.length; q++) {
    const p = perps[q]!;
    const [t, sec] = timed(() => new TSNE({ perplexity: p, seed: ctx.seed }).fit(Zp));
    const acc = oneNn(t.embedding, yp);
    rows.push([
      `t-SNE (${t.method}), perplexity ${p}`,
      `${nPerp} × 50`,
      t.klDivergence.toFixed(3),
      acc.toFixed(3),
      sec.toFixed(1),
    ]);
    metrics[`perplexity${p}OneNn`] = acc;
    perpFigs.push(
      figureHtml(
        ctx.writeFile(
          `tsne-perplexity-${p}.svg`,
          scatterSvg(t.embedding, yp, {
            title: `perplexity ${p}`,
            labelNames: DIGITS,
            legend: false,
            width: 400,
            height: 360,
          }),
        ),
        `perplexity ${p}: KL ${t.klDivergence.toFixed(2)}, 1-NN ${acc.toFixed(3)}`,
      ),
    );
    bar3.update(q + 1, `perplexity ${p}`);
  }
  bar3.stop();

  // 4. LLE on three synthetic manifolds.
  const sets = [
    { name: 'swiss roll', data: makeSwissRoll({ nSamples: nLle, seed: ctx.seed }) },
    { name: 'broken swiss roll', data: makeBrokenSwissRoll({ nSamples: nLle, seed: ctx.seed }) },
    { name: 'twin peaks', data: makeTwinPeaks({ nSamples: nLle, seed: ctx.seed }) },
  ];
  const bar4 = ctx.progress(`LLE on ${nLle}-point manifolds`, sets.length);
  const lleFigs: string[] = [];
  for (let q = 0; q < sets.length; q++) {
    const { name, data } = sets[q]!;
    const [lle, sec] = timed(() =>
      new LocallyLinearEmbedding({ nNeighbors: 12, seed: ctx.seed }).fit(data.X),
    );
    const colour = bins(data.t ?? data.manifold!.col(0), 10);
    rows.push([
      `LLE (k = 12), ${name}`,
      `${nLle} × 3`,
      `Φ ${lle.reconstructionError.toExponential(2)}`,
      '–',
      sec.toFixed(2),
    ]);
    metrics[`lle${q}Seconds`] = sec;
    lleFigs.push(
      figureHtml(
        ctx.writeFile(
          `lle-${name.replace(/ /g, '-')}.svg`,
          scatterSvg(lle.embedding, colour, {
            title: `LLE: ${name}`,
            legend: false,
            width: 400,
            height: 360,
          }),
        ),
        `${name}, coloured by position along the roll/first coordinate`,
      ),
    );
    bar4.update(q + 1, name);
  }
  bar4.stop();

  const html = [
    '<p>t-SNE replaces the Gaussian of SNE in the map by a Student-t kernel and symmetrises P; on MNIST after PCA to 50 dimensions the ten digits come out as separate islands. ',
    `The 1-NN accuracy of the 2-D map (first half of the points labelling the second half) is ${accMap.toFixed(3)}.</p>`,
    figureRow(figureHtml(mapSvg, `t-SNE map of ${nMap} MNIST digits, coloured by label`)),
    `<p>The crowding problem: with the same P, SNE's Gaussian map kernel squeezes the digits into the centre (the middle half of the points fills ${(100 * crowdSne).toFixed(1)}% of the map's box; t-SNE: ${(100 * crowdTsne).toFixed(1)}%).</p>`,
    figureRow(figureHtml(sneSvg, 'SNE'), figureHtml(ts2Svg, 't-SNE')),
    '<p>Perplexity sets the effective number of neighbours: small values fragment the clusters, large values merge them and keep more global structure.</p>',
    figureRow(...perpFigs),
    '<p>LLE reconstructs every point from its 12 neighbours and finds the map that the same weights reconstruct best: the bottom eigenvectors of the sparse M = (I − W)ᵀ(I − W).</p>',
    figureRow(...lleFigs),
    tableHtml(['method', 'data', 'KL / cost', '1-NN accuracy', 'seconds'], rows),
  ].join('\n');
  return { html, metrics };
}

export const manifold: DemoSection = {
  id: 'manifold',
  title: 'Neighbour embeddings and manifold learning: SNE, t-SNE, LLE',
  seedSays:
    'Seed 000: SNE matches conditional Gaussians p_{j|i} (σ_i from the perplexity by binary search) with Gaussians q_{j|i} of variance 1/2, and suffers ' +
    'from the crowding problem; t-SNE symmetrises p_ij = (p_{j|i} + p_{i|j})/2n and uses the heavy-tailed Student-t q_ij. Seed 004: LLE reconstructs each ' +
    'point from its neighbours with weights summing to one and embeds by the bottom eigenvectors of M = (I − W)ᵀ(I − W), discarding the constant one.',
  run,
};
