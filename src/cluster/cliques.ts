/**
 * Graph clustering with cliques (seed deck 000, "Graph clustering — cliques": a clique is a set of
 * nodes that all share edges with each other; Figure 4 shows the cliques with 2 and with 3 members,
 * nodes in several cliques drawn in several colours).
 *
 * - Graphs from data: ε-neighbourhood (i ~ j when ‖x_i − x_j‖ <= ε) or k-nearest-neighbour (i ~ j when
 *   j is among i's k nearest or i among j's; `mutual` requires both), through NearestNeighbors.
 * - Maximal cliques: Bron–Kerbosch with Tomita pivoting, outer loop in degeneracy order
 *   (Eppstein, Löffler & Strash 2010, "Listing all maximal cliques in sparse graphs in near-optimal
 *   time": O(d n 3^(d/3)) for degeneracy d).
 * - Cliques of a given size (all of them, not only maximal): ordered extension, each clique once.
 * - k-clique percolation communities (Palla, Derényi, Farkas & Vicsek 2005): the union of k-cliques
 *   reachable through k-cliques sharing k − 1 nodes. Computed, as networkx's k_clique_communities,
 *   from the maximal cliques of size >= k: two belong to one community iff they share >= k − 1 nodes.
 *   Communities may overlap; nodes in no k-clique belong to none.
 * Outputs are sorted (each clique ascending, lists lexicographically), so results are deterministic.
 */
import { ValidationError } from '../core/errors.js';
import {
  fitted,
  registerModel,
  serialisableOptions,
  stateArray,
  type ModelState,
} from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { NearestNeighbors, symmetricAdjacency } from '../neighbors/index.js';

/** An undirected simple graph as sorted adjacency lists (no self-loops). */
export interface Graph {
  n: number;
  adjacency: Int32Array[];
}

/**
 * Throws unless g is a Graph as this module builds them: an integer n >= 0 and n adjacency lists
 * (Int32Array), each strictly ascending, within 0..n−1, without self-loops, and symmetric
 * (j in adjacency[i] iff i in adjacency[j]). The clique searches rely on all of it.
 */
export function checkGraph(g: Graph, name = 'g'): void {
  if (!g || typeof g !== 'object' || !Number.isInteger(g.n) || g.n < 0 || !Array.isArray(g.adjacency)) {
    throw new ValidationError(`${name} must be a Graph { n: integer >= 0, adjacency: Int32Array[] }`);
  }
  const { n, adjacency } = g;
  if (adjacency.length !== n) {
    throw new ValidationError(`${name}.adjacency has ${adjacency.length} lists, but ${name}.n=${n}`);
  }
  for (let i = 0; i < n; i++) {
    const a = adjacency[i];
    if (!(a instanceof Int32Array))
      throw new ValidationError(`${name}.adjacency[${i}] must be an Int32Array`);
    for (let t = 0; t < a.length; t++) {
      const j = a[t]!;
      if (j < 0 || j >= n || j === i || (t > 0 && j <= a[t - 1]!)) {
        throw new ValidationError(
          `${name}.adjacency[${i}] must be strictly ascending node ids in 0..${n - 1} other than ${i}; got ${j} at position ${t}`,
        );
      }
      if (!binaryHas(adjacency[j]!, i)) {
        throw new ValidationError(
          `${name} is not symmetric: ${j} is a neighbour of ${i}, but ${i} is not a neighbour of ${j}`,
        );
      }
    }
  }
}

/** Builds a Graph from an edge list (i, j pairs); duplicate edges and self-loops are dropped. */
export function graphFromEdges(n: number, edges: ArrayLike<readonly [number, number]>): Graph {
  if (!(Number.isInteger(n) && n >= 0)) throw new ValidationError(`n must be an integer >= 0; got ${n}`);
  const sets: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let e = 0; e < edges.length; e++) {
    const [a, b] = edges[e]!;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n)) {
      throw new ValidationError(`edge ${e} = (${a}, ${b}) has a node outside 0..${n - 1}`);
    }
    if (a === b) continue;
    sets[a]!.add(b);
    sets[b]!.add(a);
  }
  return { n, adjacency: sets.map((s) => Int32Array.from([...s].sort((x, y) => x - y))) };
}

/** ε-neighbourhood graph of X's rows. */
export function epsilonGraph(X: MatrixLike, radius: number): Graph {
  const nn = new NearestNeighbors({ radius }).fit(X);
  const g = nn.radiusNeighborsGraph(undefined, radius);
  return { n: g.nRows, adjacency: symmetricAdjacency(g) };
}

/** k-NN graph of X's rows (symmetrised; `mutual`: keep only mutual neighbours). */
export function knnGraph(X: MatrixLike, k: number, mutual = false): Graph {
  const nn = new NearestNeighbors({ nNeighbors: k }).fit(X);
  const g = nn.kneighborsGraph(undefined, k);
  return { n: g.nRows, adjacency: symmetricAdjacency(g, mutual) };
}

/** Number of edges. */
export function edgeCount(g: Graph): number {
  checkGraph(g);
  let m = 0;
  for (const a of g.adjacency) m += a.length;
  return m / 2;
}

/** Degeneracy ordering (repeatedly remove a minimum-degree node; Matula & Beck 1983, bucket queue). */
export function degeneracyOrder(g: Graph): { order: Int32Array; degeneracy: number } {
  checkGraph(g);
  return degeneracy(g);
}

function degeneracy(g: Graph): { order: Int32Array; degeneracy: number } {
  const n = g.n;
  const deg = Int32Array.from(g.adjacency, (a) => a.length);
  let maxDeg = 0;
  for (const d of deg) if (d > maxDeg) maxDeg = d;
  const buckets: Set<number>[] = Array.from({ length: maxDeg + 1 }, () => new Set<number>());
  for (let v = 0; v < n; v++) buckets[deg[v]!]!.add(v);
  const removed = new Uint8Array(n);
  const order = new Int32Array(n);
  let degeneracy = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    d = Math.max(0, d - 1);
    while (buckets[d]!.size === 0) d++;
    // smallest id in the bucket, for determinism
    let v = Infinity;
    for (const u of buckets[d]!) if (u < v) v = u;
    buckets[d]!.delete(v);
    removed[v] = 1;
    order[i] = v;
    if (d > degeneracy) degeneracy = d;
    for (const u of g.adjacency[v]!) {
      if (removed[u]) continue;
      buckets[deg[u]!]!.delete(u);
      deg[u]!--;
      buckets[deg[u]!]!.add(u);
    }
  }
  return { order, degeneracy };
}

function sortCliques(cs: number[][]): number[][] {
  for (const c of cs) c.sort((a, b) => a - b);
  return cs.sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
}

/**
 * All maximal cliques with at least `minSize` nodes (default 1: isolated nodes are maximal cliques
 * of size 1).
 */
export function maximalCliques(g: Graph, minSize = 1): number[][] {
  checkGraph(g);
  if (!Number.isInteger(minSize) || minSize < 1) {
    throw new ValidationError(`minSize must be an integer >= 1; got ${minSize}`);
  }
  return maximal(g, minSize);
}

function maximal(g: Graph, minSize: number): number[][] {
  const nbr: Set<number>[] = g.adjacency.map((a) => new Set(a));
  const out: number[][] = [];
  const { order } = degeneracy(g);
  const pos = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) pos[order[i]!] = i;
  const R: number[] = [];
  const expand = (P: number[], X: number[]): void => {
    if (P.length === 0) {
      if (X.length === 0 && R.length >= minSize) out.push(R.slice());
      return;
    }
    if (R.length + P.length < minSize) return;
    // Tomita pivot: the node of P ∪ X with the most neighbours in P.
    let pivot = -1;
    let best = -1;
    for (const cand of [P, X]) {
      for (const u of cand) {
        let c = 0;
        const nu = nbr[u]!;
        for (const v of P) if (nu.has(v)) c++;
        if (c > best) {
          best = c;
          pivot = u;
        }
      }
    }
    const np = nbr[pivot]!;
    const todo = P.filter((v) => !np.has(v));
    let Pc = P.slice();
    const Xc = X.slice();
    for (const v of todo) {
      const nv = nbr[v]!;
      R.push(v);
      expand(
        Pc.filter((u) => nv.has(u)),
        Xc.filter((u) => nv.has(u)),
      );
      R.pop();
      Pc = Pc.filter((u) => u !== v);
      Xc.push(v);
    }
  };
  for (let i = 0; i < g.n; i++) {
    const v = order[i]!;
    const P: number[] = [];
    const X: number[] = [];
    for (const u of g.adjacency[v]!) (pos[u]! > i ? P : X).push(u);
    R.push(v);
    expand(P, X);
    R.pop();
  }
  return sortCliques(out);
}

/** Every clique with exactly `size` nodes (size 2: the edges; 3: the triangles; ...). */
export function cliquesOfSize(g: Graph, size: number): number[][] {
  checkGraph(g);
  if (!Number.isInteger(size) || size < 1)
    throw new ValidationError(`size must be an integer >= 1; got ${size}`);
  const out: number[][] = [];
  const R: number[] = [];
  // Extend only with higher-numbered common neighbours, so each clique is produced once.
  const extend = (cand: Int32Array | number[]): void => {
    if (R.length === size) {
      out.push(R.slice());
      return;
    }
    for (let t = 0; t < cand.length; t++) {
      const v = cand[t]!;
      const nv = g.adjacency[v]!;
      const next: number[] = [];
      for (let s = t + 1; s < cand.length; s++) {
        const u = cand[s]!;
        if (binaryHas(nv, u)) next.push(u);
      }
      if (R.length + 1 + next.length < size) continue;
      R.push(v);
      extend(next);
      R.pop();
    }
  };
  const all = Int32Array.from({ length: g.n }, (_, i) => i);
  if (size === 1) return Array.from(all, (v) => [v]);
  for (let v = 0; v < g.n; v++) {
    const higher = Array.from(g.adjacency[v]!).filter((u) => u > v);
    if (higher.length + 1 < size) continue;
    R.push(v);
    extend(higher);
    R.pop();
  }
  return sortCliques(out);
}

function binaryHas(a: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo < a.length && a[lo] === x;
}

/** k-clique percolation communities (overlapping node sets), sorted. */
export function kCliqueCommunities(g: Graph, k: number): number[][] {
  checkGraph(g);
  if (!Number.isInteger(k) || k < 2) throw new ValidationError(`k must be an integer >= 2; got ${k}`);
  const cliques = maximal(g, k);
  const m = cliques.length;
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  // Only cliques that share a node can share k − 1 nodes: compare through a node → cliques index.
  const byNode: number[][] = Array.from({ length: g.n }, () => []);
  cliques.forEach((c, i) => c.forEach((v) => byNode[v]!.push(i)));
  const sets = cliques.map((c) => new Set(c));
  for (let i = 0; i < m; i++) {
    const seen = new Set<number>();
    for (const v of cliques[i]!) {
      for (const j of byNode[v]!) {
        if (j <= i || seen.has(j)) continue;
        seen.add(j);
        if (find(i) === find(j)) continue;
        let shared = 0;
        for (const u of cliques[i]!) if (sets[j]!.has(u)) shared++;
        if (shared >= k - 1) parent[find(i)] = find(j);
      }
    }
  }
  const groups = new Map<number, Set<number>>();
  for (let i = 0; i < m; i++) {
    const r = find(i);
    let s = groups.get(r);
    if (!s) groups.set(r, (s = new Set()));
    for (const v of cliques[i]!) s.add(v);
  }
  return sortCliques([...groups.values()].map((s) => [...s]));
}

export interface CliqueClusteringOptions {
  /** How the graph is built from X: 'knn' (default) or 'epsilon'. */
  graph: 'knn' | 'epsilon';
  /** Neighbours per point for the k-NN graph (integer >= 1; default 10). */
  nNeighbors: number;
  /** Keep only mutual k-NN edges (default false). */
  mutual: boolean;
  /** ε for the ε-neighbourhood graph (> 0; default 1). */
  radius: number;
  /** Clique size k of the percolation (integer >= 2; default 3). */
  k: number;
}

export const CLIQUE_CLUSTERING_DEFAULTS: Readonly<CliqueClusteringOptions> = Object.freeze({
  graph: 'knn',
  nNeighbors: 10,
  mutual: false,
  radius: 1,
  k: 3,
});

const TABLE: ConstraintTable<CliqueClusteringOptions> = {
  graph: { type: 'enum', values: ['knn', 'epsilon'] },
  nNeighbors: { type: 'int', min: 1 },
  mutual: { type: 'boolean' },
  radius: { type: 'number', min: 0, exclusiveMin: true },
  k: { type: 'int', min: 2 },
};

/**
 * Clustering by k-clique percolation on a neighbourhood graph of the data. `labels[i]` is the
 * (largest) community containing node i, or −1 when i is in no k-clique; `communities` lists every
 * (possibly overlapping) community.
 *
 * @example
 * const cc = new CliqueClustering({ graph: 'knn', nNeighbors: 8, k: 3 }).fit(X);
 * cc.communities; cc.labels; maximalCliques(cc.graph, 3);
 */
export class CliqueClustering {
  readonly options: Readonly<CliqueClusteringOptions>;
  private communities_?: number[][];
  private labels_?: Int32Array;
  private graph_?: Graph;

  constructor(options: Partial<CliqueClusteringOptions> = {}) {
    this.options = validateOptions('CliqueClustering', CLIQUE_CLUSTERING_DEFAULTS, TABLE, options);
  }

  /** The k-clique communities: ascending node lists, possibly overlapping, sorted. */
  get communities(): number[][] {
    return fitted(this.communities_, 'CliqueClustering');
  }
  /** Community of each point (nSamples): the largest community containing it, or −1 when in none. */
  get labels(): Int32Array {
    return fitted(this.labels_, 'CliqueClustering');
  }
  /** The neighbourhood graph built by fit. */
  get graph(): Graph {
    return fitted(this.graph_, 'CliqueClustering');
  }

  /** Builds the neighbourhood graph of X (nSamples × nFeatures) and its k-clique communities; returns this. */
  fit(X: MatrixLike): this {
    const o = this.options;
    const M = toMatrix(X, 'X');
    if (o.graph === 'knn' && M.rows <= o.nNeighbors) {
      throw new ValidationError(`nSamples=${M.rows} must be > nNeighbors=${o.nNeighbors}`);
    }
    const g = o.graph === 'knn' ? knnGraph(M, o.nNeighbors, o.mutual) : epsilonGraph(M, o.radius);
    this.graph_ = g;
    this.setCommunities(kCliqueCommunities(g, o.k), g.n);
    return this;
  }

  /** fit(X) then its labels (nSamples). */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).labels;
  }

  private setCommunities(cs: number[][], n: number): void {
    this.communities_ = cs;
    const labels = new Int32Array(n).fill(-1);
    const size = new Int32Array(n);
    cs.forEach((c, i) => {
      for (const v of c) {
        if (labels[v] === -1 || c.length > size[v]!) {
          labels[v] = i;
          size[v] = c.length;
        }
      }
    });
    this.labels_ = labels;
  }

  /** The fitted state, for io/saveModel. */
  getState(): ModelState {
    const cs = this.communities;
    const n = this.labels.length;
    const flat = Int32Array.from(cs.flat());
    const lens = Int32Array.from(cs, (c) => c.length);
    return {
      className: 'CliqueClustering',
      version: 1,
      options: serialisableOptions(this.options),
      meta: { nSamples: n },
      arrays: { members: { data: flat, shape: [flat.length] }, sizes: { data: lens, shape: [lens.length] } },
    };
  }

  /** Rebuilds a fitted model from its state (used by loadModel). */
  static fromState(state: ModelState): CliqueClustering {
    const m = new CliqueClustering(state.options as Partial<CliqueClusteringOptions>);
    const flat = stateArray(state, 'members', Int32Array).data;
    const lens = stateArray(state, 'sizes', Int32Array).data;
    const cs: number[][] = [];
    let o = 0;
    for (const l of lens) {
      cs.push(Array.from(flat.subarray(o, o + l)));
      o += l;
    }
    m.setCommunities(cs, Number(state.meta.nSamples));
    return m;
  }
}

registerModel('CliqueClustering', (s) => CliqueClustering.fromState(s));
