/** Run metadata for reports and JSON summaries: package version, machine, Node, kernel backend. */
import { cpus, platform, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

let cachedVersion: string | undefined;

/** The package version from package.json (src/cli and dist/cli are both two levels below it). */
export function packageVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    cachedVersion = pkg.version ?? '0.0.0';
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}

/** "AMD EPYC 7B13 × 2 cores, 7.8 GiB RAM, linux 6.1.0" */
export function machineDescription(): string {
  const c = cpus();
  const model = (c[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return `${model} × ${c.length} cores, ${gib} GiB RAM, ${platform()} ${release()}`;
}
