export * from './affinity.js';
export * from './knn.js';
export * from './gradient.js';
export * from './init.js';
export * from './tsne.js';
export * from './sne.js';
export * from './lle.js';
export * from './sparse.js';
