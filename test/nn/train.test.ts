// The training loop: convergence, exact checkpoint resume, atomic checkpoint files, NaN stop,
// early stopping, abort, progress events, no arena growth.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { NumericalError, ValidationError } from '../../src/core/errors.js';
import { Matrix } from '../../src/core/matrix.js';
import { wasmHeap } from '../../src/kernels/index.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import {
  BatchNorm,
  Dense,
  Dropout,
  Sequential,
  arenaAllocations,
  bceLoss,
  mseLoss,
  noGrad,
  releaseArenas,
  tensor,
  train,
  type LossFn,
  type TrainOptions,
} from '../../src/nn/index.js';

function data(n: number, d: number, seed: number): Matrix {
  const r = new Rng(seed);
  return Matrix.fromRows(Array.from({ length: n }, () => Array.from({ length: d }, () => r.random())));
}
const X = data(150, 12, 1);

/** A small autoencoder with dropout and batch norm, so the Rng and running stats matter for resume. */
function makeNet(): Sequential {
  const rng = new Rng(42);
  return new Sequential([
    new Dense({ inFeatures: 12, outFeatures: 8, activation: 'relu', rng }),
    new BatchNorm({ numFeatures: 8 }),
    new Dropout(0.2),
    new Dense({ inFeatures: 8, outFeatures: 3, activation: 'tanh', rng }),
    new Dense({ inFeatures: 3, outFeatures: 12, activation: 'sigmoid', rng }),
  ]);
}
const aeLoss: LossFn = (net, x) => bceLoss(net.forward(x), x);
const weightsOf = (net: Sequential): number[] => Object.values(net.namedArrays()).flatMap((a) => [...a.data]);

describe('train', () => {
  it('reduces the loss of a small autoencoder, reports progress per batch and per epoch with throughput', () => {
    const net = makeNet();
    const events: ProgressEvent[] = [];
    const r = train(net, aeLoss, X, null, {
      epochs: 8,
      batchSize: 32,
      optimizer: { name: 'adam', lr: 1e-2 },
      onProgress: (e) => void events.push(e),
    });
    expect(r.epochs).toBe(8);
    expect(r.steps).toBe(8 * 5);
    expect(r.stopReason).toBe('maxIter');
    expect(r.loss[7]!).toBeLessThan(r.loss[0]! - 0.01);
    expect(r.batchLoss.length).toBe(40);
    const batches = events.filter((e) => e.stage === 'batch');
    const epochs = events.filter((e) => e.stage === 'epoch');
    expect(batches.length).toBe(40);
    expect(epochs.length).toBe(8);
    expect(batches[0]!.samplesPerSecond as number).toBeGreaterThan(0);
    expect(epochs[7]!.loss).toBe(r.loss[7]);
  });

  it('resumes from a mid-epoch checkpoint to exactly the uninterrupted run (weights, optimizer, Rng, position)', () => {
    const opts: TrainOptions = { epochs: 3, batchSize: 32, seed: 7, optimizer: { name: 'adam', lr: 5e-3 } };
    const full = makeNet();
    const rFull = train(full, aeLoss, X, null, opts);

    const a = makeNet();
    let saved: Uint8Array | null = null;
    const rA = train(a, aeLoss, X, null, {
      ...opts,
      checkpoint: { everyBatches: 7, save: (b) => (saved = b) },
      onProgress: (e) => (e.stage === 'batch' && e.iteration === 8 ? false : undefined),
    });
    expect(rA.stopReason).toBe('callback');
    expect(saved).not.toBeNull();
    const b = makeNet(); // fresh initial weights: everything must come from the checkpoint
    const rB = train(b, aeLoss, X, null, { ...opts, resume: saved! });
    expect(weightsOf(b)).toEqual(weightsOf(full));
    expect(rB.batchLoss).toEqual(rFull.batchLoss);
    expect(rB.loss).toEqual(rFull.loss);
    expect(rB.steps).toBe(rFull.steps);
  });

  it('writes checkpoint files atomically and resumes from a path at an epoch boundary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-ckpt-'));
    try {
      const path = join(dir, 'run.ckpt');
      const opts: TrainOptions = { epochs: 4, batchSize: 50, seed: 3 };
      const full = makeNet();
      train(full, aeLoss, X, null, opts);
      const a = makeNet();
      train(a, aeLoss, X, null, {
        ...opts,
        checkpoint: { path },
        onProgress: (e) => (e.stage === 'epoch' && e.iteration === 2 ? false : undefined),
      });
      // the stop happened after epoch 2's progress event, before its checkpoint: the file holds epoch 1
      expect(existsSync(path)).toBe(true);
      expect(readdirSync(dir)).toEqual(['run.ckpt']); // no temp files left behind
      const b = makeNet();
      const r = train(b, aeLoss, X, null, { ...opts, resume: path });
      expect(r.epochs).toBe(4);
      expect(weightsOf(b)).toEqual(weightsOf(full));
      expect(() => train(makeNet(), aeLoss, X, null, { ...opts, batchSize: 10, resume: path })).toThrow(
        'resume: checkpoint was made for 150 rows in batches of 50; this run has 150 rows in batches of 10',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops on a non-finite loss with a NumericalError and keeps the last good weights', () => {
    const net = new Sequential([new Dense({ inFeatures: 12, outFeatures: 12, seed: 1 })]);
    const loss: LossFn = (n, x) => mseLoss(n.forward(x), x);
    let err: unknown;
    try {
      train(net, loss, X, null, { epochs: 50, batchSize: 150, optimizer: { name: 'sgd', lr: 50 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as Error).message).toMatch(
      /^training loss is (NaN|Infinity) at epoch \d+, batch 1 \(step \d+\); stopped with the weights of the last step whose loss was finite/,
    );
    expect(weightsOf(net).every(Number.isFinite)).toBe(true);
    // the restored weights are those whose loss on the (single) batch was finite
    expect(Number.isFinite(noGrad(() => loss(net, tensor(X.data, [150, 12]), null).item()))).toBe(true);
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', () => {
    const opts: TrainOptions = { epochs: 10, batchSize: 64, seed: 1 };
    const ref = makeNet();
    train(ref, aeLoss, X, null, { ...opts, epochs: 1 });
    const net = makeNet();
    const r = train(net, aeLoss, X, null, {
      ...opts,
      validation: { X: data(40, 12, 2) },
      earlyStopping: { patience: 2, minDelta: 1e9 },
    });
    expect(r.stopReason).toBe('earlyStopping');
    expect(r.epochs).toBe(3);
    expect(r.valLoss.length).toBe(3);
    expect(r.bestEpoch).toBe(0);
    expect(weightsOf(net).slice(0, 96)).toEqual(weightsOf(ref).slice(0, 96));
  });

  it('stops on an AbortSignal, keeping the partial result', () => {
    const ac = new AbortController();
    const r = train(makeNet(), aeLoss, X, null, {
      epochs: 5,
      batchSize: 16,
      signal: ac.signal,
      onProgress: (e) => void (e.stage === 'batch' && e.iteration === 3 && ac.abort()),
    });
    expect(r.stopReason).toBe('aborted');
    expect(r.steps).toBe(3);
  });

  it('allocates no arena buffer after the first step of each batch shape', () => {
    const net = makeNet();
    let after = -1;
    train(net, aeLoss, X, null, {
      epochs: 6,
      batchSize: 32,
      onProgress: (e) => void (e.stage === 'epoch' && e.iteration === 1 && (after = arenaAllocations())),
    });
    expect(after).toBeGreaterThan(0);
    expect(arenaAllocations()).toBe(after);
  });

  it('validates its options and data', () => {
    expect(() => train(makeNet(), aeLoss, X, null, { batchSize: 0 })).toThrow(ValidationError);
    expect(() => train(makeNet(), aeLoss, X, null, { batchSize: 0 })).toThrow(
      "The 'batchSize' option of train must be an integer >= 1; got 0.",
    );
    expect(() => train(makeNet(), aeLoss, X, null, { epochz: 3 } as never)).toThrow(
      "Unknown option 'epochz' for train",
    );
    expect(() => train(makeNet(), aeLoss, [[1, NaN]], null)).toThrow('X has NaN at row 0, column 1');
    expect(() => train(makeNet(), aeLoss, X, null, { inputShape: [5] })).toThrow(
      'inputShape [5] does not hold the 12 features of X',
    );
  });
});

describe('releaseArenas', () => {
  it('returns the arenas’ WebAssembly memory, and training still works afterwards', () => {
    const net = makeNet();
    train(net, aeLoss, X, null, { epochs: 1, batchSize: 32 });
    const before = wasmHeap.bytesInUse;
    releaseArenas();
    expect(wasmHeap.bytesInUse).toBeLessThan(before);
    const r = train(net, aeLoss, X, null, { epochs: 1, batchSize: 32 });
    expect(Number.isFinite(r.loss[0]!)).toBe(true);
  });
});
