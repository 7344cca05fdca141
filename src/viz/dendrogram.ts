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
import { Matrix } from '../core/matrix.js';
import { categoricalColor } from './colors.js';
import { escapeXml, formatNumber, niceTicks, px } from './format.js';
import { FONT } from './axes.js';

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

/**
 * @param Z linkage matrix ((n−1) × 4 Matrix, or its row-major data), e.g.
 *   `new AgglomerativeClustering({ nClusters: 3 }).fit(X).linkageMatrix`.
 */
export function dendrogramSvg(Z: Matrix | Float64Array, options: DendrogramOptions = {}): string {
  const z = Z instanceof Matrix ? Z.contiguous().data : Z;
  const n = z.length / 4 + 1;
  const width = options.width ?? 900;
  const height = options.height ?? 420;
  const maxLeaves = Math.max(2, options.maxLeaves ?? 120);
  const left = 60;
  const right = 20;
  const top = options.title ? 34 : 14;
  const bottom = 56;
  if (n < 2) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>`;

  const shown = n > maxLeaves ? topClusters(z, n, maxLeaves) : null;
  const isLeaf = (node: number) => node < n || (shown !== null && shown.has(node));
  const sizeOf = (node: number) => (node < n ? 1 : z[(node - n) * 4 + 3]!);

  // Flat-cluster colour of each node: a node is coloured when all of it lies in one cut cluster.
  const colour = new Map<number, string>();
  if (options.nClusters !== undefined && options.nClusters > 1) {
    const roots = topClusters(z, n, options.nClusters);
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
  const nl = leafOrder.length;
  const x0 = left;
  const x1 = width - right;
  const y0 = top;
  const y1 = height - bottom;
  const hMax =
    z[(n - 2) * 4 + 2]! > 0 ? Math.max(...Array.from({ length: n - 1 }, (_, r) => z[r * 4 + 2]!)) : 1;
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
