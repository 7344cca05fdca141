/**
 * The command line as a library: run the demo or the CLI programmatically, and the shared input/output
 * helpers subcommands use. (The `unsupervised` executable is main.ts.)
 */
export { runCli, buildProgram, globalOptions, type GlobalOptions } from './program.js';
export { runDemo, selectSections, type DemoOptions, type DemoResult } from './demo/run.js';
export { SECTIONS } from './demo/sections.js';
export type { DemoContext, DemoSection, SectionResult, LabelledImages, Progress } from './demo/types.js';
export { progressFactory, type ProgressFactory, type ProgressFactoryOptions } from './progress.js';
export {
  parseInputSpec,
  readInput,
  csvToInput,
  toCsv,
  writeResult,
  inputOptions,
  outputOptions,
  type InputSpec,
  type LoadedInput,
} from './io.js';
export { UsageError, SectionsFailedError } from './errors.js';
