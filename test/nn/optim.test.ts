// Optimizers step for step against torch.optim on a least-squares problem (float64 check mode).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  Adam,
  RMSprop,
  SGD,
  backward,
  checkMode,
  matmul,
  mseLoss,
  parameter,
  tensor,
  type Optimizer,
  initialize,
} from '../../src/nn/index.js';
import { Rng } from '../../src/core/rng.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/nn/optim.json', import.meta.url), 'utf8')) as {
  A: number[];
  y: number[];
  W0: number[];
  cases: { name: string; options: Record<string, unknown>; trajectory: number[][] }[];
};

function make(name: string, o: Record<string, unknown>, params: ReturnType<typeof parameter>[]): Optimizer {
  if (name.startsWith('sgd'))
    return new SGD(params, {
      lr: o.lr as number,
      momentum: o.momentum as number,
      nesterov: o.nesterov as boolean,
      weightDecay: o.weight_decay as number,
      dampening: o.dampening as number,
    });
  if (name.startsWith('adam')) {
    const b = (o.betas as number[] | undefined) ?? [0.9, 0.999];
    return new Adam(params, {
      lr: o.lr as number,
      beta1: b[0],
      beta2: b[1],
      eps: o.eps as number,
      weightDecay: o.weight_decay as number,
    });
  }
  return new RMSprop(params, {
    lr: o.lr as number,
    alpha: o.alpha as number,
    momentum: o.momentum as number,
    centered: o.centered as boolean,
    weightDecay: o.weight_decay as number,
  });
}

describe('optimizers vs torch.optim', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      checkMode(() => {
        const A = tensor(fx.A, [8, 3]);
        const y = tensor(fx.y, [8, 2]);
        const W = parameter(fx.W0, [3, 2], 'W');
        const opt = make(c.name, c.options, [W]);
        for (const expected of c.trajectory) {
          opt.zeroGrad();
          backward(mseLoss(matmul(A, W), y));
          opt.step();
          for (let i = 0; i < expected.length; i++) expect(W.data[i]).toBeCloseTo(expected[i]!, 12);
        }
      });
    });
  }

  it('getState/setState resumes an optimizer exactly', () => {
    checkMode(() => {
      const A = tensor(fx.A, [8, 3]);
      const y = tensor(fx.y, [8, 2]);
      const run = (steps: number, W: ReturnType<typeof parameter>, opt: Optimizer): void => {
        for (let s = 0; s < steps; s++) {
          opt.zeroGrad();
          backward(mseLoss(matmul(A, W), y));
          opt.step();
        }
      };
      const W1 = parameter(fx.W0, [3, 2]);
      const o1 = new Adam([W1], { lr: 0.05 });
      run(6, W1, o1);
      const W2 = parameter(fx.W0, [3, 2]);
      const o2 = new Adam([W2], { lr: 0.05 });
      run(3, W2, o2);
      const W3 = parameter(W2.data, [3, 2]);
      const o3 = new Adam([W3], { lr: 0.05 });
      o3.setState(o2.getState());
      run(3, W3, o3);
      expect([...W3.data]).toEqual([...W1.data]);
    });
  });

  it('rejects a bad learning rate and Nesterov without momentum', () => {
    const W = parameter([1], [1]);
    expect(() => new Adam([W], { lr: 0 })).toThrow(
      "The 'lr' option of Adam must be a finite number > 0; got 0.",
    );
    expect(() => new SGD([W], { nesterov: true })).toThrow(
      'Nesterov momentum requires momentum > 0 and dampening = 0',
    );
  });
});

describe('initialisers', () => {
  it('have the documented bounds and variances, and are seeded', () => {
    const n = 20000;
    const u = initialize(new Float64Array(n), 100, 50, 'glorotUniform', new Rng(1));
    const a = Math.sqrt(6 / 150);
    expect(Math.max(...u)).toBeLessThanOrEqual(a);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-a);
    const he = initialize(new Float64Array(n), 100, 50, 'heNormal', new Rng(1)) as Float64Array;
    const v = he.reduce((s, x) => s + x * x, 0) / n;
    expect(v).toBeGreaterThan(0.02 * 0.95);
    expect(v).toBeLessThan(0.02 * 1.05);
    const g = initialize(new Float64Array(n), 100, 50, 'glorotNormal', new Rng(2)) as Float64Array;
    expect(g.reduce((s, x) => s + x * x, 0) / n).toBeCloseTo(2 / 150, 3);
    expect([...initialize(new Float64Array(5), 3, 3, 'heUniform', new Rng(7))]).toEqual([
      ...initialize(new Float64Array(5), 3, 3, 'heUniform', new Rng(7)),
    ]);
  });
});
