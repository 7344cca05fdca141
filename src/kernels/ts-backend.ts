/**
 * Plain TypeScript kernels: the reference implementation and the fallback wherever WebAssembly SIMD
 * is unavailable (or forced with UNSUPERVISED_BACKEND=ts).
 *
 * gemm uses the GotoBLAS loop order (jc/pc/ic/jr/ir) with packed panels of op(A) (4 rows) and op(B)
 * (4 columns), so transposes cost only in packing and the inner loop reads two short contiguous runs;
 * the 4x4 register tile keeps 16 accumulators in registers (about 4-5 GFLOPS in V8, see
 * PERFORMANCE.md; larger tiles spill). Each dtype has its own copy of every function so that V8 sees
 * one array type per call site (monomorphic). float32 products accumulate in float64 (JS numbers) and
 * round once on store.
 */

const TS_KC = 256;
const TS_MC = 64;
const TS_NC = 512;
// ---- f64 ----------------------------------------------------------------------------------------

const packA64 = new Float64Array(TS_MC * TS_KC);
const packB64 = new Float64Array(TS_KC * TS_NC);
const edge64 = new Float64Array(16);

function packAF64(
  A: Float64Array,
  ao: number,
  lda: number,
  ta: boolean,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  out: Float64Array,
): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = Math.min(4, mc - ir);
    const base = ir * kc;
    if (!ta) {
      // rows of A are contiguous: read 4 rows in step
      for (let r = 0; r < 4; r++) {
        if (r < mr) {
          const src = ao + (ic + ir + r) * lda + pc;
          for (let p = 0; p < kc; p++) out[base + p * 4 + r] = A[src + p]!;
        } else {
          for (let p = 0; p < kc; p++) out[base + p * 4 + r] = 0;
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = ao + (pc + p) * lda + ic + ir;
        const dst = base + p * 4;
        out[dst] = A[src]!;
        out[dst + 1] = mr > 1 ? A[src + 1]! : 0;
        out[dst + 2] = mr > 2 ? A[src + 2]! : 0;
        out[dst + 3] = mr > 3 ? A[src + 3]! : 0;
      }
    }
  }
}

function packBF64(
  B: Float64Array,
  bo: number,
  ldb: number,
  tb: boolean,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  out: Float64Array,
): void {
  for (let jr = 0; jr < nc; jr += 4) {
    const nr = Math.min(4, nc - jr);
    const base = jr * kc;
    if (!tb) {
      for (let p = 0; p < kc; p++) {
        const src = bo + (pc + p) * ldb + jc + jr;
        const dst = base + p * 4;
        out[dst] = B[src]!;
        out[dst + 1] = nr > 1 ? B[src + 1]! : 0;
        out[dst + 2] = nr > 2 ? B[src + 2]! : 0;
        out[dst + 3] = nr > 3 ? B[src + 3]! : 0;
      }
    } else {
      for (let c = 0; c < 4; c++) {
        if (c < nr) {
          const src = bo + (jc + jr + c) * ldb + pc;
          for (let p = 0; p < kc; p++) out[base + p * 4 + c] = B[src + p]!;
        } else {
          for (let p = 0; p < kc; p++) out[base + p * 4 + c] = 0;
        }
      }
    }
  }
}

function microF64(
  kc: number,
  Ap: Float64Array,
  ai: number,
  Bp: Float64Array,
  bi: number,
  C: Float64Array,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
  alpha: number,
  beta: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ai]!,
      a1 = Ap[ai + 1]!,
      a2 = Ap[ai + 2]!,
      a3 = Ap[ai + 3]!;
    const b0 = Bp[bi]!,
      b1 = Bp[bi + 1]!,
      b2 = Bp[bi + 2]!,
      b3 = Bp[bi + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ai += 4;
    bi += 4;
  }
  if (mr === 4 && nr === 4) {
    if (beta === 0) {
      C[ci] = alpha * c00;
      C[ci + 1] = alpha * c01;
      C[ci + 2] = alpha * c02;
      C[ci + 3] = alpha * c03;
      ci += ldc;
      C[ci] = alpha * c10;
      C[ci + 1] = alpha * c11;
      C[ci + 2] = alpha * c12;
      C[ci + 3] = alpha * c13;
      ci += ldc;
      C[ci] = alpha * c20;
      C[ci + 1] = alpha * c21;
      C[ci + 2] = alpha * c22;
      C[ci + 3] = alpha * c23;
      ci += ldc;
      C[ci] = alpha * c30;
      C[ci + 1] = alpha * c31;
      C[ci + 2] = alpha * c32;
      C[ci + 3] = alpha * c33;
    } else {
      C[ci] = beta * C[ci]! + alpha * c00;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c01;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c02;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c03;
      ci += ldc;
      C[ci] = beta * C[ci]! + alpha * c10;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c11;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c12;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c13;
      ci += ldc;
      C[ci] = beta * C[ci]! + alpha * c20;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c21;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c22;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c23;
      ci += ldc;
      C[ci] = beta * C[ci]! + alpha * c30;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c31;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c32;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c33;
    }
    return;
  }
  const e = edge64;
  e[0] = c00;
  e[1] = c01;
  e[2] = c02;
  e[3] = c03;
  e[4] = c10;
  e[5] = c11;
  e[6] = c12;
  e[7] = c13;
  e[8] = c20;
  e[9] = c21;
  e[10] = c22;
  e[11] = c23;
  e[12] = c30;
  e[13] = c31;
  e[14] = c32;
  e[15] = c33;
  for (let r = 0; r < mr; r++) {
    for (let c = 0; c < nr; c++) {
      const idx = ci + r * ldc + c;
      C[idx] = beta === 0 ? alpha * e[r * 4 + c]! : beta * C[idx]! + alpha * e[r * 4 + c]!;
    }
  }
}

/** Packed, blocked C = alpha·op(A)·op(B) + beta·C in float64 (GotoBLAS loop order, 4x4 register tile). */
export function gemmF64(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  ao: number,
  lda: number,
  ta: boolean,
  B: Float64Array,
  bo: number,
  ldb: number,
  tb: boolean,
  C: Float64Array,
  co: number,
  ldc: number,
  alpha: number,
  beta: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) {
    scaleRowsF64(m, n, C, co, ldc, beta);
    return;
  }
  if (m === 1 || n === 1) {
    gemvF64(m, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
    return;
  }
  const Ap = packA64;
  const Bp = packB64;
  for (let jc = 0; jc < n; jc += TS_NC) {
    const nc = Math.min(TS_NC, n - jc);
    for (let pc = 0; pc < k; pc += TS_KC) {
      const kc = Math.min(TS_KC, k - pc);
      packBF64(B, bo, ldb, tb, pc, kc, jc, nc, Bp);
      const b = pc === 0 ? beta : 1;
      for (let ic = 0; ic < m; ic += TS_MC) {
        const mc = Math.min(TS_MC, m - ic);
        packAF64(A, ao, lda, ta, ic, mc, pc, kc, Ap);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = Math.min(4, nc - jr);
          for (let ir = 0; ir < mc; ir += 4) {
            microF64(
              kc,
              Ap,
              ir * kc,
              Bp,
              jr * kc,
              C,
              co + (ic + ir) * ldc + jc + jr,
              ldc,
              Math.min(4, mc - ir),
              nr,
              alpha,
              b,
            );
          }
        }
      }
    }
  }
}

/** C[i, j] *= beta over an m×n block (beta = 0 writes zeros, so NaN in C does not survive). */
export function scaleRowsF64(
  m: number,
  n: number,
  C: Float64Array,
  co: number,
  ldc: number,
  beta: number,
): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const r = co + i * ldc;
    if (beta === 0) C.fill(0, r, r + n);
    else for (let j = 0; j < n; j++) C[r + j] = beta * C[r + j]!;
  }
}

export function rowSqNormsF64(
  m: number,
  d: number,
  X: Float64Array,
  xo: number,
  ldx: number,
  out: Float64Array,
  oo: number,
): void {
  for (let i = 0; i < m; i++) {
    const r = xo + i * ldx;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    let j = 0;
    for (; j + 3 < d; j += 4) {
      const v0 = X[r + j]!,
        v1 = X[r + j + 1]!,
        v2 = X[r + j + 2]!,
        v3 = X[r + j + 3]!;
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    for (; j < d; j++) {
      const v = X[r + j]!;
      s0 += v * v;
    }
    out[oo + i] = s0 + s1 + s2 + s3;
  }
}

/** D[i, j] = max(0, D[i, j] + xn[i] + yn[j]) — the last step of squared distances via gemm. */
export function sqdistFinishF64(
  m: number,
  n: number,
  D: Float64Array,
  dof: number,
  ldd: number,
  xn: Float64Array,
  yn: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    const r = dof + i * ldd;
    const xi = xn[i]!;
    for (let j = 0; j < n; j++) {
      const v = D[r + j]! + xi + yn[j]!;
      D[r + j] = v > 0 ? v : 0;
    }
  }
}

export function argminRowsF64(
  m: number,
  n: number,
  D: Float64Array,
  idx: Int32Array,
  val: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    const r = i * n;
    let best = Infinity;
    let bi = 0;
    for (let j = 0; j < n; j++) {
      const v = D[r + j]!;
      if (v < best) {
        best = v;
        bi = j;
      }
    }
    idx[i] = bi;
    val[i] = best;
  }
}
// ---- f32 ----------------------------------------------------------------------------------------

const packA32 = new Float32Array(TS_MC * TS_KC);
const packB32 = new Float32Array(TS_KC * TS_NC);
const edge32 = new Float64Array(16);

function packAF32(
  A: Float32Array,
  ao: number,
  lda: number,
  ta: boolean,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  out: Float32Array,
): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = Math.min(4, mc - ir);
    const base = ir * kc;
    if (!ta) {
      // rows of A are contiguous: read 4 rows in step
      for (let r = 0; r < 4; r++) {
        if (r < mr) {
          const src = ao + (ic + ir + r) * lda + pc;
          for (let p = 0; p < kc; p++) out[base + p * 4 + r] = A[src + p]!;
        } else {
          for (let p = 0; p < kc; p++) out[base + p * 4 + r] = 0;
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = ao + (pc + p) * lda + ic + ir;
        const dst = base + p * 4;
        out[dst] = A[src]!;
        out[dst + 1] = mr > 1 ? A[src + 1]! : 0;
        out[dst + 2] = mr > 2 ? A[src + 2]! : 0;
        out[dst + 3] = mr > 3 ? A[src + 3]! : 0;
      }
    }
  }
}

function packBF32(
  B: Float32Array,
  bo: number,
  ldb: number,
  tb: boolean,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  out: Float32Array,
): void {
  for (let jr = 0; jr < nc; jr += 4) {
    const nr = Math.min(4, nc - jr);
    const base = jr * kc;
    if (!tb) {
      for (let p = 0; p < kc; p++) {
        const src = bo + (pc + p) * ldb + jc + jr;
        const dst = base + p * 4;
        out[dst] = B[src]!;
        out[dst + 1] = nr > 1 ? B[src + 1]! : 0;
        out[dst + 2] = nr > 2 ? B[src + 2]! : 0;
        out[dst + 3] = nr > 3 ? B[src + 3]! : 0;
      }
    } else {
      for (let c = 0; c < 4; c++) {
        if (c < nr) {
          const src = bo + (jc + jr + c) * ldb + pc;
          for (let p = 0; p < kc; p++) out[base + p * 4 + c] = B[src + p]!;
        } else {
          for (let p = 0; p < kc; p++) out[base + p * 4 + c] = 0;
        }
      }
    }
  }
}

function microF32(
  kc: number,
  Ap: Float32Array,
  ai: number,
  Bp: Float32Array,
  bi: number,
  C: Float32Array,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
  alpha: number,
  beta: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ai]!,
      a1 = Ap[ai + 1]!,
      a2 = Ap[ai + 2]!,
      a3 = Ap[ai + 3]!;
    const b0 = Bp[bi]!,
      b1 = Bp[bi + 1]!,
      b2 = Bp[bi + 2]!,
      b3 = Bp[bi + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ai += 4;
    bi += 4;
  }
  if (mr === 4 && nr === 4) {
    if (beta === 0) {
      C[ci] = alpha * c00;
      C[ci + 1] = alpha * c01;
      C[ci + 2] = alpha * c02;
      C[ci + 3] = alpha * c03;
      ci += ldc;
      C[ci] = alpha * c10;
      C[ci + 1] = alpha * c11;
      C[ci + 2] = alpha * c12;
      C[ci + 3] = alpha * c13;
      ci += ldc;
      C[ci] = alpha * c20;
      C[ci + 1] = alpha * c21;
      C[ci + 2] = alpha * c22;
      C[ci + 3] = alpha * c23;
      ci += ldc;
      C[ci] = alpha * c30;
      C[ci + 1] = alpha * c31;
      C[ci + 2] = alpha * c32;
      C[ci + 3] = alpha * c33;
    } else {
      C[ci] = beta * C[ci]! + alpha * c00;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c01;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c02;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c03;
      ci += ldc;
      C[ci] = beta * C[ci]! + alpha * c10;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c11;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c12;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c13;
      ci += ldc;
      C[ci] = beta * C[ci]! + alpha * c20;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c21;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c22;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c23;
      ci += ldc;
      C[ci] = beta * C[ci]! + alpha * c30;
      C[ci + 1] = beta * C[ci + 1]! + alpha * c31;
      C[ci + 2] = beta * C[ci + 2]! + alpha * c32;
      C[ci + 3] = beta * C[ci + 3]! + alpha * c33;
    }
    return;
  }
  const e = edge32;
  e[0] = c00;
  e[1] = c01;
  e[2] = c02;
  e[3] = c03;
  e[4] = c10;
  e[5] = c11;
  e[6] = c12;
  e[7] = c13;
  e[8] = c20;
  e[9] = c21;
  e[10] = c22;
  e[11] = c23;
  e[12] = c30;
  e[13] = c31;
  e[14] = c32;
  e[15] = c33;
  for (let r = 0; r < mr; r++) {
    for (let c = 0; c < nr; c++) {
      const idx = ci + r * ldc + c;
      C[idx] = beta === 0 ? alpha * e[r * 4 + c]! : beta * C[idx]! + alpha * e[r * 4 + c]!;
    }
  }
}

/** Packed, blocked C = alpha·op(A)·op(B) + beta·C in float32 (GotoBLAS loop order, 4x4 register tile). */
export function gemmF32(
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  ao: number,
  lda: number,
  ta: boolean,
  B: Float32Array,
  bo: number,
  ldb: number,
  tb: boolean,
  C: Float32Array,
  co: number,
  ldc: number,
  alpha: number,
  beta: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) {
    scaleRowsF32(m, n, C, co, ldc, beta);
    return;
  }
  if (m === 1 || n === 1) {
    gemvF32(m, n, k, A, ao, lda, ta, B, bo, ldb, tb, C, co, ldc, alpha, beta);
    return;
  }
  const Ap = packA32;
  const Bp = packB32;
  for (let jc = 0; jc < n; jc += TS_NC) {
    const nc = Math.min(TS_NC, n - jc);
    for (let pc = 0; pc < k; pc += TS_KC) {
      const kc = Math.min(TS_KC, k - pc);
      packBF32(B, bo, ldb, tb, pc, kc, jc, nc, Bp);
      const b = pc === 0 ? beta : 1;
      for (let ic = 0; ic < m; ic += TS_MC) {
        const mc = Math.min(TS_MC, m - ic);
        packAF32(A, ao, lda, ta, ic, mc, pc, kc, Ap);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = Math.min(4, nc - jr);
          for (let ir = 0; ir < mc; ir += 4) {
            microF32(
              kc,
              Ap,
              ir * kc,
              Bp,
              jr * kc,
              C,
              co + (ic + ir) * ldc + jc + jr,
              ldc,
              Math.min(4, mc - ir),
              nr,
              alpha,
              b,
            );
          }
        }
      }
    }
  }
}

/** C[i, j] *= beta over an m×n block (beta = 0 writes zeros, so NaN in C does not survive). */
export function scaleRowsF32(
  m: number,
  n: number,
  C: Float32Array,
  co: number,
  ldc: number,
  beta: number,
): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const r = co + i * ldc;
    if (beta === 0) C.fill(0, r, r + n);
    else for (let j = 0; j < n; j++) C[r + j] = beta * C[r + j]!;
  }
}

export function rowSqNormsF32(
  m: number,
  d: number,
  X: Float32Array,
  xo: number,
  ldx: number,
  out: Float32Array,
  oo: number,
): void {
  for (let i = 0; i < m; i++) {
    const r = xo + i * ldx;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    let j = 0;
    for (; j + 3 < d; j += 4) {
      const v0 = X[r + j]!,
        v1 = X[r + j + 1]!,
        v2 = X[r + j + 2]!,
        v3 = X[r + j + 3]!;
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    for (; j < d; j++) {
      const v = X[r + j]!;
      s0 += v * v;
    }
    out[oo + i] = s0 + s1 + s2 + s3;
  }
}

/** D[i, j] = max(0, D[i, j] + xn[i] + yn[j]) — the last step of squared distances via gemm. */
export function sqdistFinishF32(
  m: number,
  n: number,
  D: Float32Array,
  dof: number,
  ldd: number,
  xn: Float32Array,
  yn: Float32Array,
): void {
  for (let i = 0; i < m; i++) {
    const r = dof + i * ldd;
    const xi = xn[i]!;
    for (let j = 0; j < n; j++) {
      const v = D[r + j]! + xi + yn[j]!;
      D[r + j] = v > 0 ? v : 0;
    }
  }
}

export function argminRowsF32(
  m: number,
  n: number,
  D: Float32Array,
  idx: Int32Array,
  val: Float32Array,
): void {
  for (let i = 0; i < m; i++) {
    const r = i * n;
    let best = Infinity;
    let bi = 0;
    for (let j = 0; j < n; j++) {
      const v = D[r + j]!;
      if (v < best) {
        best = v;
        bi = j;
      }
    }
    idx[i] = bi;
    val[i] = best;
  }
}

// ---- matrix-vector products (m = 1 or n = 1) -----------------------------------------------------
// Packing would copy the whole matrix for a single pass over it: these read it in place instead
// (memory-bound either way). The same for every backend.

let gemvAcc64 = new Float64Array(256);

/** gemm with m = 1 or n = 1, straight from the stored operands. */
export function gemvF64(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  ao: number,
  lda: number,
  ta: boolean,
  B: Float64Array,
  bo: number,
  ldb: number,
  tb: boolean,
  C: Float64Array,
  co: number,
  ldc: number,
  alpha: number,
  beta: number,
): void {
  if (n === 1) {
    // c_i = Σ_p op(A)[i, p] · x_p with x_p = op(B)[p, 0]
    const xs = tb ? 1 : ldb;
    if (!ta) {
      for (let i = 0; i < m; i++) {
        const r = ao + i * lda;
        let s0 = 0;
        let s1 = 0;
        let p = 0;
        for (; p + 1 < k; p += 2) {
          s0 += A[r + p]! * B[bo + p * xs]!;
          s1 += A[r + p + 1]! * B[bo + (p + 1) * xs]!;
        }
        if (p < k) s0 += A[r + p]! * B[bo + p * xs]!;
        const c = co + i * ldc;
        C[c] = beta === 0 ? alpha * (s0 + s1) : alpha * (s0 + s1) + beta * C[c]!;
      }
    } else {
      if (gemvAcc64.length < m) gemvAcc64 = new Float64Array(m);
      const acc = gemvAcc64;
      acc.fill(0, 0, m);
      for (let p = 0; p < k; p++) {
        const x = B[bo + p * xs]!;
        const r = ao + p * lda;
        for (let i = 0; i < m; i++) acc[i] = acc[i]! + A[r + i]! * x;
      }
      for (let i = 0; i < m; i++) {
        const c = co + i * ldc;
        C[c] = beta === 0 ? alpha * acc[i]! : alpha * acc[i]! + beta * C[c]!;
      }
    }
    return;
  }
  // m = 1: c_j = Σ_p a_p · op(B)[p, j] with a_p = op(A)[0, p]
  const as = ta ? lda : 1;
  if (tb) {
    for (let j = 0; j < n; j++) {
      const r = bo + j * ldb;
      let s0 = 0;
      let s1 = 0;
      let p = 0;
      for (; p + 1 < k; p += 2) {
        s0 += A[ao + p * as]! * B[r + p]!;
        s1 += A[ao + (p + 1) * as]! * B[r + p + 1]!;
      }
      if (p < k) s0 += A[ao + p * as]! * B[r + p]!;
      C[co + j] = beta === 0 ? alpha * (s0 + s1) : alpha * (s0 + s1) + beta * C[co + j]!;
    }
  } else {
    if (gemvAcc64.length < n) gemvAcc64 = new Float64Array(n);
    const acc = gemvAcc64;
    acc.fill(0, 0, n);
    for (let p = 0; p < k; p++) {
      const a = A[ao + p * as]!;
      const r = bo + p * ldb;
      for (let j = 0; j < n; j++) acc[j] = acc[j]! + a * B[r + j]!;
    }
    for (let j = 0; j < n; j++)
      C[co + j] = beta === 0 ? alpha * acc[j]! : alpha * acc[j]! + beta * C[co + j]!;
  }
}

let gemvAcc32 = new Float64Array(256);

/** gemm with m = 1 or n = 1, straight from the stored operands. */
export function gemvF32(
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  ao: number,
  lda: number,
  ta: boolean,
  B: Float32Array,
  bo: number,
  ldb: number,
  tb: boolean,
  C: Float32Array,
  co: number,
  ldc: number,
  alpha: number,
  beta: number,
): void {
  if (n === 1) {
    // c_i = Σ_p op(A)[i, p] · x_p with x_p = op(B)[p, 0]
    const xs = tb ? 1 : ldb;
    if (!ta) {
      for (let i = 0; i < m; i++) {
        const r = ao + i * lda;
        let s0 = 0;
        let s1 = 0;
        let p = 0;
        for (; p + 1 < k; p += 2) {
          s0 += A[r + p]! * B[bo + p * xs]!;
          s1 += A[r + p + 1]! * B[bo + (p + 1) * xs]!;
        }
        if (p < k) s0 += A[r + p]! * B[bo + p * xs]!;
        const c = co + i * ldc;
        C[c] = beta === 0 ? alpha * (s0 + s1) : alpha * (s0 + s1) + beta * C[c]!;
      }
    } else {
      if (gemvAcc32.length < m) gemvAcc32 = new Float64Array(m);
      const acc = gemvAcc32;
      acc.fill(0, 0, m);
      for (let p = 0; p < k; p++) {
        const x = B[bo + p * xs]!;
        const r = ao + p * lda;
        for (let i = 0; i < m; i++) acc[i] = acc[i]! + A[r + i]! * x;
      }
      for (let i = 0; i < m; i++) {
        const c = co + i * ldc;
        C[c] = beta === 0 ? alpha * acc[i]! : alpha * acc[i]! + beta * C[c]!;
      }
    }
    return;
  }
  // m = 1: c_j = Σ_p a_p · op(B)[p, j] with a_p = op(A)[0, p]
  const as = ta ? lda : 1;
  if (tb) {
    for (let j = 0; j < n; j++) {
      const r = bo + j * ldb;
      let s0 = 0;
      let s1 = 0;
      let p = 0;
      for (; p + 1 < k; p += 2) {
        s0 += A[ao + p * as]! * B[r + p]!;
        s1 += A[ao + (p + 1) * as]! * B[r + p + 1]!;
      }
      if (p < k) s0 += A[ao + p * as]! * B[r + p]!;
      C[co + j] = beta === 0 ? alpha * (s0 + s1) : alpha * (s0 + s1) + beta * C[co + j]!;
    }
  } else {
    if (gemvAcc32.length < n) gemvAcc32 = new Float64Array(n);
    const acc = gemvAcc32;
    acc.fill(0, 0, n);
    for (let p = 0; p < k; p++) {
      const a = A[ao + p * as]!;
      const r = bo + p * ldb;
      for (let j = 0; j < n; j++) acc[j] = acc[j]! + a * B[r + j]!;
    }
    for (let j = 0; j < n; j++)
      C[co + j] = beta === 0 ? alpha * acc[j]! : alpha * acc[j]! + beta * C[co + j]!;
  }
}

// ---- selection (both dtypes; memory-bound, so one generic body is enough) -------------------------

type Float = Float32Array | Float64Array;

/**
 * Per row, the k smallest entries in ascending order; ties go to the lower column index. A bounded
 * max-heap of (value, index) keeps this O(n log k) per row; NaN entries are never selected before
 * finite ones (they compare as +Infinity).
 */
export function topkRowsGeneric(
  m: number,
  n: number,
  k: number,
  D: Float,
  idx: Int32Array,
  val: Float,
): void {
  const hv = new Float64Array(k);
  const hi = new Int32Array(k);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    let size = 0;
    for (let j = 0; j < n; j++) {
      let v = D[r + j]!;
      if (v !== v) v = Infinity;
      if (size < k) {
        // sift up
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (hv[p]! > v || (hv[p] === v && hi[p]! > j)) break;
          hv[c] = hv[p]!;
          hi[c] = hi[p]!;
          c = p;
        }
        hv[c] = v;
        hi[c] = j;
      } else if (v < hv[0]!) {
        // replace the root (the worst kept) and sift down
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= size) break;
          let w = l;
          const rr = l + 1;
          if (rr < size && (hv[rr]! > hv[l]! || (hv[rr] === hv[l] && hi[rr]! > hi[l]!))) w = rr;
          if (hv[w]! < v || (hv[w] === v && hi[w]! < j)) break;
          hv[c] = hv[w]!;
          hi[c] = hi[w]!;
          c = w;
        }
        hv[c] = v;
        hi[c] = j;
      }
    }
    // pop the heap from the back: the largest first
    const o = i * k;
    for (let t = size - 1; t >= 0; t--) {
      idx[o + t] = hi[0]!;
      val[o + t] = hv[0]!;
      const lv = hv[t]!;
      const li = hi[t]!;
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= t) break;
        let w = l;
        const rr = l + 1;
        if (rr < t && (hv[rr]! > hv[l]! || (hv[rr] === hv[l] && hi[rr]! > hi[l]!))) w = rr;
        if (hv[w]! < lv || (hv[w] === lv && hi[w]! < li)) break;
        hv[c] = hv[w]!;
        hi[c] = hi[w]!;
        c = w;
      }
      hv[c] = lv;
      hi[c] = li;
    }
  }
}

// ---- elementwise maps and reductions ------------------------------------------------------------

export function axpyTs(n: number, alpha: number, x: Float, xo: number, y: Float, yo: number): void {
  for (let i = 0; i < n; i++) y[yo + i] = y[yo + i]! + alpha * x[xo + i]!;
}
export function scaleTs(n: number, alpha: number, x: Float, xo: number): void {
  for (let i = 0; i < n; i++) x[xo + i] = alpha * x[xo + i]!;
}
export function addTs(n: number, x: Float, y: Float, out: Float): void {
  for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
}
export function mulTs(n: number, x: Float, y: Float, out: Float): void {
  for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
}
export function sumTs(n: number, x: Float): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i]!;
    s1 += x[i + 1]!;
    s2 += x[i + 2]!;
    s3 += x[i + 3]!;
  }
  for (; i < n; i++) s0 += x[i]!;
  return s0 + s1 + s2 + s3;
}
export function dotTs(n: number, x: Float, y: Float): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i]! * y[i]!;
    s1 += x[i + 1]! * y[i + 1]!;
    s2 += x[i + 2]! * y[i + 2]!;
    s3 += x[i + 3]! * y[i + 3]!;
  }
  for (; i < n; i++) s0 += x[i]! * y[i]!;
  return s0 + s1 + s2 + s3;
}
/** Largest entry (-Infinity for n = 0; NaN if any entry is NaN, so NaN is never hidden). */
export function maxTs(n: number, x: Float): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}
