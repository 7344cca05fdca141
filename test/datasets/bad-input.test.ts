/**
 * Issue 2's bar for datasets/: every exported reader, writer, loader and generator rejects bad
 * arguments with a ValidationError whose message names the argument (exact text), one row per case.
 * Malformed file contents (FormatError) are covered in the idx/npy/csv tests.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Matrix } from '../../src/core/matrix.js';
import * as D from '../../src/datasets/index.js';

const cases: [string, () => unknown, string][] = [
  ['readIdx str', () => D.readIdx('x' as never), 'IDX data: expected a Uint8Array or ArrayBuffer'],
  [
    'writeIdx arr',
    () => D.writeIdx([1] as never, [1]),
    'writeIdx: data must be a Uint8/Int8/Int16/Int32/Float32/Float64Array',
  ],
  [
    'writeIdx shape',
    () => D.writeIdx(new Uint8Array(2), [3]),
    'writeIdx: shape [3] needs 3 values, data has 2',
  ],
  ['writeIdx dim', () => D.writeIdx(new Uint8Array(2), [2.5]), 'writeIdx: invalid dimension 2.5'],
  [
    'loadMnist split',
    () => D.loadMnist({ split: 'val' as never }),
    'The \'split\' option of loadMnist must be one of "train", "test"; got "val".',
  ],
  [
    'loadMnist limit',
    () => D.loadMnist({ limit: 0 }),
    "The 'limit' option of loadMnist must be an integer >= 1; got 0.",
  ],
  [
    'loadMnist dtype',
    () => D.loadMnist({ dtype: 'int8' as never }),
    'The \'dtype\' option of loadMnist must be one of "float64", "float32"; got "int8".',
  ],
  [
    'loadMnist dir',
    () => D.loadMnist({ dir: 5 as never }),
    "The 'dir' option of loadMnist must be a string; got 5.",
  ],
  [
    'loadMnist unknown',
    () => D.loadMnist({ n: 5 } as never),
    "Unknown option 'n' for loadMnist; known options: dir, dtype, limit, split",
  ],
  [
    'loadMnist null',
    () => D.loadMnist(null as never),
    'The options of loadMnist must be an object; got null',
  ],
  [
    'loadMnistRaw dtype',
    () => D.loadMnistRaw({ dtype: 'float32' } as never),
    "Unknown option 'dtype' for loadMnistRaw; known options: dir, limit, split",
  ],
  [
    'fashion frac',
    () => D.loadFashionMnist({ testFraction: 0 }),
    "The 'testFraction' option of loadFashionMnist must be a finite number > 0 and < 1; got 0.",
  ],
  [
    'fashion seed',
    () => D.loadFashionMnist({ seed: 0.5 }),
    "The 'seed' option of loadFashionMnist must be an integer in [-9007199254740991, 9007199254740991]; got 0.5.",
  ],
  [
    'fashion limit',
    () => D.loadFashionMnist({ limit: -1 }),
    "The 'limit' option of loadFashionMnist must be an integer >= 1; got -1.",
  ],
  [
    'blobs centers',
    () => D.makeBlobs({ centers: [[1, 2], [3]] }),
    "The 'centers' option of makeBlobs must be an integer >= 1 or a non-empty array of equal-length rows of finite numbers.",
  ],
  [
    'blobs box',
    () => D.makeBlobs({ centerBox: [1, 0] }),
    "The 'centerBox' option of makeBlobs must be [lo, hi] with lo < hi; got [1,0].",
  ],
  [
    'blobs nf',
    () => D.makeBlobs({ centers: [[1, 2]], nFeatures: 3 }),
    'makeBlobs: nFeatures=3 but the centres have 2 coordinates',
  ],
  [
    'blobs seed big',
    () => D.makeBlobs({ seed: 2 ** 60 }),
    "The 'seed' option of makeBlobs must be an integer in [-9007199254740991, 9007199254740991]; got 1152921504606847000.",
  ],
  [
    'swiss height',
    () => D.makeSwissRoll({ height: 0 }),
    "The 'height' option of makeSwissRoll must be a finite number > 0; got 0.",
  ],
  [
    'swiss hole',
    () => D.makeSwissRoll({ hole: 1 as never }),
    "The 'hole' option of makeSwissRoll must be a boolean; got 1.",
  ],
  [
    'broken noise',
    () => D.makeBrokenSwissRoll({ noise: NaN }),
    "The 'noise' option of makeBrokenSwissRoll must be a finite number >= 0; got NaN.",
  ],
  [
    'twin n',
    () => D.makeTwinPeaks({ nSamples: 1.5 }),
    "The 'nSamples' option of makeTwinPeaks must be an integer >= 1; got 1.5.",
  ],
  [
    'helix unknown',
    () => D.makeHelix({ height: 2 } as never),
    "Unknown option 'height' for makeHelix; known options: nSamples, noise, seed",
  ],
  [
    'spiral arms',
    () => D.makeSpiral({ nArms: 0 }),
    "The 'nArms' option of makeSpiral must be an integer >= 1; got 0.",
  ],
  [
    'spiral turns',
    () => D.makeSpiral({ turns: -1 }),
    "The 'turns' option of makeSpiral must be a finite number > 0; got -1.",
  ],
  [
    'moons noise',
    () => D.makeMoons({ noise: Infinity }),
    "The 'noise' option of makeMoons must be a finite number >= 0; got Infinity.",
  ],
  [
    'circles factor',
    () => D.makeCircles({ factor: 1 }),
    "The 'factor' option of makeCircles must be a finite number >= 0 and < 1; got 1.",
  ],
  ['readNpy str', () => D.readNpy(5 as never), 'NPY data: expected a Uint8Array or ArrayBuffer'],
  [
    'npyToMatrix bad',
    () => D.npyToMatrix({ dtype: 'float64', shape: [2, 2], data: new Float64Array(3), fortranOrder: false }),
    'NPY array has shape (2, 2) but 3 values',
  ],
  [
    'npyToMatrix null',
    () => D.npyToMatrix(null as never),
    'NPY array must be an NpyArray ({ dtype, shape, data }) as readNpy returns',
  ],
  [
    'npyToMatrix 3d',
    () =>
      D.npyToMatrix({ dtype: 'float64', shape: [1, 1, 1], data: new Float64Array(1), fortranOrder: false }),
    'NPY array has shape (1, 1, 1); a matrix needs 1 or 2 dimensions',
  ],
  [
    'writeNpy arr',
    () => D.writeNpy([1] as never),
    'writeNpy: input must be a Matrix or a Float64/Float32/Int32/Uint8/Int8/Int16/Uint16/Uint32Array',
  ],
  [
    'writeNpy shape',
    () => D.writeNpy(new Float64Array(3), [2]),
    'writeNpy: shape [2] needs 2 values, data has 3',
  ],
  ['writeNpy neg', () => D.writeNpy(new Float64Array(0), [-1]), 'writeNpy: invalid shape [-1]'],
  [
    'writeNpy bool',
    () => D.writeNpy(new Float64Array(1), [1], { bool: true }),
    'writeNpy: bool output needs a Uint8Array',
  ],
  ['readCsv num', () => D.readCsv(5 as never), 'readCsv: text must be a string; got number'],
  [
    'readCsv header',
    () => D.readCsv('1,2', { header: 'yes' as never }),
    'The \'header\' option of readCsv must be one of "auto" or a boolean; got "yes".',
  ],
  [
    'readCsv dtype',
    () => D.readCsv('1,2', { dtype: 'int' as never }),
    'The \'dtype\' option of readCsv must be one of "float64", "float32"; got "int".',
  ],
  [
    'readCsv label',
    () => D.readCsv('1,2', { labelColumn: 5 }),
    'labelColumn 5 is not a column of the CSV (columns: 0, 1)',
  ],
  [
    'readCsv label neg',
    () => D.readCsv('1,2', { labelColumn: -1 }),
    "The 'labelColumn' option of readCsv must be a string or an integer >= 0; got -1.",
  ],
  [
    'readCsv unknown',
    () => D.readCsv('1,2', { sep: ';' } as never),
    "Unknown option 'sep' for readCsv; known options: delimiter, dtype, header, labelColumn",
  ],
  ['writeCsv X', () => D.writeCsv([[1]] as never), 'writeCsv: X must be a Matrix'],
  [
    'writeCsv cols',
    () => D.writeCsv(Matrix.zeros(1, 2), { columns: ['a'] }),
    'writeCsv: 1 column names for 2 columns',
  ],
  [
    'writeCsv cols type',
    () => D.writeCsv(Matrix.zeros(1, 1), { columns: [1] as never }),
    "The 'columns' option of writeCsv must be an array of strings.",
  ],
  [
    'writeCsv labels',
    () => D.writeCsv(Matrix.zeros(2, 1), { labels: [1] }),
    'writeCsv: labels has 1 entries but X has 2 rows',
  ],
  [
    'writeCsv labelName',
    () => D.writeCsv(Matrix.zeros(1, 1), { labels: [1], labelName: 3 as never }),
    "The 'labelName' option of writeCsv must be a string; got 3.",
  ],
];

describe('datasets: bad input gives a ValidationError naming the argument', () => {
  it.each(cases)('%s', (_name, run, message) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(message);
  });

  it("writers do not mutate their input, and readers copy out of the caller's bytes", () => {
    const data = new Float32Array([1.5, -2, 3]);
    const X = new Matrix(data, 3, 1);
    D.writeNpy(X);
    D.writeCsv(X, { labels: [0, 1, 2] });
    D.writeIdx(data, [3]);
    expect(Array.from(data)).toEqual([1.5, -2, 3]);
    const bytes = D.writeIdx(new Uint8Array([7, 8]), [2]);
    const read = D.readIdx(bytes);
    bytes[bytes.length - 1] = 0;
    expect(Array.from(read.data)).toEqual([7, 8]);
  });
});
