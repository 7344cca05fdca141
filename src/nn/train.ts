/**
 * The training loop: seeded shuffled mini-batches, epochs, validation loss, early stopping,
 * progress per batch and per epoch (loss, samples/s), AbortSignal, NaN/Inf detection that keeps the
 * last good weights, and checkpoints that resume to exactly the uninterrupted run.
 *
 * Exact resume: a checkpoint holds everything the rest of the run depends on — weights and
 * batch-norm statistics, optimizer moments and step count, the Rng state (it drives both the batch
 * order and dropout), the current epoch's permutation and the position in it, the partial sums of
 * the epoch loss, the history and the early-stopping state. It is written in io's saved-model
 * format (JSON header + CRC-checked little-endian arrays), to a path atomically (temp file + rename,
 * so a failed run never leaves a corrupt checkpoint) or handed to a callback as bytes (browser).
 *
 * Memory: batches are copied into two preallocated tensors (full and last partial batch); each step
 * runs in an arena `scope`, so after the first step of each batch size nothing is allocated.
 */
import { Rng, type RngState } from '../core/rng.js';
import { NumericalError, ValidationError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import type { ProgressCallback, StopReason } from '../core/progress.js';
import type { ModelState } from '../core/estimator.js';
import { decodeModelState, encodeModelState } from '../io/model.js';
import { nodeFs, writeFileAtomic } from '../io/file.js';
import { allocF32, freeBuf, type Buf } from './memory.js';
import { Tensor, engine, evalMode, scope } from './tensor.js';
import { backward } from './primitives.js';
import { makeOptimizer, type Optimizer, type OptimizerSpec } from './optim.js';
import type { Sequential } from './layers.js';

/** Loss of one batch: x [B, ...inputShape], y [B, nTargets] or null when no targets were given. */
export type LossFn = (net: Sequential, x: Tensor, y: Tensor | null) => Tensor;

export type TrainStopReason = StopReason | 'earlyStopping';

export interface CheckpointOptions {
  /** File to write (atomically). Node only; in a browser use `save`. */
  path?: string;
  /** Receives the checkpoint bytes. */
  save?: (bytes: Uint8Array) => void;
  /** Write after every this many epochs (default 1). */
  everyEpochs?: number;
  /** Also write after every this many batches (default: only at epoch ends). */
  everyBatches?: number;
}

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping early (default true). */
  restoreBest?: boolean;
}

export interface TrainOptions {
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Rows per mini-batch (default 256; the last batch of an epoch may be smaller). */
  batchSize?: number;
  /** Reshuffle the rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the batch order and of dropout (default 0). */
  seed?: number;
  /** Optimizer (default Adam, lr 1e-3) — a spec, or an Optimizer built on net.parameters(). */
  optimizer?: OptimizerSpec | Optimizer;
  /** Shape of one sample (default [nFeatures]; e.g. [1, 28, 28] for convolutions). */
  inputShape?: number[];
  /** Held-out data whose mean loss (eval mode) is reported each epoch. */
  validation?: { X: MatrixLike; Y?: MatrixLike };
  earlyStopping?: EarlyStoppingOptions;
  /** Called per batch (stage 'batch') and per epoch (stage 'epoch'); return false to stop. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  checkpoint?: CheckpointOptions;
  /** Resume from checkpoint bytes (or a checkpoint file path, Node). */
  resume?: Uint8Array | string;
}

export interface TrainResult {
  /** Mean training loss of each completed epoch. */
  loss: number[];
  /** Validation loss of each completed epoch (empty without validation data). */
  valLoss: number[];
  /** Loss of every batch, in order. */
  batchLoss: number[];
  /** Epochs completed. */
  epochs: number;
  /** Optimizer steps taken. */
  steps: number;
  stopReason: TrainStopReason;
  /** 0-based epoch with the best monitored loss (early stopping), or the last epoch. */
  bestEpoch: number;
  elapsedMs: number;
}

interface LoopState {
  epoch: number;
  batch: number;
  perm: Int32Array;
  epochLossSum: number;
  epochSeen: number;
  steps: number;
  loss: number[];
  valLoss: number[];
  batchLoss: number[];
  best: number;
  bestEpoch: number;
  bad: number;
  bestWeights: Buf[] | null;
}

const CHECKPOINT_CLASS = 'nn.TrainingCheckpoint';

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function asF32(X: MatrixLike, name: string): Matrix<Float32Array> {
  return toMatrix(X, name, { dtype: 'float32' }) as Matrix<Float32Array>;
}

/** Defaults of `train` (options left undefined keep them). */
export const TRAIN_DEFAULTS: Readonly<TrainOptions> = Object.freeze({
  epochs: 10,
  batchSize: 256,
  shuffle: true,
  seed: 0,
});

const TRAIN_TABLE: ConstraintTable<TrainOptions> = {
  epochs: { type: 'int', min: 0 },
  batchSize: { type: 'int', min: 1 },
  shuffle: { type: 'boolean' },
  seed: { type: 'int' },
  optimizer: { type: 'object' },
  inputShape: { type: 'object' },
  validation: { type: 'object' },
  earlyStopping: { type: 'object' },
  onProgress: { type: 'function' },
  signal: { type: 'signal' },
  checkpoint: { type: 'object' },
  resume: { type: 'oneOf', options: [{ type: 'object' }, { type: 'string' }] },
};

/**
 * Trains `net` to minimise `lossFn` over the rows of X (and Y). Returns the history; the network's
 * weights are updated in place. Throws NumericalError on a NaN/Inf loss after restoring the weights
 * of the last step whose loss was finite.
 */
export function train(
  net: Sequential,
  lossFn: LossFn,
  X: MatrixLike,
  Y: MatrixLike | null,
  options: TrainOptions = {},
): TrainResult {
  const o = validateOptions('train', TRAIN_DEFAULTS, TRAIN_TABLE, options);
  checkNet(net, 'train');
  checkLossFn(lossFn, 'train');
  const epochs = o.epochs!;
  const bs = o.batchSize!;
  if (o.earlyStopping && !(Number.isInteger(o.earlyStopping.patience) && o.earlyStopping.patience >= 1)) {
    throw new ValidationError(
      `earlyStopping.patience must be an integer >= 1; got ${o.earlyStopping.patience}`,
    );
  }
  const minDelta = o.earlyStopping?.minDelta;
  if (minDelta !== undefined && !(Number.isFinite(minDelta) && minDelta >= 0))
    throw new ValidationError(`earlyStopping.minDelta must be a finite number >= 0; got ${minDelta}`);
  for (const key of ['everyEpochs', 'everyBatches'] as const) {
    const v = o.checkpoint?.[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      throw new ValidationError(`checkpoint.${key} must be an integer >= 1; got ${v}`);
  }
  const Xm = asF32(X, 'X');
  const n = Xm.rows,
    d = Xm.cols;
  const Ym = Y === null ? null : asF32(Y, 'Y');
  if (Ym && Ym.rows !== n) throw new ValidationError(`Y has ${Ym.rows} rows but X has ${n}`);
  const inputShape = checkInputShape(o.inputShape, d);
  const params = net.parameters();
  const opt =
    o.optimizer === undefined
      ? makeOptimizer(params, { name: 'adam', lr: 1e-3 })
      : 'step' in o.optimizer
        ? o.optimizer
        : makeOptimizer(params, o.optimizer);
  const rng = new Rng(o.seed ?? 0);
  const named = net.namedArrays();
  const weightNames = Object.keys(named);
  const weights = weightNames.map((k) => named[k]!.data);
  const nBatches = Math.ceil(n / bs);
  const es = o.earlyStopping;

  const st: LoopState = {
    epoch: 0,
    batch: 0,
    perm: new Int32Array(n),
    epochLossSum: 0,
    epochSeen: 0,
    steps: 0,
    loss: [],
    valLoss: [],
    batchLoss: [],
    best: Infinity,
    bestEpoch: -1,
    bad: 0,
    bestWeights: null,
  };
  let rngNow = rng;
  if (o.resume !== undefined) rngNow = restore(o.resume, st, opt, weightNames, weights, { n, bs, epochs });

  // Two batch shapes at most: full batches and the last partial one. Allocated once.
  const batchX = new Map<number, Tensor>();
  const batchY = new Map<number, Tensor>();
  const getBatch = (size: number, cols: number, shape: number[], cache: Map<number, Tensor>): Tensor => {
    let t = cache.get(size);
    if (!t) {
      t = new Tensor(allocF32(size * cols), [size, ...shape]);
      cache.set(size, t);
    }
    return t;
  };
  const lastGood = weights.map((w) => w.slice());
  const valX = o.validation ? asF32(o.validation.X, 'validation.X') : null;
  const valY = o.validation?.Y !== undefined ? asF32(o.validation.Y, 'validation.Y') : null;
  if (valX && valX.cols !== d)
    throw new ValidationError(`validation.X has ${valX.cols} features but X has ${d}`);
  // Without these, rows past the end would be read as NaN and reported as a NaN validation loss.
  if (valX && valY && valY.rows !== valX.rows)
    throw new ValidationError(`validation.Y has ${valY.rows} rows but validation.X has ${valX.rows}`);
  if (valX && Ym && !valY)
    throw new ValidationError('validation.Y is missing: the network is trained with targets Y');
  if (valY && Ym && valY.cols !== Ym.cols)
    throw new ValidationError(`validation.Y has ${valY.cols} columns but Y has ${Ym.cols}`);

  const t0 = now();
  let stopReason: TrainStopReason = 'maxIter';
  const prevRng = engine.rng;
  engine.rng = rngNow;
  try {
    outer: for (; st.epoch < epochs; st.epoch++) {
      const tEpoch = now();
      if (st.batch === 0) {
        for (let i = 0; i < n; i++) st.perm[i] = i;
        if (o.shuffle ?? true) rngNow.shuffle(st.perm);
        st.epochLossSum = 0;
        st.epochSeen = 0;
      }
      for (; st.batch < nBatches;) {
        if (o.signal?.aborted) {
          stopReason = 'aborted';
          break outer;
        }
        const tb = now();
        const start = st.batch * bs,
          size = Math.min(bs, n - start);
        const xb = getBatch(size, d, inputShape, batchX);
        fillRows(Xm, st.perm, start, size, xb.data);
        let yb: Tensor | null = null;
        if (Ym) {
          yb = getBatch(size, Ym.cols, [Ym.cols], batchY);
          fillRows(Ym, st.perm, start, size, yb.data);
        }
        const lossValue = scope(() => {
          opt.zeroGrad();
          const loss = lossFn(net, xb, yb);
          const v = loss.item();
          if (!Number.isFinite(v)) return v;
          // These weights gave a finite loss: keep them until the next finite loss.
          for (let k = 0; k < weights.length; k++) lastGood[k]!.set(weights[k]!);
          backward(loss);
          opt.step();
          return v;
        }, size);
        if (!Number.isFinite(lossValue)) {
          for (let k = 0; k < weights.length; k++) weights[k]!.set(lastGood[k]!);
          throw new NumericalError(
            `training loss is ${lossValue} at epoch ${st.epoch + 1}, batch ${st.batch + 1} (step ${st.steps + 1}); ` +
              `stopped with the weights of the last step whose loss was finite (try a smaller learning rate)`,
          );
        }
        st.steps++;
        st.batch++;
        st.batchLoss.push(lossValue);
        st.epochLossSum += lossValue * size;
        st.epochSeen += size;
        if (o.onProgress) {
          const ms = now() - tb;
          const r = o.onProgress({
            iteration: st.steps,
            total: epochs * nBatches,
            loss: lossValue,
            elapsedMs: now() - t0,
            stage: 'batch',
            epoch: st.epoch + 1,
            batch: st.batch,
            batches: nBatches,
            samplesPerSecond: (size * 1000) / Math.max(ms, 1e-3),
          });
          if (r === false) {
            stopReason = 'callback';
            break outer;
          }
        }
        const cp = o.checkpoint;
        if (cp?.everyBatches && st.steps % cp.everyBatches === 0 && st.batch < nBatches)
          writeCheckpoint(cp, st, opt, rngNow, weightNames, weights, { n, bs, epochs });
      }
      // Epoch complete.
      const epochLoss = st.epochLossSum / st.epochSeen;
      st.loss.push(epochLoss);
      let val: number | undefined;
      if (valX) {
        val = meanLoss(net, lossFn, valX, valY, bs, inputShape);
        st.valLoss.push(val);
      }
      const monitored = val ?? epochLoss;
      let stopEarly = false;
      if (monitored < st.best - (es?.minDelta ?? 0) || st.bestEpoch < 0) {
        st.best = monitored;
        st.bestEpoch = st.epoch;
        st.bad = 0;
        if (es && (es.restoreBest ?? true)) st.bestWeights = weights.map((w) => w.slice());
      } else if (es) {
        st.bad++;
        stopEarly = st.bad >= es.patience;
      }
      st.batch = 0;
      const epochMs = now() - tEpoch;
      const finishedEpoch = st.epoch;
      if (o.onProgress) {
        const r = o.onProgress({
          iteration: finishedEpoch + 1,
          total: epochs,
          loss: epochLoss,
          elapsedMs: now() - t0,
          stage: 'epoch',
          valLoss: val,
          samplesPerSecond: (n * 1000) / Math.max(epochMs, 1e-3),
        });
        if (r === false) {
          st.epoch++;
          stopReason = 'callback';
          break;
        }
      }
      if (stopEarly) {
        if (st.bestWeights) for (let k = 0; k < weights.length; k++) weights[k]!.set(st.bestWeights[k]!);
        st.epoch++;
        stopReason = 'earlyStopping';
        break;
      }
      const cp = o.checkpoint;
      if (cp && (finishedEpoch + 1) % (cp.everyEpochs ?? 1) === 0) {
        st.epoch++;
        writeCheckpoint(cp, st, opt, rngNow, weightNames, weights, { n, bs, epochs });
        st.epoch--;
      }
    }
  } finally {
    engine.rng = prevRng;
  }
  return {
    loss: st.loss,
    valLoss: st.valLoss,
    batchLoss: st.batchLoss,
    epochs: st.loss.length,
    steps: st.steps,
    stopReason,
    bestEpoch: st.bestEpoch,
    elapsedMs: now() - t0,
  };
}

function fillRows(M: Matrix<Float32Array>, perm: Int32Array, start: number, size: number, out: Buf): void {
  const d = M.cols;
  if (M.isRowMajor()) {
    const src = M.data;
    for (let r = 0; r < size; r++) {
      const o = M.offset + perm[start + r]! * M.rowStride;
      out.set(src.subarray(o, o + d), r * d);
    }
    return;
  }
  for (let r = 0; r < size; r++) for (let j = 0; j < d; j++) out[r * d + j] = M.get(perm[start + r]!, j);
}

/** The network and loss arguments of train/evaluate/predict. */
function checkNet(net: Sequential, fn: string): void {
  if (!net || typeof net.forward !== 'function' || typeof net.parameters !== 'function')
    throw new ValidationError(`${fn}: net must be a Sequential`);
}
function checkLossFn(lossFn: LossFn, fn: string): void {
  if (typeof lossFn !== 'function')
    throw new ValidationError(`${fn}: lossFn must be a function (net, x, y) => scalar Tensor`);
}

/** The shape of one sample: [nFeatures] by default, else positive sizes whose product is d. */
function checkInputShape(shape: number[] | undefined, d: number): number[] {
  const s = shape ?? [d];
  if (
    !Array.isArray(s) ||
    !s.every((v) => Number.isInteger(v) && v >= 1) ||
    s.reduce((a, b) => a * b, 1) !== d
  )
    throw new ValidationError(
      `inputShape [${Array.isArray(s) ? s.join(', ') : String(s)}] does not hold the ${d} features of X`,
    );
  return s;
}

export interface InferenceOptions {
  /** Rows per forward pass (default 256). */
  batchSize?: number;
  /** Shape of one sample (default [nFeatures]; e.g. [1, 28, 28] for convolutions). */
  inputShape?: number[];
}

const INFERENCE_DEFAULTS: Readonly<InferenceOptions> = { batchSize: 256, inputShape: undefined };
const INFERENCE_TABLE: ConstraintTable<InferenceOptions> = {
  batchSize: { type: 'int', min: 1 },
  inputShape: { type: 'object' },
};

/**
 * Mean of `lossFn` over the rows of X (and Y) in eval mode: the validation loss `train` reports.
 * @example evaluate(net, (m, x) => mseLoss(m.forward(x), x), Xtest, null)
 */
export function evaluate(
  net: Sequential,
  lossFn: LossFn,
  X: MatrixLike,
  Y: MatrixLike | null,
  options: InferenceOptions = {},
): number {
  const o = validateOptions('evaluate', INFERENCE_DEFAULTS, INFERENCE_TABLE, options);
  checkNet(net, 'evaluate');
  checkLossFn(lossFn, 'evaluate');
  const Xm = asF32(X, 'X');
  const Ym = Y === null ? null : asF32(Y, 'Y');
  if (Ym && Ym.rows !== Xm.rows) throw new ValidationError(`Y has ${Ym.rows} rows but X has ${Xm.rows}`);
  return meanLoss(net, lossFn, Xm, Ym, o.batchSize!, checkInputShape(o.inputShape, Xm.cols));
}

/** Mean loss over the rows of X in eval mode (no tape, dropout off, batch norm on running stats). */
function meanLoss(
  net: Sequential,
  lossFn: LossFn,
  X: Matrix<Float32Array>,
  Y: Matrix<Float32Array> | null,
  bs: number,
  inputShape: number[],
): number {
  const n = X.rows,
    d = X.cols;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let s = 0;
  for (let start = 0; start < n; start += bs) {
    const size = Math.min(bs, n - start);
    const xb = new Tensor(allocF32(size * d), [size, ...inputShape]);
    fillRows(X, idx, start, size, xb.data);
    let yb: Tensor | null = null;
    if (Y) {
      yb = new Tensor(allocF32(size * Y.cols), [size, Y.cols]);
      fillRows(Y, idx, start, size, yb.data);
    }
    s += size * scope(() => evalMode(() => lossFn(net, xb, yb).item()), `eval:${size}`);
    freeT(xb);
    if (yb) freeT(yb);
  }
  return s / n;
}

function freeT(t: Tensor): void {
  freeBuf(t.data);
}

/** Output of `net` for every row of X in eval mode, as a float32 Matrix (batched; copies out). */
export function predict(
  net: Sequential,
  X: MatrixLike,
  options: InferenceOptions = {},
): Matrix<Float32Array> {
  const o = validateOptions('predict', INFERENCE_DEFAULTS, INFERENCE_TABLE, options);
  checkNet(net, 'predict');
  const Xm = asF32(X, 'X');
  const n = Xm.rows,
    d = Xm.cols,
    bs = o.batchSize!,
    inputShape = checkInputShape(o.inputShape, d);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let out: Float32Array | null = null;
  let cols = 0;
  for (let start = 0; start < n; start += bs) {
    const size = Math.min(bs, n - start);
    const xb = new Tensor(new Float32Array(size * d), [size, ...inputShape]);
    fillRows(Xm, idx, start, size, xb.data);
    scope(
      () =>
        evalMode(() => {
          const y = net.forward(xb);
          cols = y.size / size;
          out ??= new Float32Array(n * cols);
          out.set(y.data, start * cols);
        }),
      `eval:${size}`,
    );
  }
  return new Matrix(out ?? new Float32Array(0), n, cols);
}

interface RunShape {
  n: number;
  bs: number;
  epochs: number;
}

function writeCheckpoint(
  cp: CheckpointOptions,
  st: LoopState,
  opt: Optimizer,
  rng: Rng,
  names: string[],
  weights: Buf[],
  shape: RunShape,
): void {
  const arrays: ModelState['arrays'] = {};
  names.forEach(
    (k, i) => (arrays[`w.${k}`] = { data: Float32Array.from(weights[i]!), shape: [weights[i]!.length] }),
  );
  const os = opt.getState();
  os.buffers.forEach((b, i) => (arrays[`opt.${i}`] = { data: Float32Array.from(b), shape: [b.length] }));
  arrays.perm = { data: st.perm.slice(), shape: [st.perm.length] };
  if (st.bestWeights)
    st.bestWeights.forEach(
      (b, i) => (arrays[`best.${i}`] = { data: Float32Array.from(b), shape: [b.length] }),
    );
  const state: ModelState = {
    className: CHECKPOINT_CLASS,
    version: 1,
    options: { ...shape },
    meta: {
      epoch: st.epoch,
      batch: st.batch,
      epochLossSum: st.epochLossSum,
      epochSeen: st.epochSeen,
      steps: st.steps,
      loss: st.loss,
      valLoss: st.valLoss,
      batchLoss: st.batchLoss,
      best: st.best,
      bestEpoch: st.bestEpoch,
      bad: st.bad,
      hasBest: st.bestWeights !== null,
      rng: rng.state() as unknown as Record<string, unknown>,
      optimizer: { name: os.name, step: os.step, buffers: os.buffers.length },
      weightNames: names,
    },
    arrays,
  };
  const bytes = encodeModelState(state);
  if (cp.path) writeFileAtomic(cp.path, bytes);
  cp.save?.(bytes);
}

function restore(
  src: Uint8Array | string,
  st: LoopState,
  opt: Optimizer,
  names: string[],
  weights: Buf[],
  shape: RunShape,
): Rng {
  const bytes =
    typeof src === 'string' ? new Uint8Array(nodeFs('resume from a checkpoint file').readFileSync(src)) : src;
  const s = decodeModelState(bytes);
  if (s.className !== CHECKPOINT_CLASS)
    throw new ValidationError(`resume: the bytes hold a ${s.className}, not a training checkpoint`);
  const m = s.meta as Record<string, unknown>;
  const o = s.options as unknown as RunShape;
  if (o.n !== shape.n || o.bs !== shape.bs)
    throw new ValidationError(
      `resume: checkpoint was made for ${o.n} rows in batches of ${o.bs}; this run has ${shape.n} rows in batches of ${shape.bs}`,
    );
  const saved = m.weightNames as string[];
  if (saved.join(',') !== names.join(','))
    throw new ValidationError(
      `resume: checkpoint weights [${saved.join(', ')}] do not match the network's [${names.join(', ')}]`,
    );
  names.forEach((k, i) => weights[i]!.set(s.arrays[`w.${k}`]!.data as Float32Array));
  const om = m.optimizer as { name: string; step: number; buffers: number };
  const buffers: Buf[] = [];
  for (let i = 0; i < om.buffers; i++) buffers.push(s.arrays[`opt.${i}`]!.data as Float32Array);
  opt.setState({ name: om.name, step: om.step, buffers });
  st.perm.set(s.arrays.perm!.data as Int32Array);
  st.epoch = m.epoch as number;
  st.batch = m.batch as number;
  st.epochLossSum = m.epochLossSum as number;
  st.epochSeen = m.epochSeen as number;
  st.steps = m.steps as number;
  st.loss = [...(m.loss as number[])];
  st.valLoss = [...(m.valLoss as number[])];
  st.batchLoss = [...(m.batchLoss as number[])];
  st.best = m.best as number;
  st.bestEpoch = m.bestEpoch as number;
  st.bad = m.bad as number;
  st.bestWeights = m.hasBest
    ? weights.map((_, i) => Float32Array.from(s.arrays[`best.${i}`]!.data as Float32Array))
    : null;
  return Rng.restore(m.rng as unknown as RngState);
}
