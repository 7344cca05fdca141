/**
 * Gradient checking for user-built models (the check the engine's own tests run on every
 * primitive): analytic gradients from `backward` against central finite differences
 * (f(θ + h) − f(θ − h)) / 2h. Run it in float64 (build the model inside `checkMode`), where
 * h = 1e-6 gives ~1e-8 relative agreement for smooth functions; in float32 expect ~1e-2 at best.
 */
import { ValidationError } from '../core/errors.js';
import { noGrad } from './tensor.js';
import type { Tensor } from './tensor.js';
import { grad } from './ops.js';

export interface GradCheckResult {
  /** Largest |analytic − numeric| over all checked entries. */
  maxAbsError: number;
  /** Largest |analytic − numeric| / max(|analytic|, |numeric|, 1e-12). */
  maxRelError: number;
  /** Entries compared. */
  checked: number;
}

/**
 * Compares the gradient of the scalar `f()` with respect to `params` with finite differences.
 * `f` must be deterministic (seed any randomness inside it). `maxPerParam` limits the entries
 * perturbed per parameter (evenly spaced), for large models.
 */
export function gradCheck(
  f: () => Tensor,
  params: readonly Tensor[],
  o: { h?: number; maxPerParam?: number } = {},
): GradCheckResult {
  if (typeof f !== 'function')
    throw new ValidationError('gradCheck: f must be a function returning a scalar Tensor');
  if (!Array.isArray(params)) throw new ValidationError('gradCheck: params must be an array of Tensors');
  const h = o.h ?? 1e-6;
  if (!(Number.isFinite(h) && h > 0))
    throw new ValidationError(`gradCheck: h must be a finite number > 0; got ${h}`);
  const maxPer = o.maxPerParam;
  if (maxPer !== undefined && !(Number.isInteger(maxPer) && maxPer >= 1))
    throw new ValidationError(`gradCheck: maxPerParam must be an integer >= 1; got ${maxPer}`);
  const analytic = grad(f, params);
  let maxAbs = 0;
  let maxRel = 0;
  let checked = 0;
  params.forEach((p, k) => {
    const w = p.data;
    const n = w.length;
    const count = Math.min(n, o.maxPerParam ?? n);
    for (let c = 0; c < count; c++) {
      const i = count === n ? c : Math.floor((c * n) / count);
      const v = w[i]!;
      w[i] = v + h;
      const lp = noGrad(() => f().item());
      w[i] = v - h;
      const lm = noGrad(() => f().item());
      w[i] = v;
      const num = (lp - lm) / (2 * h);
      const ana = analytic[k]![i]!;
      const abs = Math.abs(ana - num);
      maxAbs = Math.max(maxAbs, abs);
      maxRel = Math.max(maxRel, abs / Math.max(Math.abs(ana), Math.abs(num), 1e-12));
      checked++;
    }
  });
  return { maxAbsError: maxAbs, maxRelError: maxRel, checked };
}
