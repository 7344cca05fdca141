/**
 * Heatmaps of small matrices (contingency tables of clusters vs digits, confusion matrices,
 * covariance/correlation matrices), as SVG with a colour bar and, for small tables, the values
 * written in the cells.
 */
import { ValidationError } from '../core/errors.js';
import type { MatrixLike } from '../core/matrix.js';
import { toMatrix } from '../core/validate.js';
import { FONT, textWidth } from './axes.js';
import { checkEnum, checkNumber } from './check.js';
import { colormapHex, colormapRgb, textColorOn, type Colormap } from './colors.js';
import { base64, encodePng } from './png.js';
import { escapeXml, formatNumber, niceTicks, formatTick, px } from './format.js';

export interface HeatmapOptions {
  title?: string;
  rowLabels?: string[];
  colLabels?: string[];
  /** Axis titles, e.g. 'true digit' (rows) and 'cluster' (columns). */
  rowTitle?: string;
  colTitle?: string;
  /** Cell edge in pixels (default: fits ~440 px, between 6 and 44). */
  cellSize?: number;
  /** Write values in cells (default: when cells are >= 24 px). */
  annotate?: boolean;
  /** 'viridis' (default) or 'diverging' (default when values have both signs; centred on 0). */
  colormap?: 'viridis' | 'diverging' | 'gray';
  /** Significant digits of annotations (default 3). */
  digits?: number;
}

/**
 * Heatmap of `M` (rows × cols) as SVG: one cell per entry with a colour bar; above 4,096 cells
 * (and no `cellSize`) the cells are one embedded PNG. Non-finite entries are magenta.
 *
 * @example
 *   const t = contingencyTable(y, labels);
 *   heatmapSvg(t.counts, { rowLabels: t.rowLabels.map(String), rowTitle: 'digit', colTitle: 'cluster' })
 */
export function heatmapSvg(M: MatrixLike, options: HeatmapOptions = {}): string {
  const A = toMatrix(M, 'M', { allowNonFinite: true });
  const { rows, cols } = A;
  checkNumber('heatmapSvg', 'cellSize', options.cellSize, 1, 200);
  checkNumber('heatmapSvg', 'digits', options.digits, 1, 17, true);
  checkEnum('heatmapSvg', 'colormap', options.colormap, ['viridis', 'diverging', 'gray']);
  if (options.rowLabels && options.rowLabels.length !== rows) {
    throw new ValidationError(
      `heatmapSvg: rowLabels has ${options.rowLabels.length} entries but M has ${rows} rows`,
    );
  }
  if (options.colLabels && options.colLabels.length !== cols) {
    throw new ValidationError(
      `heatmapSvg: colLabels has ${options.colLabels.length} entries but M has ${cols} columns`,
    );
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = A.get(i, j);
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(lo <= hi)) [lo, hi] = [0, 1];
  const cmap: Colormap = options.colormap ?? (lo < 0 && hi > 0 ? 'diverging' : 'viridis');
  if (cmap === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  }
  const span = hi > lo ? hi - lo : 1;
  // Above 64×64 cells (e.g. a 784×784 pixel covariance) one <rect> per cell would make a huge file:
  // draw the cells as one embedded PNG, a pixel per cell, scaled to ~440 px.
  const raster = options.cellSize === undefined && rows * cols > 4096;
  const cell = raster
    ? Math.min(44, 440 / Math.max(rows, cols))
    : (options.cellSize ?? Math.max(6, Math.min(44, Math.floor(440 / Math.max(rows, cols)))));
  const annotate = !raster && (options.annotate ?? cell >= 24);
  const digits = options.digits ?? 3;
  const rowLabels = options.rowLabels ?? Array.from({ length: rows }, (_, i) => String(i));
  const colLabels = options.colLabels ?? Array.from({ length: cols }, (_, j) => String(j));
  const showRowLabels = cell >= 10;
  const labelW = showRowLabels ? Math.max(...rowLabels.map((s) => textWidth(s)), 8) + 8 : 0;
  const left = 12 + labelW + (options.rowTitle ? 18 : 0);
  const top = (options.title ? 30 : 10) + (options.colTitle ? 18 : 0) + (cell >= 10 ? 16 : 0);
  const gridW = Math.round(cols * cell);
  const gridH = Math.round(rows * cell);
  const barX = left + gridW + 16;
  const width = barX + 14 + 50;
  const height = Math.max(top + gridH + 14, 120);

  const parts: string[] = [];
  if (raster) {
    const rgb = new Uint8Array(rows * cols * 3);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = A.get(i, j);
        const at = (i * cols + j) * 3;
        if (Number.isFinite(v)) colormapRgb(cmap, (v - lo) / span, rgb, at);
        else rgb.set([255, 0, 255], at);
      }
    }
    const b64 = base64(encodePng(rgb, cols, rows, 'rgb'));
    parts.push(
      `<image x="${left}" y="${top}" width="${gridW}" height="${gridH}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${b64}"/>`,
    );
  }
  for (let i = 0; raster ? false : i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = A.get(i, j);
      const color = Number.isFinite(v) ? colormapHex(cmap, (v - lo) / span) : '#ff00ff';
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${color}"><title>${escapeXml(`${rowLabels[i]}, ${colLabels[j]}: ${formatNumber(v, 6)}`)}</title></rect>`,
      );
      if (annotate) {
        const fs = Math.min(11, Math.floor(cell / 3.2));
        parts.push(
          `<text x="${px(x + cell / 2)}" y="${px(y + cell / 2)}" text-anchor="middle" dominant-baseline="central" font-size="${fs}" fill="${textColorOn(color)}">${escapeXml(formatNumber(v, digits))}</text>`,
        );
      }
    }
  }
  const labels: string[] = [];
  if (showRowLabels) {
    for (let i = 0; i < rows; i++) {
      labels.push(
        `<text x="${left - 5}" y="${px(top + (i + 0.5) * cell)}" text-anchor="end" dominant-baseline="central">${escapeXml(rowLabels[i])}</text>`,
      );
    }
  }
  if (cell >= 10) {
    const every = Math.max(1, Math.ceil((cols * 11 * 0.9) / gridW));
    for (let j = 0; j < cols; j += every) {
      labels.push(
        `<text x="${px(left + (j + 0.5) * cell)}" y="${top - 5}" text-anchor="middle">${escapeXml(colLabels[j])}</text>`,
      );
    }
  }
  let body = `<g>${parts.join('')}</g><g fill="#333">${labels.join('')}</g>`;
  if (options.title) {
    body += `<text x="${px(left + gridW / 2)}" y="18" text-anchor="middle" font-size="13" font-weight="600" fill="#222">${escapeXml(options.title)}</text>`;
  }
  if (options.colTitle) {
    body += `<text x="${px(left + gridW / 2)}" y="${top - (cell >= 10 ? 22 : 6)}" text-anchor="middle" font-size="12" fill="#222">${escapeXml(options.colTitle)}</text>`;
  }
  if (options.rowTitle) {
    body += `<text transform="translate(14 ${px(top + gridH / 2)}) rotate(-90)" text-anchor="middle" font-size="12" fill="#222">${escapeXml(options.rowTitle)}</text>`;
  }
  // Colour bar: a vertical gradient with ticks.
  const barH = Math.max(80, gridH);
  const stops: string[] = [];
  for (let k = 0; k <= 10; k++)
    stops.push(`<stop offset="${k * 10}%" stop-color="${colormapHex(cmap, 1 - k / 10)}"/>`);
  body += `<defs><linearGradient id="hm-bar" x1="0" y1="0" x2="0" y2="1">${stops.join('')}</linearGradient></defs>`;
  body += `<rect x="${barX}" y="${top}" width="12" height="${barH}" fill="url(#hm-bar)" stroke="#999" stroke-width="0.5"/>`;
  const { ticks, step } = niceTicks(lo, hi, 4);
  const ref = Math.max(0, ...ticks.map(Math.abs));
  for (const t of ticks) {
    const y = top + barH * (1 - (t - lo) / span);
    body += `<path d="M${barX + 12} ${px(y)}h3" stroke="#555"/><text x="${barX + 17}" y="${px(y)}" dominant-baseline="middle" font-size="10" fill="#444">${escapeXml(formatTick(t, step, ref))}</text>`;
  }
  const h = Math.max(height, top + barH + 10);
  const title = options.title ? `<title>${escapeXml(options.title)}</title>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="${FONT}" font-size="11">` +
    `${title}<rect width="${width}" height="${h}" fill="#fff"/>${body}</svg>`
  );
}
