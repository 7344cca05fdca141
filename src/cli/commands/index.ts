/**
 * The CLI's subcommands. Each area adds src/cli/commands/<name>.ts exporting
 * `register(program: Command)` and ONE import line + ONE array entry here; `help` lists them in
 * this order.
 */
import type { Command } from 'commander';
import { register as demo } from './demo.js';
import { register as data } from './data.js';
import { register as info } from './info.js';
import { register as pca } from './pca.js';
import { register as ica } from './ica.js';
import { register as nmf } from './nmf.js';
import { register as dictionary } from './dictionary.js';
import { register as sparseCode } from './sparse-code.js';
import { register as kmeans } from './kmeans.js';
import { register as agglomerative } from './agglomerative.js';
import { register as gmm } from './gmm.js';
import { register as bmm } from './bmm.js';
import { register as cliques } from './cliques.js';
import { register as tsne } from './tsne.js';
import { register as sne } from './sne.js';
import { register as lle } from './lle.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  demo,
  data,
  info,
  pca,
  ica,
  nmf,
  dictionary,
  sparseCode,
  kmeans,
  agglomerative,
  gmm,
  bmm,
  cliques,
  tsne,
  sne,
  lle,
];
