export * from './idx.js';
export * from './mnist.js';
