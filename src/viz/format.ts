/**
 * Text helpers shared by the SVG and HTML writers: escaping (every piece of text that reaches a
 * figure or the report goes through `escapeXml`/`escapeHtml`), compact number formatting, and
 * "nice" axis ticks (1, 2, 5 × 10^k steps, as d3-scale's `ticks`).
 */
import { ValidationError } from '../core/errors.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML/XML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Same as `escapeHtml`; the name says where it is used. */
export const escapeXml = escapeHtml;

/**
 * Formats a number for a label or a table cell: integers as integers (with thin grouping for
 * large ones), others with `digits` significant digits, exponent notation for very small/large.
 */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (Number.isInteger(x) && ax < 1e15) {
    return ax >= 1e4 ? x.toLocaleString('en-US') : String(x);
  }
  if (ax >= 1e6 || ax < 1e-3) return trimExp(x.toExponential(Math.max(0, digits - 1)));
  const s = x.toPrecision(digits);
  return s.includes('e') ? trimExp(s) : s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function trimExp(s: string): string {
  // 1.200e+5 -> 1.2e5 ; 3.000e-4 -> 3e-4
  return s.replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/**
 * Formats a tick value; `step` decides the number of decimals so ticks line up (0.5, 1.0, 1.5), and
 * `ref` (the largest |tick| of the axis, default |x|) picks one unit suffix for the whole axis:
 * 350k … 700k, 0.5M … 2.5M, rather than a mix of 500,000 and 1.0M.
 */
export function formatTick(x: number, step: number, ref = Math.abs(x)): string {
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax < 1e-4 && ref < 1e-3) return trimExp(x.toExponential(2));
  if (ref >= 1e5) {
    const [div, suffix] =
      ref >= 1e12 ? [1e12, 'T'] : ref >= 1e9 ? [1e9, 'G'] : ref >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
    const dec = Math.max(0, Math.min(6, -Math.floor(Math.log10(step / div) + 1e-9)));
    return (x / div).toFixed(dec) + suffix;
  }
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const s = x.toFixed(decimals);
  return ax >= 1e4 && decimals === 0 ? Number(s).toLocaleString('en-US') : s;
}

/** Round-number ticks covering [min, max] with about `count` intervals. Returns the ticks and step. */
export function niceTicks(min: number, max: number, count = 5): { ticks: number[]; step: number } {
  if (!(Number.isFinite(min) && Number.isFinite(max))) return { ticks: [], step: 1 };
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  if (min > max) [min, max] = [max, min];
  const raw = (max - min) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const r = raw / mag;
  const step = (r >= 7.5 ? 10 : r >= 3.5 ? 5 : r >= 1.5 ? 2 : 1) * mag;
  const start = Math.ceil(min / step - 1e-9);
  const end = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = start; k <= end; k++) ticks.push(roundTo(k * step, step));
  return { ticks, step };
}

/** Expands [min, max] outward to multiples of the nice step so the axis starts and ends on a tick. */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  const { step } = niceTicks(min, max, count);
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - pad, max + pad];
  }
  return [
    roundTo(Math.floor(min / step + 1e-9) * step, step),
    roundTo(Math.ceil(max / step - 1e-9) * step, step),
  ];
}

/**
 * Powers of ten (and 2×, 5× when the range is short) inside [min, max] > 0, for log axes; falls back
 * to linear nice ticks when the range is too short to hold two of those.
 */
export function logTicks(min: number, max: number): number[] {
  // A zero or negative bound would make the decade loop below start at −∞ and never end.
  if (!(min > 0 && max >= min && Number.isFinite(max))) {
    throw new ValidationError(`logTicks: needs 0 < min <= max < Infinity; got min=${min}, max=${max}`);
  }
  const t = logTicksRaw(min, max);
  if (t.length >= 2) return t;
  return niceTicks(min, max, 4).ticks.filter((v) => v > 0);
}

function logTicksRaw(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const out: number[] = [];
  const mult = Math.log10(max / min) <= 2.3 ? [1, 2, 5] : [1];
  for (let e = lo; e <= hi; e++) {
    for (const m of mult) {
      const v = m * Math.pow(10, e);
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(roundSig(v));
    }
  }
  return out;
}

function roundTo(x: number, step: number): number {
  // Removes floating-point dust such as 0.30000000000000004 from k * step.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(x.toFixed(Math.min(20, decimals)));
}

function roundSig(x: number): number {
  return Number(x.toPrecision(12));
}

/** Rounds a coordinate to 0.1 px: keeps SVG files small without visible error. */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}
