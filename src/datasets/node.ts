/**
 * Node built-ins fetched at call time (process.getBuiltinModule, Node >= 20.16), so that importing
 * datasets/ or io/ never pulls `fs` into a browser bundle. Only the file readers and writers need them
 * (the real-data loaders here, the model-file helpers of io/file.ts); in a browser, work on bytes.
 */
import type * as NodeFs from 'node:fs';
import type * as NodeModule from 'node:module';
import type * as NodePath from 'node:path';

function builtin<T>(id: string, what: string): T {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const m = proc?.getBuiltinModule?.(id) as T | undefined;
  if (!m) throw new Error(`${what} needs Node.js >= 20.16 (file system access); in a browser, work on bytes`);
  return m;
}

/** Node's `fs`, or an error saying that `what` needs Node.js. */
export function nodeFs(what: string): typeof NodeFs {
  return builtin<typeof NodeFs>('node:fs', what);
}

/** Node's `path`, or an error saying that `what` needs Node.js. */
export function nodePath(what: string): typeof NodePath {
  return builtin<typeof NodePath>('node:path', what);
}

/**
 * Directory of an installed npm package, resolved from this file (works from src/ under tsx/vitest
 * and from dist/ when the library is installed), or undefined when it is not installed.
 */
export function packageDir(pkg: string, what: string): string | undefined {
  const { createRequire } = builtin<typeof NodeModule>('node:module', what);
  const path = nodePath(what);
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return undefined;
  }
}
