/**
 * Bounded k-best selection: a max-heap of the k smallest (distance, index) pairs seen so far.
 * Exact brute-force k-NN scans n candidates per query; keeping a heap of k instead of sorting the
 * row makes the selection O(n log k) with no allocation per query (the buffers belong to the caller
 * and are reused for every row). Ties are broken towards the smaller index, so results are
 * deterministic whatever the scan order (brute force, kd-tree and vp-tree agree exactly).
 */

/**
 * Max-heap order on (distance, index) pairs: (d, i) is "greater" than (d2, i2) when its distance is
 * larger, or equal with a larger index. The heaps below live in flat arrays at offset o; these two
 * sifts serve all of them (KBest.push, KBest.drainSorted and KBestMany.push).
 */
function siftUp(dist: Float64Array, idx: Int32Array, o: number, c: number, d: number, i: number): void {
  while (c > 0) {
    const p = (c - 1) >> 1;
    const pd = dist[o + p]!;
    if (pd > d || (pd === d && idx[o + p]! > i)) break;
    dist[o + c] = pd;
    idx[o + c] = idx[o + p]!;
    c = p;
  }
  dist[o + c] = d;
  idx[o + c] = i;
}

/** Puts (d, i) at the root of the n-entry heap at offset o and sifts it down to its place. */
function siftDown(dist: Float64Array, idx: Int32Array, o: number, n: number, d: number, i: number): void {
  let p = 0;
  for (;;) {
    const l = 2 * p + 1;
    if (l >= n) break;
    let c = l;
    const r = l + 1;
    if (r < n && (dist[o + r]! > dist[o + l]! || (dist[o + r] === dist[o + l] && idx[o + r]! > idx[o + l]!)))
      c = r;
    const cd = dist[o + c]!;
    if (cd < d || (cd === d && idx[o + c]! < i)) break;
    dist[o + p] = cd;
    idx[o + p] = idx[o + c]!;
    p = c;
  }
  dist[o + p] = d;
  idx[o + p] = i;
}

/** A reusable max-heap of capacity k over (dist, idx). */
export class KBest {
  readonly k: number;
  size = 0;
  readonly dist: Float64Array;
  readonly idx: Int32Array;

  constructor(k: number) {
    this.k = k;
    this.dist = new Float64Array(k);
    this.idx = new Int32Array(k);
  }

  reset(): void {
    this.size = 0;
  }

  /** The current k-th smallest distance (Infinity until k candidates were seen). */
  worst(): number {
    return this.size < this.k ? Infinity : this.dist[0]!;
  }

  /** Offers (d, i): kept when fewer than k are held or it is smaller than the current worst. */
  push(d: number, i: number): void {
    if (this.size < this.k) {
      siftUp(this.dist, this.idx, 0, this.size++, d, i);
      return;
    }
    const top = this.dist[0]!;
    if (d > top || (d === top && i > this.idx[0]!)) return;
    siftDown(this.dist, this.idx, 0, this.size, d, i);
  }

  /** Writes the heap in ascending (distance, index) order into out arrays at offset; empties it. */
  drainSorted(outIdx: Int32Array, outDist: Float64Array, offset: number, sqrt: boolean): void {
    // Heap-sort in place: repeatedly move the max to the end.
    const dist = this.dist;
    const idx = this.idx;
    for (let end = this.size - 1; end > 0; end--) {
      const d = dist[end]!;
      const i = idx[end]!;
      dist[end] = dist[0]!;
      idx[end] = idx[0]!;
      siftDown(dist, idx, 0, end, d, i);
    }
    for (let t = 0; t < this.size; t++) {
      outIdx[offset + t] = idx[t]!;
      outDist[offset + t] = sqrt ? Math.sqrt(dist[t]!) : dist[t]!;
    }
    this.size = 0;
  }
}

/**
 * n bounded max-heaps of capacity k in flat arrays (heap r occupies [r·k, r·k + k)), for the
 * symmetric brute-force pass where each computed distance d(i, j) feeds both i's and j's heaps.
 */
export class KBestMany {
  readonly dist: Float64Array;
  readonly idx: Int32Array;
  readonly size: Int32Array;
  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    this.dist = new Float64Array(n * k);
    this.idx = new Int32Array(n * k);
    this.size = new Int32Array(n);
  }

  worst(r: number): number {
    return this.size[r]! < this.k ? Infinity : this.dist[r * this.k]!;
  }

  /** Offers (d, i) to heap r. */
  push(r: number, d: number, i: number): void {
    const k = this.k;
    const o = r * k;
    const s = this.size[r]!;
    if (s < k) {
      this.size[r] = s + 1;
      siftUp(this.dist, this.idx, o, s, d, i);
      return;
    }
    const top = this.dist[o]!;
    if (d > top || (d === top && i > this.idx[o]!)) return;
    siftDown(this.dist, this.idx, o, k, d, i);
  }
}
