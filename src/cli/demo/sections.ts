/**
 * The demo's sections, in report order. Each issue adds its section module here with ONE import line
 * and ONE array entry.
 */
import type { DemoSection } from './types.js';
import { overview } from './overview.js';
import { decomposition } from './decomposition.js';
import { clustering } from './clustering.js';
import { manifold } from './manifold.js';

export const SECTIONS: DemoSection[] = [overview, decomposition, clustering, manifold];
