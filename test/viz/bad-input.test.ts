/**
 * Bad input to every public figure writer fails at the call with an error that names the function
 * and the argument (issue 2). One row per case: the call and the exact message.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Matrix } from '../../src/core/matrix.js';
import {
  barChartSvg,
  encodePng,
  heatmapSvg,
  imageGridPng,
  labelledImageGridSvg,
  lineChartSvg,
  logTicks,
  renderReportHtml,
  writeReport,
  scatterSvg,
  tableHtml,
} from '../../src/viz/index.js';

const img = [[0, 1, 1, 0]];
const pts = [
  [0, 0],
  [1, 1],
];
const bad = <T>(v: unknown): T => v as T;

const CASES: [string, () => unknown, string][] = [
  ['imageGridPng empty', () => imageGridPng([], { width: 2, height: 2 }), 'images is empty: it has no rows'],
  [
    'imageGridPng ragged',
    () => imageGridPng([[0, 1, 1, 0], [0]], { width: 2, height: 2 }),
    'images is ragged: row 1 has 1 values, expected 4',
  ],
  [
    'imageGridPng width',
    () => imageGridPng(img, { width: 0, height: 2 }),
    'imageGridPng: width and height must be positive integers; got 0x2',
  ],
  [
    'imageGridPng shape',
    () => imageGridPng(img, { width: 3, height: 2 }),
    'imageGridPng: images have 4 values per row, but width*height = 3*2 = 6',
  ],
  [
    'imageGridPng cols',
    () => imageGridPng(img, { width: 2, height: 2, cols: 0 }),
    'imageGridPng: cols must be an integer >= 1; got 0',
  ],
  [
    'imageGridPng padding',
    () => imageGridPng(img, { width: 2, height: 2, padding: -1 }),
    'imageGridPng: padding must be an integer >= 0; got -1',
  ],
  [
    'imageGridPng normalize',
    () => imageGridPng(img, { width: 2, height: 2, normalize: bad('x') }),
    "imageGridPng: normalize must be 'global', 'each' or 'none'; got x",
  ],
  [
    'imageGridPng colormap',
    () => imageGridPng(img, { width: 2, height: 2, colormap: bad('jet') }),
    "imageGridPng: colormap must be one of 'gray', 'viridis', 'diverging'; got jet",
  ],
  [
    'imageGridPng background',
    () => imageGridPng(img, { width: 2, height: 2, background: NaN }),
    'imageGridPng: background must be a number in [0, 1]; got NaN',
  ],
  [
    'labelledImageGridSvg shape',
    () => labelledImageGridSvg(img, { width: 3, height: 2 }),
    'labelledImageGridSvg: images have 4 values per row, but width*height = 3*2 = 6',
  ],
  [
    'encodePng length',
    () => encodePng(new Uint8Array(3), 2, 2, 'gray'),
    'encodePng: gray pixels need 4 bytes; got 3',
  ],
  [
    'encodePng width',
    () => encodePng(new Uint8Array(1), -1, -1, 'gray'),
    'encodePng: width must be an integer in [1, 2147483647]; got -1',
  ],
  [
    'encodePng kind',
    () => encodePng(new Uint8Array(4), 2, 2, bad('cmyk')),
    "encodePng: kind must be one of 'gray', 'rgb', 'rgba'; got cmyk",
  ],
  ['scatterSvg empty', () => scatterSvg([]), 'points is empty: it has no rows'],
  ['scatterSvg ragged', () => scatterSvg([[1, 2], [3]]), 'points is ragged: row 1 has 1 values, expected 2'],
  ['scatterSvg columns', () => scatterSvg([[1, 2, 3]]), 'scatterSvg: points must have 2 columns; got 3'],
  ['scatterSvg labels', () => scatterSvg(pts, [0]), 'scatterSvg: labels has 1 entries but points has 2 rows'],
  [
    'scatterSvg width',
    () => scatterSvg(pts, undefined, { width: -5 }),
    'scatterSvg: width must be a number in [16, 20000]; got -5',
  ],
  [
    'scatterSvg height',
    () => scatterSvg(pts, undefined, { height: NaN }),
    'scatterSvg: height must be a number in [16, 20000]; got NaN',
  ],
  [
    'scatterSvg pointSize',
    () => scatterSvg(pts, undefined, { pointSize: -1 }),
    'scatterSvg: pointSize must be a number in [0, 100]; got -1',
  ],
  [
    'scatterSvg opacity',
    () => scatterSvg(pts, undefined, { opacity: 2 }),
    'scatterSvg: opacity must be a number in [0, 1]; got 2',
  ],
  [
    'scatterSvg maxPoints',
    () => scatterSvg(pts, undefined, { maxPoints: 0 }),
    'scatterSvg: maxPoints must be an integer in [1, 9007199254740991]; got 0',
  ],
  [
    'scatterSvg centers shape',
    () => scatterSvg(pts, undefined, { overlay: { centers: [[1, 2, 3]] } }),
    'scatterSvg: overlay.centers must have 2 columns; got 3',
  ],
  [
    'scatterSvg centers NaN',
    () => scatterSvg(pts, undefined, { overlay: { centers: [[1, NaN]] } }),
    'overlay.centers has NaN at row 0, column 1',
  ],
  [
    'scatterSvg overflowing range',
    () =>
      scatterSvg([
        [1e308, 0],
        [-1e308, 1],
      ]),
    'scatterSvg: points span x ∈ [-1e+308, 1e+308], y ∈ [0, 1]; the range overflows a float64',
  ],
  [
    'lineChartSvg lengths',
    () => lineChartSvg([{ name: 'a', x: [1, 2], y: [1] }]),
    "lineChartSvg: series 'a' has 2 x values but 1 y values",
  ],
  [
    'lineChartSvg not an array',
    () => lineChartSvg(bad({})),
    'lineChartSvg: series must be an array of { name, x, y }; got object',
  ],
  [
    'lineChartSvg width',
    () => lineChartSvg([], { width: 0 }),
    'lineChartSvg: width must be a number in [16, 20000]; got 0',
  ],
  [
    'barChartSvg lengths',
    () => barChartSvg(['a', 'b'], [1]),
    "barChartSvg: series '' has 1 values but there are 2 categories",
  ],
  [
    'barChartSvg height',
    () => barChartSvg(['a'], [1], { height: Infinity }),
    'barChartSvg: height must be a number in [16, 20000]; got Infinity',
  ],
  ['heatmapSvg empty', () => heatmapSvg(new Matrix(new Float64Array(0), 0, 3)), 'M is empty: shape 0x3'],
  [
    'heatmapSvg rowLabels',
    () => heatmapSvg([[1, 2]], { rowLabels: ['a', 'b'] }),
    'heatmapSvg: rowLabels has 2 entries but M has 1 rows',
  ],
  [
    'heatmapSvg colLabels',
    () => heatmapSvg([[1, 2]], { colLabels: ['a'] }),
    'heatmapSvg: colLabels has 1 entries but M has 2 columns',
  ],
  [
    'heatmapSvg cellSize',
    () => heatmapSvg([[1, 2]], { cellSize: 0 }),
    'heatmapSvg: cellSize must be a number in [1, 200]; got 0',
  ],
  [
    'heatmapSvg digits',
    () => heatmapSvg([[1, 2]], { digits: 0 }),
    'heatmapSvg: digits must be an integer in [1, 17]; got 0',
  ],
  [
    'heatmapSvg colormap',
    () => heatmapSvg([[1, 2]], { colormap: bad('jet') }),
    "heatmapSvg: colormap must be one of 'viridis', 'diverging', 'gray'; got jet",
  ],
  [
    'tableHtml ragged',
    () => tableHtml(['a', 'b'], [[1]]),
    'tableHtml: rows is ragged: row 0 has 1 cells, the header has 2',
  ],
  [
    'tableHtml digits',
    () => tableHtml(['a'], [[1]], { digits: 0 }),
    'tableHtml: digits must be an integer in [1, 17]; got 0',
  ],
  [
    'renderReportHtml sections',
    () => renderReportHtml(bad({ title: 'T', meta: {} })),
    'renderReportHtml: report must be { title: string, sections: ReportSection[], meta: {} }',
  ],
  [
    'renderReportHtml section html',
    () => renderReportHtml({ title: 'T', meta: {}, sections: [bad({ id: 'a', title: 'A', seedSays: '' })] }),
    'renderReportHtml: report.sections[0].html must be a string; got undefined',
  ],
  [
    'writeReport outDir',
    () => writeReport('', { title: 'T', meta: {}, sections: [] }),
    'writeReport: outDir must be a folder path; got ""',
  ],
  // Used to loop forever: log10(0) = −∞ as the first decade.
  ['logTicks zero', () => logTicks(0, 10), 'logTicks: needs 0 < min <= max < Infinity; got min=0, max=10'],
];

describe('viz: bad input names the function and the argument', () => {
  it.each(CASES)('%s', (_name, call, message) => {
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(new ValidationError(message)); // an Error argument: the message must be equal
  });
});
