/**
 * The estimator contract, run on every registered estimator: bad input gives a named error, the
 * caller's data is not mutated, fit twice equals fit once, the same seed gives the same result, and
 * save -> load gives the same output.
 */
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { ValidationError } from '../../src/core/errors.js';
import { saveModel, loadModel } from '../../src/io/index.js';
import { ESTIMATORS, type ContractData, type ContractEntry } from './registry.js';
// Importing the library registers every model class for loadModel.
import '../../src/index.js';

function makeData(kind: ContractData = 'blobs', n = 60, d = 5): number[][] {
  const rng = new Rng(7);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const r: number[] = [];
    for (let j = 0; j < d; j++) {
      if (kind === 'binary') r.push(rng.random() < (c === j % 3 ? 0.8 : 0.15) ? 1 : 0);
      else if (kind === 'nonnegative') r.push(Math.abs(rng.normal(c === j % 3 ? 3 : 0.5, 0.5)));
      else r.push(rng.normal(c * 4 * ((j % 2) * 2 - 1), 1));
    }
    rows.push(r);
  }
  return rows;
}

function flat(o: ArrayLike<number> | Matrix): number[] {
  if (o instanceof Matrix) return o.toArray().flat();
  return Array.from(o);
}

function expectClose(a: number[], b: number[], tol = 0): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (tol === 0) expect(a[i]).toBe(b[i]);
    else expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]!)));
  }
}

type AnyEstimator = { fit(X: unknown): unknown };
const fit = (e: ContractEntry, seed: number, X: unknown): AnyEstimator => {
  const m = e.make(seed) as unknown as AnyEstimator;
  m.fit(X);
  return m;
};
const out = (e: ContractEntry, m: AnyEstimator, X: Matrix) => flat(e.output(m as never, X));

describe('estimator contract', () => {
  it('has registered estimators', () => {
    expect(Array.isArray(ESTIMATORS)).toBe(true);
  });

  for (const e of ESTIMATORS) {
    describe(e.name, () => {
      const rows = makeData(e.data);
      const X = Matrix.fromRows(rows);

      it('names NaN with its row and column', () => {
        const bad = rows.map((r) => r.slice());
        bad[4]![2] = NaN;
        expect(() => fit(e, 0, bad)).toThrow(ValidationError);
        expect(() => fit(e, 0, bad)).toThrow(/X has NaN at row 4, column 2/);
      });

      it('names Infinity', () => {
        const bad = rows.map((r) => r.slice());
        bad[1]![0] = Infinity;
        expect(() => fit(e, 0, bad)).toThrow(/X has Infinity at row 1, column 0/);
      });

      it('rejects empty and ragged input', () => {
        expect(() => fit(e, 0, [])).toThrow(/X is empty/);
        const ragged = rows.map((r) => r.slice());
        ragged[3] = ragged[3]!.slice(1);
        expect(() => fit(e, 0, ragged)).toThrow(/X is ragged: row 3/);
      });

      it('does not mutate the input', () => {
        const copy = X.clone();
        fit(e, 0, X);
        expect(Array.from(X.data)).toEqual(Array.from(copy.data));
      });

      it('gives the same result for the same seed, and fit twice equals fit once', () => {
        const a = fit(e, 3, X);
        const b = fit(e, 3, X);
        expectClose(out(e, a, X), out(e, b, X));
        a.fit(X);
        expectClose(out(e, a, X), out(e, b, X));
      });

      if (e.saveable !== false) {
        it('save -> load gives the same output', () => {
          const m = fit(e, 1, X);
          const bytes = saveModel(m as never);
          const back = loadModel(bytes) as unknown as AnyEstimator;
          expectClose(out(e, back, X), out(e, m, X), e.tol ?? 0);
        });
      }
    });
  }
});
