/**
 * nn — a small reverse-mode autodiff engine on the WebAssembly kernels, with the layers, losses,
 * optimizers and training loop that the autoencoders, VAEs and GANs of the notes need.
 *
 * @example The notes' MNIST autoencoder (784-128-32-128-784, relu, sigmoid output, BCE, Adam):
 * ```ts
 * import { Dense, Sequential, bceLoss, train, predict } from 'unsupervised/nn';
 * import { loadMnist } from 'unsupervised/datasets';
 * import { Rng } from 'unsupervised/core';
 *
 * const { X } = loadMnist({ split: 'train', limit: 10000 });
 * const rng = new Rng(1);
 * const net = new Sequential([
 *   new Dense({ inFeatures: 784, outFeatures: 128, activation: 'relu', rng }),
 *   new Dense({ inFeatures: 128, outFeatures: 32, activation: 'relu', rng }),
 *   new Dense({ inFeatures: 32, outFeatures: 128, activation: 'relu', rng }),
 *   new Dense({ inFeatures: 128, outFeatures: 784, activation: 'sigmoid', rng }),
 * ]);
 * const history = train(net, (n, x) => bceLoss(n.forward(x), x), X, null, {
 *   epochs: 5, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 },
 *   onProgress: (e) => e.stage === 'epoch' && console.log(e.iteration, e.loss, e.samplesPerSecond),
 * });
 * const codes = predict(new Sequential(net.layers.slice(0, 2)), X); // 10000 × 32
 * ```
 *
 * Lower level: tensors (`tensor`, `parameter`), ops (`matmul`, `relu`, ...), `backward(loss)`,
 * `scope(fn)` for allocation-free steps, `noGrad`/`evalMode`, `checkMode` (float64) and `gradCheck`.
 */
export * from './memory.js';
export * from './tensor.js';
export * from './primitives.js';
export * from './ops.js';
export * from './losses.js';
export * from './init.js';
export * from './optim.js';
export * from './layers.js';
export * from './train.js';
export * from './gradcheck.js';
