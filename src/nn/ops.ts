/**
 * The user-facing operations: thin wrappers that name the primitives, plus composites built only
 * from primitives (their gradients follow from the primitives', so they need no rule of their own).
 */
import { ValidationError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { apply, backward } from './primitives.js';
import { Tensor, engine, shapeSize, tempBuf } from './tensor.js';

/** a·b for 2-D tensors, with optional transposes (gemm's flags: no copies). */
export const matmul = (a: Tensor, b: Tensor, o: { transA?: boolean; transB?: boolean } = {}): Tensor =>
  apply('matmul', [a, b], { transA: o.transA ?? false, transB: o.transB ?? false });
/** x [.., C, inner] + b [C]. */
export const addBias = (x: Tensor, b: Tensor, inner = 1): Tensor => apply('addBias', [x, b], { inner });
/** x·Wᵀ + b with W stored [out, in] (torch.nn.Linear layout); `transposed` uses x·W (tied decoder). */
export function linear(x: Tensor, w: Tensor, b: Tensor | null, transposed = false): Tensor {
  return apply('linear', b ? [x, w, b] : [x, w], { tied: transposed });
}
/** a + b elementwise (same shapes). */
export const add = (a: Tensor, b: Tensor): Tensor => apply('add', [a, b], null);
/** a − b elementwise (same shapes). */
export const sub = (a: Tensor, b: Tensor): Tensor => apply('sub', [a, b], null);
/** a·b elementwise (same shapes). */
export const mul = (a: Tensor, b: Tensor): Tensor => apply('mul', [a, b], null);
/** a·x + b elementwise. */
export function affine(x: Tensor, a: number, b = 0): Tensor {
  if (!(Number.isFinite(a) && Number.isFinite(b)))
    throw new ValidationError(`affine: a and b must be finite numbers; got a=${a}, b=${b}`);
  return apply('affine', [x], { a, b });
}
/** c·x elementwise. */
export function scale(x: Tensor, c: number): Tensor {
  if (!Number.isFinite(c)) throw new ValidationError(`scale: c must be a finite number; got ${c}`);
  return apply('affine', [x], { a: c, b: 0 });
}
/** max(x, 0). */
export const relu = (x: Tensor): Tensor => apply('relu', [x], null);
/** x for x > 0, alpha·x otherwise. */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  if (!Number.isFinite(alpha))
    throw new ValidationError(`leakyRelu: alpha must be a finite number; got ${alpha}`);
  return apply('leakyRelu', [x], { alpha });
}
/** 1 / (1 + e^−x). */
export const sigmoid = (x: Tensor): Tensor => apply('sigmoid', [x], null);
/** tanh(x). */
export const tanh = (x: Tensor): Tensor => apply('tanh', [x], null);
/** log(1 + e^x), computed without overflow. */
export const softplus = (x: Tensor): Tensor => apply('softplus', [x], null);
/** e^x. */
export const exp = (x: Tensor): Tensor => apply('exp', [x], null);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => apply('log', [x], null);
/** x². */
export const square = (x: Tensor): Tensor => apply('square', [x], null);
/** |x| (subgradient 0 at 0). */
export const abs = (x: Tensor): Tensor => apply('abs', [x], null);
/** Sum of all elements (a scalar). */
export const sum = (x: Tensor): Tensor => apply('sum', [x], null);
/** Mean of all elements (a scalar). */
export const mean = (x: Tensor): Tensor => apply('mean', [x], null);
/** The same values viewed with another shape of the same size (no copy). */
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => apply('reshape', [x], { shape });
/** [N, ...] → [N, rest]. */
export const flatten = (x: Tensor): Tensor => reshape(x, [x.shape[0]!, x.size / x.shape[0]!]);
/** Columns side by side (conditional models: [x, onehot(y)]). */
export const concat = (xs: readonly Tensor[]): Tensor => apply('concat', xs, null);
/** Columns [start, end) of a 2-D tensor (a copy). */
export const sliceCols = (x: Tensor, start: number, end: number): Tensor =>
  apply('sliceCols', [x], { start, end });

export type ActivationName = 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'softplus' | 'identity';
/** Names accepted by `activate` and the layers' `activation` option. */
export const ACTIVATIONS: readonly ActivationName[] = [
  'relu',
  'leakyRelu',
  'sigmoid',
  'tanh',
  'softplus',
  'identity',
];

/** Applies the activation `name` ('identity' returns x itself). */
export function activate(x: Tensor, name: ActivationName, alpha = 0.01): Tensor {
  switch (name) {
    case 'relu':
      return relu(x);
    case 'leakyRelu':
      return leakyRelu(x, alpha);
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return tanh(x);
    case 'softplus':
      return softplus(x);
    case 'identity':
      return x;
    default:
      throw new ValidationError(
        `activation must be one of ${ACTIVATIONS.map((a) => JSON.stringify(a)).join(', ')}; got ${JSON.stringify(name)}`,
      );
  }
}

/** Inverted dropout with the engine's Rng; identity in eval mode or for p = 0. */
export function dropout(x: Tensor, p: number): Tensor {
  if (!(p >= 0 && p < 1)) throw new ValidationError(`dropout rate p must be in [0, 1); got ${p}`);
  if (!engine.training || p === 0) return x;
  return apply('dropout', [x], { p });
}

/**
 * The same values, cut from the graph: no gradient flows back through the result (GAN
 * discriminator steps on generated samples; targets computed by the network itself). Shares data.
 */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.data, x.shape);
}

/** One-hot rows [N, K] for integer labels in [0, K) (softmax cross-entropy targets, conditional models). */
export function oneHot(labels: ArrayLike<number>, k: number): Tensor {
  if (!(Number.isInteger(k) && k >= 1))
    throw new ValidationError(`oneHot: k must be an integer >= 1; got ${k}`);
  if (!labels || typeof labels.length !== 'number')
    throw new ValidationError('oneHot: labels must be an array of integers');
  const n = labels.length;
  const d = tempBuf(engine.dtype, n * k, true);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!(Number.isInteger(c) && c >= 0 && c < k))
      throw new ValidationError(`label ${c} at index ${i} is not an integer in [0, ${k})`);
    d[i * k + c] = 1;
  }
  return new Tensor(d, [n, k]);
}

/** A constant tensor of N(0, 1) draws (for the reparameterisation trick, noise inputs of GANs). */
export function randn(shape: readonly number[], rng: Rng = engine.rng): Tensor {
  const n = shapeSize(shape);
  const d = tempBuf(engine.dtype, n, false);
  for (let i = 0; i < n; i++) d[i] = rng.normal();
  return new Tensor(d, shape);
}

/** z = μ + exp(½·logvar)·ε, ε ~ N(0, I) (Kingma & Welling 2014): composite, gradients flow to μ and logvar. */
export function reparameterize(mu: Tensor, logvar: Tensor, rng: Rng = engine.rng): Tensor {
  return add(mu, mul(exp(scale(logvar, 0.5)), randn(mu.shape, rng)));
}

/**
 * Gradients of the scalar `f()` with respect to `params` (copies). Parameters' existing gradients
 * are left as they were.
 */
export function grad(f: () => Tensor, params: readonly Tensor[]): (Float32Array | Float64Array)[] {
  const saved = params.map((p) => p.grad);
  for (const p of params) p.grad = null;
  try {
    const y = f();
    backward(y);
    return params.map((p) =>
      p.grad ? p.grad.slice() : new (p.data.constructor as Float64ArrayConstructor)(p.size),
    );
  } finally {
    params.forEach((p, i) => (p.grad = saved[i]!));
  }
}
