/**
 * Colour scales: a categorical palette for labels (matplotlib's tab10, the palette readers know from
 * t-SNE plots of MNIST), viridis for sequential values (perceptually uniform, readable in grayscale)
 * and a blue–white–red diverging scale for signed values (PCA components, correlations).
 */

/** tab10: colour of label k is CATEGORICAL[k % 10]. */
export const CATEGORICAL: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** Colour for label `k` (negative labels, e.g. noise, are light gray). */
export function categoricalColor(k: number): string {
  if (!(k >= 0) || !Number.isInteger(k)) return '#bbbbbb';
  return CATEGORICAL[k % CATEGORICAL.length]!;
}

// viridis sampled at 9 evenly spaced points (matplotlib's table), interpolated linearly in RGB.
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

// RdBu reversed (blue = negative, white = 0, red = positive), 9 points.
const DIVERGING: readonly [number, number, number][] = [
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
];

export type Colormap = 'gray' | 'viridis' | 'diverging';

function interp(table: readonly [number, number, number][], t: number, out: Uint8Array, at: number): void {
  const x = (t > 1 ? 1 : t < 0 || Number.isNaN(t) ? 0 : t) * (table.length - 1);
  const i = Math.min(table.length - 2, Math.floor(x));
  const f = x - i;
  const a = table[i]!;
  const b = table[i + 1]!;
  out[at] = Math.round(a[0] + (b[0] - a[0]) * f);
  out[at + 1] = Math.round(a[1] + (b[1] - a[1]) * f);
  out[at + 2] = Math.round(a[2] + (b[2] - a[2]) * f);
}

/** Writes the RGB colour of t ∈ [0, 1] under `map` into out[at..at+2]. */
export function colormapRgb(map: Colormap, t: number, out: Uint8Array, at: number): void {
  if (map === 'gray') {
    const v = Math.round((t > 1 ? 1 : t < 0 || Number.isNaN(t) ? 0 : t) * 255);
    out[at] = v;
    out[at + 1] = v;
    out[at + 2] = v;
  } else interp(map === 'viridis' ? VIRIDIS : DIVERGING, t, out, at);
}

const tmp = new Uint8Array(3);

/** CSS hex colour of t ∈ [0, 1] under `map`. */
export function colormapHex(map: Colormap, t: number): string {
  colormapRgb(map, t, tmp, 0);
  return '#' + [tmp[0]!, tmp[1]!, tmp[2]!].map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** Black or white, whichever reads better on the given RGB background. */
export function textColorOn(hex: string): string {
  const r = parseInt(hex.slice(1, 3), 16);
  const g = parseInt(hex.slice(3, 5), 16);
  const b = parseInt(hex.slice(5, 7), 16);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}
