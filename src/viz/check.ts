/**
 * Option checks shared by the figure writers: a bad size or count fails at the call with the
 * function and option named ("scatterSvg: width must be a number in [16, 20000]; got -5"), instead
 * of producing an SVG with NaN coordinates or an endless loop.
 */
import { ValidationError } from '../core/errors.js';

/** Throws unless `value` is undefined or a finite number in [min, max] (an integer when `integer`). */
export function checkNumber(
  fn: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
  integer = false,
): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!ok) {
    throw new ValidationError(
      `${fn}: ${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]; got ${String(value)}`,
    );
  }
}

/** Throws unless `value` is undefined or one of `allowed`. */
export function checkEnum(fn: string, name: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || allowed.includes(value as string)) return;
  throw new ValidationError(
    `${fn}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${String(value)}`,
  );
}

/** Figure sizes in pixels: large enough to hold axes, small enough to open. */
export function checkSize(fn: string, width: unknown, height: unknown): void {
  checkNumber(fn, 'width', width, 16, 20_000);
  checkNumber(fn, 'height', height, 16, 20_000);
}
