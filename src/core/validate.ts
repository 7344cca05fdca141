/**
 * Validation at the public boundary (after scikit-learn's `_param_validation.py`): data checks that
 * name the argument, row and column, and a declarative option validator:
 *   "The 'nClusters' option of KMeans must be an integer >= 1; got 0."
 * Inner functions assume validated input and do not re-check.
 */
import { ValidationError } from './errors.js';
import { allocFloat, Matrix, type DType, type Float, type MatrixLike } from './matrix.js';

export interface ToMatrixOptions {
  /** dtype of the result; default: float64 (a float32 Matrix is converted). */
  dtype?: DType;
  /** Minimum number of rows (default 1). */
  minSamples?: number;
  /** Minimum number of columns (default 1). */
  minFeatures?: number;
  /** Allow NaN/Infinity (default false). */
  allowNonFinite?: boolean;
  /** Always return a fresh copy, so the caller's data can never be mutated (default false: a
   * row-major Matrix of the right dtype is returned as is; callers must then treat it as read-only). */
  copy?: boolean;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return `${typeof x} ${String(x)}`;
}

/**
 * Converts and checks a data matrix. The result is always densely packed row-major with its data
 * starting at index 0 (`M.data[i * M.cols + j]`): views (row slices, transposes) are copied. Errors name the argument:
 * "X has NaN at row 17, column 3", "X is empty", "X is ragged: row 4 has 3 values, expected 5".
 */
export function toMatrix(X: MatrixLike, name = 'X', options: ToMatrixOptions = {}): Matrix {
  const dtype = options.dtype ?? 'float64';
  const minSamples = options.minSamples ?? 1;
  const minFeatures = options.minFeatures ?? 1;
  let M: Matrix;
  if (X instanceof Matrix) {
    // Callers index `M.data` from 0 with stride `cols`: only a densely packed matrix is passed through.
    const packed = X.isRowMajor() && X.offset === 0 && X.data.length === X.size;
    M = X.dtype === dtype && packed && !options.copy ? X : X.toDType(dtype);
  } else if (X && typeof X === 'object' && 'shape' in X && 'data' in X) {
    const { data, shape } = X as { data: ArrayLike<number>; shape: readonly [number, number] };
    if (!Array.isArray(shape) || shape.length !== 2)
      throw new ValidationError(`${name}.shape must be [rows, cols]`);
    const [r, c] = shape;
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || c < 0) {
      throw new ValidationError(`${name}.shape must hold two non-negative integers; got [${r}, ${c}]`);
    }
    if (data.length !== r * c) {
      throw new ValidationError(
        `${name}.data has ${data.length} values but shape [${r}, ${c}] needs ${r * c}`,
      );
    }
    const out = allocFloat(dtype, r * c);
    for (let i = 0; i < r * c; i++) out[i] = data[i]!;
    M = new Matrix(out, r, c);
  } else if (X && typeof X === 'object' && typeof (X as ArrayLike<unknown>).length === 'number') {
    const rows = X as ArrayLike<ArrayLike<number>>;
    const n = rows.length;
    if (n === 0) throw new ValidationError(`${name} is empty: it has no rows`);
    const first = rows[0];
    if (!first || typeof first !== 'object' || typeof first.length !== 'number') {
      throw new ValidationError(`${name} must be a 2-D array (rows of numbers); row 0 is ${describe(first)}`);
    }
    const d = first.length;
    const out = allocFloat(dtype, n * d);
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      if (!r || typeof r !== 'object' || typeof r.length !== 'number') {
        throw new ValidationError(`${name} must be a 2-D array; row ${i} is ${describe(r)}`);
      }
      if (r.length !== d) {
        throw new ValidationError(`${name} is ragged: row ${i} has ${r.length} values, expected ${d}`);
      }
      for (let j = 0; j < d; j++) {
        const v = r[j];
        if (typeof v !== 'number') {
          throw new ValidationError(`${name} has a non-number at row ${i}, column ${j}: ${describe(v)}`);
        }
        out[i * d + j] = v;
      }
    }
    M = new Matrix(out, n, d);
  } else {
    throw new ValidationError(`${name} must be a Matrix, a 2-D array or {data, shape}; got ${describe(X)}`);
  }
  if (M.rows === 0 || M.cols === 0) {
    throw new ValidationError(`${name} is empty: shape ${M.rows}x${M.cols}`);
  }
  if (M.rows < minSamples) {
    throw new ValidationError(`${name} has ${M.rows} samples; at least ${minSamples} are needed`);
  }
  if (M.cols < minFeatures) {
    throw new ValidationError(`${name} has ${M.cols} features; at least ${minFeatures} are needed`);
  }
  if (!options.allowNonFinite) assertFinite(M, name);
  return M;
}

/** Throws "X has NaN at row i, column j" (or Infinity) for the first non-finite entry. */
export function assertFinite(M: Matrix, name = 'X'): void {
  const { rows, cols } = M;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = M.get(i, j);
      if (!Number.isFinite(v)) {
        throw new ValidationError(
          `${name} has ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at row ${i}, column ${j}`,
        );
      }
    }
  }
}

/** Checks that a typed array or number array holds only finite values. */
export function assertFiniteArray(a: ArrayLike<number>, name: string): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) {
      throw new ValidationError(
        `${name} has ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at index ${i}`,
      );
    }
  }
}

/** Validates a 1-D vector of numbers (labels, weights, sources) and returns a Float64Array copy. */
export function toVector(y: ArrayLike<number>, name: string, length?: number): Float64Array {
  if (!y || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new ValidationError(`${name} must be an array of numbers; got ${describe(y)}`);
  }
  if (y.length === 0) throw new ValidationError(`${name} is empty`);
  if (length !== undefined && y.length !== length) {
    throw new ValidationError(`${name} has ${y.length} entries; expected ${length}`);
  }
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValidationError(`${name} has a non-finite or non-number value at index ${i}: ${String(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/** Validates integer labels (e.g. class labels); returns an Int32Array copy. */
export function toLabels(y: ArrayLike<number>, name: string, length?: number): Int32Array {
  const v = toVector(y, name, length);
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]))
      throw new ValidationError(`${name} must hold integers; index ${i} is ${v[i]}`);
    out[i] = v[i]!;
  }
  return out;
}

/** "X has 5 features but the model was fitted on 3". */
export function checkFeatures(M: Matrix, expected: number, name = 'X'): void {
  if (M.cols !== expected) {
    throw new ValidationError(`${name} has ${M.cols} features, but the model was fitted on ${expected}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Declarative option validation.

export type Constraint =
  | { type: 'int'; min?: number; max?: number }
  | { type: 'number'; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly (string | number)[] }
  | { type: 'string' }
  | { type: 'function' }
  | { type: 'object' }
  | { type: 'signal' }
  | { type: 'any' }
  | { type: 'oneOf'; options: readonly Constraint[] };

export type ConstraintTable<O> = { [K in keyof O]-?: Constraint };

function describeConstraint(c: Constraint): string {
  switch (c.type) {
    case 'int': {
      if (c.min !== undefined && c.max !== undefined) return `an integer in [${c.min}, ${c.max}]`;
      if (c.min !== undefined) return `an integer >= ${c.min}`;
      if (c.max !== undefined) return `an integer <= ${c.max}`;
      return 'an integer';
    }
    case 'number': {
      const lo = c.min === undefined ? '' : `${c.exclusiveMin ? '>' : '>='} ${c.min}`;
      const hi = c.max === undefined ? '' : `${c.exclusiveMax ? '<' : '<='} ${c.max}`;
      return `a finite number${lo || hi ? ' ' : ''}${[lo, hi].filter(Boolean).join(' and ')}`;
    }
    case 'boolean':
      return 'a boolean';
    case 'enum':
      return `one of ${c.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'string':
      return 'a string';
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    case 'signal':
      return 'an AbortSignal';
    case 'any':
      return 'any value';
    case 'oneOf':
      return c.options.map(describeConstraint).join(' or ');
  }
}

function satisfies(c: Constraint, v: unknown): boolean {
  switch (c.type) {
    case 'int':
      return (
        typeof v === 'number' &&
        Number.isInteger(v) &&
        (c.min === undefined || v >= c.min) &&
        (c.max === undefined || v <= c.max)
      );
    case 'number':
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (c.min === undefined || (c.exclusiveMin ? v > c.min : v >= c.min)) &&
        (c.max === undefined || (c.exclusiveMax ? v < c.max : v <= c.max))
      );
    case 'boolean':
      return typeof v === 'boolean';
    case 'enum':
      return c.values.includes(v as string | number);
    case 'string':
      return typeof v === 'string';
    case 'function':
      return typeof v === 'function';
    case 'object':
      return typeof v === 'object' && v !== null;
    case 'signal':
      return typeof v === 'object' && v !== null && 'aborted' in v && 'addEventListener' in v;
    case 'any':
      return true;
    case 'oneOf':
      return c.options.some((o) => satisfies(o, v));
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object' && v !== null)
    return Array.isArray(v) ? `[${v.slice(0, 5).join(', ')}${v.length > 5 ? ', ...' : ''}]` : describe(v);
  return String(v);
}

/**
 * Merges user options over defaults, rejects unknown keys and values that break the table, and
 * returns a frozen object. Undefined user values take the default.
 */
export function validateOptions<O extends object>(
  estimator: string,
  defaults: Readonly<O>,
  table: ConstraintTable<O>,
  user: Partial<O> | undefined,
): Readonly<O> {
  if (user !== undefined && (typeof user !== 'object' || user === null || Array.isArray(user))) {
    throw new ValidationError(`The options of ${estimator} must be an object; got ${describe(user)}`);
  }
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(user ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(table, key)) {
      const known = Object.keys(table).sort().join(', ');
      throw new ValidationError(`Unknown option '${key}' for ${estimator}; known options: ${known}`);
    }
    const v = (user as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  for (const key of Object.keys(table) as (keyof O & string)[]) {
    const c = table[key];
    const v = out[key];
    if (v === undefined && !(key in (defaults as object))) continue;
    if (v === undefined && (defaults as Record<string, unknown>)[key] === undefined) continue;
    if (!satisfies(c, v)) {
      throw new ValidationError(
        `The '${key}' option of ${estimator} must be ${describeConstraint(c)}; got ${show(v)}.`,
      );
    }
  }
  return Object.freeze(out) as Readonly<O>;
}

/** Throws a ValidationError with a message naming both numbers (`nSamples=5 must be >= nClusters=8`). */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ValidationError(message);
}

export type { Float };
