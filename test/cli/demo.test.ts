import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { overview } from '../../src/cli/demo/overview.js';
import { runDemo, selectSections } from '../../src/cli/demo/run.js';
import { SECTIONS } from '../../src/cli/demo/sections.js';
import type { DemoSection } from '../../src/cli/demo/types.js';
import { progressFactory } from '../../src/cli/progress.js';
import { tinyImages } from './helpers.js';

const quiet = { progress: progressFactory({ quiet: true }), log: () => {} };
const data = { train: tinyImages(40, 1), test: tinyImages(20, 2) };

const rngSection: DemoSection = {
  id: 'rng',
  title: 'Random numbers',
  seedSays: 'none',
  async run(ctx) {
    const p = ctx.progress('draw', 2);
    p.update(1);
    return { html: '<p>drawn</p>', metrics: { first: ctx.rng.nextU32(), seed: ctx.seed } };
  },
};
const failing: DemoSection = {
  id: 'broken',
  title: 'Broken',
  seedSays: 'none',
  async run() {
    throw new RangeError('nothing <works>');
  },
};

describe('demo runner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('registers the MNIST overview first', () => {
    expect(SECTIONS[0]!.id).toBe('overview');
  });

  it('runs all sections, reports a failing one and keeps going', async () => {
    const out = join(dir, 'all');
    const r = await runDemo({
      outDir: out,
      seed: 3,
      sections: [overview, failing, rngSection],
      data,
      ...quiet,
    });
    expect(r.failed).toEqual(['broken']);
    expect(r.sections.map((s) => s.id)).toEqual(['overview', 'broken', 'rng']);
    const html = readFileSync(r.indexPath, 'utf8');
    expect(html).toContain('<section class="card" id="overview">');
    expect(html).toContain('RangeError: nothing &lt;works&gt;');
    expect(html).toContain('<p>drawn</p>');
    for (const f of [
      'overview-samples.png',
      'overview-class-means.png',
      'overview-class-counts.svg',
      'summary.json',
    ]) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.ok).toBe(false);
    expect(summary.sections[0].metrics).toMatchObject({ nTrain: 40, nTest: 20 });
    expect(summary.sections[2].metrics.seed).toBe(3);
  });

  it('gives a section the same random stream whether or not other sections run (--only)', async () => {
    const a = await runDemo({
      outDir: join(dir, 'a'),
      seed: 5,
      sections: [overview, rngSection],
      data,
      ...quiet,
    });
    const b = await runDemo({
      outDir: join(dir, 'b'),
      seed: 5,
      sections: [overview, rngSection],
      only: ['rng'],
      data,
      ...quiet,
    });
    const c = await runDemo({ outDir: join(dir, 'c'), seed: 6, sections: [rngSection], data, ...quiet });
    expect(b.sections).toHaveLength(1);
    expect(b.sections[0]!.metrics!.first).toBe(a.sections[1]!.metrics!.first);
    expect(c.sections[0]!.metrics!.first).not.toBe(a.sections[1]!.metrics!.first);
  });

  it('names the known sections when an id is unknown', () => {
    expect(() => selectSections([overview, rngSection], ['rng', 'kmeans', 'pca'])).toThrow(
      "unknown section ids 'kmeans', 'pca'; known sections: overview, rng",
    );
    expect(selectSections([overview, rngSection], ['rng']).map((s) => s.id)).toEqual(['rng']);
  });

  it('keeps figure files inside the report folder and stops two sections overwriting one file', async () => {
    const writer = (id: string, name: string): DemoSection => ({
      id,
      title: id,
      seedSays: '',
      async run(ctx) {
        ctx.writeFile(name, 'x');
        return { html: '' };
      },
    });
    const r = await runDemo({
      outDir: join(dir, 'files'),
      sections: [writer('one', 'fig.svg'), writer('two', 'fig.svg'), writer('three', '../escape.svg')],
      data,
      ...quiet,
    });
    expect(r.failed).toEqual(['two', 'three']);
    expect(r.sections[1]!.error!.message).toContain("'fig.svg' was already written by section 'one'");
    expect(r.sections[2]!.error!.message).toContain(
      "'../escape.svg' must be a relative file name inside the report folder",
    );
    expect(existsSync(join(dir, 'escape.svg'))).toBe(false);
  });
});
