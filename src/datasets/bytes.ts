/** The byte input of the file readers (IDX, NPY). */
import { ValidationError } from '../core/errors.js';

/**
 * A plain Uint8Array over the caller's bytes, never a copy (Node's Buffer.slice() returns views, so
 * the readers copy what they keep). Not bytes at all is a bad argument, not a malformed file.
 */
export function byteView(bytes: Uint8Array | ArrayBuffer, name: string): Uint8Array {
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (bytes instanceof Uint8Array) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new ValidationError(`${name}: expected a Uint8Array or ArrayBuffer`);
}
