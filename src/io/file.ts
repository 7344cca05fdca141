/**
 * Node-only file helpers for saved models. Node's `fs` is fetched at call time through
 * `process.getBuiltinModule` (Node >= 20.16), so importing this module never pulls Node built-ins into
 * a browser bundle; in the browser, use saveModel/loadModel on bytes.
 *
 * Saving writes a temporary file in the target's directory, flushes it, then renames it over the
 * target: rename within one directory is atomic on POSIX, so a failed or interrupted save leaves any
 * existing file intact.
 */
import { FormatError, ValidationError } from '../core/errors.js';
import type { Saveable } from '../core/estimator.js';
import { nodeFs } from '../datasets/node.js';
import { loadLimits, loadModel, saveModel, type LoadModelOptions } from './model.js';

/** Node's `fs`, fetched at call time (one helper for io and datasets: src/datasets/node.ts). */
export { nodeFs };

let tmpCounter = 0;

/** Writes `bytes` to `path` atomically (temp file in the same directory + fsync + rename). */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  if (typeof path !== 'string' || path.length === 0)
    throw new ValidationError('path must be a non-empty string');
  if (!(bytes instanceof Uint8Array))
    throw new ValidationError(`bytes must be a Uint8Array; got ${bytes === null ? 'null' : typeof bytes}`);
  const fs = nodeFs('writeFileAtomic');
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  const tmp = `${path}.${pid}.${Date.now().toString(36)}.${(tmpCounter++).toString(36)}.tmp`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // the temp file may not exist
    }
    throw e;
  }
}

/** Saves a fitted model to `path` (atomically: an existing file is replaced only by a complete one). */
export function saveModelFile(path: string, model: Saveable): void {
  // Serialise first: a model that cannot be saved must not touch the file system.
  const bytes = saveModel(model);
  writeFileAtomic(path, bytes);
}

/** Loads a model saved by `saveModelFile` (same checks as `loadModel`; the size is checked before reading). */
export function loadModelFile(path: string, options: LoadModelOptions = {}): Saveable {
  if (typeof path !== 'string' || path.length === 0)
    throw new ValidationError('path must be a non-empty string');
  const max = loadLimits(options, 'loadModelFile').maxBytes;
  const fs = nodeFs('loadModelFile');
  const size = fs.statSync(path).size;
  if (size > max)
    throw new FormatError(
      `invalid model file: ${path} has ${size} bytes, over the limit of ${max} (option maxBytes)`,
    );
  const buf = fs.readFileSync(path);
  return loadModel(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), options);
}
