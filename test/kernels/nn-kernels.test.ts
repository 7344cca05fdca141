// The NN elementwise kernels (exp/log/sigmoid maps, relu, bias column sums, BCE, Adam): the WebAssembly
// SIMD versions against Math.exp/Math.log in float32 ulps, and against the TypeScript reference of
// the registry on the same operands.
import { describe, expect, it } from 'vitest';
import { loadKernels, rand } from './load.js';

const { k: K, w: W, r: R } = await loadKernels();
const { wasmHeap } = K;
const tsB = R.backendByName('ts')!;
const wasmB = R.backendByName('wasm')!;

interface MapExports {
  map_f32(op: number, n: number, x: number, out: number): void;
}
// both SIMD flavours (FMA and plain) of the module, on the library's memory
const heapMod = await import('../../src/kernels/heap.js');
const variants = (['kernels-relaxed-mt', 'kernels-simd-mt'] as const).map((v) => {
  const bytes = W.readVariantSync(v)!;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), {
    env: { memory: heapMod.memory },
  });
  return { v, ex: inst.exports as unknown as MapExports };
});

function heapF32(src: ArrayLike<number>): Float32Array {
  const a = wasmHeap.allocF32(src.length);
  a.set(src);
  return a;
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);
/** Distance in float32 units in the last place (monotone integer order of the bit patterns). */
function ulps(a: number, b: number): number {
  const ord = (x: number): number => {
    f32buf[0] = x;
    const u = u32buf[0]!;
    return u & 0x80000000 ? -(u & 0x7fffffff) : u;
  };
  return Math.abs(ord(a) - ord(b));
}

// a dense sweep of float32 inputs over the whole interesting range
function sweep(lo: number, hi: number, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1);
  return x;
}

describe('vectorised exp (Cephes-style), both SIMD variants', () => {
  const xs = sweep(-110, 95, 200_003);
  const specials = [
    0,
    -0,
    1,
    -1,
    88.72283172607421875,
    88.7228393554688,
    89,
    1000,
    -87.33654,
    -103.2789,
    -103.972,
    -104,
    -1000,
    Infinity,
    -Infinity,
    NaN,
    1e-8,
    -1e-8,
  ];
  const x = heapF32([...xs, ...specials]);
  const out = wasmHeap.allocF32(x.length);
  for (const { v, ex } of variants) {
    it(`${v}: ≤ 2 ulp of float32(Math.exp) for normal results, ≤ 1 subnormal step below, exact limits`, () => {
      ex.map_f32(0, x.length, x.byteOffset, out.byteOffset);
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const ref = Math.fround(Math.exp(x[i]!));
        const got = out[i]!;
        if (Number.isNaN(ref)) {
          expect(got).toBeNaN();
          continue;
        }
        if (ref === Infinity || ref === 0) {
          // at the very edge the float32 rounding of the true value decides; one step either way
          expect(ulps(got, ref), `exp(${x[i]}) = ${got}, want ${ref}`).toBeLessThanOrEqual(1);
          continue;
        }
        const e = ulps(got, ref);
        if (ref >= 1.1754943508222875e-38) worst = Math.max(worst, e);
        else expect(Math.abs(got - ref), `exp(${x[i]})`).toBeLessThanOrEqual(1.5e-45);
      }
      expect(worst).toBeLessThanOrEqual(2);
      expect(out[xs.length + specials.indexOf(1000)]).toBe(Infinity);
      expect(out[xs.length + specials.indexOf(Infinity)]).toBe(Infinity);
      expect(out[xs.length + specials.indexOf(-Infinity)]).toBe(0);
      expect(out[xs.length + specials.indexOf(-1000)]).toBe(0);
      expect(out[xs.length + specials.indexOf(0)]).toBe(1);
    });
  }
});

describe('vectorised log, both SIMD variants', () => {
  const pos: number[] = [];
  for (let e = -149; e <= 127; e += 0.01) pos.push(Math.pow(2, e));
  const specials = [0, -0, -1, 1, Infinity, NaN, 1.4e-45, 1.17549435e-38, 0.70710677, 0.70710683];
  const x = heapF32([...pos, ...specials]);
  const out = wasmHeap.allocF32(x.length);
  for (const { v, ex } of variants) {
    it(`${v}: ≤ 2 ulp of float32(Math.log) from the smallest subnormal to the largest float, special values`, () => {
      ex.map_f32(1, x.length, x.byteOffset, out.byteOffset);
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const ref = Math.fround(Math.log(x[i]!));
        if (Number.isNaN(ref)) {
          expect(out[i], `log(${x[i]})`).toBeNaN();
          continue;
        }
        if (!Number.isFinite(ref)) {
          expect(out[i], `log(${x[i]})`).toBe(ref);
          continue;
        }
        worst = Math.max(worst, ulps(out[i]!, ref));
      }
      expect(worst).toBeLessThanOrEqual(2);
    });
  }
});

describe('sigmoid map', () => {
  it('matches 1/(1+e^−x) to 3 ulp, exactly 0 and 1 at the far ends, never NaN for finite x', () => {
    const xs = [...sweep(-120, 120, 100_001), -Infinity, Infinity, -88.8, 88.8, 17, -17];
    const x = heapF32(xs);
    const out = wasmHeap.allocF32(x.length);
    K.vecSigmoidF32(x.length, x, out);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const ref = Math.fround(1 / (1 + Math.exp(-x[i]!)));
      // subnormal results carry fewer digits: there the exp's relative error shows as a few steps
      if (ref < 1.1754943508222875e-38) expect(Math.abs(out[i]! - ref)).toBeLessThanOrEqual(1e-44);
      else worst = Math.max(worst, ulps(out[i]!, ref));
    }
    expect(worst).toBeLessThanOrEqual(3);
    expect(out[x.length - 6]).toBe(0);
    expect(out[x.length - 5]).toBe(1);
    expect(out[x.length - 1]! > 0 && out[x.length - 1]! < 1e-7).toBe(true);
  });
});

describe('NN kernels: wasm against the TypeScript reference on the same operands', () => {
  const n = 4099; // not a multiple of 4: the scalar tails run too
  const a = rand(n, 3),
    b = rand(n, 4),
    c = rand(n, 5);
  const x = heapF32(a.map((v) => v * 6));
  const probs = heapF32(b.map((v) => 0.5 + 0.4999 * v));
  const targets = heapF32(c.map((v, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : 0.5 + 0.5 * v)));
  const g = heapF32(c);

  function both(
    fill: (dst: Float32Array) => void,
    run: (be: typeof tsB, dst: Float32Array) => void,
    tol: number,
  ) {
    const d1 = wasmHeap.allocF32(n),
      d2 = wasmHeap.allocF32(n);
    fill(d1);
    fill(d2);
    run(tsB, d1);
    run(wasmB, d2);
    for (let i = 0; i < n; i++)
      expect(Math.abs(d2[i]! - d1[i]!), `element ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(d1[i]!)));
  }
  const zero = (_d: Float32Array): void => {};
  const preset = (d: Float32Array): void => d.set(b);

  it('relu and leaky relu, forward and backward (= and +=)', () => {
    for (const alpha of [0, 0.2]) {
      // relu is exact; leaky relu's alpha·x rounds once in float32 in wasm, in float64 then float32 in TS
      const tol = alpha === 0 ? 0 : 1.2e-7;
      both(zero, (be, d) => be.leakyReluF32(n, alpha, x, d), tol);
      both(preset, (be, d) => be.leakyReluBackwardF32(n, alpha, x, g, d, false), tol);
      both(preset, (be, d) => be.leakyReluBackwardF32(n, alpha, x, g, d, true), tol);
    }
  });
  it('sigmoid backward and BCE backward (both modes, = and +=)', () => {
    for (const acc of [false, true]) {
      both(preset, (be, d) => be.sigmoidBackwardF32(n, probs, g, d, acc), 1e-6);
      both(preset, (be, d) => be.bceBackwardF32(0, n, 0.37, probs, targets, d, acc), 1e-6);
      both(preset, (be, d) => be.bceBackwardF32(1, n, 0.37, probs, targets, d, acc), 1e-6);
    }
  });
  it('bias column sums add into db', () => {
    for (const [m, cols] of [
      [7, 37],
      [256, 784],
      [3, 5],
    ] as const) {
      const G = heapF32(rand(m * cols, m + cols));
      const d1 = heapF32(rand(cols, 9)),
        d2 = heapF32(rand(cols, 9));
      tsB.colSumsAddF32(m, cols, G, d1);
      wasmB.colSumsAddF32(m, cols, G, d2);
      for (let i = 0; i < cols; i++)
        expect(Math.abs(d2[i]! - d1[i]!)).toBeLessThanOrEqual(1e-5 * Math.sqrt(m));
    }
  });
  it('BCE sum: relative 1e-6 of the float64 reference, the −100 clamp at p = 0 and 1', () => {
    const r = tsB.bceSumF32(n, probs, targets);
    const w = wasmB.bceSumF32(n, probs, targets);
    expect(Math.abs(w - r) / r).toBeLessThan(1e-6);
    const p = heapF32([0, 1, 0, 1, 1e-30, 0.5, 0.25]);
    const t = heapF32([1, 0, 0, 1, 1, 1, 0.5]);
    expect(wasmB.bceSumF32(7, p, t)).toBeCloseTo(tsB.bceSumF32(7, p, t), 4);
    expect(tsB.bceSumF32(2, p, t)).toBe(200);
    expect(wasmB.bceSumF32(2, p, t)).toBe(200);
  });
  it('BCE sum on image-like targets (mostly exactly 0 or 1: the running-product path) matches to 1e-6 relative', () => {
    const m = 200_000 + 3;
    const r1 = rand(m, 41),
      r2 = rand(m, 42);
    const p = heapF32(r1.map((v) => 0.5 + 0.49999 * v));
    // about 75% zeros, 10% ones, the rest fractional, in runs as in MNIST rows
    const t = heapF32(r2.map((v, i) => ((i >> 5) % 4 !== 0 ? 0 : v > 0.6 ? 1 : Math.abs(v))));
    const ref = tsB.bceSumF32(m, p, t);
    expect(Math.abs(wasmB.bceSumF32(m, p, t) - ref) / ref).toBeLessThan(1e-6);
    // saturated probabilities: p = 0 or 1 exactly, and tiny q, where the −100 clamp applies
    p[100] = 1; // t = 0: −log(1 − 1) clamps to 100
    p[5000] = 1e-40; // subnormal q, t = 0 (1 − p = 1)
    t[6000] = 1;
    p[6000] = 1e-44; // below e^−100 with t = 1: clamps to 100
    const ref2 = tsB.bceSumF32(m, p, t);
    expect(Math.abs(wasmB.bceSumF32(m, p, t) - ref2) / ref2).toBeLessThan(1e-6);
    // a probability outside [0, 1] or NaN makes the loss NaN, as in torch
    p[7000] = 1.5;
    expect(wasmB.bceSumF32(m, p, t)).toBeNaN();
    p[7000] = 0.5;
    t[7000] = 1;
    t[7001] = 1;
    t[7002] = 1;
    t[7003] = 1;
    p[7001] = 1.5; // with t = 1 torch still gives NaN: 0·log(1 − p) = 0·NaN
    expect(wasmB.bceSumF32(m, p, t)).toBeNaN();
    p[7001] = NaN;
    expect(wasmB.bceSumF32(m, p, t)).toBeNaN();
  });
  it('Adam step, with and without weight decay, matches the reference over 5 steps', () => {
    for (const wd of [0, 0.01]) {
      const w1 = heapF32(a),
        w2 = heapF32(a);
      const m1 = wasmHeap.allocF32(n),
        m2 = wasmHeap.allocF32(n);
      const v1 = wasmHeap.allocF32(n),
        v2 = wasmHeap.allocF32(n);
      for (let t = 1; t <= 5; t++) {
        const gt = heapF32(rand(n, 100 + t));
        const stepSize = 1e-3 / (1 - Math.pow(0.9, t));
        const inv = 1 / Math.sqrt(1 - Math.pow(0.999, t));
        tsB.adamF32(n, w1, gt, m1, v1, 0.9, 0.999, stepSize, inv, 1e-8, wd);
        wasmB.adamF32(n, w2, gt, m2, v2, 0.9, 0.999, stepSize, inv, 1e-8, wd);
      }
      for (let i = 0; i < n; i++) {
        expect(Math.abs(w2[i]! - w1[i]!)).toBeLessThanOrEqual(1e-6);
        expect(Math.abs(m2[i]! - m1[i]!)).toBeLessThanOrEqual(1e-6);
      }
    }
  });
  it('operands outside wasm memory take the TypeScript path, with the same results', () => {
    const xs = Float32Array.from(a);
    const o1 = new Float32Array(n);
    K.vecLeakyReluF32(n, 0, xs, o1);
    for (let i = 0; i < n; i++) expect(o1[i]).toBe(xs[i]! > 0 ? xs[i] : 0);
    expect(() => K.vecSigmoidF32(n + 1, xs, o1)).toThrow(
      'vecSigmoidF32: an operand has 4099 elements, needs 4100',
    );
  });
});

describe('wasmHeap zero-fill', () => {
  it('reused blocks come back zeroed; blocks from never-used (grown) memory are zero without a fill', () => {
    const a = wasmHeap.allocF32(1000);
    a.fill(7);
    const addr = a.byteOffset;
    wasmHeap.free(a);
    const b = wasmHeap.allocF32(1000); // first fit: the block just freed
    expect(b.byteOffset).toBe(addr);
    expect(b.every((v) => v === 0)).toBe(true);
    // a block larger than the current memory: carved from freshly grown pages
    const big = wasmHeap.allocF64((wasmHeap.capacity >> 3) + 1024);
    expect(big[0]).toBe(0);
    expect(big[big.length - 1]).toBe(0);
    expect(big.every((v) => v === 0)).toBe(true);
    big.fill(3);
    wasmHeap.free(big);
    const again = wasmHeap.allocF64(big.length);
    expect(again.every((v) => v === 0)).toBe(true);
    wasmHeap.free(again);
    wasmHeap.free(b);
  });
});
