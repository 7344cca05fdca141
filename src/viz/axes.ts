/**
 * The frame shared by the SVG charts: document wrapper, plot area, linear/log scales, axes with
 * ticks and grid lines, titles and a legend. Charts are plain SVG strings (no DOM needed), so the
 * same code runs in Node and in the browser.
 */
import { escapeXml, formatTick, logTicks, niceTicks, px } from './format.js';

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Plot-area extents in pixels. */
export function inner(b: Box): { x0: number; x1: number; y0: number; y1: number } {
  return { x0: b.left, x1: b.width - b.right, y0: b.top, y1: b.height - b.bottom };
}

export type Scale = (v: number) => number;

export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 !== d0 ? (r1 - r0) / (d1 - d0) : 0;
  return (v) => r0 + (v - d0) * k;
}

export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const k = l1 !== l0 ? (r1 - r0) / (l1 - l0) : 0;
  return (v) => r0 + (Math.log10(v) - l0) * k;
}

/** Wraps chart content in an SVG document with a white background and the chart font. */
export function svgDocument(width: number, height: number, body: string, title?: string): string {
  const t = title ? `<title>${escapeXml(title)}</title>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT}" font-size="11">${t}` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${body}</svg>`
  );
}

/** Chart title, centred above the plot area. */
export function titleText(b: Box, title: string | undefined): string {
  if (!title) return '';
  const { x0, x1 } = inner(b);
  return `<text x="${px((x0 + x1) / 2)}" y="18" text-anchor="middle" font-size="13" font-weight="600" fill="#222">${escapeXml(title)}</text>`;
}

export interface AxisSpec {
  domain: [number, number];
  log?: boolean;
  label?: string;
  /** Category names placed at integer positions 0..k-1 instead of numeric ticks. */
  categories?: string[];
  ticks?: number;
}

/** Draws grid lines, both axes with ticks and labels. Returns [svg, xScale, yScale]. */
export function axes(b: Box, x: AxisSpec, y: AxisSpec): { svg: string; sx: Scale; sy: Scale } {
  const { x0, x1, y0, y1 } = inner(b);
  const sx = x.log
    ? logScale(x.domain[0], x.domain[1], x0, x1)
    : linearScale(x.domain[0], x.domain[1], x0, x1);
  const sy = y.log
    ? logScale(y.domain[0], y.domain[1], y1, y0)
    : linearScale(y.domain[0], y.domain[1], y1, y0);
  const parts: string[] = [];
  const grid: string[] = [];
  const labels: string[] = [];

  // X ticks.
  const xt = tickList(x);
  for (const [v, text] of xt) {
    const X = px(sx(v));
    grid.push(`M${X} ${px(y0)}V${px(y1)}`);
    labels.push(`<text x="${X}" y="${px(y1 + 15)}" text-anchor="middle">${escapeXml(text)}</text>`);
    parts.push(`M${X} ${px(y1)}v4`);
  }
  // Y ticks.
  const yt = tickList(y);
  for (const [v, text] of yt) {
    const Y = px(sy(v));
    grid.push(`M${px(x0)} ${Y}H${px(x1)}`);
    labels.push(
      `<text x="${px(x0 - 6)}" y="${Y}" text-anchor="end" dominant-baseline="middle">${escapeXml(text)}</text>`,
    );
    parts.push(`M${px(x0)} ${Y}h-4`);
  }
  let svg = `<path d="${grid.join('')}" stroke="#e6e6e6" stroke-width="1" fill="none"/>`;
  svg += `<path d="M${px(x0)} ${px(y0)}V${px(y1)}H${px(x1)}${parts.join('')}" stroke="#555" stroke-width="1" fill="none"/>`;
  svg += `<g fill="#444">${labels.join('')}</g>`;
  if (x.label) {
    svg += `<text x="${px((x0 + x1) / 2)}" y="${px(b.height - 6)}" text-anchor="middle" fill="#222" font-size="12">${escapeXml(x.label)}</text>`;
  }
  if (y.label) {
    const cy = (y0 + y1) / 2;
    svg += `<text transform="translate(13 ${px(cy)}) rotate(-90)" text-anchor="middle" fill="#222" font-size="12">${escapeXml(y.label)}</text>`;
  }
  return { svg, sx, sy };
}

function tickList(a: AxisSpec): [number, string][] {
  if (a.categories) {
    const n = a.categories.length;
    // Thin out crowded category labels.
    const every = Math.max(1, Math.ceil(n / 25));
    return a.categories.map((c, i) => [i, c] as [number, string]).filter((_, i) => i % every === 0);
  }
  if (a.log) {
    // Decimals from the gap to the neighbouring tick, so 0.001 … 1000 and 1.5M, 1.6M both read well.
    const t = logTicks(a.domain[0], a.domain[1]);
    return t.map((v, i) => {
      const gap = Math.min(i > 0 ? v - t[i - 1]! : Infinity, i + 1 < t.length ? t[i + 1]! - v : Infinity);
      return [v, formatTick(v, Math.min(v, gap))];
    });
  }
  const { ticks, step } = niceTicks(a.domain[0], a.domain[1], a.ticks ?? 5);
  const ref = Math.max(0, ...ticks.map(Math.abs));
  return ticks.map((v) => [v, formatTick(v, step, ref)]);
}

/** Left margin that fits the y tick labels and the y axis title (at least `min`). */
export function leftMargin(y: AxisSpec, min: number): number {
  const widest = Math.max(0, ...tickList(y).map(([, t]) => textWidth(t, 11)));
  return Math.max(min, Math.ceil(widest) + 12 + (y.label ? 20 : 0));
}

export interface LegendItem {
  name: string;
  color: string;
  /** 'dot' (scatter), 'line' (line chart) or 'box' (bars). */
  kind: 'dot' | 'line' | 'box';
}

/** A vertical legend whose top-left corner is at (x, y). */
export function legend(items: LegendItem[], x: number, y: number): string {
  const rows = items.map((it, i) => {
    const cy = y + 8 + i * 17;
    const mark =
      it.kind === 'dot'
        ? `<circle cx="${px(x + 6)}" cy="${px(cy)}" r="4.5" fill="${it.color}"/>`
        : it.kind === 'line'
          ? `<path d="M${px(x)} ${px(cy)}h14" stroke="${it.color}" stroke-width="2.5"/>`
          : `<rect x="${px(x)}" y="${px(cy - 5)}" width="12" height="10" fill="${it.color}"/>`;
    return `${mark}<text x="${px(x + 19)}" y="${px(cy)}" dominant-baseline="middle" fill="#333">${escapeXml(it.name)}</text>`;
  });
  return `<g>${rows.join('')}</g>`;
}

/** Approximate rendered width of a label in the 11px chart font (no DOM to measure with). */
export function textWidth(s: string, fontSize = 11): number {
  return s.length * fontSize * 0.58;
}
