import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatNumber,
  formatTick,
  logTicks,
  niceDomain,
  niceTicks,
} from '../../src/viz/index.js';

describe('text helpers', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
    );
  });

  it('formats numbers compactly', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(60000)).toBe('60,000');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(1.23456e-5)).toBe('1.235e-5');
    expect(formatNumber(2.5e7 + 0.5)).toBe('2.5e7');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });

  it('makes round ticks', () => {
    expect(niceTicks(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.7, 12.2, 5).ticks).toEqual([-2, 0, 2, 4, 6, 8, 10, 12]);
    expect(niceTicks(0, 1000, 4).ticks).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0.1, 0.35, 5).ticks).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
    expect(niceDomain(-3.7, 12.2)).toEqual([-4, 14]);
    expect(formatTick(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatTick(2_100_000, 100_000)).toBe('2.1M');
    expect(formatTick(15000, 5000)).toBe('15,000');
    // One suffix per axis, chosen by its largest tick.
    expect([350_000, 700_000].map((v) => formatTick(v, 50_000, 700_000))).toEqual(['350k', '700k']);
    expect([500_000, 2_500_000].map((v) => formatTick(v, 500_000, 2_500_000))).toEqual(['0.5M', '2.5M']);
  });

  it('makes log ticks at 1-2-5 for short ranges and decades for long ones', () => {
    expect(logTicks(3, 120)).toEqual([5, 10, 20, 50, 100]);
    expect(logTicks(0.05, 2000)).toEqual([0.1, 1, 10, 100, 1000]);
    // Too short for two 1-2-5 ticks: linear nice ticks instead.
    expect(logTicks(1.4e6, 2.1e6)).toEqual([1.4e6, 1.6e6, 1.8e6, 2e6]);
  });
});
