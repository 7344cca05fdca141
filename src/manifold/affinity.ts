/**
 * Input affinities of SNE / t-SNE (Hinton & Roweis 2002; van der Maaten & Hinton 2008, seed decks
 * 000 and 004): conditional Gaussians
 *   p_{j|i} = exp(−β_i ‖x_i − x_j‖²) / Σ_{k≠i} exp(−β_i ‖x_i − x_k‖²),   β_i = 1 / (2σ_i²),
 * with β_i found by binary search so that the perplexity 2^{H(P_i)} equals the target, then the joint
 *   p_ij = (p_{j|i} + p_{i|j}) / 2n.
 * The search is scikit-learn's `_binary_search_perplexity` (entropy in nats, tolerance 1e-5 on
 * H − log(perplexity), at most 100 halvings/doublings, β starting at 1, every step decided by its
 * entropy formula log s + β·Σ D_j (p_j / s) in its order), so P equals its `_joint_probabilities`
 * (all pairs) and `_joint_probabilities_nn` (k-NN rows) on the same data.
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

/**
 * H(P_i) − log(perplexity) from the sums of rowSums, as log s + β·(Σ D p)/s: an estimate that only
 * steers the Newton phase and certifies steps (within the error bound of `binarySearchPerplexity`);
 * the values that decide a step are scikit-learn's, from `skDiff`.
 */
function entropyDiff(beta: number, desired: number): number {
  const s = sumP === 0 ? EPSILON_DBL : sumP;
  return Math.log(s) + (beta * sumDP) / s - desired;
}

/**
 * scikit-learn's evaluation after rowSums at β, element by element in its order: P_j /= s (s = Σ p,
 * EPSILON for a zero sum), Σ D_j·P_j, then log s + β·Σ D_j P_j − log(perplexity). Normalises P in place.
 */
function skDiff(
  D: Float64Array,
  P: Float64Array,
  o: number,
  m: number,
  beta: number,
  desired: number,
): number {
  const s = sumP === 0 ? EPSILON_DBL : sumP;
  let sdp = 0;
  for (let j = o; j < o + m; j++) {
    const p = P[j]! / s;
    P[j] = p;
    sdp += D[j]! * p;
  }
  return Math.log(s) + beta * sdp - desired;
}

/** Σ p below this (or not finite): the evaluation is in the underflow regime and certifies nothing. */
const SUM_MIN = 1e-290;

/**
 * Binary search of β_i per row. `D` holds n rows of m squared distances (candidates of row i; the
 * point itself must not be among them, or, with `dense`, row i's column i is skipped: n × n rows).
 *
 * The result is scikit-learn's search: β starts at 1, doubles or halves until the root is bracketed,
 * then bisects, and stops at the first β with |H − log perplexity| <= tol. Its sequence of β is
 * replayed exactly, but most of its entropy evaluations are skipped: a safeguarded Newton iteration
 * (in log β, bracketed) first finds the root β* of the row, and two evaluations a little beyond the
 * tolerance on either side of it (β₊ < β* < β₋ with H(β₊) − log perp > tol + δ and
 * H(β₋) − log perp < −tol − δ) certify the direction of every step of the search outside [β₊, β₋];
 * only the steps inside are evaluated, with scikit-learn's formula and summation order (they decide
 * the stopping point), so β and P are bit for bit those of its loop.
 *
 * Why the certificates hold: the exact H is decreasing in β (dH/dβ = −β Var_P(D)), and both the
 * estimate and scikit-learn's computed value are within E of it while Σ p >= 1e-290: then
 * |log Σp| <= 700, β·mean_P(D) <= 700 + log m, each p_j = exp(−fl(β D_j)) is off by at most
 * (β D_j + 1)·u relative (β D_j <= 746 for every p_j that is not 0 or far below Σ p·1e-30), and the
 * sums add m·u: E <= 8(m + 800)·u·(701 + 2 log(m + 1)) (u = 2⁻⁵³), δ = 2E + 1e-9. A β beyond β₋ is
 * skipped only while β·min D <= 660 (so Σ p >= e⁻⁶⁶⁰ > 1e-290 there too); beyond that it is
 * evaluated (or, when β·min D > 746 makes every p_j exactly 0, its value log(1e-8) − log perplexity
 * is known). A Newton or certifying evaluation in the underflow regime (Σ p < 1e-290: subnormal
 * sums, the rounding noise of the repro at distances ~740) certifies nothing: the Newton phase
 * retries once at β = 600 / min D, and otherwise the row runs the plain search. Rows where the
 * Newton phase does not converge (equal distances: H is constant), and rows with a negative or
 * non-finite distance, run the plain search. The start of the Newton phase (the previous row's
 * root) only changes which β are evaluated, never the result.
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
  const errBound = 8 * (m + 800) * 2 ** -53 * (701 + 2 * Math.log(m + 1));
  const certTol = tol + 2 * errBound + 1e-9;
  const zeroDiff = Math.log(EPSILON_DBL) - desired; // scikit-learn's value when every p_j is 0
  let start = 1;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const skip = dense ? i : -1;
    // smallest distance of the row (and a check that all are finite and >= 0)
    let dMin = Infinity;
    let valid = m > (dense ? 1 : 0);
    for (let j = 0; j < m; j++) {
      if (j === skip) continue;
      const dj = D[o + j]!;
      if (!(dj >= 0 && dj <= Number.MAX_VALUE)) valid = false;
      else if (dj < dMin) dMin = dj;
    }
    const bSafe = dMin > 0 ? 600 / dMin : Infinity; // below it Σ p >= e⁻⁶⁰⁰
    let done = false;
    if (valid)
      done = fastRow(D, P, o, m, skip, desired, tol, maxSteps, certTol, dMin, bSafe, zeroDiff, start);
    if (done) {
      betas[i] = rowBeta;
      err[i] = rowErr;
      start = rowStart;
    } else plainSearch(D, P, o, m, skip, desired, tol, maxSteps, betas, err, i);
  }
  return { P, beta: betas, entropyError: err };
}

// results of fastRow
let rowBeta = 0;
let rowErr = 0;
let rowStart = 1;

/** The fast search of one row (see binarySearchPerplexity); false: the row needs the plain search. */
function fastRow(
  D: Float64Array,
  P: Float64Array,
  o: number,
  m: number,
  skip: number,
  desired: number,
  tol: number,
  maxSteps: number,
  certTol: number,
  dMin: number,
  bSafe: number,
  zeroDiff: number,
  start: number,
): boolean {
  // ---- Newton phase: the root β*, the slope there, and certified points on both sides
  let lo = 0; // largest β seen with diff > 0
  let hi = Infinity; // smallest β seen with diff < 0
  let certPlus = 0; // largest β seen with diff > certTol
  let certMinus = Infinity; // smallest β seen with diff < −certTol
  let bStar = -1;
  let slope = 0;
  let b = start;
  let retried = false;
  for (let it = 0; it < 60; it++) {
    rowSums(D, P, o, m, skip, b);
    const diff = entropyDiff(b, desired);
    if (!(sumP >= SUM_MIN) || !Number.isFinite(diff)) {
      // underflow: certifies nothing; one retry where Σ p cannot underflow
      if (retried || !(bSafe < b && bSafe > lo)) return false;
      retried = true;
      b = bSafe;
      continue;
    }
    const mean = sumDP / sumP;
    const v = Math.max(0, sumD2P / sumP - mean * mean);
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
  if (!(bStar > 0 && slope > 0)) return false;
  // ---- replay of scikit-learn's search
  const bZero = dMin > 0 ? 746 / dMin : Infinity; // above it every p_j is exactly 0
  let betaMin = -Infinity;
  let betaMax = Infinity;
  let beta = 1;
  for (let step = 0; step < maxSteps; step++) {
    let diff: number;
    if (beta <= certPlus) diff = Infinity;
    else if (beta >= certMinus && beta <= bSafe) diff = -Infinity;
    else if (beta > bZero && beta * dMin > 746 && Math.abs(zeroDiff) > tol) diff = zeroDiff;
    else {
      // not certified: certify the side at 1.5·tol from the root (linear model) when β is
      // clearly beyond it, otherwise evaluate at β itself
      const pred = slope * (bStar - beta);
      const edge = bStar + (pred > 0 ? -1.5 : 1.5) * (tol / slope);
      if (Math.abs(pred) > 2 * tol && edge > 0 && edge <= bSafe) {
        rowSums(D, P, o, m, skip, edge);
        const de = entropyDiff(edge, desired);
        if (!(sumP >= SUM_MIN) || !Number.isFinite(de)) return false;
        if (de > certTol && edge > certPlus) certPlus = edge;
        if (de < -certTol && edge < certMinus) certMinus = edge;
      }
      if (beta <= certPlus) diff = Infinity;
      else if (beta >= certMinus && beta <= bSafe) diff = -Infinity;
      else {
        // scikit-learn's own evaluation: decides this step exactly as its loop does
        rowSums(D, P, o, m, skip, beta);
        diff = skDiff(D, P, o, m, beta, desired);
        if (Math.abs(diff) <= tol) {
          rowBeta = beta;
          rowErr = Math.abs(diff);
          rowStart = bStar;
          return true;
        }
        if (sumP >= SUM_MIN && Number.isFinite(diff)) {
          if (diff > certTol && beta > certPlus) certPlus = beta;
          if (diff < -certTol && beta < certMinus) certMinus = beta;
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
  return false;
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
    diff = skDiff(D, P, o, m, beta, desired);
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
