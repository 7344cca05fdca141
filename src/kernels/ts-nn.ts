/**
 * Reference (plain TypeScript) versions of the neural-network elementwise kernels: the fallback when
 * an operand is not in wasm memory or the wasm backend is absent, and the yardstick of the tests.
 * The WebAssembly versions (assembly/kernels.ts: map_f32, leaky_relu_f32, ..., adam_f32) compute the
 * same formulas in float32 lanes; exp/log there are Cephes-style polynomials (≈1 ulp), here Math.exp/log.
 */
type F32 = Float32Array;

/** op 0: e^x, 1: log x, 2: σ(x) = 1/(1 + e^−x). */
export function mapF32(op: 0 | 1 | 2, n: number, x: F32, out: F32): void {
  if (op === 0) for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
  else if (op === 1) for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
  else for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
}

/** out = x > 0 ? x : alpha·x (relu for alpha = 0; NaN → 0 there, as `v > 0 ? v : 0`). */
export function leakyReluF32(n: number, alpha: number, x: F32, out: F32): void {
  if (alpha === 0)
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v > 0 ? v : 0;
    }
  else
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v > 0 ? v : alpha * v;
    }
}

/** dx (= or += when acc) ref > 0 ? g : alpha·g. */
export function leakyReluBackwardF32(
  n: number,
  alpha: number,
  ref: F32,
  g: F32,
  dx: F32,
  acc: boolean,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const d = ref[i]! > 0 ? gi : alpha === 0 ? 0 : alpha * gi;
    dx[i] = acc ? dx[i]! + d : d;
  }
}

/** dx (= or += when acc) g·s·(1 − s), s the sigmoid's output. */
export function sigmoidBackwardF32(n: number, s: F32, g: F32, dx: F32, acc: boolean): void {
  for (let i = 0; i < n; i++) {
    const si = s[i]!;
    const d = g[i]! * si * (1 - si);
    dx[i] = acc ? dx[i]! + d : d;
  }
}

/** db[c] += Σ_r g[r, c] for g m×n row-major. */
export function colSumsAddF32(m: number, n: number, g: F32, db: F32): void {
  for (let r = 0, p = 0; r < m; r++, p += n) for (let c = 0; c < n; c++) db[c] += g[p + c]!;
}

/** Σ −[t·max(log p, −100) + (1 − t)·max(log(1 − p), −100)]. */
export function bceSumF32(n: number, p: F32, t: F32): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!,
      ti = t[i]!;
    s -= ti * Math.max(Math.log(pi), -100) + (1 - ti) * Math.max(Math.log(1 - pi), -100);
  }
  return s;
}

/** mode 0: d = k·(p − t); mode 1: d = k·(p − t)/max((1 − p)·p, 1e-12). dx = d or += d. */
export function bceBackwardF32(
  mode: 0 | 1,
  n: number,
  k: number,
  p: F32,
  t: F32,
  dx: F32,
  acc: boolean,
): void {
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    let d = k * (pi - t[i]!);
    if (mode === 1) d /= Math.max((1 - pi) * pi, 1e-12);
    dx[i] = acc ? dx[i]! + d : d;
  }
}

/** torch.optim.Adam's update for one parameter (see assembly/kernels.ts adam_f32). */
export function adamF32(
  n: number,
  w: F32,
  g: F32,
  m: F32,
  v: F32,
  b1: number,
  b2: number,
  stepSize: number,
  invSbc2: number,
  eps: number,
  wd: number,
): void {
  const a1 = 1 - b1,
    a2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const gi = wd === 0 ? g[i]! : g[i]! + wd * w[i]!;
    const mi = b1 * m[i]! + a1 * gi;
    const vi = b2 * v[i]! + a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSbc2 + eps);
  }
}
