/**
 * Saved-model format (after Hugging Face's safetensors): one self-describing binary blob.
 *
 *   bytes 0..8        u64 little-endian N = byte length of the JSON header (spaces pad it so that
 *                     the data section starts at a multiple of 8)
 *   bytes 8..8+N      UTF-8 JSON header: { format: "unsupervised-model", formatVersion, libraryVersion,
 *                     className, classVersion, options, meta,
 *                     arrays: { name: { dtype, shape, offset, length, crc32 } } }
 *   bytes 8+N..end    the arrays' raw little-endian bytes; `offset` is relative to the start of this
 *                     section, a multiple of 8, and the file ends exactly at the last array's end.
 *
 * Differences from safetensors: options/meta live in the header as typed JSON (non-finite numbers are
 * written as {"$nonFinite": "NaN" | "Infinity" | "-Infinity"}), and each array carries a CRC-32 so that
 * a flipped byte gives a FormatError instead of a silently wrong model.
 *
 * Loading untrusted bytes is safe: the header length and total size are limited, every offset/length is
 * bounds-checked and arrays may not overlap, dtypes come from a whitelist, the shape's product must
 * match the byte length, and the JSON reviver rejects `__proto__`, `constructor` and `prototype` keys.
 * Nothing here imports Node modules, so it runs in the browser; file helpers live in ./file.ts.
 */
import { FormatError, ValidationError } from '../core/errors.js';
import { rebuildModel, type ModelState, type Saveable, type StateArray } from '../core/estimator.js';
import { validateOptions, type ConstraintTable } from '../core/validate.js';
import { crc32 } from './crc32.js';
import { LIBRARY_VERSION } from './version.js';

/** The `format` field of every saved-model header. */
export const MODEL_FORMAT = 'unsupervised-model';
/** Version of the file layout; a newer file is refused with a FormatError naming the writer's version. */
export const MODEL_FORMAT_VERSION = 1;

/** dtype name → constructor and element size. The only dtypes a file may declare. */
const DTYPES = {
  float64: { ctor: Float64Array, size: 8 },
  float32: { ctor: Float32Array, size: 4 },
  int32: { ctor: Int32Array, size: 4 },
  uint8: { ctor: Uint8Array, size: 1 },
} as const;
export type ModelDType = keyof typeof DTYPES;

export interface ModelArrayEntry {
  dtype: ModelDType;
  shape: number[];
  /** Byte offset from the start of the data section (multiple of 8). */
  offset: number;
  /** Byte length (= product(shape) × element size). */
  length: number;
  /** CRC-32 of the array's bytes. */
  crc32: number;
}

export interface ModelHeader {
  format: string;
  formatVersion: number;
  libraryVersion: string;
  className: string;
  classVersion: number;
  options: Record<string, unknown>;
  meta: Record<string, unknown>;
  arrays: Record<string, ModelArrayEntry>;
}

export interface LoadModelOptions {
  /** Largest accepted JSON header, in bytes (default 64 MiB). */
  maxHeaderBytes?: number;
  /** Largest accepted file, in bytes (default 8 GiB). */
  maxBytes?: number;
}

/** Default limit on the JSON header of a model file (64 MiB). */
export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** Default limit on the size of a model file (8 GiB). */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024 * 1024;

const LOAD_DEFAULTS: Readonly<Required<LoadModelOptions>> = {
  maxHeaderBytes: DEFAULT_MAX_HEADER_BYTES,
  maxBytes: DEFAULT_MAX_BYTES,
};
const LOAD_TABLE: ConstraintTable<LoadModelOptions> = {
  maxHeaderBytes: { type: 'int', min: 1 },
  maxBytes: { type: 'int', min: 1 },
};

/**
 * The loading limits, checked: a NaN or negative limit must be an error, not a comparison that is
 * always false (which would silently switch the limit off).
 */
export function loadLimits(
  options: LoadModelOptions | undefined,
  fn: string,
): Readonly<Required<LoadModelOptions>> {
  return validateOptions(fn, LOAD_DEFAULTS, LOAD_TABLE, options) as Readonly<Required<LoadModelOptions>>;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const NON_FINITE_KEY = '$nonFinite';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Saving.

function dtypeOfArray(a: unknown): ModelDType | undefined {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'uint8';
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/**
 * A JSON-safe copy of an options/meta value. Non-finite numbers are tagged so they survive JSON;
 * anything that JSON would silently mangle (typed arrays, Maps, class instances, undefined in an
 * array, bigint) is an error naming its path.
 */
function toJsonValue(v: unknown, path: string, dropCallbacks: boolean): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    return { [NON_FINITE_KEY]: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
  }
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      if (x === undefined) throw new ValidationError(`cannot save ${path}[${i}]: it is undefined`);
      return toJsonValue(x, `${path}[${i}]`, false);
    });
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (FORBIDDEN_KEYS.has(k) || k === NON_FINITE_KEY) {
        throw new ValidationError(`cannot save ${path}: the key '${k}' is reserved`);
      }
      if (x === undefined) continue;
      if (
        dropCallbacks &&
        (typeof x === 'function' || (typeof x === 'object' && x !== null && 'aborted' in x))
      ) {
        continue;
      }
      out[k] = toJsonValue(x, `${path}.${k}`, false);
    }
    return out;
  }
  throw new ValidationError(
    `cannot save ${path}: it is ${typeName(v)}; options and meta hold JSON values only ` +
      `(numbers, strings, booleans, null, arrays, plain objects); put typed arrays in state.arrays`,
  );
}

function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Serialises a model state (see the file comment for the layout). */
export function encodeModelState(state: ModelState): Uint8Array {
  if (!state || typeof state !== 'object') throw new ValidationError('getState() must return an object');
  const { className, version } = state;
  if (typeof className !== 'string' || className.length === 0) {
    throw new ValidationError(`state.className must be a non-empty string; got ${typeName(className)}`);
  }
  if (!Number.isInteger(version))
    throw new ValidationError(`state.version of ${className} must be an integer; got ${version}`);
  const options = toJsonValue(state.options ?? {}, 'options', true) as Record<string, unknown>;
  const meta = toJsonValue(state.meta ?? {}, 'meta', false) as Record<string, unknown>;
  if (!isPlainObject(state.arrays ?? {}))
    throw new ValidationError(`state.arrays of ${className} must be a plain object`);

  const arrays: Record<string, ModelArrayEntry> = {};
  const payloads: { offset: number; data: StateArray; dtype: ModelDType }[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(state.arrays ?? {})) {
    if (FORBIDDEN_KEYS.has(name))
      throw new ValidationError(`cannot save array '${name}': the name is reserved`);
    const dtype = dtypeOfArray(a?.data);
    if (!dtype) {
      throw new ValidationError(
        `cannot save array '${name}' of ${className}: data is ${typeName(a?.data)}; ` +
          `expected Float64Array, Float32Array, Int32Array or Uint8Array`,
      );
    }
    const shape = a.shape;
    if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      throw new ValidationError(
        `cannot save array '${name}' of ${className}: shape must be non-negative integers`,
      );
    }
    if (shapeSize(shape) !== a.data.length) {
      throw new ValidationError(
        `cannot save array '${name}' of ${className}: shape [${shape.join(', ')}] needs ${shapeSize(shape)} values, data has ${a.data.length}`,
      );
    }
    const bytes = bytesOf(a.data, dtype);
    arrays[name] = { dtype, shape: [...shape], offset, length: bytes.length, crc32: crc32(bytes) };
    payloads.push({ offset, data: a.data, dtype });
    offset += bytes.length;
    offset = (offset + 7) & ~7;
    if (offset > Number.MAX_SAFE_INTEGER) throw new ValidationError('model is too large to save');
  }
  // The file ends at the last array's end, not at the padded offset.
  let dataLength = 0;
  for (const e of Object.values(arrays)) dataLength = Math.max(dataLength, e.offset + e.length);

  const header: ModelHeader = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    libraryVersion: LIBRARY_VERSION,
    className,
    classVersion: version,
    options,
    meta,
    arrays,
  };
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = (json.length + 7) & ~7;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const dataStart = 8 + json.length;
  const out = new Uint8Array(dataStart + dataLength);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length % 0x100000000, true);
  dv.setUint32(4, Math.floor(json.length / 0x100000000), true);
  out.set(json, 8);
  for (const p of payloads) out.set(bytesOf(p.data, p.dtype), dataStart + p.offset);
  return out;
}

/** Little-endian bytes of a typed array (a view on little-endian hosts, a swapped copy otherwise). */
function bytesOf(a: StateArray, dtype: ModelDType): Uint8Array {
  const view = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const size = DTYPES[dtype].size;
  if (LITTLE_ENDIAN_HOST || size === 1) return view;
  const out = new Uint8Array(view.length);
  for (let i = 0; i < view.length; i += size)
    for (let b = 0; b < size; b++) out[i + b] = view[i + size - 1 - b]!;
  return out;
}

/** Saves a fitted model to bytes. Throws if its state holds values the format cannot represent. */
export function saveModel(model: Saveable): Uint8Array {
  if (!model || typeof (model as Saveable).getState !== 'function') {
    throw new ValidationError(`saveModel needs a model with getState(); got ${typeName(model)}`);
  }
  return encodeModelState(model.getState());
}

// ---------------------------------------------------------------------------------------------
// Loading.

function fail(message: string): never {
  throw new FormatError(`invalid model file: ${message}`);
}

function reviver(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) fail(`the header contains the forbidden key '${key}'`);
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === NON_FINITE_KEY) {
      const t = value[NON_FINITE_KEY];
      if (t === 'NaN') return NaN;
      if (t === 'Infinity') return Infinity;
      if (t === '-Infinity') return -Infinity;
      fail(`bad ${NON_FINITE_KEY} value ${JSON.stringify(t)}`);
    }
  }
  return value;
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ValidationError(`model bytes must be a Uint8Array or ArrayBuffer; got ${typeName(bytes)}`);
}

/** Parses and checks the header; returns it with the absolute start of the data section. */
export function readModelHeader(
  input: Uint8Array | ArrayBuffer,
  options: LoadModelOptions = {},
): { header: ModelHeader; dataStart: number } {
  const { maxHeaderBytes: maxHeader, maxBytes } = loadLimits(options, 'readModelHeader');
  const bytes = asBytes(input);
  if (bytes.length > maxBytes)
    fail(`${bytes.length} bytes exceed the limit of ${maxBytes} bytes (option maxBytes)`);
  if (bytes.length < 8) fail(`only ${bytes.length} bytes; the 8-byte header length is missing`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const headerLength = hi * 0x100000000 + lo;
  if (headerLength === 0) fail('the header length is 0');
  if (headerLength > maxHeader) {
    fail(
      `declared header length ${headerLength} exceeds the limit of ${maxHeader} bytes (option maxHeaderBytes)`,
    );
  }
  if (8 + headerLength > bytes.length) {
    fail(`truncated: the header declares ${headerLength} bytes but only ${bytes.length - 8} follow`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail('the header is not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text, reviver);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  const header = checkHeader(raw, bytes.subarray(8 + headerLength));
  return { header, dataStart: 8 + headerLength };
}

function checkHeader(raw: unknown, data: Uint8Array): ModelHeader {
  const dataBytes = data.length;
  if (!isPlainObject(raw)) fail('the header is not a JSON object');
  const h = raw;
  if (h.format !== MODEL_FORMAT) fail(`format is ${JSON.stringify(h.format)}, expected "${MODEL_FORMAT}"`);
  if (!Number.isInteger(h.formatVersion) || (h.formatVersion as number) < 1)
    fail('formatVersion must be an integer >= 1');
  if ((h.formatVersion as number) > MODEL_FORMAT_VERSION) {
    fail(
      `format version ${h.formatVersion} is newer than this library reads (${MODEL_FORMAT_VERSION}); ` +
        `the file was written by unsupervised ${String(h.libraryVersion)}`,
    );
  }
  if (typeof h.libraryVersion !== 'string') fail('libraryVersion must be a string');
  if (typeof h.className !== 'string' || h.className.length === 0)
    fail('className must be a non-empty string');
  if (!Number.isInteger(h.classVersion)) fail('classVersion must be an integer');
  if (!isPlainObject(h.options)) fail('options must be an object');
  if (!isPlainObject(h.meta)) fail('meta must be an object');
  if (!isPlainObject(h.arrays)) fail('arrays must be an object');

  const spans: { name: string; start: number; end: number }[] = [];
  for (const [name, e] of Object.entries(h.arrays)) {
    if (!isPlainObject(e)) fail(`array '${name}' is not an object`);
    const dt = e.dtype;
    if (typeof dt !== 'string' || !Object.prototype.hasOwnProperty.call(DTYPES, dt)) {
      fail(
        `array '${name}' has unsupported dtype ${JSON.stringify(dt)} (allowed: ${Object.keys(DTYPES).join(', ')})`,
      );
    }
    const size = DTYPES[dt as ModelDType].size;
    const shape = e.shape;
    if (
      !Array.isArray(shape) ||
      shape.length > 32 ||
      !shape.every((s) => Number.isSafeInteger(s) && s >= 0)
    ) {
      fail(`array '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    }
    let count = (shape as number[]).includes(0) ? 0 : 1;
    for (const s of count === 0 ? [] : (shape as number[])) {
      count *= s;
      // Early exit keeps `count` exact: a product past the file size is wrong whatever follows.
      if (count * size > dataBytes) break;
    }
    const { offset, length } = e;
    if (!Number.isSafeInteger(offset) || (offset as number) < 0)
      fail(`array '${name}' has an invalid offset ${JSON.stringify(offset)}`);
    if (!Number.isSafeInteger(length) || (length as number) < 0)
      fail(`array '${name}' has an invalid length ${JSON.stringify(length)}`);
    if ((offset as number) % 8 !== 0) fail(`array '${name}' offset ${offset} is not a multiple of 8`);
    if (count * size !== length) {
      fail(
        `array '${name}' has shape [${(shape as number[]).join(', ')}] of ${dt} but a byte length of ${length}`,
      );
    }
    if ((offset as number) + (length as number) > dataBytes) {
      fail(
        `truncated: array '${name}' spans bytes ${offset}..${(offset as number) + (length as number)} of a ${dataBytes}-byte data section`,
      );
    }
    if (!Number.isInteger(e.crc32) || (e.crc32 as number) < 0 || (e.crc32 as number) > 0xffffffff) {
      fail(`array '${name}' has an invalid crc32`);
    }
    spans.push({ name, start: offset as number, end: (offset as number) + (length as number) });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  let end = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (i > 0 && s.start < spans[i - 1]!.end) fail(`arrays '${spans[i - 1]!.name}' and '${s.name}' overlap`);
    // Alignment padding must be zero, so that every byte of the data section is checked.
    for (let b = end; b < s.start; b++) if (data[b] !== 0) fail(`non-zero padding byte at data offset ${b}`);
    end = Math.max(end, s.end);
  }
  if (end !== dataBytes) fail(`${dataBytes - end} unexpected bytes after the last array`);
  return h as unknown as ModelHeader;
}

/** Parses and verifies a saved model into its state, without rebuilding the estimator. */
export function decodeModelState(
  input: Uint8Array | ArrayBuffer,
  options: LoadModelOptions = {},
): ModelState {
  const limits = loadLimits(options, 'decodeModelState');
  const bytes = asBytes(input);
  const { header, dataStart } = readModelHeader(bytes, limits);
  const arrays: ModelState['arrays'] = {};
  for (const [name, e] of Object.entries(header.arrays)) {
    const src = bytes.subarray(dataStart + e.offset, dataStart + e.offset + e.length);
    if (crc32(src) !== e.crc32) fail(`array '${name}' is corrupted (CRC-32 mismatch)`);
    const { ctor, size } = DTYPES[e.dtype];
    const data = new ctor(e.length / size);
    const dst = new Uint8Array(data.buffer);
    if (LITTLE_ENDIAN_HOST || size === 1) dst.set(src);
    else
      for (let i = 0; i < src.length; i += size)
        for (let b = 0; b < size; b++) dst[i + b] = src[i + size - 1 - b]!;
    // defineProperty, not assignment: array names come from the file.
    Object.defineProperty(arrays, name, {
      value: { data, shape: e.shape },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    className: header.className,
    version: header.classVersion,
    options: header.options,
    meta: header.meta,
    arrays,
  };
}

/** Loads a model saved by `saveModel`; the class must be registered (importing the library does it). */
export function loadModel(bytes: Uint8Array | ArrayBuffer, options: LoadModelOptions = {}): Saveable {
  return rebuildModel(decodeModelState(bytes, loadLimits(options, 'loadModel')));
}
