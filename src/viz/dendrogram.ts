/**
 * Dendrogram of a hierarchical clustering as an SVG string (seed deck 000, Figure 2: "bottom up
 * (agglomerative) hierarchy of clusters"), drawn from a scipy-style linkage matrix as
 * scipy.cluster.hierarchy.dendrogram does: leaves in `leaves_list` order (left child first), each
 * merge a ∏-shaped link at its height, a parent's x the midpoint of its children's.
 *
 * Large trees are truncated like scipy's truncate_mode='lastp': only the last `maxLeaves` clusters
 * are drawn, collapsed subtrees labelled with their size in parentheses. Links can be coloured by
 * the flat clusters of a cut (`nClusters`), and leaves by a class label (e.g. the true digit).
 */
import { checkLinkageMatrix } from '../cluster/linkage.js';
import { ValidationError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { checkNumber, checkSize } from './check.js';
import { categoricalColor } from './colors.js';
import { escapeXml, formatNumber, niceTicks, px } from './format.js';
import { FONT } from './axes.js';
import { encodePng } from './png.js';

export interface DendrogramOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Leaf labels (length n); default: the leaf index, or "(size)" for collapsed clusters. */
  labels?: string[];
  /** A class per leaf (length n): leaf labels are drawn in that class's colour. */
  leafClasses?: ArrayLike<number>;
  /** Colour the links below the cut into this many clusters by cluster (default: no colouring). */
  nClusters?: number;
  /** Draw at most this many leaves (scipy's truncate_mode='lastp'; default 120). */
  maxLeaves?: number;
  /** y-axis label (default "merge height"). */
  yLabel?: string;
}

/**
 * The linkage data and leaf count, after checking Z and the options: a malformed Z (a length that is
 * not a multiple of 4, a node merged twice) used to send the layout into an endless loop.
 */
function checked(
  fn: string,
  Z: Matrix | Float64Array,
  options: DendrogramOptions,
): { z: Float64Array; n: number } {
  let z: Float64Array;
  if (Z instanceof Matrix) {
    if (Z.cols !== 4)
      throw new ValidationError(`${fn}: Z must have 4 columns (a, b, height, size); got ${Z.cols}`);
    z = Float64Array.from(Z.contiguous().data);
  } else if (Z instanceof Float64Array) {
    if (Z.length % 4 !== 0) throw new ValidationError(`${fn}: Z has ${Z.length} values, not a multiple of 4`);
    z = Z;
  } else {
    throw new ValidationError(`${fn}: Z must be a linkage Matrix ((n-1) x 4) or its Float64Array data`);
  }
  const n = z.length / 4 + 1;
  checkLinkageMatrix(z, n, 'Z');
  checkSize(fn, options.width, options.height);
  checkNumber(fn, 'maxLeaves', options.maxLeaves, 2, Number.MAX_SAFE_INTEGER, true);
  checkNumber(fn, 'nClusters', options.nClusters, 1, n, true);
  if (options.labels !== undefined && options.labels.length !== n) {
    throw new ValidationError(`${fn}: labels has ${options.labels.length} entries, but Z has n=${n} leaves`);
  }
  if (options.leafClasses !== undefined && options.leafClasses.length !== n) {
    throw new ValidationError(
      `${fn}: leafClasses has ${options.leafClasses.length} entries, but Z has n=${n} leaves`,
    );
  }
  return { z, n };
}

/** The nodes left after undoing the last p − 1 merges (the top p clusters). */
function topClusters(Z: ArrayLike<number>, n: number, p: number): Set<number> {
  const out = new Set<number>([2 * n - 2]);
  for (let r = n - 2; r >= 0 && out.size < p; r--) {
    const node = n + r;
    if (!out.has(node)) continue;
    out.delete(node);
    out.add(Z[r * 4]!);
    out.add(Z[r * 4 + 1]!);
  }
  return out;
}

interface Layout {
  leafOrder: number[];
  xOf: Map<number, number>;
  yOf: Map<number, number>;
  colour: Map<number, string>;
  isLeaf: (node: number) => boolean;
  sizeOf: (node: number) => number;
  hMax: number;
}

/** Leaf order, node positions (x in leaf units, y = height) and cut colours, shared by SVG and PNG. */
function layout(z: ArrayLike<number>, n: number, maxLeaves: number, nClusters: number | undefined): Layout {
  const shown = n > maxLeaves ? topClusters(z, n, maxLeaves) : null;
  const isLeaf = (node: number) => node < n || (shown !== null && shown.has(node));
  const sizeOf = (node: number) => (node < n ? 1 : z[(node - n) * 4 + 3]!);

  // Flat-cluster colour of each node: a node is coloured when all of it lies in one cut cluster.
  const colour = new Map<number, string>();
  if (nClusters !== undefined && nClusters > 1) {
    const roots = topClusters(z, n, nClusters);
    let c = 0;
    for (const r of [...roots].sort((a, b) => a - b)) {
      const col = categoricalColor(c++);
      const stack = [r];
      while (stack.length > 0) {
        const node = stack.pop()!;
        colour.set(node, col);
        if (node >= n) stack.push(z[(node - n) * 4]!, z[(node - n) * 4 + 1]!);
      }
    }
  }

  // Leaf order and x positions (iterative post-order, left child first).
  const xOf = new Map<number, number>();
  const yOf = new Map<number, number>();
  const leafOrder: number[] = [];
  const stack: [number, boolean][] = [[2 * n - 2, false]];
  while (stack.length > 0) {
    const [node, done] = stack.pop()!;
    if (isLeaf(node)) {
      xOf.set(node, leafOrder.length);
      yOf.set(node, 0);
      leafOrder.push(node);
      continue;
    }
    const r = node - n;
    const a = z[r * 4]!;
    const b = z[r * 4 + 1]!;
    if (!done) {
      stack.push([node, true], [b, false], [a, false]);
    } else {
      xOf.set(node, (xOf.get(a)! + xOf.get(b)!) / 2);
      yOf.set(node, z[r * 4 + 2]!);
    }
  }
  let hMax = 0;
  for (let r = 0; r < n - 1; r++) if (z[r * 4 + 2]! > hMax) hMax = z[r * 4 + 2]!;
  if (!(hMax > 0)) hMax = 1;
  return { leafOrder, xOf, yOf, colour, isLeaf, sizeOf, hMax };
}

/**
 * @param Z linkage matrix ((n−1) × 4 Matrix, or its row-major data), e.g.
 *   `new AgglomerativeClustering({ nClusters: 3 }).fit(X).linkageMatrix`.
 */
export function dendrogramSvg(Z: Matrix | Float64Array, options: DendrogramOptions = {}): string {
  const { z, n } = checked('dendrogramSvg', Z, options);
  const width = options.width ?? 900;
  const height = options.height ?? 420;
  const maxLeaves = options.maxLeaves ?? 120;
  const left = 60;
  const right = 20;
  const top = options.title ? 34 : 14;
  const bottom = 56;
  if (n < 2) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>`;

  const { leafOrder, xOf, yOf, colour, isLeaf, sizeOf, hMax } = layout(z, n, maxLeaves, options.nClusters);
  const nl = leafOrder.length;
  const x0 = left;
  const x1 = width - right;
  const y0 = top;
  const y1 = height - bottom;
  const { ticks } = niceTicks(0, hMax, 5);
  const yTop = Math.max(hMax, ticks[ticks.length - 1] ?? hMax);
  const sx = (v: number) => x0 + ((v + 0.5) / nl) * (x1 - x0);
  const sy = (v: number) => y1 - (v / yTop) * (y1 - y0);

  const parts: string[] = [];
  // y axis
  parts.push(`<line x1="${px(x0)}" y1="${px(y0)}" x2="${px(x0)}" y2="${px(y1)}" stroke="#999"/>`);
  for (const t of ticks) {
    const y = sy(t);
    parts.push(`<line x1="${px(x0 - 4)}" y1="${px(y)}" x2="${px(x1)}" y2="${px(y)}" stroke="#eee"/>`);
    parts.push(
      `<text x="${px(x0 - 6)}" y="${px(y + 3)}" text-anchor="end" fill="#555">${escapeXml(formatNumber(t, 3))}</text>`,
    );
  }
  const yl = options.yLabel ?? 'merge height';
  parts.push(
    `<text transform="translate(14 ${px((y0 + y1) / 2)}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(yl)}</text>`,
  );
  // links
  for (let r = 0; r < n - 1; r++) {
    const node = n + r;
    if (!xOf.has(node) || isLeaf(node)) continue;
    const a = z[r * 4]!;
    const b = z[r * 4 + 1]!;
    const h = sy(z[r * 4 + 2]!);
    const col = colour.get(node) ?? '#555';
    parts.push(
      `<path d="M${px(sx(xOf.get(a)!))} ${px(sy(yOf.get(a)!))}V${px(h)}H${px(sx(xOf.get(b)!))}V${px(sy(yOf.get(b)!))}" fill="none" stroke="${col}" stroke-width="1.2"/>`,
    );
  }
  // leaf labels (skipped when too dense to read)
  const step = (x1 - x0) / nl;
  if (step >= 6) {
    const fs = Math.min(11, Math.max(6, step * 0.9));
    for (const leaf of leafOrder) {
      const text = leaf < n ? (options.labels?.[leaf] ?? String(leaf)) : `(${sizeOf(leaf)})`;
      const cls = leaf < n && options.leafClasses ? categoricalColor(options.leafClasses[leaf]!) : '#333';
      const x = sx(xOf.get(leaf)!);
      parts.push(
        `<text transform="translate(${px(x + fs / 3)} ${px(y1 + 6)}) rotate(90)" font-size="${px(fs)}" fill="${cls}">${escapeXml(text)}</text>`,
      );
    }
  }
  const title = options.title
    ? `<text x="${px((x0 + x1) / 2)}" y="20" text-anchor="middle" font-size="13" font-weight="600" fill="#222">${escapeXml(options.title)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="11">` +
    (options.title ? `<title>${escapeXml(options.title)}</title>` : '') +
    `<rect width="${width}" height="${height}" fill="#fff"/>${title}${parts.join('')}</svg>`
  );
}

/**
 * The same dendrogram as a PNG (links only, no text): for very large trees or where SVG is not
 * wanted. `leafClasses` adds a colour strip under the leaves.
 */
export function dendrogramPng(Z: Matrix | Float64Array, options: DendrogramOptions = {}): Uint8Array {
  const { z, n } = checked('dendrogramPng', Z, options);
  const width = options.width ?? 900;
  const height = options.height ?? 420;
  const px4 = new Uint8Array(width * height * 4).fill(255);
  if (n < 2) return encodePng(px4, width, height, 'rgba');
  const { leafOrder, xOf, yOf, colour, isLeaf, hMax } = layout(
    z,
    n,
    options.maxLeaves ?? 120,
    options.nClusters,
  );
  const pad = 10;
  const strip = options.leafClasses ? 10 : 0;
  const x0 = pad;
  const x1 = width - pad;
  const y0 = pad;
  const y1 = height - pad - strip;
  const nl = leafOrder.length;
  const sx = (v: number) => Math.round(x0 + ((v + 0.5) / nl) * (x1 - x0));
  const sy = (v: number) => Math.round(y1 - (v / hMax) * (y1 - y0));
  const rgb = (hex: string): [number, number, number] => [
    parseInt(hex.slice(1, 3), 16),
    parseInt(hex.slice(3, 5), 16),
    parseInt(hex.slice(5, 7), 16),
  ];
  const set = (x: number, y: number, c: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = (y * width + x) * 4;
    px4[o] = c[0];
    px4[o + 1] = c[1];
    px4[o + 2] = c[2];
  };
  const vline = (x: number, ya: number, yb: number, c: [number, number, number]) => {
    for (let y = Math.min(ya, yb); y <= Math.max(ya, yb); y++) set(x, y, c);
  };
  const hline = (xa: number, xb: number, y: number, c: [number, number, number]) => {
    for (let x = Math.min(xa, xb); x <= Math.max(xa, xb); x++) set(x, y, c);
  };
  for (let r = 0; r < n - 1; r++) {
    const node = n + r;
    if (!xOf.has(node) || isLeaf(node)) continue;
    const a = z[r * 4]!;
    const b = z[r * 4 + 1]!;
    const c = rgb(colour.get(node) ?? '#555555');
    const h = sy(z[r * 4 + 2]!);
    vline(sx(xOf.get(a)!), sy(yOf.get(a)!), h, c);
    vline(sx(xOf.get(b)!), sy(yOf.get(b)!), h, c);
    hline(sx(xOf.get(a)!), sx(xOf.get(b)!), h, c);
  }
  if (options.leafClasses) {
    const classes = options.leafClasses;
    // A collapsed cluster (truncated tree) shows the majority class of its members.
    const classOf = (node: number): number => {
      if (node < n) return classes[node]!;
      const counts = new Map<number, number>();
      const stack = [node];
      while (stack.length > 0) {
        const v = stack.pop()!;
        if (v < n) counts.set(classes[v]!, (counts.get(classes[v]!) ?? 0) + 1);
        else stack.push(z[(v - n) * 4]!, z[(v - n) * 4 + 1]!);
      }
      let best = 0;
      let bc = -1;
      for (const [c, m] of counts) if (m > bc) [best, bc] = [c, m];
      return best;
    };
    for (const leaf of leafOrder) {
      const c = rgb(categoricalColor(classOf(leaf)));
      const x = sx(xOf.get(leaf)!);
      const half = Math.max(0, Math.floor((x1 - x0) / nl / 2));
      for (let dx = -half; dx <= half; dx++) vline(x + dx, y1 + 2, y1 + strip, c);
    }
  }
  return encodePng(px4, width, height, 'rgba');
}
