import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';
import { encodePng, imageGridPng, labelledImageGridSvg } from '../../src/viz/index.js';
import { parseXml } from './xml.js';
import { Rng } from '../../src/core/rng.js';

function decode(bytes: Uint8Array): {
  width: number;
  height: number;
  gray: (x: number, y: number) => number;
  rgb: (x: number, y: number) => number[];
} {
  const png = PNG.sync.read(Buffer.from(bytes));
  return {
    width: png.width,
    height: png.height,
    gray: (x, y) => png.data[(y * png.width + x) * 4]!,
    rgb: (x, y) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)),
  };
}

describe('imageGridPng', () => {
  // Two 2×2 images: A = [0, 0.5; 1, 0.25], B = [1, 1; 0, 0].
  const images = Matrix.fromRows([
    [0, 0.5, 1, 0.25],
    [1, 1, 0, 0],
  ]);

  it('lays out images with padding and decodes back to the exact pixels', () => {
    const png = imageGridPng(images, {
      width: 2,
      height: 2,
      cols: 2,
      padding: 1,
      normalize: 'none',
      background: 1,
    });
    expect(
      Array.from(png.subarray(1, 4))
        .map((c) => String.fromCharCode(c))
        .join(''),
    ).toBe('PNG');
    const d = decode(png);
    // 2 images side by side: 1 + 2 + 1 + 2 + 1 = 7 wide, 1 + 2 + 1 = 4 high.
    expect([d.width, d.height]).toEqual([7, 4]);
    const rows: number[][] = [];
    for (let y = 0; y < 4; y++) rows.push(Array.from({ length: 7 }, (_, x) => d.gray(x, y)));
    expect(rows).toEqual([
      [255, 255, 255, 255, 255, 255, 255],
      [255, 0, 128, 255, 255, 255, 255],
      [255, 255, 64, 255, 0, 0, 255],
      [255, 255, 255, 255, 255, 255, 255],
    ]);
  });

  it('scales by pixel replication and wraps to new grid rows', () => {
    const d = decode(
      imageGridPng(images, { width: 2, height: 2, cols: 1, scale: 3, padding: 0, normalize: 'none' }),
    );
    expect([d.width, d.height]).toEqual([6, 12]);
    // Image A's pixel (0, 1) = 0.5 covers x 3..5, y 0..2.
    for (let y = 0; y < 3; y++) for (let x = 3; x < 6; x++) expect(d.gray(x, y)).toBe(128);
    // Image B starts at y = 6: first row is white.
    expect(d.gray(0, 6)).toBe(255);
    expect(d.gray(0, 9)).toBe(0);
  });

  it("normalises 'global' over all images and 'each' per image", () => {
    const X = Matrix.fromRows([
      [0, 2, 2, 2],
      [1, 1, 1, 1.5],
    ]);
    const g = decode(imageGridPng(X, { width: 2, height: 2, cols: 2, padding: 0, normalize: 'global' }));
    expect([g.gray(0, 0), g.gray(1, 0), g.gray(2, 0), g.gray(3, 1)]).toEqual([0, 255, 128, 191]);
    const e = decode(imageGridPng(X, { width: 2, height: 2, cols: 2, padding: 0, normalize: 'each' }));
    expect([e.gray(0, 0), e.gray(1, 0), e.gray(2, 0), e.gray(3, 1)]).toEqual([0, 255, 0, 255]);
    // 'none' clamps to [0, 1].
    const n = decode(imageGridPng(X, { width: 2, height: 2, cols: 2, padding: 0, normalize: 'none' }));
    expect([n.gray(1, 0), n.gray(2, 0)]).toEqual([255, 255]);
  });

  it('draws signed images with the diverging colormap, white at 0', () => {
    const X = Matrix.fromRows([[-1, 0, 1, 0.5]]);
    const d = decode(
      imageGridPng(X, { width: 2, height: 2, padding: 0, colormap: 'diverging', symmetric: true }),
    );
    expect(d.rgb(1, 0)).toEqual([247, 247, 247]);
    expect(d.rgb(0, 0)).toEqual([33, 102, 172]);
    expect(d.rgb(0, 1)).toEqual([178, 24, 43]);
  });

  it('accepts nested arrays and float32 matrices', () => {
    const a = imageGridPng([[0, 1, 1, 0]], { width: 2, height: 2, padding: 0, normalize: 'none' });
    const b = imageGridPng(new Matrix(new Float32Array([0, 1, 1, 0]), 1, 4), {
      width: 2,
      height: 2,
      padding: 0,
      normalize: 'none',
    });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('draws the rows of a row-slice view, not the rows at the start of its buffer', () => {
    const view = images.rowSlice(1, 2); // image B, at offset 4 of the shared buffer
    const g = decode(imageGridPng(view, { width: 2, height: 2, padding: 0, normalize: 'none' }));
    expect([g.gray(0, 0), g.gray(1, 0), g.gray(0, 1), g.gray(1, 1)]).toEqual([255, 255, 0, 0]);
  });

  it('names the mismatch between row length and width*height', () => {
    expect(() => imageGridPng(images, { width: 3, height: 2 })).toThrow(
      'imageGridPng: images have 4 values per row, but width*height = 3*2 = 6',
    );
    expect(() => imageGridPng(images, { width: 2, height: 2, scale: 1.5 })).toThrow(
      'scale must be an integer in 1..64; got 1.5',
    );
  });
});

describe('encodePng', () => {
  it('round-trips random and smooth images (gray, RGB, RGBA)', () => {
    const rng = new Rng(9);
    const w = 37;
    const h = 23;
    for (const bpp of [1, 3, 4] as const) {
      const px = new Uint8Array(w * h * bpp);
      for (let i = 0; i < px.length; i++) px[i] = i % 3 === 0 ? rng.int(256) : (i * 7) % 256; // noise + ramps
      const kind = bpp === 1 ? 'gray' : bpp === 3 ? 'rgb' : 'rgba';
      for (const bytes of [encodePng(px, w, h, kind)]) {
        const png = PNG.sync.read(Buffer.from(bytes));
        expect([png.width, png.height]).toEqual([w, h]);
        const back = new Uint8Array(w * h * bpp);
        for (let p = 0; p < w * h; p++)
          for (let c = 0; c < bpp; c++) back[p * bpp + c] = png.data[p * 4 + c]!;
        expect(Buffer.from(back).equals(Buffer.from(px))).toBe(true);
      }
    }
  });

  it('encodes images larger than one deflate block', () => {
    const px = new Uint8Array(300 * 300).map((_, i) => (i * 31) % 251);
    const png = PNG.sync.read(Buffer.from(encodePng(px, 300, 300, 'gray')));
    expect(png.data[(299 * 300 + 299) * 4]).toBe(px[299 * 300 + 299]);
  });

  it('round-trips RGBA pixels', () => {
    const px = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128]);
    const png = PNG.sync.read(Buffer.from(encodePng(px, 2, 1, 'rgba')));
    expect(Array.from(png.data)).toEqual(Array.from(px));
  });

  it('checks the buffer length', () => {
    expect(() => encodePng(new Uint8Array(5), 2, 1, 'rgb')).toThrow(
      'encodePng: rgb pixels need 6 bytes; got 5',
    );
  });
});

describe('labelledImageGridSvg', () => {
  it('embeds the same PNG as imageGridPng and escapes its labels', () => {
    const X = Matrix.fromRows([
      [0, 1, 1, 0],
      [1, 0, 0, 1],
    ]);
    const opts = { width: 2, height: 2, cols: 1, scale: 4 };
    const svg = labelledImageGridSvg(X, {
      ...opts,
      rowLabels: ['orig <x>', 'recon & co'],
      colLabels: ['a'],
      title: 'T',
    });
    const { elements } = parseXml(svg);
    expect(elements.filter((e) => e === 'text')).toHaveLength(4);
    const b64 = /href="data:image\/png;base64,([^"]+)"/.exec(svg)![1]!;
    expect(Buffer.from(b64, 'base64').equals(Buffer.from(imageGridPng(X, opts)))).toBe(true);
    expect(svg).toContain('orig &lt;x&gt;');
    expect(svg).toContain('recon &amp; co');
  });
});
