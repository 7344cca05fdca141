/**
 * Node-link drawing of an undirected graph as an SVG string, for the clique figure of seed deck 000
 * (Figure 4: cliques with 2 and with 3 members, "nodes with multiple colors belong to more than one
 * clique"). Each highlighted clique (or community) gets a colour: its edges are drawn in it, its area
 * is shaded, and a node in several cliques gets one ring per clique.
 */
import { ValidationError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { assertFinite } from '../core/validate.js';
import { checkNumber, checkSize } from './check.js';
import { categoricalColor } from './colors.js';
import { escapeXml, px } from './format.js';
import { FONT } from './axes.js';

export interface GraphSvgOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Node sets to highlight (cliques or communities), one colour each. */
  groups?: number[][];
  /** Text inside/next to each node (e.g. the digit label). */
  nodeLabels?: string[];
  /** Node radius in pixels (default 7). */
  nodeRadius?: number;
}

/** Convex hull (monotone chain) of 2-D points, counter-clockwise. */
function hull(pts: [number, number][]): [number, number][] {
  const p = pts.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0)
      lower.pop();
    lower.push(q);
  }
  const upper: [number, number][] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0)
      upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Node ids out of range used to throw a TypeError deep in the drawing, NaN positions to draw nothing. */
function checkGraphSvg(
  positions: Matrix,
  adjacency: ArrayLike<ArrayLike<number>>,
  options: GraphSvgOptions,
): void {
  const fn = 'graphSvg';
  if (!(positions instanceof Matrix) || positions.cols !== 2) {
    throw new ValidationError(`${fn}: positions must be an n x 2 Matrix`);
  }
  assertFinite(positions, 'positions');
  const n = positions.rows;
  if (!adjacency || adjacency.length !== n) {
    throw new ValidationError(
      `${fn}: adjacency has ${adjacency?.length} lists, but positions has n=${n} rows`,
    );
  }
  const inRange = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < n;
  for (let a = 0; a < n; a++) {
    const nb = adjacency[a]!;
    for (let t = 0; t < nb.length; t++) {
      if (!inRange(nb[t]))
        throw new ValidationError(`${fn}: adjacency[${a}][${t}] = ${nb[t]} is not a node id in 0..${n - 1}`);
    }
  }
  (options.groups ?? []).forEach((g, gi) => {
    for (const v of g)
      if (!inRange(v))
        throw new ValidationError(`${fn}: groups[${gi}] has ${v}, not a node id in 0..${n - 1}`);
  });
  if (options.nodeLabels !== undefined && options.nodeLabels.length !== n) {
    throw new ValidationError(
      `${fn}: nodeLabels has ${options.nodeLabels.length} entries, but there are n=${n} nodes`,
    );
  }
  checkSize(fn, options.width, options.height);
  checkNumber(fn, 'nodeRadius', options.nodeRadius, 0.5, 100);
}

/**
 * @param positions n × 2 node coordinates (any scale; fitted into the figure)
 * @param adjacency sorted neighbour lists (e.g. `Graph.adjacency` from cluster/cliques)
 */
export function graphSvg(
  positions: Matrix,
  adjacency: ArrayLike<ArrayLike<number>>,
  options: GraphSvgOptions = {},
): string {
  checkGraphSvg(positions, adjacency, options);
  const n = positions.rows;
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const r = options.nodeRadius ?? 7;
  const pad = 24 + r;
  const top = options.title ? 34 : 10;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, positions.get(i, 0));
    x1 = Math.max(x1, positions.get(i, 0));
    y0 = Math.min(y0, positions.get(i, 1));
    y1 = Math.max(y1, positions.get(i, 1));
  }
  const sx = (v: number) => pad + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (width - 2 * pad);
  const sy = (v: number) => top + pad + (y1 > y0 ? (y1 - v) / (y1 - y0) : 0.5) * (height - top - 2 * pad);
  const P: [number, number][] = Array.from({ length: n }, (_, i) => [
    sx(positions.get(i, 0)),
    sy(positions.get(i, 1)),
  ]);
  const groups = options.groups ?? [];
  const edgeColour = new Map<number, string>();
  const nodeGroups: number[][] = Array.from({ length: n }, () => []);
  groups.forEach((g, gi) => {
    const inG = new Set(g);
    for (const a of g) {
      nodeGroups[a]!.push(gi);
      const nb = adjacency[a]!;
      for (let t = 0; t < nb.length; t++) {
        const b = nb[t]!;
        if (b > a && inG.has(b)) edgeColour.set(a * n + b, categoricalColor(gi));
      }
    }
  });
  const parts: string[] = [];
  groups.forEach((g, gi) => {
    if (g.length < 3) return;
    const h = hull(g.map((v) => P[v]!));
    parts.push(
      `<polygon points="${h.map(([x, y]) => `${px(x)},${px(y)}`).join(' ')}" fill="${categoricalColor(gi)}" fill-opacity="0.12" stroke="none"/>`,
    );
  });
  for (let a = 0; a < n; a++) {
    const nb = adjacency[a]!;
    for (let t = 0; t < nb.length; t++) {
      const b = nb[t]!;
      if (b <= a) continue;
      const col = edgeColour.get(a * n + b);
      parts.push(
        `<line x1="${px(P[a]![0])}" y1="${px(P[a]![1])}" x2="${px(P[b]![0])}" y2="${px(P[b]![1])}" stroke="${col ?? '#bbb'}" stroke-width="${col ? 2.2 : 1}"/>`,
      );
    }
  }
  for (let i = 0; i < n; i++) {
    const [x, y] = P[i]!;
    const gs = nodeGroups[i]!;
    // one ring per group the node belongs to, outermost first
    for (let t = gs.length - 1; t >= 0; t--) {
      parts.push(
        `<circle cx="${px(x)}" cy="${px(y)}" r="${px(r + 3 * t)}" fill="${categoricalColor(gs[t]!)}" stroke="#fff" stroke-width="0.8"/>`,
      );
    }
    if (gs.length === 0)
      parts.push(`<circle cx="${px(x)}" cy="${px(y)}" r="${px(r)}" fill="#ddd" stroke="#888"/>`);
    const label = options.nodeLabels?.[i];
    if (label !== undefined) {
      parts.push(
        `<text x="${px(x)}" y="${px(y + 3.5)}" text-anchor="middle" font-size="10" fill="#111">${escapeXml(label)}</text>`,
      );
    }
  }
  const title = options.title
    ? `<title>${escapeXml(options.title)}</title><text x="${px(width / 2)}" y="20" text-anchor="middle" font-size="13" font-weight="600" fill="#222">${escapeXml(options.title)}</text>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="11"><rect width="${width}" height="${height}" fill="#fff"/>${title}${parts.join('')}</svg>`;
}
