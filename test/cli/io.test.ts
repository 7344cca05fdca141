import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { readNpy } from '../../src/datasets/index.js';
import { csvToInput, parseInputSpec, readInput, toCsv, writeResult } from '../../src/cli/io.js';
import { cli } from './helpers.js';

describe('--input specs', () => {
  it('parses MNIST splits and counts, CSV and NPY files', () => {
    expect(parseInputSpec('mnist')).toEqual({ kind: 'mnist', split: 'train' });
    expect(parseInputSpec('mnist:test')).toEqual({ kind: 'mnist', split: 'test' });
    expect(parseInputSpec('mnist:test:500')).toEqual({ kind: 'mnist', split: 'test', limit: 500 });
    expect(parseInputSpec('mnist:2000')).toEqual({ kind: 'mnist', split: 'train', limit: 2000 });
    expect(parseInputSpec('dir/a.CSV')).toEqual({ kind: 'csv', path: 'dir/a.CSV' });
    expect(parseInputSpec('x.npy')).toEqual({ kind: 'npy', path: 'x.npy' });
  });

  it('names the accepted forms on bad specs', () => {
    expect(() => parseInputSpec('mnist:valid')).toThrow(
      "--input 'mnist:valid': expected mnist[:train|test][:N] with N >= 1; 'valid' is neither a split nor a count",
    );
    expect(() => parseInputSpec('mnist:0')).toThrow('neither a split nor a count');
    expect(() => parseInputSpec('data.parquet')).toThrow(
      "--input 'data.parquet': expected a .csv or .npy file, or mnist[:train|test][:N]",
    );
  });

  it('reads an MNIST subset with labels', () => {
    const d = readInput('mnist:test:30');
    expect([d.X.rows, d.X.cols, d.y!.length, d.width, d.height]).toEqual([30, 784, 30, 28, 28]);
    // The first test digit of MNIST is a 7.
    expect(d.y![0]).toBe(7);
    expect(d.source).toBe('mnist:test:30');
  });
});

describe('CSV input', () => {
  it('detects a header, takes out a labels column, and parses numbers exactly', () => {
    const d = csvToInput('a,label,b\n1.5,3,-2\n0.1,7,1e-3\n\n', 't.csv', 'label');
    expect(d.columns).toEqual(['a', 'b']);
    expect(Array.from(d.X.data)).toEqual([1.5, -2, 0.1, 0.001]);
    expect(Array.from(d.y!)).toEqual([3, 7]);
    const noHeader = csvToInput('1;2\n3;4\n', 'u.csv');
    expect(noHeader.X.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(noHeader.columns).toBeUndefined();
    expect(csvToInput('1,2\n3,4\n', 'v.csv', '0').y).toEqual(new Int32Array([1, 3]));
  });

  it('names the line and column of bad cells', () => {
    expect(() => csvToInput('x,y\n1,2\n3\n', 'r.csv')).toThrow(
      'r.csv is ragged: line 3 has 1 values, expected 2',
    );
    expect(() => csvToInput('1,2\n3,abc\n', 'n.csv')).toThrow(
      "n.csv: 'abc' on line 2, column 2 is not a number",
    );
    expect(() => csvToInput('x,y\n1,2\n', 'l.csv', 'z')).toThrow(
      "--labels-column 'z' is not a column of l.csv; columns: x, y",
    );
    expect(() => csvToInput('', 'e.csv')).toThrow('e.csv is empty');
  });
});

describe('results', () => {
  const dir = mkdtempSync(join(tmpdir(), 'io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes CSV with a header and a JSON summary beside it', () => {
    const M = Matrix.fromRows([
      [0.1, 2],
      [1 / 3, -4],
    ]);
    const files = writeResult(join(dir, 'emb.csv'), M, { n: 2, bad: NaN });
    expect(files).toEqual([join(dir, 'emb.csv'), join(dir, 'emb.json')]);
    expect(readFileSync(files[0]!, 'utf8')).toBe('dim0,dim1\n0.1,2\n0.3333333333333333,-4\n');
    expect(JSON.parse(readFileSync(files[1]!, 'utf8'))).toEqual({ n: 2, bad: 'NaN' });
    // Round trip through the CSV reader.
    expect(csvToInput(readFileSync(files[0]!, 'utf8'), 'emb.csv').X.toArray()).toEqual(M.toArray());
  });

  it('writes labels as int32 NPY', () => {
    const [npy] = writeResult(join(dir, 'labels.npy'), new Int32Array([3, 1, 2]), {});
    const a = readNpy(readFileSync(npy!));
    expect(a.dtype).toBe('int32');
    expect(a.shape).toEqual([3]);
    expect(Array.from(a.data)).toEqual([3, 1, 2]);
    expect(toCsv(new Int32Array([5, 6]), ['label'])).toBe('label\n5\n6\n');
    expect(() => writeResult(join(dir, 'x.txt'), new Int32Array(1), {})).toThrow(
      'expected a .csv or .npy file name',
    );
  });

  it('`unsupervised data` converts CSV to NPY and describes it', () => {
    const src = join(dir, 'in.csv');
    writeFileSync(src, 'u,v,y\n1,2,0\n3,4,1\n5,6,1\n');
    const r = cli(['data', '--input', src, '--labels-column', 'y', '--out', join(dir, 'in.npy')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = readNpy(readFileSync(join(dir, 'in.npy')));
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const summary = JSON.parse(readFileSync(join(dir, 'in.json'), 'utf8'));
    expect(summary).toMatchObject({
      nSamples: 3,
      nFeatures: 2,
      min: 1,
      max: 6,
      labels: { 0: 1, 1: 2 },
      columns: ['u', 'v'],
    });
    const missing = cli(['data', '--input', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`input file '${join(dir, 'nope.csv')}' does not exist`);
  });
});
