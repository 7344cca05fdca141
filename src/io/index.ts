export * from './model.js';
export * from './file.js';
export { crc32 } from './crc32.js';
export { LIBRARY_VERSION } from './version.js';
