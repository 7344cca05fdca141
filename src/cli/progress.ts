/**
 * Terminal progress for the CLI, on stderr so that stdout stays clean for data and paths.
 * On a TTY: a cli-progress bar per stage. Otherwise (CI, pipes, log files): plain lines, at most one
 * per 10% step and never more often than every 2 s, plus a final "done in" line, so logs stay short.
 */
import cliProgress from 'cli-progress';
import type { Progress } from './demo/types.js';
import { formatDuration } from '../viz/report.js';

export interface ProgressFactoryOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WriteStream;
  /** Force bars (true) or plain lines (false); default: bars when the stream is a TTY. */
  tty?: boolean;
  /** Print nothing. */
  quiet?: boolean;
  /** Prefix of every label (e.g. "[3/9] "). */
  prefix?: string;
}

export type ProgressFactory = (label: string, total: number) => Progress;

function clampTotal(total: number): number {
  return Number.isFinite(total) && total > 0 ? Math.floor(total) : 1;
}

/** A `Progress` that draws a cli-progress bar (TTY). */
class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;
  private readonly start = Date.now();
  private stopped = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label.padEnd(28).slice(0, 40)} {bar} {percentage}% | {value}/{total} | {duration_formatted} | {status}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        fps: 8,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { status: '' });
  }

  update(done: number, status?: string): void {
    if (this.stopped) return;
    this.bar.update(Math.max(0, Math.min(this.total, done)), { status: status ?? '' });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bar.stop();
    this.stream.write(`${this.label}: done in ${formatDuration(Date.now() - this.start)}\n`);
  }
}

/** A `Progress` that prints occasional plain lines (not a TTY). */
class LineProgress implements Progress {
  private readonly start = Date.now();
  private lastDecile = 0;
  private lastTime = 0;
  private stopped = false;
  private lastStatus = '';

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream | { write(s: string): unknown },
  ) {}

  update(done: number, status?: string): void {
    if (this.stopped) return;
    if (status) this.lastStatus = status;
    const decile = Math.floor((10 * Math.max(0, Math.min(this.total, done))) / this.total);
    const now = Date.now();
    if (decile > this.lastDecile && decile < 10 && now - this.lastTime >= 2000) {
      this.lastDecile = decile;
      this.lastTime = now;
      const s = status ? ` ${status}` : '';
      this.stream.write(`${this.label}: ${decile * 10}% (${done}/${this.total})${s}\n`);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const s = this.lastStatus ? ` (${this.lastStatus})` : '';
    this.stream.write(`${this.label}: done in ${formatDuration(Date.now() - this.start)}${s}\n`);
  }
}

const SILENT: Progress = { update() {}, stop() {} };

/** Makes progress bars (TTY) or plain progress lines (otherwise) on stderr. */
export function progressFactory(options: ProgressFactoryOptions = {}): ProgressFactory {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? !!stream.isTTY;
  const prefix = options.prefix ?? '';
  return (label, total) => {
    if (options.quiet) return SILENT;
    const t = clampTotal(total);
    return tty ? new BarProgress(prefix + label, t, stream) : new LineProgress(prefix + label, t, stream);
  };
}
