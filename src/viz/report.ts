/**
 * The HTML report of `unsupervised demo`: one self-contained index.html (inline CSS, no scripts,
 * no network) with a table of contents, run metadata, and per section what the seed deck shows
 * and what we got; figures are files beside it. summary.json carries the same numbers for
 * machines. All text is escaped; a section's `html` is trusted markup built with the viz helpers.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { ValidationError } from '../core/errors.js';
import { escapeHtml, formatNumber } from './format.js';
import { metricsHtml } from './table.js';

export interface ReportSection {
  /** Anchor id (letters, digits, '-', '_'). */
  id: string;
  title: string;
  /** What the seed deck shows for this topic. */
  seedSays: string;
  /** Trusted HTML of the section's results. */
  html: string;
  metrics?: Record<string, number | string>;
  /** Set when the section failed; shown in place of (or after) its html. */
  error?: { message: string; stack?: string };
  /** Wall time of the section. */
  durationMs?: number;
}

export interface ReportMeta {
  /** ISO date of the run (default: now). */
  date?: string;
  seed?: number;
  /** 'default' or 'full'. */
  profile?: string;
  /** Machine description (CPU model, cores, memory, OS). */
  machine?: string;
  /** Wall time of the whole run. */
  durationMs?: number;
  /** Anything else worth recording (command line, Node version, package version, kernel backend). */
  [extra: string]: string | number | boolean | undefined;
}

export interface Report {
  title: string;
  sections: ReportSection[];
  meta: ReportMeta;
}

/** Human duration: "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms - m * 60_000) / 1000);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

const CSS = `
:root{--fg:#1d2329;--muted:#5b6570;--line:#e3e6ea;--bg:#fafbfc;--accent:#1f6feb;--ok:#1a7f37;--bad:#cf222e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1260px;margin:0 auto;padding:28px 28px 60px}
header h1{font-size:28px;margin:0 0 4px}
header .sub{color:var(--muted);margin:0 0 18px}
h2{font-size:21px;margin:0 0 10px;display:flex;align-items:baseline;gap:10px;flex-wrap:wrap}
h2 .num{color:var(--muted);font-weight:500}
h3{font-size:16px;margin:18px 0 8px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:0 0 22px;box-shadow:0 1px 2px rgba(0,0,0,.03)}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 9px;vertical-align:middle}
.badge.ok{background:#dafbe1;color:var(--ok)}.badge.fail{background:#ffebe9;color:var(--bad)}
.dur{font-size:13px;color:var(--muted);font-weight:400}
.seed{border-left:4px solid #d0d7de;background:#f6f8fa;padding:8px 14px;margin:6px 0 14px;color:#333;border-radius:0 6px 6px 0}
.seed b{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em;display:block}
.error{border:1px solid #ffcecb;background:#fff5f5;color:#82071e;padding:10px 14px;border-radius:6px;margin:10px 0}
.error pre{white-space:pre-wrap;font-size:12px;color:#555;margin:8px 0 0}
nav.toc ol{margin:0;padding-left:22px;columns:2;column-gap:40px}
nav.toc li{margin:2px 0;break-inside:avoid}
nav.toc .dur{margin-left:6px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #cfd5db;background:#f6f8fa;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
caption{caption-side:top;text-align:left;color:var(--muted);font-size:13px;padding-bottom:4px}
table.meta td:first-child{color:var(--muted);white-space:nowrap}
table.metrics{font-size:13px}
.figs{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
figure{margin:8px 0 14px;max-width:100%}
figure img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#fff;image-rendering:auto}
figure img.pixel,figure img[src$=".png"]{image-rendering:pixelated}
figcaption{font-size:13px;color:var(--muted);margin-top:4px;max-width:560px}
details summary{cursor:pointer;color:var(--muted);font-size:13px}
.note{color:var(--muted);font-size:13.5px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
footer{color:var(--muted);font-size:12.5px;text-align:center;margin-top:30px}
`;

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '-');
}

function metaRows(meta: ReportMeta): [string, string][] {
  const rows: [string, string][] = [];
  const known: Record<string, (v: string | number | boolean) => string> = {
    date: (v) => String(v),
    profile: (v) => String(v),
    seed: (v) => String(v),
    machine: (v) => String(v),
    durationMs: (v) => formatDuration(Number(v)),
  };
  const labels: Record<string, string> = {
    date: 'date',
    profile: 'profile',
    seed: 'seed',
    machine: 'machine',
    durationMs: 'total time',
  };
  for (const k of Object.keys(known)) {
    const v = meta[k];
    if (v !== undefined) rows.push([labels[k]!, known[k]!(v)]);
  }
  for (const [k, v] of Object.entries(meta)) {
    if (k in known || v === undefined) continue;
    rows.push([k, typeof v === 'number' ? formatNumber(v, 6) : String(v)]);
  }
  return rows;
}

/** The report as one HTML string (no file access; usable in the browser too). */
export function renderReportHtml(report: Report): string {
  checkReport('renderReportHtml', report);
  const { title, sections, meta } = report;
  const failed = sections.filter((s) => s.error).length;
  const date = meta.date ?? new Date().toISOString();
  const subtitle = [
    `${sections.length} section${sections.length === 1 ? '' : 's'}`,
    failed ? `${failed} failed` : 'all succeeded',
    meta.profile ? `${meta.profile} profile` : '',
    meta.durationMs !== undefined ? formatDuration(meta.durationMs) : '',
    date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
  ]
    .filter(Boolean)
    .join(' · ');

  const toc = sections
    .map((s) => {
      const badge = s.error ? ' <span class="badge fail">failed</span>' : '';
      const dur =
        s.durationMs !== undefined
          ? `<span class="dur">${escapeHtml(formatDuration(s.durationMs))}</span>`
          : '';
      return `<li><a href="#${safeId(s.id)}">${escapeHtml(s.title)}</a>${badge}${dur}</li>`;
    })
    .join('');

  const body = sections
    .map((s, i) => {
      const badge = s.error ? '<span class="badge fail">failed</span>' : '<span class="badge ok">ok</span>';
      const dur =
        s.durationMs !== undefined
          ? `<span class="dur">${escapeHtml(formatDuration(s.durationMs))}</span>`
          : '';
      const err = s.error
        ? `<div class="error"><strong>This section failed:</strong> ${escapeHtml(s.error.message)}` +
          (s.error.stack
            ? `<details><summary>stack trace</summary><pre>${escapeHtml(s.error.stack)}</pre></details>`
            : '') +
          `</div>`
        : '';
      const metrics =
        s.metrics && Object.keys(s.metrics).length
          ? `<details open><summary>key numbers (also in summary.json)</summary>${metricsHtml(s.metrics)}</details>`
          : '';
      return (
        `<section class="card" id="${safeId(s.id)}">` +
        `<h2><span class="num">${i + 1}.</span> ${escapeHtml(s.title)} ${badge} ${dur}</h2>` +
        `<div class="seed"><b>What the seed deck shows</b>${escapeHtml(s.seedSays)}</div>` +
        err +
        (s.html ? `<div class="got">${s.html}</div>` : '') +
        metrics +
        `</section>`
      );
    })
    .join('\n');

  const metaTable =
    '<table class="meta"><tbody>' +
    metaRows({ ...meta, date })
      .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`)
      .join('') +
    '</tbody></table>';

  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>` +
    `<header><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(subtitle)}</p></header>` +
    `<div class="card"><h3 style="margin-top:0">Contents</h3><nav class="toc"><ol>${toc}</ol></nav>` +
    `<h3>Run</h3>${metaTable}</div>\n` +
    body +
    `\n<footer>Generated by <code>unsupervised demo</code>. Figures are files beside this page; numbers are also in summary.json.</footer>` +
    `</main></body></html>\n`
  );
}

/** The machine-readable summary written beside index.html. */
export function reportSummary(report: Report): Record<string, unknown> {
  return {
    title: report.title,
    ok: report.sections.every((s) => !s.error),
    meta: { ...report.meta, date: report.meta.date ?? new Date().toISOString() },
    sections: report.sections.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.error ? 'failed' : 'ok',
      durationMs: s.durationMs ?? null,
      metrics: s.metrics ?? {},
      ...(s.error ? { error: s.error.message } : {}),
    })),
  };
}

/**
 * Writes `outDir/index.html` and `outDir/summary.json` (creating outDir). Returns the path of
 * index.html. Example:
 *   writeReport('report', { title: 'MNIST', sections: [{ id: 'pca', title: 'PCA', seedSays: '…', html }], meta: { seed: 0 } })
 */
export function writeReport(outDir: string, report: Report): string {
  if (typeof outDir !== 'string' || outDir === '')
    throw new ValidationError(`writeReport: outDir must be a folder path; got ${JSON.stringify(outDir)}`);
  checkReport('writeReport', report);
  const fs = builtin<typeof NodeFs>('node:fs');
  const path = builtin<typeof NodePath>('node:path');
  fs.mkdirSync(outDir, { recursive: true });
  const index = path.join(outDir, 'index.html');
  fs.writeFileSync(index, renderReportHtml(report));
  fs.writeFileSync(
    path.join(outDir, 'summary.json'),
    JSON.stringify(reportSummary(report), jsonReplacer, 2) + '\n',
  );
  return index;
}

function checkReport(fn: string, report: Report): void {
  if (!report || typeof report.title !== 'string' || !Array.isArray(report.sections) || !report.meta) {
    throw new ValidationError(`${fn}: report must be { title: string, sections: ReportSection[], meta: {} }`);
  }
  report.sections.forEach((s, i) => {
    for (const key of ['id', 'title', 'seedSays', 'html'] as const) {
      if (typeof s?.[key] !== 'string')
        throw new ValidationError(
          `${fn}: report.sections[${i}].${key} must be a string; got ${typeof s?.[key]}`,
        );
    }
  });
}

// Node built-ins fetched at call time, so importing viz never pulls `fs` into a browser bundle.
function builtin<T>(id: string): T {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const m = proc?.getBuiltinModule?.(id) as T | undefined;
  if (!m) throw new Error('writeReport needs Node.js >= 20.16 (use renderReportHtml in the browser)');
  return m;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  // JSON has no NaN/Infinity: write them as strings rather than silently as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
