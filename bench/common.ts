/**
 * Shared helpers for the benches: warm medians, machine description, markdown tables, result files,
 * and running a Python snippet (numpy / scikit-learn / PyTorch from Debian's /usr/bin/python3) for
 * side-by-side timings. Benches are run by hand; nothing here is used by the library or its tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Timing {
  /** Median wall time of one call, ms. */
  median: number;
  min: number;
  reps: number;
  /**
   * Median CPU time of one call, ms (all threads of this process). On a machine shared with other
   * work, single-threaded code's flops per CPU-second estimate its speed on a quiet machine.
   */
  cpuMedian: number;
  /** Total CPU ms over all timed calls (for short multi-threaded calls: Linux accounts another running thread's time only at scheduler ticks, so per-call CPU times undercount; totals over 100s of ms do not). */
  cpuTotal: number;
}

/**
 * Times `fn`: `warmup` untimed calls, then repetitions until both `reps` calls and `minMs` of total
 * time are reached (at most `maxReps`). Returns the median.
 */
export function timeIt(
  fn: () => void,
  o: { warmup?: number; warmupMs?: number; reps?: number; minMs?: number; maxReps?: number } = {},
): Timing {
  const warmup = o.warmup ?? 1;
  // JIT-compiled code (TypeScript kernels) needs time for the optimising compiler, which runs on a
  // background thread and is late on a busy machine: keep warming up for warmupMs
  const w0 = performance.now();
  while (performance.now() - w0 < (o.warmupMs ?? 0)) fn();
  const reps = o.reps ?? 5;
  const minMs = o.minMs ?? 200;
  const maxReps = o.maxReps ?? 200;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const cpus: number[] = [];
  let total = 0;
  while ((times.length < reps || total < minMs) && times.length < maxReps) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    times.push(dt);
    cpus.push((c.user + c.system) / 1000);
    total += dt;
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return {
    median: times[times.length >> 1]!,
    min: times[0]!,
    reps: times.length,
    cpuMedian: cpus[cpus.length >> 1]!,
    cpuTotal: cpus.reduce((a, b) => a + b, 0),
  };
}

/** GFLOPS for `flops` done in `ms`. */
export function gflops(flops: number, ms: number): number {
  return flops / ms / 1e6;
}

export function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x.toFixed(digits);
}

/** One line about the machine and its load (benches on a shared machine must say how busy it was). */
export function machineInfo(): string {
  const c = cpus();
  const la = loadavg()
    .map((v) => v.toFixed(2))
    .join(', ');
  return `${c.length} cores (${c[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${la}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * How much two threads of plain compute-bound JavaScript get done together compared with one alone
 * (best of `tries`): about 2 on two free cores, about 1 when the two vCPUs share one physical core or
 * one of them is busy. Reported by benches so that 2-thread figures can be read correctly.
 */
export async function twoThreadScaling(tries = 3): Promise<number> {
  const { Worker } = await import('node:worker_threads');
  const src =
    'let x = 0; const t0 = performance.now(); let n = 0; ' +
    'while (performance.now() - t0 < 250) { for (let i = 0; i < 100000; i++) x = (x * 1103515245 + 12345) | 0; n++; } n';
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => parentPort.postMessage(eval(${JSON.stringify(src)})));`,
    { eval: true },
  );
  let best = 0;
  try {
    await new Promise((r) => setTimeout(r, 200));
    for (let t = 0; t < tries; t++) {
      const alone = eval(src) as number;
      const theirs = new Promise<number>((r) => w.once('message', r));
      w.postMessage(0);
      const mine = eval(src) as number;
      best = Math.max(best, (mine + (await theirs)) / alone);
    }
  } finally {
    await w.terminate();
  }
  return best;
}

export function mdTable(header: string[], rows: (string | number)[][]): string {
  const line = (r: (string | number)[]) => `| ${r.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Writes bench/results/<area>.md and prints it. */
export function writeResults(area: string, markdown: string): void {
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${area}.md`;
  writeFileSync(file, markdown.trimEnd() + '\n');
  console.log(markdown);
  console.log(`\n(written to ${file})`);
}

export const PYTHON = '/usr/bin/python3';

/** Whether /usr/bin/python3 exists and imports all `modules`. */
export function pythonHas(...modules: string[]): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a Python snippet and parses the JSON it prints on its last line (null when Python is missing
 * or the snippet fails; the error goes to stderr).
 */
export function runPython<T = unknown>(
  code: string,
  timeoutMs = 600_000,
  env: Record<string, string> = {},
): T | null {
  if (!existsSync(PYTHON)) return null;
  try {
    const out = execFileSync(PYTHON, ['-c', code], {
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = out.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]!) as T;
  } catch (e) {
    console.error(`python snippet failed: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

/** Python prelude: a `bench(f)` that returns the median ms of warm runs, mirroring timeIt. */
export const PY_TIMER = `
import time, json
def bench(f, reps=5, min_ms=200, warmup=1, max_reps=200):
    for _ in range(warmup): f()
    ts = []
    total = 0.0
    while (len(ts) < reps or total < min_ms) and len(ts) < max_reps:
        t0 = time.perf_counter(); f(); dt = (time.perf_counter() - t0) * 1000
        ts.append(dt); total += dt
    ts.sort()
    return ts[len(ts) // 2]
def bench_cpu(f, reps=5, min_ms=200, warmup=1, max_reps=200):
    # (median wall ms, median CPU ms of the process) per call
    for _ in range(warmup): f()
    ts = []; cs = []
    total = 0.0
    while (len(ts) < reps or total < min_ms) and len(ts) < max_reps:
        c0 = time.process_time(); t0 = time.perf_counter(); f()
        dt = (time.perf_counter() - t0) * 1000; dc = (time.process_time() - c0) * 1000
        ts.append(dt); cs.append(dc); total += dt
    ts.sort(); cs.sort()
    return [ts[len(ts) // 2], cs[len(cs) // 2]]
`;
