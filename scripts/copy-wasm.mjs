// Copies built .wasm files next to the compiled kernels in dist/.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
if (existsSync('build/wasm')) {
  mkdirSync('dist/kernels/wasm', { recursive: true });
  cpSync('build/wasm', 'dist/kernels/wasm', { recursive: true });
}
