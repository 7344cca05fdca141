/**
 * The demo's building blocks. `unsupervised demo` loads real MNIST once, then runs each registered
 * section in order; each section runs its methods for real, writes its figures (PNG/SVG) into
 * `ctx.outDir`, and returns HTML for its part of `report/index.html`.
 *
 * Writing a section: build figures with src/viz (imageGridPng, scatterSvg, lineChartSvg, heatmapSvg,
 * barChartSvg, labelledImageGridSvg), save them with `ctx.writeFile('<id>-<name>.svg', svg)`, and
 * compose the HTML with `figureRow(figureHtml(file, caption), ...)`, `tableHtml(header, rows)` and
 * `<p class="note">` for remarks; escape any text you interpolate yourself (`escapeHtml`). The report
 * prints the title, `seedSays`, the html, then `metrics` as a table. A thrown error is shown in the
 * section and makes the command exit 1 after the other sections ran. Try one with
 * `npx tsx src/cli/main.ts demo --only <id> --out /tmp/r`.
 */
import type { Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';

export interface LabelledImages {
  /** n × 784, pixel values scaled to [0, 1] (float64). */
  X: Matrix<Float64Array>;
  /** n labels 0..9. */
  y: Int32Array;
  width: number;
  height: number;
}

/** A terminal progress bar for one stage of the demo. */
export interface Progress {
  /** Sets the completed count (0..total) and an optional status text (e.g. "KL 2.31"). */
  update(done: number, status?: string): void;
  /** Marks the stage done and prints its duration. */
  stop(): void;
}

export interface DemoContext {
  /** MNIST training set (60,000 digits; lazily subset by sections). */
  train: LabelledImages;
  /** MNIST test set (10,000 digits). */
  test: LabelledImages;
  /** Seeded generator for this section (forked per section so sections are independent). */
  rng: Rng;
  seed: number;
  /** Folder of the report; write figures here and reference them by file name. */
  outDir: string;
  /** `--full`: run at full scale instead of the default ~5-minute profile. */
  full: boolean;
  /**
   * Creates a progress bar with `total` steps labelled `label` (a bar on a terminal, occasional
   * lines otherwise). Call `stop()` when the stage ends; bars left open are stopped after the section.
   */
  progress(label: string, total: number): Progress;
  /**
   * Writes a file (PNG bytes or SVG/JSON text) into outDir; returns its file name, to use in
   * `<img src>` (e.g. with `figureHtml` from src/viz). Start names with the section id
   * ("kmeans-centres.png"): a name another section already wrote is an error, and so is a path
   * leaving outDir.
   */
  writeFile(name: string, content: Uint8Array | string): string;
}

export interface SectionResult {
  /** HTML body of the section (figures as <img src="file">, tables, numbers). */
  html: string;
  /** Key numbers, also written to report/summary.json (e.g. { ari: 0.37, inertia: 2.5e6 }). */
  metrics?: Record<string, number | string>;
}

export interface DemoSection {
  /** Stable id, used as the HTML anchor and for `--only`. */
  id: string;
  title: string;
  /** What the seed deck shows for this topic (one or two sentences, cited by seed file). */
  seedSays: string;
  run(ctx: DemoContext): Promise<SectionResult>;
}
