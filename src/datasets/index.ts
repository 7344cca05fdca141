export * from './idx.js';
export * from './mnist.js';
export * from './synthetic.js';
export * from './npy.js';
export * from './csv.js';
export * from './fashion.js';
