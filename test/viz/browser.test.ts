/**
 * viz/ and decomposition/ must load in a browser: no runtime import of a Node built-in (report.ts
 * imports `node:fs`/`node:path` as types only and fetches them inside writeReport).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';

const files = ['viz', 'decomposition'].flatMap((dir) =>
  readdirSync(join(ROOT, 'src', dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('src', dir, f)),
);

describe('browser-safe imports', () => {
  it.each(files)('%s imports no Node built-in at run time', (file) => {
    const src = readFileSync(join(ROOT, file), 'utf8');
    const runtime = [
      ...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(node:[^']+|fs|path|os|url|child_process)'/gm),
    ];
    expect(runtime.map((m) => m[1])).toEqual([]);
    expect(src).not.toMatch(/\brequire\(|process\.(argv|exit|cwd)\b|Math\.random\(/);
  });
});
