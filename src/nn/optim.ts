/**
 * Optimizers, step for step as torch.optim (the reference the fixtures are made with):
 * - SGD: g ← g + wd·p; b ← μ·b + (1 − dampening)·g (b = g on the first step); g ← g + μ·b (Nesterov)
 *   or g ← b; p ← p − lr·g.
 * - Adam (Kingma & Ba 2015, torch/optim/adam.py): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 *   p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε). weightDecay adds wd·p to g (L2, not AdamW).
 * - RMSprop (torch): v ← αv + (1−α)g²; centred: a ← αa + (1−α)g, denom = √(v − a²) + ε, else √v + ε;
 *   with momentum b ← μb + g/denom, p ← p − lr·b; else p ← p − lr·g/denom.
 * State buffers are allocated once, in the constructor; `step()` allocates nothing.
 */
import { adamStepF32 } from '../kernels/index.js';
import { ValidationError } from '../core/errors.js';
import { validateOptions, type Constraint, type ConstraintTable } from '../core/validate.js';
import { allocBuf, type Buf } from './memory.js';
import { Tensor } from './tensor.js';

const LR: Constraint = { type: 'number', min: 0, exclusiveMin: true };
const NON_NEGATIVE: Constraint = { type: 'number', min: 0 };
const DECAY_RATE: Constraint = { type: 'number', min: 0, max: 1, exclusiveMax: true };

export interface OptimizerState {
  name: string;
  step: number;
  /** State buffers in a fixed order (per parameter, per slot). */
  buffers: Buf[];
}

/** Updates parameters from their `.grad` in place; `getState`/`setState` for exact checkpoints. */
export abstract class Optimizer {
  /** Steps taken (t of Adam's bias correction). */
  stepCount = 0;
  lr: number;
  constructor(
    readonly params: readonly Tensor[],
    lr: number,
  ) {
    if (!Array.isArray(params) || !params.every((p) => p instanceof Tensor)) {
      throw new ValidationError('params must be an array of Tensors (e.g. net.parameters())');
    }
    if (!(Number.isFinite(lr) && lr > 0))
      throw new ValidationError(`learning rate lr must be a finite number > 0; got ${lr}`);
    this.lr = lr;
  }
  abstract readonly name: string;
  protected abstract slots(): Buf[];
  abstract step(): void;

  zeroGrad(): void {
    for (const p of this.params) if (p.grad) p.grad.fill(0);
  }

  getState(): OptimizerState {
    return { name: this.name, step: this.stepCount, buffers: this.slots().map((b) => b.slice()) };
  }

  setState(s: OptimizerState): void {
    const mine = this.slots();
    if (s.name !== this.name || s.buffers.length !== mine.length) {
      throw new ValidationError(
        `optimizer state is for ${s.name} with ${s.buffers.length} buffers; this is ${this.name} with ${mine.length}`,
      );
    }
    mine.forEach((b, i) => {
      if (s.buffers[i]!.length !== b.length)
        throw new ValidationError(
          `optimizer state buffer ${i} has ${s.buffers[i]!.length} values, expected ${b.length}`,
        );
      b.set(s.buffers[i]!);
    });
    this.stepCount = s.step;
  }
}

const like = (p: Tensor): Buf => allocBuf(p.dtype, p.size);

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** torch.optim.SGD's defaults (lr 0.01 here: torch has no default). */
export const SGD_DEFAULTS: Readonly<Required<SGDOptions>> = {
  lr: 0.01,
  momentum: 0,
  dampening: 0,
  nesterov: false,
  weightDecay: 0,
};
const SGD_TABLE: ConstraintTable<SGDOptions> = {
  lr: LR,
  momentum: NON_NEGATIVE,
  dampening: { type: 'number', min: 0, max: 1 },
  nesterov: { type: 'boolean' },
  weightDecay: NON_NEGATIVE,
};

/** Stochastic gradient descent with optional (Nesterov) momentum, as torch.optim.SGD. */
export class SGD extends Optimizer {
  readonly name = 'SGD';
  private readonly buf: Buf[];
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  constructor(params: readonly Tensor[], options: SGDOptions = {}) {
    const o = validateOptions('SGD', SGD_DEFAULTS, SGD_TABLE, options) as Required<SGDOptions>;
    super(params, o.lr);
    this.momentum = o.momentum;
    this.dampening = o.dampening;
    this.nesterov = o.nesterov;
    this.weightDecay = o.weightDecay;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ValidationError('Nesterov momentum requires momentum > 0 and dampening = 0');
    }
    this.buf = this.momentum !== 0 ? params.map(like) : [];
  }
  protected slots(): Buf[] {
    return this.buf;
  }
  step(): void {
    const { lr, momentum: mu, dampening, nesterov, weightDecay: wd } = this;
    const first = this.stepCount === 0;
    this.stepCount++;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const g = p.grad;
      if (!g) continue;
      const w = p.data;
      if (mu === 0) {
        for (let i = 0; i < w.length; i++) w[i] -= lr * (g[i]! + wd * w[i]!);
        continue;
      }
      const b = this.buf[k]!;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]! + wd * w[i]!;
        const bi = first ? gi : mu * b[i]! + (1 - dampening) * gi;
        b[i] = bi;
        w[i] -= lr * (nesterov ? gi + mu * bi : bi);
      }
    }
  }
}

export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** torch.optim.Adam's defaults. */
export const ADAM_DEFAULTS: Readonly<Required<AdamOptions>> = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
};
const ADAM_TABLE: ConstraintTable<AdamOptions> = {
  lr: LR,
  beta1: DECAY_RATE,
  beta2: DECAY_RATE,
  eps: NON_NEGATIVE,
  weightDecay: NON_NEGATIVE,
};

/** Adam (Kingma & Ba 2015) with torch's bias correction and L2 weight decay. */
export class Adam extends Optimizer {
  readonly name = 'Adam';
  private readonly m: Buf[];
  private readonly v: Buf[];
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    const o = validateOptions('Adam', ADAM_DEFAULTS, ADAM_TABLE, options) as Required<AdamOptions>;
    super(params, o.lr);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.m = params.map(like);
    this.v = params.map(like);
  }
  protected slots(): Buf[] {
    return [...this.m, ...this.v];
  }
  step(): void {
    const t = ++this.stepCount;
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const bc1 = 1 - Math.pow(b1, t);
    const invSbc2 = 1 / Math.sqrt(1 - Math.pow(b2, t));
    const stepSize = this.lr / bc1;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const g = p.grad;
      if (!g) continue;
      const w = p.data,
        m = this.m[k]!,
        v = this.v[k]!;
      const a1 = 1 - b1,
        a2 = 1 - b2;
      if (
        w instanceof Float32Array &&
        g instanceof Float32Array &&
        m instanceof Float32Array &&
        v instanceof Float32Array
      ) {
        // float32 parameters: the fused SIMD update in the kernels (float32 arithmetic, as torch)
        adamStepF32(w.length, w, g, m, v, b1, b2, stepSize, invSbc2, eps, wd);
        continue;
      }
      if (wd === 0) {
        // the common case, without the weight-decay term in the loop
        for (let i = 0; i < w.length; i++) {
          const gi = g[i]!;
          const mi = b1 * m[i]! + a1 * gi;
          const vi = b2 * v[i]! + a2 * gi * gi;
          m[i] = mi;
          v[i] = vi;
          w[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSbc2 + eps);
        }
        continue;
      }
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]! + wd * w[i]!;
        const mi = b1 * m[i]! + (1 - b1) * gi;
        const vi = b2 * v[i]! + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSbc2 + eps);
      }
    }
  }
}

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
}

/** torch.optim.RMSprop's defaults. */
export const RMSPROP_DEFAULTS: Readonly<Required<RMSpropOptions>> = {
  lr: 0.01,
  alpha: 0.99,
  eps: 1e-8,
  momentum: 0,
  centered: false,
  weightDecay: 0,
};
const RMSPROP_TABLE: ConstraintTable<RMSpropOptions> = {
  lr: LR,
  alpha: DECAY_RATE,
  eps: NON_NEGATIVE,
  momentum: NON_NEGATIVE,
  centered: { type: 'boolean' },
  weightDecay: NON_NEGATIVE,
};

/** RMSprop (Hinton's lecture 6e) as torch.optim.RMSprop, optionally centred and with momentum. */
export class RMSprop extends Optimizer {
  readonly name = 'RMSprop';
  private readonly sq: Buf[];
  private readonly avg: Buf[];
  private readonly buf: Buf[];
  readonly alpha: number;
  readonly eps: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  constructor(params: readonly Tensor[], options: RMSpropOptions = {}) {
    const o = validateOptions(
      'RMSprop',
      RMSPROP_DEFAULTS,
      RMSPROP_TABLE,
      options,
    ) as Required<RMSpropOptions>;
    super(params, o.lr);
    this.alpha = o.alpha;
    this.eps = o.eps;
    this.momentum = o.momentum;
    this.centered = o.centered;
    this.weightDecay = o.weightDecay;
    this.sq = params.map(like);
    this.avg = this.centered ? params.map(like) : [];
    this.buf = this.momentum > 0 ? params.map(like) : [];
  }
  protected slots(): Buf[] {
    return [...this.sq, ...this.avg, ...this.buf];
  }
  step(): void {
    this.stepCount++;
    const { lr, alpha, eps, momentum: mu, centered, weightDecay: wd } = this;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const g = p.grad;
      if (!g) continue;
      const w = p.data,
        sq = this.sq[k]!,
        avg = centered ? this.avg[k]! : null,
        b = mu > 0 ? this.buf[k]! : null;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]! + wd * w[i]!;
        const si = alpha * sq[i]! + (1 - alpha) * gi * gi;
        sq[i] = si;
        let denom: number;
        if (avg) {
          const ai = alpha * avg[i]! + (1 - alpha) * gi;
          avg[i] = ai;
          denom = Math.sqrt(si - ai * ai) + eps;
        } else denom = Math.sqrt(si) + eps;
        if (b) {
          const bi = mu * b[i]! + gi / denom;
          b[i] = bi;
          w[i] -= lr * bi;
        } else w[i] -= (lr * gi) / denom;
      }
    }
  }
}

export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';
export type OptimizerSpec =
  ({ name: 'sgd' } & SGDOptions) | ({ name: 'adam' } & AdamOptions) | ({ name: 'rmsprop' } & RMSpropOptions);

/**
 * An optimizer from a plain spec (what `train` and saved checkpoints carry).
 * @example makeOptimizer(net.parameters(), { name: 'adam', lr: 1e-3 })
 */
export function makeOptimizer(params: readonly Tensor[], spec: OptimizerSpec): Optimizer {
  if (typeof spec !== 'object' || spec === null) {
    throw new ValidationError(
      `optimizer spec must be an object such as { name: 'adam' }; got ${String(spec)}`,
    );
  }
  const { name, ...options } = spec;
  switch (name) {
    case 'sgd':
      return new SGD(params, options);
    case 'adam':
      return new Adam(params, options);
    case 'rmsprop':
      return new RMSprop(params, options);
    default:
      throw new ValidationError(
        `optimizer name must be one of "sgd", "adam", "rmsprop"; got ${JSON.stringify(name)}`,
      );
  }
}
