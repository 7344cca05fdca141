/**
 * The clustering commands report what the library computes on the same data and options: labels
 * file and JSON summary equal to the estimator's own numbers, bit for bit (runs in-process).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  AgglomerativeClustering,
  GaussianMixture,
  KMeans,
  MiniBatchKMeans,
} from '../../src/cluster/index.js';
import { runCli } from '../../src/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'cluster-cli-'));
const X = [
  [0, 0],
  [1, 0],
  [0, 1],
  [5, 5],
  [6, 5],
  [5, 6],
  [2.5, 3],
];
const input = join(dir, 'x.csv');
writeFileSync(input, X.map((r) => r.join(',')).join('\n') + '\n');

async function run(args: string[]): Promise<{ summary: Record<string, unknown>; labels: number[] }> {
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = join(dir, `${args[0]}.csv`);
  try {
    const code = await runCli(['node', 'unsupervised', '-q', ...args, '-i', input, '--out', out]);
    expect(code).toBe(0);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const summary = JSON.parse(readFileSync(out.replace(/\.csv$/, '.json'), 'utf8')) as Record<string, unknown>;
  const labels = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => /^-?\d/.test(l))
    .map(Number);
  return { summary, labels };
}

describe('clustering commands report the library results', () => {
  it('kmeans', async () => {
    const { summary, labels } = await run(['kmeans', '-k', '2', '--n-init', '3', '--seed', '4']);
    const m = new KMeans({ nClusters: 2, nInit: 3, seed: 4, algorithm: 'elkan' }).fit(X);
    expect(summary.inertia).toBe(m.inertia);
    expect(labels).toEqual(Array.from(m.labels));
  });

  it('kmeans --minibatch honours --n-init', async () => {
    const { summary } = await run(['kmeans', '-k', '2', '--minibatch', '--n-init', '5', '--batch-size', '4']);
    const m = new MiniBatchKMeans({ nClusters: 2, nInit: 5, batchSize: 4, seed: 0 }).fit(X);
    expect(summary.inertia).toBe(m.inertia);
  });

  it('agglomerative', async () => {
    const { labels } = await run(['agglomerative', '-k', '3', '--linkage', 'complete']);
    expect(labels).toEqual(
      Array.from(new AgglomerativeClustering({ nClusters: 3, linkage: 'complete' }).fit(X).labels),
    );
  });

  it('gmm', async () => {
    const { summary } = await run(['gmm', '-k', '2', '--covariance-type', 'diag', '--seed', '1']);
    const g = new GaussianMixture({ nComponents: 2, covarianceType: 'diag', seed: 1 }).fit(X);
    expect(summary.lowerBound).toBe(g.lowerBound);
    expect(summary.bic).toBe(g.bic(X));
  });
});
