export * from './errors.js';
export * from './matrix.js';
export * from './validate.js';
export * from './rng.js';
export * from './progress.js';
export * from './estimator.js';
