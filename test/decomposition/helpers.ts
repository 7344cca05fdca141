import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Matrix } from '../../src/core/matrix.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture JSON is loosely typed on purpose
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/decomposition/${name}`, import.meta.url), 'utf8')) as T;
}

export function flat(a: Matrix | ArrayLike<number> | number[][]): number[] {
  if (a instanceof Matrix) return a.toArray().flat();
  if (Array.isArray(a) && Array.isArray(a[0])) return (a as number[][]).flat();
  return Array.from(a as ArrayLike<number>);
}

/** max |a − b| ≤ tol · max(1, |b|) elementwise. */
export function expectClose(
  a: Matrix | ArrayLike<number> | number[][],
  b: Matrix | ArrayLike<number> | number[][],
  tol: number,
): void {
  const x = flat(a);
  const y = flat(b);
  expect(x.length).toBe(y.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < x.length; i++) {
    const e = Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(y[i]!));
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  if (!(worst <= tol))
    throw new Error(`max error ${worst} at index ${at}: ${x[at]} vs ${y[at]} (tol ${tol})`);
}
