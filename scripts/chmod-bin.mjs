// Makes the command-line entry point executable (tsc writes files without the x bit), so that
// `npx unsupervised` can run dist/cli/main.js through its shebang.
import { chmodSync, existsSync } from 'node:fs';

const bin = 'dist/cli/main.js';
if (existsSync(bin)) chmodSync(bin, 0o755);
