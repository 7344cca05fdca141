/**
 * Bad command lines and bad data files for the commands of this folder's owners (data, demo, pca,
 * ica, nmf, dictionary, sparse-code): exit code 2 for a usage mistake, 1 for bad data, and one
 * line on stderr that names the option or the file (issue 2). Runs in-process (runCli).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-bad-'));
const f = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const ok = f('ok.csv', '1,2\n3,4\n5,6\n');
const nan = f('nan.csv', '1,2\n3,NaN\n5,6\n');
const ragged = f('ragged.csv', '1,2\n3\n5,6\n');
const empty = f('empty.csv', '');
const text = f('text.csv', 'a,b\n1,x\n');
const dict2 = f('dict2.csv', '1,0\n0,1\n');
const dict3 = f('dict3.csv', '1,0,0\n');

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
    ['pca', '-i', ok, '--solver', 'arpack'],
    2,
    "error: option '--solver <name>' argument 'arpack' is invalid. --solver must be one of 'auto', 'full', 'randomized'; got 'arpack'.",
  ],
  [
    ['pca', '-i', ok, '-k', '0'],
    2,
    "error: option '-k, --n-components <k>' argument '0' is invalid. --n-components must be an integer >= 1 or a fraction of variance in (0, 1); got '0'.",
  ],
  [['pca', '-i', ok, '-k', '3'], 1, 'error: nComponents=3 must be <= min(nSamples=3, nFeatures=2)=2'],
  [['pca', '-i', nan], 1, `error: ${nan} has NaN at row 1, column 1`],
  [['pca', '-i', ragged], 1, `error: ${ragged} is ragged: line 2 has 1 values, expected 2`],
  [['pca', '-i', empty], 1, `error: ${empty} is empty`],
  [['pca', '-i', text], 1, `error: ${text}: 'x' on line 2, column 2 is not a number`],
  [
    ['pca', '-i', join(dir, 'missing.csv')],
    2,
    `error: input file '${join(dir, 'missing.csv')}' does not exist`,
  ],
  [
    ['pca', '-i', 'mnist:foo'],
    2,
    "error: option '-i, --input <spec>' argument 'mnist:foo' is invalid. expected mnist[:train|test][:N] with N >= 1; 'foo' is neither a split nor a count",
  ],
  [['pca'], 2, "error: required option '-i, --input <spec>' not specified"],
  // Rejected before reading the input (a missing file would otherwise be reported first).
  [
    ['pca', '-i', join(dir, 'missing.csv'), '-o', join(dir, 'out.xlsx')],
    2,
    `error: option '-o, --out <file>' argument '${join(dir, 'out.xlsx')}' is invalid. expected a .csv or .npy file name; got '${join(dir, 'out.xlsx')}'.`,
  ],
  [
    ['ica', '-i', ok, '--fun', 'tanh'],
    2,
    "error: option '--fun <name>' argument 'tanh' is invalid. --fun must be one of 'logcosh', 'exp', 'cube'; got 'tanh'.",
  ],
  [
    ['ica', '-i', ok, '--algorithm', 'x'],
    2,
    "error: option '--algorithm <name>' argument 'x' is invalid. --algorithm must be one of 'parallel', 'deflation'; got 'x'.",
  ],
  [['ica', '-i', ok, '-k', '5'], 1, 'error: nComponents=5 must be <= nFeatures=2'],
  [
    ['nmf', '-i', ok, '--solver', 'als'],
    2,
    "error: option '--solver <name>' argument 'als' is invalid. --solver must be one of 'cd', 'mu'; got 'als'.",
  ],
  [
    ['nmf', '-i', ok, '--init', 'svd'],
    2,
    "error: option '--init <name>' argument 'svd' is invalid. --init must be one of 'nndsvd', 'nndsvda', 'nndsvdar', 'random'; got 'svd'.",
  ],
  [
    ['nmf', '-i', ok, '--tol', '-1'],
    2,
    "error: option '--tol <x>' argument '-1' is invalid. --tol must be in [0, Infinity]; got -1.",
  ],
  [
    ['dictionary', '-i', ok, '--transform', 'lars'],
    2,
    "error: option '--transform <name>' argument 'lars' is invalid. --transform must be one of 'lasso_cd', 'lasso_lars', 'omp', 'threshold'; got 'lars'.",
  ],
  [
    ['dictionary', '-i', ok, '--fit-algorithm', 'omp'],
    2,
    "error: option '--fit-algorithm <name>' argument 'omp' is invalid. --fit-algorithm must be one of 'lars', 'cd'; got 'omp'.",
  ],
  [
    ['dictionary', '-i', ok, '--alpha', 'abc'],
    2,
    "error: option '--alpha <x>' argument 'abc' is invalid. --alpha must be a number; got 'abc'.",
  ],
  [['sparse-code', '-i', ok], 2, "error: required option '-d, --dictionary <file>' not specified"],
  [['sparse-code', '-i', ok, '-d', dict3], 1, 'error: X has 2 features, but the dictionary atoms have 3'],
  [
    ['sparse-code', '-i', ok, '-d', dict2, '--algorithm', 'lars'],
    2,
    "error: option '--algorithm <name>' argument 'lars' is invalid. --algorithm must be one of 'lasso_cd', 'lasso_lars', 'omp', 'threshold'; got 'lars'.",
  ],
  [
    ['sparse-code', '-i', ok, '-d', dict2, '--n-nonzero', '3'],
    1,
    'error: nNonzeroCoefs must be an integer in [1, nComponents=2]; got 3',
  ],
  [
    ['data', '-i', ok, '--labels-column', 'z'],
    2,
    `error: --labels-column 'z' is not a column of ${ok}; 2 columns (use a 0-based index)`,
  ],
  [
    ['--seed', 'abc', 'pca', '-i', ok],
    2,
    "error: option '--seed <n>' argument 'abc' is invalid. --seed must be an integer; got 'abc'.",
  ],
  [
    ['demo', '--only', 'nosuch'],
    2,
    "error: unknown section id 'nosuch'; known sections: overview, decomposition, clustering, manifold",
  ],
];

describe('CLI: bad input names the option or the file', () => {
  it.each(CASES)('%j → exit %i', async (args, code, message) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.err).toBe(message);
  });

  it('data keeps NaN (it counts them) while the fitting commands reject them', async () => {
    expect((await run(['data', '-i', nan])).code).toBe(0);
  });
});
