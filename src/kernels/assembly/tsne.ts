// @ts-nocheck -- AssemblyScript, not TypeScript: compiled by asc as part of kernels.ts.
// t-SNE gradient kernels for 2-D maps with the Cauchy kernel w = 1/(1 + d²) (van der Maaten &
// Hinton 2008; van der Maaten 2014). The TypeScript reference is src/kernels/ts-tsne.ts: same
// algorithm, same tree, same interaction lists; the sums run in SIMD lanes here, and for θ > 0 the
// Barnes-Hut lists are evaluated in float32 (four lanes) relative to the group's centre where that
// loses little (see tsne_bh_repulse), else in float64 (two lanes).
//
// Repulsion by Barnes-Hut over a compressed quadtree built from Morton codes, evaluated per group
// of nearby points (Barnes 1990, "A modified tree code: don't laugh; it runs", J. Comput. Phys. 87):
// one traversal per group of ≤ GROUP points in a small cell collects an interaction list — cells
// that are far from the group's bounding box (width² < θ²·dist², dist measured from the cell's centre
// of mass to the nearest point of the box, so every point of the group meets the per-point criterion
// of van der Maaten 2014) and the points of the opened leaves — and each point of the group then runs
// through the list in SIMD lanes. θ = 0 opens every leaf: the exact sum.
//
// Threads: groups (and attraction rows) are taken in chunks from a shared atomic counter, so two
// threads balance themselves; every point's result depends only on the tree, never on which thread
// computed it: results are bit-identical however the work is split.
//
// Workspace layout (bytes from `ws`, built by tsne_bh_build; sizes from tsne_bh_bytes):
//   header (64 B): n, nNodes, nGroups, cap, then f64 S (root cell side) at +16
//   px, py: f64[n]            points in Morton order
//   perm:   i32[n]            Morton position → original index
//   code, code2, perm2: u32[n] (radix sort)
//   cx, cy, cnt, w2: f64[cap] node centre of mass, point count, squared cell width
//   child, nch, ps, pe: i32[cap] first child (−1: leaf), number of children, point range [ps, pe)
//   groups: i32[cap]           group nodes in depth-first order

const HDR: usize = 64;

@inline function al8(x: usize): usize {
  return (x + 7) & ~(<usize>7);
}

function layoutPx(ws: usize): usize {
  return ws + HDR;
}
function layoutPy(ws: usize, n: i32): usize {
  return layoutPx(ws) + ((<usize>n) << 3);
}
function layoutPerm(ws: usize, n: i32): usize {
  return layoutPy(ws, n) + ((<usize>n) << 3);
}
function layoutCode(ws: usize, n: i32): usize {
  return layoutPerm(ws, n) + ((<usize>n) << 2);
}
function layoutCode2(ws: usize, n: i32): usize {
  return layoutCode(ws, n) + ((<usize>n) << 2);
}
function layoutPerm2(ws: usize, n: i32): usize {
  return layoutCode2(ws, n) + ((<usize>n) << 2);
}
function layoutNodes(ws: usize, n: i32): usize {
  return al8(layoutPerm2(ws, n) + ((<usize>n) << 2));
}

/**
 * Bytes of workspace tsne_bh_build needs for n points and `cap` nodes (cap ≥ max(2n + 1, 19): a
 * compressed quadtree has at most 2n − 1 nodes, and the radix sort's 1 KiB histogram borrows the
 * node area). The JS side passes cap = 2n + 128 and keeps n ≤ 8,000,000 so the i32 size cannot wrap.
 */
export function tsne_bh_bytes(n: i32, cap: i32): i32 {
  return <i32>(layoutNodes(0, n) + (<usize>cap) * (4 * 8 + 5 * 4) + 64);
}

@inline function spread16(v: u32): u32 {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** First position q in [lo, hi) with ((code[q] >> shift) & 3) >= quad (codes sorted, common prefix above). */
function lowerBound(code: usize, lo: i32, hi: i32, shift: u32, quad: u32): i32 {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (((load<u32>(code + ((<usize>mid) << 2)) >> shift) & 3) < quad) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds the quadtree of the n points y (interleaved x, y; f64) in the workspace. Leaves hold at most
 * `leaf` points (or points sharing one 2^-16 cell); groups are the highest nodes with at most `group`
 * points. Returns the number of nodes, or −1 when `cap` is too small.
 */
export function tsne_bh_build(ws: usize, n: i32, cap: i32, y: usize, leaf: i32, group: i32): i32 {
  const px = layoutPx(ws);
  const py = layoutPy(ws, n);
  const perm = layoutPerm(ws, n);
  const code = layoutCode(ws, n);
  const code2 = layoutCode2(ws, n);
  const perm2 = layoutPerm2(ws, n);
  const nodes = layoutNodes(ws, n);
  const cx = nodes;
  const cy = cx + ((<usize>cap) << 3);
  const cnt = cy + ((<usize>cap) << 3);
  const w2 = cnt + ((<usize>cap) << 3);
  const child = w2 + ((<usize>cap) << 3);
  const nch = child + ((<usize>cap) << 2);
  const ps = nch + ((<usize>cap) << 2);
  const pe = ps + ((<usize>cap) << 2);
  const groups = pe + ((<usize>cap) << 2);

  // bounding square
  let lox = Infinity;
  let loy = Infinity;
  let hix = -Infinity;
  let hiy = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = load<f64>(y + ((<usize>i) << 4));
    const b = load<f64>(y + ((<usize>i) << 4), 8);
    lox = min(lox, a);
    hix = max(hix, a);
    loy = min(loy, b);
    hiy = max(hiy, b);
  }
  let S = max(hix - lox, hiy - loy);
  if (!(S > 0)) S = 1;
  S *= 1 + 1e-9;
  const scale = 65536 / S;
  for (let i = 0; i < n; i++) {
    let qx = <i32>((load<f64>(y + ((<usize>i) << 4)) - lox) * scale);
    let qy = <i32>((load<f64>(y + ((<usize>i) << 4), 8) - loy) * scale);
    qx = min(max(qx, 0), 65535);
    qy = min(max(qy, 0), 65535);
    store<u32>(code + ((<usize>i) << 2), spread16(<u32>qx) | (spread16(<u32>qy) << 1));
    store<i32>(perm + ((<usize>i) << 2), i);
  }
  // LSD radix sort of (code, index), 4 passes of 8 bits: stable, so ties keep index order
  let src = code;
  let dst = code2;
  let sp = perm;
  let dp = perm2;
  for (let pass: u32 = 0; pass < 4; pass++) {
    const shift = pass * 8;
    // histogram lives in the node area (free until the tree is built)
    const h = cx;
    memory.fill(h, 0, 256 * 4);
    for (let i = 0; i < n; i++) {
      const b = (load<u32>(src + ((<usize>i) << 2)) >> shift) & 255;
      const a = h + ((<usize>b) << 2);
      store<i32>(a, load<i32>(a) + 1);
    }
    let acc = 0;
    for (let b = 0; b < 256; b++) {
      const a = h + ((<usize>b) << 2);
      const c = load<i32>(a);
      store<i32>(a, acc);
      acc += c;
    }
    for (let i = 0; i < n; i++) {
      const c = load<u32>(src + ((<usize>i) << 2));
      const a = h + ((<usize>((c >> shift) & 255)) << 2);
      const at = load<i32>(a);
      store<i32>(a, at + 1);
      store<u32>(dst + ((<usize>at) << 2), c);
      store<i32>(dp + ((<usize>at) << 2), load<i32>(sp + ((<usize>i) << 2)));
    }
    const t = src;
    src = dst;
    dst = t;
    const u = sp;
    sp = dp;
    dp = u;
  }
  // after 4 passes the sorted data is back in code/perm
  for (let q = 0; q < n; q++) {
    const i = load<i32>(perm + ((<usize>q) << 2));
    store<f64>(px + ((<usize>q) << 3), load<f64>(y + ((<usize>i) << 4)));
    store<f64>(py + ((<usize>q) << 3), load<f64>(y + ((<usize>i) << 4), 8));
  }

  // top-down construction, depth first; a node's children are allocated contiguously. The stack of
  // nodes to split reuses code2 (free now).
  const stack = code2;
  let nNodes = 1;
  let nGroups = 0;
  store<i32>(ps, 0);
  store<i32>(pe, n);
  store<f64>(w2, S * S);
  let top = 0;
  store<i32>(stack, 0);
  top = 1;
  if (n <= group) {
    store<i32>(groups, 0);
    nGroups = 1;
  }
  while (top > 0) {
    top--;
    const node = load<i32>(stack + ((<usize>top) << 2));
    const s = load<i32>(ps + ((<usize>node) << 2));
    const e = load<i32>(pe + ((<usize>node) << 2));
    const c0 = load<u32>(code + ((<usize>s) << 2));
    const c1 = load<u32>(code + ((<usize>(e - 1)) << 2));
    const m = e - s;
    if (m <= leaf || c0 == c1) {
      store<i32>(child + ((<usize>node) << 2), -1);
      store<i32>(nch + ((<usize>node) << 2), 0);
      // a leaf too big for a group (points sharing one 2^-16 cell) is a group of its own
      if (m > group) {
        store<i32>(groups + ((<usize>nGroups) << 2), node);
        nGroups++;
      }
      continue;
    }
    // the highest differing bit pair decides the level of the split
    const k: u32 = (31 - clz<u32>(c0 ^ c1)) >> 1;
    const shift = 2 * k;
    if (nNodes + 4 > cap) return -1;
    const first = nNodes;
    let made = 0;
    let lo = s;
    for (let quad: u32 = 0; quad < 4; quad++) {
      const hi = quad == 3 ? e : lowerBound(code, lo, e, shift, quad + 1);
      if (hi > lo) {
        const c = first + made;
        store<i32>(ps + ((<usize>c) << 2), lo);
        store<i32>(pe + ((<usize>c) << 2), hi);
        // a child's cell: the smallest aligned cell holding its points (compressed: may be deeper)
        const a0 = load<u32>(code + ((<usize>lo) << 2));
        const a1 = load<u32>(code + ((<usize>(hi - 1)) << 2));
        let side = S / 65536;
        if (a0 != a1) {
          const kk: u32 = (31 - clz<u32>(a0 ^ a1)) >> 1;
          side = S / <f64>(1 << (<i32>(15 - kk)));
        }
        store<f64>(w2 + ((<usize>c) << 3), side * side);
        if (hi - lo <= group && m > group) {
          store<i32>(groups + ((<usize>nGroups) << 2), c);
          nGroups++;
        }
        made++;
      }
      lo = hi;
    }
    store<i32>(child + ((<usize>node) << 2), first);
    store<i32>(nch + ((<usize>node) << 2), made);
    nNodes += made;
    // push in reverse so the first child is split first (depth-first order of the groups)
    for (let t = made - 1; t >= 0; t--) {
      store<i32>(stack + ((<usize>top) << 2), first + t);
      top++;
    }
  }
  // centres of mass, bottom-up (children always come after their parent)
  for (let node = nNodes - 1; node >= 0; node--) {
    const ch = load<i32>(child + ((<usize>node) << 2));
    let sx: f64 = 0;
    let sy: f64 = 0;
    let m: f64 = 0;
    if (ch < 0) {
      const s = load<i32>(ps + ((<usize>node) << 2));
      const e = load<i32>(pe + ((<usize>node) << 2));
      for (let q = s; q < e; q++) {
        sx += load<f64>(px + ((<usize>q) << 3));
        sy += load<f64>(py + ((<usize>q) << 3));
      }
      m = <f64>(e - s);
    } else {
      const nc = load<i32>(nch + ((<usize>node) << 2));
      for (let t = 0; t < nc; t++) {
        const c = ch + t;
        const cc = load<f64>(cnt + ((<usize>c) << 3));
        sx += cc * load<f64>(cx + ((<usize>c) << 3));
        sy += cc * load<f64>(cy + ((<usize>c) << 3));
        m += cc;
      }
    }
    store<f64>(cnt + ((<usize>node) << 3), m);
    store<f64>(cx + ((<usize>node) << 3), sx / m);
    store<f64>(cy + ((<usize>node) << 3), sy / m);
  }
  store<i32>(ws, n);
  store<i32>(ws, nNodes, 4);
  store<i32>(ws, nGroups, 8);
  store<i32>(ws, cap, 12);
  store<f64>(ws, S, 16);
  return nNodes;
}

/** Bytes of one thread's list scratch for tsne_bh_repulse. */
export function tsne_bh_list_bytes(n: i32): i32 {
  return 40 * (n + 2) + 8192 + 12 * (n + 4) + 64;
}

/** Number of groups of the last build. */
export function tsne_bh_groups(ws: usize): i32 {
  return load<i32>(ws, 8);
}

@inline function takeChunk(counter: usize, chunk: i32): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, chunk);
  const v = load<i32>(counter);
  store<i32>(counter, v + chunk);
  return v;
}

function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Sum of the four float32 lanes, in float64. */
@inline function hsum32(v: v128): f64 {
  return (
    <f64>f32x4.extract_lane(v, 0) +
    <f64>f32x4.extract_lane(v, 1) +
    (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3))
  );
}

function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/**
 * Barnes-Hut repulsion of the groups taken from `counter` (chunks of 8): for every point i,
 * rep[2i..2i+1] = Σ_j w_ij² (y_i − y_j) and sumw[i] = Σ_{j≠i} w_ij, written at the original index.
 * `list` is this thread's scratch (tsne_bh_list_bytes). Each group's list has two parts, the near
 * field (points of the opened leaves, the point itself among them) and the far field (accepted
 * cells); each is evaluated in float32 lanes relative to the group's centre when that is safe for
 * it (see below), else in float64.
 */
export function tsne_bh_repulse(ws: usize, theta: f64, counter: usize, list: usize, rep: usize, sumw: usize): void {
  const n = load<i32>(ws);
  const nGroups = load<i32>(ws, 8);
  const cap = load<i32>(ws, 12);
  const px = layoutPx(ws);
  const py = layoutPy(ws, n);
  const perm = layoutPerm(ws, n);
  const nodes = layoutNodes(ws, n);
  const cx = nodes;
  const cy = cx + ((<usize>cap) << 3);
  const cnt = cy + ((<usize>cap) << 3);
  const w2 = cnt + ((<usize>cap) << 3);
  const child = w2 + ((<usize>cap) << 3);
  const nch = child + ((<usize>cap) << 2);
  const ps = nch + ((<usize>cap) << 2);
  const pe = ps + ((<usize>cap) << 2);
  const groups = pe + ((<usize>cap) << 2);
  const lcap = <usize>(n + 2);
  // far cells (float64 x, y, count), near points (float64 x, y), stack, far cells in float32
  const lx = list;
  const ly = lx + (lcap << 3);
  const lc = ly + (lcap << 3);
  const nx = lc + (lcap << 3);
  const ny = nx + (lcap << 3);
  const stack = ny + (lcap << 3);
  const fcap = <usize>(n + 4);
  const fx = stack + 8192;
  const fy = fx + (fcap << 2);
  const fc = fy + (fcap << 2);
  const t2 = theta * theta;
  const one = f64x2.splat(1.0);
  const one4 = f32x4.splat(1.0);
  for (;;) {
    const g0 = takeChunk(counter, 8);
    if (g0 >= nGroups) break;
    const g1 = min(g0 + 8, nGroups);
    for (let g = g0; g < g1; g++) {
      const gn = load<i32>(groups + ((<usize>g) << 2));
      const s = load<i32>(ps + ((<usize>gn) << 2));
      const e = load<i32>(pe + ((<usize>gn) << 2));
      let bx0 = Infinity;
      let by0 = Infinity;
      let bx1 = -Infinity;
      let by1 = -Infinity;
      for (let q = s; q < e; q++) {
        const a = load<f64>(px + ((<usize>q) << 3));
        const b = load<f64>(py + ((<usize>q) << 3));
        bx0 = min(bx0, a);
        bx1 = max(bx1, a);
        by0 = min(by0, b);
        by1 = max(by1, b);
      }
      // collect the interaction lists
      let mf = 0;
      let mn = 0;
      let ddMin = Infinity;
      let sp = 0;
      store<i32>(stack, 0);
      sp = 1;
      while (sp > 0) {
        sp--;
        const node = load<i32>(stack + ((<usize>sp) << 2));
        const ncx = load<f64>(cx + ((<usize>node) << 3));
        const ncy = load<f64>(cy + ((<usize>node) << 3));
        const dx = max(max(bx0 - ncx, ncx - bx1), 0.0);
        const dy = max(max(by0 - ncy, ncy - by1), 0.0);
        const dd = dx * dx + dy * dy;
        const ns = load<i32>(ps + ((<usize>node) << 2));
        const ne = load<i32>(pe + ((<usize>node) << 2));
        // a cell holding the group itself is always opened (possible only for θ > 1/√2)
        const holds = ns <= s && e <= ne;
        if (!holds && load<f64>(w2 + ((<usize>node) << 3)) < t2 * dd) {
          store<f64>(lx + ((<usize>mf) << 3), ncx);
          store<f64>(ly + ((<usize>mf) << 3), ncy);
          store<f64>(lc + ((<usize>mf) << 3), load<f64>(cnt + ((<usize>node) << 3)));
          mf++;
          ddMin = min(ddMin, dd);
          continue;
        }
        const ch = load<i32>(child + ((<usize>node) << 2));
        if (ch < 0) {
          for (let q = ns; q < ne; q++) {
            store<f64>(nx + ((<usize>mn) << 3), load<f64>(px + ((<usize>q) << 3)));
            store<f64>(ny + ((<usize>mn) << 3), load<f64>(py + ((<usize>q) << 3)));
            mn++;
          }
          continue;
        }
        const nc = load<i32>(nch + ((<usize>node) << 2));
        for (let t = nc - 1; t >= 0; t--) {
          store<i32>(stack + ((<usize>sp) << 2), ch + t);
          sp++;
        }
      }
      // pad the far list to an even length with a cell of count 0 (the near list gets a scalar tail)
      if (mf & 1) {
        store<f64>(lx + ((<usize>mf) << 3), 0.0);
        store<f64>(ly + ((<usize>mf) << 3), 0.0);
        store<f64>(lc + ((<usize>mf) << 3), 0.0);
        mf++;
      }
      // Precision. Lists are evaluated in float32 lanes, coordinates relative to the group's centre,
      // when that loses little: for the far cells when the group's half-diagonal h is < 2^7 × the
      // distance to its nearest far cell (each term then within ~2^-17 relative); for the near field
      // (whose pairs can be arbitrarily close) when h ≤ 64, so coordinates carry absolute errors
      // < 4e-6 — small against the kernel's unit length scale: each pair's w and w²·d change by less
      // than that. Otherwise (wide, sparse groups; θ = 0, the exact sum) float64.
      const hx = 0.5 * (bx1 - bx0);
      const hh = hx * hx + (0.5 * (by1 - by0)) * (0.5 * (by1 - by0));
      const lowFar = theta > 0 && hh < 16384.0 * ddMin;
      const lowNear = theta > 0 && hh <= 4096.0;
      const gx = 0.5 * (bx0 + bx1);
      const gy = 0.5 * (by0 + by1);
      // the float32 list: near points (count 1) when lowNear, then far cells when lowFar
      let m4 = 0;
      if (lowNear) {
        for (let t = 0; t < mn; t++) {
          const o = (<usize>t) << 3;
          const o4 = (<usize>m4) << 2;
          store<f32>(fx + o4, <f32>(load<f64>(nx + o) - gx));
          store<f32>(fy + o4, <f32>(load<f64>(ny + o) - gy));
          store<f32>(fc + o4, 1.0);
          m4++;
        }
      }
      if (lowFar) {
        for (let t = 0; t < mf; t++) {
          const o = (<usize>t) << 3;
          const o4 = (<usize>m4) << 2;
          store<f32>(fx + o4, <f32>(load<f64>(lx + o) - gx));
          store<f32>(fy + o4, <f32>(load<f64>(ly + o) - gy));
          store<f32>(fc + o4, <f32>load<f64>(lc + o));
          m4++;
        }
      }
      while (m4 & 3) {
        const o4 = (<usize>m4) << 2;
        store<f32>(fx + o4, 0);
        store<f32>(fy + o4, 0);
        store<f32>(fc + o4, 0);
        m4++;
      }
      for (let q = s; q < e; q++) {
        const yx = load<f64>(px + ((<usize>q) << 3));
        const yy = load<f64>(py + ((<usize>q) << 3));
        const vx = f64x2.splat(yx);
        const vy = f64x2.splat(yy);
        let sw: f64 = 0;
        let rx: f64 = 0;
        let ry: f64 = 0;
        if (!lowNear) {
          // near field in float64 (w = 1 for the point itself)
          let nw = f64x2.splat(0.0);
          let nxs = f64x2.splat(0.0);
          let nys = f64x2.splat(0.0);
          let t = 0;
          for (; t + 2 <= mn; t += 2) {
            const o = (<usize>t) << 3;
            const d0 = f64x2.sub(vx, v128.load(nx + o));
            const d1 = f64x2.sub(vy, v128.load(ny + o));
            const w = f64x2.div(one, madd(d1, d1, madd(d0, d0, one)));
            nw = f64x2.add(nw, w);
            const ww = f64x2.mul(w, w);
            nxs = madd(ww, d0, nxs);
            nys = madd(ww, d1, nys);
          }
          sw = f64x2.extract_lane(nw, 0) + f64x2.extract_lane(nw, 1);
          rx = f64x2.extract_lane(nxs, 0) + f64x2.extract_lane(nxs, 1);
          ry = f64x2.extract_lane(nys, 0) + f64x2.extract_lane(nys, 1);
          if (t < mn) {
            const d0 = yx - load<f64>(nx + ((<usize>t) << 3));
            const d1 = yy - load<f64>(ny + ((<usize>t) << 3));
            const w = 1.0 / (1.0 + d0 * d0 + d1 * d1);
            sw += w;
            rx += w * w * d0;
            ry += w * w * d1;
          }
        }
        if (!lowFar) {
          // far cells in float64 (the list is padded to an even length with a cell of count 0)
          let aw = f64x2.splat(0.0);
          let ax = f64x2.splat(0.0);
          let ay = f64x2.splat(0.0);
          for (let u = 0; u < mf; u += 2) {
            const o = (<usize>u) << 3;
            const d0 = f64x2.sub(vx, v128.load(lx + o));
            const d1 = f64x2.sub(vy, v128.load(ly + o));
            const w = f64x2.div(one, madd(d1, d1, madd(d0, d0, one)));
            const cw = f64x2.mul(v128.load(lc + o), w);
            aw = f64x2.add(aw, cw);
            const cww = f64x2.mul(cw, w);
            ax = madd(cww, d0, ax);
            ay = madd(cww, d1, ay);
          }
          sw += f64x2.extract_lane(aw, 0) + f64x2.extract_lane(aw, 1);
          rx += f64x2.extract_lane(ax, 0) + f64x2.extract_lane(ax, 1);
          ry += f64x2.extract_lane(ay, 0) + f64x2.extract_lane(ay, 1);
        }
        if (m4 > 0) {
          const ux = f32x4.splat(<f32>(yx - gx));
          const uy = f32x4.splat(<f32>(yy - gy));
          let aw = f32x4.splat(0);
          let ax = f32x4.splat(0);
          let ay = f32x4.splat(0);
          for (let u = 0; u < m4; u += 4) {
            const o = (<usize>u) << 2;
            const d0 = f32x4.sub(ux, v128.load(fx + o));
            const d1 = f32x4.sub(uy, v128.load(fy + o));
            const w = f32x4.div(one4, madd32(d1, d1, madd32(d0, d0, one4)));
            const cw = f32x4.mul(v128.load(fc + o), w);
            aw = f32x4.add(aw, cw);
            const cww = f32x4.mul(cw, w);
            ax = madd32(cww, d0, ax);
            ay = madd32(cww, d1, ay);
          }
          sw += hsum32(aw);
          rx += hsum32(ax);
          ry += hsum32(ay);
        }
        sw -= 1.0; // the point itself is in the near list with d = 0 exactly: w_ii = 1, no force
        const i = load<i32>(perm + ((<usize>q) << 2));
        store<f64>(sumw + ((<usize>i) << 3), sw);
        store<f64>(rep + ((<usize>i) << 4), rx);
        store<f64>(rep + ((<usize>i) << 4), ry, 8);
      }
    }
  }
}

/**
 * Reports a column index outside [0, n) (checked in the loops before it is used as an address) at
 * counter + 4 (row + 1) and + 8 (the value); the kernel then stops.
 */
function reportBad(counter: usize, row: i32, j: i32): void {
  store<i32>(counter, row + 1, 4);
  store<i32>(counter, j, 8);
}

/**
 * The attraction of row i: acc = Σ_q p_q w_iq (y_i − y_jq) over the row's entries, two neighbours per
 * step (their (dx, dy) pairs are single v128 loads, one division for both), with the KL term
 * Σ p log w into klrow[i] when klrow ≠ 0 (riding along without changing the force arithmetic). With
 * `scatter` (the strict upper triangle of a symmetric P) each pair's force is also subtracted from
 * out[j] and acc is added to out[i]; without it acc is stored to out[i]. Each column index is checked
 * before it is used; returns false (after reporting it) on one outside [0, n).
 */
@inline function attractRow(
  i: i32,
  n: i32,
  y: usize,
  indptr: usize,
  indices: usize,
  data: usize,
  out: usize,
  scatter: bool,
  klrow: usize,
  counter: usize,
): bool {
  const one = f64x2.splat(1.0);
  const vi = v128.load(y + ((<usize>i) << 4));
  let acc = f64x2.splat(0);
  let kl: f64 = 0;
  const qe = load<i32>(indptr + ((<usize>(i + 1)) << 2));
  let q = load<i32>(indptr + ((<usize>i) << 2));
  for (; q + 2 <= qe; q += 2) {
    const ja = load<i32>(indices + ((<usize>q) << 2));
    const jb = load<i32>(indices + ((<usize>q) << 2), 4);
    if ((<u32>ja >= <u32>n) | (<u32>jb >= <u32>n)) {
      reportBad(counter, i, <u32>ja >= <u32>n ? ja : jb);
      return false;
    }
    const da = f64x2.sub(vi, v128.load(y + ((<usize>ja) << 4)));
    const db = f64x2.sub(vi, v128.load(y + ((<usize>jb) << 4)));
    const sa = f64x2.mul(da, da);
    const sb = f64x2.mul(db, db);
    // (1 + |da|², 1 + |db|²) from the two squared pairs
    const u = f64x2.add(one, f64x2.add(i64x2.shuffle(sa, sb, 0, 2), i64x2.shuffle(sa, sb, 1, 3)));
    const p = v128.load(data + ((<usize>q) << 3));
    const pw = f64x2.div(p, u);
    const fa = f64x2.mul(f64x2.splat(f64x2.extract_lane(pw, 0)), da);
    const fb = f64x2.mul(f64x2.splat(f64x2.extract_lane(pw, 1)), db);
    acc = f64x2.add(acc, f64x2.add(fa, fb));
    if (scatter) {
      const oa = out + ((<usize>ja) << 4);
      v128.store(oa, f64x2.sub(v128.load(oa), fa));
      const ob = out + ((<usize>jb) << 4);
      v128.store(ob, f64x2.sub(v128.load(ob), fb));
    }
    if (klrow != 0) {
      kl -= f64x2.extract_lane(p, 0) * Math.log(f64x2.extract_lane(u, 0));
      kl -= f64x2.extract_lane(p, 1) * Math.log(f64x2.extract_lane(u, 1));
    }
  }
  for (; q < qe; q++) {
    const j = load<i32>(indices + ((<usize>q) << 2));
    if (<u32>j >= <u32>n) {
      reportBad(counter, i, j);
      return false;
    }
    const d = f64x2.sub(vi, v128.load(y + ((<usize>j) << 4)));
    const sq = f64x2.mul(d, d);
    const u = 1 + (f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1));
    const p = load<f64>(data + ((<usize>q) << 3));
    if (klrow != 0) kl -= p * Math.log(u);
    const f = f64x2.mul(f64x2.splat(p / u), d);
    acc = f64x2.add(acc, f);
    if (scatter) {
      const o = out + ((<usize>j) << 4);
      v128.store(o, f64x2.sub(v128.load(o), f));
    }
  }
  const oi = out + ((<usize>i) << 4);
  v128.store(oi, scatter ? f64x2.add(v128.load(oi), acc) : acc);
  if (klrow != 0) store<f64>(klrow + ((<usize>i) << 3), kl);
  return true;
}

/**
 * Attraction over the rows of a CSR matrix P taken from `counter` (chunks of 256 rows):
 * attr[2i..2i+1] = Σ_j p_ij w_ij (y_i − y_j); when `klrow` ≠ 0 also klrow[i] = Σ_j p_ij log w_ij.
 */
export function tsne_attract(
  n: i32,
  y: usize,
  indptr: usize,
  indices: usize,
  data: usize,
  attr: usize,
  klrow: usize,
  counter: usize,
): void {
  for (;;) {
    const r0 = takeChunk(counter, 256);
    if (r0 >= n) break;
    const r1 = min(r0 + 256, n);
    for (let i = r0; i < r1; i++) {
      if (!attractRow(i, n, y, indptr, indices, data, attr, false, klrow, counter)) return;
    }
  }
}

/**
 * Attraction over the strict upper triangle U of a symmetric P (each pair once: its force added to
 * row i and subtracted from row j, half the memory traffic and divisions of the full rows). Two
 * units taken from `counter`: rows [0, split) accumulate into out0, rows [split, n) into out1 (each
 * zeroed first), so the result out0 + out1 does not depend on which thread ran which unit. When
 * `klrow` ≠ 0, klrow[i] = Σ_{j>i} u_ij log w_ij.
 */
export function tsne_attract_upper(
  n: i32,
  y: usize,
  indptr: usize,
  indices: usize,
  data: usize,
  split: i32,
  out0: usize,
  out1: usize,
  klrow: usize,
  counter: usize,
): void {
  for (;;) {
    const unit = takeChunk(counter, 1);
    if (unit >= 2) break;
    const out = unit == 0 ? out0 : out1;
    const r0 = unit == 0 ? 0 : split;
    const r1 = unit == 0 ? split : n;
    memory.fill(out, 0, (<usize>n) << 4);
    for (let i = r0; i < r1; i++) {
      if (!attractRow(i, n, y, indptr, indices, data, out, true, klrow, counter)) return;
    }
  }
}
