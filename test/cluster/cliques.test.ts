import { describe, expect, it } from 'vitest';
import {
  CliqueClustering,
  cliquesOfSize,
  degeneracyOrder,
  epsilonGraph,
  graphFromEdges,
  kCliqueCommunities,
  knnGraph,
  maximalCliques,
  type Graph,
} from '../../src/cluster/index.js';
import { Rng } from '../../src/core/rng.js';

function randomGraph(n: number, p: number, seed: number): Graph {
  const r = new Rng(seed);
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (r.random() < p) edges.push([i, j]);
  return graphFromEdges(n, edges);
}

/** Brute force over all subsets (n <= 14). */
function bruteCliques(g: Graph): { all: number[][]; maximal: number[][] } {
  const n = g.n;
  const adj = g.adjacency.map((a) => new Set(a));
  const isClique = (s: number[]) => s.every((a, i) => s.slice(i + 1).every((b) => adj[a]!.has(b)));
  const all: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const s: number[] = [];
    for (let v = 0; v < n; v++) if (mask & (1 << v)) s.push(v);
    if (isClique(s)) all.push(s);
  }
  const maximal = all.filter(
    (s) =>
      !Array.from({ length: n }, (_, v) => v).some((v) => !s.includes(v) && s.every((u) => adj[u]!.has(v))),
  );
  const sort = (cs: number[][]) =>
    cs.sort((a, b) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return a.length - b.length;
    });
  return { all: sort(all), maximal: sort(maximal) };
}

describe('cliques', () => {
  it('maximal cliques (Bron–Kerbosch, pivot, degeneracy order) equal brute force on random graphs', () => {
    for (let seed = 0; seed < 6; seed++) {
      const g = randomGraph(12, 0.2 + 0.1 * seed, seed);
      const ref = bruteCliques(g);
      expect(maximalCliques(g)).toEqual(ref.maximal);
      for (const size of [2, 3, 4])
        expect(cliquesOfSize(g, size)).toEqual(ref.all.filter((c) => c.length === size));
    }
  });

  it("the notes' figure: cliques with 2 and with 3 members", () => {
    // a small undirected graph: triangle 0-1-2, triangle 1-2-3, pendant edge 3-4
    const g = graphFromEdges(5, [
      [0, 1],
      [0, 2],
      [1, 2],
      [1, 3],
      [2, 3],
      [3, 4],
    ]);
    expect(cliquesOfSize(g, 3)).toEqual([
      [0, 1, 2],
      [1, 2, 3],
    ]);
    expect(cliquesOfSize(g, 2).length).toBe(6);
    expect(maximalCliques(g)).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [3, 4],
    ]);
    // the two triangles share an edge (k − 1 = 2 nodes): one 3-clique community
    expect(kCliqueCommunities(g, 3)).toEqual([[0, 1, 2, 3]]);
    // two triangles sharing only node 2: two communities, overlapping in 2
    const h = graphFromEdges(5, [
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 3],
      [2, 4],
      [3, 4],
    ]);
    expect(kCliqueCommunities(h, 3)).toEqual([
      [0, 1, 2],
      [2, 3, 4],
    ]);
    expect(degeneracyOrder(h).degeneracy).toBe(2);
  });

  it('graphs from data and the CliqueClustering estimator', () => {
    const X = [
      [0, 0],
      [0.5, 0],
      [0, 0.5],
      [10, 10],
      [10.5, 10],
      [10, 10.5],
      [20, 0],
    ];
    const e = epsilonGraph(X, 0.8);
    expect(Array.from(e.adjacency[0]!)).toEqual([1, 2]);
    expect(e.adjacency[6]!.length).toBe(0);
    const k = knnGraph(X, 2, true);
    expect(Array.from(k.adjacency[3]!)).toEqual([4, 5]);
    const cc = new CliqueClustering({ graph: 'epsilon', radius: 0.8, k: 3 }).fit(X);
    expect(cc.communities).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(Array.from(cc.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
    expect(() => new CliqueClustering({ nNeighbors: 10 }).fit(X)).toThrow(
      'nSamples=7 must be > nNeighbors=10',
    );
    expect(() => new CliqueClustering({ k: 1 })).toThrow(
      "The 'k' option of CliqueClustering must be an integer >= 2; got 1.",
    );
  });
});
