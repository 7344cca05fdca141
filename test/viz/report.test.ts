import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  figureHtml,
  formatDuration,
  metricsHtml,
  renderReportHtml,
  tableHtml,
  writeReport,
} from '../../src/viz/index.js';

describe('tableHtml', () => {
  it('escapes every cell and formats numbers right-aligned', () => {
    const html = tableHtml(
      ['name <b>', 'value'],
      [
        ['<script>alert(1)</script>', 0.123456],
        ['a & b', 60000],
      ],
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('<th>name &lt;b&gt;</th>');
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td class="num">0.1235</td>');
    expect(html).toContain('<td>a &amp; b</td><td class="num">60,000</td>');
  });

  it('escapes figure sources and captions', () => {
    expect(figureHtml('a".png', 'x<y')).toBe(
      '<figure><img src="a&quot;.png" alt="x&lt;y"><figcaption>x&lt;y</figcaption></figure>',
    );
    expect(metricsHtml({ ari: 0.5 })).toContain('<td>ari</td><td class="num">0.5</td>');
  });
});

describe('report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'viz-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = {
    title: 'Run <1>',
    sections: [
      {
        id: 'kmeans',
        title: 'K-means & co',
        seedSays: 'Deck shows <clusters>',
        html: '<p>ok</p>',
        metrics: { ari: 0.37, bad: NaN },
        durationMs: 1500,
      },
      {
        id: 'vae',
        title: 'VAE',
        seedSays: 'Deck',
        html: '',
        error: { message: 'boom <img src=x>', stack: 'Error: boom\n at <anon>' },
        durationMs: 10,
      },
    ],
    meta: { seed: 7, profile: 'default', machine: 'box <2 cores>', durationMs: 65_000, extra: 'x&y' },
  };

  it('renders a table of contents, seed text, errors and metadata, all escaped', () => {
    const html = renderReportHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Run &lt;1&gt;</title>');
    expect(html).toContain('<a href="#kmeans">K-means &amp; co</a>');
    expect(html).toContain('<section class="card" id="vae">');
    expect(html).toContain('Deck shows &lt;clusters&gt;');
    expect(html).toContain('boom &lt;img src=x&gt;');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('<td>machine</td><td>box &lt;2 cores&gt;</td>');
    expect(html).toContain('<td>extra</td><td>x&amp;y</td>');
    expect(html).toContain('1 min 05 s');
    expect(html).toContain('<p>ok</p>'); // section html is trusted markup
    expect(html).toContain('1 failed');
    // Self-contained: inline CSS, no scripts, no external links.
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link |https?:\/\//);
  });

  it('writes index.html and summary.json', () => {
    const path = writeReport(join(dir, 'out'), report);
    expect(path).toBe(join(dir, 'out', 'index.html'));
    expect(readFileSync(path, 'utf8')).toContain('K-means &amp; co');
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.ok).toBe(false);
    expect(summary.meta.seed).toBe(7);
    expect(summary.sections).toEqual([
      {
        id: 'kmeans',
        title: 'K-means & co',
        status: 'ok',
        durationMs: 1500,
        metrics: { ari: 0.37, bad: 'NaN' },
      },
      { id: 'vae', title: 'VAE', status: 'failed', durationMs: 10, metrics: {}, error: 'boom <img src=x>' },
    ]);
  });

  it('formats durations', () => {
    expect([formatDuration(850), formatDuration(12_345), formatDuration(245_000)]).toEqual([
      '850 ms',
      '12.3 s',
      '4 min 05 s',
    ]);
  });
});
