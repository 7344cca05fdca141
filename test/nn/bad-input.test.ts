/**
 * Issue 2's bar for nn/: the engine's public functions, layers, optimizers and the training loop
 * reject bad input with a ValidationError whose message names the argument or option (exact text),
 * one row per case. Shape mismatches are reported by the primitive that meets them.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import * as N from '../../src/nn/index.js';

const x = () => N.tensor([1, 2, 3, 4, 5, 6], [2, 3], { requiresGrad: true });
const y = () => N.tensor([1, 2], [2, 1]);
const net = () => new N.Sequential([new N.Dense({ inFeatures: 3, outFeatures: 2 })]);
const loss = (m: N.Sequential, a: N.Tensor) => N.mseLoss(m.forward(a), a);
/** An autoencoder-shaped net, so that `loss` runs. */
const net3 = () => new N.Sequential([new N.Dense({ inFeatures: 3, outFeatures: 3, seed: 1 })]);

const cases: [string, () => unknown, string][] = [
  ['tensor length', () => N.tensor([1, 2, 3], [2, 2]), 'tensor data has 3 values, shape [2, 2] needs 4'],
  [
    'tensor neg shape',
    () => N.tensor([1, 2], [-1, -2]),
    'tensor shape must hold non-negative integers; got [-1, -2]',
  ],
  ['zeros frac', () => N.zeros([1.5]), 'tensor shape must hold non-negative integers; got [1.5]'],
  ['parameter length', () => N.parameter([1], [2]), 'tensor data has 1 values, shape [2] needs 2'],
  ['item', () => x().item(), 'item() needs a tensor with one value; shape is [2, 3]'],
  ['matmul shapes', () => N.matmul(x(), x()), 'matmul: inner dimensions differ ([2, 3] \u00b7 [2, 3])'],
  ['add shapes', () => N.add(x(), y()), 'add: shapes [2, 3] and [2, 1] differ'],
  ['sub shapes', () => N.sub(x(), y()), 'sub: shapes [2, 3] and [2, 1] differ'],
  ['mul shapes', () => N.mul(x(), y()), 'mul: shapes [2, 3] and [2, 1] differ'],
  ['addBias', () => N.addBias(x(), y()), 'addBias: bias of 2 values does not fit input shape [2, 3]'],
  ['linear', () => N.linear(x(), y(), null), 'linear: input [2, 3] does not fit weight [2, 1]'],
  ['reshape', () => N.reshape(x(), [4]), 'reshape: cannot view [2, 3] (6 values) as [4]'],
  ['concat', () => N.concat([x(), N.tensor([1], [1, 1])]), 'concat: row counts differ ([2, 3] and [1, 1])'],
  ['sliceCols', () => N.sliceCols(x(), 2, 5), 'sliceCols: [2, 5) is outside the 3 columns'],
  [
    'activate',
    () => N.activate(x(), 'gelu' as never),
    'activation must be one of "relu", "leakyRelu", "sigmoid", "tanh", "softplus", "identity"; got "gelu"',
  ],
  ['dropout', () => N.dropout(x(), 1), 'dropout rate p must be in [0, 1); got 1'],
  ['oneHot k', () => N.oneHot([0], 0), 'oneHot: k must be an integer >= 1; got 0'],
  ['oneHot label', () => N.oneHot([0, 2], 2), 'label 2 at index 1 is not an integer in [0, 2)'],
  ['randn shape', () => N.randn([-1]), 'tensor shape must hold non-negative integers; got [-1]'],
  ['mseLoss', () => N.mseLoss(x(), y()), 'mse: shapes [2, 3] and [2, 1] differ'],
  ['bceLoss', () => N.bceLoss(x(), y()), 'bce: shapes [2, 3] and [2, 1] differ'],
  ['bceWithLogitsLoss', () => N.bceWithLogitsLoss(x(), y()), 'bceLogits: shapes [2, 3] and [2, 1] differ'],
  [
    'softmaxCrossEntropy',
    () => N.softmaxCrossEntropy(x(), y()),
    'softmaxCrossEntropy: shapes [2, 3] and [2, 1] differ',
  ],
  ['gaussianKL', () => N.gaussianKL(x(), y()), 'gaussianKL: shapes [2, 3] and [2, 1] differ'],
  ['sparsityKL rho', () => N.sparsityKL(x(), 0), 'sparsity target rho must be in (0, 1); got 0'],
  [
    'sparsityKL beta',
    () => N.sparsityKL(x(), 0.1, NaN),
    'sparsityKL: beta must be a finite number >= 0; got NaN',
  ],
  ['l1Activity', () => N.l1Activity(x(), -1), 'l1Activity: lambda must be a finite number >= 0; got -1'],
  [
    'contractiveSigmoid',
    () => N.contractiveSigmoid(x(), y()),
    'contractiveSigmoid: weight [2, 1] does not fit codes [2, 3] (weight must be [H, D])',
  ],
  [
    'contractivePenalty samples',
    () => N.contractivePenalty((t) => t, x(), x(), 1, { samples: 0 }),
    'contractivePenalty: samples must be an integer >= 1; got 0',
  ],
  [
    'contractivePenalty sigma',
    () => N.contractivePenalty((t) => t, x(), x(), 1, { sigma: 0 }),
    'contractivePenalty: sigma must be a finite number > 0; got 0',
  ],
  ['backward nonscalar', () => N.backward(x()), 'backward() needs a scalar loss; got shape [2, 3]'],
  [
    'backward nograd',
    () => N.backward(N.tensor([1], [1])),
    'backward(): the loss does not depend on any tensor that requires a gradient',
  ],
  [
    'initialize',
    () => N.initialize(new Float32Array(2), 1, 1, 'xavier' as never, new Rng(0)),
    'init must be one of "glorotUniform", "glorotNormal", "heUniform", "heNormal", "torch", "zeros"; got "xavier"',
  ],
  [
    'Dense in',
    () => new N.Dense({ inFeatures: 0, outFeatures: 1 }),
    'inFeatures must be an integer >= 1; got 0',
  ],
  [
    'Dense act',
    () => new N.Dense({ inFeatures: 1, outFeatures: 1, activation: 'gelu' as never }),
    'activation must be one of "relu", "leakyRelu", "sigmoid", "tanh", "softplus", "identity"; got "gelu"',
  ],
  [
    'Dense init',
    () => new N.Dense({ inFeatures: 1, outFeatures: 1, init: 'xavier' as never }),
    'init must be one of "glorotUniform", "glorotNormal", "heUniform", "heNormal", "torch", "zeros"; got "xavier"',
  ],
  [
    'Conv2d k',
    () => new N.Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 0 }),
    'kernelSize must be an integer >= 1; got 0',
  ],
  [
    'Conv2d pad',
    () => new N.Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 3, padding: -1 }),
    'padding must be an integer >= 0; got -1',
  ],
  [
    'Conv2d forward',
    () => new N.Conv2d({ inChannels: 2, outChannels: 1, kernelSize: 3 }).forward(N.zeros([1, 1, 5, 5])),
    'conv2d: input [1, 1, 5, 5] and weight [1, 2, 3, 3] do not fit ([N, C, H, W] and [F, C, kh, kw])',
  ],
  [
    'ConvT stride',
    () => new N.ConvTranspose2d({ inChannels: 1, outChannels: 1, kernelSize: 3, stride: 0 }),
    'stride must be an integer >= 1; got 0',
  ],
  [
    'ConvT outpad',
    () =>
      new N.ConvTranspose2d({ inChannels: 1, outChannels: 1, kernelSize: 3, stride: 2, outputPadding: 2 }),
    'outputPadding=2 must be < stride=2',
  ],
  [
    'BatchNorm eps',
    () => new N.BatchNorm({ numFeatures: 2, eps: 0 }),
    'eps must be a finite number > 0; got 0',
  ],
  [
    'BatchNorm mom',
    () => new N.BatchNorm({ numFeatures: 2, momentum: 2 }),
    'momentum must be a number in [0, 1]; got 2',
  ],
  [
    'BatchNorm forward',
    () => new N.BatchNorm({ numFeatures: 2 }).forward(x()),
    'batchNorm: 2 channels do not fit input shape [2, 3]',
  ],
  ['Dropout', () => new N.Dropout(-0.1), 'dropout rate p must be in [0, 1); got -0.1'],
  ['Reshape', () => new N.Reshape([0, 2]), 'Reshape shape must be positive integers; got [0,2]'],
  [
    'Activation',
    () => new N.Activation('gelu' as never),
    'activation must be one of "relu", "leakyRelu", "sigmoid", "tanh", "softplus", "identity"; got "gelu"',
  ],
  [
    'Sequential forward',
    () => net().forward(N.zeros([2, 4])),
    'linear: input [2, 4] does not fit weight [2, 3]',
  ],
  ['Sequential loadArrays', () => net().loadArrays({}), "saved weights lack '0.weight'"],
  ...(() => {
    const net1 = () => new N.Sequential([new N.Dense({ inFeatures: 3, outFeatures: 1 })]);
    const sup = (m: N.Sequential, a: N.Tensor, t: N.Tensor | null) => N.mseLoss(m.forward(a), t!);
    const X = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const Y = [[1], [2]];
    const rows: [string, () => unknown, string][] = [
      [
        'train: validation.Y rows',
        () => N.train(net1(), sup, X, Y, { epochs: 1, validation: { X, Y: [[1]] } }),
        'validation.Y has 1 rows but validation.X has 2',
      ],
      [
        'train: validation.Y missing',
        () => N.train(net1(), sup, X, Y, { epochs: 1, validation: { X } }),
        'validation.Y is missing: the network is trained with targets Y',
      ],
      [
        'train: validation.Y columns',
        () =>
          N.train(net1(), sup, X, Y, {
            epochs: 1,
            validation: {
              X,
              Y: [
                [1, 2],
                [3, 4],
              ],
            },
          }),
        'validation.Y has 2 columns but Y has 1',
      ],
      [
        'train: NaN minDelta',
        () => N.train(net1(), sup, X, Y, { earlyStopping: { patience: 1, minDelta: NaN } }),
        'earlyStopping.minDelta must be a finite number >= 0; got NaN',
      ],
      [
        'train: checkpoint.everyBatches 0',
        () => N.train(net1(), sup, X, Y, { checkpoint: { save: () => {}, everyBatches: 0 } }),
        'checkpoint.everyBatches must be an integer >= 1; got 0',
      ],
    ];
    return rows;
  })(),
  ['affine: NaN', () => N.affine(x(), NaN), 'affine: a and b must be finite numbers; got a=NaN, b=0'],
  ['scale: Infinity', () => N.scale(x(), Infinity), 'scale: c must be a finite number; got Infinity'],
  ['leakyRelu: NaN alpha', () => N.leakyRelu(x(), NaN), 'leakyRelu: alpha must be a finite number; got NaN'],
  [
    'apply: unknown primitive',
    () => N.apply('toString' as never, [x()], null as never),
    'apply: unknown primitive "toString"',
  ],
  ['add: a number for a tensor', () => N.add(x(), 3 as never), 'apply: input 1 of add is not a Tensor'],
  [
    'apply: no inputs',
    () => N.apply('relu', [], null),
    'apply: the inputs of relu must be a non-empty array of Tensors',
  ],
  ['Sequential: not a layer', () => new N.Sequential([{}] as never), 'Sequential: layer 0 is not a Layer'],
  ['Sequential forwardTo', () => net().forwardTo(x(), 2), 'forwardTo: n must be an integer in [0, 1]; got 2'],
  [
    'Sequential loadArrays: transposed weight',
    () =>
      net().loadArrays({
        '0.weight': { data: new Float32Array(6), shape: [3, 2] },
        '0.bias': { data: new Float32Array(2), shape: [2] },
      }),
    "saved weight '0.weight' has shape [3, 2], the network needs [2, 3]",
  ],
  ['SGD lr', () => new N.SGD([], { lr: -1 }), "The 'lr' option of SGD must be a finite number > 0; got -1."],
  [
    'SGD momentum',
    () => new N.SGD([], { momentum: -1 }),
    "The 'momentum' option of SGD must be a finite number >= 0; got -1.",
  ],
  ['SGD params', () => new N.SGD({} as never), 'params must be an array of Tensors (e.g. net.parameters())'],
  [
    'Adam beta1',
    () => new N.Adam([], { beta1: 1 }),
    "The 'beta1' option of Adam must be a finite number >= 0 and < 1; got 1.",
  ],
  [
    'Adam unknown',
    () => new N.Adam([], { betas: [0.9, 0.99] } as never),
    "Unknown option 'betas' for Adam; known options: beta1, beta2, eps, lr, weightDecay",
  ],
  [
    'RMSprop alpha',
    () => new N.RMSprop([], { alpha: -1 }),
    "The 'alpha' option of RMSprop must be a finite number >= 0 and < 1; got -1.",
  ],
  [
    'makeOptimizer name',
    () => N.makeOptimizer([], { name: 'adagrad' } as never),
    'optimizer name must be one of "sgd", "adam", "rmsprop"; got "adagrad"',
  ],
  [
    'makeOptimizer null',
    () => N.makeOptimizer([], null as never),
    "optimizer spec must be an object such as { name: 'adam' }; got null",
  ],
  [
    'setState',
    () => new N.Adam([]).setState({ name: 'SGD', step: 0, buffers: [] }),
    'optimizer state is for SGD with 0 buffers; this is Adam with 0',
  ],
  [
    'train epochs',
    () => N.train(net(), loss, [[1, 2, 3]], null, { epochs: -1 }),
    "The 'epochs' option of train must be an integer >= 0; got -1.",
  ],
  ['train X NaN', () => N.train(net(), loss, [[1, NaN, 3]], null), 'X has NaN at row 0, column 1'],
  ['train Y rows', () => N.train(net(), loss, [[1, 2, 3]], [[1], [2]]), 'Y has 2 rows but X has 1'],
  [
    'train patience',
    () => N.train(net(), loss, [[1, 2, 3]], null, { earlyStopping: { patience: 0 } }),
    'earlyStopping.patience must be an integer >= 1; got 0',
  ],
  ['evaluate', () => N.evaluate(net(), loss, [[1, NaN, 3]], null), 'X has NaN at row 0, column 1'],
  ['predict', () => N.predict(net(), [[1, 2]]), 'linear: input [1, 2] does not fit weight [2, 3]'],
  ['predict NaN', () => N.predict(net(), [[1, Infinity, 2]]), 'X has Infinity at row 0, column 1'],
  [
    'gradCheck',
    () => N.gradCheck(null as never, []),
    'gradCheck: f must be a function returning a scalar Tensor',
  ],
  [
    'predict batchSize 0',
    () => N.predict(net(), [[1, 2, 3]], { batchSize: 0 }),
    "The 'batchSize' option of predict must be an integer >= 1; got 0.",
  ],
  [
    'predict inputShape',
    () => N.predict(net(), [[1, 2, 3]], { inputShape: [2, 2] }),
    'inputShape [2, 2] does not hold the 3 features of X',
  ],
  ['predict net', () => N.predict({} as never, [[1, 2, 3]]), 'predict: net must be a Sequential'],
  [
    'evaluate batchSize',
    () => N.evaluate(net(), loss, [[1, 2, 3]], null, { batchSize: 1.5 }),
    "The 'batchSize' option of evaluate must be an integer >= 1; got 1.5.",
  ],
  [
    'evaluate lossFn',
    () => N.evaluate(net(), null as never, [[1, 2, 3]], null),
    'evaluate: lossFn must be a function (net, x, y) => scalar Tensor',
  ],
  ['evaluate Y rows', () => N.evaluate(net(), loss, [[1, 2, 3]], [[1], [2]]), 'Y has 2 rows but X has 1'],
  [
    'train lossFn',
    () => N.train(net(), 'mse' as never, [[1, 2, 3]], null),
    'train: lossFn must be a function (net, x, y) => scalar Tensor',
  ],
  ['train net', () => N.train(null as never, loss, [[1, 2, 3]], null), 'train: net must be a Sequential'],
  [
    'train inputShape',
    () => N.train(net(), loss, [[1, 2, 3]], null, { inputShape: [2] }),
    'inputShape [2] does not hold the 3 features of X',
  ],
  [
    'train unknown',
    () => N.train(net(), loss, [[1, 2, 3]], null, { epoch: 2 } as never),
    "Unknown option 'epoch' for train; known options: batchSize, checkpoint, earlyStopping, epochs, inputShape, onProgress, optimizer, resume, seed, shuffle, signal, validation",
  ],
  ['train empty X', () => N.train(net(), loss, [], null), 'X is empty: it has no rows'],
  [
    'gradCheck h',
    () => N.gradCheck(() => N.sum(x()), [], { h: 0 }),
    'gradCheck: h must be a finite number > 0; got 0',
  ],
  [
    'gradCheck maxPerParam',
    () => N.gradCheck(() => N.sum(x()), [], { maxPerParam: 0 }),
    'gradCheck: maxPerParam must be an integer >= 1; got 0',
  ],
];

describe('nn: bad input gives a ValidationError naming the argument', () => {
  it.each(cases)('%s', (_name, run, message) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(message);
  });

  it("predict and evaluate leave the caller's data alone", () => {
    const X = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const m = net3();
    N.predict(m, X, { batchSize: 1 });
    N.evaluate(m, loss, X, null, { batchSize: 1 });
    expect(X).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('evaluate equals the mean of the per-batch losses weighted by batch size', () => {
    const X = [
      [1, 2, 3],
      [4, 5, 6],
      [0, -1, 2],
    ];
    const m = net3();
    const whole = N.evaluate(m, loss, X, null, { batchSize: 3 });
    const byRows = X.map((r) => N.evaluate(m, loss, [r], null));
    expect(N.evaluate(m, loss, X, null, { batchSize: 2 })).toBeCloseTo(whole, 6);
    expect(whole).toBeCloseTo(byRows.reduce((a, b) => a + b, 0) / 3, 6);
  });
});
