import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// io/, datasets/ and metrics/ must load in a browser: Node built-ins only as type imports, fetched
// at call time (process.getBuiltinModule) by the file helpers.
describe('browser-loadable modules', () => {
  for (const folder of ['io', 'datasets', 'metrics']) {
    it(`src/${folder} has no runtime imports of Node built-ins`, () => {
      const dir = new URL(`../../src/${folder}/`, import.meta.url);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
        const src = readFileSync(new URL(f, dir), 'utf8');
        const runtime = [
          ...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(node:[^']+|fs|path|os|module)'/gm),
        ].map((m) => m[1]);
        expect(runtime, `${folder}/${f}`).toEqual([]);
      }
    });
  }
});
