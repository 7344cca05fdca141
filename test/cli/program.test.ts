import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, globalOptions, runCli } from '../../src/cli/program.js';

function probeProgram(): { program: Command; seen: number[][] } {
  const program = buildProgram();
  const seen: number[][] = [];
  program
    .command('probe')
    .option('--seed <n>', 'a subcommand-level seed', (v: string) => Number(v), 0)
    .action((o: { seed: number }, cmd: Command) => {
      seen.push([o.seed, globalOptions(cmd).seed]);
    });
  return { program, seen };
}

describe('global options', () => {
  it('reach a subcommand that declares the same option, before or after its name', async () => {
    const a = probeProgram();
    expect(await runCli(['node', 'unsupervised', 'probe', '--seed', '3'], a.program)).toBe(0);
    const b = probeProgram();
    expect(await runCli(['node', 'unsupervised', '--seed', '4', 'probe'], b.program)).toBe(0);
    const c = probeProgram();
    expect(await runCli(['node', 'unsupervised', 'probe'], c.program)).toBe(0);
    expect([a.seen, b.seen, c.seen]).toEqual([[[3, 3]], [[4, 4]], [[0, 0]]]);
  });

  it('lists every registered command in --help', async () => {
    const program = buildProgram();
    let out = '';
    program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    expect(await runCli(['node', 'unsupervised', '--help'], program)).toBe(0);
    for (const cmd of program.commands) expect(out).toContain(`  ${cmd.name()}`);
    expect(out).toContain('demo [options]');
  });
});
