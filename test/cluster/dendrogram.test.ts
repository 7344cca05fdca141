import { describe, expect, it } from 'vitest';
import { linkage } from '../../src/cluster/index.js';
import { dendrogramSvg } from '../../src/viz/dendrogram.js';
import { Rng } from '../../src/core/rng.js';

describe('dendrogramSvg', () => {
  it('draws one link per merge with leaves in scipy order', () => {
    const Z = linkage([[0], [1], [3], [7]], 'single');
    const svg = dendrogramSvg(Z, { title: 'a <b>', labels: ['p0', 'p1', 'p2', 'p3'] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect((svg.match(/<path /g) ?? []).length).toBe(3);
    expect(svg).toContain('a &lt;b&gt;');
    // leaves_list for this tree is [3, 2, 0, 1]: p3 is drawn first
    const order = [...svg.matchAll(/>(p\d)</g)].map((m) => m[1]);
    expect(order).toEqual(['p3', 'p2', 'p0', 'p1']);
  });

  it('truncates large trees to the last p clusters', () => {
    const r = new Rng(1);
    const X = Array.from({ length: 300 }, () => [r.normal(), r.normal()]);
    const svg = dendrogramSvg(linkage(X, 'ward'), { maxLeaves: 20, nClusters: 4 });
    expect((svg.match(/<path /g) ?? []).length).toBe(19);
    expect((svg.match(/>\(\d+\)</g) ?? []).length).toBeGreaterThan(0);
  });
});

describe('graphSvg', () => {
  it('colours clique edges and gives a node in two cliques two rings', async () => {
    const { graphSvg } = await import('../../src/viz/graph.js');
    const { graphFromEdges, cliquesOfSize } = await import('../../src/cluster/index.js');
    const { Matrix } = await import('../../src/core/matrix.js');
    const g = graphFromEdges(5, [
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 3],
      [2, 4],
      [3, 4],
    ]);
    const pos = Matrix.fromRows([
      [0, 0],
      [1, 0],
      [0.5, 1],
      [0, 2],
      [1, 2],
    ]);
    const svg = graphSvg(pos, g.adjacency, {
      groups: cliquesOfSize(g, 3),
      nodeLabels: ['a', 'b', 'c', 'd', 'e'],
      title: 'cliques',
    });
    expect((svg.match(/<line /g) ?? []).length).toBe(6);
    expect((svg.match(/<circle /g) ?? []).length).toBe(6); // node 2 is in both triangles
    expect((svg.match(/<polygon /g) ?? []).length).toBe(2);
  });
});

describe('dendrogramPng', () => {
  it('draws the same tree as a PNG with a class strip', async () => {
    const { dendrogramPng } = await import('../../src/viz/dendrogram.js');
    const r = new Rng(4);
    const X = Array.from({ length: 50 }, () => [r.normal(), r.normal()]);
    const png = dendrogramPng(linkage(X, 'average'), {
      width: 300,
      height: 200,
      nClusters: 3,
      leafClasses: Array.from({ length: 50 }, (_, i) => i % 3),
    });
    expect(Array.from(png.slice(1, 4))).toEqual([80, 78, 71]); // "PNG"
    expect(png.length).toBeGreaterThan(500);
  });
});
