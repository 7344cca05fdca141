/** Library version written into saved files (kept equal to package.json's by a test in test/io). */
export const LIBRARY_VERSION = '0.1.0';
