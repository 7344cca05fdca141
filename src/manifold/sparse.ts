/**
 * The small sparse toolkit LLE needs: CSR from coordinates (duplicates summed), y = A·x, the reverse
 * Cuthill-McKee ordering (Cuthill & McKee 1969; George & Liu 1981, "Computer Solution of Large Sparse
 * Positive Definite Systems", ch. 4), and an envelope (skyline) Cholesky factorisation A = L·Lᵀ in
 * that ordering with its triangular solves, which is the shift-invert solve of the sparse
 * eigenproblem (the role of SuperLU behind ARPACK's sigma mode in scipy). For matrices of
 * neighbourhood graphs of low-dimensional manifolds the RCM envelope stays small (O(n^1.5) for a 2-D
 * sheet); callers check `envelopeSize` before factorising.
 */
import type { Csr } from './affinity.js';

/** CSR (n × n) from coordinate triplets; duplicate entries are summed; rows sorted by column. */
export function csrFromCoo(
  n: number,
  rows: Int32Array,
  cols: Int32Array,
  vals: Float64Array,
  nnz = rows.length,
): Csr {
  const count = new Int32Array(n + 1);
  for (let q = 0; q < nnz; q++) count[rows[q]! + 1]!++;
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
  const c1 = new Int32Array(nnz);
  const v1 = new Float64Array(nnz);
  const fill = count.slice(0, n);
  for (let q = 0; q < nnz; q++) {
    const at = fill[rows[q]!]!++;
    c1[at] = cols[q]!;
    v1[at] = vals[q]!;
  }
  const where = new Int32Array(n).fill(-1);
  const indptr = new Int32Array(n + 1);
  const outC = new Int32Array(nnz);
  const outV = new Float64Array(nnz);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const start = m;
    for (let q = count[i]!; q < count[i + 1]!; q++) {
      const j = c1[q]!;
      const w = where[j]!;
      if (w >= start) outV[w]! += v1[q]!;
      else {
        where[j] = m;
        outC[m] = j;
        outV[m] = v1[q]!;
        m++;
      }
    }
    // sort the row by column (insertion sort: rows are short)
    for (let a = start + 1; a < m; a++) {
      const cc = outC[a]!;
      const vv = outV[a]!;
      let b = a - 1;
      while (b >= start && outC[b]! > cc) {
        outC[b + 1] = outC[b]!;
        outV[b + 1] = outV[b]!;
        b--;
      }
      outC[b + 1] = cc;
      outV[b + 1] = vv;
    }
    indptr[i + 1] = m;
  }
  return { n, indptr, indices: outC.slice(0, m), data: outV.slice(0, m) };
}

/** y = A·x. */
export function csrMatvec(A: Csr, x: Float64Array, y: Float64Array): void {
  const { indptr, indices, data } = A;
  for (let i = 0; i < A.n; i++) {
    let s = 0;
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) s += data[q]! * x[indices[q]!]!;
    y[i] = s;
  }
}

/** Reverse Cuthill-McKee ordering of a structurally symmetric matrix: perm[new] = old. */
export function reverseCuthillMcKee(A: Csr): Int32Array {
  const n = A.n;
  const { indptr, indices } = A;
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) degree[i] = indptr[i + 1]! - indptr[i]!;
  const visited = new Uint8Array(n);
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const level = new Int32Array(n);
  // BFS returning the last node reached (a far node) — used to find pseudo-peripheral starts
  const far = (start: number): number => {
    const seen = new Uint8Array(n);
    const q: number[] = [start];
    seen[start] = 1;
    let last = start;
    level[start] = 0;
    for (let h = 0; h < q.length; h++) {
      const u = q[h]!;
      last = u;
      for (let t = indptr[u]!; t < indptr[u + 1]!; t++) {
        const v = indices[t]!;
        if (!seen[v]) {
          seen[v] = 1;
          level[v] = level[u]! + 1;
          q.push(v);
        }
      }
    }
    return last;
  };
  const nbr: number[] = [];
  for (let s0 = 0; s0 < n; s0++) {
    if (visited[s0]) continue;
    // start of this component: min-degree node, then two BFS sweeps towards the periphery
    let start = s0;
    const start1 = far(far(start));
    start = start1;
    visited[start] = 1;
    order[tail++] = start;
    while (head < tail) {
      const u = order[head++]!;
      nbr.length = 0;
      for (let t = indptr[u]!; t < indptr[u + 1]!; t++) {
        const v = indices[t]!;
        if (!visited[v]) {
          visited[v] = 1;
          nbr.push(v);
        }
      }
      nbr.sort((a, b) => degree[a]! - degree[b]! || a - b);
      for (const v of nbr) order[tail++] = v;
    }
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = order[n - 1 - i]!;
  return perm;
}

/** Envelope Cholesky factor in a given ordering. */
export class EnvelopeCholesky {
  readonly n: number;
  /** perm[new] = old. */
  readonly perm: Int32Array;
  /** first[i]: first column of row i's envelope (new ordering). */
  readonly first: Int32Array;
  /** Row i's off-diagonal envelope L[i, first[i] .. i−1] lives at env[off[i] ..]. */
  readonly off: Float64Array | Int32Array;
  readonly env: Float64Array;
  readonly diag: Float64Array;
  private readonly tmp: Float64Array;

  private constructor(
    n: number,
    perm: Int32Array,
    first: Int32Array,
    off: Int32Array,
    env: Float64Array,
    diag: Float64Array,
  ) {
    this.n = n;
    this.perm = perm;
    this.first = first;
    this.off = off;
    this.env = env;
    this.diag = diag;
    this.tmp = new Float64Array(n);
  }

  /** Number of stored off-diagonal entries the factor of A in ordering perm would need. */
  static envelopeSize(A: Csr, perm: Int32Array): number {
    const n = A.n;
    const inv = new Int32Array(n);
    for (let i = 0; i < n; i++) inv[perm[i]!] = i;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const old = perm[i]!;
      let f = i;
      for (let q = A.indptr[old]!; q < A.indptr[old + 1]!; q++) {
        const j = inv[A.indices[q]!]!;
        if (j < f) f = j;
      }
      total += i - f;
    }
    return total;
  }

  /**
   * Factorises A + shift·I (A symmetric, both triangles stored). Returns null when a pivot is not
   * positive (A + shift·I is not numerically positive definite).
   */
  static factor(A: Csr, perm: Int32Array, shift: number): EnvelopeCholesky | null {
    const n = A.n;
    const inv = new Int32Array(n);
    for (let i = 0; i < n; i++) inv[perm[i]!] = i;
    const first = new Int32Array(n);
    const off = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const old = perm[i]!;
      let f = i;
      for (let q = A.indptr[old]!; q < A.indptr[old + 1]!; q++) {
        const j = inv[A.indices[q]!]!;
        if (j < f) f = j;
      }
      first[i] = f;
      off[i + 1] = off[i]! + (i - f);
    }
    const env = new Float64Array(off[n]!);
    const diag = new Float64Array(n);
    // scatter A (lower triangle, new ordering) into the envelope
    for (let i = 0; i < n; i++) {
      const old = perm[i]!;
      for (let q = A.indptr[old]!; q < A.indptr[old + 1]!; q++) {
        const j = inv[A.indices[q]!]!;
        if (j < i) env[off[i]! + (j - first[i]!)]! += A.data[q]!;
        else if (j === i) diag[i]! += A.data[q]!;
      }
      diag[i]! += shift;
    }
    for (let i = 0; i < n; i++) {
      const fi = first[i]!;
      const oi = off[i]! - fi; // env index of L[i, t] is oi + t
      for (let j = fi; j < i; j++) {
        const fj = first[j]!;
        const oj = off[j]! - fj;
        const t0 = fi > fj ? fi : fj;
        let s = env[oi + j]!;
        for (let t = t0; t < j; t++) s -= env[oi + t]! * env[oj + t]!;
        env[oi + j] = s / diag[j]!;
      }
      let d = diag[i]!;
      for (let t = fi; t < i; t++) d -= env[oi + t]! * env[oi + t]!;
      if (!(d > 0)) return null;
      diag[i] = Math.sqrt(d);
    }
    return new EnvelopeCholesky(n, perm, first, off, env, diag);
  }

  /** x = (A + shift·I)⁻¹ b (original ordering). */
  solve(b: Float64Array, x: Float64Array): void {
    const { n, perm, first, env, diag } = this;
    const off = this.off as Int32Array;
    const z = this.tmp;
    for (let i = 0; i < n; i++) z[i] = b[perm[i]!]!;
    for (let i = 0; i < n; i++) {
      const fi = first[i]!;
      const oi = off[i]! - fi;
      let s = z[i]!;
      for (let t = fi; t < i; t++) s -= env[oi + t]! * z[t]!;
      z[i] = s / diag[i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      const xi = z[i]! / diag[i]!;
      z[i] = xi;
      const fi = first[i]!;
      const oi = off[i]! - fi;
      for (let t = fi; t < i; t++) z[t]! -= env[oi + t]! * xi;
    }
    for (let i = 0; i < n; i++) x[perm[i]!] = z[i]!;
  }
}
