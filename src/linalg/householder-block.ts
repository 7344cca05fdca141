/**
 * Blocked application of Householder reflectors in compact WY form, H₁H₂…H_k = I − V·T·Vᵀ
 * (Schreiber & Van Loan 1989; Golub & Van Loan §5.1.7 and Algorithm 5.2.2 for its use in QR;
 * LAPACK dlarft + dlarfb). Turns sequences of rank-1 reflector updates into three gemm calls.
 */
import { gemm } from '../kernels/index.js';

/**
 * T (kb×kb upper triangular, row-major) such that H_0…H_{kb−1} = I − V·T·Vᵀ, for V (rows×kb,
 * row-major, unit lower trapezoidal) and the reflectors' tau (forward, columnwise; dlarft).
 */
export function larft(
  V: Float64Array,
  rows: number,
  kb: number,
  tau: Float64Array,
  tauOff: number,
  T: Float64Array,
  tmp: Float64Array,
): void {
  T.fill(0, 0, kb * kb);
  for (let jj = 0; jj < kb; jj++) {
    const t = tau[tauOff + jj];
    T[jj * kb + jj] = t;
    if (t === 0 || jj === 0) continue;
    for (let q = 0; q < jj; q++) tmp[q] = 0;
    for (let i = jj; i < rows; i++) {
      const vij = V[i * kb + jj];
      if (vij === 0) continue;
      const ri = i * kb;
      for (let q = 0; q < jj; q++) tmp[q] += V[ri + q] * vij;
    }
    for (let q = 0; q < jj; q++) {
      let s = 0;
      for (let r = q; r < jj; r++) s += T[q * kb + r] * tmp[r];
      T[q * kb + jj] = -t * s;
    }
  }
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for C = rows×cols at C[cOff], leading dimension ldc; op(T) = Tᵀ when
 * `trans` (that applies H_{kb−1}…H_0, i.e. Qᵀ). W1, W2 are scratch of kb·cols.
 */
export function applyBlockLeft(
  V: Float64Array,
  rows: number,
  kb: number,
  T: Float64Array,
  trans: boolean,
  C: Float64Array,
  cOff: number,
  ldc: number,
  cols: number,
  W1: Float64Array,
  W2: Float64Array,
): void {
  if (cols <= 0 || rows <= 0) return;
  gemm(kb, cols, rows, V, C, W1, { transA: true, lda: kb, bOffset: cOff, ldb: ldc, ldc: cols });
  gemm(kb, cols, kb, T, W1, W2, { transA: trans, lda: kb, ldb: cols, ldc: cols });
  gemm(rows, cols, kb, V, W2, C, { alpha: -1, beta: 1, lda: kb, ldb: cols, cOffset: cOff, ldc });
}
