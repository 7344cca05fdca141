/**
 * NPY reader and writer (numpy's format, NEP 1 / numpy.lib.format): magic "\x93NUMPY", version
 * major.minor (1.0: u16 header length, latin-1; 2.0: u32; 3.0: u32, UTF-8), a Python-literal dict
 * {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } padded to a multiple of 64 bytes, then
 * the raw values.
 *
 * Reading supports little/big-endian floats (f2 f4 f8), signed/unsigned integers (1, 2, 4, 8 bytes) and
 * booleans, in C or Fortran order (returned in C order). 8-byte integers become Float64Array and must
 * fit in ±2^53. float16 becomes Float32Array. Object, string and structured dtypes are refused with a
 * FormatError, as are truncated files and headers that do not parse; nothing is ever eval'd.
 * Writing produces version 1.0 files byte-identical to numpy.save's (2.0 when the header is too long).
 */
import { FormatError, ValidationError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { byteView } from './bytes.js';

export type NpyDType =
  | 'float64'
  | 'float32'
  | 'float16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

export type NpyData =
  Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

export interface NpyArray {
  /** numpy dtype name of the file ('float64', 'int32', 'bool', ...). */
  dtype: NpyDType;
  shape: number[];
  /** Values in C (row-major) order, whatever the file's order. int64/uint64 → Float64Array, float16 → Float32Array, bool → Uint8Array. */
  data: NpyData;
  /** True when the file stored the array in Fortran (column-major) order. */
  fortranOrder: boolean;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

// ---------------------------------------------------------------------------------------------
// A parser for the small Python-literal subset numpy writes: dicts, tuples, lists, strings,
// integers, True/False/None.

type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

function parsePyLiteral(src: string): PyValue {
  let i = 0;
  const err = (what: string): never => {
    throw new FormatError(`NPY header: ${what} at character ${i} of ${JSON.stringify(src.trim())}`);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const value = (): PyValue => {
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const out: Record<string, PyValue> = Object.create(null);
      for (;;) {
        ws();
        if (src[i] === '}') {
          i++;
          return out;
        }
        const k = value();
        if (typeof k !== 'string') err('dict keys must be strings');
        ws();
        if (src[i] !== ':') err("expected ':'");
        i++;
        out[k as string] = value();
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== '}') err("expected ',' or '}'");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const out: PyValue[] = [];
      for (;;) {
        ws();
        if (src[i] === close) {
          i++;
          return out;
        }
        out.push(value());
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== close) err(`expected ',' or '${close}'`);
      }
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) err('unterminated string');
      const s = src.slice(i + 1, end);
      if (s.includes('\\')) err('escapes in strings are not supported');
      i = end + 1;
      return s;
    }
    const m = /^(-?\d+L?|True|False|None)/.exec(src.slice(i, i + 32));
    if (!m) return err('unexpected token');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  };
  const v = value();
  ws();
  if (i !== src.length) err('unexpected text after the dict');
  return v;
}

// ---------------------------------------------------------------------------------------------

interface DescrInfo {
  dtype: NpyDType;
  size: number;
  little: boolean;
}

const KINDS: Record<string, NpyDType> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'bool',
};

function parseDescr(descr: PyValue): DescrInfo {
  if (typeof descr !== 'string') {
    throw new FormatError(`NPY: structured dtypes are not supported (descr ${JSON.stringify(descr)})`);
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  if (/^[<>|=]?O\d*$/.test(descr))
    throw new FormatError(
      "NPY: object arrays (dtype 'O') are not supported: they hold pickled Python objects",
    );
  const kind = m ? `${m[2]}${m[3]}` : '';
  const dtype = KINDS[kind];
  if (!m || !dtype) {
    throw new FormatError(
      `NPY: unsupported dtype '${descr}' (supported: float16/32/64, int8..64, uint8..64, bool)`,
    );
  }
  // '=' is native order; files written by numpy on x86/ARM say '<' anyway.
  return { dtype, size: Number(m[3]), little: m[1] !== '>' };
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Parses an NPY file.
 * @example const { shape, data } = readNpy(fs.readFileSync('x.npy')); // shape [n, d], data Float64Array
 */
export function readNpy(bytes: Uint8Array | ArrayBuffer, name = 'NPY data'): NpyArray {
  const u8 = byteView(bytes, name);
  const fail = (msg: string): never => {
    throw new FormatError(`${name}: ${msg}`);
  };
  if (u8.length < 10 || MAGIC.some((b, k) => u8[k] !== b)) {
    if (u8[0] === 0x50 && u8[1] === 0x4b)
      fail('this is a zip archive (.npz?); extract the .npy members first');
    fail('not an NPY file (the magic string "\\x93NUMPY" is missing)');
  }
  const major = u8[6]!;
  const minor = u8[7]!;
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (u8.length < 12) fail(`truncated: a version ${major}.${minor} header needs 12 bytes`);
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else {
    return fail(`unsupported NPY version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  if (start + headerLen > u8.length)
    fail(`truncated: the header declares ${headerLen} bytes but only ${u8.length - start} follow`);
  const raw = u8.subarray(start, start + headerLen);
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: major === 3 }).decode(raw);
  } catch {
    return fail('the header is not valid UTF-8');
  }
  const dict = parsePyLiteral(text);
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) fail('the header is not a dict');
  const h = dict as Record<string, PyValue>;
  for (const key of ['descr', 'fortran_order', 'shape']) if (!(key in h)) fail(`the header lacks '${key}'`);
  const extra = Object.keys(h).filter((k) => !['descr', 'fortran_order', 'shape'].includes(k));
  if (extra.length) fail(`unexpected header keys: ${extra.join(', ')}`);
  const info = parseDescr(h.descr!);
  if (typeof h.fortran_order !== 'boolean') fail('fortran_order must be True or False');
  const shapeV = h.shape;
  if (
    !Array.isArray(shapeV) ||
    !shapeV.every((s) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)
  ) {
    fail(`shape must be a tuple of non-negative integers; got ${JSON.stringify(shapeV)}`);
  }
  const shape = shapeV as number[];
  let count = 1;
  for (const s of shape) count *= s;
  const dataStart = start + headerLen;
  const have = u8.length - dataStart;
  const need = count * info.size;
  if (have < need)
    fail(
      `truncated: shape (${shape.join(', ')}) of ${info.dtype} needs ${need} bytes of data, the file has ${have}`,
    );
  if (have > need) fail(`${have - need} unexpected bytes after the data of shape (${shape.join(', ')})`);

  const data = decodeValues(dv, dataStart, count, info, name);
  const fortranOrder = h.fortran_order as boolean;
  return {
    dtype: info.dtype,
    shape: [...shape],
    data: fortranOrder && shape.length > 1 ? fortranToC(data, shape) : data,
    fortranOrder,
  };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const FAST: Partial<Record<NpyDType, { new (b: ArrayBuffer): NpyData }>> = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
  int8: Int8Array,
};

function decodeValues(dv: DataView, at: number, count: number, info: DescrInfo, name: string): NpyData {
  const le = info.little;
  const fast = FAST[info.dtype];
  if (fast && (le === LITTLE_ENDIAN_HOST || info.size === 1)) {
    // Same byte order as the host: one copy into a fresh (aligned) buffer.
    const buf = new ArrayBuffer(count * info.size);
    new Uint8Array(buf).set(new Uint8Array(dv.buffer, dv.byteOffset + at, count * info.size));
    return new fast(buf);
  }
  switch (info.dtype) {
    case 'float64': {
      const a = new Float64Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getFloat64(at + 8 * i, le);
      return a;
    }
    case 'float32': {
      const a = new Float32Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getFloat32(at + 4 * i, le);
      return a;
    }
    case 'float16': {
      const a = new Float32Array(count);
      for (let i = 0; i < count; i++) a[i] = halfToFloat(dv.getUint16(at + 2 * i, le));
      return a;
    }
    case 'int8': {
      const a = new Int8Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getInt8(at + i);
      return a;
    }
    case 'int16': {
      const a = new Int16Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getInt16(at + 2 * i, le);
      return a;
    }
    case 'int32': {
      const a = new Int32Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getInt32(at + 4 * i, le);
      return a;
    }
    case 'uint8':
    case 'bool': {
      const a = new Uint8Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getUint8(at + i);
      if (info.dtype === 'bool') {
        for (let i = 0; i < count; i++)
          if (a[i]! > 1) throw new FormatError(`${name}: bool value ${a[i]} at index ${i}`);
      }
      return a;
    }
    case 'uint16': {
      const a = new Uint16Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getUint16(at + 2 * i, le);
      return a;
    }
    case 'uint32': {
      const a = new Uint32Array(count);
      for (let i = 0; i < count; i++) a[i] = dv.getUint32(at + 4 * i, le);
      return a;
    }
    case 'int64':
    case 'uint64': {
      const a = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const v = info.dtype === 'int64' ? dv.getBigInt64(at + 8 * i, le) : dv.getBigUint64(at + 8 * i, le);
        if (v > 9007199254740991n || v < -9007199254740991n) {
          throw new FormatError(
            `${name}: ${info.dtype} value ${v} at index ${i} does not fit in a double exactly`,
          );
        }
        a[i] = Number(v);
      }
      return a;
    }
  }
}

/** Reorders Fortran-order values (first index fastest) into C order (last index fastest). */
function fortranToC<T extends NpyData>(src: T, shape: number[]): T {
  const nd = shape.length;
  const count = src.length;
  const out = new (src.constructor as { new (n: number): T })(count);
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    fStride[k] = s;
    s *= shape[k]!;
  }
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < count; c++) {
    out[c] = src[f]!;
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]!++;
      f += fStride[k]!;
      if (idx[k]! < shape[k]!) break;
      f -= fStride[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * An NPY array as a float64 Matrix: 2-D arrays as they are, 1-D arrays as one column.
 * @example const X = npyToMatrix(readNpy(bytes));
 */
export function npyToMatrix(a: NpyArray, name = 'NPY array'): Matrix<Float64Array> {
  if (!a || !Array.isArray(a.shape) || !ArrayBuffer.isView(a.data)) {
    throw new ValidationError(`${name} must be an NpyArray ({ dtype, shape, data }) as readNpy returns`);
  }
  let count = 1;
  for (const s of a.shape) count *= s;
  if (count !== a.data.length) {
    throw new ValidationError(`${name} has shape (${a.shape.join(', ')}) but ${a.data.length} values`);
  }
  let rows: number;
  let cols: number;
  if (a.shape.length === 2) [rows, cols] = a.shape as [number, number];
  else if (a.shape.length === 1) [rows, cols] = [a.shape[0]!, 1];
  else
    throw new ValidationError(`${name} has shape (${a.shape.join(', ')}); a matrix needs 1 or 2 dimensions`);
  return new Matrix(a.data instanceof Float64Array ? a.data : Float64Array.from(a.data), rows, cols);
}

// ---------------------------------------------------------------------------------------------

const WRITE_DESCR: [new (...a: never[]) => ArrayBufferView, string, number][] = [
  [Float64Array, '<f8', 8],
  [Float32Array, '<f4', 4],
  [Int32Array, '<i4', 4],
  [Uint8Array, '|u1', 1],
  [Int8Array, '|i1', 1],
  [Int16Array, '<i2', 2],
  [Uint16Array, '<u2', 2],
  [Uint32Array, '<u4', 4],
];

export interface WriteNpyOptions {
  /** Write a Uint8Array of 0/1 as numpy bool ('|b1'). */
  bool?: boolean;
}

/**
 * Serialises a Matrix (shape [rows, cols]) or a typed array (with `shape`, default [length]) as an NPY
 * file, little-endian, C order — the same bytes numpy.save writes.
 * @example fs.writeFileSync('embedding.npy', writeNpy(Y));
 */
export function writeNpy(
  input: Matrix | NpyData,
  shape?: readonly number[],
  options: WriteNpyOptions = {},
): Uint8Array {
  let data: NpyData;
  let shp: number[];
  if (input instanceof Matrix) {
    data = input.contiguous().data;
    shp = shape ? [...shape] : [input.rows, input.cols];
  } else {
    data = input;
    shp = shape ? [...shape] : [input?.length];
  }
  const entry = WRITE_DESCR.find(([ctor]) => data instanceof ctor && data.constructor === ctor);
  if (!entry) {
    throw new ValidationError(
      'writeNpy: input must be a Matrix or a Float64/Float32/Int32/Uint8/Int8/Int16/Uint16/Uint32Array',
    );
  }
  if (!shp.every((s) => Number.isSafeInteger(s) && s >= 0))
    throw new ValidationError(`writeNpy: invalid shape [${shp.join(', ')}]`);
  const count = shp.reduce((p, q) => p * q, 1);
  if (count !== data.length)
    throw new ValidationError(
      `writeNpy: shape [${shp.join(', ')}] needs ${count} values, data has ${data.length}`,
    );
  let descr = entry[1];
  if (options.bool) {
    if (!(data instanceof Uint8Array)) throw new ValidationError('writeNpy: bool output needs a Uint8Array');
    for (let i = 0; i < data.length; i++)
      if (data[i]! > 1) throw new ValidationError(`writeNpy: bool data has ${data[i]} at index ${i}`);
    descr = '|b1';
  }
  const shapeStr = shp.length === 1 ? `(${shp[0]},)` : `(${shp.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // numpy pads magic + length + header + '\n' to a multiple of 64 with spaces.
  let major = 1;
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    major = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const bytesPer = entry[2];
  const out = new Uint8Array(total + count * bytesPer);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, dict.length, true);
  else dv.setUint32(8, dict.length, true);
  for (let k = 0; k < dict.length; k++) out[pre + k] = dict.charCodeAt(k);
  const body = new DataView(out.buffer, total);
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    switch (descr) {
      case '<f8':
        body.setFloat64(8 * i, v, true);
        break;
      case '<f4':
        body.setFloat32(4 * i, v, true);
        break;
      case '<i4':
        body.setInt32(4 * i, v, true);
        break;
      case '|u1':
      case '|b1':
        body.setUint8(i, v);
        break;
      case '|i1':
        body.setInt8(i, v);
        break;
      case '<i2':
        body.setInt16(2 * i, v, true);
        break;
      case '<u2':
        body.setUint16(2 * i, v, true);
        break;
      case '<u4':
        body.setUint32(4 * i, v, true);
        break;
    }
  }
  return out;
}
