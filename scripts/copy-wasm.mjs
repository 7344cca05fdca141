// Copies the built kernels (build/wasm/*.wasm, from `npm run build:wasm`) next to the compiled
// kernels in dist/kernels/wasm/, where src/kernels/wasm-backend.ts looks for them at run time.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const files = existsSync('build/wasm') ? readdirSync('build/wasm').filter((f) => f.endsWith('.wasm')) : [];
if (files.length === 0) {
  console.warn(
    'copy-wasm: build/wasm has no .wasm files (run `npm run build:wasm`); the package will use the TypeScript kernels',
  );
} else {
  mkdirSync('dist/kernels/wasm', { recursive: true });
  for (const f of files) cpSync(`build/wasm/${f}`, `dist/kernels/wasm/${f}`);
  console.log(`copy-wasm: ${files.length} files to dist/kernels/wasm`);
}
