/**
 * Bad command lines for the clustering commands (kmeans, agglomerative, gmm, cliques, bmm): exit
 * code 2 for a usage mistake (caught when the command line is parsed, before any data is read),
 * 1 for data the estimator rejects, and one line on stderr naming the option (issue 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'cluster-cli-bad-'));
const ok = join(dir, 'ok.csv');
writeFileSync(ok, '0,0\n1,0\n0,1\n5,5\n6,5\n5,6\n');

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await runCli(['node', 'unsupervised', '-q', ...args]);
    return { code, err: err.join('').split('\n')[0]! };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

const CASES: [string[], number, string][] = [
  [
    ['kmeans', '-i', ok, '--algorithm', 'full'],
    2,
    "error: option '--algorithm <name>' argument 'full' is invalid. --algorithm must be one of 'lloyd', 'elkan'; got 'full'.",
  ],
  [
    ['kmeans', '-i', ok, '--init', 'kmeans'],
    2,
    "error: option '--init <name>' argument 'kmeans' is invalid. --init must be one of 'k-means++', 'random'; got 'kmeans'.",
  ],
  [
    ['kmeans', '-i', ok, '--minibatch', '--algorithm', 'lloyd'],
    2,
    'error: --algorithm does not apply to --minibatch',
  ],
  [['kmeans', '-i', ok, '-k', '7'], 1, 'error: nSamples=6 must be >= nClusters=7'],
  [
    ['agglomerative', '-i', ok, '--linkage', 'upgma'],
    2,
    `error: option '--linkage <name>' argument 'upgma' is invalid. --linkage must be one of 'single', 'complete', 'average', 'weighted', 'centroid', 'median', 'ward'; got 'upgma'.`,
  ],
  [
    ['agglomerative', '-i', ok, '-k', '2', '--distance-threshold', '1'],
    2,
    'error: give -k/--n-clusters or --distance-threshold, not both',
  ],
  [
    ['gmm', '-i', ok, '--covariance-type', 'diagonal'],
    2,
    "error: option '--covariance-type <t>' argument 'diagonal' is invalid. --covariance-type must be one of 'full', 'tied', 'diag', 'spherical'; got 'diagonal'.",
  ],
  [
    ['gmm', '-i', ok, '--init-params', 'kmeans++'],
    2,
    "error: option '--init-params <m>' argument 'kmeans++' is invalid. --init-params must be one of 'kmeans', 'k-means++', 'random', 'random_from_data'; got 'kmeans++'.",
  ],
  [
    ['cliques', '-i', ok, '--graph', 'mst'],
    2,
    "error: option '--graph <kind>' argument 'mst' is invalid. --graph must be one of 'knn', 'epsilon'; got 'mst'.",
  ],
  [
    ['cliques', '-i', ok, '--graph', 'epsilon', '--radius', '0'],
    2,
    "error: option '--radius <eps>' argument '0' is invalid. --radius must be > 0; got 0.",
  ],
  [
    ['kmeans', '-i', ok, '-k', '2', '--centers-png', 'c.png'],
    2,
    `error: --centers-png needs image rows (mnist input); ${ok} has none`,
  ],
  [
    ['bmm', '-i', ok, '--means-png', 'm.png'],
    2,
    `error: --means-png needs image rows (mnist input); ${ok} has none`,
  ],
  [['bmm', '-i', ok, '--digits', '3,x'], 2, "error: --digits must list integer labels; got 'x'"],
  [['bmm', '-i', ok, '--digits', '3'], 2, `error: --digits needs labelled input; ${ok} has no labels`],
];

describe('clustering commands: bad command lines name the option', () => {
  it.each(CASES)('%j', async (args, code, message) => {
    const r = await run(args);
    expect(r.err).toBe(message);
    expect(r.code).toBe(code);
  });
});
