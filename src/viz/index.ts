/**
 * Figures and the HTML report: PNG image grids (fast-png encoder, browser-safe), SVG charts as strings
 * (scatter, line, bar, heatmap, dendrogram), escaped HTML tables, and the report writer used by
 * `unsupervised demo`. Nothing here needs Node except `writeReport`, which fetches fs at call time.
 */
export * from './format.js';
export * from './colors.js';
export * from './png.js';
export * from './scatter.js';
export * from './line.js';
export * from './bar.js';
export * from './heatmap.js';
export * from './table.js';
export * from './report.js';
export * from './dendrogram.js';
export * from './graph.js';
