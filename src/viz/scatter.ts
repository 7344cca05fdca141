/**
 * 2-D scatter plots of embeddings (PCA, t-SNE, LLE, autoencoder codes) coloured by label, as SVG.
 * Thousands of points stay light: one <g> per label carries the colour, each point is a bare
 * <circle> with coordinates rounded to 0.1 px, and `maxPoints` draws a seeded uniform subsample.
 */
import { ValidationError } from '../core/errors.js';
import type { MatrixLike } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { toMatrix } from '../core/validate.js';
import { axes, leftMargin, legend, svgDocument, textWidth, titleText, type Box } from './axes.js';
import { checkNumber, checkSize } from './check.js';
import { categoricalColor } from './colors.js';
import { escapeXml, niceDomain, px } from './format.js';

export interface ScatterOptions {
  title?: string;
  /** Total width in pixels (default 560). */
  width?: number;
  /** Total height in pixels (default 460). */
  height?: number;
  /** Circle radius in pixels (default 2, or 1.5 above 5,000 points). */
  pointSize?: number;
  /** Fill opacity (default 0.75, lower for large n so density shows). */
  opacity?: number;
  /** Draw at most this many points, a uniform random subsample (default 20,000). */
  maxPoints?: number;
  /** Seed of the subsample (default 0). */
  seed?: number;
  /** Legend names of labels (default: the label number). */
  labelNames?: string[];
  xLabel?: string;
  yLabel?: string;
  /** Show the legend when labels are given (default true). */
  legend?: boolean;
  /** Shapes drawn over the points, in data coordinates. */
  overlay?: ScatterOverlay;
}

export interface ScatterOverlay {
  /** Points marked with a large outlined cross, coloured as label k (e.g. k-means centres, k × 2). */
  centers?: MatrixLike;
  /** Covariance ellipses, e.g. GMM components; ellipse k is coloured as label k unless `color` is given. */
  ellipses?: {
    mean: ArrayLike<number>;
    /** 2×2 covariance [[a, b], [b, c]]. */
    cov: ArrayLike<ArrayLike<number>>;
    /** Radius in standard deviations (default 2: ~86% of a 2-D Gaussian's mass). */
    nStd?: number;
    color?: string;
  }[];
}

/** Points of the nStd-sigma ellipse of a 2-D Gaussian, in data coordinates (64 segments). */
function ellipsePoints(
  mean: ArrayLike<number>,
  cov: ArrayLike<ArrayLike<number>>,
  nStd: number,
): [number, number][] {
  const a = cov[0]![0]!;
  const b = cov[0]![1]!;
  const c = cov[1]![1]!;
  // Eigen-decomposition of the symmetric 2×2 matrix.
  const mid = (a + c) / 2;
  const rad = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l1 = Math.max(0, mid + rad);
  const l2 = Math.max(0, mid - rad);
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  const [ct, st] = [Math.cos(theta), Math.sin(theta)];
  const r1 = nStd * Math.sqrt(l1);
  const r2 = nStd * Math.sqrt(l2);
  const out: [number, number][] = [];
  for (let k = 0; k <= 64; k++) {
    const t = (2 * Math.PI * k) / 64;
    const u = r1 * Math.cos(t);
    const v = r2 * Math.sin(t);
    out.push([mean[0]! + u * ct - v * st, mean[1]! + u * st + v * ct]);
  }
  return out;
}

/**
 * Scatter plot of `points` (n × 2), coloured by `labels` (integers; 0..9 get the tab10 colours, a
 * legend lists them). Non-finite points are skipped and counted in a note under the plot.
 */
export function scatterSvg(
  points: MatrixLike,
  labels?: ArrayLike<number>,
  options: ScatterOptions = {},
): string {
  const P = toMatrix(points, 'points', { allowNonFinite: true, minSamples: 0 });
  if (P.cols !== 2) throw new ValidationError(`scatterSvg: points must have 2 columns; got ${P.cols}`);
  const n = P.rows;
  if (labels && labels.length !== n) {
    throw new ValidationError(`scatterSvg: labels has ${labels.length} entries but points has ${n} rows`);
  }
  checkSize('scatterSvg', options.width, options.height);
  checkNumber('scatterSvg', 'pointSize', options.pointSize, 0, 100);
  checkNumber('scatterSvg', 'opacity', options.opacity, 0, 1);
  checkNumber('scatterSvg', 'maxPoints', options.maxPoints, 1, Number.MAX_SAFE_INTEGER, true);
  checkNumber('scatterSvg', 'seed', options.seed, 0, 2 ** 32 - 1, true);
  const width = options.width ?? 560;
  const height = options.height ?? 460;
  const maxPoints = options.maxPoints ?? 20_000;

  // Which points to draw (sorted so drawing order matches the input order).
  let idx: Int32Array;
  if (n > maxPoints) {
    idx = new Rng(options.seed ?? 0).sampleWithoutReplacement(n, maxPoints).sort();
  } else {
    idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
  }
  const m = idx.length;
  const radius = options.pointSize ?? (m > 5000 ? 1.5 : m > 1000 ? 2 : 3);
  const opacity = options.opacity ?? (m > 5000 ? 0.6 : m > 1000 ? 0.75 : 0.85);

  let xmin = Infinity,
    xmax = -Infinity,
    ymin = Infinity,
    ymax = -Infinity;
  let skipped = 0;
  for (let k = 0; k < m; k++) {
    const i = idx[k]!;
    const x = P.get(i, 0);
    const y = P.get(i, 1);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      skipped++;
      continue;
    }
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  // Overlays extend the axes so they are never clipped.
  const centers = options.overlay?.centers ? toMatrix(options.overlay.centers, 'overlay.centers') : undefined;
  if (centers && centers.cols !== 2)
    throw new ValidationError(`scatterSvg: overlay.centers must have 2 columns; got ${centers.cols}`);
  const ellipses = (options.overlay?.ellipses ?? []).map((e) => ({
    ...e,
    pts: ellipsePoints(e.mean, e.cov, e.nStd ?? 2),
  }));
  const extend = (x: number, y: number): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    xmin = Math.min(xmin, x);
    xmax = Math.max(xmax, x);
    ymin = Math.min(ymin, y);
    ymax = Math.max(ymax, y);
  };
  if (centers) for (let k = 0; k < centers.rows; k++) extend(centers.get(k, 0), centers.get(k, 1));
  for (const e of ellipses) for (const [x, y] of e.pts) extend(x, y);
  if (!(xmin <= xmax)) [xmin, xmax, ymin, ymax] = [0, 1, 0, 1];
  if (!Number.isFinite(xmax - xmin) || !Number.isFinite(ymax - ymin)) {
    // The axis scale would overflow to Infinity and every coordinate would be NaN.
    throw new ValidationError(
      `scatterSvg: points span x ∈ [${xmin}, ${xmax}], y ∈ [${ymin}, ${ymax}]; the range overflows a float64`,
    );
  }

  const classes = new Map<number, string[]>();
  const labelSet: number[] = [];
  if (labels) {
    for (let k = 0; k < m; k++) {
      const l = labels[idx[k]!]!;
      if (!classes.has(l)) {
        classes.set(l, []);
        labelSet.push(l);
      }
    }
    labelSet.sort((a, b) => a - b);
  }
  const showLegend = !!labels && (options.legend ?? true) && labelSet.length <= 30;
  const names = labelSet.map((l) => options.labelNames?.[l] ?? String(l));
  const legendWidth = showLegend ? Math.max(...names.map((s) => textWidth(s)), 10) + 34 : 0;
  const ySpec = { domain: niceDomain(ymin, ymax), label: options.yLabel };
  const box: Box = {
    width,
    height,
    left: leftMargin(ySpec, options.yLabel ? 58 : 46),
    right: 14 + legendWidth,
    top: options.title ? 30 : 12,
    bottom: (options.xLabel ? 40 : 26) + (skipped > 0 || n > m ? 14 : 0),
  };
  const {
    svg: axisSvg,
    sx,
    sy,
  } = axes(box, { domain: niceDomain(xmin, xmax), label: options.xLabel }, ySpec);

  const groups: string[] = [];
  const one: string[] = [];
  for (let k = 0; k < m; k++) {
    const i = idx[k]!;
    const x = P.get(i, 0);
    const y = P.get(i, 1);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const c = `<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="${radius}"/>`;
    if (labels) classes.get(labels[i]!)!.push(c);
    else one.push(c);
  }
  if (labels) {
    for (const l of labelSet) {
      groups.push(
        `<g fill="${categoricalColor(l)}" data-label="${escapeXml(l)}">${classes.get(l)!.join('')}</g>`,
      );
    }
  } else groups.push(`<g fill="#1f77b4">${one.join('')}</g>`);

  let body = axisSvg + `<g fill-opacity="${opacity}">${groups.join('')}</g>`;
  ellipses.forEach((e, k) => {
    const d = e.pts.map(([x, y], i) => `${i ? 'L' : 'M'}${px(sx(x))} ${px(sy(y))}`).join('') + 'Z';
    const color = e.color ?? categoricalColor(k);
    body += `<path d="${d}" fill="none" stroke="#fff" stroke-width="4" stroke-opacity="0.8"/><path d="${d}" fill="none" stroke="${escapeXml(color)}" stroke-width="2"/>`;
  });
  if (centers) {
    for (let k = 0; k < centers.rows; k++) {
      const X = sx(centers.get(k, 0));
      const Y = sy(centers.get(k, 1));
      if (!Number.isFinite(X) || !Number.isFinite(Y)) continue;
      const cross = `M${px(X - 6)} ${px(Y - 6)}L${px(X + 6)} ${px(Y + 6)}M${px(X - 6)} ${px(Y + 6)}L${px(X + 6)} ${px(Y - 6)}`;
      body += `<path d="${cross}" stroke="#111" stroke-width="5" stroke-linecap="round"/><path d="${cross}" stroke="${categoricalColor(k)}" stroke-width="2.5" stroke-linecap="round"/>`;
    }
  }
  body += titleText(box, options.title);
  if (showLegend) {
    const items = labelSet.map((l, j) => ({
      name: names[j]!,
      color: categoricalColor(l),
      kind: 'dot' as const,
    }));
    body += legend(items, width - legendWidth + 4, box.top + 4);
  }
  const notes: string[] = [];
  if (n > m) notes.push(`showing ${m.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} points`);
  if (skipped > 0) notes.push(`${skipped} non-finite points not drawn`);
  if (notes.length) {
    body += `<text x="${box.left}" y="${height - 5}" fill="#777" font-size="10">${escapeXml(notes.join('; '))}</text>`;
  }
  return svgDocument(width, height, body, options.title);
}
