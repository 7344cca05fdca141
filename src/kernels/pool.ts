/**
 * Worker pool for the WebAssembly kernels: persistent worker threads that instantiate the same
 * kernel module on the same shared WebAssembly.Memory, so the main thread can hand a worker "run
 * gemm_f32 on rows [m0, m) of C" without copying anything.
 *
 * Protocol (one control block per worker, a SharedArrayBuffer of its own):
 *   main:   write args + op, REQ := ++gen, notify REQ; run its own share; wait until DONE == gen
 *   worker: wait until REQ != seen; run; DONE := REQ; notify DONE
 * Generation counters (never reset) make a lost or late wake-up harmless: whoever looks sees the
 * current generation. Every wait is timed. A worker that does not finish within the stall limit
 * (dead, or starved by the OS for an implausible time) is terminated and the call throws a clear
 * Error; later calls run on the main thread alone until a replacement worker reports ready (the pool
 * respawns it in the background, a few times at most). Workers are unref'd: they never keep a
 * process alive.
 *
 * The protocol runs in Node (worker_threads, eval'd source, so the same code works from src/ under
 * tsx and from dist/) and in browsers through Web Workers made from a Blob URL (BrowserWorkerAdapter).
 * Blocking waits are not allowed on a page's main thread, so in browsers the pool runs only when the
 * library itself runs inside a Web Worker of a cross-origin-isolated page; elsewhere the kernels run
 * single-threaded with SIMD.
 *
 * Each product's split between the threads adapts to their measured speed, and (option `adaptive`)
 * a size class of products stays on one thread when splitting does not pay; edge tiles round exactly
 * like full tiles, so results are bit-identical however a product is split.
 */

const REQ = 0;
const DONE = 1;
const OP = 2;
const STATUS = 3;
const READY = 4;
const SHUTDOWN = 5;
const FAULT = 6;
const NARGS = 7;
const ARGS_BYTE_OFFSET = 64;
const MAX_ARGS = 20;
const CTRL_BYTES = ARGS_BYTE_OFFSET + MAX_ARGS * 8;

/** Export names a worker may run, by op code. */
export const POOL_OPS = [
  'gemm_f32',
  'gemm_f64',
  'tsne_bh_repulse',
  'tsne_attract',
  'tsne_attract_upper',
  'fft_rows_fwd',
  'fft_cols',
  'fft_rows_inv',
  'fft_gather',
] as const;
export type PoolOp = (typeof POOL_OPS)[number];

// The worker's source, shared by Node (worker_threads, eval'd) and browsers (a Blob URL): plain
// JavaScript, no TypeScript syntax. `exit` is how the test hook ends the thread.
const workerBody = (exit: string): string => `
function run({ module, memory, ctrlBuf, ops }) {
  const ctrl = new Int32Array(ctrlBuf);
  const args = new Float64Array(ctrlBuf, ${ARGS_BYTE_OFFSET}, ${MAX_ARGS});
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = ops.map((name) => ex[name]);
  Atomics.store(ctrl, ${READY}, 1);
  Atomics.notify(ctrl, ${READY});
  let seen = Atomics.load(ctrl, ${REQ});
  for (;;) {
    let g = Atomics.load(ctrl, ${REQ});
    for (let spin = 0; g === seen && spin < 4000; spin++) g = Atomics.load(ctrl, ${REQ});
    if (g === seen) {
      Atomics.wait(ctrl, ${REQ}, seen, 1000);
      continue;
    }
    seen = g;
    if (Atomics.load(ctrl, ${SHUTDOWN}) !== 0) return;
    const fault = Atomics.load(ctrl, ${FAULT});
    if (fault === 1) { ${exit} } // test hook: die mid-way
    if (fault === 2) { const z = new Int32Array(new SharedArrayBuffer(4)); for (;;) Atomics.wait(z, 0, 0); } // test hook: hang forever
    let status = 0;
    try {
      const n = ctrl[${NARGS}];
      const a = [];
      for (let i = 0; i < n; i++) a.push(args[i]);
      const t0 = performance.now();
      fns[ctrl[${OP}]](...a);
      args[${MAX_ARGS - 1}] = performance.now() - t0;
    } catch (e) {
      status = 1;
    }
    Atomics.store(ctrl, ${STATUS}, status);
    Atomics.store(ctrl, ${DONE}, g);
    Atomics.notify(ctrl, ${DONE});
  }

}
`;

/** Worker source for Node's worker_threads (data arrives as workerData). */
export const NODE_WORKER_SOURCE = `${workerBody('process.exit(3);')}
run(require('node:worker_threads').workerData);
`;

/** Worker source for a browser Worker (data arrives as the first message). */
export const BROWSER_WORKER_SOURCE = `${workerBody('self.close(); return;')}
self.onmessage = (e) => { self.onmessage = null; run(e.data); };
`;

/**
 * Gives a browser Worker the shape of Node's worker_threads.Worker that the pool uses. Only usable
 * inside a Web Worker of a cross-origin-isolated page: a page's main thread may not block in
 * Atomics.wait (see `browserPoolPossible`).
 */
export class BrowserWorkerAdapter {
  private readonly w: Worker;
  private readonly url: string;
  constructor(src: string, opts: { workerData: unknown }) {
    this.url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    this.w = new Worker(this.url);
    this.w.postMessage(opts.workerData);
  }
  terminate(): Promise<number> {
    this.w.terminate();
    URL.revokeObjectURL(this.url);
    return Promise.resolve(0);
  }
  unref(): void {
    // browsers have no event-loop references to drop
  }
  on(ev: string, f: (...a: unknown[]) => void): void {
    if (ev === 'error') this.w.addEventListener('error', f);
  }
}

/** Whether this context can run the pool with browser Workers (blocking waits allowed, memory shareable). */
export function browserPoolPossible(): boolean {
  const g = globalThis as { WorkerGlobalScope?: unknown; crossOriginIsolated?: boolean };
  return (
    typeof Worker !== 'undefined' &&
    typeof Blob !== 'undefined' &&
    g.WorkerGlobalScope !== undefined &&
    g.crossOriginIsolated === true
  );
}

export interface PoolOptions {
  /** Worker threads besides the main thread (default 1: two threads in all; 0 turns the pool off). */
  threads?: number;
  /**
   * Minimum time (ms) the main thread waits for a worker's share beyond its own before declaring the
   * worker dead (default 10000). The actual limit is max(this, 50 × the main thread's own time).
   */
  stallTimeoutMs?: number;
  /** Products below this many flops (2·m·n·k) run on one thread (default 2,000,000). */
  minFlops?: number;
  /**
   * Learn, per size class of product, whether splitting actually pays on this machine now (default
   * true). On a machine crowded by other processes waking a worker can cost more than it saves; the
   * pool then keeps such sizes on one thread, re-trying the split every 16th call. Results are
   * bit-identical either way.
   */
  adaptive?: boolean;
}

export interface PoolStats {
  /** Workers configured. */
  threads: number;
  /** Workers instantiated and ready now. */
  ready: number;
  /** Dispatches that used a worker so far. */
  dispatches: number;
  /** Workers lost (died, stalled or failed to start) so far. */
  failures: number;
  /** Workers started so far (including replacements). */
  spawned: number;
}

interface Slot {
  worker: {
    terminate(): Promise<number>;
    unref(): void;
    on(ev: string, f: (...a: unknown[]) => void): unknown;
  };
  ctrl: Int32Array;
  args: Float64Array;
  gen: number;
  alive: boolean;
  /** Test hook: the next dispatch makes this worker exit (1) or hang (2). */
  fault: number;
  /** Byte address of this worker's own packing workspace in the shared memory (never reused). */
  readonly work: number;
}

export type WorkerCtor = new (
  src: string,
  opts: { eval: boolean; workerData: unknown; stdout?: boolean; stderr?: boolean },
) => Slot['worker'];

/** After this many lost workers the pool stops replacing them (the kernels then run single-threaded). */
const MAX_RESPAWNS = 8;

export class WorkerPool {
  readonly options: Required<PoolOptions> = {
    threads: 1,
    stallTimeoutMs: 10_000,
    minFlops: 2_000_000,
    adaptive: true,
  };
  /** Per log2(flops) size class: smoothed ms per Mflop single-threaded [0] and split [1], sample counts, calls. */
  private readonly perf = new Map<number, { t: [number, number]; n: [number, number]; calls: number }>();
  private slots: (Slot | null)[] = [];
  private dispatches = 0;
  private failures = 0;
  private spawned = 0;
  private WorkerClass: WorkerCtor | null = null;
  /** Workspaces of workers shut down between calls (idle, so safe to hand to a new worker). */
  private spareWork: number[] = [];
  private started = false;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly allocWorkspace: () => number,
    /** Node's worker_threads.Worker or BrowserWorkerAdapter (null: no pool on this platform). */
    WorkerClass: WorkerCtor | null,
    private readonly source: string = NODE_WORKER_SOURCE,
  ) {
    this.WorkerClass = WorkerClass;
  }

  /** Whether this platform can run the pool at all. */
  get supported(): boolean {
    return this.WorkerClass !== null;
  }

  configure(o: PoolOptions): void {
    if (o.threads !== undefined) {
      if (!Number.isInteger(o.threads) || o.threads < 0 || o.threads > 64) {
        throw new RangeError(`setPoolOptions: threads must be an integer in 0..64, got ${o.threads}`);
      }
      if (o.threads !== this.options.threads) {
        this.shutdown();
        this.options.threads = o.threads;
      }
    }
    if (o.stallTimeoutMs !== undefined) this.options.stallTimeoutMs = o.stallTimeoutMs;
    if (o.minFlops !== undefined) this.options.minFlops = o.minFlops;
    if (o.adaptive !== undefined) this.options.adaptive = o.adaptive;
  }

  /** Whether a product of `flops` should be split now (see PoolOptions.adaptive). */
  shouldSplit(flops: number): boolean {
    if (!this.options.adaptive) return true;
    const b = Math.floor(Math.log2(flops));
    let st = this.perf.get(b);
    if (!st) {
      st = { t: [0, 0], n: [0, 0], calls: 0 };
      this.perf.set(b, st);
    }
    st.calls++;
    if (st.n[1] < 3) return true;
    if (st.n[0] < 3) return false;
    const better = st.t[1] <= st.t[0];
    return st.calls % 16 === 0 ? !better : better;
  }

  /** Records how long a product of `flops` took, split or not. */
  record(flops: number, split: boolean, ms: number): void {
    if (!this.options.adaptive) return;
    const st = this.perf.get(Math.floor(Math.log2(flops)));
    if (!st) return;
    const i = split ? 1 : 0;
    const v = (ms * 1e6) / flops;
    st.t[i] = st.n[i] === 0 ? v : 0.75 * st.t[i] + 0.25 * v;
    st.n[i]++;
  }

  stats(): PoolStats {
    return {
      threads: this.options.threads,
      ready: this.readySlots().length,
      dispatches: this.dispatches,
      failures: this.failures,
      spawned: this.spawned,
    };
  }

  /** Starts the workers if not yet started (asynchronously: they report ready when instantiated). */
  ensureStarted(): void {
    if (this.started || !this.supported) return;
    this.started = true;
    for (let i = 0; i < this.options.threads; i++) this.spawn(i);
  }

  private spawn(i: number): void {
    if (this.failures >= MAX_RESPAWNS) return; // workers keep dying: give up and stay single-threaded
    const ctrlBuf = new SharedArrayBuffer(CTRL_BYTES);
    let worker: Slot['worker'];
    try {
      worker = new this.WorkerClass!(this.source, {
        eval: true,
        workerData: { module: this.module, memory: this.memory, ctrlBuf, ops: POOL_OPS },
      });
    } catch {
      this.failures++;
      return;
    }
    this.spawned++;
    const work = this.spareWork.pop() ?? this.allocWorkspace();
    if (work < 0) {
      void worker.terminate().catch(() => undefined);
      this.failures++;
      return;
    }
    const slot: Slot = {
      work,
      worker,
      ctrl: new Int32Array(ctrlBuf),
      args: new Float64Array(ctrlBuf, ARGS_BYTE_OFFSET, MAX_ARGS),
      gen: 0,
      alive: true,
      fault: 0,
    };
    worker.unref();
    worker.on('error', () => this.lose(slot, i));
    worker.on('exit', () => this.lose(slot, i));
    this.slots[i] = slot;
  }

  /** Marks a worker as gone (once) and schedules a replacement. */
  private lose(slot: Slot, i: number): void {
    if (!slot.alive) return;
    slot.alive = false;
    this.failures++;
    void slot.worker.terminate().catch(() => undefined);
    if (this.slots[i] === slot) {
      this.slots[i] = null;
      if (this.started) {
        const t = setTimeout(() => {
          if (this.started && this.slots[i] === null) this.spawn(i);
        }, 10);
        (t as { unref?: () => void }).unref?.();
      }
    }
  }

  private readySlots(): Slot[] {
    const out: Slot[] = [];
    for (const s of this.slots) if (s && s.alive && Atomics.load(s.ctrl, READY) === 1) out.push(s);
    return out;
  }

  /**
   * Workers ready to take a share of a product of `flops` flops now (empty: run on one thread).
   * Starts the pool on first use; workers still starting are not waited for.
   */
  available(flops: number): Slot[] {
    if (this.options.threads === 0 || flops < this.options.minFlops || !this.supported) return [];
    this.ensureStarted();
    return this.readySlots();
  }

  post(slot: Slot, op: PoolOp, args: readonly number[]): void {
    const idx = POOL_OPS.indexOf(op);
    for (let i = 0; i < args.length; i++) slot.args[i] = args[i]!;
    slot.ctrl[NARGS] = args.length;
    slot.ctrl[OP] = idx;
    slot.ctrl[FAULT] = slot.fault;
    slot.fault = 0;
    slot.gen = (slot.gen + 1) | 0;
    Atomics.store(slot.ctrl, REQ, slot.gen);
    Atomics.notify(slot.ctrl, REQ);
    this.dispatches++;
  }

  /**
   * Waits for a posted share. `mainMs` is how long the main thread took for its own share; the stall
   * limit scales with it. Throws (after shutting the worker down) if the worker does not finish.
   */
  wait(slot: Slot, mainMs: number, what: string): void {
    const ctrl = slot.ctrl;
    const gen = slot.gen;
    if (Atomics.load(ctrl, DONE) !== gen) {
      for (let spin = 0; spin < 20000 && Atomics.load(ctrl, DONE) !== gen; spin++);
    }
    if (Atomics.load(ctrl, DONE) !== gen) {
      const limit = Math.max(this.options.stallTimeoutMs, 50 * mainMs);
      const t0 = performance.now();
      for (;;) {
        const cur = Atomics.load(ctrl, DONE);
        if (cur === gen) break;
        const waited = performance.now() - t0;
        if (waited > limit) {
          const i = this.slots.indexOf(slot);
          this.lose(slot, i);
          throw new Error(
            `kernels: worker thread ${i + 1} did not finish its share of ${what} within ${Math.round(limit)} ms ` +
              `(it died or stalled). The output is incomplete. The worker was shut down; later calls run ` +
              `on the main thread until a replacement worker is ready.`,
          );
        }
        Atomics.wait(ctrl, DONE, cur, Math.min(20, limit - waited + 1));
      }
    }
    if (Atomics.load(ctrl, STATUS) !== 0) {
      throw new Error(`kernels: worker thread failed while running ${what}`);
    }
  }

  /**
   * Fraction of a split product given to each worker. Adapted after every dispatch from the measured
   * speed of both sides, so that a thread slowed down by other processes on a shared machine gets
   * less work instead of making the other one wait.
   */
  share = 0.5;

  /** Updates `share` from one dispatch: `mainUnits`/`mainMs` done by the main thread, the workers' by theirs. */
  balance(slots: Slot[], mainUnits: number, mainMs: number, workerUnits: number): void {
    if (mainMs <= 0.05 || mainUnits <= 0 || workerUnits <= 0) return;
    let wMs = 0;
    for (const s of slots) wMs += s.args[MAX_ARGS - 1]!;
    wMs /= slots.length;
    if (!(wMs > 0.05)) return;
    const wr = workerUnits / wMs;
    const mr = mainUnits / mainMs;
    const parts = slots.length + 1;
    // per-worker share that would make all threads finish together
    const target = wr / (mr + wr * (parts - 1));
    const next = 0.7 * this.share + 0.3 * target;
    const lo = 0.25 / parts;
    const hi = Math.min(0.9, 1.75 / parts);
    this.share = Math.min(hi, Math.max(lo, next));
  }

  /** Test hook: the next dispatch to worker `i` makes it exit ('exit') or hang forever ('hang'). */
  injectFault(i: number, kind: 'exit' | 'hang'): void {
    const s = this.slots[i];
    if (s) s.fault = kind === 'exit' ? 1 : 2;
  }

  /** Resolves once `n` workers are ready (or after `timeoutMs`); returns how many are ready. */
  async whenReady(timeoutMs = 5000, n = this.options.threads): Promise<number> {
    this.ensureStarted();
    const t0 = Date.now();
    while (this.readySlots().length < n && Date.now() - t0 < timeoutMs) {
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.readySlots().length;
  }

  /** Stops all workers (they are unref'd anyway; this frees them early). */
  shutdown(): void {
    this.started = false;
    for (const s of this.slots) {
      if (!s) continue;
      if (s.alive) this.spareWork.push(s.work); // idle: every dispatch was waited for
      s.alive = false;
      Atomics.store(s.ctrl, SHUTDOWN, 1);
      s.gen = (s.gen + 1) | 0;
      Atomics.store(s.ctrl, REQ, s.gen);
      Atomics.notify(s.ctrl, REQ);
      void s.worker.terminate().catch(() => undefined);
    }
    this.slots = [];
  }
}
