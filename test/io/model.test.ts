import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, ValidationError } from '../../src/core/errors.js';
import { registerModel, type ModelState, type Saveable } from '../../src/core/estimator.js';
import {
  crc32,
  decodeModelState,
  LIBRARY_VERSION,
  loadModel,
  loadModelFile,
  readModelHeader,
  saveModel,
  saveModelFile,
} from '../../src/io/index.js';

/** A minimal saveable "model" that just carries a state. */
class Toy implements Saveable {
  constructor(readonly state: ModelState) {}
  getState(): ModelState {
    return this.state;
  }
}
registerModel('IoToy', (s) => new Toy(s));

function toyState(): ModelState {
  return {
    className: 'IoToy',
    version: 3,
    options: {
      nClusters: 3,
      init: 'k-means++',
      tol: 1e-4,
      maxIter: Infinity,
      nested: { a: [1, 2, { b: null }] },
      onProgress: () => 1,
    },
    meta: { nIter: 7, inertia: 12.5, nan: NaN, neg: -Infinity, stopReason: 'converged', flag: true },
    arrays: {
      centers: { data: new Float64Array([1.5, -2.25, Math.PI, 1e-300, -0, Number.MAX_VALUE]), shape: [2, 3] },
      w32: { data: new Float32Array([0.1, 2, -3.5]), shape: [3] },
      labels: { data: new Int32Array([0, -1, 2147483647, -2147483648, 5]), shape: [5] },
      mask: { data: new Uint8Array([0, 255, 7]), shape: [1, 3, 1] },
      empty: { data: new Float64Array(0), shape: [0, 4] },
    },
  };
}

function reload(bytes: Uint8Array): ModelState {
  return (loadModel(bytes) as Toy).state;
}

function headerJson(bytes: Uint8Array): Record<string, unknown> {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

/** Rebuilds a file from a (possibly malicious) header object and a data section. */
function craft(header: unknown, data: Uint8Array = new Uint8Array(0), rawJson?: string): Uint8Array {
  const json = new TextEncoder().encode(rawJson ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('saveModel / loadModel', () => {
  it('round-trips every dtype, shape, option and meta value bit for bit', () => {
    const bytes = saveModel(new Toy(toyState()));
    const s = reload(bytes);
    const ref = toyState();
    expect(s.className).toBe('IoToy');
    expect(s.version).toBe(3);
    expect(s.options).toEqual({
      nClusters: 3,
      init: 'k-means++',
      tol: 1e-4,
      maxIter: Infinity,
      nested: { a: [1, 2, { b: null }] },
    });
    expect(s.meta).toEqual({
      nIter: 7,
      inertia: 12.5,
      nan: NaN,
      neg: -Infinity,
      stopReason: 'converged',
      flag: true,
    });
    for (const [name, a] of Object.entries(ref.arrays)) {
      const b = s.arrays[name]!;
      expect(b.data.constructor).toBe(a.data.constructor);
      expect(b.shape).toEqual(a.shape);
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
    }
    expect(Object.is(s.arrays.centers!.data[4], -0)).toBe(true);
    expect(s.arrays.w32!.data[0]).toBe(Math.fround(0.1));
  });

  it('writes the documented layout: u64 header length, aligned JSON, 8-aligned arrays', () => {
    const bytes = saveModel(new Toy(toyState()));
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    const n = dv.getUint32(0, true);
    expect(dv.getUint32(4, true)).toBe(0);
    expect((8 + n) % 8).toBe(0);
    const h = headerJson(bytes) as {
      arrays: Record<string, { offset: number; length: number; dtype: string; crc32: number }>;
    };
    expect(h).toMatchObject({
      format: 'unsupervised-model',
      formatVersion: 1,
      libraryVersion: LIBRARY_VERSION,
      className: 'IoToy',
      classVersion: 3,
    });
    expect(h.arrays.centers).toMatchObject({ dtype: 'float64', shape: [2, 3], offset: 0, length: 48 });
    expect(h.arrays.w32).toMatchObject({ dtype: 'float32', offset: 48, length: 12 });
    expect(h.arrays.labels).toMatchObject({ dtype: 'int32', offset: 64, length: 20 });
    for (const e of Object.values(h.arrays)) expect(e.offset % 8).toBe(0);
    const centers = new Float64Array(bytes.slice(8 + n, 8 + n + 48).buffer);
    expect(Array.from(centers)).toEqual(Array.from(toyState().arrays.centers!.data));
    expect(h.arrays.centers!.crc32).toBe(crc32(bytes.subarray(8 + n, 8 + n + 48)));
  });

  it('loads from an unaligned view and from an ArrayBuffer, and copies the data', () => {
    const bytes = saveModel(new Toy(toyState()));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const s = reload(shifted.subarray(3));
    expect(Array.from(s.arrays.centers!.data)).toEqual(Array.from(toyState().arrays.centers!.data));
    const s2 = (loadModel(bytes.slice().buffer) as Toy).state;
    expect(s2.arrays.labels!.data[2]).toBe(2147483647);
    s2.arrays.mask!.data[0] = 9;
    expect(bytes.includes(9)).toBe(bytes.includes(9)); // the file bytes are not aliased:
    expect((loadModel(bytes) as Toy).state.arrays.mask!.data[0]).toBe(0);
  });

  it('matches a known CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('library version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(LIBRARY_VERSION).toBe(pkg.version);
  });

  it('refuses states it cannot represent, naming the path', () => {
    const bad = (patch: Partial<ModelState>) => () => saveModel(new Toy({ ...toyState(), ...patch }));
    expect(bad({ meta: { w: new Float64Array(2) } })).toThrow(
      'cannot save meta.w: it is Float64Array; options and meta hold JSON values only',
    );
    expect(bad({ meta: { a: [1, undefined] } })).toThrow('cannot save meta.a[1]: it is undefined');
    expect(bad({ arrays: { x: { data: new Int16Array(2) as never, shape: [2] } } })).toThrow(
      "cannot save array 'x' of IoToy: data is Int16Array; expected Float64Array, Float32Array, Int32Array or Uint8Array",
    );
    expect(bad({ arrays: { x: { data: new Float64Array(5), shape: [2, 3] } } })).toThrow(
      "cannot save array 'x' of IoToy: shape [2, 3] needs 6 values, data has 5",
    );
    expect(bad({ className: '' })).toThrow(ValidationError);
    expect(() => saveModel({} as Saveable)).toThrow('saveModel needs a model with getState()');
  });

  it('rejects unknown class names with the list of known ones', () => {
    const bytes = saveModel(new Toy({ ...toyState(), className: 'NoSuchModel' }));
    expect(() => loadModel(bytes)).toThrow(ValidationError);
    expect(() => loadModel(bytes)).toThrow(/unknown model class 'NoSuchModel'; known: .*IoToy/);
    // The state itself still decodes (for inspection tools).
    expect(decodeModelState(bytes).className).toBe('NoSuchModel');
  });
});

describe('loadModel on damaged or hostile bytes', () => {
  const good = saveModel(new Toy(toyState()));
  const n = new DataView(good.buffer).getUint32(0, true);

  it('rejects every truncation with a FormatError', () => {
    for (let len = 0; len < good.length; len++) {
      expect(() => loadModel(good.subarray(0, len)), `length ${len}`).toThrow(FormatError);
    }
    expect(() => loadModel(good.subarray(0, 5))).toThrow(
      'invalid model file: only 5 bytes; the 8-byte header length is missing',
    );
    expect(() => loadModel(good.subarray(0, 100))).toThrow(
      `truncated: the header declares ${n} bytes but only 92 follow`,
    );
    expect(() => loadModel(good.subarray(0, good.length - 1))).toThrow(
      /truncated: array '(mask|empty)' spans bytes/,
    );
  });

  it('rejects trailing bytes', () => {
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    expect(() => loadModel(longer)).toThrow('invalid model file: 8 unexpected bytes after the last array');
  });

  it('never returns a wrong model after a flipped byte in the data, and never crashes on a flipped header byte', () => {
    for (let i = 0; i < good.length; i++) {
      const b = good.slice();
      b[i] ^= 0x10;
      let err: unknown;
      try {
        loadModel(b);
      } catch (e) {
        err = e;
      }
      if (i >= 8 + n) {
        expect(err, `byte ${i}`).toBeInstanceOf(FormatError);
      } else if (err !== undefined) {
        // A flip inside the JSON may still parse (e.g. a digit of an option); when it fails, it fails cleanly.
        expect(
          err instanceof FormatError || err instanceof ValidationError,
          `byte ${i}: ${String(err)}`,
        ).toBe(true);
      }
    }
    const b = good.slice();
    b[8 + n + 3] ^= 1;
    expect(() => loadModel(b)).toThrow("invalid model file: array 'centers' is corrupted (CRC-32 mismatch)");
  });

  it('rejects huge declared sizes before allocating', () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(4, 0x100, true);
    expect(() => loadModel(b)).toThrow(/declared header length \d+ exceeds the limit of 67108864 bytes/);
    const h = headerJson(good) as { arrays: Record<string, Record<string, unknown>> };
    h.arrays.centers!.shape = [2 ** 40, 2 ** 40];
    expect(() => loadModel(craft(h, good.subarray(8 + n)))).toThrow(
      /array 'centers' has shape \[1099511627776, 1099511627776\] of float64 but a byte length of 48/,
    );
    h.arrays.centers!.shape = [2 ** 40];
    h.arrays.centers!.length = 2 ** 43;
    expect(() => loadModel(craft(h, good.subarray(8 + n)))).toThrow(
      /truncated: array 'centers' spans bytes 0\.\.8796093022208/,
    );
    expect(() => loadModel(good, { maxBytes: 100 })).toThrow(
      `invalid model file: ${good.length} bytes exceed the limit of 100 bytes`,
    );
  });

  it('rejects overlapping, misaligned and negative spans, bad dtypes and shapes', () => {
    const data = good.subarray(8 + n);
    const mutate = (
      f: (h: { arrays: Record<string, Record<string, unknown>> } & Record<string, unknown>) => void,
    ) => {
      const h = headerJson(good) as { arrays: Record<string, Record<string, unknown>> } & Record<
        string,
        unknown
      >;
      f(h);
      return () => loadModel(craft(h, data));
    };
    expect(mutate((h) => (h.arrays.w32!.offset = 44))).toThrow(
      "array 'w32' offset 44 is not a multiple of 8",
    );
    expect(mutate((h) => (h.arrays.w32!.offset = 32))).toThrow(
      "invalid model file: arrays 'centers' and 'w32' overlap",
    );
    expect(mutate((h) => (h.arrays.w32!.offset = -8))).toThrow("array 'w32' has an invalid offset -8");
    expect(mutate((h) => (h.arrays.w32!.dtype = 'object'))).toThrow(
      `array 'w32' has unsupported dtype "object" (allowed: float64, float32, int32, uint8)`,
    );
    expect(mutate((h) => (h.arrays.w32!.dtype = 'toString'))).toThrow(/unsupported dtype "toString"/);
    expect(mutate((h) => (h.arrays.w32!.shape = [1.5, 2]))).toThrow(
      "array 'w32' has an invalid shape [1.5,2]",
    );
    expect(mutate((h) => (h.arrays.w32!.shape = 'abc'))).toThrow(/invalid shape "abc"/);
    expect(mutate((h) => (h.format = 'safetensors'))).toThrow(
      'format is "safetensors", expected "unsupervised-model"',
    );
    expect(mutate((h) => (h.formatVersion = 2))).toThrow(
      /format version 2 is newer than this library reads \(1\)/,
    );
    expect(mutate((h) => (h.options = [1]))).toThrow('options must be an object');
    expect(mutate((h) => (h.className = 7))).toThrow('className must be a non-empty string');
    expect(() => loadModel(craft(null, data, '{"format": '))).toThrow(/the header is not valid JSON/);
    expect(() => loadModel(craft(null, new Uint8Array(0), '[1,2]'))).toThrow(
      'the header is not a JSON object',
    );
    const bad = craft(null, new Uint8Array(0), '"\xff"');
    bad[9] = 0xff;
    expect(() => loadModel(bad)).toThrow(FormatError);
  });

  it('rejects __proto__, constructor and prototype keys anywhere in the header', () => {
    const base = JSON.stringify(headerJson(good));
    for (const inject of [
      base.replace('"meta":{', '"meta":{"__proto__":{"polluted":1},'),
      base.replace('"options":{', '"options":{"constructor":{"prototype":{"polluted":1}},'),
      base.replace(
        '"arrays":{',
        '"arrays":{"__proto__":{"dtype":"float64","shape":[0],"offset":0,"length":0,"crc32":0},',
      ),
      base.replace('"nested":{', '"nested":{"prototype":1,'),
    ]) {
      expect(inject).not.toBe(base);
      expect(() => loadModel(craft(null, good.subarray(8 + n), inject))).toThrow(
        /the header contains the forbidden key '(__proto__|constructor|prototype)'/,
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => saveModel(new Toy({ ...toyState(), meta: JSON.parse('{"__proto__": 1}') }))).toThrow(
      "the key '__proto__' is reserved",
    );
  });

  it('reads the header alone', () => {
    const { header, dataStart } = readModelHeader(good);
    expect(dataStart).toBe(8 + n);
    expect(Object.keys(header.arrays)).toEqual(['centers', 'w32', 'labels', 'mask', 'empty']);
  });
});

describe('saveModelFile / loadModelFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unsup-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through a file and leaves no temp files', () => {
    const p = join(dir, 'toy.model');
    saveModelFile(p, new Toy(toyState()));
    const s = (loadModelFile(p) as Toy).state;
    expect(Array.from(s.arrays.labels!.data)).toEqual([0, -1, 2147483647, -2147483648, 5]);
    expect(readdirSync(dir)).toEqual(['toy.model']);
  });

  it('a failed save leaves the existing file intact', () => {
    const p = join(dir, 'keep.model');
    saveModelFile(p, new Toy(toyState()));
    const before = readFileSync(p);
    expect(() => saveModelFile(p, new Toy({ ...toyState(), meta: { bad: new Map() } }))).toThrow(
      ValidationError,
    );
    expect(() => saveModelFile(join(dir, 'no-such-dir', 'x.model'), new Toy(toyState()))).toThrow(/ENOENT/);
    expect(readFileSync(p).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['keep.model', 'toy.model']);
  });

  it('checks the file size before reading', () => {
    const p = join(dir, 'big.model');
    writeFileSync(p, new Uint8Array(1000));
    expect(() => loadModelFile(p, { maxBytes: 999 })).toThrow(`${p} has 1000 bytes, over the limit of 999`);
    expect(() => loadModelFile(p)).toThrow(FormatError);
    rmSync(p);
  });
});
