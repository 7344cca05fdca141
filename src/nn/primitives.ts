/**
 * The primitives of the autodiff engine: each one's forward and backward side by side, in one typed
 * table (the layout of micrograd's `engine.py` and teenygrad's `mlops.py`). The table's type
 * `{ [P in Primitive]: GradRule<P> }` makes a primitive without a backward a compile error.
 *
 * The set is small; everything else (layers, penalties, reparameterisation) is composed from it.
 * A few primitives are fused where composing would cost memory traffic or numerical stability
 * (matmul with transpose flags instead of transposes; BCE on logits; softmax cross-entropy; batch
 * norm; convolutions through im2col + gemm; the closed-form losses and penalties of the notes).
 *
 * Conventions: backward rules ACCUMULATE (+=) into input gradients, obtained with `gradOf` (null
 * when an input needs no gradient); `g` is the gradient of the output. Loss primitives return a
 * scalar (shape []) and state their reduction.
 */
import {
  bceBackwardF32,
  bceSumF32,
  colSumsAddF32,
  gemm,
  vecLeakyReluBackwardF32,
  vecLeakyReluF32,
  vecSigmoidBackwardF32,
  vecSigmoidF32,
} from '../kernels/index.js';
import { ValidationError } from '../core/errors.js';
import type { Buf } from './memory.js';
import { Tensor, engine, gradOf, gradOut, gradFresh, passGrad, tempBuf } from './tensor.js';
import { col2imAdd, im2col } from './im2col.js';
import { fastExp } from './fastexp.js';

export interface ConvAttrs {
  stride: number;
  pad: number;
}
export interface ConvTransposeAttrs {
  stride: number;
  pad: number;
  outputPadding: number;
}
export interface BatchNormAttrs {
  eps: number;
  momentum: number;
  /** Use batch statistics and update the running ones (training), or use the running ones (eval). */
  training: boolean;
  runningMean: Buf;
  runningVar: Buf;
}

/** Attributes of each primitive (null: none). The keys of this interface ARE the primitive set. */
export interface Attrs {
  matmul: { transA: boolean; transB: boolean };
  /**
   * Dense layer x·Wᵀ + b with W [out, in] (tied: x·W with W [in, out], the encoder's weight used
   * transposed) and an optional bias (inputs [x, W] or [x, W, b]). Fused so the bias is the gemm's
   * initial C (beta = 1) instead of a separate pass over the output.
   */
  linear: { tied: boolean };
  /** x viewed as [outer, C, inner] plus b[C] (inner = 1 for dense layers, H·W for convolutions). */
  addBias: { inner: number };
  add: null;
  sub: null;
  mul: null;
  /** a·x + b */
  affine: { a: number; b: number };
  relu: null;
  leakyRelu: { alpha: number };
  sigmoid: null;
  tanh: null;
  softplus: null;
  exp: null;
  log: null;
  square: null;
  abs: null;
  sum: null;
  mean: null;
  reshape: { shape: readonly number[] };
  /** Columns of 2-D tensors side by side (axis 1). */
  concat: null;
  sliceCols: { start: number; end: number };
  dropout: { p: number };
  batchNorm: BatchNormAttrs;
  conv2d: ConvAttrs;
  convTranspose2d: ConvTransposeAttrs;
  mse: null;
  bce: null;
  bceLogits: null;
  softmaxCrossEntropy: null;
  gaussianKL: null;
  bernoulliKL: { rho: number };
  contractiveSigmoid: null;
}
export type Primitive = keyof Attrs;

export interface GradRule<P extends Primitive> {
  /** Output shape; throws a ValidationError naming the mismatch. */
  shape(inputs: readonly Tensor[], a: Attrs[P]): readonly number[];
  forward(out: Tensor, inputs: readonly Tensor[], a: Attrs[P]): void;
  backward(out: Tensor, inputs: readonly Tensor[], a: Attrs[P], g: Buf): void;
  /** The output shares the first input's data (reshape). */
  aliases?: boolean;
}

const SCALAR: readonly number[] = Object.freeze([]);
/** e^−100: below it torch's BCE clamps the log at −100. */
const EXP_M100 = Math.exp(-100);
const shp = (t: Tensor): string => `[${t.shape.join(', ')}]`;
/**
 * Float32 operands (the engine's normal mode) go to the kernels' WebAssembly SIMD elementwise maps;
 * float64 (the gradient-check mode) keeps the scalar loops below, which are also the reference.
 */
const f32 = (...bs: Buf[]): boolean => {
  for (const b of bs) if (!(b instanceof Float32Array)) return false;
  return true;
};

function sameShape(name: string, a: Tensor, b: Tensor): readonly number[] {
  if (a.size !== b.size || a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) {
    throw new ValidationError(`${name}: shapes ${shp(a)} and ${shp(b)} differ`);
  }
  return a.shape;
}
function rank2(name: string, t: Tensor): void {
  if (t.shape.length !== 2) throw new ValidationError(`${name} needs a 2-D tensor; got shape ${shp(t)}`);
}
const unaryShape = (x: readonly Tensor[]): readonly number[] => x[0]!.shape;
// Branch-free: for x → −∞, exp(−x) overflows to Infinity and 1/Infinity = 0, the right limit, so
// no sign test is needed (a data-dependent branch costs more than the exp on random signs).
const sigm = (x: number): number => 1 / (1 + Math.exp(-x));
const log1pExpNeg = (ax: number): number => Math.log1p(Math.exp(-ax));

/** [N, C, L] → [C, N·L] (channel-major: a batch side by side for one gemm). */
function toChannelMajor(src: Buf, dst: Buf, N: number, C: number, L: number): void {
  const NL = N * L;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const s0 = (n * C + c) * L,
        d0 = c * NL + n * L;
      for (let l = 0; l < L; l++) dst[d0 + l] = src[s0 + l]!;
    }
  }
}

/** [C, N·L] → [N, C, L], written (add = false) or accumulated. */
function channelMajorTo(src: Buf, dst: Buf, N: number, C: number, L: number, add: boolean): void {
  const NL = N * L;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const d0 = (n * C + c) * L,
        s0 = c * NL + n * L;
      if (add) for (let l = 0; l < L; l++) dst[d0 + l] += src[s0 + l]!;
      else for (let l = 0; l < L; l++) dst[d0 + l] = src[s0 + l]!;
    }
  }
}

function convOut(H: number, k: number, s: number, p: number): number {
  return Math.floor((H + 2 * p - k) / s) + 1;
}

/** The primitive table: shape, forward and backward of each primitive. */
export const PRIMITIVES: { [P in Primitive]: GradRule<P> } = {
  matmul: {
    shape([a, b], { transA, transB }) {
      rank2('matmul', a!);
      rank2('matmul', b!);
      const m = transA ? a!.shape[1]! : a!.shape[0]!;
      const k = transA ? a!.shape[0]! : a!.shape[1]!;
      const k2 = transB ? b!.shape[1]! : b!.shape[0]!;
      const n = transB ? b!.shape[0]! : b!.shape[1]!;
      if (k !== k2)
        throw new ValidationError(
          `matmul: inner dimensions differ (${shp(a!)}${transA ? 'ᵀ' : ''} · ${shp(b!)}${transB ? 'ᵀ' : ''})`,
        );
      return [m, n];
    },
    forward(out, [a, b], { transA, transB }) {
      const m = out.shape[0]!,
        n = out.shape[1]!;
      const k = transA ? a!.shape[0]! : a!.shape[1]!;
      gemm(m, n, k, a!.data, b!.data, out.data, { transA, transB });
    },
    backward(out, [a, b], { transA, transB }, g) {
      const m = out.shape[0]!,
        n = out.shape[1]!;
      const k = transA ? a!.shape[0]! : a!.shape[1]!;
      // beta = 0 when the gradient buffer is new: gemm overwrites it, no zero-fill needed.
      const da = gradOut(a!);
      if (da) {
        const beta = gradFresh ? 0 : 1;
        if (!transA) gemm(m, k, n, g, b!.data, da, { transB: !transB, beta });
        else gemm(k, m, n, b!.data, g, da, { transA: transB, transB: true, beta });
      }
      const db = gradOut(b!);
      if (db) {
        const beta = gradFresh ? 0 : 1;
        if (!transB) gemm(k, n, m, a!.data, g, db, { transA: !transA, beta });
        else gemm(n, k, m, g, a!.data, db, { transA: true, transB: transA, beta });
      }
    },
  },

  linear: {
    shape([x, w, b], { tied }) {
      rank2('linear', x!);
      rank2('linear', w!);
      const k = tied ? w!.shape[0]! : w!.shape[1]!;
      const n = tied ? w!.shape[1]! : w!.shape[0]!;
      if (x!.shape[1] !== k)
        throw new ValidationError(
          `linear: input ${shp(x!)} does not fit weight ${shp(w!)}${tied ? ' (tied)' : ''}`,
        );
      if (b && b.size !== n) throw new ValidationError(`linear: bias of ${b.size} values for ${n} outputs`);
      return [x!.shape[0]!, n];
    },
    forward(out, [x, w, b], { tied }) {
      const m = out.shape[0]!,
        n = out.shape[1]!,
        k = x!.shape[1]!,
        o = out.data;
      if (b) for (let r = 0; r < m; r++) o.set(b.data, r * n);
      gemm(m, n, k, x!.data, w!.data, o, { transB: !tied, beta: b ? 1 : 0 });
    },
    backward(out, [x, w, b], { tied }, g) {
      const m = out.shape[0]!,
        n = out.shape[1]!,
        k = x!.shape[1]!;
      const dx = gradOut(x!);
      if (dx) gemm(m, k, n, g, w!.data, dx, { transB: tied, beta: gradFresh ? 0 : 1 });
      const dw = gradOut(w!);
      if (dw) {
        const beta = gradFresh ? 0 : 1;
        if (!tied) gemm(n, k, m, g, x!.data, dw, { transA: true, beta });
        else gemm(k, n, m, x!.data, g, dw, { transA: true, beta });
      }
      const db = b ? gradOf(b) : null;
      if (db && f32(db, g)) colSumsAddF32(m, n, g as Float32Array, db as Float32Array);
      else if (db) for (let r = 0, p = 0; r < m; r++, p += n) for (let c = 0; c < n; c++) db[c] += g[p + c]!;
    },
  },

  addBias: {
    shape([x, b], { inner }) {
      const C = b!.size;
      if (x!.shape.length < 2 || x!.shape[1] !== C || x!.size % (C * inner) !== 0) {
        throw new ValidationError(`addBias: bias of ${C} values does not fit input shape ${shp(x!)}`);
      }
      return x!.shape;
    },
    forward(out, [x, b], { inner }) {
      const xd = x!.data,
        bd = b!.data,
        o = out.data;
      const C = bd.length,
        outer = x!.size / (C * inner);
      let p = 0;
      if (inner === 1) {
        // dense layers: one flat loop per row (the triple loop's inner trip count of 1 costs)
        for (let r = 0; r < outer; r++, p += C) for (let c = 0; c < C; c++) o[p + c] = xd[p + c]! + bd[c]!;
        return;
      }
      for (let r = 0; r < outer; r++) {
        for (let c = 0; c < C; c++) {
          const bc = bd[c]!;
          for (let i = 0; i < inner; i++, p++) o[p] = xd[p]! + bc;
        }
      }
    },
    backward(out, [x, b], { inner }, g) {
      passGrad(x!, g);
      const db = gradOf(b!);
      if (db) {
        const C = db.length,
          outer = out.size / (C * inner);
        let p = 0;
        if (inner === 1) {
          if (f32(db, g)) colSumsAddF32(outer, C, g as Float32Array, db as Float32Array);
          else for (let r = 0; r < outer; r++, p += C) for (let c = 0; c < C; c++) db[c] += g[p + c]!;
          return;
        }
        for (let r = 0; r < outer; r++) {
          for (let c = 0; c < C; c++) {
            let s = 0;
            for (let i = 0; i < inner; i++, p++) s += g[p]!;
            db[c] += s;
          }
        }
      }
    },
  },

  add: {
    shape: ([a, b]) => sameShape('add', a!, b!),
    forward(out, [a, b]) {
      const x = a!.data,
        y = b!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = x[i]! + y[i]!;
    },
    backward(_o, [a, b], _a, g) {
      passGrad(a!, g);
      // b must not share a's (possibly aliased) buffer: accumulate.
      const db = gradOf(b!);
      if (db) for (let i = 0; i < g.length; i++) db[i] += g[i]!;
    },
  },

  sub: {
    shape: ([a, b]) => sameShape('sub', a!, b!),
    forward(out, [a, b]) {
      const x = a!.data,
        y = b!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = x[i]! - y[i]!;
    },
    backward(_o, [a, b], _a, g) {
      const da = gradOf(a!);
      if (da) for (let i = 0; i < g.length; i++) da[i] += g[i]!;
      const db = gradOf(b!);
      if (db) for (let i = 0; i < g.length; i++) db[i] -= g[i]!;
    },
  },

  mul: {
    shape: ([a, b]) => sameShape('mul', a!, b!),
    forward(out, [a, b]) {
      const x = a!.data,
        y = b!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = x[i]! * y[i]!;
    },
    backward(_o, [a, b], _a, g) {
      const x = a!.data,
        y = b!.data;
      const da = gradOf(a!);
      if (da) for (let i = 0; i < g.length; i++) da[i] += g[i]! * y[i]!;
      const db = gradOf(b!);
      if (db) for (let i = 0; i < g.length; i++) db[i] += g[i]! * x[i]!;
    },
  },

  affine: {
    shape: unaryShape,
    forward(out, [x], { a, b }) {
      const xd = x!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = a * xd[i]! + b;
    },
    backward(_o, [x], { a }, g) {
      const dx = gradOf(x!);
      if (dx) for (let i = 0; i < g.length; i++) dx[i] += a * g[i]!;
    },
  },

  relu: {
    shape: unaryShape,
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      if (f32(xd, o)) return vecLeakyReluF32(o.length, 0, xd as Float32Array, o as Float32Array);
      for (let i = 0; i < o.length; i++) {
        const v = xd[i]!;
        o[i] = v > 0 ? v : 0;
      }
    },
    backward(out, [x], _a, g) {
      const dx = gradOut(x!);
      if (!dx) return;
      const y = out.data;
      if (f32(y, g, dx))
        return vecLeakyReluBackwardF32(
          g.length,
          0,
          y as Float32Array,
          g as Float32Array,
          dx as Float32Array,
          !gradFresh,
        );
      if (gradFresh) for (let i = 0; i < g.length; i++) dx[i] = y[i]! > 0 ? g[i]! : 0;
      else for (let i = 0; i < g.length; i++) if (y[i]! > 0) dx[i] += g[i]!;
    },
  },

  leakyRelu: {
    shape: unaryShape,
    forward(out, [x], { alpha }) {
      const xd = x!.data,
        o = out.data;
      if (f32(xd, o)) return vecLeakyReluF32(o.length, alpha, xd as Float32Array, o as Float32Array);
      for (let i = 0; i < o.length; i++) {
        const v = xd[i]!;
        o[i] = v > 0 ? v : alpha * v;
      }
    },
    backward(_o, [x], { alpha }, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const xd = x!.data;
      if (f32(xd, g, dx))
        return vecLeakyReluBackwardF32(
          g.length,
          alpha,
          xd as Float32Array,
          g as Float32Array,
          dx as Float32Array,
          true,
        );
      for (let i = 0; i < g.length; i++) dx[i] += xd[i]! > 0 ? g[i]! : alpha * g[i]!;
    },
  },

  sigmoid: {
    shape: unaryShape,
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      if (f32(xd, o)) return vecSigmoidF32(o.length, xd as Float32Array, o as Float32Array);
      for (let i = 0; i < o.length; i++) o[i] = 1 / (1 + fastExp(-xd[i]!));
    },
    backward(out, [x], _a, g) {
      const dx = gradOut(x!);
      if (!dx) return;
      const y = out.data;
      if (f32(y, g, dx))
        return vecSigmoidBackwardF32(
          g.length,
          y as Float32Array,
          g as Float32Array,
          dx as Float32Array,
          !gradFresh,
        );
      if (gradFresh) {
        for (let i = 0; i < g.length; i++) {
          const s = y[i]!;
          dx[i] = g[i]! * s * (1 - s);
        }
      } else {
        for (let i = 0; i < g.length; i++) {
          const s = y[i]!;
          dx[i] += g[i]! * s * (1 - s);
        }
      }
    },
  },

  tanh: {
    shape: unaryShape,
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = Math.tanh(xd[i]!);
    },
    backward(out, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const y = out.data;
      for (let i = 0; i < g.length; i++) {
        const t = y[i]!;
        dx[i] += g[i]! * (1 - t * t);
      }
    },
  },

  softplus: {
    shape: unaryShape,
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x.
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) {
        const v = xd[i]!;
        o[i] = (v > 0 ? v : 0) + log1pExpNeg(Math.abs(v));
      }
    },
    backward(_o, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const xd = x!.data;
      for (let i = 0; i < g.length; i++) dx[i] += g[i]! * sigm(xd[i]!);
    },
  },

  exp: {
    shape: unaryShape,
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = Math.exp(xd[i]!);
    },
    backward(out, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const y = out.data;
      for (let i = 0; i < g.length; i++) dx[i] += g[i]! * y[i]!;
    },
  },

  log: {
    shape: unaryShape,
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = Math.log(xd[i]!);
    },
    backward(_o, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const xd = x!.data;
      for (let i = 0; i < g.length; i++) dx[i] += g[i]! / xd[i]!;
    },
  },

  square: {
    shape: unaryShape,
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = xd[i]! * xd[i]!;
    },
    backward(_o, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const xd = x!.data;
      for (let i = 0; i < g.length; i++) dx[i] += 2 * g[i]! * xd[i]!;
    },
  },

  abs: {
    shape: unaryShape,
    forward(out, [x]) {
      const xd = x!.data,
        o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = Math.abs(xd[i]!);
    },
    // Subgradient 0 at 0, as torch.
    backward(_o, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const xd = x!.data;
      for (let i = 0; i < g.length; i++) {
        const v = xd[i]!;
        if (v > 0) dx[i] += g[i]!;
        else if (v < 0) dx[i] -= g[i]!;
      }
    },
  },

  sum: {
    shape: () => SCALAR,
    forward(out, [x]) {
      const xd = x!.data;
      let s = 0;
      for (let i = 0; i < xd.length; i++) s += xd[i]!;
      out.data[0] = s;
    },
    backward(_o, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const gv = g[0]!;
      for (let i = 0; i < dx.length; i++) dx[i] += gv;
    },
  },

  mean: {
    shape: () => SCALAR,
    forward(out, [x]) {
      const xd = x!.data;
      let s = 0;
      for (let i = 0; i < xd.length; i++) s += xd[i]!;
      out.data[0] = s / xd.length;
    },
    backward(_o, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const gv = g[0]! / dx.length;
      for (let i = 0; i < dx.length; i++) dx[i] += gv;
    },
  },

  reshape: {
    aliases: true,
    shape([x], { shape }) {
      let n = 1;
      for (const s of shape) n *= s;
      if (n !== x!.size)
        throw new ValidationError(
          `reshape: cannot view ${shp(x!)} (${x!.size} values) as [${shape.join(', ')}]`,
        );
      return shape;
    },
    forward() {},
    backward(_o, [x], _a, g) {
      passGrad(x!, g);
    },
  },

  concat: {
    shape(xs) {
      let w = 0;
      for (const x of xs) {
        rank2('concat', x);
        if (x.shape[0] !== xs[0]!.shape[0])
          throw new ValidationError(`concat: row counts differ (${shp(xs[0]!)} and ${shp(x)})`);
        w += x.shape[1]!;
      }
      return [xs[0]!.shape[0]!, w];
    },
    forward(out, xs) {
      const n = out.shape[0]!,
        W = out.shape[1]!,
        o = out.data;
      let c0 = 0;
      for (const x of xs) {
        const w = x.shape[1]!,
          d = x.data;
        for (let r = 0; r < n; r++) for (let j = 0; j < w; j++) o[r * W + c0 + j] = d[r * w + j]!;
        c0 += w;
      }
    },
    backward(out, xs, _a, g) {
      const n = out.shape[0]!,
        W = out.shape[1]!;
      let c0 = 0;
      for (const x of xs) {
        const w = x.shape[1]!,
          dx = gradOf(x);
        if (dx) for (let r = 0; r < n; r++) for (let j = 0; j < w; j++) dx[r * w + j] += g[r * W + c0 + j]!;
        c0 += w;
      }
    },
  },

  sliceCols: {
    shape([x], { start, end }) {
      rank2('sliceCols', x!);
      if (!(start >= 0 && end <= x!.shape[1]! && start < end))
        throw new ValidationError(`sliceCols: [${start}, ${end}) is outside the ${x!.shape[1]} columns`);
      return [x!.shape[0]!, end - start];
    },
    forward(out, [x], { start }) {
      const n = out.shape[0]!,
        w = out.shape[1]!,
        W = x!.shape[1]!,
        d = x!.data,
        o = out.data;
      for (let r = 0; r < n; r++) for (let j = 0; j < w; j++) o[r * w + j] = d[r * W + start + j]!;
    },
    backward(out, [x], { start }, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const n = out.shape[0]!,
        w = out.shape[1]!,
        W = x!.shape[1]!;
      for (let r = 0; r < n; r++) for (let j = 0; j < w; j++) dx[r * W + start + j] += g[r * w + j]!;
    },
  },

  // Inverted dropout (Srivastava et al. 2014): kept units are scaled by 1/(1-p) so eval is identity.
  dropout: {
    shape: unaryShape,
    forward(out, [x], { p }) {
      const mask = tempBuf(x!.dtype, x!.size, false);
      out.saved = [mask];
      // One 32-bit draw per unit: kept when u ≥ p·2³² (probability 1 − p up to 2⁻³²).
      const rng = engine.rng,
        scale = 1 / (1 - p),
        xd = x!.data,
        o = out.data,
        thr = p * 4294967296;
      for (let i = 0; i < o.length; i++) {
        const m = rng.nextU32() >= thr ? scale : 0;
        mask[i] = m;
        o[i] = xd[i]! * m;
      }
    },
    backward(out, [x], _a, g) {
      const dx = gradOf(x!);
      if (!dx) return;
      const mask = out.saved![0]!;
      for (let i = 0; i < g.length; i++) dx[i] += g[i]! * mask[i]!;
    },
  },

  // Ioffe & Szegedy 2015. x: [N, C] or [N, C, H, W]; statistics per channel over N·H·W values.
  // Running variance uses the unbiased batch variance, as torch.nn.BatchNorm*d.
  batchNorm: {
    shape([x, gamma, beta]) {
      const C = gamma!.size;
      if (x!.shape.length < 2 || x!.shape[1] !== C || beta!.size !== C) {
        throw new ValidationError(`batchNorm: ${C} channels do not fit input shape ${shp(x!)}`);
      }
      return x!.shape;
    },
    forward(out, [x, gamma, beta], a) {
      const C = gamma!.size,
        N = x!.shape[0]!,
        inner = x!.size / (N * C),
        M = N * inner;
      const xd = x!.data,
        gd = gamma!.data,
        bd = beta!.data,
        o = out.data;
      const xhat = tempBuf(x!.dtype, x!.size, false);
      const invstd = tempBuf(x!.dtype, C, false);
      out.saved = [xhat, invstd];
      for (let c = 0; c < C; c++) {
        let mean: number, is: number;
        if (a.training) {
          let s = 0;
          for (let n = 0; n < N; n++)
            for (let i = 0, p = (n * C + c) * inner; i < inner; i++) s += xd[p + i]!;
          mean = s / M;
          let v = 0;
          for (let n = 0; n < N; n++) {
            for (let i = 0, p = (n * C + c) * inner; i < inner; i++) {
              const d = xd[p + i]! - mean;
              v += d * d;
            }
          }
          const varB = v / M;
          is = 1 / Math.sqrt(varB + a.eps);
          a.runningMean[c] = (1 - a.momentum) * a.runningMean[c]! + a.momentum * mean;
          a.runningVar[c] = (1 - a.momentum) * a.runningVar[c]! + a.momentum * (M > 1 ? v / (M - 1) : varB);
        } else {
          mean = a.runningMean[c]!;
          is = 1 / Math.sqrt(a.runningVar[c]! + a.eps);
        }
        invstd[c] = is;
        const gc = gd[c]!,
          bc = bd[c]!;
        for (let n = 0; n < N; n++) {
          for (let i = 0, p = (n * C + c) * inner; i < inner; i++) {
            const h = (xd[p + i]! - mean) * is;
            xhat[p + i] = h;
            o[p + i] = gc * h + bc;
          }
        }
      }
    },
    backward(out, [x, gamma, beta], a, g) {
      const C = gamma!.size,
        N = x!.shape[0]!,
        inner = x!.size / (N * C),
        M = N * inner;
      const [xhat, invstd] = out.saved as [Buf, Buf];
      const dx = gradOf(x!),
        dg = gradOf(gamma!),
        db = gradOf(beta!);
      const gd = gamma!.data;
      for (let c = 0; c < C; c++) {
        let sdy = 0,
          sdyx = 0;
        for (let n = 0; n < N; n++) {
          for (let i = 0, p = (n * C + c) * inner; i < inner; i++) {
            sdy += g[p + i]!;
            sdyx += g[p + i]! * xhat[p + i]!;
          }
        }
        if (dg) dg[c] += sdyx;
        if (db) db[c] += sdy;
        if (!dx) continue;
        const k = gd[c]! * invstd[c]!;
        if (a.training) {
          const mdy = sdy / M,
            mdyx = sdyx / M;
          for (let n = 0; n < N; n++) {
            for (let i = 0, p = (n * C + c) * inner; i < inner; i++)
              dx[p + i] += k * (g[p + i]! - mdy - xhat[p + i]! * mdyx);
          }
        } else {
          for (let n = 0; n < N; n++)
            for (let i = 0, p = (n * C + c) * inner; i < inner; i++) dx[p + i] += k * g[p + i]!;
        }
      }
      void beta;
    },
  },

  // x: [N, C, H, W], w: [F, C, kh, kw] (torch layout) → [N, F, Ho, Wo]. The whole batch is unfolded
  // side by side (cols [C·kh·kw, N·Ho·Wo]) so the convolution is one gemm, large enough to be
  // efficient and threaded; its [F, N·L] result is then permuted to [N, F, L].
  conv2d: {
    shape([x, w], { stride, pad }) {
      if (x!.shape.length !== 4 || w!.shape.length !== 4 || x!.shape[1] !== w!.shape[1]) {
        throw new ValidationError(
          `conv2d: input ${shp(x!)} and weight ${shp(w!)} do not fit ([N, C, H, W] and [F, C, kh, kw])`,
        );
      }
      const Ho = convOut(x!.shape[2]!, w!.shape[2]!, stride, pad),
        Wo = convOut(x!.shape[3]!, w!.shape[3]!, stride, pad);
      if (Ho < 1 || Wo < 1)
        throw new ValidationError(`conv2d: kernel ${shp(w!)} is larger than the padded input ${shp(x!)}`);
      return [x!.shape[0]!, w!.shape[0]!, Ho, Wo];
    },
    forward(out, [x, w], { stride, pad }) {
      const [N, C, H, W] = x!.shape as [number, number, number, number];
      const [F, , kh, kw] = w!.shape as [number, number, number, number];
      const Ho = out.shape[2]!,
        Wo = out.shape[3]!,
        L = Ho * Wo,
        NL = N * L,
        CKK = C * kh * kw;
      const cols = tempBuf(x!.dtype, CKK * NL, false);
      out.saved = [cols];
      for (let n = 0; n < N; n++)
        im2col(x!.data, n * C * H * W, C, H, W, kh, kw, stride, pad, Ho, Wo, cols, n * L, NL);
      if (N === 1) {
        gemm(F, L, CKK, w!.data, cols, out.data);
        return;
      }
      const y = tempBuf(x!.dtype, F * NL, false);
      gemm(F, NL, CKK, w!.data, cols, y);
      channelMajorTo(y, out.data, N, F, L, false);
    },
    backward(out, [x, w], { stride, pad }, g) {
      const [N, C, H, W] = x!.shape as [number, number, number, number];
      const [F, , kh, kw] = w!.shape as [number, number, number, number];
      const Ho = out.shape[2]!,
        Wo = out.shape[3]!,
        L = Ho * Wo,
        NL = N * L,
        CKK = C * kh * kw;
      const cols = out.saved![0]!;
      let gp = g;
      if (N > 1) {
        gp = tempBuf(x!.dtype, F * NL, false);
        toChannelMajor(g, gp, N, F, L);
      }
      const dw = gradOut(w!);
      if (dw) gemm(F, CKK, NL, gp, cols, dw, { transB: true, beta: gradFresh ? 0 : 1 });
      const dx = gradOf(x!);
      if (dx) {
        const dcols = tempBuf(x!.dtype, CKK * NL, false);
        gemm(CKK, NL, F, w!.data, gp, dcols, { transA: true });
        for (let n = 0; n < N; n++)
          col2imAdd(dcols, n * L, C, H, W, kh, kw, stride, pad, Ho, Wo, dx, n * C * H * W, NL);
      }
    },
  },

  // x: [N, Cin, H, W], w: [Cin, Cout, kh, kw] (torch layout) → [N, Cout, Ho, Wo],
  // Ho = (H−1)·stride − 2·pad + kh + outputPadding: the adjoint of conv2d (col2im of Wᵀ·x), with the
  // batch side by side as in conv2d (x permuted to [Cin, N·H·W]: one gemm per pass).
  convTranspose2d: {
    shape([x, w], { stride, pad, outputPadding }) {
      if (x!.shape.length !== 4 || w!.shape.length !== 4 || x!.shape[1] !== w!.shape[0]) {
        throw new ValidationError(
          `convTranspose2d: input ${shp(x!)} and weight ${shp(w!)} do not fit ([N, Cin, H, W] and [Cin, Cout, kh, kw])`,
        );
      }
      if (outputPadding >= stride && outputPadding > 0)
        throw new ValidationError(
          `convTranspose2d: outputPadding=${outputPadding} must be < stride=${stride}`,
        );
      const Ho = (x!.shape[2]! - 1) * stride - 2 * pad + w!.shape[2]! + outputPadding;
      const Wo = (x!.shape[3]! - 1) * stride - 2 * pad + w!.shape[3]! + outputPadding;
      if (Ho < 1 || Wo < 1)
        throw new ValidationError(`convTranspose2d: padding ${pad} leaves no output for input ${shp(x!)}`);
      return [x!.shape[0]!, w!.shape[1]!, Ho, Wo];
    },
    forward(out, [x, w], { stride, pad }) {
      const [N, Ci, H, W] = x!.shape as [number, number, number, number];
      const [, Co, kh, kw] = w!.shape as [number, number, number, number];
      const Ho = out.shape[2]!,
        Wo = out.shape[3]!,
        HW = H * W,
        NHW = N * HW,
        CKK = Co * kh * kw;
      let xp = x!.data;
      if (N > 1) {
        xp = tempBuf(x!.dtype, Ci * NHW, false);
        toChannelMajor(x!.data, xp, N, Ci, HW);
      }
      out.saved = [xp];
      const cols = tempBuf(x!.dtype, CKK * NHW, false);
      gemm(CKK, NHW, Ci, w!.data, xp, cols, { transA: true });
      out.data.fill(0);
      for (let n = 0; n < N; n++)
        col2imAdd(cols, n * HW, Co, Ho, Wo, kh, kw, stride, pad, H, W, out.data, n * Co * Ho * Wo, NHW);
    },
    backward(out, [x, w], { stride, pad }, g) {
      const [N, Ci, H, W] = x!.shape as [number, number, number, number];
      const [, Co, kh, kw] = w!.shape as [number, number, number, number];
      const Ho = out.shape[2]!,
        Wo = out.shape[3]!,
        HW = H * W,
        NHW = N * HW,
        CKK = Co * kh * kw;
      const xp = out.saved![0]!;
      const dcols = tempBuf(x!.dtype, CKK * NHW, false);
      for (let n = 0; n < N; n++)
        im2col(g, n * Co * Ho * Wo, Co, Ho, Wo, kh, kw, stride, pad, H, W, dcols, n * HW, NHW);
      const dx = gradOf(x!);
      if (dx) {
        if (N === 1) gemm(Ci, HW, CKK, w!.data, dcols, dx, { beta: 1 });
        else {
          const dxp = tempBuf(x!.dtype, Ci * NHW, false);
          gemm(Ci, NHW, CKK, w!.data, dcols, dxp);
          channelMajorTo(dxp, dx, N, Ci, HW, true);
        }
      }
      const dw = gradOut(w!);
      if (dw) gemm(Ci, CKK, NHW, xp, dcols, dw, { transB: true, beta: gradFresh ? 0 : 1 });
    },
  },

  // mean over all elements of (p − t)², as torch.nn.MSELoss().
  mse: {
    shape([p, t]) {
      sameShape('mse', p!, t!);
      return SCALAR;
    },
    forward(out, [p, t]) {
      const a = p!.data,
        b = t!.data;
      let s = 0;
      for (let i = 0; i < a.length; i++) {
        const d = a[i]! - b[i]!;
        s += d * d;
      }
      out.data[0] = s / a.length;
    },
    backward(_o, [p, t], _a, g) {
      const a = p!.data,
        b = t!.data,
        k = (2 * g[0]!) / a.length;
      const dp = gradOf(p!),
        dt = gradOf(t!);
      for (let i = 0; i < a.length; i++) {
        const d = k * (a[i]! - b[i]!);
        if (dp) dp[i] += d;
        if (dt) dt[i] -= d;
      }
    },
  },

  // mean of −[t·log p + (1−t)·log(1−p)], logs clamped at −100 and the backward denominator at 1e-12,
  // exactly as torch.nn.BCELoss (so a saturated sigmoid gives a large finite loss, not Infinity).
  bce: {
    shape([p, t]) {
      sameShape('bce', p!, t!);
      return SCALAR;
    },
    forward(out, [p, t]) {
      const a = p!.data,
        b = t!.data;
      if (f32(a, b)) {
        out.data[0] = bceSumF32(a.length, a as Float32Array, b as Float32Array) / a.length;
        return;
      }
      let s = 0;
      // Targets exactly 0 or 1 (most MNIST pixels) contribute −log(1 − p) or −log p: their sum is
      // −log of a product, so they need one multiplication each and one log per flush instead of a
      // log per element (the product is flushed before it could leave the normal double range).
      let prod = 1;
      for (let i = 0; i < a.length; i++) {
        const pi = a[i]!,
          ti = b[i]!;
        if (ti === 0 || ti === 1) {
          const q = ti === 0 ? 1 - pi : pi;
          if (q > EXP_M100) {
            prod *= q;
            if (prod < 1e-250) {
              s -= Math.log(prod);
              prod = 1;
            }
          } else s += q >= 0 ? 100 : NaN; // torch clamps log at −100; log of a negative is NaN
        } else s -= ti * Math.max(Math.log(pi), -100) + (1 - ti) * Math.max(Math.log(1 - pi), -100);
      }
      s -= Math.log(prod);
      out.data[0] = s / a.length;
    },
    backward(_o, [p, t], _a, g) {
      const a = p!.data,
        b = t!.data,
        k = g[0]! / a.length;
      const z = p!.inputs[0];
      if (p!.prim === 'sigmoid' && p!.grad === null && z) {
        // p = σ(z): d/dz of this loss is k·(p − t). Writing it into z's gradient directly skips the
        // division here and the multiplication by p(1 − p) in sigmoid's backward (which then runs only
        // if p has other consumers). Differs from torch only where torch's clamp makes p(1−p) = 0.
        const dz = gradOut(z);
        if (dz && f32(a, b, dz))
          bceBackwardF32(
            0,
            a.length,
            k,
            a as Float32Array,
            b as Float32Array,
            dz as Float32Array,
            !gradFresh,
          );
        else if (dz) {
          if (gradFresh) for (let i = 0; i < a.length; i++) dz[i] = k * (a[i]! - b[i]!);
          else for (let i = 0; i < a.length; i++) dz[i] += k * (a[i]! - b[i]!);
        }
      }
      const dp = p!.prim === 'sigmoid' && p!.grad === null ? null : gradOut(p!);
      if (dp && f32(a, b, dp))
        bceBackwardF32(1, a.length, k, a as Float32Array, b as Float32Array, dp as Float32Array, !gradFresh);
      else if (dp) {
        if (gradFresh)
          for (let i = 0; i < a.length; i++)
            dp[i] = (k * (a[i]! - b[i]!)) / Math.max((1 - a[i]!) * a[i]!, 1e-12);
        else
          for (let i = 0; i < a.length; i++)
            dp[i] += (k * (a[i]! - b[i]!)) / Math.max((1 - a[i]!) * a[i]!, 1e-12);
      }
      const dt = gradOf(t!);
      if (dt)
        for (let i = 0; i < a.length; i++)
          dt[i] += k * (Math.max(Math.log(1 - a[i]!), -100) - Math.max(Math.log(a[i]!), -100));
    },
  },

  // mean of max(z,0) − z·t + log(1 + e^−|z|): BCE of sigmoid(z), stable for any z
  // (torch.nn.BCEWithLogitsLoss).
  bceLogits: {
    shape([z, t]) {
      sameShape('bceLogits', z!, t!);
      return SCALAR;
    },
    forward(out, [z, t]) {
      const a = z!.data,
        b = t!.data;
      let s = 0;
      for (let i = 0; i < a.length; i++) {
        const zi = a[i]!;
        s += (zi > 0 ? zi : 0) - zi * b[i]! + log1pExpNeg(Math.abs(zi));
      }
      out.data[0] = s / a.length;
    },
    backward(_o, [z, t], _a, g) {
      const a = z!.data,
        b = t!.data,
        k = g[0]! / a.length;
      const dz = gradOf(z!),
        dt = gradOf(t!);
      for (let i = 0; i < a.length; i++) {
        if (dz) dz[i] += k * (sigm(a[i]!) - b[i]!);
        if (dt) dt[i] -= k * a[i]!;
      }
    },
  },

  // logits z [N, K], targets t [N, K] (one-hot or probabilities): mean over rows of
  // −Σ_k t_k log softmax(z)_k, with the log-sum-exp shifted by the row max.
  softmaxCrossEntropy: {
    shape([z, t]) {
      rank2('softmaxCrossEntropy', z!);
      sameShape('softmaxCrossEntropy', z!, t!);
      return SCALAR;
    },
    forward(out, [z, t]) {
      const N = z!.shape[0]!,
        K = z!.shape[1]!,
        a = z!.data,
        b = t!.data;
      const lse = tempBuf(z!.dtype, N, false);
      out.saved = [lse];
      let s = 0;
      for (let r = 0; r < N; r++) {
        const o = r * K;
        let m = -Infinity;
        for (let k = 0; k < K; k++) if (a[o + k]! > m) m = a[o + k]!;
        let e = 0;
        for (let k = 0; k < K; k++) e += Math.exp(a[o + k]! - m);
        const l = m + Math.log(e);
        lse[r] = l;
        for (let k = 0; k < K; k++) s += b[o + k]! * (l - a[o + k]!);
      }
      out.data[0] = s / N;
    },
    backward(out, [z, t], _a, g) {
      const N = z!.shape[0]!,
        K = z!.shape[1]!,
        a = z!.data,
        b = t!.data,
        k0 = g[0]! / N;
      const lse = out.saved![0]!;
      const dz = gradOf(z!),
        dt = gradOf(t!);
      for (let r = 0; r < N; r++) {
        const o = r * K,
          l = lse[r]!;
        let st = 0;
        for (let k = 0; k < K; k++) st += b[o + k]!;
        for (let k = 0; k < K; k++) {
          if (dz) dz[o + k] += k0 * (Math.exp(a[o + k]! - l) * st - b[o + k]!);
          if (dt) dt[o + k] += k0 * (l - a[o + k]!);
        }
      }
    },
  },

  // KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1) with logvar = log σ²
  // (the notes' closed form), summed over latent dimensions, averaged over the N rows.
  gaussianKL: {
    shape([mu, lv]) {
      rank2('gaussianKL', mu!);
      sameShape('gaussianKL', mu!, lv!);
      return SCALAR;
    },
    forward(out, [mu, lv]) {
      const m = mu!.data,
        l = lv!.data,
        N = mu!.shape[0]!;
      let s = 0;
      for (let i = 0; i < m.length; i++) s += m[i]! * m[i]! + Math.exp(l[i]!) - l[i]! - 1;
      out.data[0] = (0.5 * s) / N;
    },
    backward(_o, [mu, lv], _a, g) {
      const m = mu!.data,
        l = lv!.data,
        k = g[0]! / mu!.shape[0]!;
      const dm = gradOf(mu!),
        dl = gradOf(lv!);
      for (let i = 0; i < m.length; i++) {
        if (dm) dm[i] += k * m[i]!;
        if (dl) dl[i] += 0.5 * k * (Math.exp(l[i]!) - 1);
      }
    },
  },

  // Sparsity penalty of the notes: Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j = mean over the batch of activation j
  // (activations in (0, 1), e.g. sigmoid; ρ̂ clamped to [1e-7, 1 − 1e-7] to keep the logs finite).
  bernoulliKL: {
    shape([h]) {
      rank2('bernoulliKL', h!);
      return SCALAR;
    },
    forward(out, [h], { rho }) {
      const N = h!.shape[0]!,
        D = h!.shape[1]!,
        d = h!.data;
      const rh = tempBuf(h!.dtype, D, true);
      out.saved = [rh];
      for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) rh[j] += d[i * D + j]!;
      let s = 0;
      for (let j = 0; j < D; j++) {
        const r = Math.min(Math.max(rh[j]! / N, 1e-7), 1 - 1e-7);
        rh[j] = r;
        s += rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
      }
      out.data[0] = s;
    },
    backward(out, [h], { rho }, g) {
      const dh = gradOf(h!);
      if (!dh) return;
      const N = h!.shape[0]!,
        D = h!.shape[1]!,
        rh = out.saved![0]!,
        k = g[0]! / N;
      for (let j = 0; j < D; j++) {
        const r = rh[j]!;
        const dj = k * (-rho / r + (1 - rho) / (1 - r));
        for (let i = 0; i < N; i++) dh[i * D + j] += dj;
      }
    },
  },

  // Contractive penalty for a sigmoid dense encoder h = σ(x·Wᵀ + b) (Rifai et al. 2011, eq. 4):
  // ‖J_f(x)‖_F² = Σ_j (h_j(1 − h_j))² Σ_i W_ji², averaged over the N rows. Inputs h [N, H], W [H, D].
  contractiveSigmoid: {
    shape([h, w]) {
      rank2('contractiveSigmoid', h!);
      rank2('contractiveSigmoid', w!);
      if (w!.shape[0] !== h!.shape[1])
        throw new ValidationError(
          `contractiveSigmoid: weight ${shp(w!)} does not fit codes ${shp(h!)} (weight must be [H, D])`,
        );
      return SCALAR;
    },
    forward(out, [h, w]) {
      const N = h!.shape[0]!,
        H = h!.shape[1]!,
        D = w!.shape[1]!,
        hd = h!.data,
        wd = w!.data;
      const wsq = tempBuf(h!.dtype, H, true);
      out.saved = [wsq];
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let i = 0; i < D; i++) s += wd[j * D + i]! * wd[j * D + i]!;
        wsq[j] = s;
      }
      let s = 0;
      for (let n = 0; n < N; n++) {
        for (let j = 0; j < H; j++) {
          const v = hd[n * H + j]!,
            q = v * (1 - v);
          s += q * q * wsq[j]!;
        }
      }
      out.data[0] = s / N;
    },
    backward(out, [h, w], _a, g) {
      const N = h!.shape[0]!,
        H = h!.shape[1]!,
        D = w!.shape[1]!,
        hd = h!.data,
        wd = w!.data;
      const wsq = out.saved![0]!,
        k = g[0]! / N;
      const dh = gradOf(h!),
        dw = gradOf(w!);
      for (let j = 0; j < H; j++) {
        let sq = 0;
        for (let n = 0; n < N; n++) {
          const v = hd[n * H + j]!,
            q = v * (1 - v);
          sq += q * q;
          if (dh) dh[n * H + j] += k * 2 * q * (1 - 2 * v) * wsq[j]!;
        }
        if (dw) {
          const c = 2 * k * sq;
          for (let i = 0; i < D; i++) dw[j * D + i] += c * wd[j * D + i]!;
        }
      }
    },
  },
};

/** Runs primitive `p` on `inputs`, recording it on the tape when gradients are enabled and wanted. */
export function apply<P extends Primitive>(p: P, inputs: readonly Tensor[], attrs: Attrs[P]): Tensor {
  const rule = PRIMITIVES[p] as GradRule<P> | undefined;
  // hasOwn, so that 'toString' and friends are not taken for primitives.
  if (!rule || !Object.prototype.hasOwnProperty.call(PRIMITIVES, p))
    throw new ValidationError(`apply: unknown primitive ${JSON.stringify(p)}`);
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new ValidationError(`apply: the inputs of ${p} must be a non-empty array of Tensors`);
  for (let k = 0; k < inputs.length; k++) {
    if (!(inputs[k] instanceof Tensor))
      throw new ValidationError(`apply: input ${k} of ${p} is not a Tensor`);
  }
  const shape = rule.shape(inputs, attrs);
  let n = 1;
  for (const s of shape) n *= s;
  const x0 = inputs[0]!;
  const data = rule.aliases ? x0.data : tempBuf(x0.dtype, n, false);
  const out = new Tensor(data, shape);
  if (engine.gradEnabled) {
    for (const t of inputs) {
      if (t.requiresGrad) {
        out.requiresGrad = true;
        out.prim = p;
        out.inputs = inputs;
        out.attrs = attrs;
        engine.tape.push(out);
        break;
      }
    }
  }
  rule.forward(out, inputs, attrs);
  return out;
}

/**
 * Reverse pass: d(loss)/d(t) into `t.grad` for every tensor on the tape that requires it
 * (accumulating into parameters' gradients, as torch). Clears the tape.
 */
export function backward(loss: Tensor, seed = 1): void {
  if (loss.size !== 1)
    throw new ValidationError(`backward() needs a scalar loss; got shape [${loss.shape.join(', ')}]`);
  if (!loss.requiresGrad)
    throw new ValidationError('backward(): the loss does not depend on any tensor that requires a gradient');
  const g0 = gradOf(loss)!;
  g0[0] += seed;
  const tape = engine.tape;
  for (let i = tape.length - 1; i >= 0; i--) {
    const t = tape[i]!;
    if (t.grad === null) continue;
    const rule = PRIMITIVES[t.prim!] as GradRule<Primitive>;
    rule.backward(t, t.inputs, t.attrs as never, t.grad);
  }
  tape.length = 0;
}
