// Layers, penalties and engine modes: tied weights, dropout, contractive penalties (closed form vs
// torch's Jacobian, general estimator vs closed form), no-grad mode, save/load through io.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { loadModel, saveModel } from '../../src/io/index.js';
import {
  Activation,
  BatchNorm,
  Conv2d,
  ConvTranspose2d,
  Dense,
  Dropout,
  Flatten,
  Reshape,
  Sequential,
  Tensor,
  backward,
  bceLoss,
  bceWithLogitsLoss,
  checkMode,
  concat,
  detach,
  oneHot,
  add,
  gradCheck,
  mul,
  sum,
  contractivePenalty,
  contractiveSigmoid,
  engine,
  evalMode,
  gaussianKL,
  grad,
  l1Activity,
  linear,
  mseLoss,
  noGrad,
  parameter,
  predict,
  reparameterize,
  sigmoid,
  sparsityKL,
  tensor,
} from '../../src/nn/index.js';
import { Matrix } from '../../src/core/matrix.js';

const prims = JSON.parse(readFileSync(new URL('../fixtures/nn/prims.json', import.meta.url), 'utf8')) as {
  contractive: {
    x: number[];
    W: number[];
    b: number[];
    shapeX: number[];
    shapeW: number[];
    value: number;
    gradW: number[];
  };
};

describe('contractive penalty', () => {
  it('closed form for a sigmoid encoder equals ‖J‖_F² from torch.autograd.functional.jacobian, value and dW', () => {
    checkMode(() => {
      const c = prims.contractive;
      const x = tensor(c.x, c.shapeX);
      const W = parameter(c.W, c.shapeW);
      const b = parameter(c.b, [c.shapeW[0]!]);
      const h = sigmoid(linear(x, W, b));
      const p = contractiveSigmoid(h, W);
      expect(p.item()).toBeCloseTo(c.value, 12);
      backward(p);
      for (let i = 0; i < c.gradW.length; i++) expect(W.grad![i]).toBeCloseTo(c.gradW[i]!, 12);
    });
  });

  it('the general randomized finite-difference estimator agrees with the closed form (±3%)', () => {
    checkMode(() => {
      const c = prims.contractive;
      const x = tensor(c.x, c.shapeX);
      const W = parameter(c.W, c.shapeW);
      const b = parameter(c.b, [c.shapeW[0]!]);
      const enc = (z: Tensor): Tensor => sigmoid(linear(z, W, b));
      const exact = noGrad(() => contractiveSigmoid(enc(x), W).item());
      const est = noGrad(() =>
        contractivePenalty(enc, x, enc(x), 1, { sigma: 1e-4, samples: 4000, rng: new Rng(3) }).item(),
      );
      expect(Math.abs(est - exact) / exact).toBeLessThan(0.03);
    });
  });
});

describe('weight tying', () => {
  it('a tied decoder uses the encoder weight (no copy) and gradients from both uses add up (finite differences)', () => {
    checkMode(() => {
      const rng = new Rng(5);
      const enc = new Dense({ inFeatures: 6, outFeatures: 3, activation: 'sigmoid', rng });
      const dec = new Dense({ inFeatures: 3, outFeatures: 6, activation: 'sigmoid', tiedTo: enc, rng });
      expect(dec.weight).toBe(enc.weight);
      const net = new Sequential([enc, dec]);
      expect(Object.keys(net.params())).toEqual(['0.weight', '0.bias', '1.bias']);
      const x = tensor(
        Array.from({ length: 24 }, (_, i) => ((i * 37) % 11) / 11),
        [4, 6],
      );
      const f = (): Tensor => bceLoss(net.forward(x), x);
      const [gW] = grad(f, [enc.weight]);
      const w = enc.weight.data;
      const h = 1e-6;
      for (let i = 0; i < w.length; i++) {
        const v = w[i]!;
        w[i] = v + h;
        const lp = noGrad(() => f().item());
        w[i] = v - h;
        const lm = noGrad(() => f().item());
        w[i] = v;
        expect(gW![i]).toBeCloseTo((lp - lm) / (2 * h), 7);
      }
    });
  });

  it('rejects tying to a layer of the wrong shape', () => {
    const enc = new Dense({ inFeatures: 6, outFeatures: 3 });
    expect(() => new Dense({ inFeatures: 6, outFeatures: 3, tiedTo: enc })).toThrow(
      'a Dense 6→3 cannot be tied to a Dense 6→3',
    );
  });
});

describe('dropout', () => {
  it('zeroes about p of the units, scales the rest by 1/(1−p), is seeded, and is the identity in eval mode', () => {
    const x = tensor(new Float32Array(20000).fill(1), [100, 200]);
    const layer = new Dropout(0.25);
    engine.rng = new Rng(11);
    const a = layer.forward(x).toArray();
    engine.rng = new Rng(11);
    const b = layer.forward(x).toArray();
    expect([...a]).toEqual([...b]);
    const zeros = a.filter((v) => v === 0).length / a.length;
    expect(zeros).toBeGreaterThan(0.24);
    expect(zeros).toBeLessThan(0.26);
    expect(a.find((v) => v !== 0)).toBeCloseTo(1 / 0.75, 6);
    expect(evalMode(() => layer.forward(x))).toBe(x);
    expect(() => new Dropout(1)).toThrow('dropout rate p must be in [0, 1); got 1');
  });
});

describe('penalties', () => {
  it('sparsity KL is zero at ρ̂ = ρ and positive elsewhere; L1 activity is the mean row L1 norm', () => {
    checkMode(() => {
      const h = tensor([0.1, 0.3, 0.1, 0.3], [2, 2]);
      // ρ̂ = [0.1, 0.3]: the first unit is on target, the second pays KL(0.1 ‖ 0.3).
      expect(sparsityKL(h, 0.1, 3).item()).toBeCloseTo(
        3 * (0.1 * Math.log(0.1 / 0.3) + 0.9 * Math.log(0.9 / 0.7)),
        12,
      );
      const h2 = tensor([0.1, 0.1, 0.1, 0.1], [2, 2]);
      expect(sparsityKL(h2, 0.1).item()).toBeCloseTo(0, 12);
      expect(l1Activity(tensor([1, -2, 3, -4], [2, 2]), 0.5).item()).toBeCloseTo(0.5 * (10 / 2), 12);
      expect(() => sparsityKL(h, 1)).toThrow('sparsity target rho must be in (0, 1); got 1');
    });
  });

  it('VAE pieces: KL to N(0, I) is 0 at μ=0, logvar=0; reparameterize passes gradients to μ and logvar', () => {
    checkMode(() => {
      const mu = parameter([0, 0, 0, 0], [2, 2]);
      const lv = parameter([0, 0, 0, 0], [2, 2]);
      expect(gaussianKL(mu, lv).item()).toBe(0);
      engine.rng = new Rng(1);
      const z = reparameterize(mu, lv);
      backward(mseLoss(z, tensor([1, 1, 1, 1], [2, 2])));
      expect(mu.grad!.some((v) => v !== 0)).toBe(true);
      expect(lv.grad!.some((v) => v !== 0)).toBe(true);
    });
  });
});

describe('engine modes', () => {
  it('noGrad records nothing and its outputs need no gradient', () => {
    const W = parameter([1, 2, 3, 4], [2, 2]);
    const x = tensor([1, 1], [1, 2]);
    const y = noGrad(() => linear(x, W, null));
    expect(y.requiresGrad).toBe(false);
    expect(engine.tape.length).toBe(0);
    expect([...y.data]).toEqual([3, 7]);
  });

  it('concat joins columns for conditional models', () => {
    const a = tensor([1, 2, 3, 4], [2, 2]);
    const b = tensor([9, 8], [2, 1]);
    expect([...concat([a, b]).data]).toEqual([1, 2, 9, 3, 4, 8]);
  });
});

describe('convolution layers', () => {
  it('Conv2d then ConvTranspose2d maps 28×28 → 14×14 → 28×28 with the torch output-size rules', () => {
    const rng = new Rng(2);
    const net = new Sequential([
      new Reshape([1, 28, 28]),
      new Conv2d({
        inChannels: 1,
        outChannels: 4,
        kernelSize: 3,
        stride: 2,
        padding: 1,
        activation: 'relu',
        rng,
      }),
      new BatchNorm({ numFeatures: 4 }),
      new ConvTranspose2d({
        inChannels: 4,
        outChannels: 1,
        kernelSize: 3,
        stride: 2,
        padding: 1,
        outputPadding: 1,
        activation: 'sigmoid',
        rng,
      }),
      new Flatten(),
    ]);
    const x = tensor(new Float32Array(2 * 784).fill(0.5), [2, 784]);
    const y = net.forward(x);
    expect([...y.shape]).toEqual([2, 784]);
    expect([...net.forwardTo(x, 2).shape]).toEqual([2, 4, 14, 14]);
  });
});

describe('save and load through io', () => {
  it('rebuilds architecture and weights (tied, conv, batch norm, dropout) with identical predictions', () => {
    const rng = new Rng(9);
    const enc = new Dense({ inFeatures: 16, outFeatures: 8, activation: 'relu', rng });
    const net = new Sequential([
      new Reshape([1, 4, 4]),
      new Conv2d({
        inChannels: 1,
        outChannels: 2,
        kernelSize: 3,
        padding: 1,
        activation: 'leakyRelu',
        alpha: 0.2,
        rng,
      }),
      new BatchNorm({ numFeatures: 2 }),
      new Flatten(),
      new Dense({ inFeatures: 32, outFeatures: 16, activation: 'tanh', rng }),
      enc,
      new Dropout(0.3),
      new Dense({ inFeatures: 8, outFeatures: 16, tiedTo: enc, rng }),
      new Activation('softplus'),
    ]);
    const X = Matrix.fromRows(
      Array.from({ length: 5 }, (_, i) => Array.from({ length: 16 }, (_, j) => Math.sin(i + j))),
      'float32',
    );
    // one training-mode pass so batch-norm running statistics are not the defaults
    engine.rng = new Rng(0);
    net.forward(tensor(X.data, [5, 16]));
    const before = predict(net, X);
    const bytes = saveModel(net);
    const back = loadModel(bytes) as Sequential;
    expect(back).toBeInstanceOf(Sequential);
    expect([...predict(back, X).data]).toEqual([...before.data]);
    expect((back.layers[7] as Dense).weight).toBe((back.layers[5] as Dense).weight);
  });

  it('the model path imports no Node modules (loadable in the browser)', () => {
    const dir = new URL('../../src/nn/', import.meta.url);
    for (const f of readdirSync(dir)) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      expect(src, f).not.toMatch(/from ['"](node:|fs['"]|path['"])/);
    }
  });
});

describe('GAN-style alternating updates', () => {
  it('detach stops gradients into the generator; a generator step flows through a frozen-in-place discriminator', () => {
    checkMode(() => {
      const rng = new Rng(4);
      const G = new Dense({ inFeatures: 2, outFeatures: 3, activation: 'tanh', rng });
      const D = new Dense({ inFeatures: 3, outFeatures: 1, rng });
      const z = tensor([0.1, -0.2, 0.3, 0.4], [2, 2]);
      const ones = tensor([1, 1], [2, 1]);
      // discriminator step: generated samples are detached
      backward(bceWithLogitsLoss(D.forward(detach(G.forward(z))), ones));
      expect(G.weight.grad).toBeNull();
      expect(D.weight.grad!.some((v) => v !== 0)).toBe(true);
      // generator step: gradients reach G through D
      D.weight.zeroGrad();
      backward(bceWithLogitsLoss(D.forward(G.forward(z)), ones));
      expect(G.weight.grad!.some((v) => v !== 0)).toBe(true);
    });
  });

  it('oneHot builds targets and names a bad label', () => {
    expect([...oneHot([2, 0], 3).data]).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot([1, 3], 3)).toThrow('label 3 at index 1 is not an integer in [0, 3)');
  });
});

describe('BCE clamping (as torch.nn.BCELoss)', () => {
  it('a log below −100 counts as −100, so p = 0 with target 1 costs 100, not Infinity', () => {
    checkMode(() => {
      expect(bceLoss(tensor([0, 0.5], [1, 2]), tensor([1, 0], [1, 2])).item()).toBeCloseTo(
        (100 + Math.LN2) / 2,
        12,
      );
      expect(bceLoss(tensor([1, 1e-50], [1, 2]), tensor([0, 1], [1, 2])).item()).toBeCloseTo(100, 12);
      expect(bceLoss(tensor([1.5], [1, 1]), tensor([0], [1, 1])).item()).toBeNaN();
    });
  });
});

describe('gradCheck', () => {
  it('agrees for a small conv + batch-norm + dense model in float64 and flags a wrong gradient', () => {
    checkMode(() => {
      const rng = new Rng(8);
      const net = new Sequential([
        new Reshape([1, 4, 4]),
        new Conv2d({
          inChannels: 1,
          outChannels: 2,
          kernelSize: 3,
          stride: 2,
          padding: 1,
          activation: 'tanh',
          rng,
        }),
        new BatchNorm({ numFeatures: 2 }),
        new Flatten(),
        new Dense({ inFeatures: 8, outFeatures: 16, activation: 'sigmoid', rng }),
      ]);
      const x = tensor(
        Array.from({ length: 48 }, (_, i) => Math.sin(i)),
        [3, 16],
      );
      const f = (): Tensor => mseLoss(net.forward(x), x);
      const r = gradCheck(f, net.parameters());
      expect(r.checked).toBe(2 * 9 + 2 + 2 + 2 + 8 * 16 + 16);
      expect(r.maxRelError).toBeLessThan(1e-6);
      // a loss whose backward is wrong (its tape entry is cut by detach) is caught
      const W = net.parameters()[0]!;
      const wrong = (): Tensor => add(mseLoss(net.forward(x), x), sum(mul(detach(W), W)));
      expect(gradCheck(wrong, [W]).maxRelError).toBeGreaterThan(0.1);
    });
  });
});
