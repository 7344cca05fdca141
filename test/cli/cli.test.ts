import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers.js';

describe('the unsupervised command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help lists the commands and global options', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: unsupervised [options] [command]');
    expect(r.stdout).toMatch(/\n\s+demo \[options\]/);
    expect(r.stdout).toContain('--seed <n>');
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('info --json reports the version, kernel backend and demo sections', () => {
    const r = cli(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.demoSections[0]).toBe('overview');
    expect(['ts', 'wasm']).toContain(info.kernels.active);
    expect(info.kernels.available).toContain('ts');
  });

  it('rejects bad options with a clear message and exit code 2', () => {
    const seed = cli(['--seed', 'abc', 'demo']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain("--seed must be an integer; got 'abc'");
    const unknown = cli(['demo', '--only', 'overview,nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/error: unknown section id 'nope'; known sections: overview(, |\n|$)/);
    const cmd = cli(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'frobnicate'");
  });

  it('demo --only overview writes the report from real MNIST', () => {
    const out = join(dir, 'report');
    const r = cli(['demo', '--only', 'overview', '--out', out, '--seed', '1'], { cwd: dir });
    expect(r.stderr).toContain('loaded MNIST: 60000 train + 10000 test digits');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(out, 'index.html'));
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<section class="card" id="overview">');
    expect(html).toContain('MNIST overview');
    expect(existsSync(join(out, 'overview-samples.png'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.ok).toBe(true);
    expect(summary.meta.seed).toBe(1);
    // The real MNIST training split: 60,000 digits, 5,923 zeros (LeCun et al.).
    expect(summary.sections[0].metrics.nTrain).toBe(60000);
    expect(summary.sections[0].metrics.nTest).toBe(10000);
    // Pixel statistics of the training split, as numpy computes them from the same IDX file.
    const m = summary.sections[0].metrics;
    expect(m.meanPixel).toBeCloseTo(0.1306604762738429, 12);
    expect(m.stdPixel).toBeCloseTo(0.30810780385646264, 10);
    expect(m.zeroFraction).toBeCloseTo(0.8087977040816327, 14);
    expect(m.deadPixels).toBe(67);
    expect(html).toContain('<td class="num">5923</td>');
  });
});
