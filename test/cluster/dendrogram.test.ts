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
