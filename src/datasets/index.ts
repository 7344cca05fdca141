export * from './idx.js';
export * from './mnist.js';
export * from './synthetic.js';
