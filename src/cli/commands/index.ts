/**
 * The CLI's subcommands. Each area adds src/cli/commands/<name>.ts exporting
 * `register(program: Command)` and ONE import line + ONE array entry here; `help` lists them in
 * this order.
 */
import type { Command } from 'commander';
import { register as demo } from './demo.js';
import { register as data } from './data.js';
import { register as info } from './info.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  demo,
  data,
  info,
];
