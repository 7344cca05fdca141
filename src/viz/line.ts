/**
 * Line charts of training curves (loss per epoch, objective per iteration, ELBO) and sweeps
 * (inertia vs k, reconstruction error vs components), as SVG, with an optional log y axis.
 */
import { ValidationError } from '../core/errors.js';
import { axes, leftMargin, legend, svgDocument, textWidth, titleText, type Box } from './axes.js';
import { checkSize } from './check.js';
import { categoricalColor } from './colors.js';
import { niceDomain, px } from './format.js';

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis; points with y <= 0 are left out. Default false. */
  logY?: boolean;
  /** Logarithmic x axis (e.g. perplexity or sample-size sweeps); points with x <= 0 are left out. */
  logX?: boolean;
  /** Default 560. */
  width?: number;
  /** Default 340. */
  height?: number;
  /** Draw a dot at each point (default: when every series has at most 40 points). */
  markers?: boolean;
  /** Force the y axis to include 0 (default false). */
  zeroY?: boolean;
}

/** Line chart of one or more series; the legend lists series names when there is more than one. */
export function lineChartSvg(series: Series[], options: LineChartOptions = {}): string {
  if (!Array.isArray(series)) {
    throw new ValidationError(
      `lineChartSvg: series must be an array of { name, x, y }; got ${typeof series}`,
    );
  }
  checkSize('lineChartSvg', options.width, options.height);
  const logY = options.logY ?? false;
  const logX = options.logX ?? false;
  let xmin = Infinity,
    xmax = -Infinity,
    ymin = Infinity,
    ymax = -Infinity;
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      throw new ValidationError(
        `lineChartSvg: series '${s.name}' has ${s.x.length} x values but ${s.y.length} y values`,
      );
    }
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (!ok(x, y, logY, logX)) continue;
      if (x < xmin) xmin = x;
      if (x > xmax) xmax = x;
      if (y < ymin) ymin = y;
      if (y > ymax) ymax = y;
    }
  }
  if (!(xmin <= xmax)) [xmin, xmax, ymin, ymax] = [logX ? 1 : 0, logX ? 10 : 1, logY ? 1 : 0, logY ? 10 : 1];
  if (options.zeroY && !logY) [ymin, ymax] = [Math.min(0, ymin), Math.max(0, ymax)];
  const width = options.width ?? 560;
  const height = options.height ?? 340;
  const showLegend = series.length > 1;
  const legendWidth = showLegend ? Math.max(...series.map((s) => textWidth(s.name))) + 32 : 0;
  let yDomain: [number, number];
  if (logY) {
    // Pad 4% of the log range on each side rather than rounding out to whole decades.
    const span = Math.max(Math.log10(ymax / ymin), 0.3);
    yDomain = [ymin / Math.pow(10, span * 0.04), ymax * Math.pow(10, span * 0.04)];
  } else yDomain = niceDomain(ymin, ymax);
  const box: Box = {
    width,
    height,
    left: leftMargin({ domain: yDomain, log: logY, label: options.yLabel }, options.yLabel ? 58 : 46),
    right: 16 + legendWidth,
    top: options.title ? 30 : 12,
    bottom: options.xLabel ? 42 : 26,
  };
  const xDomain: [number, number] =
    xmin === xmax ? (logX ? [xmin / 2, xmax * 2] : [xmin - 1, xmax + 1]) : [xmin, xmax];
  const { svg, sx, sy } = axes(
    box,
    { domain: xDomain, log: logX, label: options.xLabel },
    { domain: yDomain, log: logY, label: options.yLabel },
  );
  const markers = options.markers ?? series.every((s) => s.x.length <= 40);
  let body = svg;
  series.forEach((s, k) => {
    const color = categoricalColor(k);
    let d = '';
    let pen = false;
    const dots: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (!ok(x, y, logY, logX)) {
        pen = false; // a gap in the line where values are missing
        continue;
      }
      const X = px(sx(x));
      const Y = px(sy(y));
      d += `${pen ? 'L' : 'M'}${X} ${Y}`;
      pen = true;
      if (markers) dots.push(`<circle cx="${X}" cy="${Y}" r="2.8"/>`);
    }
    body += `<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`;
    if (dots.length) body += `<g fill="${color}">${dots.join('')}</g>`;
  });
  body += titleText(box, options.title);
  if (showLegend) {
    body += legend(
      series.map((s, k) => ({ name: s.name, color: categoricalColor(k), kind: 'line' as const })),
      width - legendWidth + 4,
      box.top + 4,
    );
  }
  return svgDocument(width, height, body, options.title);
}

function ok(x: number, y: number, logY: boolean, logX: boolean): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0) && (!logX || x > 0);
}
