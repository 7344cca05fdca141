/**
 * Losses and penalties of the notes (slides on autoencoders, sparse/contractive AEs, VAEs, GANs).
 * Each returns a scalar tensor; reductions are stated (torch's defaults where torch has the loss).
 */
import type { Rng } from '../core/rng.js';
import { ValidationError } from '../core/errors.js';
import { apply } from './primitives.js';
import { Tensor, engine, tempBuf } from './tensor.js';
import { abs, add, scale, sub, sum, square } from './ops.js';

/** mean((pred − target)²) over all elements (torch.nn.MSELoss). */
export const mseLoss = (pred: Tensor, target: Tensor): Tensor => apply('mse', [pred, target], null);
/** Binary cross-entropy on probabilities, mean over elements (torch.nn.BCELoss; logs clamped at −100). */
export const bceLoss = (prob: Tensor, target: Tensor): Tensor => apply('bce', [prob, target], null);
/** Binary cross-entropy on logits, stable for any logit (torch.nn.BCEWithLogitsLoss). */
export const bceWithLogitsLoss = (logits: Tensor, target: Tensor): Tensor =>
  apply('bceLogits', [logits, target], null);
/** Softmax cross-entropy, logits [N, K] and one-hot or probability targets [N, K]; mean over rows. */
export const softmaxCrossEntropy = (logits: Tensor, target: Tensor): Tensor =>
  apply('softmaxCrossEntropy', [logits, target], null);

/** ½ Σ_j (μ² + σ² − log σ² − 1) summed over latent dims, mean over rows (VAE, notes eq. for KL to N(0, I)). */
export const gaussianKL = (mu: Tensor, logvar: Tensor): Tensor => apply('gaussianKL', [mu, logvar], null);

/** A penalty weight: finite and >= 0 (a NaN weight would turn the whole loss into NaN). */
function checkWeight(value: number, name: string, fn: string): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new ValidationError(`${fn}: ${name} must be a finite number >= 0; got ${value}`);
  }
}

/** β Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the batch mean of code unit j (sparse autoencoder of the notes); ρ in (0, 1). */
export function sparsityKL(h: Tensor, rho: number, beta = 1): Tensor {
  if (!(rho > 0 && rho < 1)) throw new ValidationError(`sparsity target rho must be in (0, 1); got ${rho}`);
  checkWeight(beta, 'beta', 'sparsityKL');
  const kl = apply('bernoulliKL', [h], { rho });
  return beta === 1 ? kl : scale(kl, beta);
}

/** λ · mean over rows of Σ_j |h_j| (L1 activity penalty). */
export function l1Activity(h: Tensor, lambda = 1): Tensor {
  checkWeight(lambda, 'lambda', 'l1Activity');
  if (h.shape.length < 1 || h.shape[0]! < 1)
    throw new ValidationError(
      `l1Activity needs a batch [N, ...] with N >= 1; got shape [${h.shape.join(', ')}]`,
    );
  return scale(sum(abs(h)), lambda / h.shape[0]!);
}

/**
 * λ · ‖∂h/∂x‖_F² for a sigmoid dense encoder h = σ(x·Wᵀ + b), W [H, D], closed form
 * (Rifai et al. 2011), mean over rows.
 */
export function contractiveSigmoid(h: Tensor, weight: Tensor, lambda = 1): Tensor {
  checkWeight(lambda, 'lambda', 'contractiveSigmoid');
  const p = apply('contractiveSigmoid', [h, weight], null);
  return lambda === 1 ? p : scale(p, lambda);
}

export interface ContractiveOptions {
  /** Finite-difference step σ (default 1e-2): smaller is less biased, larger less noisy in float32. */
  sigma?: number;
  /** Number of random directions per row (default 1). */
  samples?: number;
  rng?: Rng;
}

/**
 * λ · ‖J_f(x)‖_F² for ANY encoder f, mean over rows, by a randomized finite difference (the notes:
 * "a finite difference approximation works too"): for ε ~ N(0, I), E‖J ε‖² = ‖J‖_F² (Hutchinson),
 * and J ε ≈ (f(x + σε) − f(x)) / σ. So the penalty is (1/(Sσ²)) Σ_s ‖f(x + σε_s) − f(x)‖², an
 * unbiased estimate as σ → 0 built only from primitives (its gradient needs no second derivatives).
 * `h` = f(x) from the main forward pass (reused, not recomputed).
 */
export function contractivePenalty(
  encode: (x: Tensor) => Tensor,
  x: Tensor,
  h: Tensor,
  lambda = 1,
  o: ContractiveOptions = {},
): Tensor {
  checkWeight(lambda, 'lambda', 'contractivePenalty');
  const sigma = o.sigma ?? 1e-2;
  const S = o.samples ?? 1;
  if (!(Number.isFinite(sigma) && sigma > 0))
    throw new ValidationError(`contractivePenalty: sigma must be a finite number > 0; got ${sigma}`);
  if (!(Number.isInteger(S) && S >= 1))
    throw new ValidationError(`contractivePenalty: samples must be an integer >= 1; got ${S}`);
  const rng = o.rng ?? engine.rng;
  let total: Tensor | null = null;
  for (let s = 0; s < S; s++) {
    const xd = tempBuf(x.dtype, x.size, false);
    const src = x.data;
    for (let i = 0; i < xd.length; i++) xd[i] = src[i]! + sigma * rng.normal();
    const d = sum(square(sub(encode(new Tensor(xd, x.shape)), h)));
    total = total ? add(total, d) : d;
  }
  return scale(total!, lambda / (S * sigma * sigma * x.shape[0]!));
}
