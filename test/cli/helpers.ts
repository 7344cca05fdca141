import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import type { LabelledImages } from '../../src/cli/demo/types.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Newest modification time of the .ts files under `dir`. */
function newestTs(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestTs(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** The built CLI when it is at least as new as the CLI and viz sources, else undefined. */
function freshDist(): string | undefined {
  const dist = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(dist)) return undefined;
  const src = Math.max(newestTs(join(ROOT, 'src', 'cli')), newestTs(join(ROOT, 'src', 'viz')));
  return statSync(dist).mtimeMs >= src ? dist : undefined;
}

/**
 * Runs the `unsupervised` command as a user would: the built dist/cli/main.js when it is fresh
 * (`npm test` builds first), else the TypeScript source through tsx (a stale dist/ would test old code).
 */
export function cli(
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): { code: number; stdout: string; stderr: string } {
  const dist = freshDist();
  // tsx by absolute URL: `--import tsx` would resolve from the child's cwd.
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const argv = dist ? [dist, ...args] : ['--import', tsx, join(ROOT, 'src', 'cli', 'main.ts'), ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 90_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A tiny labelled image set (n images of 28×28, labels cycling 0..9). */
export function tinyImages(n: number, seed = 0): LabelledImages {
  const rng = new Rng(seed);
  const X = new Matrix(new Float64Array(n * 784), n, 784);
  for (let i = 0; i < n * 784; i++) X.data[i] = rng.random() < 0.8 ? 0 : rng.random();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = i % 10;
  return { X, y, width: 28, height: 28 };
}
