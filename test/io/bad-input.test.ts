/**
 * Issue 2's bar for io/: every exported function rejects bad arguments with a ValidationError whose
 * message names the argument (exact text), one row per case. Malformed file bytes (FormatError) are
 * covered case by case in model.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import type { ModelState, Saveable } from '../../src/core/estimator.js';
import {
  crc32,
  decodeModelState,
  encodeModelState,
  loadModel,
  loadModelFile,
  readModelHeader,
  saveModel,
  saveModelFile,
  writeFileAtomic,
} from '../../src/io/index.js';

const state = (over: Partial<ModelState> = {}): ModelState => ({
  className: 'IoBadInputToy',
  version: 1,
  options: {},
  meta: {},
  arrays: { w: { data: new Float64Array([1, 2]), shape: [2] } },
  ...over,
});
const good = encodeModelState(state());
const model = (s: ModelState): Saveable => ({ getState: () => s });

const cases: [string, () => unknown, string][] = [
  ['crc32: not bytes', () => crc32('abc' as never), 'crc32: bytes must be a Uint8Array'],
  [
    'crc32: negative crc',
    () => crc32(new Uint8Array(1), -1),
    'crc32: crc must be an unsigned 32-bit integer; got -1',
  ],
  [
    'encodeModelState: no className',
    () => encodeModelState(state({ className: '' })),
    'state.className must be a non-empty string; got string',
  ],
  [
    'encodeModelState: fractional version',
    () => encodeModelState(state({ version: 1.5 })),
    'state.version of IoBadInputToy must be an integer; got 1.5',
  ],
  [
    'encodeModelState: Map in options',
    () => encodeModelState(state({ options: { m: new Map() } })),
    'cannot save options.m: it is Map; options and meta hold JSON values only (numbers, strings, booleans, null, arrays, plain objects); put typed arrays in state.arrays',
  ],
  [
    'encodeModelState: shape mismatch',
    () => encodeModelState(state({ arrays: { w: { data: new Float64Array(3), shape: [2] } } })),
    "cannot save array 'w' of IoBadInputToy: shape [2] needs 2 values, data has 3",
  ],
  [
    'encodeModelState: negative shape',
    () => encodeModelState(state({ arrays: { w: { data: new Float64Array(0), shape: [-1] } } })),
    "cannot save array 'w' of IoBadInputToy: shape must be non-negative integers",
  ],
  [
    'saveModel: not a model',
    () => saveModel(null as never),
    'saveModel needs a model with getState(); got null',
  ],
  [
    'loadModel: not bytes',
    () => loadModel('abc' as never),
    'model bytes must be a Uint8Array or ArrayBuffer; got string',
  ],
  [
    'loadModel: NaN maxBytes',
    () => loadModel(good, { maxBytes: NaN }),
    "The 'maxBytes' option of loadModel must be an integer >= 1; got NaN.",
  ],
  [
    'loadModel: negative maxHeaderBytes',
    () => loadModel(good, { maxHeaderBytes: -1 }),
    "The 'maxHeaderBytes' option of loadModel must be an integer >= 1; got -1.",
  ],
  [
    'loadModel: unknown option',
    () => loadModel(good, { maxSize: 10 } as never),
    "Unknown option 'maxSize' for loadModel; known options: maxBytes, maxHeaderBytes",
  ],
  [
    'decodeModelState: NaN maxHeaderBytes',
    () => decodeModelState(good, { maxHeaderBytes: NaN }),
    "The 'maxHeaderBytes' option of decodeModelState must be an integer >= 1; got NaN.",
  ],
  [
    'readModelHeader: fractional maxBytes',
    () => readModelHeader(good, { maxBytes: 1.5 }),
    "The 'maxBytes' option of readModelHeader must be an integer >= 1; got 1.5.",
  ],
  ['writeFileAtomic: empty path', () => writeFileAtomic('', good), 'path must be a non-empty string'],
  [
    'writeFileAtomic: not bytes',
    () => writeFileAtomic('/tmp/x', [1, 2] as never),
    'bytes must be a Uint8Array; got object',
  ],
  [
    'saveModelFile: unsaveable model',
    () => saveModelFile('/tmp/never-written', {} as never),
    'saveModel needs a model with getState(); got Object',
  ],
  ['loadModelFile: path not a string', () => loadModelFile(7 as never), 'path must be a non-empty string'],
  [
    'loadModelFile: Infinity maxBytes',
    () => loadModelFile('/tmp/x', { maxBytes: Infinity }),
    "The 'maxBytes' option of loadModelFile must be an integer >= 1; got Infinity.",
  ],
];

describe('io: bad input gives a ValidationError naming the argument', () => {
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

  it("saving does not touch the caller's arrays", () => {
    const s = state();
    const before = Array.from(s.arrays.w!.data);
    saveModel(model(s));
    expect(Array.from(s.arrays.w!.data)).toEqual(before);
  });
});
