/**
 * The installed command: `npm test` builds first, so dist/cli/main.js must exist, be executable (npx
 * runs it through its shebang) and answer --version with package.json's version.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

describe('bin: unsupervised', () => {
  it('is built, executable and runs through its shebang', () => {
    expect(existsSync(BIN), 'dist/cli/main.js is missing: run `npm run build` (npm test does)').toBe(true);
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(BIN, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
