/**
 * Runs the demo: loads real MNIST once, runs the registered sections in order, each with its own
 * seeded Rng and progress bars, catches a failing section (the report shows its error), and writes
 * report/index.html + summary.json.
 *
 * Each section's Rng is `new Rng(seed, stream(id))`, a stream derived from the section id rather
 * than forked in sequence, so `--only clustering` gives the same numbers as that section in a full run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { Rng } from '../../core/rng.js';
import { loadMnist } from '../../datasets/index.js';
import { formatDuration, writeReport, type ReportSection } from '../../viz/report.js';
import { UsageError } from '../errors.js';
import { machineDescription, packageVersion } from '../machine.js';
import { progressFactory, type ProgressFactory } from '../progress.js';
import { SECTIONS } from './sections.js';
import type { DemoContext, DemoSection, LabelledImages, Progress } from './types.js';

export interface DemoOptions {
  /** Report folder (default 'report'). */
  outDir?: string;
  /** Full-scale profile instead of the ~5-minute default. */
  full?: boolean;
  seed?: number;
  /** Section ids to run (default: all, in registry order). */
  only?: string[];
  /** Sections to choose from (default: the registry in sections.ts). */
  sections?: DemoSection[];
  /** Progress bars (default: on stderr, bars on a TTY, lines otherwise). */
  progress?: ProgressFactory;
  /** Status lines (default: stderr). */
  log?: (line: string) => void;
  /** Data (default: real MNIST via loadMnist); tests inject small sets. */
  data?: { train: LabelledImages; test: LabelledImages };
  /** Recorded in the report's metadata. */
  commandLine?: string;
}

export interface DemoResult {
  /** Path of index.html. */
  indexPath: string;
  sections: ReportSection[];
  failed: string[];
  durationMs: number;
}

/** FNV-1a hash of the id: a stable stream number per section. */
function streamOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Chooses the sections named by `only` (in registry order); unknown ids name the known ones. */
export function selectSections(all: DemoSection[], only: string[] | undefined): DemoSection[] {
  const ids = all.map((s) => s.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`two demo sections share the id '${dup}'`);
  if (!only || only.length === 0) return all;
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length) {
    const list = unknown.map((u) => `'${u}'`).join(', ');
    throw new UsageError(
      `unknown section id${unknown.length > 1 ? 's' : ''} ${list}; known sections: ${ids.join(', ')}`,
    );
  }
  return all.filter((s) => only.includes(s.id));
}

function checkFileName(name: string): string {
  const n = normalize(name);
  if (!name || isAbsolute(name) || n.startsWith('..') || n.includes('\0')) {
    throw new Error(`writeFile: '${name}' must be a relative file name inside the report folder`);
  }
  return n;
}

function loadRealMnist(log: (s: string) => void): { train: LabelledImages; test: LabelledImages } {
  const t = Date.now();
  // loadMnist's default dtype is float64, which is what LabelledImages promises.
  const train = loadMnist({ split: 'train', dtype: 'float64' }) as LabelledImages;
  const test = loadMnist({ split: 'test', dtype: 'float64' }) as LabelledImages;
  log(`loaded MNIST: ${train.X.rows} train + ${test.X.rows} test digits in ${Date.now() - t} ms`);
  return { train, test };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const t0 = Date.now();
  const outDir = resolve(options.outDir ?? 'report');
  const seed = options.seed ?? 0;
  const full = options.full ?? false;
  const log = options.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const chosen = selectSections(options.sections ?? SECTIONS, options.only);
  mkdirSync(outDir, { recursive: true });

  const data = options.data ?? loadRealMnist(log);

  const written = new Map<string, string>();
  const results: ReportSection[] = [];
  const failed: string[] = [];
  for (let k = 0; k < chosen.length; k++) {
    const section = chosen[k]!;
    const prefix = `[${k + 1}/${chosen.length}] `;
    log(`${prefix}${section.title}`);
    const factory = options.progress ?? progressFactory({ prefix });
    const open: Progress[] = [];
    const ctx: DemoContext = {
      train: data.train,
      test: data.test,
      rng: new Rng(seed, streamOf(section.id)),
      seed,
      outDir,
      full,
      progress(label, total) {
        const p = factory(label, total);
        open.push(p);
        return p;
      },
      writeFile(name, content) {
        const file = checkFileName(name);
        const owner = written.get(file);
        if (owner !== undefined && owner !== section.id) {
          throw new Error(
            `writeFile: '${file}' was already written by section '${owner}'; prefix file names with the section id`,
          );
        }
        written.set(file, section.id);
        const path = join(outDir, file);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, content);
        return file;
      },
    };
    const s0 = Date.now();
    const entry: ReportSection = {
      id: section.id,
      title: section.title,
      seedSays: section.seedSays,
      html: '',
    };
    try {
      const r = await section.run(ctx);
      entry.html = r.html;
      if (r.metrics) entry.metrics = r.metrics;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      entry.error = { message: `${e.name}: ${e.message}`, stack: e.stack };
      failed.push(section.id);
      log(`${prefix}${section.title} FAILED: ${e.message}`);
    } finally {
      for (const p of open) p.stop(); // a bar left running would keep the cursor hidden
    }
    entry.durationMs = Date.now() - s0;
    results.push(entry);
  }

  const durationMs = Date.now() - t0;
  // One line per section at the end, to see where the ~5-minute budget goes.
  log('time per section:');
  for (const r of results) {
    log(`  ${r.id.padEnd(18)} ${formatDuration(r.durationMs ?? 0).padStart(10)}${r.error ? '  FAILED' : ''}`);
  }
  log(`  ${'total'.padEnd(18)} ${formatDuration(durationMs).padStart(10)}`);
  let backend = 'unknown';
  try {
    const { getBackend } = await import('../../kernels/index.js');
    const b = getBackend();
    backend = b.description ? `${b.name}: ${b.description}` : b.name;
  } catch {
    // kernels not loadable: leave 'unknown'
  }
  const indexPath = writeReport(outDir, {
    title: 'unsupervised — the course on real MNIST',
    sections: results,
    meta: {
      date: new Date(t0).toISOString(),
      profile: full ? 'full' : 'default (subsets; --full for full scale)',
      seed,
      machine: machineDescription(),
      durationMs,
      node: process.version,
      version: packageVersion(),
      kernels: backend,
      data: `MNIST ${data.train.X.rows} train + ${data.test.X.rows} test`,
      ...(options.commandLine ? { command: options.commandLine } : {}),
    },
  });
  return { indexPath, sections: results, failed, durationMs };
}
