/**
 * CRC-32 (IEEE 802.3 polynomial 0xEDB88320, as zlib's crc32), used by the model format to detect
 * flipped or truncated array bytes: JSON catches most damage to the header, but a flipped byte in a
 * float array would otherwise load as a silently wrong model.
 */
import { ValidationError } from '../core/errors.js';

let TABLE: Uint32Array | undefined;

function table(): Uint32Array {
  if (TABLE) return TABLE;
  // Slice-by-4 tables: 4 × 256 entries, so the loop consumes four bytes per step.
  const t = new Uint32Array(1024);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let s = 1; s < 4; s++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[s * 256 + n] = c >>> 0;
    }
  }
  TABLE = t;
  return t;
}

/** CRC-32 of `bytes` (optionally continuing from a previous `crc`). Returns an unsigned 32-bit int. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!(bytes instanceof Uint8Array)) throw new ValidationError('crc32: bytes must be a Uint8Array');
  if (!(Number.isInteger(crc) && crc >= 0 && crc <= 0xffffffff)) {
    throw new ValidationError(`crc32: crc must be an unsigned 32-bit integer; got ${String(crc)}`);
  }
  const t = table();
  let c = ~crc >>> 0;
  const n = bytes.length;
  let i = 0;
  const end4 = n - (n % 4);
  for (; i < end4; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^ t[c >>> 24]!;
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
