/** `unsupervised demo`: the course on real MNIST, written to report/index.html. */
import type { Command } from 'commander';
import { runDemo } from '../demo/run.js';
import { SECTIONS } from '../demo/sections.js';
import { SectionsFailedError } from '../errors.js';
import { parseList } from '../options.js';
import { globalOptions } from '../program.js';
import { progressFactory } from '../progress.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('run every method of the course on real MNIST and write an HTML report')
    .option('-o, --out <dir>', 'report folder', 'report')
    .option('--full', 'full scale (all 60,000 digits, more epochs); the default profile takes ~5 minutes')
    .option(
      '--only <ids>',
      `comma-separated section ids (${SECTIONS.map((s) => s.id).join(', ') || 'none registered'})`,
      parseList,
    )
    .option('--list', 'list the section ids and exit')
    .action(async (opts: { out: string; full?: boolean; only?: string[]; list?: boolean }, cmd: Command) => {
      if (opts.list) {
        for (const s of SECTIONS) process.stdout.write(`${s.id.padEnd(16)} ${s.title}\n`);
        return;
      }
      const g = globalOptions(cmd);
      const log = g.quiet ? () => {} : (s: string) => process.stderr.write(s + '\n');
      const result = await runDemo({
        outDir: opts.out,
        full: !!opts.full,
        seed: g.seed,
        only: opts.only,
        log,
        progress: g.quiet ? progressFactory({ quiet: true }) : undefined,
        commandLine: ['unsupervised', ...process.argv.slice(2)].join(' '),
      });
      process.stdout.write(`${result.indexPath}\n`);
      if (result.failed.length) {
        throw new SectionsFailedError(
          `${result.failed.length} of ${result.sections.length} sections failed (${result.failed.join(', ')}); see ${result.indexPath}`,
        );
      }
    });
}
