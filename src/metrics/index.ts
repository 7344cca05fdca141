export * from './labels.js';
export * from './silhouette.js';
export * from './embedding.js';
export * from './internal.js';
