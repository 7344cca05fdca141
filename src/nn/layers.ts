/**
 * Layers and the Sequential container. A layer owns its parameters (leaf tensors with persistent
 * gradient buffers) and describes itself by a JSON config, so a network is saved as
 * architecture JSON + named weight arrays and rebuilt anywhere (browser included: nothing here
 * imports Node modules).
 *
 * Weight layouts follow torch (Linear [out, in], Conv2d [F, C, kh, kw], ConvTranspose2d
 * [Cin, Cout, kh, kw]) so weights transfer from PyTorch unchanged.
 */
import { Rng } from '../core/rng.js';
import { ValidationError } from '../core/errors.js';
import { registerModel, type ModelState, type Saveable } from '../core/estimator.js';
import { apply } from './primitives.js';
import { Tensor, engine, parameter } from './tensor.js';
import { allocBuf, freeBuf, type Buf } from './memory.js';
import { ACTIVATIONS, activate, addBias, dropout, linear, reshape, type ActivationName } from './ops.js';
import { initialize, type InitName } from './init.js';

export type LayerConfig =
  | {
      type: 'Dense';
      inFeatures: number;
      outFeatures: number;
      bias: boolean;
      activation: ActivationName;
      alpha: number;
      tiedTo?: number;
    }
  | {
      type: 'Conv2d';
      inChannels: number;
      outChannels: number;
      kernelSize: number;
      stride: number;
      padding: number;
      bias: boolean;
      activation: ActivationName;
      alpha: number;
    }
  | {
      type: 'ConvTranspose2d';
      inChannels: number;
      outChannels: number;
      kernelSize: number;
      stride: number;
      padding: number;
      outputPadding: number;
      bias: boolean;
      activation: ActivationName;
      alpha: number;
    }
  | { type: 'BatchNorm'; numFeatures: number; eps: number; momentum: number }
  | { type: 'Dropout'; p: number }
  | { type: 'Reshape'; shape: number[] }
  | { type: 'Flatten' }
  | { type: 'Activation'; activation: ActivationName; alpha: number };

/** A building block of a Sequential: a forward map, its parameters and buffers, and a JSON config. */
export abstract class Layer {
  abstract forward(x: Tensor): Tensor;
  /** Trainable parameters owned by this layer, by local name. */
  params(): Record<string, Tensor> {
    return {};
  }
  /** Non-trainable state saved with the weights (batch-norm running statistics). */
  buffers(): Record<string, Buf> {
    return {};
  }
  abstract config(): LayerConfig;
}

interface InitOptions {
  /** Weight initialiser (default 'glorotUniform'; biases start at 0, or U(±1/√fanIn) for 'torch'). */
  init?: InitName;
  /** Random source of the initial weights (default: a new Rng(seed)). */
  rng?: Rng;
  seed?: number;
}

function initParam(
  shape: number[],
  fanIn: number,
  fanOut: number,
  init: InitName,
  rng: Rng,
  name: string,
): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  return new Tensor(initialize(allocBuf(engine.dtype, n), fanIn, fanOut, init, rng), shape, true, name);
}
function initBias(n: number, fanIn: number, init: InitName, rng: Rng, name: string): Tensor {
  return initParam([n], fanIn, 1, init === 'torch' ? 'torch' : 'zeros', rng, name);
}
const pos = (name: string, v: number): void => {
  if (!(Number.isInteger(v) && v >= 1))
    throw new ValidationError(`${name} must be an integer >= 1; got ${v}`);
};
const nonNeg = (name: string, v: number): void => {
  if (!(Number.isInteger(v) && v >= 0))
    throw new ValidationError(`${name} must be an integer >= 0; got ${v}`);
};
/** Checked at construction, so a typo fails where it is made, not at the first forward pass. */
function checkActivation(name: ActivationName, alpha: number): void {
  if (!ACTIVATIONS.includes(name)) {
    throw new ValidationError(
      `activation must be one of ${ACTIVATIONS.map((a) => JSON.stringify(a)).join(', ')}; got ${JSON.stringify(name)}`,
    );
  }
  if (!Number.isFinite(alpha)) throw new ValidationError(`alpha must be a finite number; got ${alpha}`);
}

export interface DenseOptions extends InitOptions {
  inFeatures: number;
  outFeatures: number;
  /** Add a bias vector (default true). */
  bias?: boolean;
  /** Activation applied after the affine map (default 'identity'). */
  activation?: ActivationName;
  /** Negative slope of 'leakyRelu' (default 0.01). */
  alpha?: number;
  /**
   * Weight tying: use this encoder layer's weight transposed (y = x·W, no copy: gemm's transpose
   * flag), so inFeatures/outFeatures must be the encoder's out/in.
   */
  tiedTo?: Dense;
}

/** y = act(x·Wᵀ + b), W [out, in]. */
export class Dense extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly tiedTo: Dense | null;
  readonly activation: ActivationName;
  readonly alpha: number;
  constructor(readonly o: DenseOptions) {
    super();
    pos('inFeatures', o.inFeatures);
    pos('outFeatures', o.outFeatures);
    const rng = o.rng ?? new Rng(o.seed ?? 0);
    const init = o.init ?? 'glorotUniform';
    this.activation = o.activation ?? 'identity';
    this.alpha = o.alpha ?? 0.01;
    checkActivation(this.activation, this.alpha);
    this.tiedTo = o.tiedTo ?? null;
    if (this.tiedTo) {
      const t = this.tiedTo;
      if (t.tiedTo || t.o.inFeatures !== o.outFeatures || t.o.outFeatures !== o.inFeatures) {
        throw new ValidationError(
          `a Dense ${o.inFeatures}→${o.outFeatures} cannot be tied to a Dense ${t.o.inFeatures}→${t.o.outFeatures}`,
        );
      }
      this.weight = t.weight;
    } else {
      this.weight = initParam(
        [o.outFeatures, o.inFeatures],
        o.inFeatures,
        o.outFeatures,
        init,
        rng,
        'weight',
      );
    }
    this.bias = o.bias === false ? null : initBias(o.outFeatures, o.inFeatures, init, rng, 'bias');
  }
  forward(x: Tensor): Tensor {
    return activate(linear(x, this.weight, this.bias, this.tiedTo !== null), this.activation, this.alpha);
  }
  override params(): Record<string, Tensor> {
    const p: Record<string, Tensor> = {};
    if (!this.tiedTo) p.weight = this.weight;
    if (this.bias) p.bias = this.bias;
    return p;
  }
  config(): LayerConfig {
    return {
      type: 'Dense',
      inFeatures: this.o.inFeatures,
      outFeatures: this.o.outFeatures,
      bias: this.bias !== null,
      activation: this.activation,
      alpha: this.alpha,
    };
  }
}

export interface Conv2dOptions extends InitOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: number;
  padding?: number;
  bias?: boolean;
  activation?: ActivationName;
  alpha?: number;
}

/**
 * What Conv2d and ConvTranspose2d share: option checks, weight and bias initialisation (weight first,
 * then bias, from one Rng), bias + activation after the convolution primitive, parameters, config.
 */
abstract class ConvLayer extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;
  readonly activation: ActivationName;
  readonly alpha: number;
  /**
   * @param weightShape the layout of the subclass's weight, for kernel size k
   * @param fans its [fanIn, fanOut] as torch computes them (the bias is initialised from fanIn)
   * @param check the subclass's own option checks, run before any weight is drawn
   */
  protected constructor(
    readonly o: Conv2dOptions,
    weightShape: (k: number) => number[],
    fans: (k: number) => [number, number],
    check: () => void = () => {},
  ) {
    super();
    pos('inChannels', o.inChannels);
    pos('outChannels', o.outChannels);
    pos('kernelSize', o.kernelSize);
    this.stride = o.stride ?? 1;
    this.padding = o.padding ?? 0;
    pos('stride', this.stride);
    nonNeg('padding', this.padding);
    this.activation = o.activation ?? 'identity';
    this.alpha = o.alpha ?? 0.01;
    checkActivation(this.activation, this.alpha);
    check();
    const k = o.kernelSize,
      rng = o.rng ?? new Rng(o.seed ?? 0),
      init = o.init ?? 'glorotUniform',
      [fanIn, fanOut] = fans(k);
    this.weight = initParam(weightShape(k), fanIn, fanOut, init, rng, 'weight');
    this.bias = o.bias === false ? null : initBias(o.outChannels, fanIn, init, rng, 'bias');
  }
  /** Bias (per output channel) and activation on the convolution's output y [N, F, H, W]. */
  protected finish(y: Tensor): Tensor {
    if (this.bias) y = addBias(y, this.bias, y.shape[2]! * y.shape[3]!);
    return activate(y, this.activation, this.alpha);
  }
  override params(): Record<string, Tensor> {
    return this.bias ? { weight: this.weight, bias: this.bias } : { weight: this.weight };
  }
  protected baseConfig() {
    const o = this.o;
    return {
      inChannels: o.inChannels,
      outChannels: o.outChannels,
      kernelSize: o.kernelSize,
      stride: this.stride,
      padding: this.padding,
      bias: this.bias !== null,
      activation: this.activation,
      alpha: this.alpha,
    };
  }
}

/** 2-D convolution on [N, C, H, W] by im2col + gemm; weight [F, C, k, k]. */
export class Conv2d extends ConvLayer {
  constructor(o: Conv2dOptions) {
    super(
      o,
      (k) => [o.outChannels, o.inChannels, k, k],
      (k) => [o.inChannels * k * k, o.outChannels * k * k],
    );
  }
  forward(x: Tensor): Tensor {
    return this.finish(apply('conv2d', [x, this.weight], { stride: this.stride, pad: this.padding }));
  }
  config(): LayerConfig {
    return { type: 'Conv2d', ...this.baseConfig() };
  }
}

export interface ConvTranspose2dOptions extends Conv2dOptions {
  /** Extra rows/columns on one side of the output (< stride), to reach even sizes (default 0). */
  outputPadding?: number;
}

/** Transposed convolution (the adjoint of Conv2d, DCGAN's generator); weight [Cin, Cout, k, k]. */
export class ConvTranspose2d extends ConvLayer {
  readonly outputPadding: number;
  constructor(o: ConvTranspose2dOptions) {
    const outputPadding = o.outputPadding ?? 0;
    super(
      o,
      (k) => [o.inChannels, o.outChannels, k, k],
      // torch computes fans of a [Cin, Cout, k, k] weight as fanIn = Cout·k², fanOut = Cin·k².
      (k) => [o.outChannels * k * k, o.inChannels * k * k],
      () => {
        nonNeg('outputPadding', outputPadding);
        // torch: "output padding must be smaller than either stride or dilation" (dilation is 1 here).
        const stride = o.stride ?? 1;
        if (outputPadding >= stride)
          throw new ValidationError(`outputPadding=${outputPadding} must be < stride=${stride}`);
      },
    );
    this.outputPadding = outputPadding;
  }
  forward(x: Tensor): Tensor {
    return this.finish(
      apply('convTranspose2d', [x, this.weight], {
        stride: this.stride,
        pad: this.padding,
        outputPadding: this.outputPadding,
      }),
    );
  }
  config(): LayerConfig {
    return { type: 'ConvTranspose2d', ...this.baseConfig(), outputPadding: this.outputPadding };
  }
}

export interface BatchNormOptions {
  /** Channels (C of [N, C] or [N, C, H, W]). */
  numFeatures: number;
  eps?: number;
  /** Weight of the new batch statistic in the running averages (torch's momentum, default 0.1). */
  momentum?: number;
}

/** Batch normalisation with learnable γ, β; batch statistics in training, running ones in eval. */
export class BatchNorm extends Layer {
  readonly gamma: Tensor;
  readonly beta: Tensor;
  readonly runningMean: Buf;
  readonly runningVar: Buf;
  readonly eps: number;
  readonly momentum: number;
  constructor(readonly o: BatchNormOptions) {
    super();
    pos('numFeatures', o.numFeatures);
    const C = o.numFeatures;
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum ?? 0.1;
    if (!(Number.isFinite(this.eps) && this.eps > 0))
      throw new ValidationError(`eps must be a finite number > 0; got ${this.eps}`);
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new ValidationError(`momentum must be a number in [0, 1]; got ${this.momentum}`);
    this.gamma = parameter(new Float64Array(C).fill(1), [C], 'gamma');
    this.beta = parameter(new Float64Array(C), [C], 'beta');
    this.runningMean = allocBuf(engine.dtype, C);
    this.runningVar = allocBuf(engine.dtype, C).fill(1);
  }
  forward(x: Tensor): Tensor {
    return apply('batchNorm', [x, this.gamma, this.beta], {
      eps: this.eps,
      momentum: this.momentum,
      training: engine.training,
      runningMean: this.runningMean,
      runningVar: this.runningVar,
    });
  }
  override params(): Record<string, Tensor> {
    return { gamma: this.gamma, beta: this.beta };
  }
  override buffers(): Record<string, Buf> {
    return { runningMean: this.runningMean, runningVar: this.runningVar };
  }
  config(): LayerConfig {
    return { type: 'BatchNorm', numFeatures: this.o.numFeatures, eps: this.eps, momentum: this.momentum };
  }
}

/** Inverted dropout, seeded by the engine's Rng (the training loop installs its own). */
export class Dropout extends Layer {
  constructor(readonly p: number) {
    super();
    if (!(p >= 0 && p < 1)) throw new ValidationError(`dropout rate p must be in [0, 1); got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p);
  }
  config(): LayerConfig {
    return { type: 'Dropout', p: this.p };
  }
}

/** Per-sample reshape: [N, ...] → [N, ...shape] (a view: no copy). */
export class Reshape extends Layer {
  constructor(readonly shape: number[]) {
    super();
    if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 1))
      throw new ValidationError(`Reshape shape must be positive integers; got ${JSON.stringify(shape)}`);
  }
  forward(x: Tensor): Tensor {
    return reshape(x, [x.shape[0]!, ...this.shape]);
  }
  config(): LayerConfig {
    return { type: 'Reshape', shape: [...this.shape] };
  }
}

/** [N, ...] → [N, rest] (a view: no copy). */
export class Flatten extends Layer {
  forward(x: Tensor): Tensor {
    return reshape(x, [x.shape[0]!, x.size / x.shape[0]!]);
  }
  config(): LayerConfig {
    return { type: 'Flatten' };
  }
}

/** An activation as a layer of its own (after BatchNorm, for example). */
export class Activation extends Layer {
  constructor(
    readonly activation: ActivationName,
    readonly alpha = 0.01,
  ) {
    super();
    checkActivation(activation, alpha);
  }
  forward(x: Tensor): Tensor {
    return activate(x, this.activation, this.alpha);
  }
  config(): LayerConfig {
    return { type: 'Activation', activation: this.activation, alpha: this.alpha };
  }
}

/** Layers applied in order. Parameters are named "<index>.<name>" ("0.weight"), as torch's Sequential. */
export class Sequential extends Layer implements Saveable {
  constructor(readonly layers: readonly Layer[]) {
    super();
    if (!Array.isArray(layers)) throw new ValidationError('Sequential needs an array of layers');
    layers.forEach((l, i) => {
      if (!(l instanceof Layer)) throw new ValidationError(`Sequential: layer ${i} is not a Layer`);
    });
  }
  forward(x: Tensor): Tensor {
    for (const l of this.layers) x = l.forward(x);
    return x;
  }
  /** Output of the first `n` layers (the encoder of an autoencoder built as one Sequential). */
  forwardTo(x: Tensor, n: number): Tensor {
    if (!(Number.isInteger(n) && n >= 0 && n <= this.layers.length))
      throw new ValidationError(`forwardTo: n must be an integer in [0, ${this.layers.length}]; got ${n}`);
    for (let i = 0; i < n; i++) x = this.layers[i]!.forward(x);
    return x;
  }
  override params(): Record<string, Tensor> {
    const p: Record<string, Tensor> = {};
    this.layers.forEach((l, i) => {
      for (const [k, v] of Object.entries(l.params())) p[`${i}.${k}`] = v;
    });
    return p;
  }
  /** Trainable parameters in a fixed order (the optimizer's order). */
  parameters(): Tensor[] {
    return Object.values(this.params());
  }
  override buffers(): Record<string, Buf> {
    const b: Record<string, Buf> = {};
    this.layers.forEach((l, i) => {
      for (const [k, v] of Object.entries(l.buffers())) b[`${i}.${k}`] = v;
    });
    return b;
  }
  config(): LayerConfig {
    throw new ValidationError('Sequential cannot be nested in a saved architecture');
  }
  /**
   * Returns the weights', gradients' and buffers' WebAssembly memory (no FinalizationRegistry does
   * it for you: see kernels/heap.ts). The network must not be used afterwards.
   */
  dispose(): void {
    for (const t of this.parameters()) {
      freeBuf(t.data);
      if (t.grad) freeBuf(t.grad);
      t.grad = null;
    }
    for (const b of Object.values(this.buffers())) freeBuf(b);
  }
  layerConfigs(): LayerConfig[] {
    return this.layers.map((l) => {
      const c = l.config();
      if (c.type === 'Dense' && l instanceof Dense && l.tiedTo) {
        const idx = this.layers.indexOf(l.tiedTo);
        if (idx < 0)
          throw new ValidationError('a tied Dense layer must be tied to a layer of the same Sequential');
        return { ...c, tiedTo: idx };
      }
      return c;
    });
  }
  /** All weights and buffers by name (copies are not made: the live buffers). */
  namedArrays(): Record<string, { data: Buf; shape: number[] }> {
    const out: Record<string, { data: Buf; shape: number[] }> = {};
    for (const [k, t] of Object.entries(this.params())) out[k] = { data: t.data, shape: [...t.shape] };
    for (const [k, b] of Object.entries(this.buffers())) out[k] = { data: b, shape: [b.length] };
    return out;
  }
  /** Copies weights and buffers from `arrays` (shapes must match). */
  loadArrays(arrays: Record<string, { data: ArrayLike<number>; shape: number[] }>): void {
    for (const [k, dst] of Object.entries(this.namedArrays())) {
      const src = arrays[k];
      if (!src) throw new ValidationError(`saved weights lack '${k}'`);
      if (src.data.length !== dst.data.length)
        throw new ValidationError(
          `saved weight '${k}' has ${src.data.length} values, the network needs ${dst.data.length}`,
        );
      // Equal counts are not enough: a [3, 2] weight in a [2, 3] slot would load silently transposed.
      if (Array.isArray(src.shape) && src.shape.join(',') !== dst.shape.join(','))
        throw new ValidationError(
          `saved weight '${k}' has shape [${src.shape.join(', ')}], the network needs [${dst.shape.join(', ')}]`,
        );
      dst.data.set(src.data);
    }
  }
  getState(): ModelState {
    const arrays: ModelState['arrays'] = {};
    for (const [k, v] of Object.entries(this.namedArrays())) {
      arrays[k] = {
        data: v.data instanceof Float32Array ? v.data.slice() : Float32Array.from(v.data),
        shape: v.shape,
      };
    }
    return {
      className: 'Sequential',
      version: 1,
      options: {},
      meta: { layers: this.layerConfigs() },
      arrays,
    };
  }
  static fromConfig(configs: readonly LayerConfig[]): Sequential {
    const layers: Layer[] = [];
    for (const c of configs) layers.push(layerFromConfig(c, layers));
    return new Sequential(layers);
  }
  static fromState(state: ModelState): Sequential {
    const configs = state.meta.layers;
    if (!Array.isArray(configs)) throw new ValidationError('saved Sequential lacks its layer list');
    const net = Sequential.fromConfig(configs as LayerConfig[]);
    net.loadArrays(state.arrays);
    return net;
  }
}

function layerFromConfig(c: LayerConfig, previous: readonly Layer[]): Layer {
  switch (c.type) {
    case 'Dense': {
      let tiedTo: Dense | undefined;
      if (c.tiedTo !== undefined) {
        const t = previous[c.tiedTo];
        if (!(t instanceof Dense))
          throw new ValidationError(`tied Dense refers to layer ${c.tiedTo}, which is not an earlier Dense`);
        tiedTo = t;
      }
      return new Dense({
        inFeatures: c.inFeatures,
        outFeatures: c.outFeatures,
        bias: c.bias,
        activation: c.activation,
        alpha: c.alpha,
        tiedTo,
        init: 'zeros',
      });
    }
    case 'Conv2d':
      return new Conv2d({ ...c, init: 'zeros' });
    case 'ConvTranspose2d':
      return new ConvTranspose2d({ ...c, init: 'zeros' });
    case 'BatchNorm':
      return new BatchNorm(c);
    case 'Dropout':
      return new Dropout(c.p);
    case 'Reshape':
      return new Reshape(c.shape);
    case 'Flatten':
      return new Flatten();
    case 'Activation':
      return new Activation(c.activation, c.alpha);
    default:
      throw new ValidationError(`unknown layer type '${(c as { type: string }).type}'`);
  }
}

registerModel('Sequential', (s) => Sequential.fromState(s));
