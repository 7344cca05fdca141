/** Linear latent models: PCA, incremental PCA, FastICA, sparse coding, dictionary learning, NMF. */
export { PCA, PCA_DEFAULTS, pca, type PCAOptions } from './pca.js';
export { IncrementalPCA, INCREMENTAL_PCA_DEFAULTS, type IncrementalPCAOptions } from './incremental-pca.js';
export { FastICA, FASTICA_DEFAULTS, type FastICAOptions } from './fastica.js';
