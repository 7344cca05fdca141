import { expect, it } from 'vitest';
import { fastExp } from '../../src/nn/fastexp.js';

it('fastExp matches Math.exp to 1e-13 relative over [-700, 700] and saturates sanely', () => {
  let worst = 0;
  for (let x = -700; x <= 700; x += 0.0137)
    worst = Math.max(worst, Math.abs(fastExp(x) - Math.exp(x)) / Math.exp(x));
  expect(worst).toBeLessThan(1e-13);
  expect(fastExp(0)).toBe(1);
  expect(Number.isFinite(fastExp(1e6))).toBe(true);
  expect(fastExp(-1e6)).toBeLessThan(1e-300);
  expect(1 / (1 + fastExp(800))).toBeLessThan(1e-300);
  expect(1 / (1 + fastExp(-800))).toBe(1);
});
