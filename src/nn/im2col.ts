/**
 * im2col / col2im for 2-D convolutions (Chellapilla et al. 2006, "High performance convolutional
 * neural networks for document processing"): a convolution becomes one gemm over the unfolded
 * patches. Layout as Caffe/PyTorch: cols row (c·kh + i)·kw + j, column oh·Wo + ow.
 * col2im accumulates (+=): it is the adjoint of im2col, used for input gradients and for
 * transposed convolutions.
 */
import type { Buf } from './memory.js';

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
          const xr = xOff + (c * H + ih) * W;
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * stride - pad + j;
            cols[o + ow] = iw >= 0 && iw < W ? x[xr + iw]! : 0;
          }
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
          const xr = xOff + (c * H + ih) * W;
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * stride - pad + j;
            if (iw >= 0 && iw < W) x[xr + iw] += cols[o + ow]!;
          }
        }
      }
    }
  }
}
