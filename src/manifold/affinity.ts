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

// results of rowSums (module scratch: no allocation per evaluation)
let sumP = 0;
let sumDP = 0;
let sumD2P = 0;

/**
 * p_j = exp(−β D_j) into P[o..o+m) (0 at column `skip`, if >= 0), and Σ p, Σ D p, Σ D² p into the
 * scratch sums. One pass, one exp per entry.
 */
function rowSums(D: Float64Array, P: Float64Array, o: number, m: number, skip: number, beta: number): void {
  sumP = 0;
  sumDP = 0;
  sumD2P = 0;
  if (skip < 0) addRange(D, P, o, o + m, -beta);
  else {
    addRange(D, P, o, o + skip, -beta);
    P[o + skip] = 0;
    addRange(D, P, o + skip + 1, o + m, -beta);
  }
}

function addRange(D: Float64Array, P: Float64Array, from: number, to: number, nb: number): void {
  let s = sumP;
  let sd = sumDP;
  let sd2 = sumD2P;
  for (let j = from; j < to; j++) {
    const dj = D[j]!;
    const p = Math.exp(dj * nb);
    P[j] = p;
    s += p;
    const q = dj * p;
    sd += q;
    sd2 += dj * q;
  }
  sumP = s;
  sumDP = sd;
  sumD2P = sd2;
}

/** H(P_i) − log(perplexity) from the sums of rowSums (scikit-learn's formula, EPSILON for a zero sum). */
function entropyDiff(beta: number, desired: number): number {
  const s = sumP === 0 ? EPSILON_DBL : sumP;
  return Math.log(s) + (beta * sumDP) / s - desired;
}

/**
 * Binary search of β_i per row. `D` holds n rows of m squared distances (candidates of row i; the
 * point itself must not be among them, or, with `dense`, row i's column i is skipped: n × n rows).
 *
 * The result is scikit-learn's search: β starts at 1, doubles or halves until the root is bracketed,
 * then bisects, and stops at the first β with |H − log perplexity| <= tol. Its sequence of β is
 * replayed exactly, but most of its entropy evaluations are skipped: a safeguarded Newton iteration
 * (in log β, bracketed) first finds the root β* of the row, and two evaluations a little beyond the
 * tolerance on either side of it (β₊ < β* < β₋ with H(β₊) − log perp > tol and H(β₋) − log perp < −tol,
 * both by more than 1e-9) certify, as H decreases in β, the direction of every step of the search
 * outside [β₊, β₋]; only the steps inside are evaluated (they decide the stopping point). P is the
 * evaluation at the final β, as in scikit-learn. Rows where the Newton phase does not converge
 * (equal distances: H is constant) run the plain search.
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
  const certTol = tol + 1e-9;
  let start = 1;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const skip = dense ? i : -1;
    // ---- Newton phase: the root β*, the slope there, and certified points on both sides
    let lo = 0; // largest β seen with diff > 0
    let hi = Infinity; // smallest β seen with diff < 0
    let certPlus = 0; // largest β seen with diff > tol + 1e-9
    let certMinus = Infinity; // smallest β seen with diff < −tol − 1e-9
    let bStar = -1;
    let slope = 0;
    let b = start;
    for (let it = 0; it < 60; it++) {
      rowSums(D, P, o, m, skip, b);
      const diff = entropyDiff(b, desired);
      const s = sumP === 0 ? EPSILON_DBL : sumP;
      const mean = sumDP / s;
      const v = Math.max(0, sumD2P / s - mean * mean);
      if (diff > 0) {
        if (b > lo) lo = b;
        if (diff > certTol && b > certPlus) certPlus = b;
      } else {
        if (b < hi) hi = b;
        if (diff < -certTol && b < certMinus) certMinus = b;
      }
      if (Math.abs(diff) <= tol * 0.25) {
        bStar = b;
        slope = b * v; // −dH/dβ
        break;
      }
      // Newton step on u = log β: dH/du = −β² Var_P(D); bracketed, at most a factor e² per step
      const g = b * b * v;
      let nb = g > 0 ? b * Math.exp(Math.max(-2, Math.min(2, diff / g))) : diff > 0 ? b * 4 : b / 4;
      if (!(nb > lo && nb < hi)) nb = lo > 0 && hi < Infinity ? Math.sqrt(lo * hi) : diff > 0 ? b * 4 : b / 4;
      if (nb === b || !Number.isFinite(nb) || nb <= 0) break;
      b = nb;
    }
    let done = false;
    if (bStar > 0 && slope > 0) {
      start = bStar;
      // ---- replay of scikit-learn's search
      let betaMin = -Infinity;
      let betaMax = Infinity;
      let beta = 1;
      for (let step = 0; step < maxSteps; step++) {
        let diff: number;
        if (beta <= certPlus) diff = Infinity;
        else if (beta >= certMinus) diff = -Infinity;
        else {
          // not certified: certify the side at 1.5·tol from the root (linear model) when β is
          // clearly beyond it, otherwise evaluate at β itself
          const pred = slope * (bStar - beta);
          const edge = bStar + (pred > 0 ? -1.5 : 1.5) * (tol / slope);
          if (Math.abs(pred) > 2 * tol && edge > 0) {
            rowSums(D, P, o, m, skip, edge);
            const de = entropyDiff(edge, desired);
            if (de > certTol && edge > certPlus) certPlus = edge;
            if (de < -certTol && edge < certMinus) certMinus = edge;
          }
          if (beta <= certPlus) diff = Infinity;
          else if (beta >= certMinus) diff = -Infinity;
          else {
            rowSums(D, P, o, m, skip, beta);
            diff = entropyDiff(beta, desired);
            if (diff > certTol && beta > certPlus) certPlus = beta;
            if (diff < -certTol && beta < certMinus) certMinus = beta;
            if (Math.abs(diff) <= tol) {
              err[i] = Math.abs(diff);
              done = true;
              break;
            }
          }
        }
        if (diff > 0) {
          betaMin = beta;
          beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
        } else {
          betaMax = beta;
          beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
        }
      }
      if (done) {
        betas[i] = beta;
        const s = sumP === 0 ? EPSILON_DBL : sumP;
        for (let j = 0; j < m; j++) P[o + j] = P[o + j]! / s;
      }
    }
    if (!done) plainSearch(D, P, o, m, skip, desired, tol, maxSteps, betas, err, i);
  }
  return { P, beta: betas, entropyError: err };
}

/** scikit-learn's loop as it is, for one row (rows the fast path cannot certify). */
function plainSearch(
  D: Float64Array,
  P: Float64Array,
  o: number,
  m: number,
  skip: number,
  desired: number,
  tol: number,
  maxSteps: number,
  betas: Float64Array,
  err: Float64Array,
  i: number,
): void {
  let betaMin = -Infinity;
  let betaMax = Infinity;
  let beta = 1;
  let diff = 0;
  for (let step = 0; step < maxSteps; step++) {
    rowSums(D, P, o, m, skip, beta);
    const s = sumP === 0 ? EPSILON_DBL : sumP;
    for (let j = 0; j < m; j++) P[o + j] = P[o + j]! / s;
    diff = entropyDiff(beta, desired);
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
