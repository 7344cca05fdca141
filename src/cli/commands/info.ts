/** `unsupervised info`: version, machine, kernel backend and demo sections (for bug reports). */
import type { Command } from 'commander';
import { SECTIONS } from '../demo/sections.js';
import { machineDescription, packageVersion } from '../machine.js';

export function register(program: Command): void {
  program
    .command('info')
    .description('print the version, machine, kernel backend and demo sections')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { getBackend } = await import('../../kernels/index.js');
      const b = getBackend();
      const info = {
        version: packageVersion(),
        node: process.version,
        machine: machineDescription(),
        kernels: { active: b.name, description: b.description, available: b.available },
        demoSections: SECTIONS.map((s) => s.id),
      };
      if (opts.json) {
        process.stdout.write(JSON.stringify(info, null, 2) + '\n');
        return;
      }
      process.stdout.write(
        `unsupervised ${info.version} on Node ${info.node}\n` +
          `machine:  ${info.machine}\n` +
          `kernels:  ${b.name}${b.description ? ` (${b.description})` : ''}; available: ${b.available.join(', ')}\n` +
          `demo:     ${info.demoSections.join(', ') || '(no sections)'}\n`,
      );
    });
}
