/**
 * IDX reader (LeCun's format for MNIST, http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * 0x00 0x00 <type> <ndims>, then ndims big-endian uint32 sizes, then the values in big-endian,
 * row-major order. Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 *
 * Every length is checked before use: a truncated, gzipped or otherwise malformed file gives a
 * FormatError saying what is wrong, never a wrongly shaped array.
 */
import { FormatError, ValidationError } from '../core/errors.js';
import { byteView } from './bytes.js';

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxResult {
  dtype: IdxDType;
  /** Sizes of each dimension, outermost first (e.g. [60000, 28, 28]). */
  shape: number[];
  /** Values in row-major order (a fresh array; never a view of the input). */
  data: IdxArray;
}

type IdxCtor = new (n: number) => IdxArray;

/** Type code → dtype, element size, array constructor and big-endian DataView accessors. */
const TYPES: Record<number, { dtype: IdxDType; size: number; ctor: IdxCtor; get: Getter; set: Setter }> = {
  0x08: {
    dtype: 'uint8',
    size: 1,
    ctor: Uint8Array,
    get: (v, o) => v.getUint8(o),
    set: (v, o, x) => v.setUint8(o, x),
  },
  0x09: {
    dtype: 'int8',
    size: 1,
    ctor: Int8Array,
    get: (v, o) => v.getInt8(o),
    set: (v, o, x) => v.setInt8(o, x),
  },
  0x0b: {
    dtype: 'int16',
    size: 2,
    ctor: Int16Array,
    get: (v, o) => v.getInt16(o),
    set: (v, o, x) => v.setInt16(o, x),
  },
  0x0c: {
    dtype: 'int32',
    size: 4,
    ctor: Int32Array,
    get: (v, o) => v.getInt32(o),
    set: (v, o, x) => v.setInt32(o, x),
  },
  0x0d: {
    dtype: 'float32',
    size: 4,
    ctor: Float32Array,
    get: (v, o) => v.getFloat32(o),
    set: (v, o, x) => v.setFloat32(o, x),
  },
  0x0e: {
    dtype: 'float64',
    size: 8,
    ctor: Float64Array,
    get: (v, o) => v.getFloat64(o),
    set: (v, o, x) => v.setFloat64(o, x),
  },
};
type Getter = (v: DataView, offset: number) => number;
type Setter = (v: DataView, offset: number, x: number) => void;

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/** Parses an IDX file. `name` (e.g. the file name) is used in error messages. */
export function readIdx(bytes: Uint8Array | ArrayBuffer, name = 'IDX data'): IdxResult {
  const u8 = byteView(bytes, name);
  if (u8.length < 4)
    throw new FormatError(`${name}: only ${u8.length} bytes; an IDX file starts with a 4-byte magic number`);
  if (u8[0] === 0x1f && u8[1] === 0x8b) {
    throw new FormatError(`${name}: the data is gzip-compressed; decompress it first (e.g. gunzip)`);
  }
  if (u8[0] !== 0 || u8[1] !== 0) {
    throw new FormatError(
      `${name}: bad magic number ${hex(u8[0]!)} ${hex(u8[1]!)} ${hex(u8[2]!)} ${hex(u8[3]!)}; an IDX file starts with 0x00 0x00`,
    );
  }
  const type = TYPES[u8[2]!];
  if (!type)
    throw new FormatError(
      `${name}: unknown IDX type code ${hex(u8[2]!)} (known: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)`,
    );
  const ndims = u8[3]!;
  if (ndims === 0) throw new FormatError(`${name}: the header declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndims;
  if (u8.length < headerBytes) {
    throw new FormatError(
      `${name}: truncated header: ${ndims} dimensions need ${headerBytes} bytes, the file has ${u8.length}`,
    );
  }
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const s = dv.getUint32(4 + 4 * i, false);
    shape.push(s);
    count *= s;
  }
  const expected = count * type.size;
  const have = u8.length - headerBytes;
  if (have < expected) {
    throw new FormatError(
      `${name}: truncated: shape [${shape.join(', ')}] of ${type.dtype} needs ${expected} bytes of data, the file has ${have}`,
    );
  }
  if (have > expected) {
    throw new FormatError(
      `${name}: ${have - expected} unexpected bytes after the data of shape [${shape.join(', ')}]`,
    );
  }
  let data: IdxArray;
  if (type.size === 1) {
    // Single bytes have no byte order: one copy into a fresh buffer.
    data = new type.ctor(count);
    new Uint8Array(data.buffer).set(u8.subarray(headerBytes));
  } else {
    data = new type.ctor(count);
    for (let i = 0; i < count; i++) data[i] = type.get(dv, headerBytes + type.size * i);
  }
  return { dtype: type.dtype, shape, data };
}

/** Writes an IDX file (big-endian), the inverse of `readIdx`; used for tests and exports. */
export function writeIdx(data: IdxArray, shape: readonly number[]): Uint8Array {
  const entry = Object.entries(TYPES).find(([, t]) => data instanceof t.ctor);
  if (!entry)
    throw new ValidationError('writeIdx: data must be a Uint8/Int8/Int16/Int32/Float32/Float64Array');
  const [code, type] = entry;
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 255)
    throw new ValidationError(`writeIdx: shape must have 1..255 dimensions`);
  let count = 1;
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0 || s > 0xffffffff)
      throw new ValidationError(`writeIdx: invalid dimension ${s}`);
    count *= s;
  }
  if (count !== data.length)
    throw new ValidationError(
      `writeIdx: shape [${shape.join(', ')}] needs ${count} values, data has ${data.length}`,
    );
  const head = 4 + 4 * shape.length;
  const out = new Uint8Array(head + count * type.size);
  const dv = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = shape.length;
  shape.forEach((s, i) => dv.setUint32(4 + 4 * i, s, false));
  for (let i = 0; i < count; i++) type.set(dv, head + i * type.size, data[i]!);
  return out;
}
