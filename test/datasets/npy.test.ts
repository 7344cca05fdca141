import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { Matrix } from '../../src/core/matrix.js';
import { npyToMatrix, readNpy, writeNpy } from '../../src/datasets/index.js';

const dir = new URL('../fixtures/datasets/', import.meta.url);
const { cases } = JSON.parse(readFileSync(new URL('npy.json', dir), 'utf8'));
const file = (f: string) => new Uint8Array(readFileSync(new URL(f, dir)));

describe('readNpy on files written by numpy', () => {
  for (const c of cases) {
    it(`${c.file} (${c.dtype}, v${c.version.join('.')}${c.fortran ? ', Fortran order' : ''})`, () => {
      const a = readNpy(file(c.file));
      expect(a.dtype).toBe(c.dtype);
      expect(a.shape).toEqual(c.shape);
      expect(a.fortranOrder).toBe(c.fortran);
      expect(Array.from(a.data)).toEqual(c.values);
    });
  }
});

describe('writeNpy', () => {
  const same = (name: string, bytes: Uint8Array) =>
    expect(Buffer.from(bytes).equals(Buffer.from(file(`npy/${name}.npy`)))).toBe(true);
  const pick = (name: string) => cases.find((c: { file: string }) => c.file === `npy/${name}.npy`);

  it('writes the same bytes as numpy.save for every writable dtype', () => {
    const ctors: Record<string, new (v: number[]) => Parameters<typeof writeNpy>[0]> = {
      f8: Float64Array,
      f4: Float32Array,
      i4: Int32Array,
      u1: Uint8Array,
      i1: Int8Array,
      i2: Int16Array,
      u2: Uint16Array,
      u4: Uint32Array,
    };
    for (const [name, ctor] of Object.entries(ctors)) {
      const c = pick(name);
      same(name, writeNpy(new ctor(c.values), c.shape));
    }
    same('b1', writeNpy(Uint8Array.from(pick('b1').values), [3, 4], { bool: true }));
    same('f8_1d', writeNpy(Float64Array.from(pick('f8_1d').values)));
    same('f8_0d', writeNpy(new Float64Array([2.5]), []));
    same('f8_empty', writeNpy(new Float64Array(0), [0, 3]));
  });

  it('writes a Matrix view (transpose) in C order and round-trips', () => {
    const M = Matrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const back = readNpy(writeNpy(M.T));
    expect(back.shape).toEqual([3, 2]);
    expect(Array.from(back.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(npyToMatrix(back).toArray()).toEqual(M.T.toArray());
    expect(npyToMatrix(readNpy(writeNpy(new Int32Array([7, 8])))).toArray()).toEqual([[7], [8]]);
  });

  it('validates its input', () => {
    expect(() => writeNpy(new Float64Array(5), [2, 3])).toThrow(
      'writeNpy: shape [2, 3] needs 6 values, data has 5',
    );
    expect(() => writeNpy([1, 2] as never)).toThrow(
      'writeNpy: input must be a Matrix or a Float64/Float32/Int32/Uint8/Int8/Int16/Uint16/Uint32Array',
    );
    expect(() => writeNpy(new Uint8Array([2]), [1], { bool: true })).toThrow(
      'writeNpy: bool data has 2 at index 0',
    );
    expect(() => npyToMatrix(readNpy(file('npy/i2_fortran_3d.npy')))).toThrow(
      'NPY array has shape (2, 3, 4); a matrix needs 1 or 2 dimensions',
    );
  });
});

describe('readNpy on malformed files', () => {
  const good = file('npy/f8.npy');
  const withHeader = (h: string, data = new Uint8Array(0)) => {
    const out = new Uint8Array(10 + h.length + data.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(out.buffer).setUint16(8, h.length, true);
    for (let k = 0; k < h.length; k++) out[10 + k] = h.charCodeAt(k);
    out.set(data, 10 + h.length);
    return out;
  };

  it('rejects every truncation with a FormatError', () => {
    for (let len = 0; len < good.length; len++)
      expect(() => readNpy(good.subarray(0, len))).toThrow(FormatError);
    expect(() => readNpy(good.subarray(0, good.length - 8), 'x.npy')).toThrow(
      'x.npy: truncated: shape (3, 4) of float64 needs 96 bytes of data, the file has 88',
    );
    expect(() => readNpy(good.subarray(0, 50), 'x.npy')).toThrow(
      'x.npy: truncated: the header declares 118 bytes but only 40 follow',
    );
  });

  it('gives clear errors for wrong magic, versions, dtypes and headers', () => {
    expect(() => readNpy(new TextEncoder().encode('hello world!'), 'x')).toThrow(
      'x: not an NPY file (the magic string "\\x93NUMPY" is missing)',
    );
    expect(() => readNpy(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0]), 'a.npz')).toThrow(
      'a.npz: this is a zip archive (.npz?)',
    );
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => readNpy(v9, 'x')).toThrow('x: unsupported NPY version 9.0 (supported: 1.0, 2.0, 3.0)');
    expect(() => readNpy(withHeader("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n"))).toThrow(
      "NPY: object arrays (dtype 'O') are not supported",
    );
    expect(() => readNpy(withHeader("{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }\n"))).toThrow(
      "NPY: unsupported dtype '<U5'",
    );
    expect(() =>
      readNpy(withHeader("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }\n")),
    ).toThrow('NPY: structured dtypes are not supported');
    expect(() =>
      readNpy(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }\n"), 'x'),
    ).toThrow('x: shape must be a tuple of non-negative integers; got [-1]');
    expect(() => readNpy(withHeader("{'descr': '<f8', 'shape': (1,), }\n"), 'x')).toThrow(
      "x: the header lacks 'fortran_order'",
    );
    expect(() =>
      readNpy(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}\n"), 'x'),
    ).toThrow('x: unexpected header keys: x');
    expect(() =>
      readNpy(withHeader("{'descr': '<f8', 'fortran_order': __import__('os'), 'shape': (1,)}\n")),
    ).toThrow(/NPY header: unexpected token at character 34/);
    expect(() =>
      readNpy(
        withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", new Uint8Array(24)),
        'x',
      ),
    ).toThrow('x: 8 unexpected bytes after the data of shape (2)');
    expect(() =>
      readNpy(
        withHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array([5])),
        'x',
      ),
    ).toThrow('x: bool value 5 at index 0');
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 60n, true);
    expect(() =>
      readNpy(withHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }\n", big), 'x'),
    ).toThrow('x: int64 value 1152921504606846976 at index 0 does not fit in a double exactly');
  });
});
