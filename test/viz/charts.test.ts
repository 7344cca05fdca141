import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { barChartSvg, heatmapSvg, lineChartSvg, scatterSvg } from '../../src/viz/index.js';
import { count, parseXml } from './xml.js';

function blobs(n: number, seed = 1): { P: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const P = Matrix.zeros(n, 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 10;
    P.set(i, 0, Math.cos(y[i]!) * 10 + rng.normal());
    P.set(i, 1, Math.sin(y[i]!) * 10 + rng.normal());
  }
  return { P, y };
}

/** Circles inside the label groups (the legend has its own circles). */
function pointsPerLabel(svg: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of svg.matchAll(/<g fill="[^"]+" data-label="([^"]+)">(.*?)<\/g>/g)) {
    out.set(m[1]!, (m[2]!.match(/<circle /g) ?? []).length);
  }
  return out;
}

describe('scatterSvg', () => {
  it('is well-formed SVG with one circle per point in its label group and a legend entry per label', () => {
    const { P, y } = blobs(1000);
    const svg = scatterSvg(P, y, { title: 'Embedding <t-SNE> & "co"' });
    const { root, elements } = parseXml(svg);
    expect(root).toBe('svg');
    const per = pointsPerLabel(svg);
    expect([...per.keys()]).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const v of per.values()) expect(v).toBe(100);
    // 1000 points + 10 legend dots.
    expect(count(elements, 'circle')).toBe(1010);
    expect(svg).toContain('Embedding &lt;t-SNE&gt; &amp; &quot;co&quot;');
  });

  it('subsamples to maxPoints, deterministically, and says so', () => {
    const { P, y } = blobs(5000);
    const a = scatterSvg(P, y, { maxPoints: 600, seed: 3 });
    const b = scatterSvg(P, y, { maxPoints: 600, seed: 3 });
    expect(a).toBe(b);
    const total = [...pointsPerLabel(a).values()].reduce((s, v) => s + v, 0);
    expect(total).toBe(600);
    expect(a).toContain('showing 600 of 5,000 points');
    parseXml(a);
  });

  it('skips non-finite points, counts them, and draws unlabelled points in one colour', () => {
    const P = Matrix.fromRows([
      [0, 0],
      [1, NaN],
      [2, 2],
      [Infinity, 1],
    ]);
    const svg = scatterSvg(P);
    const { elements } = parseXml(svg);
    expect(count(elements, 'circle')).toBe(2);
    expect(svg).toContain('2 non-finite points not drawn');
  });

  it('draws centre crosses and covariance ellipses, widening the axes to hold them', () => {
    const P = Matrix.fromRows([
      [0, 0],
      [1, 1],
    ]);
    const svg = scatterSvg(P, [0, 1], {
      overlay: {
        centers: [[0.5, 0.5]],
        ellipses: [
          {
            mean: [0, 0],
            cov: [
              [100, 0],
              [0, 1],
            ],
            nStd: 1,
          },
        ],
      },
    });
    parseXml(svg);
    // The ellipse reaches x = ±10, so the x axis runs to at least ±10.
    expect(svg).toContain('>-10<');
    expect(svg).toContain('>10<');
    const ellipse = [...svg.matchAll(/<path d="(M[^"]*Z)" fill="none" stroke="#1f77b4"/g)];
    expect(ellipse).toHaveLength(1);
    expect((ellipse[0]![1]!.match(/L/g) ?? []).length).toBe(64);
    expect(() => scatterSvg(P, undefined, { overlay: { centers: [[1, 2, 3]] } })).toThrow(
      'overlay.centers must have 2 columns; got 3',
    );
  });

  it('rejects points that are not n×2 and mismatched labels', () => {
    expect(() => scatterSvg(Matrix.zeros(3, 3))).toThrow('scatterSvg: points must have 2 columns; got 3');
    expect(() => scatterSvg(Matrix.zeros(3, 2), [1, 2])).toThrow(
      'scatterSvg: labels has 2 entries but points has 3 rows',
    );
  });
});

describe('lineChartSvg', () => {
  const x = [1, 2, 3, 4, 5];
  it('draws one path per series with one vertex per point, a legend, and axis labels', () => {
    const svg = lineChartSvg(
      [
        { name: 'train', x, y: [5, 4, 3, 2.5, 2] },
        { name: 'test <valid>', x, y: [6, 5, 4, 3.5, 3.2] },
      ],
      { title: 'loss', xLabel: 'epoch', yLabel: 'loss' },
    );
    const { elements } = parseXml(svg);
    const paths = [...svg.matchAll(/<path d="([^"]*)" fill="none" stroke="#(1f77b4|ff7f0e)"/g)].map(
      (m) => m[1]!,
    );
    expect(paths).toHaveLength(2);
    for (const d of paths) expect((d.match(/[ML]/g) ?? []).length).toBe(5);
    expect(count(elements, 'circle')).toBe(10); // markers for short series
    expect(svg).toContain('test &lt;valid&gt;');
    expect(svg).toContain('>epoch<');
  });

  it('on a log axis leaves out non-positive values and breaks the line at gaps', () => {
    const svg = lineChartSvg([{ name: 'kl', x, y: [100, 10, 0, 1, 0.1] }], { logY: true });
    parseXml(svg);
    const d = /<path d="([^"]*)" fill="none" stroke="#1f77b4"/.exec(svg)![1]!;
    expect(d.match(/[ML]/g)).toEqual(['M', 'L', 'M', 'L']);
    // Decade ticks are labelled.
    for (const t of ['>0.1<', '>1<', '>10<', '>100<']) expect(svg).toContain(t);
  });

  it('supports a log x axis for sweeps', () => {
    const svg = lineChartSvg([{ name: 'p', x: [0, 5, 10, 30, 100], y: [1, 2, 3, 4, 5] }], { logX: true });
    parseXml(svg);
    const d = /<path d="([^"]*)" fill="none" stroke="#1f77b4"/.exec(svg)![1]!;
    expect((d.match(/[ML]/g) ?? []).length).toBe(4); // x = 0 left out
    for (const t of ['>5<', '>10<', '>20<', '>50<', '>100<']) expect(svg).toContain(t);
  });

  it('names the series whose x and y lengths differ', () => {
    expect(() => lineChartSvg([{ name: 'a', x: [1, 2], y: [1] }])).toThrow(
      "series 'a' has 2 x values but 1 y values",
    );
  });
});

describe('heatmapSvg', () => {
  it('draws one cell per entry, annotates small tables, escapes labels', () => {
    const M = Matrix.fromRows([
      [10, 0, 1],
      [2, 30, 4],
    ]);
    const svg = heatmapSvg(M, { rowLabels: ['a<b', 'c'], colLabels: ['x', 'y', 'z'], title: 'T' });
    const { elements } = parseXml(svg);
    expect(count(elements, 'rect')).toBe(6 + 2); // cells + background + colour bar
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('>30<');
  });

  it('draws large matrices as one embedded PNG with a pixel per cell', async () => {
    const { PNG } = await import('pngjs');
    const M = Matrix.zeros(100, 80);
    M.set(3, 5, 1);
    const svg = heatmapSvg(M);
    const { elements } = parseXml(svg);
    expect(count(elements, 'image')).toBe(1);
    expect(count(elements, 'rect')).toBe(2); // background + colour bar
    const png = PNG.sync.read(Buffer.from(/base64,([^"]+)"/.exec(svg)![1]!, 'base64'));
    expect([png.width, png.height]).toEqual([80, 100]);
    // viridis: 0 is dark purple, the single 1 is yellow.
    const at = (x: number, y: number): number[] =>
      Array.from(png.data.subarray((y * 80 + x) * 4, (y * 80 + x) * 4 + 3));
    expect(at(0, 0)).toEqual([68, 1, 84]);
    expect(at(5, 3)).toEqual([253, 231, 37]);
  });

  it('checks label counts', () => {
    expect(() => heatmapSvg(Matrix.zeros(2, 2), { rowLabels: ['a'] })).toThrow(
      'rowLabels has 1 entries but M has 2 rows',
    );
  });
});

describe('barChartSvg', () => {
  it('draws one bar per category and series', () => {
    const svg = barChartSvg(
      ['a', 'b', 'c'],
      [
        { name: 'train', values: [1, 2, 3] },
        { name: 'test', values: [3, 2, 1] },
      ],
    );
    const { elements } = parseXml(svg);
    expect(count(elements, 'rect')).toBe(1 + 6 + 2); // background + bars + legend boxes
    const single = barChartSvg(['a', 'b'], [5, -2]);
    expect(count(parseXml(single).elements, 'rect')).toBe(3);
  });

  it('checks the number of values', () => {
    expect(() => barChartSvg(['a', 'b'], [1])).toThrow("series '' has 1 values but there are 2 categories");
  });
});
