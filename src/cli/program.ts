/**
 * The `unsupervised` command: global options (--seed, --quiet, --version, --help) and the
 * subcommands registered in commands/index.ts. `runCli` returns the exit code instead of exiting,
 * so tests can drive it in-process.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { SectionsFailedError, UsageError } from './errors.js';
import { packageVersion } from './machine.js';
import { parseInteger } from './options.js';

export interface GlobalOptions {
  seed: number;
  quiet: boolean;
  verbose: boolean;
}

/** Global options as seen from inside a subcommand's action. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Partial<GlobalOptions>;
  return { seed: o.seed ?? 0, quiet: !!o.quiet, verbose: !!o.verbose };
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('unsupervised')
    .description(
      'Unsupervised learning on the command line: clustering, mixtures, PCA/ICA/NMF/sparse coding, ' +
        'SNE/t-SNE/LLE. `unsupervised demo` runs the course on real MNIST and writes report/index.html.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--seed <n>', 'random seed: the same seed gives the same results', parseInteger('--seed'), 0)
    .option('-q, --quiet', 'no progress output on stderr')
    .option('--verbose', 'print stack traces of errors')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  unsupervised demo                      run every section on MNIST, write report/index.html\n' +
        '  unsupervised demo --only overview      run one section\n' +
        '  unsupervised demo --full --out big/    full-scale run\n' +
        '  unsupervised <command> --help          options of a command',
    );
  for (const register of COMMANDS) register(program);
  // Commander lets the program's options win wherever they appear, so a subcommand that declares
  // its own --seed would silently keep its default (`unsupervised pca --seed 3` sets the global one).
  // Copy such values down to the subcommand's option of the same name.
  program.hook('preAction', (root, action) => {
    if (action === root) return;
    for (const opt of root.options) {
      const key = opt.attributeName();
      const source = root.getOptionValueSource(key);
      if (source !== 'cli' && source !== 'env') continue;
      if (!action.options.some((o) => o.attributeName() === key)) continue;
      const own = action.getOptionValueSource(key);
      if (own === undefined || own === 'default')
        action.setOptionValueWithSource(key, root.getOptionValue(key), source);
    }
  });
  return program;
}

/** Parses argv (node-style: [node, script, ...args]), runs the command, returns the exit code. */
export async function runCli(argv: string[], program: Command = buildProgram()): Promise<number> {
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the message (or help/version); map its codes to ours.
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        return 0;
      }
      return err.exitCode === 0 ? 0 : 2;
    }
    const e = err as Error;
    const verbose = process.argv.includes('--verbose') || argv.includes('--verbose');
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SectionsFailedError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    const known =
      e &&
      ['ValidationError', 'FormatError', 'NotFittedError', 'NumericalError', 'AbortError'].includes(e.name);
    process.stderr.write(`error: ${e?.message ?? String(err)}\n`);
    if ((!known || verbose) && e?.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
