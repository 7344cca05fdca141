/**
 * Comparing two labelings of the same samples (external clustering indices), as scikit-learn's
 * sklearn.metrics.cluster: contingency table, adjusted Rand index (Hubert & Arabie 1985), mutual
 * information and its normalised (Strehl & Ghosh 2002) and adjusted (Vinh, Epps & Bailey 2010)
 * forms, homogeneity / completeness / V-measure (Rosenberg & Hirschberg 2007), Fowlkes–Mallows, purity.
 *
 * Labels are any finite numbers (not only 0..k-1); each labeling is encoded to 0..k-1 by sorted value.
 * The contingency table is kept sparse when classes × clusters is large (e.g. one cluster per sample),
 * so memory stays O(n). The formulas follow scikit-learn 1.2 term by term, including its special cases
 * (both labelings constant → 1), and are tested against it to 1e-10.
 */
import { ValidationError } from '../core/errors.js';
import { toVector, validateOptions, type ConstraintTable } from '../core/validate.js';

/** Labels encoded as 0..k-1 codes, with the original sorted distinct values. */
export interface EncodedLabels {
  codes: Int32Array;
  values: Float64Array;
}

/** Encodes labels by their sorted distinct values (validated: finite numbers, non-empty). */
export function encodeLabels(labels: ArrayLike<number>, name = 'labels'): EncodedLabels {
  const v = toVector(labels, name);
  const ids = new Map<number, number>();
  for (let i = 0; i < v.length; i++) if (!ids.has(v[i]!)) ids.set(v[i]!, ids.size);
  const values = Float64Array.from(ids.keys()).sort();
  const rank = new Map<number, number>();
  for (let i = 0; i < values.length; i++) rank.set(values[i]!, i);
  const codes = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) codes[i] = rank.get(v[i]!)!;
  return { codes, values };
}

/** Non-zero cells of the contingency table of two encoded labelings, with the margins. */
interface SparseContingency {
  n: number;
  rows: number;
  cols: number;
  /** Non-zero counts n_ij with their row and column indices. */
  ri: Int32Array;
  ci: Int32Array;
  counts: Float64Array;
  /** Row sums a_i (class sizes) and column sums b_j (cluster sizes). */
  rowSums: Float64Array;
  colSums: Float64Array;
}

const DENSE_LIMIT = 1 << 22;

function checkPair(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  na: string,
  nb: string,
): [EncodedLabels, EncodedLabels] {
  if (a && b && typeof a.length === 'number' && typeof b.length === 'number' && a.length !== b.length) {
    throw new ValidationError(`${na} and ${nb} have different lengths: ${a.length} vs ${b.length}`);
  }
  return [encodeLabels(a, na), encodeLabels(b, nb)];
}

function sparseContingency(A: EncodedLabels, B: EncodedLabels): SparseContingency {
  const n = A.codes.length;
  const rows = A.values.length;
  const cols = B.values.length;
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    rowSums[A.codes[i]!]!++;
    colSums[B.codes[i]!]!++;
  }
  const ri: number[] = [];
  const ci: number[] = [];
  const cnt: number[] = [];
  if (rows * cols <= DENSE_LIMIT) {
    const dense = new Float64Array(rows * cols);
    for (let i = 0; i < n; i++) dense[A.codes[i]! * cols + B.codes[i]!]!++;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = dense[r * cols + c]!;
        if (v > 0) {
          ri.push(r);
          ci.push(c);
          cnt.push(v);
        }
      }
    }
  } else {
    const cells = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = A.codes[i]! * cols + B.codes[i]!;
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
    const keys = Float64Array.from(cells.keys()).sort();
    for (const key of keys) {
      ri.push(Math.floor(key / cols));
      ci.push(key % cols);
      cnt.push(cells.get(key)!);
    }
  }
  return {
    n,
    rows,
    cols,
    ri: Int32Array.from(ri),
    ci: Int32Array.from(ci),
    counts: Float64Array.from(cnt),
    rowSums,
    colSums,
  };
}

export interface ContingencyTable {
  /** counts[i][j] = number of samples with labelsTrue = rowLabels[i] and labelsPred = colLabels[j]. */
  counts: number[][];
  /** Sorted distinct values of labelsTrue. */
  rowLabels: number[];
  /** Sorted distinct values of labelsPred. */
  colLabels: number[];
}

/**
 * The contingency table (classes × clusters), as sklearn's contingency_matrix.
 * @example contingencyTable([0, 0, 1], [5, 6, 6]).counts // [[1, 1], [0, 1]]
 */
export function contingencyTable(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
): ContingencyTable {
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  const rows = A.values.length;
  const cols = B.values.length;
  if (rows * cols > 1e8) {
    throw new ValidationError(
      `the contingency table would have ${rows}x${cols} cells; too large to build densely`,
    );
  }
  const counts: number[][] = [];
  for (let r = 0; r < rows; r++) counts.push(new Array<number>(cols).fill(0));
  for (let i = 0; i < A.codes.length; i++) counts[A.codes[i]!]![B.codes[i]!]!++;
  return { counts, rowLabels: Array.from(A.values), colLabels: Array.from(B.values) };
}

/**
 * Adjusted Rand index: the Rand index corrected for chance (1 = identical partitions, ~0 = random,
 * can be negative). Symmetric and invariant to label permutations.
 * @example adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function adjustedRandIndex(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  const c = sparseContingency(A, B);
  const n = c.n;
  let sumSq = 0;
  for (const v of c.counts) sumSq += v * v;
  let sumA = 0;
  for (const v of c.rowSums) sumA += v * v;
  let sumB = 0;
  for (const v of c.colSums) sumB += v * v;
  // Pair confusion matrix (sklearn's pair_confusion_matrix); all entries are exact integers < 2^53.
  const tp = sumSq - n;
  const fp = sumB - sumSq;
  const fn = sumA - sumSq;
  const tn = n * n - fp - fn - sumSq;
  if (fn === 0 && fp === 0) return 1;
  // Products overflow 2^53 for n beyond ~10^4: BigInt keeps them exact, as Python ints do in sklearn.
  const [TP, FP, FN, TN] = [BigInt(tp), BigInt(fp), BigInt(fn), BigInt(tn)];
  const num = 2n * (TP * TN - FN * FP);
  const den = (TP + FN) * (FN + TN) + (TP + FP) * (FP + TN);
  return Number(num) / Number(den);
}

function entropyOf(sums: Float64Array, n: number): number {
  const logN = Math.log(n);
  let h = 0;
  for (const p of sums) if (p > 0) h += (p / n) * (Math.log(p) - logN);
  return -h;
}

function mutualInfo(c: SparseContingency): number {
  if (c.rows === 1 || c.cols === 1) return 0;
  const n = c.n;
  const logN = Math.log(n);
  let mi = 0;
  for (let t = 0; t < c.counts.length; t++) {
    const nij = c.counts[t]!;
    const pij = nij / n;
    const outer = c.rowSums[c.ri[t]!]! * c.colSums[c.ci[t]!]!;
    // sklearn: pij·(log nij − log n) + pij·(−log(a_i b_j) + log Σa + log Σb); tiny terms are zeroed.
    const term = pij * (Math.log(nij) - logN) + pij * (-Math.log(outer) + logN + logN);
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(mi, 0);
}

export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

function generalizedAverage(u: number, v: number, method: AverageMethod): number {
  switch (method) {
    case 'min':
      return Math.min(u, v);
    case 'geometric':
      return Math.sqrt(u * v);
    case 'arithmetic':
      return (u + v) / 2;
    case 'max':
      return Math.max(u, v);
  }
}

export interface AverageOptions {
  /** How the two entropies are averaged in the normaliser (default 'arithmetic', scikit-learn's). */
  average?: AverageMethod;
}

const AVERAGE_DEFAULTS: Readonly<AverageOptions> = { average: 'arithmetic' };
const AVERAGE_TABLE: ConstraintTable<AverageOptions> = {
  average: { type: 'enum', values: ['arithmetic', 'geometric', 'min', 'max'] },
};

/** Mutual information (in nats) between two labelings. */
export function mutualInfoScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  return mutualInfo(sparseContingency(A, B));
}

/**
 * Normalised mutual information MI / avg(H(true), H(pred)); `average` defaults to 'arithmetic'
 * (scikit-learn's default, equal to the V-measure). 1 = identical partitions, 0 = independent.
 * @example normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function normalizedMutualInfo(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
  options: AverageOptions = {},
): number {
  const avg = validateOptions('normalizedMutualInfo', AVERAGE_DEFAULTS, AVERAGE_TABLE, options).average!;
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  if (A.values.length === 1 && B.values.length === 1) return 1;
  const c = sparseContingency(A, B);
  const mi = mutualInfo(c);
  if (mi === 0) return 0;
  return mi / generalizedAverage(entropyOf(c.rowSums, c.n), entropyOf(c.colSums, c.n), avg);
}

/** Homogeneity, completeness and V-measure (beta weights completeness; default 1). */
export function homogeneityCompletenessVMeasure(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
  options: { beta?: number } = {},
): { homogeneity: number; completeness: number; vMeasure: number } {
  const { beta } = validateOptions<{ beta: number }>(
    'homogeneityCompletenessVMeasure',
    { beta: 1 },
    { beta: { type: 'number', min: 0 } },
    options,
  );
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  const c = sparseContingency(A, B);
  const hC = entropyOf(c.rowSums, c.n);
  const hK = entropyOf(c.colSums, c.n);
  const mi = mutualInfo(c);
  const homogeneity = hC ? mi / hC : 1;
  const completeness = hK ? mi / hK : 1;
  const vMeasure =
    homogeneity + completeness === 0
      ? 0
      : ((1 + beta) * homogeneity * completeness) / (beta * homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}

/** Fowlkes–Mallows index: geometric mean of pairwise precision and recall. */
export function fowlkesMallows(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  const c = sparseContingency(A, B);
  let tk = -c.n;
  for (const v of c.counts) tk += v * v;
  let pk = -c.n;
  for (const v of c.colSums) pk += v * v;
  let qk = -c.n;
  for (const v of c.rowSums) qk += v * v;
  return tk !== 0 ? Math.sqrt(tk / pk) * Math.sqrt(tk / qk) : 0;
}

/**
 * Purity: the fraction of samples that belong to the majority class of their cluster
 * (Σ_clusters max_class n_ij / n). 1 for a perfect (or over-split) clustering.
 */
export function purity(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  const c = sparseContingency(A, B);
  const best = new Float64Array(c.cols);
  for (let t = 0; t < c.counts.length; t++) {
    const j = c.ci[t]!;
    if (c.counts[t]! > best[j]!) best[j] = c.counts[t]!;
  }
  let s = 0;
  for (const v of best) s += v;
  return s / c.n;
}

// ---------------------------------------------------------------------------------------------
// Adjusted mutual information.

const LOG_FACT_SMALL: number[] = (() => {
  const t = [0];
  let f = 1;
  for (let k = 1; k <= 20; k++) {
    f *= k;
    t.push(Math.log(f));
  }
  return t;
})();

/**
 * log(k!) for an integer k >= 0: exact products below 21, Stirling's series (error < 1e-17 relative) above.
 * @example logFactorial(5) // Math.log(120)
 */
export function logFactorial(k: number): number {
  if (!(Number.isInteger(k) && k >= 0)) {
    throw new ValidationError(`logFactorial needs an integer k >= 0; got ${String(k)}`);
  }
  return lf(k);
}

/** logFactorial without the check, for the expected-MI loop (its arguments are counts). */
function lf(k: number): number {
  if (k <= 20) return LOG_FACT_SMALL[k]!;
  const x = k + 1;
  const x2 = x * x;
  const series = (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * x2)) / x2) / x2) / x2) / x;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
}

/** Expected mutual information of two random labelings with the given margins (Vinh et al. 2010). */
function expectedMutualInfo(c: SparseContingency): number {
  const N = c.n;
  const a = c.rowSums;
  const b = c.colSums;
  const lfN = lf(N);
  let emi = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    for (let j = 0; j < b.length; j++) {
      const bj = b[j]!;
      const start = Math.max(1, ai + bj - N);
      const end = Math.min(ai, bj);
      const glnConst = lf(ai) + lf(bj) + lf(N - ai) + lf(N - bj) - lfN;
      const logAB = Math.log(ai) + Math.log(bj);
      for (let nij = start; nij <= end; nij++) {
        const term2 = Math.log(N * nij) - logAB;
        const gln = glnConst - lf(nij) - lf(ai - nij) - lf(bj - nij) - lf(N - ai - bj + nij);
        emi += (nij / N) * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}

/**
 * Adjusted mutual information (MI − E[MI]) / (avg(H(true), H(pred)) − E[MI]); `average` defaults to
 * 'arithmetic' as in scikit-learn. Costs O(classes · clusters · n) for the expectation.
 */
export function adjustedMutualInfo(
  labelsTrue: ArrayLike<number>,
  labelsPred: ArrayLike<number>,
  options: AverageOptions = {},
): number {
  const avg = validateOptions('adjustedMutualInfo', AVERAGE_DEFAULTS, AVERAGE_TABLE, options).average!;
  const [A, B] = checkPair(labelsTrue, labelsPred, 'labelsTrue', 'labelsPred');
  if (A.values.length === 1 && B.values.length === 1) return 1;
  const c = sparseContingency(A, B);
  const mi = mutualInfo(c);
  const emi = expectedMutualInfo(c);
  const norm = generalizedAverage(entropyOf(c.rowSums, c.n), entropyOf(c.colSums, c.n), avg);
  let den = norm - emi;
  den = den < 0 ? Math.min(den, -Number.EPSILON) : Math.max(den, Number.EPSILON);
  return (mi - emi) / den;
}
