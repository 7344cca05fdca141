/**
 * im2col / col2im for 2-D convolutions (Chellapilla et al. 2006, "High performance convolutional
 * neural networks for document processing"): a convolution becomes one gemm over the unfolded
 * patches. Layout as Caffe/PyTorch: cols row (c·kh + i)·kw + j, column oh·Wo + ow.
 * col2im accumulates (+=): it is the adjoint of im2col, used for input gradients and for
 * transposed convolutions.
 */
import type { Buf } from './memory.js';

// Output columns ow whose input column iw = ow·stride − pad + j lies in [0, W): [owLo, owHi).
// Computed once per kernel column, so the inner loops carry no bounds test.
const owLo = (j: number, stride: number, pad: number, Wo: number): number =>
  pad > j ? Math.min(Wo, Math.ceil((pad - j) / stride)) : 0;
const owHi = (j: number, stride: number, pad: number, W: number, Wo: number): number =>
  Math.max(0, Math.min(Wo, Math.floor((W - 1 + pad - j) / stride) + 1));

export function im2col(
  x: Buf,
  xOff: number,
  C: number,
  H: number,
  W: number,
  kh: number,
  kw: number,
  stride: number,
  pad: number,
  Ho: number,
  Wo: number,
  cols: Buf,
  colsOff: number,
  ld: number = Ho * Wo,
): void {
  const L = ld;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = colsOff + ((c * kh + i) * kw + j) * L;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * stride - pad + i;
          const o = row + oh * Wo;
          if (ih < 0 || ih >= H) {
            for (let ow = 0; ow < Wo; ow++) cols[o + ow] = 0;
            continue;
          }
          const xr = xOff + (c * H + ih) * W + j - pad;
          const lo = owLo(j, stride, pad, Wo),
            hi = owHi(j, stride, pad, W, Wo);
          for (let ow = 0; ow < lo; ow++) cols[o + ow] = 0;
          for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[xr + ow * stride]!;
          for (let ow = hi; ow < Wo; ow++) cols[o + ow] = 0;
        }
      }
    }
  }
}

export function col2imAdd(
  cols: Buf,
  colsOff: number,
  C: number,
  H: number,
  W: number,
  kh: number,
  kw: number,
  stride: number,
  pad: number,
  Ho: number,
  Wo: number,
  x: Buf,
  xOff: number,
  ld: number = Ho * Wo,
): void {
  const L = ld;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = colsOff + ((c * kh + i) * kw + j) * L;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * stride - pad + i;
          if (ih < 0 || ih >= H) continue;
          const o = row + oh * Wo;
          const xr = xOff + (c * H + ih) * W + j - pad;
          const hi = owHi(j, stride, pad, W, Wo);
          for (let ow = owLo(j, stride, pad, Wo); ow < hi; ow++) x[xr + ow * stride] += cols[o + ow]!;
        }
      }
    }
  }
}
