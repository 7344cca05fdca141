import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { ValidationError } from '../../src/core/errors.js';
import { NMF } from '../../src/decomposition/index.js';
import { nmfInit } from '../../src/decomposition/nmf.js';
import { expectClose, fixture } from './helpers.js';

const F = fixture('nmf.json');
const X = Matrix.fromRows(F.X) as Matrix<Float64Array>;

function nonNegativeData(n: number, d: number, seed: number): Matrix<Float64Array> {
  const rng = new Rng(seed);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) out[i] = Math.abs(rng.normal()) * (rng.random() < 0.7 ? 1 : 0);
  return new Matrix(out, n, d);
}

describe('NMF vs scikit-learn 1.2', () => {
  it('NNDSVD and NNDSVDa initialisations equal scikit-learn (exact vs its randomized SVD, 1e-6)', () => {
    for (const init of ['nndsvd', 'nndsvda'] as const) {
      const { W, H } = nmfInit(X, 4, init, new Rng(0));
      expectClose(W, F.inits[init].W.flat(), 1e-6);
      expectClose(H, F.inits[init].H.flat(), 1e-6);
    }
  });

  for (const r of F.runs) {
    it(`solver=${r.solver} alphaW=${r.alphaW} l1Ratio=${r.l1Ratio} from the same custom init`, () => {
      const m = new NMF({
        nComponents: 4,
        solver: r.solver,
        maxIter: 300,
        tol: 1e-4,
        alphaW: r.alphaW,
        l1Ratio: r.l1Ratio,
        init: 'custom',
      });
      const W = m.fitTransform(X, { W: F.W0, H: F.H0 });
      expect(m.nIter).toBe(r.nIter);
      expectClose(W, r.W, 1e-8);
      expectClose(m.components, r.H, 1e-8);
      expect(m.reconstructionErr).toBeCloseTo(r.err, 8);
      expectClose(m.transform(X.rowSlice(0, 5)), r.transform, 1e-6);
    });
  }
});

describe('NMF properties', () => {
  for (const solver of ['cd', 'mu'] as const) {
    for (const init of ['nndsvd', 'nndsvda', 'nndsvdar', 'random'] as const) {
      it(`${solver}/${init}: objective never increases, factors stay non-negative`, () => {
        const Y = nonNegativeData(60, 20, 3);
        const losses: number[] = [];
        const m = new NMF({
          nComponents: 5,
          solver,
          init,
          tol: 0,
          maxIter: 60,
          seed: 2,
          onProgress: (e) => void losses.push(e.loss!),
        });
        const W = m.fitTransform(Y);
        expect(losses.length).toBe(60);
        for (let t = 1; t < losses.length; t++)
          expect(losses[t]!).toBeLessThanOrEqual(losses[t - 1]! * (1 + 1e-12));
        expect(Array.from(W.data).every((v) => v >= 0)).toBe(true);
        expect(Array.from(m.components.data).every((v) => v >= 0)).toBe(true);
        // The tracked objective is ½‖X − WH‖² computed without forming WH.
        const R = m.inverseTransform(W);
        let s = 0;
        for (let i = 0; i < Y.size; i++) s += (Y.data[i]! - R.data[i]!) ** 2;
        expect(losses[losses.length - 1]!).toBeCloseTo(s / 2, 8);
        expect(m.reconstructionErr).toBeCloseTo(Math.sqrt(s), 8);
      });
    }
  }

  it('shuffled coordinate order and penalties keep the objective monotone', () => {
    const Y = nonNegativeData(50, 15, 8);
    const losses: number[] = [];
    new NMF({
      nComponents: 4,
      shuffle: true,
      alphaW: 0.01,
      l1Ratio: 0.3,
      tol: 0,
      maxIter: 40,
      seed: 5,
      onProgress: (e) => void losses.push(e.loss!),
    }).fit(Y);
    for (let t = 1; t < losses.length; t++)
      expect(losses[t]!).toBeLessThanOrEqual(losses[t - 1]! * (1 + 1e-12));
  });

  it('names the first negative entry', () => {
    const bad = F.X.map((r: number[]) => r.slice());
    bad[3][7] = -0.5;
    expect(() => new NMF({ nComponents: 2 }).fit(bad)).toThrow(ValidationError);
    expect(() => new NMF({ nComponents: 2 }).fit(bad)).toThrow(
      'X has a negative value at row 3, column 7: -0.5; NMF needs non-negative data',
    );
  });

  it('rejects impossible settings', () => {
    expect(() => new NMF({ nComponents: 40, init: 'nndsvd' }).fit(X)).toThrow(
      "init 'nndsvd' needs nComponents=40 <= min(nSamples=30, nFeatures=12)",
    );
    expect(() =>
      new NMF({ nComponents: 2 }).fit([
        [0, 0],
        [0, 0],
      ]),
    ).toThrow('X is all zeros; NMF needs at least one positive value');
    expect(() => new NMF({ nComponents: 4, init: 'custom' }).fit(X)).toThrow(
      "init 'custom' needs fit(X, { W, H })",
    );
    expect(() => new NMF({ solver: 'als' as never })).toThrow(
      `The 'solver' option of NMF must be one of "cd", "mu"; got "als".`,
    );
    const m = new NMF({ nComponents: 2 }).fit(X);
    expect(() => m.transform([[1, 2]])).toThrow('X has 2 features, but the model was fitted on 12');
  });
});
