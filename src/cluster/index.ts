export { KMeans, KMEANS_DEFAULTS, kMeans, predictNearest, centerDistances, type KMeansOptions, type KMeansInit } from './kmeans.js';
