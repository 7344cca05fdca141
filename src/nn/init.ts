/**
 * Weight initialisers, all drawing from a seeded Rng.
 * Glorot & Bengio 2010: U(±gain·√(6/(fanIn+fanOut))) or N(0, gain²·2/(fanIn+fanOut));
 * He et al. 2015: U(±√(6/fanIn)) or N(0, 2/fanIn) (for ReLU);
 * 'torch': torch.nn.Linear/Conv's default, U(±1/√fanIn) for weights and biases
 * (kaiming_uniform with a = √5).
 */
import { ValidationError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Buf } from './memory.js';

export type InitName = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'torch' | 'zeros';
/** Names accepted by the layers' `init` option. */
export const INITS: readonly InitName[] = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'torch',
  'zeros',
];

/** Fills `out` (a fanOut × fanIn weight, or a bias) with draws of initialiser `name` from `rng`. */
export function initialize(out: Buf, fanIn: number, fanOut: number, name: InitName, rng: Rng, gain = 1): Buf {
  switch (name) {
    case 'glorotUniform': {
      const a = gain * Math.sqrt(6 / (fanIn + fanOut));
      return rng.fillUniform(out, -a, a);
    }
    case 'glorotNormal':
      return rng.fillNormal(out, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
    case 'heUniform': {
      const a = Math.sqrt(6 / fanIn);
      return rng.fillUniform(out, -a, a);
    }
    case 'heNormal':
      return rng.fillNormal(out, 0, Math.sqrt(2 / fanIn));
    case 'torch': {
      const a = 1 / Math.sqrt(fanIn);
      return rng.fillUniform(out, -a, a);
    }
    case 'zeros':
      return out.fill(0);
    default:
      throw new ValidationError(
        `init must be one of ${INITS.map((a) => JSON.stringify(a)).join(', ')}; got ${JSON.stringify(name)}`,
      );
  }
}
