/**
 * PNG figures: images (one per row of a matrix, e.g. MNIST digits, PCA components, VAE samples)
 * laid out in a grid. Grayscale grids are written as 8-bit grayscale PNGs (a third of the size of
 * RGB); colormapped grids as 8-bit RGB. Encoding is fast-png's (pure JavaScript with fflate's deflate),
 * so these figures can be made in the browser too.
 */
import { ValidationError } from '../core/errors.js';
import type { MatrixLike } from '../core/matrix.js';
import { toMatrix } from '../core/validate.js';
import { colormapRgb, type Colormap } from './colors.js';
import { escapeXml } from './format.js';
import { checkEnum, checkNumber } from './check.js';
import { encode as encodePngLib } from 'fast-png';

export type Normalize = 'global' | 'each' | 'none';

export interface ImageGridOptions {
  /** Image width in pixels; each row of the matrix holds width·height values, row-major. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Images per grid row (default: ceil(sqrt(n))). */
  cols?: number;
  /** Integer magnification, nearest-neighbour (default 1). */
  scale?: number;
  /**
   * How values map to intensity: 'global' (default) stretches min..max over all images to black..white;
   * 'each' does so per image (for components or filters of different scales); 'none' clamps [0, 1].
   */
  normalize?: Normalize;
  /** Centre the scale on 0 (value 0 → mid grey or white in 'diverging'); for signed images. Default false. */
  symmetric?: boolean;
  /** 'gray' (default), 'viridis' or 'diverging' (blue–white–red, pair it with `symmetric`). */
  colormap?: Colormap;
  /** Black-on-white instead of white-on-black (gray colormap only). Default false. */
  invert?: boolean;
  /** Gap between images, in output pixels (default 2). */
  padding?: number;
  /** Gap colour as intensity 0..1 (default 1: white). */
  background?: number;
}

interface Plan {
  n: number;
  w: number;
  h: number;
  cols: number;
  rows: number;
  scale: number;
  pad: number;
  outW: number;
  outH: number;
}

function plan(n: number, d: number, o: ImageGridOptions, fn = 'imageGridPng'): Plan {
  const { width: w, height: h } = o;
  if (!Number.isInteger(w) || w < 1 || !Number.isInteger(h) || h < 1) {
    throw new ValidationError(`${fn}: width and height must be positive integers; got ${w}x${h}`);
  }
  if (d !== w * h) {
    throw new ValidationError(
      `${fn}: images have ${d} values per row, but width*height = ${w}*${h} = ${w * h}`,
    );
  }
  const cols = o.cols ?? Math.max(1, Math.ceil(Math.sqrt(n)));
  const scale = o.scale ?? 1;
  const pad = o.padding ?? 2;
  if (!Number.isInteger(cols) || cols < 1)
    throw new ValidationError(`${fn}: cols must be an integer >= 1; got ${cols}`);
  if (!Number.isInteger(scale) || scale < 1 || scale > 64) {
    throw new ValidationError(`${fn}: scale must be an integer in 1..64; got ${scale}`);
  }
  if (!Number.isInteger(pad) || pad < 0)
    throw new ValidationError(`${fn}: padding must be an integer >= 0; got ${pad}`);
  const gridCols = Math.min(cols, Math.max(1, n));
  const rows = Math.max(1, Math.ceil(n / cols));
  const outW = gridCols * w * scale + (gridCols + 1) * pad;
  const outH = rows * h * scale + (rows + 1) * pad;
  if (outW * outH > 100_000_000) throw new ValidationError(`${fn}: ${outW}x${outH} pixels is too large`);
  return { n, w, h, cols: gridCols, rows, scale, pad, outW, outH };
}

/**
 * Lays out the rows of `images` (n × width·height) in a grid and encodes it as PNG bytes.
 * Non-finite values are drawn as the lowest intensity. Example:
 *   writeFileSync('digits.png', imageGridPng(X.rowSlice(0, 100), { width: 28, height: 28, cols: 10, scale: 2 }))
 */
export function imageGridPng(images: MatrixLike, options: ImageGridOptions): Uint8Array {
  // toMatrix packs views: a row slice (X.rowSlice(100, 200)) is read from its own first row.
  const M = toMatrix(images, 'images', { allowNonFinite: true, minSamples: 0 });
  const p = plan(M.rows, M.cols, options);
  const normalize = options.normalize ?? 'global';
  if (normalize !== 'global' && normalize !== 'each' && normalize !== 'none') {
    throw new ValidationError(
      `imageGridPng: normalize must be 'global', 'each' or 'none'; got ${String(normalize)}`,
    );
  }
  checkEnum('imageGridPng', 'colormap', options.colormap, ['gray', 'viridis', 'diverging']);
  checkNumber('imageGridPng', 'background', options.background, 0, 1);
  const cmap = options.colormap ?? 'gray';
  const symmetric = options.symmetric ?? false;
  const invert = options.invert ?? false;
  const bg = options.background ?? 1;
  const rgb = cmap !== 'gray';
  const bpp = rgb ? 3 : 1;
  const out = new Uint8Array(p.outW * p.outH * bpp);
  // Background.
  if (rgb) {
    for (let i = 0; i < p.outW * p.outH; i++) colormapRgb('gray', bg, out, i * 3);
  } else out.fill(Math.round(bg * 255));

  const data = M.data;
  const d = M.cols;
  const [gLo, gHi] = range(data, 0, M.rows * d, symmetric);
  const color = new Uint8Array(3);
  for (let k = 0; k < p.n; k++) {
    const base = k * d;
    let lo = 0;
    let hi = 1;
    if (normalize === 'global') [lo, hi] = [gLo, gHi];
    else if (normalize === 'each') [lo, hi] = range(data, base, base + d, symmetric);
    const span = hi > lo ? hi - lo : 1;
    const gx = k % p.cols;
    const gy = Math.floor(k / p.cols);
    const x0 = p.pad + gx * (p.w * p.scale + p.pad);
    const y0 = p.pad + gy * (p.h * p.scale + p.pad);
    for (let r = 0; r < p.h; r++) {
      for (let c = 0; c < p.w; c++) {
        const v = data[base + r * p.w + c]!;
        let t = Number.isFinite(v) ? (v - lo) / span : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        if (invert && !rgb) t = 1 - t;
        if (rgb) colormapRgb(cmap, t, color, 0);
        const g = Math.round(t * 255);
        for (let sy = 0; sy < p.scale; sy++) {
          let at = ((y0 + r * p.scale + sy) * p.outW + x0 + c * p.scale) * bpp;
          for (let sx = 0; sx < p.scale; sx++) {
            if (rgb) {
              out[at] = color[0]!;
              out[at + 1] = color[1]!;
              out[at + 2] = color[2]!;
            } else out[at] = g;
            at += bpp;
          }
        }
      }
    }
  }
  return encodePng(out, p.outW, p.outH, rgb ? 'rgb' : 'gray');
}

function range(data: ArrayLike<number>, from: number, to: number, symmetric: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  if (symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return [-m, m];
  }
  return [lo, hi];
}

/**
 * Encodes raw 8-bit pixels as PNG: `pixels` holds width·height values ('gray'), ×3 ('rgb') or
 * ×4 ('rgba'), row-major.
 */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  kind: 'gray' | 'rgb' | 'rgba',
): Uint8Array {
  checkEnum('encodePng', 'kind', kind, ['gray', 'rgb', 'rgba']);
  checkNumber('encodePng', 'width', width, 1, 2 ** 31 - 1, true);
  checkNumber('encodePng', 'height', height, 1, 2 ** 31 - 1, true);
  const bpp = kind === 'gray' ? 1 : kind === 'rgb' ? 3 : 4;
  if (pixels.length !== width * height * bpp) {
    throw new ValidationError(
      `encodePng: ${kind} pixels need ${width * height * bpp} bytes; got ${pixels.length}`,
    );
  }
  return encodePngLib({ width, height, data: pixels, depth: 8, channels: bpp });
}

export interface LabelledGridOptions extends ImageGridOptions {
  /** Text left of each grid row (e.g. 'original', 'autoencoder', 'PCA'). */
  rowLabels?: string[];
  /** Text above each grid column (e.g. digits, latent values). */
  colLabels?: string[];
  title?: string;
}

/**
 * An image grid with row/column labels, as SVG with the grid embedded as a PNG data URI (one file,
 * crisp pixels). For figures like the decks' "original / autoencoder / PCA" rows.
 */
export function labelledImageGridSvg(images: MatrixLike, options: LabelledGridOptions): string {
  const M = toMatrix(images, 'images', { allowNonFinite: true, minSamples: 0 });
  const p = plan(M.rows, M.cols, options, 'labelledImageGridSvg');
  const png = imageGridPng(M, options);
  const rowLabels = options.rowLabels ?? [];
  const colLabels = options.colLabels ?? [];
  const left = rowLabels.length ? Math.ceil(Math.max(...rowLabels.map((s) => s.length)) * 6.6) + 10 : 0;
  const top = (options.title ? 24 : 0) + (colLabels.length ? 16 : 0);
  const width = left + p.outW;
  const height = top + p.outH;
  const cellW = p.w * p.scale + p.pad;
  const cellH = p.h * p.scale + p.pad;
  let body = `<image x="${left}" y="${top}" width="${p.outW}" height="${p.outH}" style="image-rendering:pixelated" href="data:image/png;base64,${base64(png)}"/>`;
  rowLabels.slice(0, p.rows).forEach((s, r) => {
    body += `<text x="${left - 6}" y="${top + p.pad + r * cellH + (p.h * p.scale) / 2}" text-anchor="end" dominant-baseline="central">${escapeXml(s)}</text>`;
  });
  colLabels.slice(0, p.cols).forEach((s, c) => {
    body += `<text x="${left + p.pad + c * cellW + (p.w * p.scale) / 2}" y="${top - 4}" text-anchor="middle">${escapeXml(s)}</text>`;
  });
  if (options.title) {
    body += `<text x="${left + p.outW / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${escapeXml(options.title)}</text>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" font-size="11" fill="#222">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${body}</svg>`
  );
}

/** Base64 of bytes, without Node's Buffer (browsers have btoa). */
export function base64(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(enc: string): string } } }).Buffer;
  if (B) return B.from(bytes).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
