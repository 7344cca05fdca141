/**
 * Input affinities of SNE / t-SNE (Hinton & Roweis 2002; van der Maaten & Hinton 2008, seed decks
 * 000 and 004): conditional Gaussians
 *   p_{j|i} = exp(−β_i ‖x_i − x_j‖²) / Σ_{k≠i} exp(−β_i ‖x_i − x_k‖²),   β_i = 1 / (2σ_i²),
 * with β_i found by binary search so that the perplexity 2^{H(P_i)} equals the target, then the joint
 *   p_ij = (p_{j|i} + p_{i|j}) / 2n.
 * The search is scikit-learn's `_binary_search_perplexity` (entropy in nats, tolerance 1e-5 on
 * H − log(perplexity), at most 100 halvings/doublings, β starting at 1), so P equals its
 * `_joint_probabilities` (all pairs) and `_joint_probabilities_nn` (k-NN rows) on the same data.
 * Duplicate points: distance 0 gives the largest affinity, which is well defined; a point whose
 * neighbours are all at the same distance cannot reach any other perplexity than k, and gets the
 * uniform distribution over them (as scikit-learn).
 */

/** Sparse symmetric matrix in CSR form (rows sorted by column). */
export interface Csr {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

export interface PerplexityResult {
  /** Conditional probabilities, one row per point over its candidates (same layout as the input). */
  P: Float64Array;
  /** β_i = 1/(2σ_i²) per point. */
  beta: Float64Array;
  /** Final |H(P_i) − log(perplexity)| per point, in nats. */
  entropyError: Float64Array;
}

const EPSILON_DBL = 1e-8;

/**
 * Binary search of β_i per row. `D` holds n rows of m squared distances (candidates of row i; the
 * point itself must not be among them, or must be flagged by `selfIndex` = the column to skip, used
 * for dense n × n rows).
 */
export function binarySearchPerplexity(
  D: Float64Array,
  n: number,
  m: number,
  perplexity: number,
  dense = false,
  tol = 1e-5,
  maxSteps = 100,
): PerplexityResult {
  const P = new Float64Array(n * m);
  const betas = new Float64Array(n);
  const err = new Float64Array(n);
  const desired = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const skip = dense ? i : -1;
    let betaMin = -Infinity;
    let betaMax = Infinity;
    let beta = 1;
    let diff = 0;
    for (let step = 0; step < maxSteps; step++) {
      let sumP = 0;
      for (let j = 0; j < m; j++) {
        const p = j === skip ? 0 : Math.exp(-D[o + j]! * beta);
        P[o + j] = p;
        sumP += p;
      }
      if (sumP === 0) sumP = EPSILON_DBL;
      let sumDP = 0;
      for (let j = 0; j < m; j++) {
        const p = P[o + j]! / sumP;
        P[o + j] = p;
        sumDP += D[o + j]! * p;
      }
      const entropy = Math.log(sumP) + beta * sumDP;
      diff = entropy - desired;
      if (Math.abs(diff) <= tol) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
    betas[i] = beta;
    err[i] = Math.abs(diff);
  }
  return { P, beta: betas, entropyError: err };
}

/**
 * Symmetrises conditional k-NN rows into the joint P = (P_cond + P_condᵀ) / sum (CSR, duplicates
 * merged), as scikit-learn's `_joint_probabilities_nn`.
 */
export function symmetrizeKnn(Pc: Float64Array, indices: Int32Array, n: number, k: number): Csr {
  // count entries per row of P + Pᵀ (before merging duplicates)
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    count[i + 1]! += k;
    for (let t = 0; t < k; t++) count[indices[i * k + t]! + 1]!++;
  }
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
  const cols = new Int32Array(count[n]!);
  const vals = new Float64Array(count[n]!);
  const fill = count.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t]!;
      const p = Pc[i * k + t]!;
      let q = fill[i]!++;
      cols[q] = j;
      vals[q] = p;
      q = fill[j]!++;
      cols[q] = i;
      vals[q] = p;
    }
  }
  // merge duplicates per row with a position marker, then sort each row by column
  const where = new Int32Array(n).fill(-1);
  const indptr = new Int32Array(n + 1);
  const outC = new Int32Array(count[n]!);
  const outV = new Float64Array(count[n]!);
  let nnz = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const start = nnz;
    for (let q = count[i]!; q < count[i + 1]!; q++) {
      const j = cols[q]!;
      const w = where[j]!;
      if (w >= start) outV[w]! += vals[q]!;
      else {
        where[j] = nnz;
        outC[nnz] = j;
        outV[nnz] = vals[q]!;
        nnz++;
      }
    }
    sortRowSegment(outC, outV, start, nnz);
    for (let q = start; q < nnz; q++) total += outV[q]!;
    indptr[i + 1] = nnz;
  }
  const sum = Math.max(total, Number.EPSILON);
  const data = outV.slice(0, nnz);
  for (let q = 0; q < nnz; q++) data[q]! /= sum;
  return { n, indptr, indices: outC.slice(0, nnz), data };
}

function sortRowSegment(c: Int32Array, v: Float64Array, lo: number, hi: number): void {
  // insertion sort: rows hold ~k to 3k entries, mostly nearly sorted by construction
  for (let a = lo + 1; a < hi; a++) {
    const cc = c[a]!;
    const vv = v[a]!;
    let b = a - 1;
    while (b >= lo && c[b]! > cc) {
      c[b + 1] = c[b]!;
      v[b + 1] = v[b]!;
      b--;
    }
    c[b + 1] = cc;
    v[b + 1] = vv;
  }
}

/** Dense symmetric joint P from dense conditional rows (n × n, diagonal 0), as CSR without the diagonal. */
export function symmetrizeDense(Pc: Float64Array, n: number): Csr {
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(n * (n - 1));
  const data = new Float64Array(n * (n - 1));
  let total = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const p = Pc[i * n + j]! + Pc[j * n + i]!;
      indices[q] = j;
      data[q] = p;
      total += p;
      q++;
    }
    indptr[i + 1] = q;
  }
  const sum = Math.max(total, Number.EPSILON);
  for (let t = 0; t < q; t++) data[t]! /= sum;
  return { n, indptr, indices, data };
}
