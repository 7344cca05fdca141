/**
 * The estimator contract (scikit-learn's, in TypeScript) and the registry of saveable models.
 *
 * - The constructor only stores a validated, frozen options object.
 * - `fit(X)` validates, computes and returns `this`; a second fit fully replaces the first.
 * - Fitted state lives in fields set by `fit`; reading them before fitting throws NotFittedError.
 * - Every estimator can be saved: `getState()` returns its options, scalar metadata and named arrays;
 *   the registered `fromState` rebuilds it. `io/` turns a state into bytes and back.
 */
import { NotFittedError, ValidationError } from './errors.js';

export type StateArray = Float64Array | Float32Array | Int32Array | Uint8Array;

/** Everything needed to rebuild a fitted estimator. JSON-able parts + named typed arrays. */
export interface ModelState {
  /** Registered class name, e.g. "KMeans". */
  className: string;
  /** Format version of this class's state (bump when the layout changes). */
  version: number;
  /** Constructor options (JSON values only; callbacks and signals are dropped). */
  options: Record<string, unknown>;
  /** Scalars and small JSON metadata of the fitted model. */
  meta: Record<string, unknown>;
  /** Named arrays with their shapes ([n] or [rows, cols] or more). */
  arrays: Record<string, { data: StateArray; shape: number[] }>;
}

export interface Saveable {
  getState(): ModelState;
}

type Rebuild = (state: ModelState) => Saveable;
const registry = new Map<string, Rebuild>();

/** Registers how to rebuild a class from its state. Fails loudly on a duplicate name. */
export function registerModel(className: string, rebuild: Rebuild): void {
  if (registry.has(className)) throw new Error(`model class '${className}' is registered twice`);
  registry.set(className, rebuild);
}

export function rebuildModel(state: ModelState): Saveable {
  const fn = Object.prototype.hasOwnProperty.call(Object.fromEntries(registry), state.className)
    ? registry.get(state.className)
    : undefined;
  if (!fn) {
    throw new ValidationError(
      `unknown model class '${String(state.className)}'; known: ${[...registry.keys()].sort().join(', ') || 'none'}`,
    );
  }
  return fn(state);
}

export function registeredModels(): string[] {
  return [...registry.keys()].sort();
}

/** Options with the non-serialisable entries (functions, AbortSignals) removed. */
export function serialisableOptions(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === 'function') continue;
    if (typeof v === 'object' && v !== null && 'aborted' in v) continue;
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Throws "KMeans is not fitted; call fit() first" when `value` is undefined. */
export function fitted<T>(value: T | undefined, estimator: string): T {
  if (value === undefined) throw new NotFittedError(estimator);
  return value;
}

/** Reads a required array from a state, checking its shape. */
export function stateArray<T extends StateArray>(
  state: ModelState,
  name: string,
  ctor: { new (n: number): T; name: string },
): { data: T; shape: number[] } {
  const a = state.arrays[name];
  if (!a) throw new ValidationError(`saved ${state.className} lacks the array '${name}'`);
  if (!(a.data instanceof ctor)) {
    throw new ValidationError(`saved ${state.className} array '${name}' must be ${ctor.name}`);
  }
  const n = a.shape.reduce((p, q) => p * q, 1);
  if (n !== a.data.length) {
    throw new ValidationError(
      `saved ${state.className} array '${name}' has ${a.data.length} values for shape [${a.shape}]`,
    );
  }
  return a as { data: T; shape: number[] };
}
