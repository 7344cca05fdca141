/**
 * What GaussianMixture and BernoulliMixture share once fitted (scikit-learn's `BaseMixture`): every
 * prediction derives from the weighted log densities log π_k + log p(x | k) of each row, normalised
 * by a row-wise log-sum-exp (seed deck 004: responsibilities r_ik = π_k p(x_i | k) / Σ_j π_j p(x_i | j)).
 */
import { Matrix, type MatrixLike } from '../core/matrix.js';

/** Log responsibilities (n×k, row-major) and log p(x) of each of the n rows. */
export interface MixtureLogProb {
  lp: Float64Array;
  n: number;
  norm: Float64Array;
}

export abstract class MixtureModel {
  abstract readonly options: { readonly nComponents: number };

  /** Validates X against the fitted model (throws NotFittedError before fit) and scores it. */
  protected abstract logProb(X: MatrixLike): MixtureLogProb;

  /** Number of free parameters (scikit-learn's `_n_parameters`). */
  abstract nParameters(): number;

  /** Most probable component of each row of X (nSamples × nFeatures). */
  predict(X: MatrixLike): Int32Array {
    const { lp, n } = this.logProb(X);
    return argmaxRows(lp, n, this.options.nComponents);
  }

  /** Responsibilities p(z = k | x), nSamples × nComponents. */
  predictProba(X: MatrixLike): Matrix<Float64Array> {
    const { lp, n } = this.logProb(X);
    for (let i = 0; i < lp.length; i++) lp[i] = Math.exp(lp[i]!);
    return new Matrix(lp, n, this.options.nComponents);
  }

  /** log p(x) of each row. */
  scoreSamples(X: MatrixLike): Float64Array {
    return this.logProb(X).norm;
  }

  /** Mean log-likelihood of X. */
  score(X: MatrixLike): number {
    return mean(this.scoreSamples(X));
  }

  /** Bayesian information criterion on X (lower is better): −2 log L + p log n. */
  bic(X: MatrixLike): number {
    const s = this.scoreSamples(X);
    return -2 * mean(s) * s.length + this.nParameters() * Math.log(s.length);
  }

  /** Akaike information criterion on X (lower is better): −2 log L + 2p. */
  aic(X: MatrixLike): number {
    const s = this.scoreSamples(X);
    return -2 * mean(s) * s.length + 2 * this.nParameters();
  }
}

function mean(s: Float64Array): number {
  let t = 0;
  for (const v of s) t += v;
  return t / s.length;
}

/** Index of the largest entry of each row of A (n×k); ties go to the first. */
export function argmaxRows(A: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = A[i * k]!;
    for (let c = 1; c < k; c++) {
      const v = A[i * k + c]!;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
