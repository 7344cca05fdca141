/**
 * Hierarchical (agglomerative) clustering: the merge tree, as scipy.cluster.hierarchy.linkage.
 *
 * Seed deck 000, "Connectivity-based clustering": start from singletons, repeatedly merge the two
 * closest clusters; the linkage says what "closest" means between clusters:
 *   single   min d(a, b)                complete  max d(a, b)
 *   average  mean d(a, b) (UPGMA)       weighted  ½(d(i,k) + d(j,k)) (WPGMA)
 *   centroid ‖c_i − c_j‖                median    distance between WPGMC centres
 *   ward     the increase of within-cluster variance: sqrt(2 n_i n_j / (n_i + n_j)) ‖c_i − c_j‖
 * All updates are Lance–Williams formulas on a condensed float64 distance array (n(n−1)/2 values:
 * O(n²) memory, never O(n³) time):
 * - single: Prim's minimum spanning tree, O(n²) (Gower & Ross 1969; scipy `mst_single_linkage`);
 * - complete, average, weighted, ward: the nearest-neighbour chain (Murtagh 1983; Müllner 2011,
 *   "Modern hierarchical, agglomerative clustering algorithms", Fig. 4), valid for reducible linkages;
 * - centroid, median (not reducible, merge heights may decrease): Müllner's generic algorithm with a
 *   priority queue of nearest-neighbour lower bounds (scipy `fast_linkage`).
 * The code follows scipy 1.x's `_hierarchy.pyx` step for step (tie rules, labelling by union-find,
 * stable sort by height) so that the linkage matrix Z — rows (a, b, height, size), merged cluster
 * n + row — equals scipy's on the same data.
 */
import { ValidationError } from '../core/errors.js';
import { rowSqNorms, sqdist } from '../kernels/index.js';

export type Linkage = 'single' | 'complete' | 'average' | 'weighted' | 'centroid' | 'median' | 'ward';

/** The linkage methods, in scipy's spelling. */
export const LINKAGE_METHODS: readonly Linkage[] = Object.freeze([
  'single',
  'complete',
  'average',
  'weighted',
  'centroid',
  'median',
  'ward',
]);

/** Throws unless `method` is one of LINKAGE_METHODS (a bad name used to surface as a TypeError). */
export function checkLinkageMethod(method: unknown, name = 'method'): Linkage {
  if (!(LINKAGE_METHODS as readonly unknown[]).includes(method)) {
    throw new ValidationError(
      `${name} must be one of ${LINKAGE_METHODS.map((m) => `"${m}"`).join(', ')}; got ${JSON.stringify(method)}`,
    );
  }
  return method as Linkage;
}

function checkLeafCount(n: unknown, name = 'n'): number {
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1)) {
    throw new ValidationError(`${name} must be an integer >= 1; got ${String(n)}`);
  }
  return n;
}

/**
 * Checks a linkage matrix before walking it: (n−1)·4 values; row r merges two distinct nodes made
 * before it (ids < n + r), each node merged at most once; finite heights. A malformed Z (say, from a
 * corrupted saved model) would otherwise send the tree walks into an endless loop.
 */
export function checkLinkageMatrix(Z: Float64Array, n: number, name = 'Z'): void {
  if (!(Z instanceof Float64Array)) throw new ValidationError(`${name} must be a Float64Array`);
  if (Z.length !== 4 * (n - 1)) {
    throw new ValidationError(
      `${name} has ${Z.length} values, but a linkage of n=${n} leaves needs (n-1)*4=${4 * (n - 1)}`,
    );
  }
  const used = new Uint8Array(2 * n - 1);
  for (let r = 0; r < n - 1; r++) {
    const a = Z[r * 4]!;
    const b = Z[r * 4 + 1]!;
    for (const c of [a, b]) {
      if (!(Number.isInteger(c) && c >= 0 && c < n + r) || used[c] === 1 || a === b) {
        throw new ValidationError(
          `${name} row ${r} merges (${a}, ${b}): each must be a distinct node id < n + ${r} = ${n + r}, not merged before`,
        );
      }
      used[c] = 1;
    }
    if (!Number.isFinite(Z[r * 4 + 2]!))
      throw new ValidationError(`${name} row ${r} has a non-finite height ${Z[r * 4 + 2]}`);
  }
}

/** Index of d(i, j), i ≠ j, in a condensed distance array over n points (unchecked: inner use). */
export function condensedIndex(n: number, i: number, j: number): number {
  if (i > j) {
    const t = i;
    i = j;
    j = t;
  }
  return n * i - ((i * (i + 1)) >> 1) + (j - i - 1);
}

/**
 * Condensed Euclidean distances (scipy's pdist layout) of the n rows of X (n×d), through the gemm
 * kernel in row blocks against the rows that follow (so only the upper triangle is computed).
 * Equal points get exactly 0; the expanded formula is clamped at 0 before the square root.
 */
export function pdistCondensed(X: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array((n * (n - 1)) / 2);
  const norms = new Float64Array(n);
  rowSqNorms(n, d, X, norms);
  const B = Math.max(1, Math.min(n, Math.floor((8 << 20) / Math.max(1, n))));
  const D = new Float64Array(B * n);
  for (let s = 0; s < n - 1; s += B) {
    const e = Math.min(n - 1, s + B);
    const b = e - s;
    const m = n - s; // columns s..n-1
    sqdist(b, m, d, X.subarray(s * d, e * d), X.subarray(s * d), D, {
      xNorms: norms.subarray(s, e),
      yNorms: norms.subarray(s),
    });
    for (let r = 0; r < b; r++) {
      const i = s + r;
      let o = condensedIndex(n, i, i + 1);
      const row = r * m;
      for (let c = i - s + 1; c < m; c++) out[o++] = Math.sqrt(D[row + c]!);
    }
  }
  return out;
}

/** Lance–Williams update d(k, i∪j) from d(k,i)=dxi, d(k,j)=dyi, d(i,j)=dxy and sizes (scipy's). */
function updateFor(
  method: Linkage,
): (dxi: number, dyi: number, dxy: number, sx: number, sy: number, si: number) => number {
  switch (method) {
    case 'single':
      return (a, b) => (a < b ? a : b);
    case 'complete':
      return (a, b) => (a > b ? a : b);
    case 'average':
      return (a, b, _c, sx, sy) => (sx * a + sy * b) / (sx + sy);
    case 'weighted':
      return (a, b) => 0.5 * (a + b);
    case 'centroid':
      return (a, b, c, sx, sy) =>
        Math.sqrt((sx * a * a + sy * b * b - (sx * sy * c * c) / (sx + sy)) / (sx + sy));
    case 'median':
      return (a, b, c) => Math.sqrt(0.5 * (a * a + b * b) - 0.25 * c * c);
    case 'ward':
      return (a, b, c, sx, sy, si) => {
        const t = 1.0 / (sx + sy + si);
        return Math.sqrt((si + sx) * t * a * a + (si + sy) * t * b * b - si * t * c * c);
      };
  }
}

/** scipy's LinkageUnionFind relabelling after sorting by height: ids n, n+1, ... in row order. */
function label(Z: Float64Array, n: number): void {
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const size = new Int32Array(2 * n - 1).fill(1);
  let next = n;
  const find = (x: number): number => {
    let p = x;
    while (parent[x]! !== x) x = parent[x]!;
    while (parent[p]! !== x) {
      const q = parent[p]!;
      parent[p] = x;
      p = q;
    }
    return x;
  };
  for (let i = 0; i < n - 1; i++) {
    const xr = find(Z[i * 4]!);
    const yr = find(Z[i * 4 + 1]!);
    if (xr < yr) {
      Z[i * 4] = xr;
      Z[i * 4 + 1] = yr;
    } else {
      Z[i * 4] = yr;
      Z[i * 4 + 1] = xr;
    }
    parent[xr] = next;
    parent[yr] = next;
    size[next] = size[xr]! + size[yr]!;
    Z[i * 4 + 3] = size[next]!;
    next++;
  }
}

/** Stable sort of Z's rows by height (numpy's mergesort). */
function sortByHeight(Z: Float64Array, n: number): Float64Array {
  const m = n - 1;
  const order = Array.from({ length: m }, (_, i) => i);
  order.sort((a, b) => Z[a * 4 + 2]! - Z[b * 4 + 2]! || a - b); // stable by construction
  const out = new Float64Array(m * 4);
  for (let r = 0; r < m; r++) out.set(Z.subarray(order[r]! * 4, order[r]! * 4 + 4), r * 4);
  return out;
}

function mstSingle(dists: Float64Array, n: number): Float64Array {
  const Z = new Float64Array((n - 1) * 4);
  const merged = new Uint8Array(n);
  const D = new Float64Array(n).fill(Infinity);
  let x = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    let cur = Infinity;
    merged[x] = 1;
    // d(x, i) for i < x is strided in the condensed array, for i > x contiguous.
    for (let i = 0; i < n; i++) {
      if (merged[i] === 1) continue;
      const dist = dists[condensedIndex(n, x, i)]!;
      if (D[i]! > dist) D[i] = dist;
      if (D[i]! < cur) {
        y = i;
        cur = D[i]!;
      }
    }
    Z[k * 4] = x;
    Z[k * 4 + 1] = y;
    Z[k * 4 + 2] = cur;
    x = y;
  }
  const S = sortByHeight(Z, n);
  label(S, n);
  return S;
}

function nnChain(dists: Float64Array, n: number, method: Linkage): Float64Array {
  const Z = new Float64Array((n - 1) * 4);
  const D = Float64Array.from(dists);
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  const upd = updateFor(method);
  let len = 0;
  for (let k = 0; k < n - 1; k++) {
    if (len === 0) {
      len = 1;
      for (let i = 0; i < n; i++) {
        if (size[i]! > 0) {
          chain[0] = i;
          break;
        }
      }
    }
    let x = 0;
    let y = 0;
    let cur = Infinity;
    for (;;) {
      x = chain[len - 1]!;
      if (len > 1) {
        y = chain[len - 2]!;
        cur = D[condensedIndex(n, x, y)]!;
      } else cur = Infinity;
      // i < x: condensed index n*i - i(i+1)/2 + x - i - 1; i > x: contiguous from base.
      let idx = x - 1;
      for (let i = 0; i < x; i++) {
        if (size[i]! !== 0) {
          const v = D[idx]!;
          if (v < cur) {
            cur = v;
            y = i;
          }
        }
        idx += n - i - 2;
      }
      const base = condensedIndex(n, x, x + 1) - (x + 1);
      for (let i = x + 1; i < n; i++) {
        if (size[i]! !== 0) {
          const v = D[base + i]!;
          if (v < cur) {
            cur = v;
            y = i;
          }
        }
      }
      if (len > 1 && y === chain[len - 2]) break;
      chain[len++] = y;
    }
    len -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x]!;
    const ny = size[y]!;
    Z[k * 4] = x;
    Z[k * 4 + 1] = y;
    Z[k * 4 + 2] = cur;
    Z[k * 4 + 3] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    // Lance–Williams update of row y (x < y). Condensed indices walk incrementally: for i below a
    // row r, d(i, r) sits at n·i − i(i+1)/2 + r − i − 1, which grows by n − i − 2 per step of i.
    let ix = x - 1;
    let iy = y - 1;
    for (let i = 0; i < x; i++) {
      const ni = size[i]!;
      if (ni !== 0) D[iy] = upd(D[ix]!, D[iy]!, cur, nx, ny, ni);
      ix += n - i - 2;
      iy += n - i - 2;
    }
    // x < i < y: d(x, i) is contiguous in row x, d(i, y) still strided.
    const bx = condensedIndex(n, x, x + 1) - (x + 1);
    iy = condensedIndex(n, x + 1, y);
    for (let i = x + 1; i < y; i++) {
      const ni = size[i]!;
      if (ni !== 0) D[iy] = upd(D[bx + i]!, D[iy]!, cur, nx, ny, ni);
      iy += n - i - 2;
    }
    // i > y: both contiguous.
    const by = y + 1 < n ? condensedIndex(n, y, y + 1) - (y + 1) : 0;
    for (let i = y + 1; i < n; i++) {
      const ni = size[i]!;
      if (ni !== 0) D[by + i] = upd(D[bx + i]!, D[by + i]!, cur, nx, ny, ni);
    }
  }
  const S = sortByHeight(Z, n);
  label(S, n);
  return S;
}

/** Indexed binary min-heap over keys 0..m-1 (scipy's `Heap` in _structures.pxi). */
class IndexedHeap {
  private readonly index: Int32Array; // key -> position
  private readonly keys: Int32Array; // position -> key
  private readonly values: Float64Array; // position -> value
  private size: number;
  constructor(values: Float64Array) {
    const m = values.length;
    this.size = m;
    this.index = new Int32Array(m);
    this.keys = new Int32Array(m);
    this.values = Float64Array.from(values);
    for (let i = 0; i < m; i++) {
      this.index[i] = i;
      this.keys[i] = i;
    }
    for (let i = (m >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }
  minKey(): number {
    return this.keys[0]!;
  }
  minValue(): number {
    return this.values[0]!;
  }
  removeMin(): void {
    this.swap(0, this.size - 1);
    this.size--;
    this.siftDown(0);
  }
  changeValue(key: number, value: number): void {
    const i = this.index[key]!;
    const old = this.values[i]!;
    this.values[i] = value;
    if (value < old) this.siftUp(i);
    else this.siftDown(i);
  }
  private swap(i: number, j: number): void {
    const ki = this.keys[i]!;
    const kj = this.keys[j]!;
    const vi = this.values[i]!;
    this.keys[i] = kj;
    this.values[i] = this.values[j]!;
    this.keys[j] = ki;
    this.values[j] = vi;
    this.index[kj] = i;
    this.index[ki] = j;
  }
  private siftUp(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.values[p]! > this.values[i]!) {
        this.swap(i, p);
        i = p;
      } else break;
    }
  }
  private siftDown(i: number): void {
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.values[c + 1]! < this.values[c]!) c++;
      if (this.values[i]! > this.values[c]!) {
        this.swap(i, c);
        i = c;
      } else break;
    }
  }
}

function findMinDist(n: number, D: Float64Array, size: Int32Array, x: number): [number, number] {
  let cur = Infinity;
  let y = -1;
  const base = condensedIndex(n, x, x + 1) - (x + 1);
  for (let i = x + 1; i < n; i++) {
    if (size[i]! === 0) continue;
    const v = D[base + i]!;
    if (v < cur) {
      cur = v;
      y = i;
    }
  }
  return [y, cur];
}

function generic(dists: Float64Array, n: number, method: Linkage): Float64Array {
  const Z = new Float64Array((n - 1) * 4);
  const D = Float64Array.from(dists);
  const size = new Int32Array(n).fill(1);
  const clusterId = Int32Array.from({ length: n }, (_, i) => i);
  const neighbor = new Int32Array(n - 1);
  const minDist = new Float64Array(n - 1);
  const upd = updateFor(method);
  for (let x = 0; x < n - 1; x++) {
    const [y, v] = findMinDist(n, D, size, x);
    neighbor[x] = y;
    minDist[x] = v;
  }
  const heap = new IndexedHeap(minDist);
  for (let k = 0; k < n - 1; k++) {
    let x = 0;
    let y = 0;
    let dist = 0;
    for (let i = 0; i < n - k; i++) {
      x = heap.minKey();
      dist = heap.minValue();
      y = neighbor[x]!;
      if (dist === D[condensedIndex(n, x, y)]) break;
      const [yy, dd] = findMinDist(n, D, size, x);
      y = yy;
      dist = dd;
      neighbor[x] = y;
      minDist[x] = dist;
      heap.changeValue(x, dist);
    }
    heap.removeMin();
    let idx = clusterId[x]!;
    let idy = clusterId[y]!;
    const nx = size[x]!;
    const ny = size[y]!;
    if (idx > idy) {
      const t = idx;
      idx = idy;
      idy = t;
    }
    Z[k * 4] = idx;
    Z[k * 4 + 1] = idy;
    Z[k * 4 + 2] = dist;
    Z[k * 4 + 3] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    clusterId[y] = n + k;
    for (let z = 0; z < n; z++) {
      const nz = size[z]!;
      if (nz === 0 || z === y) continue;
      const zy = condensedIndex(n, z, y);
      D[zy] = upd(D[condensedIndex(n, z, x)]!, D[zy]!, dist, nx, ny, nz);
    }
    for (let z = 0; z < x; z++) if (size[z]! > 0 && neighbor[z] === x) neighbor[z] = y;
    for (let z = 0; z < y; z++) {
      if (size[z]! === 0) continue;
      const v = D[condensedIndex(n, z, y)]!;
      if (v < minDist[z]!) {
        neighbor[z] = y;
        minDist[z] = v;
        heap.changeValue(z, v);
      }
    }
    if (y < n - 1) {
      const [z, v] = findMinDist(n, D, size, y);
      if (z !== -1) {
        neighbor[y] = z;
        minDist[y] = v;
        heap.changeValue(y, v);
      }
    }
  }
  return Z;
}

/**
 * Linkage matrix Z ((n−1) × 4, row-major: a, b, height, size) from a condensed distance array
 * (n(n−1)/2 finite values >= 0, scipy's pdist layout), as scipy's `linkage(y, method)`. The
 * condensed array is not modified.
 *
 * @example
 * linkageFromCondensed(new Float64Array([1, 4, 2]), 3, 'single'); // [0, 1, 1, 2,  2, 3, 2, 3]
 */
export function linkageFromCondensed(dists: Float64Array, n: number, method: Linkage): Float64Array {
  checkLeafCount(n);
  checkLinkageMethod(method);
  if (!(dists instanceof Float64Array)) throw new ValidationError('dists must be a Float64Array');
  if (dists.length !== (n * (n - 1)) / 2) {
    throw new ValidationError(
      `dists has ${dists.length} values, but n=${n} points need n(n-1)/2=${(n * (n - 1)) / 2}`,
    );
  }
  for (let i = 0; i < dists.length; i++) {
    const v = dists[i]!;
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new ValidationError(`dists[${i}] = ${v}; distances must be finite and >= 0`);
    }
  }
  if (n < 2) return new Float64Array(0);
  if (method === 'single') return mstSingle(dists, n);
  if (method === 'centroid' || method === 'median') return generic(dists, n, method);
  return nnChain(dists, n, method);
}

/** Leaf order of the dendrogram (scipy's `leaves_list`): left child first, from the root. */
export function leavesList(Z: Float64Array, n: number): Int32Array {
  checkLeafCount(n);
  checkLinkageMatrix(Z, n);
  const out = new Int32Array(n);
  if (n === 1) return out;
  let m = 0;
  const stack: number[] = [2 * n - 2];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node < n) {
      out[m++] = node;
      continue;
    }
    const r = node - n;
    stack.push(Z[r * 4 + 1]!, Z[r * 4]!);
  }
  return out;
}

/**
 * Flat labels from merge order, as scikit-learn's `_hc_cut`: undo the last nClusters − 1 merges
 * (through a max-heap of node ids, in Python heapq's exact order) and number the clusters in heap
 * order. Z's rows are the merges in order (cluster n + r made by row r).
 */
export function cutTree(Z: Float64Array, n: number, nClusters: number): Int32Array {
  checkLeafCount(n);
  checkLinkageMatrix(Z, n);
  if (!(Number.isInteger(nClusters) && nClusters >= 1 && nClusters <= n)) {
    throw new ValidationError(`nClusters must be an integer in [1, n=${n}]; got ${nClusters}`);
  }
  const labels = new Int32Array(n);
  if (nClusters >= n) {
    for (let i = 0; i < n; i++) labels[i] = i;
    return labels;
  }
  if (n === 1) return labels;
  // heapq over negated ids: a min-heap list.
  const heap: number[] = [-(2 * n - 2)];
  const push = (v: number) => {
    heap.push(v);
    siftDownPy(heap, 0, heap.length - 1);
  };
  const pushpop = (v: number): number => {
    if (heap.length > 0 && heap[0]! < v) {
      const top = heap[0]!;
      heap[0] = v;
      siftUpPy(heap, 0);
      return top;
    }
    return v;
  };
  for (let t = 0; t < nClusters - 1; t++) {
    const node = -heap[0]!;
    const r = node - n;
    push(-Z[r * 4]!);
    pushpop(-Z[r * 4 + 1]!);
  }
  for (let c = 0; c < heap.length; c++) {
    const stack = [-heap[c]!];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node < n) labels[node] = c;
      else stack.push(Z[(node - n) * 4]!, Z[(node - n) * 4 + 1]!);
    }
  }
  return labels;
}

// CPython's heapq internals (_siftdown / _siftup), so that the heap order — and with it the label
// numbering — is the same as scikit-learn's.
function siftDownPy(heap: number[], start: number, pos: number): void {
  const item = heap[pos]!;
  while (pos > start) {
    const pp = (pos - 1) >> 1;
    const parent = heap[pp]!;
    if (item < parent) {
      heap[pos] = parent;
      pos = pp;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

function siftUpPy(heap: number[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const item = heap[pos]!;
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child]! < heap[right]!)) child = right;
    heap[pos] = heap[child]!;
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDownPy(heap, start, pos);
}
