/**
 * Reference (plain TypeScript) t-SNE gradient kernels for 2-D maps with the Cauchy kernel
 * w_ij = 1 / (1 + ‖y_i − y_j‖²): the fallback of the WebAssembly versions (assembly/tsne.ts) and the
 * yardstick of their tests. Same algorithm, same tree, same interaction lists. The WebAssembly code
 * sums in SIMD lanes (with FMA where available) and, for θ > 0, evaluates the far cells of a group in
 * float32 relative to the group's centre when the group is narrow next to its nearest far cell (the
 * near field, the points of opened leaves, stays float64), so results agree to ~1e-6 relative for
 * θ > 0 (the approximation itself is ~5e-3 at θ = 0.5) and to rounding for θ = 0.
 *
 * Repulsion: Barnes-Hut (van der Maaten 2014) over a compressed quadtree built from 16-bit Morton
 * codes, evaluated per group of nearby points (Barnes 1990, "A modified tree code: don't laugh; it
 * runs", J. Comput. Phys. 87): one traversal per group of at most `BH_GROUP` points collects an
 * interaction list of far cells (width² < θ²·dist², dist from the cell's centre of mass to the group's
 * bounding box, so every point of the group meets van der Maaten's per-point criterion) and the points
 * of the opened leaves; each point of the group then sums over the list. θ = 0 opens every leaf (the
 * exact sum). Attraction: a row loop over the sparse P.
 */
type F64 = Float64Array;

/** Leaves hold at most this many points (unless they share one 2^−16 cell). */
export const BH_LEAF = 8;
/** Groups are the highest tree nodes with at most this many points. */
export const BH_GROUP = 64;

function spread16(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** Highest differing bit pair of two codes (0..15). */
function level(a: number, b: number): number {
  return (31 - Math.clz32((a ^ b) >>> 0)) >> 1;
}

/** A compressed quadtree in Morton order (the layout of assembly/tsne.ts, as typed arrays). */
export class MortonQuadtree {
  n = 0;
  nNodes = 0;
  nGroups = 0;
  px = new Float64Array(0);
  py = new Float64Array(0);
  perm = new Int32Array(0);
  code = new Uint32Array(0);
  cx = new Float64Array(0);
  cy = new Float64Array(0);
  cnt = new Float64Array(0);
  w2 = new Float64Array(0);
  child = new Int32Array(0);
  nch = new Int32Array(0);
  ps = new Int32Array(0);
  pe = new Int32Array(0);
  groups = new Int32Array(0);
  /** Interaction-list buffers of bhRepulsion2d (far cells x, y, count; near points x, y). */
  lx = new Float64Array(0);
  ly = new Float64Array(0);
  lc = new Float64Array(0);
  nx = new Float64Array(0);
  ny = new Float64Array(0);

  build(Y: F64, n: number, leaf = BH_LEAF, group = BH_GROUP): void {
    const cap = 2 * n + 128;
    if (this.px.length !== n) {
      this.px = new Float64Array(n);
      this.py = new Float64Array(n);
      this.perm = new Int32Array(n);
      this.code = new Uint32Array(n);
    }
    if (this.cx.length < cap) {
      this.cx = new Float64Array(cap);
      this.cy = new Float64Array(cap);
      this.cnt = new Float64Array(cap);
      this.w2 = new Float64Array(cap);
      this.child = new Int32Array(cap);
      this.nch = new Int32Array(cap);
      this.ps = new Int32Array(cap);
      this.pe = new Int32Array(cap);
      this.groups = new Int32Array(cap);
    }
    this.n = n;
    const { px, py, perm, code, cx, cy, cnt, w2, child, nch, ps, pe, groups } = this;
    let lox = Infinity;
    let loy = Infinity;
    let hix = -Infinity;
    let hiy = -Infinity;
    for (let i = 0; i < n; i++) {
      const a = Y[2 * i]!;
      const b = Y[2 * i + 1]!;
      lox = Math.min(lox, a);
      hix = Math.max(hix, a);
      loy = Math.min(loy, b);
      hiy = Math.max(hiy, b);
    }
    let S = Math.max(hix - lox, hiy - loy);
    if (!(S > 0)) S = 1;
    S *= 1 + 1e-9;
    const scale = 65536 / S;
    const raw = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      // truncation toward zero as wasm's i32.trunc_sat (the values are ≥ 0 up to rounding)
      const qx = Math.min(Math.max(Math.trunc((Y[2 * i]! - lox) * scale), 0), 65535);
      const qy = Math.min(Math.max(Math.trunc((Y[2 * i + 1]! - loy) * scale), 0), 65535);
      raw[i] = (spread16(qx) | (spread16(qy) << 1)) >>> 0;
    }
    // stable sort by code (ties keep index order), as the wasm LSD radix sort
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => raw[a]! - raw[b]! || a - b);
    for (let q = 0; q < n; q++) {
      const i = idx[q]!;
      perm[q] = i;
      code[q] = raw[i]!;
      px[q] = Y[2 * i]!;
      py[q] = Y[2 * i + 1]!;
    }
    let nNodes = 1;
    let nGroups = 0;
    ps[0] = 0;
    pe[0] = n;
    w2[0] = S * S;
    if (n <= group) groups[nGroups++] = 0;
    const stack: number[] = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const s = ps[node]!;
      const e = pe[node]!;
      const c0 = code[s]!;
      const c1 = code[e - 1]!;
      const m = e - s;
      if (m <= leaf || c0 === c1) {
        child[node] = -1;
        nch[node] = 0;
        if (m > group) groups[nGroups++] = node;
        continue;
      }
      const k = level(c0, c1);
      const shift = 2 * k;
      const first = nNodes;
      let made = 0;
      let lo = s;
      for (let quad = 0; quad < 4; quad++) {
        let hi = e;
        if (quad < 3) {
          // first position with quadrant > quad
          let a = lo;
          let b = e;
          while (a < b) {
            const mid = (a + b) >>> 1;
            if (((code[mid]! >>> shift) & 3) < quad + 1) a = mid + 1;
            else b = mid;
          }
          hi = a;
        }
        if (hi > lo) {
          const c = first + made;
          ps[c] = lo;
          pe[c] = hi;
          const a0 = code[lo]!;
          const a1 = code[hi - 1]!;
          // a child's cell: the smallest aligned cell holding its points (compressed: may be deeper)
          const side = a0 !== a1 ? S / (1 << (15 - level(a0, a1))) : S / 65536;
          w2[c] = side * side;
          if (hi - lo <= group && m > group) groups[nGroups++] = c;
          made++;
        }
        lo = hi;
      }
      child[node] = first;
      nch[node] = made;
      nNodes += made;
      for (let t = made - 1; t >= 0; t--) stack.push(first + t);
    }
    for (let node = nNodes - 1; node >= 0; node--) {
      const ch = child[node]!;
      let sx = 0;
      let sy = 0;
      let m = 0;
      if (ch < 0) {
        for (let q = ps[node]!; q < pe[node]!; q++) {
          sx += px[q]!;
          sy += py[q]!;
        }
        m = pe[node]! - ps[node]!;
      } else {
        for (let t = 0; t < nch[node]!; t++) {
          const c = ch + t;
          const cc = cnt[c]!;
          sx += cc * cx[c]!;
          sy += cc * cy[c]!;
          m += cc;
        }
      }
      cnt[node] = m;
      cx[node] = sx / m;
      cy[node] = sy / m;
    }
    this.nNodes = nNodes;
    this.nGroups = nGroups;
  }
}

const trees = new WeakMap<object, MortonQuadtree>();
const defaultKey = {};

/**
 * Barnes-Hut repulsion of a 2-D map Y (n × 2, interleaved): rep[2i..2i+1] = Σ_j w_ij² (y_i − y_j),
 * sumW[i] = Σ_{j≠i} w_ij (approximated for far cells by their centre of mass and count).
 */
export function bhRepulsion2d(
  n: number,
  Y: F64,
  theta: number,
  rep: F64,
  sumW: F64,
  key: object = defaultKey,
): void {
  let tree = trees.get(key);
  if (!tree) {
    tree = new MortonQuadtree();
    trees.set(key, tree);
  }
  tree.build(Y, n);
  const { px, py, perm, cx, cy, cnt, w2, child, nch, ps, pe, groups } = tree;
  if (tree.lx.length < n + 2) {
    for (const k of ['lx', 'ly', 'lc', 'nx', 'ny'] as const) tree[k] = new Float64Array(n + 2);
  }
  // far cells (x, y, count) and near points (x, y): the two parts of a group's list
  const { lx, ly, lc, nx, ny } = tree;
  const stack = new Int32Array(2048);
  const t2 = theta * theta;
  for (let g = 0; g < tree.nGroups; g++) {
    const gn = groups[g]!;
    const s = ps[gn]!;
    const e = pe[gn]!;
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    for (let q = s; q < e; q++) {
      bx0 = Math.min(bx0, px[q]!);
      bx1 = Math.max(bx1, px[q]!);
      by0 = Math.min(by0, py[q]!);
      by1 = Math.max(by1, py[q]!);
    }
    let mf = 0;
    let mn = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      const ncx = cx[node]!;
      const ncy = cy[node]!;
      const dx = Math.max(bx0 - ncx, ncx - bx1, 0);
      const dy = Math.max(by0 - ncy, ncy - by1, 0);
      const dd = dx * dx + dy * dy;
      const ns = ps[node]!;
      const ne = pe[node]!;
      const holds = ns <= s && e <= ne;
      if (!holds && w2[node]! < t2 * dd) {
        lx[mf] = ncx;
        ly[mf] = ncy;
        lc[mf++] = cnt[node]!;
        continue;
      }
      const ch = child[node]!;
      if (ch < 0) {
        for (let q = ns; q < ne; q++) {
          nx[mn] = px[q]!;
          ny[mn++] = py[q]!;
        }
        continue;
      }
      for (let t = nch[node]! - 1; t >= 0; t--) stack[sp++] = ch + t;
    }
    for (let q = s; q < e; q++) {
      const yx = px[q]!;
      const yy = py[q]!;
      let aw = 0;
      let ax = 0;
      let ay = 0;
      for (let t = 0; t < mn; t++) {
        const d0 = yx - nx[t]!;
        const d1 = yy - ny[t]!;
        const w = 1 / (1 + d0 * d0 + d1 * d1);
        aw += w;
        ax += w * w * d0;
        ay += w * w * d1;
      }
      aw -= 1; // the point itself is in the near list: w_ii = 1, no force
      for (let t = 0; t < mf; t++) {
        const d0 = yx - lx[t]!;
        const d1 = yy - ly[t]!;
        const w = 1 / (1 + d0 * d0 + d1 * d1);
        const cw = lc[t]! * w;
        aw += cw;
        const cww = cw * w;
        ax += cww * d0;
        ay += cww * d1;
      }
      const i = perm[q]!;
      sumW[i] = aw;
      rep[2 * i] = ax;
      rep[2 * i + 1] = ay;
    }
  }
}

/**
 * Attraction over the rows of a CSR matrix P: attr[2i..2i+1] = Σ_j p_ij w_ij (y_i − y_j); with
 * `klRow`, klRow[i] = Σ_j p_ij log w_ij. `upper`: the CSR is the strict upper triangle of a symmetric
 * P; each pair's force is added to i and subtracted from j, and klRow[i] sums over j > i only.
 */
export function attraction2d(
  n: number,
  Y: F64,
  indptr: Int32Array,
  indices: Int32Array,
  data: F64,
  attr: F64,
  klRow: F64 | null,
  upper = false,
): void {
  if (upper) attr.fill(0, 0, 2 * n);
  for (let i = 0; i < n; i++) {
    const yx = Y[2 * i]!;
    const yy = Y[2 * i + 1]!;
    let gx = 0;
    let gy = 0;
    let kl = 0;
    const qe = indptr[i + 1]!;
    for (let q = indptr[i]!; q < qe; q++) {
      const j = indices[q]!;
      if (!(j >= 0 && j < n)) {
        throw new RangeError(`tsneAttraction2d: column index ${j} in row ${i} is outside [0, ${n})`);
      }
      const d0 = yx - Y[2 * j]!;
      const d1 = yy - Y[2 * j + 1]!;
      const u = 1 + (d0 * d0 + d1 * d1);
      const p = data[q]!;
      if (klRow) kl -= p * Math.log(u);
      const pw = p / u;
      gx += pw * d0;
      gy += pw * d1;
      if (upper) {
        attr[2 * j]! -= pw * d0;
        attr[2 * j + 1]! -= pw * d1;
      }
    }
    if (klRow) klRow[i] = kl;
    if (upper) {
      attr[2 * i]! += gx;
      attr[2 * i + 1]! += gy;
    } else {
      attr[2 * i] = gx;
      attr[2 * i + 1] = gy;
    }
  }
}
