// @ts-nocheck -- AssemblyScript, not TypeScript: compiled by asc (scripts/build-wasm.mjs); tsc must skip it.
// WebAssembly SIMD kernels (AssemblyScript). Built by scripts/build-wasm.mjs in four variants:
// {relaxed FMA | plain SIMD} x {shared memory + threads | private memory}. One source: the relaxed
// builtins are selected at compile time through ASC_FEATURE_RELAXED_SIMD.
//
// gemm follows GotoBLAS / BLIS (Goto & van de Geijn, "Anatomy of high-performance matrix
// multiplication", TOMS 2008): loops jc (NC columns of C) / pc (KC of the inner dimension: the packed
// B panel, KC x NC, stays in L2/L3) / ic (MC rows: the packed A block, MC x KC, stays in L2) / jr / ir
// around a register-tile micro-kernel (4x8 f32 = 8 accumulators of f32x4; 4x4 f64 = 8 of f64x2). Larger
// tiles spilled registers in V8 and were slower (PERFORMANCE.md). Transposes are absorbed by the packing
// routines, so op(A) and op(B) cost the same in the micro-kernel.
//
// There is no allocator here: every buffer (operands, packing workspace) is an address chosen by the
// JS side (heap.ts), so that several threads can run these functions on one shared memory, each with
// its own workspace. Addresses are byte addresses; leading dimensions are in elements.

const KC: i32 = 256;
const MC32: i32 = 128;
const NC32: i32 = 1024;
const MC64: i32 = 64;
const NC64: i32 = 512;

// workspace layout (bytes from `work`): packed A | packed B | edge tile
const PACKA_BYTES: usize = 128 * 1024; // MC32*KC*4 = MC64*KC*8
const PACKB_BYTES: usize = 1024 * 1024; // KC*NC32*4 = KC*NC64*8
/** Bytes of workspace each thread must pass to gemm_f32/gemm_f64. */
export const WORKSPACE_BYTES: i32 = <i32>(PACKA_BYTES + PACKB_BYTES + 256);

function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

// ---- f32 ------------------------------------------------------------------------------------------

// Packed A: panels of 4 rows; within a panel, for each p the 4 values op(A)[ic+ir+r, pc+p].
function packA32(a: usize, lda: i32, ta: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = min(4, mc - ir);
    const base = dst + ((<usize>(ir * kc)) << 2);
    if (ta == 0) {
      if (mr == 4) {
        const r0 = a + ((<usize>((ic + ir) * lda + pc)) << 2);
        const r1 = r0 + ((<usize>lda) << 2);
        const r2 = r1 + ((<usize>lda) << 2);
        const r3 = r2 + ((<usize>lda) << 2);
        let p = 0;
        // 4x4 blocks transposed in registers
        for (; p + 4 <= kc; p += 4) {
          const off = (<usize>p) << 2;
          const x0 = v128.load(r0 + off);
          const x1 = v128.load(r1 + off);
          const x2 = v128.load(r2 + off);
          const x3 = v128.load(r3 + off);
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const d = base + ((<usize>p) << 4);
          v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(d, i64x2.shuffle(t0, t1, 1, 3), 16);
          v128.store(d, i64x2.shuffle(t2, t3, 0, 2), 32);
          v128.store(d, i64x2.shuffle(t2, t3, 1, 3), 48);
        }
        for (; p < kc; p++) {
          const off = (<usize>p) << 2;
          const d = base + ((<usize>p) << 4);
          store<f32>(d, load<f32>(r0 + off));
          store<f32>(d, load<f32>(r1 + off), 4);
          store<f32>(d, load<f32>(r2 + off), 8);
          store<f32>(d, load<f32>(r3 + off), 12);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = base + ((<usize>p) << 4);
          for (let r = 0; r < 4; r++) {
            const v: f32 = r < mr ? load<f32>(a + ((<usize>((ic + ir + r) * lda + pc + p)) << 2)) : 0;
            store<f32>(d + ((<usize>r) << 2), v);
          }
        }
      }
    } else {
      // op(A) = Aᵀ: A is stored k x m, so the 4 values for one p are contiguous
      for (let p = 0; p < kc; p++) {
        const s = a + ((<usize>((pc + p) * lda + ic + ir)) << 2);
        const d = base + ((<usize>p) << 4);
        if (mr == 4) {
          v128.store(d, v128.load(s));
        } else {
          for (let r = 0; r < 4; r++)
            store<f32>(d + ((<usize>r) << 2), r < mr ? load<f32>(s + ((<usize>r) << 2)) : <f32>0);
        }
      }
    }
  }
}

// Packed B: panels of 8 columns; within a panel, for each p the 8 values op(B)[pc+p, jc+jr+c].
function packB32(b: usize, ldb: i32, tb: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += 8) {
    const nr = min(8, nc - jr);
    const base = dst + ((<usize>(jr * kc)) << 2);
    if (tb == 0) {
      for (let p = 0; p < kc; p++) {
        const s = b + ((<usize>((pc + p) * ldb + jc + jr)) << 2);
        const d = base + ((<usize>p) << 5);
        if (nr == 8) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let c = 0; c < 8; c++)
            store<f32>(d + ((<usize>c) << 2), c < nr ? load<f32>(s + ((<usize>c) << 2)) : <f32>0);
        }
      }
    } else if (nr == 8) {
      // op(B) = Bᵀ: B is stored n x k; transpose two 4x4 blocks per 4 values of p
      const r0 = b + ((<usize>((jc + jr) * ldb + pc)) << 2);
      const ld = (<usize>ldb) << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const off = (<usize>p) << 2;
        const d = base + ((<usize>p) << 5);
        for (let h = 0; h < 2; h++) {
          const q = r0 + off + <usize>(h * 4) * ld;
          const x0 = v128.load(q);
          const x1 = v128.load(q + ld);
          const x2 = v128.load(q + 2 * ld);
          const x3 = v128.load(q + 3 * ld);
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const dh = d + ((<usize>h) << 4);
          v128.store(dh, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(dh, i64x2.shuffle(t0, t1, 1, 3), 32);
          v128.store(dh, i64x2.shuffle(t2, t3, 0, 2), 64);
          v128.store(dh, i64x2.shuffle(t2, t3, 1, 3), 96);
        }
      }
      for (; p < kc; p++) {
        const d = base + ((<usize>p) << 5);
        for (let c = 0; c < 8; c++)
          store<f32>(d + ((<usize>c) << 2), load<f32>(r0 + <usize>c * ld + ((<usize>p) << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = base + ((<usize>p) << 5);
        for (let c = 0; c < 8; c++) {
          const v: f32 = c < nr ? load<f32>(b + ((<usize>((jc + jr + c) * ldb + pc + p)) << 2)) : 0;
          store<f32>(d + ((<usize>c) << 2), v);
        }
      }
    }
  }
}

function store32(cp: usize, acc: v128, va: v128, vb: v128, beta: f32): void {
  if (beta == 0) v128.store(cp, f32x4.mul(va, acc));
  else if (beta == 1) v128.store(cp, madd32(va, acc, v128.load(cp)));
  else v128.store(cp, madd32(va, acc, f32x4.mul(vb, v128.load(cp))));
}

// 4x8 register tile: C[0..mr, 0..nr] (=|+=) alpha * Ap·Bp (beta as described in gemm_f32)
function micro32(
  kc: i32,
  ap: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  mr: i32,
  nr: i32,
  alpha: f32,
  beta: f32,
  edge: usize,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd32(a, b0, c00);
    c01 = madd32(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd32(a, b0, c10);
    c11 = madd32(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd32(a, b0, c20);
    c21 = madd32(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd32(a, b0, c30);
    c31 = madd32(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  const ld = (<usize>ldc) << 2;
  if (mr == 4 && nr == 8) {
    store32(c, c00, va, vb, beta);
    store32(c + 16, c01, va, vb, beta);
    c += ld;
    store32(c, c10, va, vb, beta);
    store32(c + 16, c11, va, vb, beta);
    c += ld;
    store32(c, c20, va, vb, beta);
    store32(c + 16, c21, va, vb, beta);
    c += ld;
    store32(c, c30, va, vb, beta);
    store32(c + 16, c31, va, vb, beta);
    return;
  }
  // Edge tile: stage the valid part of C in a dense 4x8 buffer and apply exactly the same vector
  // arithmetic as a full tile, so every element rounds the same way wherever the tile boundaries fall
  // (results do not depend on how a product is split between threads).
  if (beta != 0) {
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < 8; j++) {
        const v: f32 = r < mr && j < nr ? load<f32>(c + <usize>r * ld + ((<usize>j) << 2)) : 0;
        store<f32>(edge + ((<usize>(r * 8 + j)) << 2), v);
      }
    }
  }
  store32(edge, c00, va, vb, beta);
  store32(edge + 16, c01, va, vb, beta);
  store32(edge + 32, c10, va, vb, beta);
  store32(edge + 48, c11, va, vb, beta);
  store32(edge + 64, c20, va, vb, beta);
  store32(edge + 80, c21, va, vb, beta);
  store32(edge + 96, c30, va, vb, beta);
  store32(edge + 112, c31, va, vb, beta);
  for (let r = 0; r < mr; r++) {
    const cr = c + <usize>r * ld;
    for (let j = 0; j < nr; j++) {
      store<f32>(cr + ((<usize>j) << 2), load<f32>(edge + ((<usize>(r * 8 + j)) << 2)));
    }
  }
}

/**
 * C = alpha·op(A)·op(B) + beta·C (f32, row-major; ta/tb = 1 for a transposed operand). Requires
 * k > 0; beta = 0 never reads C. `work` is this thread's WORKSPACE_BYTES of scratch.
 */
export function gemm_f32(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  ta: i32,
  b: usize,
  ldb: i32,
  tb: i32,
  c: usize,
  ldc: i32,
  alpha: f32,
  beta: f32,
  work: usize,
): void {
  const pa = work;
  const pb = work + PACKA_BYTES;
  const edge = pb + PACKB_BYTES;
  for (let jc = 0; jc < n; jc += NC32) {
    const nc = min(NC32, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB32(b, ldb, tb, pc, kc, jc, nc, pb);
      const bt: f32 = pc == 0 ? beta : 1;
      for (let ic = 0; ic < m; ic += MC32) {
        const mc = min(MC32, m - ic);
        packA32(a, lda, ta, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += 8) {
          const nr = min(8, nc - jr);
          const bp = pb + ((<usize>(jr * kc)) << 2);
          const cc = c + ((<usize>(ic * ldc + jc + jr)) << 2);
          for (let ir = 0; ir < mc; ir += 4) {
            micro32(
              kc,
              pa + ((<usize>(ir * kc)) << 2),
              bp,
              cc + ((<usize>(ir * ldc)) << 2),
              ldc,
              min(4, mc - ir),
              nr,
              alpha,
              bt,
              edge,
            );
          }
        }
      }
    }
  }
}

// ---- f64 ------------------------------------------------------------------------------------------

function packA64(a: usize, lda: i32, ta: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = min(4, mc - ir);
    const base = dst + ((<usize>(ir * kc)) << 3);
    if (ta == 0) {
      if (mr == 4) {
        const r0 = a + ((<usize>((ic + ir) * lda + pc)) << 3);
        const ld = (<usize>lda) << 3;
        let p = 0;
        for (; p + 2 <= kc; p += 2) {
          const off = (<usize>p) << 3;
          const x0 = v128.load(r0 + off);
          const x1 = v128.load(r0 + ld + off);
          const x2 = v128.load(r0 + 2 * ld + off);
          const x3 = v128.load(r0 + 3 * ld + off);
          const d = base + ((<usize>p) << 5);
          v128.store(d, i64x2.shuffle(x0, x1, 0, 2));
          v128.store(d, i64x2.shuffle(x2, x3, 0, 2), 16);
          v128.store(d, i64x2.shuffle(x0, x1, 1, 3), 32);
          v128.store(d, i64x2.shuffle(x2, x3, 1, 3), 48);
        }
        for (; p < kc; p++) {
          const off = (<usize>p) << 3;
          const d = base + ((<usize>p) << 5);
          store<f64>(d, load<f64>(r0 + off));
          store<f64>(d, load<f64>(r0 + ld + off), 8);
          store<f64>(d, load<f64>(r0 + 2 * ld + off), 16);
          store<f64>(d, load<f64>(r0 + 3 * ld + off), 24);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = base + ((<usize>p) << 5);
          for (let r = 0; r < 4; r++) {
            const v: f64 = r < mr ? load<f64>(a + ((<usize>((ic + ir + r) * lda + pc + p)) << 3)) : 0;
            store<f64>(d + ((<usize>r) << 3), v);
          }
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = a + ((<usize>((pc + p) * lda + ic + ir)) << 3);
        const d = base + ((<usize>p) << 5);
        if (mr == 4) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let r = 0; r < 4; r++)
            store<f64>(d + ((<usize>r) << 3), r < mr ? load<f64>(s + ((<usize>r) << 3)) : <f64>0);
        }
      }
    }
  }
}

function packB64(b: usize, ldb: i32, tb: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += 4) {
    const nr = min(4, nc - jr);
    const base = dst + ((<usize>(jr * kc)) << 3);
    if (tb == 0) {
      for (let p = 0; p < kc; p++) {
        const s = b + ((<usize>((pc + p) * ldb + jc + jr)) << 3);
        const d = base + ((<usize>p) << 5);
        if (nr == 4) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let c = 0; c < 4; c++)
            store<f64>(d + ((<usize>c) << 3), c < nr ? load<f64>(s + ((<usize>c) << 3)) : <f64>0);
        }
      }
    } else if (nr == 4) {
      const r0 = b + ((<usize>((jc + jr) * ldb + pc)) << 3);
      const ld = (<usize>ldb) << 3;
      let p = 0;
      for (; p + 2 <= kc; p += 2) {
        const off = (<usize>p) << 3;
        const x0 = v128.load(r0 + off);
        const x1 = v128.load(r0 + ld + off);
        const x2 = v128.load(r0 + 2 * ld + off);
        const x3 = v128.load(r0 + 3 * ld + off);
        const d = base + ((<usize>p) << 5);
        v128.store(d, i64x2.shuffle(x0, x1, 0, 2));
        v128.store(d, i64x2.shuffle(x2, x3, 0, 2), 16);
        v128.store(d, i64x2.shuffle(x0, x1, 1, 3), 32);
        v128.store(d, i64x2.shuffle(x2, x3, 1, 3), 48);
      }
      for (; p < kc; p++) {
        const d = base + ((<usize>p) << 5);
        for (let c = 0; c < 4; c++)
          store<f64>(d + ((<usize>c) << 3), load<f64>(r0 + <usize>c * ld + ((<usize>p) << 3)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = base + ((<usize>p) << 5);
        for (let c = 0; c < 4; c++) {
          const v: f64 = c < nr ? load<f64>(b + ((<usize>((jc + jr + c) * ldb + pc + p)) << 3)) : 0;
          store<f64>(d + ((<usize>c) << 3), v);
        }
      }
    }
  }
}

function store64(cp: usize, acc: v128, va: v128, vb: v128, beta: f64): void {
  if (beta == 0) v128.store(cp, f64x2.mul(va, acc));
  else if (beta == 1) v128.store(cp, madd64(va, acc, v128.load(cp)));
  else v128.store(cp, madd64(va, acc, f64x2.mul(vb, v128.load(cp))));
}

function micro64(
  kc: i32,
  ap: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  mr: i32,
  nr: i32,
  alpha: f64,
  beta: f64,
  edge: usize,
): void {
  let c00 = f64x2.splat(0),
    c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0),
    c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0),
    c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0),
    c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load64_splat(ap);
    c00 = madd64(a, b0, c00);
    c01 = madd64(a, b1, c01);
    a = v128.load64_splat(ap, 8);
    c10 = madd64(a, b0, c10);
    c11 = madd64(a, b1, c11);
    a = v128.load64_splat(ap, 16);
    c20 = madd64(a, b0, c20);
    c21 = madd64(a, b1, c21);
    a = v128.load64_splat(ap, 24);
    c30 = madd64(a, b0, c30);
    c31 = madd64(a, b1, c31);
    ap += 32;
    bp += 32;
  }
  const va = f64x2.splat(alpha);
  const vb = f64x2.splat(beta);
  const ld = (<usize>ldc) << 3;
  if (mr == 4 && nr == 4) {
    store64(c, c00, va, vb, beta);
    store64(c + 16, c01, va, vb, beta);
    c += ld;
    store64(c, c10, va, vb, beta);
    store64(c + 16, c11, va, vb, beta);
    c += ld;
    store64(c, c20, va, vb, beta);
    store64(c + 16, c21, va, vb, beta);
    c += ld;
    store64(c, c30, va, vb, beta);
    store64(c + 16, c31, va, vb, beta);
    return;
  }
  if (beta != 0) {
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < 4; j++) {
        const v: f64 = r < mr && j < nr ? load<f64>(c + <usize>r * ld + ((<usize>j) << 3)) : 0;
        store<f64>(edge + ((<usize>(r * 4 + j)) << 3), v);
      }
    }
  }
  store64(edge, c00, va, vb, beta);
  store64(edge + 16, c01, va, vb, beta);
  store64(edge + 32, c10, va, vb, beta);
  store64(edge + 48, c11, va, vb, beta);
  store64(edge + 64, c20, va, vb, beta);
  store64(edge + 80, c21, va, vb, beta);
  store64(edge + 96, c30, va, vb, beta);
  store64(edge + 112, c31, va, vb, beta);
  for (let r = 0; r < mr; r++) {
    const cr = c + <usize>r * ld;
    for (let j = 0; j < nr; j++) {
      store<f64>(cr + ((<usize>j) << 3), load<f64>(edge + ((<usize>(r * 4 + j)) << 3)));
    }
  }
}

/** f64 twin of gemm_f32 (4x4 register tile). */
export function gemm_f64(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  ta: i32,
  b: usize,
  ldb: i32,
  tb: i32,
  c: usize,
  ldc: i32,
  alpha: f64,
  beta: f64,
  work: usize,
): void {
  const pa = work;
  const pb = work + PACKA_BYTES;
  const edge = pb + PACKB_BYTES;
  for (let jc = 0; jc < n; jc += NC64) {
    const nc = min(NC64, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB64(b, ldb, tb, pc, kc, jc, nc, pb);
      const bt: f64 = pc == 0 ? beta : 1;
      for (let ic = 0; ic < m; ic += MC64) {
        const mc = min(MC64, m - ic);
        packA64(a, lda, ta, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = min(4, nc - jr);
          const bp = pb + ((<usize>(jr * kc)) << 3);
          const cc = c + ((<usize>(ic * ldc + jc + jr)) << 3);
          for (let ir = 0; ir < mc; ir += 4) {
            micro64(
              kc,
              pa + ((<usize>(ir * kc)) << 3),
              bp,
              cc + ((<usize>(ir * ldc)) << 3),
              ldc,
              min(4, mc - ir),
              nr,
              alpha,
              bt,
              edge,
            );
          }
        }
      }
    }
  }
}

// ---- row norms, distance finish, argmin ------------------------------------------------------------

export function rownorms_f32(m: i32, d: i32, x: usize, ldx: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    const r = x + ((<usize>(i * ldx)) << 2);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      const v = v128.load(r + ((<usize>j) << 2));
      const sq = f32x4.mul(v, v);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(sq));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(sq, sq, 2, 3, 0, 1)));
    }
    let s =
      f64x2.extract_lane(s0, 0) +
      f64x2.extract_lane(s0, 1) +
      f64x2.extract_lane(s1, 0) +
      f64x2.extract_lane(s1, 1);
    for (; j < d; j++) {
      const v = <f64>load<f32>(r + ((<usize>j) << 2));
      s += v * v;
    }
    store<f32>(out + ((<usize>i) << 2), <f32>s);
  }
}

export function rownorms_f64(m: i32, d: i32, x: usize, ldx: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    const r = x + ((<usize>(i * ldx)) << 3);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      const v0 = v128.load(r + ((<usize>j) << 3));
      const v1 = v128.load(r + ((<usize>j) << 3), 16);
      s0 = madd64(v0, v0, s0);
      s1 = madd64(v1, v1, s1);
    }
    s0 = f64x2.add(s0, s1);
    let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    for (; j < d; j++) {
      const v = load<f64>(r + ((<usize>j) << 3));
      s += v * v;
    }
    store<f64>(out + ((<usize>i) << 3), s);
  }
}

export function sqdist_finish_f32(m: i32, n: i32, dd: usize, ldd: i32, xn: usize, yn: usize): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const r = dd + ((<usize>(i * ldd)) << 2);
    const xi = v128.load32_splat(xn + ((<usize>i) << 2));
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q = r + ((<usize>j) << 2);
      const v = f32x4.add(f32x4.add(v128.load(q), xi), v128.load(yn + ((<usize>j) << 2)));
      v128.store(q, f32x4.pmax(v, zero));
    }
    const x = load<f32>(xn + ((<usize>i) << 2));
    for (; j < n; j++) {
      const q = r + ((<usize>j) << 2);
      const v = load<f32>(q) + x + load<f32>(yn + ((<usize>j) << 2));
      store<f32>(q, v > 0 ? v : 0);
    }
  }
}

export function sqdist_finish_f64(m: i32, n: i32, dd: usize, ldd: i32, xn: usize, yn: usize): void {
  const zero = f64x2.splat(0);
  for (let i = 0; i < m; i++) {
    const r = dd + ((<usize>(i * ldd)) << 3);
    const xi = v128.load64_splat(xn + ((<usize>i) << 3));
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const q = r + ((<usize>j) << 3);
      const v = f64x2.add(f64x2.add(v128.load(q), xi), v128.load(yn + ((<usize>j) << 3)));
      v128.store(q, f64x2.pmax(v, zero));
    }
    const x = load<f64>(xn + ((<usize>i) << 3));
    for (; j < n; j++) {
      const q = r + ((<usize>j) << 3);
      const v = load<f64>(q) + x + load<f64>(yn + ((<usize>j) << 3));
      store<f64>(q, v > 0 ? v : 0);
    }
  }
}

// ---- elementwise maps and reductions --------------------------------------------------------------

export function axpy_f32(n: i32, alpha: f32, x: usize, y: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, madd32(va, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

export function axpy_f64(n: i32, alpha: f64, x: usize, y: usize): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(y + o, madd64(va, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

export function scale_f32(n: i32, alpha: f32, x: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(x + o, f32x4.mul(va, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(x + o, alpha * load<f32>(x + o));
  }
}

export function scale_f64(n: i32, alpha: f64, x: usize): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(x + o, f64x2.mul(va, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(x + o, alpha * load<f64>(x + o));
  }
}

/** op 0: out = x + y, op 1: out = x * y. */
export function binary_f32(op: i32, n: i32, x: usize, y: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const a = v128.load(x + o);
    const b = v128.load(y + o);
    v128.store(out + o, op == 0 ? f32x4.add(a, b) : f32x4.mul(a, b));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const a = load<f32>(x + o);
    const b = load<f32>(y + o);
    store<f32>(out + o, op == 0 ? a + b : a * b);
  }
}

export function binary_f64(op: i32, n: i32, x: usize, y: usize, out: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    const a = v128.load(x + o);
    const b = v128.load(y + o);
    v128.store(out + o, op == 0 ? f64x2.add(a, b) : f64x2.mul(a, b));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    const a = load<f64>(x + o);
    const b = load<f64>(y + o);
    store<f64>(out + o, op == 0 ? a + b : a * b);
  }
}

/** Σ x (y = 0) or Σ x·y, accumulated in f64 lanes so that long f32 sums keep their digits. */
export function dot_f32(n: i32, x: usize, y: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    let v = v128.load(x + o);
    if (y != 0) v = f32x4.mul(v, v128.load(y + o));
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  }
  s0 = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    s += y != 0 ? <f64>(load<f32>(x + o) * load<f32>(y + o)) : <f64>load<f32>(x + o);
  }
  return s;
}

export function dot_f64(n: i32, x: usize, y: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 3;
    let v0 = v128.load(x + o);
    let v1 = v128.load(x + o, 16);
    if (y != 0) {
      v0 = f64x2.mul(v0, v128.load(y + o));
      v1 = f64x2.mul(v1, v128.load(y + o, 16));
    }
    s0 = f64x2.add(s0, v0);
    s1 = f64x2.add(s1, v1);
  }
  s0 = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    s += y != 0 ? load<f64>(x + o) * load<f64>(y + o) : load<f64>(x + o);
  }
  return s;
}

/** max over n entries; NaN when any entry is NaN (f32x4.max propagates NaN); -Infinity when n = 0. */
export function max_f32(n: i32, x: usize): f64 {
  let m = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) m = f32x4.max(m, v128.load(x + ((<usize>i) << 2)));
  let r: f32 = max(
    max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)),
    max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)),
  );
  for (; i < n; i++) r = max(r, load<f32>(x + ((<usize>i) << 2)));
  return <f64>r;
}

export function max_f64(n: i32, x: usize): f64 {
  let m = f64x2.splat(-Infinity);
  let i = 0;
  for (; i + 2 <= n; i += 2) m = f64x2.max(m, v128.load(x + ((<usize>i) << 3)));
  let r: f64 = max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
  for (; i < n; i++) r = max(r, load<f64>(x + ((<usize>i) << 3)));
  return r;
}

// ---- neural-network elementwise kernels (float32) ---------------------------------------------------
// The NN engine's per-step maps: activations, their backward rules, bias gradients, BCE and Adam.
// exp and log follow Cephes expf/logf (S. Moshier): range reduction to a small interval and a
// minimax polynomial, about 1 ulp in float32 over the normal range.

// exp: n = round(x·log₂e), r = x − n·ln2 (ln 2 split in two so n·C1 is exact), e^r by a degree-6
// polynomial, then 2^n applied as 2^(n>>1)·2^(n−(n>>1)) so that both factors stay normal: results in
// the subnormal range round once, and n = 128 overflows to +Inf as it should. Inputs are clamped to
// [−104, 89] first (beyond that the result is 0 or +Inf anyway); NaN propagates.
@inline function expf4(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-104.0)), f32x4.splat(89.0));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd32(p, r, f32x4.splat(1.3981999507e-3));
  p = madd32(p, r, f32x4.splat(8.3334519073e-3));
  p = madd32(p, r, f32x4.splat(4.1665795894e-2));
  p = madd32(p, r, f32x4.splat(1.6666665459e-1));
  p = madd32(p, r, f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(madd32(p, r2, r), f32x4.splat(1.0));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

// log: x = m·2^e with m ∈ [√½, √2), log(m) = f − f²/2 + f³·P(f) for f = m − 1, plus e·ln2 (split).
// Subnormal inputs are scaled by 2²³ first; log(0) = −Inf, log(x<0) = NaN, log(+Inf) = +Inf, NaN → NaN.
@inline function logf4(x0: v128): v128 {
  const sub = f32x4.lt(x0, f32x4.splat(1.17549435e-38));
  const x = v128.bitselect(f32x4.mul(x0, f32x4.splat(8388608.0)), x0, sub);
  const bits = x;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(sub, i32x4.splat(23)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000)); // [0.5, 1)
  const small = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  // m < √½: use 2m − 1 and e − 1; else m − 1
  e = i32x4.add(e, small); // true lanes are −1
  const f = f32x4.sub(f32x4.add(m, v128.and(m, small)), f32x4.splat(1.0));
  let ef = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(f, f);
  let p = f32x4.splat(7.0376836292e-2);
  p = madd32(p, f, f32x4.splat(-1.1514610310e-1));
  p = madd32(p, f, f32x4.splat(1.1676998740e-1));
  p = madd32(p, f, f32x4.splat(-1.2420140846e-1));
  p = madd32(p, f, f32x4.splat(1.4249322787e-1));
  p = madd32(p, f, f32x4.splat(-1.6668057665e-1));
  p = madd32(p, f, f32x4.splat(2.0000714765e-1));
  p = madd32(p, f, f32x4.splat(-2.4999993993e-1));
  p = madd32(p, f, f32x4.splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = madd32(ef, f32x4.splat(-2.12194440e-4), y);
  y = madd32(z, f32x4.splat(-0.5), y);
  let r = f32x4.add(f, y);
  r = madd32(ef, f32x4.splat(0.693359375), r);
  // special values
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x0, f32x4.splat(0.0)));
  r = v128.bitselect(x0, r, f32x4.eq(x0, f32x4.splat(Infinity)));
  r = v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x0, f32x4.splat(0.0))));
  return r;
}

// σ(x) from e = e^−|x| ∈ (0, 1]: 1/(1 + e) for x ≥ 0, e/(1 + e) for x < 0. Nothing overflows, and
// for very negative x the result keeps its (subnormal) digits instead of collapsing to 1/∞ = 0.
@inline function sigmoidf4(v: v128): v128 {
  const one = f32x4.splat(1.0);
  const e = expf4(f32x4.neg(f32x4.abs(v)));
  const d = f32x4.add(one, e);
  return f32x4.div(v128.bitselect(e, one, f32x4.lt(v, f32x4.splat(0.0))), d);
}

/** op 0: out = e^x, 1: out = log x, 2: out = σ(x) = 1/(1 + e^−x) (stable: see sigmoidf4). */
export function map_f32(op: i32, n: i32, x: usize, out: usize): void {
  let i = 0;
  const one = f32x4.splat(1.0);
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const v = v128.load(x + o);
    let r: v128;
    if (op == 0) r = expf4(v);
    else if (op == 1) r = logf4(v);
    else r = sigmoidf4(v);
    v128.store(out + o, r);
  }
  if (i < n) {
    // the tail through the same vector code, one lane at a time, so every element sees one formula
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      const v = f32x4.splat(load<f32>(x + o));
      let r: v128;
      if (op == 0) r = expf4(v);
      else if (op == 1) r = logf4(v);
      else r = sigmoidf4(v);
      store<f32>(out + o, f32x4.extract_lane(r, 0));
    }
  }
}

/** relu (alpha = 0) or leaky relu: out = x > 0 ? x : alpha·x (NaN → alpha·NaN... kept as JS: NaN > 0 is false). */
export function leaky_relu_f32(n: i32, alpha: f32, x: usize, out: usize): void {
  let i = 0;
  const va = f32x4.splat(alpha);
  const zero = f32x4.splat(0.0);
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const v = v128.load(x + o);
    const pos = f32x4.gt(v, zero);
    v128.store(out + o, alpha == 0 ? v128.and(v, pos) : v128.bitselect(v, f32x4.mul(va, v), pos));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v > 0 ? v : alpha == 0 ? 0 : alpha * v);
  }
}

/** dx (=, or += when acc) g where ref > 0, alpha·g elsewhere (ref: relu's output or leaky relu's input). */
export function leaky_relu_bwd_f32(n: i32, alpha: f32, ref: usize, g: usize, dx: usize, acc: i32): void {
  let i = 0;
  const va = f32x4.splat(alpha);
  const zero = f32x4.splat(0.0);
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const gv = v128.load(g + o);
    const pos = f32x4.gt(v128.load(ref + o), zero);
    const d = alpha == 0 ? v128.and(gv, pos) : v128.bitselect(gv, f32x4.mul(va, gv), pos);
    v128.store(dx + o, acc ? f32x4.add(v128.load(dx + o), d) : d);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const d: f32 = load<f32>(ref + o) > 0 ? gi : alpha * gi;
    store<f32>(dx + o, acc ? load<f32>(dx + o) + d : d);
  }
}

/** Sigmoid backward from its output s: dx (=, or += when acc) g·s·(1 − s). */
export function sigmoid_bwd_f32(n: i32, s: usize, g: usize, dx: usize, acc: i32): void {
  let i = 0;
  const one = f32x4.splat(1.0);
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const sv = v128.load(s + o);
    const d = f32x4.mul(f32x4.mul(v128.load(g + o), sv), f32x4.sub(one, sv));
    v128.store(dx + o, acc ? f32x4.add(v128.load(dx + o), d) : d);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const sv = load<f32>(s + o);
    const d = load<f32>(g + o) * sv * (1 - sv);
    store<f32>(dx + o, acc ? load<f32>(dx + o) + d : d);
  }
}

/** db[c] += Σ_r g[r, c] for g m×n row-major (bias gradient of a dense layer). */
export function colsum_add_f32(m: i32, n: i32, g: usize, db: usize): void {
  let c = 0;
  for (; c + 16 <= n; c += 16) {
    const co = (<usize>c) << 2;
    let a0 = v128.load(db + co);
    let a1 = v128.load(db + co, 16);
    let a2 = v128.load(db + co, 32);
    let a3 = v128.load(db + co, 48);
    let p = g + co;
    const ld = (<usize>n) << 2;
    for (let r = 0; r < m; r++, p += ld) {
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
    }
    v128.store(db + co, a0);
    v128.store(db + co, a1, 16);
    v128.store(db + co, a2, 32);
    v128.store(db + co, a3, 48);
  }
  for (; c < n; c++) {
    let s: f32 = load<f32>(db + ((<usize>c) << 2));
    for (let r = 0; r < m; r++) s += load<f32>(g + (((<usize>r * <usize>n) + <usize>c) << 2));
    store<f32>(db + ((<usize>c) << 2), s);
  }
}

/**
 * Σ −[t·max(log p, −100) + (1 − t)·max(log(1 − p), −100)] (torch.nn.BCELoss's clamp), summed in f64.
 *
 * Most image targets are exactly 0 or 1, where the term is −log q with q = p or 1 − p. For a vector
 * whose four targets are all 0/1 and whose q are all normal floats (> 2^−126, so no clamp applies),
 * (and ≤ 1: p > 1 must give NaN through the other log, as in torch),
 * the logs are not taken one by one: q is multiplied into a running per-lane product whose exponent
 * is moved into an integer accumulator after every multiplication (so it never under/overflows), and
 * one log of the mantissa product is taken at the end. Σ log q = Σ exponents·ln 2 + log(product). The
 * product's rounding (2^−24 per factor, random in sign) costs far less than the float32 rounding of
 * a log per element. Every other vector (fractional targets, q ≤ 2^−126 where the −100 clamp or
 * subnormals matter, p outside [0, 1], NaN) takes the direct formula with two logs, in float32 as
 * torch computes it.
 */
export function bce_sum_f32(n: i32, p: usize, t: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  const one = f32x4.splat(1.0);
  const zero = f32x4.splat(0.0);
  const lo = f32x4.splat(-100.0);
  const fltMin = f32x4.splat(1.17549435e-38);
  let prod = f32x4.splat(1.0);
  let ex = i32x4.splat(0);
  let exSum: f64 = 0;
  let i = 0;
  let sinceFlush = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const pv = v128.load(p + o);
    const tv = v128.load(t + o);
    const t1 = f32x4.eq(tv, one);
    const bin = v128.or(t1, f32x4.eq(tv, zero));
    const q = v128.bitselect(pv, f32x4.sub(one, pv), t1);
    if (i32x4.all_true(v128.and(v128.and(bin, f32x4.gt(q, fltMin)), f32x4.le(q, one)))) {
      const pr = f32x4.mul(prod, q); // normal: prod ∈ [1, 2), q ∈ (2^−126, 1]
      ex = i32x4.add(ex, i32x4.sub(i32x4.shr_u(pr, 23), i32x4.splat(127)));
      prod = v128.or(v128.and(pr, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
      // each step adds at least −126 per lane: flush to f64 long before i32 could overflow
      if (++sinceFlush == 1 << 20) {
        exSum += <f64>(i32x4.extract_lane(ex, 0) + i32x4.extract_lane(ex, 1)) +
          <f64>(i32x4.extract_lane(ex, 2) + i32x4.extract_lane(ex, 3));
        ex = i32x4.splat(0);
        sinceFlush = 0;
      }
      continue;
    }
    const lp = f32x4.max(logf4(pv), lo);
    const lq = f32x4.max(logf4(f32x4.sub(one, pv)), lo);
    const v = f32x4.add(f32x4.mul(tv, lp), f32x4.mul(f32x4.sub(one, tv), lq));
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  }
  s0 = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  exSum += <f64>i32x4.extract_lane(ex, 0) + <f64>i32x4.extract_lane(ex, 1) +
    <f64>i32x4.extract_lane(ex, 2) + <f64>i32x4.extract_lane(ex, 3);
  const lm = logf4(prod);
  s += exSum * 0.6931471805599453 + <f64>f32x4.extract_lane(lm, 0) + <f64>f32x4.extract_lane(lm, 1) +
    <f64>f32x4.extract_lane(lm, 2) + <f64>f32x4.extract_lane(lm, 3);
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const pv = f32x4.splat(load<f32>(p + o));
    const tv = f32x4.splat(load<f32>(t + o));
    const lp = f32x4.max(logf4(pv), lo);
    const lq = f32x4.max(logf4(f32x4.sub(one, pv)), lo);
    const v = f32x4.add(f32x4.mul(tv, lp), f32x4.mul(f32x4.sub(one, tv), lq));
    s += <f64>f32x4.extract_lane(v, 0);
  }
  return -s;
}

/**
 * BCE backward. mode 0: through the sigmoid, d = k·(p − t) (the gradient w.r.t. the logits);
 * mode 1: w.r.t. p, d = k·(p − t) / max((1 − p)·p, 1e-12) (torch's clamp). dx = d, or += d when acc.
 */
export function bce_bwd_f32(mode: i32, n: i32, k: f32, p: usize, t: usize, dx: usize, acc: i32): void {
  const vk = f32x4.splat(k);
  const one = f32x4.splat(1.0);
  const tiny = f32x4.splat(1e-12);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const pv = v128.load(p + o);
    let d = f32x4.mul(vk, f32x4.sub(pv, v128.load(t + o)));
    if (mode == 1) d = f32x4.div(d, f32x4.max(f32x4.mul(f32x4.sub(one, pv), pv), tiny));
    v128.store(dx + o, acc ? f32x4.add(v128.load(dx + o), d) : d);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const pv = load<f32>(p + o);
    let d: f32 = k * (pv - load<f32>(t + o));
    if (mode == 1) d = d / max<f32>((1 - pv) * pv, <f32>1e-12);
    store<f32>(dx + o, acc ? load<f32>(dx + o) + d : d);
  }
}

/**
 * One Adam step (torch.optim.Adam, bias-corrected, L2 weight decay added to the gradient):
 * m = b1·m + (1−b1)·g, v = b2·v + (1−b2)·g², w −= stepSize·m / (√v·invSbc2 + eps),
 * with stepSize = lr/(1 − b1^t) and invSbc2 = 1/√(1 − b2^t) computed by the caller in f64.
 */
export function adam_f32(
  n: i32,
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  b1: f32,
  b2: f32,
  stepSize: f32,
  invSbc2: f32,
  eps: f32,
  wd: f32,
): void {
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const va1 = f32x4.splat(1 - b1);
  const va2 = f32x4.splat(1 - b2);
  const vs = f32x4.splat(stepSize);
  const vi = f32x4.splat(invSbc2);
  const ve = f32x4.splat(eps);
  const vwd = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const wv = v128.load(w + o);
    let gv = v128.load(g + o);
    if (wd != 0) gv = f32x4.add(gv, f32x4.mul(vwd, wv));
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(va1, gv));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(va2, gv), gv));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const den = f32x4.add(f32x4.mul(f32x4.sqrt(vv), vi), ve);
    v128.store(w + o, f32x4.sub(wv, f32x4.div(f32x4.mul(vs, mv), den)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const wv = load<f32>(w + o);
    let gv = load<f32>(g + o);
    if (wd != 0) gv += wd * wv;
    const mv = b1 * load<f32>(m + o) + (1 - b1) * gv;
    const vv = b2 * load<f32>(v + o) + (1 - b2) * gv * gv;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    store<f32>(w + o, wv - (stepSize * mv) / (sqrt<f32>(vv) * invSbc2 + eps));
  }
}
export * from './tsne';
export * from './fft';
