import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { NMF } from '../../src/decomposition/index.js';
import { fixture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'decomp-cli-'));
const P = fixture('pca.json');
const ICA = fixture('ica.json');
const csv = (rows: number[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';
writeFileSync(join(dir, 'tall.csv'), csv(P.data.tall));
writeFileSync(join(dir, 'ica.csv'), csv(ICA.X3));
writeFileSync(join(dir, 'nmf.csv'), csv(fixture('nmf.json').X));
writeFileSync(
  join(dir, 'dict.csv'),
  csv([
    [1, 0, 0, 0, 0, 0],
    [0, 1, 0, 0, 0, 0],
    [0, 0, 1, 0, 0, 0],
    [0, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 1, 0],
    [0, 0, 0, 0, 0, 1],
  ]),
);

async function run(...args: string[]): Promise<number> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await runCli(['node', 'unsupervised', '-q', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const rows = (f: string) => readFileSync(join(dir, f), 'utf8').trim().split('\n');

describe('decomposition CLI commands', () => {
  it('pca writes the scores and the explained variance of scikit-learn', async () => {
    expect(
      await run(
        'pca',
        '-i',
        join(dir, 'tall.csv'),
        '-k',
        '3',
        '-o',
        join(dir, 'pca.csv'),
        '--save-model',
        join(dir, 'pca.model'),
      ),
    ).toBe(0);
    const s = json('pca.json');
    const ref = P.cases.find(
      (c: { data: string; nComponents: number; whiten: boolean }) =>
        c.data === 'tall' && c.nComponents === 3 && !c.whiten,
    );
    for (let t = 0; t < 3; t++)
      expect(s.explainedVarianceRatio[t]).toBeCloseTo(ref.explainedVarianceRatio[t], 10);
    const lines = rows('pca.csv');
    expect(lines[0]).toBe('pc1,pc2,pc3');
    expect(lines.length).toBe(41);
    expect(Number(lines[1]!.split(',')[0])).toBeCloseTo(ref.transform[0][0], 8);
    expect(await run('pca', '-i', join(dir, 'tall.csv'), '-k', '0.9', '-o', join(dir, 'pca90.csv'))).toBe(0);
    expect(json('pca90.json').nComponents).toBe(
      P.cases.find((c: { data: string; nComponents: number }) => c.data === 'tall' && c.nComponents === 0.9)
        .nComponentsFitted,
    );
    expect(await run('pca', '-i', join(dir, 'tall.csv'), '-k', '2.5')).toBe(2);
  });

  it('ica, nmf, dictionary and sparse-code run and summarise', async () => {
    expect(
      await run('ica', '-i', join(dir, 'ica.csv'), '--seed', '1', '-o', join(dir, 'ica.csv.out.csv')),
    ).toBe(0);
    expect(json('ica.csv.out.json').converged).toBe(true);
    expect(await run('nmf', '-i', join(dir, 'nmf.csv'), '-k', '4', '-o', join(dir, 'nmf-w.csv'))).toBe(0);
    const n = json('nmf-w.json');
    expect(n.nComponents).toBe(4);
    // The command runs the library's NMF with its defaults: the same fit, to the bit.
    const lib = new NMF({ nComponents: 4 }).fit(fixture('nmf.json').X);
    expect(n.reconstructionErr).toBe(lib.reconstructionErr);
    expect(n.nIter).toBe(lib.nIter);
    expect(
      await run(
        'dictionary',
        '-i',
        join(dir, 'tall.csv'),
        '-k',
        '8',
        '--alpha',
        '0.5',
        '--max-iter',
        '5',
        '-o',
        join(dir, 'codes.csv'),
      ),
    ).toBe(0);
    expect(json('codes.json').nComponents).toBe(8);
    expect(
      await run(
        'sparse-code',
        '-i',
        join(dir, 'tall.csv'),
        '-d',
        join(dir, 'dict.csv'),
        '--n-nonzero',
        '6',
        '-o',
        join(dir, 'sc.csv'),
      ),
    ).toBe(0);
    // The identity dictionary with 6 atoms reproduces every row exactly.
    expect(json('sc.json').meanSquaredResidual).toBeLessThan(1e-20);
  });

  it('sparse-code reports the mean squared residual ‖x − z·D‖²', async () => {
    // Identity atoms, soft threshold 0.5 on entries >= 1: every entry keeps a residual of 0.5, so
    // each 2-feature row has ‖r‖² = 0.5.
    writeFileSync(join(dir, 'pos.csv'), '1,2\n3,4\n5,6\n');
    writeFileSync(join(dir, 'id2.csv'), '1,0\n0,1\n');
    const args = ['-d', join(dir, 'id2.csv'), '--algorithm', 'threshold', '--alpha', '0.5'];
    expect(await run('sparse-code', '-i', join(dir, 'pos.csv'), ...args, '-o', join(dir, 'th.csv'))).toBe(0);
    expect(json('th.json').meanSquaredResidual).toBeCloseTo(0.5, 14);
    expect(json('th.json').meanNonzeroPerCode).toBe(2);
  });

  it('negative data given to nmf fails with the offending entry', async () => {
    writeFileSync(join(dir, 'neg.csv'), '1,2\n3,-0.5\n');
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await runCli(['node', 'unsupervised', 'nmf', '-i', join(dir, 'neg.csv'), '-k', '1']);
    spy.mockRestore();
    out.mockRestore();
    expect(code).toBe(1);
    expect(err.join('')).toContain(
      'X has a negative value at row 1, column 1: -0.5; NMF needs non-negative data',
    );
  });
});
