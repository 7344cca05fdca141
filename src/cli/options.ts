/** Parsers for CLI option values, with errors that name the option and the value. */
import { InvalidArgumentError } from 'commander';

/** Integer parser for commander options (`--seed 3`, `--k 10`). */
export function parseInteger(name: string, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(v))
      throw new InvalidArgumentError(`${name} must be an integer; got '${value}'.`);
    if (v < min || v > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be >= ${min}; got ${v}.`
          : `${name} must be in ${min}..${max}; got ${v}.`,
      );
    }
    return v;
  };
}

/** Float parser for commander options. */
export function parseFloatOption(name: string, min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v))
      throw new InvalidArgumentError(`${name} must be a number; got '${value}'.`);
    if (v < min || v > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}]; got ${v}.`);
    return v;
  };
}

/** Comma-separated list (`--only a,b`), trimmed, empty items dropped. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** One of a fixed set of names (`--solver full`): the error lists the choices. */
export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(
        `${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}; got '${value}'.`,
      );
    }
    return value as T;
  };
}
