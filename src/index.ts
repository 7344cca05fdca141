/**
 * unsupervised — unsupervised learning for Node.js and the browser.
 * One flat entry point re-exporting every module (d3-style).
 */
export * from './core/index.js';
export * as kernels from './kernels/index.js';
export * from './linalg/index.js';
export * from './neighbors/index.js';
export * from './cluster/index.js';
export * from './decomposition/index.js';
export * from './manifold/index.js';
export * as nn from './nn/index.js';
export * from './models/index.js';
export * from './metrics/index.js';
export * from './datasets/index.js';
export * from './io/index.js';
export * as viz from './viz/index.js';
