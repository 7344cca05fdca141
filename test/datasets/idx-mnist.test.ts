import { describe, expect, it } from 'vitest';
import { FormatError, ValidationError } from '../../src/core/errors.js';
import { clearMnistCache, loadMnist, loadMnistRaw, readIdx, writeIdx } from '../../src/datasets/index.js';

describe('readIdx', () => {
  it('reads every IDX type (big-endian) and round-trips writeIdx', () => {
    const cases = [
      new Uint8Array([0, 1, 255, 7, 8, 9]),
      new Int8Array([-128, -1, 0, 1, 127, 5]),
      new Int16Array([-32768, -2, 0, 3, 32767, 300]),
      new Int32Array([-2147483648, -5, 0, 6, 2147483647, 70000]),
      new Float32Array([-1.5, 0.1, 0, 3e38, -0, 2]),
      new Float64Array([Math.PI, -1e-300, 0, 1e300, -0, 42]),
    ];
    const names = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];
    cases.forEach((data, k) => {
      const bytes = writeIdx(data, [2, 3]);
      const r = readIdx(bytes);
      expect(r.dtype).toBe(names[k]);
      expect(r.shape).toEqual([2, 3]);
      expect(r.data.constructor).toBe(data.constructor);
      expect(Array.from(r.data)).toEqual(Array.from(data));
    });
  });

  it('decodes a hand-written big-endian file', () => {
    // int16, 1 dimension of size 2: values 0x0102 = 258 and 0xFFFE = -2.
    const b = new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    expect(readIdx(b)).toEqual({ dtype: 'int16', shape: [2], data: new Int16Array([258, -2]) });
  });

  it('gives a clear FormatError on malformed or truncated files', () => {
    const good = writeIdx(new Uint8Array(12), [3, 4]);
    expect(() => readIdx(good.subarray(0, 3), 'f')).toThrow(
      'f: only 3 bytes; an IDX file starts with a 4-byte magic number',
    );
    expect(() => readIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), 'f.gz')).toThrow(
      'f.gz: the data is gzip-compressed',
    );
    expect(() => readIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), 'f')).toThrow(
      'f: bad magic number 0x01 0x00 0x08 0x01',
    );
    expect(() => readIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'f')).toThrow(
      'f: unknown IDX type code 0x0a',
    );
    expect(() => readIdx(new Uint8Array([0, 0, 8, 0]), 'f')).toThrow('f: the header declares 0 dimensions');
    expect(() => readIdx(good.subarray(0, 10), 'f')).toThrow(
      'f: truncated header: 2 dimensions need 12 bytes, the file has 10',
    );
    expect(() => readIdx(good.subarray(0, good.length - 1), 'f')).toThrow(
      'f: truncated: shape [3, 4] of uint8 needs 12 bytes of data, the file has 11',
    );
    const longer = new Uint8Array(good.length + 2);
    longer.set(good);
    expect(() => readIdx(longer, 'f')).toThrow('f: 2 unexpected bytes after the data of shape [3, 4]');
    // A huge declared size never allocates: it is caught by the length check.
    const huge = new Uint8Array([0, 0, 0x0e, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(() => readIdx(huge, 'f')).toThrow(FormatError);
    for (let len = 0; len < good.length; len++)
      expect(() => readIdx(good.subarray(0, len))).toThrow(FormatError);
  });

  it('copies: the result never aliases the input', () => {
    const bytes = writeIdx(new Uint8Array([1, 2, 3]), [3]);
    const r = readIdx(bytes);
    r.data[0] = 99;
    expect(bytes[8]).toBe(1);
  });
});

describe('loadMnist', () => {
  it('loads the test split scaled to [0, 1] with the known first labels', () => {
    const { X, y, width, height } = loadMnist({ split: 'test', limit: 100 });
    expect([X.rows, X.cols, width, height]).toEqual([100, 784, 28, 28]);
    expect(X.dtype).toBe('float64');
    // The first ten MNIST test labels are well known.
    expect(Array.from(y.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of X.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const raw = loadMnistRaw({ split: 'test', limit: 100 });
    expect(raw.X.length).toBe(100 * 784);
    for (let i = 0; i < raw.X.length; i++)
      if (X.data[i] !== raw.X[i]! / 255) throw new Error(`pixel ${i} differs`);
  });

  it('reads the full splits with the right sizes and label counts', () => {
    const test = loadMnistRaw({ split: 'test' });
    expect(test.n).toBe(10000);
    const counts = new Array(10).fill(0);
    for (const v of test.y) counts[v]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const train = loadMnistRaw({ split: 'train', limit: 5 });
    expect(Array.from(train.y)).toEqual([5, 0, 4, 1, 9]);
    const f32 = loadMnist({ split: 'train', limit: 3, dtype: 'float32' });
    expect(f32.X.dtype).toBe('float32');
    expect(loadMnist().X.rows).toBe(60000);
    clearMnistCache();
  });

  it('returns fresh arrays (the cache cannot be corrupted)', () => {
    const a = loadMnistRaw({ split: 'test', limit: 2 });
    a.X.fill(7);
    a.y.fill(3);
    const b = loadMnistRaw({ split: 'test', limit: 2 });
    expect(b.y[0]).toBe(7);
    expect(b.X[0]).toBe(0);
  });

  it('validates its options', () => {
    expect(() => loadMnist({ split: 'val' as never })).toThrow(
      `The 'split' option of loadMnist must be one of "train", "test"; got "val".`,
    );
    expect(() => loadMnist({ limit: 0 })).toThrow(
      `The 'limit' option of loadMnist must be an integer >= 1; got 0.`,
    );
    expect(() => loadMnist({ split: 'test', limit: 10001 })).toThrow(ValidationError);
    expect(() => loadMnist({ split: 'test', limit: 10001 })).toThrow(
      'limit=10001 exceeds the 10000 images of the MNIST test split',
    );
    expect(() => loadMnist({ dir: '/nonexistent' })).toThrow(/ENOENT/);
  });
});
