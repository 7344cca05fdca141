/** HTML tables for the report: every cell escaped, numbers formatted and right-aligned. */
import { ValidationError } from '../core/errors.js';
import { checkNumber } from './check.js';
import { escapeHtml, formatNumber } from './format.js';

export interface TableOptions {
  /** Caption above the table. */
  caption?: string;
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
  /** CSS class of the <table> (default "data"). */
  className?: string;
}

// Pre-formatted numbers ("9.87%", "1,234", "−0.5", "3.2e-4 s") align right like numbers.
const NUMERIC = /^[−+-]?[\d,]*\.?\d+(e[−+-]?\d+)?\s?(%|×|ms|s)?$/;

/** An HTML <table> with a header row; numbers are formatted (`formatNumber`), all text escaped. */
export function tableHtml(header: string[], rows: (string | number)[][], options: TableOptions = {}): string {
  if (!Array.isArray(header)) throw new ValidationError(`tableHtml: header must be an array of strings`);
  if (!Array.isArray(rows)) throw new ValidationError(`tableHtml: rows must be an array of rows`);
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== header.length) {
      throw new ValidationError(
        `tableHtml: rows is ragged: row ${i} has ${Array.isArray(r) ? r.length : 'no'} cells, the header has ${header.length}`,
      );
    }
  });
  checkNumber('tableHtml', 'digits', options.digits, 1, 17, true);
  const digits = options.digits ?? 4;
  const cell = (v: string | number, tag: 'td' | 'th'): string =>
    typeof v === 'number'
      ? `<${tag} class="num">${escapeHtml(formatNumber(v, digits))}</${tag}>`
      : `<${tag}${NUMERIC.test(v) ? ' class="num"' : ''}>${escapeHtml(v)}</${tag}>`;
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  const head = `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map((v) => cell(v, 'td')).join('')}</tr>`).join('');
  return `<table class="${escapeHtml(options.className ?? 'data')}">${caption}${head}<tbody>${body}</tbody></table>`;
}

/** A two-column table of named numbers (a section's key metrics). */
export function metricsHtml(metrics: Record<string, number | string>, options: TableOptions = {}): string {
  return tableHtml(
    ['metric', 'value'],
    Object.entries(metrics).map(([k, v]) => [k, v]),
    { className: 'metrics', ...options },
  );
}

/** A figure: `src` is a file name beside index.html; caption is escaped. */
export function figureHtml(
  src: string,
  caption: string,
  options: { width?: number; alt?: string } = {},
): string {
  const w = options.width ? ` width="${Math.round(options.width)}"` : '';
  return `<figure><img src="${escapeHtml(src)}" alt="${escapeHtml(options.alt ?? caption)}"${w}><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** Figures side by side (wrapping on narrow screens). */
export function figureRow(...figures: string[]): string {
  return `<div class="figs">${figures.join('')}</div>`;
}
