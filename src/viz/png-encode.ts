/**
 * A small PNG encoder (W3C PNG spec, 2nd ed.): 8-bit grayscale, RGB or RGBA; each scanline gets the
 * filter (None, Sub, Up, Average, Paeth) with the smallest sum of absolute values, the heuristic of
 * libpng and pngjs. Written here rather than with pngjs so that the figure code also runs in the
 * browser: in Node the scanlines go through zlib's deflate (node:zlib, fetched at call time), in a
 * browser they are stored in uncompressed deflate blocks (valid PNG, just larger).
 */
import { crc32 } from '../io/crc32.js';

type Deflate = (data: Uint8Array) => Uint8Array;

let deflater: Deflate | null | undefined;

function nodeDeflate(): Deflate | null {
  if (deflater !== undefined) return deflater;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const zlib = proc?.getBuiltinModule?.('node:zlib') as
    { deflateSync(d: Uint8Array, o?: { level?: number }): Uint8Array } | undefined;
  deflater = zlib ? (d) => zlib.deflateSync(d, { level: 9 }) : null;
  return deflater;
}

/** zlib stream of stored (uncompressed) deflate blocks, for engines without a synchronous deflate. */
function storedZlib(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + data.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, data.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = len & 0xff;
    out[o++] = len >>> 8;
    out[o++] = ~len & 0xff;
    out[o++] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), o);
    o += len;
  }
  // Adler-32 of the uncompressed data.
  let a = 1;
  let s = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    s = (s + a) % 65521;
  }
  const adler = ((s << 16) | a) >>> 0;
  out[o++] = adler >>> 24;
  out[o++] = (adler >>> 16) & 0xff;
  out[o++] = (adler >>> 8) & 0xff;
  out[o++] = adler & 0xff;
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Filters every scanline, choosing per row the filter with the smallest sum of |signed bytes|. */
function filterScanlines(pixels: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * (stride + 1));
  const cand = new Uint8Array(stride * 5);
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : zero;
    let best = 0;
    let bestSum = Infinity;
    for (let f = 0; f < 5; f++) {
      const base = f * stride;
      let sum = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? row[i - bpp]! : 0;
        const b = up[i]!;
        const c = i >= bpp ? up[i - bpp]! : 0;
        const x = row[i]!;
        const v =
          f === 0
            ? x
            : f === 1
              ? x - a
              : f === 2
                ? x - b
                : f === 3
                  ? x - ((a + b) >>> 1)
                  : x - paeth(a, b, c);
        const byte = v & 0xff;
        cand[base + i] = byte;
        sum += byte < 128 ? byte : 256 - byte;
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = f;
      }
    }
    out[y * (stride + 1)] = best;
    out.set(cand.subarray(best * stride, (best + 1) * stride), y * (stride + 1) + 1);
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes 8-bit pixels (row-major; 1, 3 or 4 bytes per pixel) as PNG bytes. */
export function encodePngBytes(
  pixels: Uint8Array,
  width: number,
  height: number,
  bpp: 1 | 3 | 4,
): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = bpp === 1 ? 0 : bpp === 3 ? 2 : 6; // colour type: grey, RGB, RGBA
  // compression, filter method, interlace: all 0
  const raw = filterScanlines(pixels, width, height, bpp);
  const deflate = nodeDeflate();
  const idat = deflate ? deflate(raw) : storedZlib(raw);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat instanceof Uint8Array ? idat : new Uint8Array(idat)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** For tests: encode without zlib, as a browser would. */
export function encodePngBytesStored(
  pixels: Uint8Array,
  width: number,
  height: number,
  bpp: 1 | 3 | 4,
): Uint8Array {
  const saved = deflater;
  deflater = null;
  try {
    return encodePngBytes(pixels, width, height, bpp);
  } finally {
    deflater = saved;
  }
}
