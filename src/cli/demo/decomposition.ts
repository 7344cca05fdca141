/**
 * Demo section "Linear latent models": PCA (both views of seeds 000/001/004), eigendigits and
 * reconstructions with k components, the reconstruction-error identity, a learned sparse-coding
 * dictionary and OMP codes (seed 004), NMF parts, and FastICA unmixing synthetic signals.
 *
 * Budget ≈ 45 s in the default profile on 2 cores: PCA on 10,000 training digits (all 784
 * eigenpairs), online dictionary learning and NMF on 3,000 digits. `--full`: PCA on all 60,000,
 * dictionary and NMF on 20,000.
 */
import { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { gemm } from '../../kernels/index.js';
import { FastICA, MiniBatchDictionaryLearning, NMF, PCA, SparseCoder } from '../../decomposition/index.js';
import { figureHtml, figureRow, imageGridPng, lineChartSvg, scatterSvg, tableHtml } from '../../viz/index.js';
import type { DemoContext, DemoSection, SectionResult } from './types.js';

function subset(ctx: DemoContext, n: number): { X: Matrix<Float64Array>; y: Int32Array } {
  const N = ctx.train.X.rows;
  if (n >= N) return { X: ctx.train.X, y: ctx.train.y };
  const idx = ctx.rng.sampleWithoutReplacement(N, n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = ctx.train.y[idx[i]!]!;
  return { X: ctx.train.X.selectRows(idx) as Matrix<Float64Array>, y };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

/** Three sources (sine, square wave, sawtooth) and three mixtures, as the classic ICA example. */
function icaSignals(n: number, rng: Rng): { S: Matrix<Float64Array>; X: Matrix<Float64Array>; t: number[] } {
  const S = new Float64Array(n * 3);
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const ti = (8 * i) / (n - 1);
    t.push(ti);
    S[i * 3] = Math.sin(2 * ti);
    S[i * 3 + 1] = Math.sign(Math.sin(3 * ti)) || 1;
    S[i * 3 + 2] = 2 * ((1.5 * ti) % 1) - 1;
    for (let c = 0; c < 3; c++) S[i * 3 + c] += 0.05 * rng.normal();
  }
  const A = [
    [1, 1, 1],
    [0.5, 2, 1],
    [1.5, 1, 2],
  ];
  const X = new Float64Array(n * 3);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) X[i * 3 + r] += A[r]![c]! * S[i * 3 + c]!;
  return { S: new Matrix(S, n, 3), X: new Matrix(X, n, 3), t };
}

function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function series(
  M: Matrix,
  t: number[],
  names: string[],
  offset: number,
): { name: string; x: number[]; y: number[] }[] {
  return names.map((name, c) => {
    const col = M.col(c);
    let m = 0;
    let s = 0;
    for (const v of col) m += v;
    m /= col.length;
    for (const v of col) s += (v - m) ** 2;
    s = Math.sqrt(s / col.length) || 1;
    return { name, x: t, y: Array.from(col, (v) => (v - m) / s + offset * (names.length - 1 - c)) };
  });
}

async function run(ctx: DemoContext): Promise<SectionResult> {
  const W = ctx.train.width;
  const H = ctx.train.height;
  const nPca = ctx.full ? ctx.train.X.rows : 10000;
  const nDict = ctx.full ? 20000 : 3000;
  const bar = ctx.progress('PCA · dictionary · NMF · ICA', 6);
  const times: (string | number)[][] = [];

  // 1. PCA, all components (maximum-variance view).
  const { X, y } = subset(ctx, nPca);
  const [pca, tPca] = timed(() => new PCA({ svdSolver: 'full' }).fit(X));
  times.push([`PCA, all ${pca.nComponents} components (covariance via syrk + eigh)`, `${nPca} × 784`, tPca]);
  bar.update(1, 'PCA');
  const ratio = pca.explainedVarianceRatio;
  const cum: number[] = [];
  let acc = 0;
  for (let t = 0; t < ratio.length; t++) cum.push((acc += ratio[t]!));
  const kFor = (f: number) => cum.findIndex((c) => c >= f) + 1;
  const two = cum[1]!;
  const evSvg = ctx.writeFile(
    'pca-explained-variance.svg',
    lineChartSvg(
      [
        {
          name: 'cumulative explained variance',
          x: cum.slice(0, 200).map((_, t) => t + 1),
          y: cum.slice(0, 200),
        },
      ],
      {
        title: 'PCA on MNIST: cumulative explained variance ratio',
        xLabel: 'components k',
        yLabel: 'fraction of variance',
        zeroY: true,
      },
    ),
  );
  // Scores of the first two components (randomized solver gives the same plane; reuse the fit).
  const Z = pca.transform(X);
  const show = Math.min(nPca, 5000);
  const P2 = new Float64Array(show * 2);
  for (let i = 0; i < show; i++) {
    P2[i * 2] = Z.get(i, 0);
    P2[i * 2 + 1] = Z.get(i, 1);
  }
  const scatter = ctx.writeFile(
    'pca-mnist-2d.svg',
    scatterSvg(new Matrix(P2, show, 2), y.subarray(0, show), {
      title: `MNIST on the first two principal components (${(100 * two).toFixed(1)}% of the variance)`,
      xLabel: 'PC 1',
      yLabel: 'PC 2',
      pointSize: 1.6,
      labelNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    }),
  );
  // Eigendigits: the mean and the first 23 components.
  const comps = pca.components;
  const eig = new Float64Array(24 * 784);
  eig.set(pca.mean, 0);
  eig.set(comps.data.subarray(0, 23 * 784), 784);
  const eigPng = ctx.writeFile(
    'pca-eigendigits.png',
    imageGridPng(new Matrix(eig, 24, 784), {
      width: W,
      height: H,
      cols: 8,
      scale: 2,
      normalize: 'each',
      symmetric: true,
      colormap: 'diverging',
    }),
  );
  // Reconstructions of 8 test digits with k components (linear-autoencoder view).
  const ks = [1, 5, 10, 20, 50, 100, 300];
  const testIdx = ctx.rng.sampleWithoutReplacement(ctx.test.X.rows, 8);
  const T = ctx.test.X.selectRows(testIdx) as Matrix<Float64Array>;
  const Zt = pca.transform(T);
  const grid = new Float64Array(8 * (ks.length + 1) * 784);
  const errTest: number[] = [];
  for (let r = 0; r < 8; r++) grid.set(T.row(r), r * (ks.length + 1) * 784);
  for (let c = 0; c < ks.length; c++) {
    const k = ks[c]!;
    const rec = new Float64Array(8 * 784);
    for (let r = 0; r < 8; r++) rec.set(pca.mean, r * 784);
    const Zk = new Float64Array(8 * k);
    for (let r = 0; r < 8; r++) for (let t = 0; t < k; t++) Zk[r * k + t] = Zt.get(r, t);
    gemm(8, 784, k, Zk, comps.data.subarray(0, k * 784), rec, { beta: 1 });
    for (let r = 0; r < 8; r++)
      grid.set(rec.subarray(r * 784, (r + 1) * 784), (r * (ks.length + 1) + c + 1) * 784);
  }
  const recPng = ctx.writeFile(
    'pca-reconstructions.png',
    imageGridPng(new Matrix(grid, 8 * (ks.length + 1), 784), {
      width: W,
      height: H,
      cols: ks.length + 1,
      scale: 2,
      normalize: 'none',
    }),
  );
  // Reconstruction error = sum of discarded eigenvalues (seed 001), measured on the training subset.
  const ev = pca.explainedVariance;
  const identityRows: (string | number)[][] = [];
  for (const k of [10, 50, 100]) {
    const pk = new PCA({ nComponents: k, svdSolver: 'full' }).fit(X);
    let discarded = 0;
    for (let t = k; t < ev.length; t++) discarded += ev[t]!;
    const measured = pk.reconstructionError(X);
    const predicted = (discarded * (nPca - 1)) / nPca;
    identityRows.push([k, measured, predicted, Math.abs(measured - predicted) / predicted]);
    errTest.push(pk.reconstructionError(ctx.test.X.rowSlice(0, 2000)));
  }
  bar.update(2, 'PCA figures');

  // 2. Online dictionary learning (seed 004) and OMP codes vs PCA with the same number of terms.
  const { X: Xd } = subset(ctx, nDict);
  const nAtoms = 64;
  const [dict, tDict] = timed(() =>
    new MiniBatchDictionaryLearning({
      nComponents: nAtoms,
      alpha: 1,
      batchSize: 256,
      maxIter: ctx.full ? 3 : 2,
      seed: ctx.seed,
    }).fit(Xd),
  );
  times.push([
    `MiniBatchDictionaryLearning, ${nAtoms} atoms, λ=1 (LARS)`,
    `${nDict} × 784, ${dict.nSteps} steps`,
    tDict,
  ]);
  bar.update(3, 'dictionary');
  const atomsPng = ctx.writeFile(
    'dictionary-atoms.png',
    imageGridPng(dict.components, {
      width: W,
      height: H,
      cols: 8,
      scale: 2,
      normalize: 'each',
      symmetric: true,
      colormap: 'diverging',
    }),
  );
  // contiguous(): the residual loop below indexes .data from 0, which a view need not start at.
  const Ttest = ctx.test.X.rowSlice(0, 1000).contiguous() as Matrix<Float64Array>;
  const ompRows: (string | number)[][] = [];
  for (const K of [5, 10, 20]) {
    const coder = new SparseCoder({
      dictionary: dict.components,
      transformAlgorithm: 'omp',
      transformNNonzeroCoefs: K,
    });
    const [codes, tOmp] = timed(() => coder.transform(Ttest));
    const R = new Float64Array(Ttest.rows * 784);
    gemm(Ttest.rows, 784, nAtoms, codes.data, dict.components.data, R);
    let e = 0;
    for (let i = 0; i < Ttest.rows * 784; i++) e += (Ttest.data[i]! - R[i]!) ** 2;
    const pk = new PCA({ nComponents: K, svdSolver: 'full' }).fit(X);
    ompRows.push([K, e / Ttest.rows, pk.reconstructionError(Ttest), tOmp]);
  }

  // 3. NMF parts.
  const [nmf, tNmf] = timed(() =>
    new NMF({ nComponents: 36, solver: 'cd', maxIter: ctx.full ? 100 : 60, tol: 1e-4, seed: ctx.seed }).fit(
      Xd,
    ),
  );
  times.push([`NMF (HALS), 36 parts, NNDSVDa init`, `${nDict} × 784, ${nmf.nIter} iterations`, tNmf]);
  bar.update(4, 'NMF');
  const partsPng = ctx.writeFile(
    'nmf-parts.png',
    imageGridPng(nmf.components, { width: W, height: H, cols: 9, scale: 2, normalize: 'each' }),
  );
  const hist = nmf.objectiveHistory;
  const nmfSvg = ctx.writeFile(
    'nmf-objective.svg',
    lineChartSvg([{ name: '½‖X − WH‖²', x: hist.map((_, t) => t + 1), y: hist }], {
      title: 'NMF objective per iteration (never increases)',
      xLabel: 'iteration',
      yLabel: 'objective',
      logY: true,
    }),
  );

  // 4. ICA unmixing of synthetic signals.
  const sig = icaSignals(1000, ctx.rng);
  const ica = new FastICA({ nComponents: 3, seed: ctx.seed, maxIter: 400 });
  const [Srec, tIca] = timed(() => ica.fitTransform(sig.X));
  times.push(['FastICA (parallel, logcosh)', '1000 × 3 mixtures', tIca]);
  const match: number[] = [];
  const icaRows: (string | number)[][] = [];
  for (let c = 0; c < 3; c++) {
    let best = 0;
    let bj = 0;
    for (let j = 0; j < 3; j++) {
      const r = Math.abs(corr(sig.S.col(c), Srec.col(j)));
      if (r > best) {
        best = r;
        bj = j;
      }
    }
    match.push(bj);
    icaRows.push([['sine', 'square', 'sawtooth'][c]!, `component ${bj + 1}`, best]);
  }
  const ordered = new Float64Array(1000 * 3);
  for (let i = 0; i < 1000; i++) {
    for (let c = 0; c < 3; c++) {
      const j = match[c]!;
      const sgn = corr(sig.S.col(c), Srec.col(j)) < 0 ? -1 : 1;
      ordered[i * 3 + c] = sgn * Srec.get(i, j);
    }
  }
  const tt = sig.t;
  const mk = (M: Matrix, names: string[], title: string, file: string) =>
    ctx.writeFile(
      file,
      lineChartSvg(series(M, tt, names, 4), {
        title,
        xLabel: 't',
        yLabel: 'standardised (offset)',
        width: 420,
        height: 260,
      }),
    );
  const icaTrue = mk(sig.S, ['sine', 'square', 'sawtooth'], 'True sources', 'ica-sources.svg');
  const icaMixed = mk(
    sig.X,
    ['mixture 1', 'mixture 2', 'mixture 3'],
    'Observed mixtures',
    'ica-mixtures.svg',
  );
  const icaOut = mk(
    new Matrix(ordered, 1000, 3),
    ['recovered 1', 'recovered 2', 'recovered 3'],
    `FastICA output (${ica.nIter} iterations)`,
    'ica-recovered.svg',
  );
  bar.update(6, 'ICA');
  bar.stop();

  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const html =
    `<p>PCA was fitted on ${nPca.toLocaleString('en-US')} training digits with the exact solver (covariance XᵀX by the syrk kernel, then all 784 eigenpairs). ` +
    `The first two components explain <b>${pct(two)}</b> of the variance (${pct(ratio[0]!)} + ${pct(ratio[1]!)}; our PCA equals scikit-learn's to 1e-8 in the tests). ` +
    `Seed 000 quotes "about 26%" for its two-component MNIST plot. We do not reproduce that figure: on all 60,000 training digits scaled to [0, 1] ` +
    `the first two components explain 16.8% (scikit-learn agrees), and 9.7% after standardising each pixel; 26% is not reached until ` +
    `k = ${kFor(0.26)} components. ${kFor(0.5)} components keep 50%, ${kFor(0.9)} keep 90% and ${kFor(0.95)} keep 95%.</p>` +
    figureRow(
      figureHtml(evSvg, 'Cumulative explained variance ratio (first 200 of 784 components).'),
      figureHtml(scatter, `First two principal components of ${show} digits, coloured by label.`),
    ) +
    figureRow(
      figureHtml(
        eigPng,
        'The mean digit (top left) and the first 23 eigendigits (blue negative, red positive).',
      ),
      figureHtml(
        recPng,
        `Test digits (left column) reconstructed from k = ${ks.join(', ')} components (seed 001: PCA as the linear autoencoder).`,
      ),
    ) +
    tableHtml(
      ['k', 'mean ‖x − x̂‖² (train)', '(n−1)/n · Σ discarded eigenvalues', 'relative difference'],
      identityRows,
      {
        caption: 'Reconstruction error equals the sum of the discarded eigenvalues (seed 001), to rounding.',
        digits: 6,
      },
    ) +
    `<p>Sparse coding (seed 004): an online dictionary of ${nAtoms} atoms (‖atom‖ ≤ 1) learned on ${nDict.toLocaleString('en-US')} digits with λ = 1, ` +
    `then OMP codes with K non-zeros (the ℓ0 problem) for 1,000 test digits, against PCA with K components.</p>` +
    figureRow(
      figureHtml(atomsPng, `${nAtoms} dictionary atoms (MiniBatchDictionaryLearning, Mairal et al. 2010).`),
      tableHtml(
        ['K', 'OMP with the dictionary: mean ‖x − x̂‖²', 'PCA with K components', 'OMP time (s)'],
        ompRows,
        {
          caption: 'Reconstruction error on 1,000 test digits',
          digits: 4,
        },
      ),
    ) +
    figureRow(
      figureHtml(
        partsPng,
        `NMF: 36 non-negative parts of ${nDict.toLocaleString('en-US')} digits (‖X − WH‖ = ${nmf.reconstructionErr.toFixed(1)}).`,
      ),
      figureHtml(nmfSvg, 'NMF objective per HALS iteration.'),
    ) +
    `<p>FastICA on three synthetic signals mixed by a fixed 3×3 matrix: every source is recovered up to order and sign.</p>` +
    figureRow(
      figureHtml(icaTrue, 'Sources'),
      figureHtml(icaMixed, 'Mixtures'),
      figureHtml(icaOut, 'Recovered (reordered, sign-fixed)'),
    ) +
    figureRow(
      tableHtml(['source', 'matched to', '|correlation|'], icaRows, {
        caption: 'FastICA recovery',
        digits: 4,
      }),
      tableHtml(['step', 'size', 'seconds'], times, { caption: 'Timings on this machine', digits: 3 }),
    );

  return {
    html,
    metrics: {
      pcaSamples: nPca,
      varianceFirstTwo: two,
      varianceFirst: ratio[0]!,
      componentsFor90: kFor(0.9),
      componentsFor95: kFor(0.95),
      pcaSeconds: tPca,
      testErrorK50: errTest[1]!,
      dictSeconds: tDict,
      nmfSeconds: tNmf,
      nmfReconstructionErr: nmf.reconstructionErr,
      icaMinAbsCorr: Math.min(...icaRows.map((r) => r[2] as number)),
    },
  };
}

export const decomposition: DemoSection = {
  id: 'decomposition',
  title: 'Linear latent models: PCA, sparse coding, NMF, ICA',
  seedSays:
    'Seed 000: PCA keeps the directions of maximum variance (eigenvectors of the covariance), "MNIST clustering with PCA" on two components ' +
    '"explains about 26% of the variance"; it also lists ICA. Seed 001: PCA is the linear autoencoder, its reconstruction error is the sum of the ' +
    'discarded eigenvalues. Seed 004: PCA by SVD, sparse coding with an ℓ1 penalty and atoms ‖w_j‖ ≤ 1 (overcomplete dictionaries), OMP for the ℓ0 ' +
    'problem, and non-negative matrix factorization.',
  run,
};
