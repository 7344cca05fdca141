/**
 * Bar charts (class counts, explained variance per component, per-method scores), grouped when
 * several series are given, as SVG.
 */
import { ValidationError } from '../core/errors.js';
import { axes, leftMargin, legend, svgDocument, textWidth, titleText, type Box } from './axes.js';
import { checkSize } from './check.js';
import { categoricalColor } from './colors.js';
import { niceDomain, px } from './format.js';

export interface BarSeries {
  name: string;
  values: ArrayLike<number>;
}

export interface BarChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Default 560. */
  width?: number;
  /** Default 320. */
  height?: number;
}

/**
 * Bars for `categories` (one group per category); `series` is one array of values, or several
 * named series drawn side by side with a legend.
 */
export function barChartSvg(
  categories: string[],
  series: ArrayLike<number> | BarSeries[],
  options: BarChartOptions = {},
): string {
  checkSize('barChartSvg', options.width, options.height);
  const list: BarSeries[] = isSeriesList(series) ? series : [{ name: '', values: series }];
  for (const s of list) {
    if (s.values.length !== categories.length) {
      throw new ValidationError(
        `barChartSvg: series '${s.name}' has ${s.values.length} values but there are ${categories.length} categories`,
      );
    }
  }
  let lo = 0;
  let hi = 0;
  for (const s of list) {
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === hi) hi = 1;
  const width = options.width ?? 560;
  const height = options.height ?? 320;
  const showLegend = list.length > 1;
  const legendWidth = showLegend ? Math.max(...list.map((s) => textWidth(s.name))) + 30 : 0;
  const ySpec = { domain: niceDomain(lo, hi), label: options.yLabel };
  const box: Box = {
    width,
    height,
    left: leftMargin(ySpec, options.yLabel ? 58 : 46),
    right: 14 + legendWidth,
    top: options.title ? 30 : 12,
    bottom: options.xLabel ? 42 : 26,
  };
  const n = categories.length;
  const { svg, sx, sy } = axes(box, { domain: [-0.5, n - 0.5], categories, label: options.xLabel }, ySpec);
  const groupW = (sx(1) - sx(0)) * 0.8;
  const barW = groupW / list.length;
  let body = svg;
  list.forEach((s, k) => {
    const rects: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) continue;
      const x = sx(i) - groupW / 2 + k * barW;
      const y0 = sy(0);
      const y1 = sy(v);
      rects.push(
        `<rect x="${px(x)}" y="${px(Math.min(y0, y1))}" width="${px(Math.max(0.5, barW - 1))}" height="${px(Math.abs(y1 - y0))}"/>`,
      );
    }
    body += `<g fill="${categoricalColor(k)}">${rects.join('')}</g>`;
  });
  body += titleText(box, options.title);
  if (showLegend) {
    body += legend(
      list.map((s, k) => ({ name: s.name, color: categoricalColor(k), kind: 'box' as const })),
      width - legendWidth + 4,
      box.top + 4,
    );
  }
  return svgDocument(width, height, body, options.title);
}

function isSeriesList(s: ArrayLike<number> | BarSeries[]): s is BarSeries[] {
  return Array.isArray(s) && s.length > 0 && typeof s[0] === 'object';
}
