/**
 * Bounded k-best selection: a max-heap of the k smallest (distance, index) pairs seen so far.
 * Exact brute-force k-NN scans n candidates per query; keeping a heap of k instead of sorting the
 * row makes the selection O(n log k) with no allocation per query (the buffers belong to the caller
 * and are reused for every row). Ties are broken towards the smaller index, so results are
 * deterministic whatever the scan order (brute force, kd-tree and vp-tree agree exactly).
 */

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

  /** (d, i) is "greater" than (d2, i2): larger distance, or equal distance with larger index. */
  push(d: number, i: number): void {
    const dist = this.dist;
    const idx = this.idx;
    if (this.size < this.k) {
      // sift up
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const pd = dist[p]!;
        if (pd > d || (pd === d && idx[p]! > i)) break;
        dist[c] = pd;
        idx[c] = idx[p]!;
        c = p;
      }
      dist[c] = d;
      idx[c] = i;
      return;
    }
    const top = dist[0]!;
    if (d > top || (d === top && i > idx[0]!)) return;
    // replace the root and sift down
    const n = this.size;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= n) break;
      let c = l;
      const r = l + 1;
      if (r < n && (dist[r]! > dist[l]! || (dist[r] === dist[l] && idx[r]! > idx[l]!))) c = r;
      const cd = dist[c]!;
      if (cd < d || (cd === d && idx[c]! < i)) break;
      dist[p] = cd;
      idx[p] = idx[c]!;
      p = c;
    }
    dist[p] = d;
    idx[p] = i;
  }

  /** Writes the heap in ascending (distance, index) order into out arrays at offset; empties it. */
  drainSorted(outIdx: Int32Array, outDist: Float64Array, offset: number, sqrt: boolean): void {
    // Heap-sort in place: repeatedly move the max to the end.
    const dist = this.dist;
    const idx = this.idx;
    for (let end = this.size - 1; end > 0; end--) {
      const d0 = dist[0]!;
      const i0 = idx[0]!;
      const d = dist[end]!;
      const i = idx[end]!;
      dist[end] = d0;
      idx[end] = i0;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        if (l >= end) break;
        let c = l;
        const r = l + 1;
        if (r < end && (dist[r]! > dist[l]! || (dist[r] === dist[l] && idx[r]! > idx[l]!))) c = r;
        const cd = dist[c]!;
        if (cd < d || (cd === d && idx[c]! < i)) break;
        dist[p] = cd;
        idx[p] = idx[c]!;
        p = c;
      }
      dist[p] = d;
      idx[p] = i;
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

  push(r: number, d: number, i: number): void {
    const k = this.k;
    const o = r * k;
    const dist = this.dist;
    const idx = this.idx;
    const s = this.size[r]!;
    if (s < k) {
      let c = s;
      this.size[r] = s + 1;
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
      return;
    }
    const top = dist[o]!;
    if (d > top || (d === top && i > idx[o]!)) return;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= k) break;
      let c = l;
      const rr = l + 1;
      if (
        rr < k &&
        (dist[o + rr]! > dist[o + l]! || (dist[o + rr] === dist[o + l] && idx[o + rr]! > idx[o + l]!))
      )
        c = rr;
      const cd = dist[o + c]!;
      if (cd < d || (cd === d && idx[o + c]! < i)) break;
      dist[o + p] = cd;
      idx[o + p] = idx[o + c]!;
      p = c;
    }
    dist[o + p] = d;
    idx[o + p] = i;
  }
}
