// Builds the AssemblyScript kernels (src/kernels/assembly/kernels.ts) to build/wasm/ in four variants:
//   kernels-relaxed-mt.wasm  relaxed SIMD (FMA) + threads, imports a shared memory
//   kernels-simd-mt.wasm     plain SIMD + threads, shared memory
//   kernels-relaxed-st.wasm  relaxed SIMD, private (non-shared) memory: browsers without cross-origin isolation
//   kernels-simd-st.wasm     plain SIMD, private memory
// The runtime (src/kernels/wasm-backend.ts) picks the best one the platform validates.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src/kernels/assembly/kernels.ts');
const out = join(root, 'build/wasm');
if (!existsSync(src)) {
  console.log('build-wasm: no AssemblyScript sources');
  process.exit(0);
}
mkdirSync(out, { recursive: true });
const require = createRequire(import.meta.url);
const ascBin = join(dirname(require.resolve('assemblyscript/package.json')), 'bin/asc.js');

const common = ['-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--importMemory'];
const variants = [
  [
    'kernels-relaxed-mt',
    ['--sharedMemory', '--maximumMemory', '65536', '--enable', 'simd,threads,relaxed-simd'],
  ],
  ['kernels-simd-mt', ['--sharedMemory', '--maximumMemory', '65536', '--enable', 'simd,threads']],
  ['kernels-relaxed-st', ['--enable', 'simd,relaxed-simd']],
  ['kernels-simd-st', ['--enable', 'simd']],
];
// the four compiles are independent: run them side by side
const compile = ([name, flags]) =>
  new Promise((resolve, reject) => {
    const file = join(out, `${name}.wasm`);
    execFile(
      process.execPath,
      [ascBin, src, ...common, ...flags, '-o', file],
      { cwd: root },
      (err, stdout, stderr) => {
        if (err) {
          process.stderr.write(stdout + stderr);
          reject(new Error(`build-wasm: ${name} failed`));
          return;
        }
        console.log(`build-wasm: ${name}.wasm (${statSync(file).size} bytes)`);
        resolve();
      },
    );
  });
await Promise.all(variants.map(compile));
