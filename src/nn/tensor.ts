/**
 * Tensors of the neural-network engine and the engine state they are created under.
 *
 * A Tensor is a flat float buffer (float32 in normal use; float64 in "check mode", used by the
 * finite-difference gradient tests) with a row-major shape. A tensor produced by a primitive while
 * gradients are enabled remembers the primitive, its inputs and attributes, and is pushed on the
 * tape; `backward()` walks the tape in reverse (micrograd's topological order comes for free: the
 * tape is the order of execution).
 *
 * Lifetime: inside `scope()` (one training step) intermediate buffers come from the step arena
 * (memory.ts) and are only valid until the next scope; copy out what you keep (`toArray`).
 * The tape is emptied by `backward()` and at the start of every scope: a forward pass outside a
 * scope that is never differentiated keeps its tensors alive until then, so run inference under
 * `noGrad`/`evalMode` (as `predict` does).
 */
import { Rng } from '../core/rng.js';
import { ValidationError } from '../core/errors.js';
import { Arena, allocBuf, type Buf, type DType } from './memory.js';
import type { Primitive } from './primitives.js';

/** A flat float buffer with a row-major shape, and its autodiff record (see the file comment). */
export class Tensor {
  data: Buf;
  /** Gradient of the last `backward()` target with respect to this tensor (null until computed). */
  grad: Buf | null = null;
  shape: readonly number[];
  readonly size: number;
  requiresGrad: boolean;
  /** Producing primitive (null for leaves: parameters, inputs, constants). */
  prim: Primitive | null = null;
  inputs: readonly Tensor[] = NO_INPUTS;
  attrs: unknown = null;
  /** Buffers a primitive keeps from forward for its backward (masks, im2col columns, statistics). */
  saved: Buf[] | null = null;
  /** Name, for parameters (weights of a layer: "0.weight"). */
  name: string;

  constructor(data: Buf, shape: readonly number[], requiresGrad = false, name = '') {
    const n = shapeSize(shape);
    if (n !== data.length) {
      throw new ValidationError(
        `tensor data has ${data.length} values, shape [${shape.join(', ')}] needs ${n}`,
      );
    }
    this.data = data;
    this.shape = shape;
    this.size = n;
    this.requiresGrad = requiresGrad;
    this.name = name;
  }

  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'float64';
  }

  /** The single value of a one-element tensor (a loss). */
  item(): number {
    if (this.size !== 1)
      throw new ValidationError(`item() needs a tensor with one value; shape is [${this.shape.join(', ')}]`);
    return this.data[0]!;
  }

  /** A copy of the values (safe to keep after the step arena is reused). */
  toArray(): Float32Array | Float64Array {
    return this.data.slice();
  }

  /** Zeroes the gradient buffer, keeping it (parameters reuse one gradient buffer for ever). */
  zeroGrad(): void {
    if (this.grad) this.grad.fill(0);
  }
}

const NO_INPUTS: readonly Tensor[] = Object.freeze([]);

/** Number of values of a shape, which must hold non-negative integers. */
export function shapeSize(shape: readonly number[]): number {
  if (!Array.isArray(shape)) throw new ValidationError(`tensor shape must be an array; got ${String(shape)}`);
  let n = 1;
  for (const s of shape) {
    // A negative pair of sizes would otherwise multiply to a plausible count.
    if (!(Number.isInteger(s) && s >= 0))
      throw new ValidationError(`tensor shape must hold non-negative integers; got [${shape.join(', ')}]`);
    n *= s;
  }
  return n;
}

/** Global engine state: dtype of new tensors, gradient recording, train/eval, the step arena. */
export interface EngineState {
  /** dtype of tensors created by the engine ('float64' only for gradient checks). */
  dtype: DType;
  /** Record primitives on the tape (false inside `noGrad`). */
  gradEnabled: boolean;
  /** Layers in training mode (dropout active, batch norm uses batch statistics). */
  training: boolean;
  /** Random source of stochastic layers (dropout); the training loop installs its own Rng here. */
  rng: Rng;
  /** Arena of the current (or last) scope. */
  arena: Arena;
  /** One arena per scope key (a training loop keys by batch size, so that full and last partial
   * batches do not evict each other's buffers). */
  readonly arenas: Map<string | number, Arena>;
  inScope: boolean;
  readonly tape: Tensor[];
}

/** The one engine state (dtype, tape, train/eval, arenas) that every primitive reads. */
export const engine: EngineState = {
  dtype: 'float32',
  gradEnabled: true,
  training: true,
  rng: new Rng(0),
  arena: new Arena(),
  arenas: new Map(),
  inScope: false,
  tape: [],
};

/** A buffer for an intermediate result: from the arena inside a scope, fresh otherwise. */
export function tempBuf(dtype: DType, n: number, zero: boolean): Buf {
  return engine.inScope ? engine.arena.take(dtype, n, zero) : allocBuf(dtype, n);
}

/** Gradient buffer of `t` to accumulate into, allocated (zeroed) on first use; null if no grad wanted. */
export function gradOf(t: Tensor): Buf | null {
  if (!t.requiresGrad) return null;
  if (t.grad === null) {
    // Leaves (parameters) own a persistent gradient buffer; intermediates borrow from the arena.
    t.grad = t.prim === null ? allocBuf(t.dtype, t.size) : tempBuf(t.dtype, t.size, true);
  }
  return t.grad;
}

/** Set by `gradOut`: the buffer it returned was new and holds garbage (write, do not accumulate). */
export let gradFresh = false;

/**
 * Like `gradOf`, but a newly allocated buffer is NOT zeroed and `gradFresh` is set, so the rule can
 * write (=) instead of accumulating (+=): saves a zero-fill pass per gradient in the hot rules.
 */
export function gradOut(t: Tensor): Buf | null {
  gradFresh = false;
  if (!t.requiresGrad) return null;
  if (t.grad === null) {
    if (t.prim === null) {
      t.grad = allocBuf(t.dtype, t.size);
      return t.grad;
    }
    t.grad = tempBuf(t.dtype, t.size, false);
    gradFresh = true;
  }
  return t.grad;
}

/**
 * Adds g into t's gradient; when t is an intermediate whose gradient is not started yet, t simply
 * takes g's buffer (safe: every consumer of the op's output has run before its backward, so g is
 * never read again). Identity-gradient ops (bias, reshape, add) then cost nothing.
 */
export function passGrad(t: Tensor, g: Buf): void {
  if (!t.requiresGrad) return;
  if (t.grad === null && t.prim !== null && t.size === g.length) {
    t.grad = g;
    return;
  }
  const d = gradOf(t)!;
  for (let i = 0; i < g.length; i++) d[i] += g[i]!;
}

/**
 * Runs one step: intermediate buffers come from the arena of `key` (reused from the previous step
 * with that key), the tape starts empty. Everything `fn` creates is valid until the next scope with
 * the same key.
 */
export function scope<T>(fn: () => T, key: string | number = 0): T {
  if (engine.inScope) throw new Error('nn scope() calls cannot be nested');
  let a = engine.arenas.get(key);
  if (!a) {
    a = key === 0 && engine.arenas.size === 0 ? engine.arena : new Arena();
    engine.arenas.set(key, a);
  }
  engine.arena = a;
  a.reset();
  engine.tape.length = 0;
  engine.inScope = true;
  try {
    return fn();
  } finally {
    engine.inScope = false;
  }
}

/** Buffers created by all arenas so far (flat after the first step of each shape = no leak). */
export function arenaAllocations(): number {
  let n = 0;
  for (const a of engine.arenas.values()) n += a.allocations;
  return n;
}

/**
 * Frees every arena's buffers (their WebAssembly memory goes back to the heap). Tensors made inside
 * earlier scopes become invalid; the next scope allocates afresh. Call it after training when the
 * process goes on to other work.
 */
export function releaseArenas(): void {
  if (engine.inScope) throw new Error('releaseArenas() cannot run inside a scope');
  for (const a of engine.arenas.values()) a.clear();
  engine.arenas.clear();
  engine.arena.clear();
}

/** Runs `fn` without recording the tape (inference, evaluation). */
export function noGrad<T>(fn: () => T): T {
  const prev = engine.gradEnabled;
  engine.gradEnabled = false;
  try {
    return fn();
  } finally {
    engine.gradEnabled = prev;
  }
}

/** Runs `fn` with layers in eval mode (dropout off, batch norm on running statistics) and no tape. */
export function evalMode<T>(fn: () => T): T {
  const prev = engine.training;
  engine.training = false;
  try {
    return noGrad(fn);
  } finally {
    engine.training = prev;
  }
}

/** Runs `fn` with the engine (and the tensors it creates) in float64: the gradient-check mode. */
export function checkMode<T>(fn: () => T): T {
  const prev = engine.dtype;
  engine.dtype = 'float64';
  try {
    return fn();
  } finally {
    engine.dtype = prev;
  }
}

/** A leaf tensor over a copy of `values` in the engine dtype. */
export function tensor(
  values: ArrayLike<number>,
  shape: readonly number[],
  opts: { requiresGrad?: boolean; name?: string } = {},
): Tensor {
  const data = allocBuf(engine.dtype, values.length);
  for (let i = 0; i < values.length; i++) data[i] = values[i]!;
  return new Tensor(data, shape, opts.requiresGrad ?? false, opts.name ?? '');
}

/** A zero leaf tensor in the engine dtype. */
export function zeros(
  shape: readonly number[],
  opts: { requiresGrad?: boolean; name?: string } = {},
): Tensor {
  return new Tensor(
    allocBuf(engine.dtype, shapeSize(shape)),
    shape,
    opts.requiresGrad ?? false,
    opts.name ?? '',
  );
}

/** A parameter: a leaf that requires its gradient. */
export function parameter(values: ArrayLike<number> | Buf, shape: readonly number[], name = ''): Tensor {
  return tensor(values, shape, { requiresGrad: true, name });
}
