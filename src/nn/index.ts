export * from './memory.js';
export * from './tensor.js';
export * from './primitives.js';
export * from './ops.js';
export * from './losses.js';
export * from './init.js';
export * from './optim.js';
export * from './layers.js';
