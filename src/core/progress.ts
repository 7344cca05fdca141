/**
 * Progress and cancellation conventions for iterative work.
 *
 * Every iterative estimator accepts `onProgress` and `signal` in its options. `onProgress` is called
 * with `{ iteration, total, loss, elapsedMs }` (and method-specific extras); returning `false` from it
 * stops the run early and keeps the partial result, exactly as an aborted signal does, and the
 * estimator records why it stopped in `stopReason`.
 */
import { AbortError } from './errors.js';

export interface ProgressEvent {
  /** 1-based iteration (or epoch/batch) just completed. */
  iteration: number;
  /** Planned number of iterations (an upper bound when the method can stop early). */
  total: number;
  /** Current value of the objective, when the method computes one at this step. */
  loss?: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** Free-form stage name ("early exaggeration", "epoch", "init 3/10"). */
  stage?: string;
  /** Method-specific extras (e.g. throughput, validation loss). */
  [extra: string]: unknown;
}

/** Return `false` to stop the run and keep the partial result. */
export type ProgressCallback = (event: ProgressEvent) => void | boolean;

export type StopReason = 'converged' | 'maxIter' | 'callback' | 'aborted';

export interface IterativeOptions {
  /** Called after each iteration (or every few, as the method documents). */
  onProgress?: ProgressCallback;
  /** Stops the run when aborted; the partial result is kept (`stopReason = 'aborted'`). */
  signal?: AbortSignal;
}

/** Small helper that owns the clock and the stop logic of one run. */
export class ProgressReporter {
  private readonly start = now();
  constructor(
    private readonly options: IterativeOptions,
    private readonly total: number,
  ) {}

  get elapsedMs(): number {
    return now() - this.start;
  }

  /** True when the signal is aborted. */
  get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /**
   * Reports one iteration; returns the reason to stop ('callback' or 'aborted'), or null to go on.
   */
  report(iteration: number, loss?: number, extra: Record<string, unknown> = {}): StopReason | null {
    if (this.aborted) return 'aborted';
    const cb = this.options.onProgress;
    if (cb) {
      const r = cb({ ...extra, iteration, total: this.total, loss, elapsedMs: this.elapsedMs });
      if (r === false) return 'callback';
    }
    return this.aborted ? 'aborted' : null;
  }
}

/** Throws an AbortError when `signal` is aborted (for work that cannot keep a partial result). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
