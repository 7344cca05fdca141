/**
 * Input and output shared by the CLI subcommands, so every command reads and writes data the same
 * way:
 *
 *   --input mnist[:train|test][:N]   real MNIST (first N digits; labels come along)
 *   --input data.npy                 a 2-D (or 1-D: one column) numpy array
 *   --input data.csv                 numbers, comma/semicolon/tab separated; a non-numeric first row
 *                                    is a header; `--labels-column <name|index>` takes labels out
 *   --out result.csv|result.npy      the command's main output (labels or embedding), and
 *                                    result.json beside it with the run summary
 *
 * Without --out the summary is printed to stdout as JSON.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import Papa from 'papaparse';
import { InvalidArgumentError, type Command } from 'commander';
import { FormatError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { toMatrix } from '../core/validate.js';
import { loadMnist, npyToMatrix, readNpy, writeNpy } from '../datasets/index.js';
import { UsageError } from './errors.js';

export type InputSpec =
  | { kind: 'mnist'; split: 'train' | 'test'; limit?: number }
  | { kind: 'csv'; path: string }
  | { kind: 'npy'; path: string };

export interface LoadedInput {
  /** n × d data, float64. */
  X: Matrix<Float64Array>;
  /** Labels when the source has them (MNIST, or a CSV labels column). */
  y?: Int32Array;
  /** Image size when the rows are images (MNIST). */
  width?: number;
  height?: number;
  /** Where the data came from, for summaries ("mnist:train:5000", "data.csv"). */
  source: string;
  /** Column names of a CSV with a header. */
  columns?: string[];
}

/** Parses the --input value. Errors name the accepted forms. */
export function parseInputSpec(spec: string): InputSpec {
  const s = spec.trim();
  if (s === 'mnist' || s.startsWith('mnist:')) {
    const parts = s.split(':').slice(1);
    let split: 'train' | 'test' = 'train';
    let limit: number | undefined;
    for (const p of parts) {
      if (p === 'train' || p === 'test') split = p;
      else if (/^\d+$/.test(p) && Number(p) >= 1) limit = Number(p);
      else
        throw new UsageError(
          `--input '${spec}': expected mnist[:train|test][:N] with N >= 1; '${p}' is neither a split nor a count`,
        );
    }
    return limit === undefined ? { kind: 'mnist', split } : { kind: 'mnist', split, limit };
  }
  const ext = extname(s).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return { kind: 'csv', path: s };
  if (ext === '.npy') return { kind: 'npy', path: s };
  throw new UsageError(`--input '${spec}': expected a .csv or .npy file, or mnist[:train|test][:N]`);
}

export interface ReadInputOptions {
  /** CSV column holding labels (header name or 0-based index); removed from X. */
  labelsColumn?: string;
  /** Keep NaN/Infinity (the `data` command counts them); otherwise the first one is an error naming the file. */
  allowNonFinite?: boolean;
}

/** Reads the data named by an --input value. */
export function readInput(spec: string, options: ReadInputOptions = {}): LoadedInput {
  const r = readInputRaw(spec, options);
  // Named after the file, not 'X': "digits.csv has NaN at row 3, column 0".
  if (!options.allowNonFinite) toMatrix(r.X, r.source);
  return r;
}

function readInputRaw(spec: string, options: ReadInputOptions): LoadedInput {
  const p = parseInputSpec(spec);
  if (p.kind === 'mnist') {
    const d = loadMnist({ split: p.split, limit: p.limit, dtype: 'float64' });
    return {
      X: d.X as Matrix<Float64Array>,
      y: d.y,
      width: d.width,
      height: d.height,
      source: `mnist:${p.split}:${d.X.rows}`,
    };
  }
  const bytes = readFile(p.path);
  if (p.kind === 'npy') {
    if (options.labelsColumn !== undefined) throw new UsageError('--labels-column applies to CSV input only');
    return { X: npyToMatrix(readNpy(bytes, p.path), p.path), source: p.path };
  }
  return csvToInput(new TextDecoder().decode(bytes), p.path, options.labelsColumn);
}

function readFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `input file '${path}' does not exist`
        : `cannot read '${path}': ${(err as Error).message}`,
    );
  }
}

/**
 * Numeric CSV → matrix. A first row with any non-numeric cell is a header. Empty lines are skipped;
 * empty or non-numeric cells elsewhere are errors that name the line and column.
 */
export function csvToInput(text: string, name: string, labelsColumn?: string): LoadedInput {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    delimiter: '',
  });
  const rows = parsed.data.map((r) => r.map((c) => c.trim()));
  if (rows.length === 0) throw new FormatError(`${name} is empty`);
  const isNum = (c: string): boolean =>
    (c !== '' && Number.isFinite(Number(c))) || /^[-+]?(nan|inf|infinity)$/i.test(c);
  let header: string[] | undefined;
  if (!rows[0]!.every(isNum)) header = rows.shift();
  if (rows.length === 0) throw new FormatError(`${name} has a header but no data rows`);
  const width = rows[0]!.length;
  let labelIdx = -1;
  if (labelsColumn !== undefined) {
    labelIdx = header ? header.indexOf(labelsColumn) : -1;
    if (labelIdx < 0 && /^\d+$/.test(labelsColumn)) labelIdx = Number(labelsColumn);
    if (labelIdx < 0 || labelIdx >= width) {
      const known = header ? `columns: ${header.join(', ')}` : `${width} columns (use a 0-based index)`;
      throw new UsageError(`--labels-column '${labelsColumn}' is not a column of ${name}; ${known}`);
    }
  }
  const n = rows.length;
  const d = width - (labelIdx >= 0 ? 1 : 0);
  const X = new Float64Array(n * d);
  const y = labelIdx >= 0 ? new Int32Array(n) : undefined;
  const line0 = header ? 2 : 1;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.length !== width) {
      throw new FormatError(`${name} is ragged: line ${i + line0} has ${r.length} values, expected ${width}`);
    }
    let k = 0;
    for (let j = 0; j < width; j++) {
      const c = r[j]!;
      const v = Number(c);
      if (j === labelIdx) {
        if (!Number.isInteger(v))
          throw new FormatError(`${name}: label '${c}' on line ${i + line0} is not an integer`);
        y![i] = v;
        continue;
      }
      if (c === '' || (Number.isNaN(v) && !/^[-+]?nan$/i.test(c))) {
        throw new FormatError(`${name}: '${c}' on line ${i + line0}, column ${j + 1} is not a number`);
      }
      X[i * d + k++] = /^[-+]?inf(inity)?$/i.test(c) ? (c.startsWith('-') ? -Infinity : Infinity) : v;
    }
  }
  const out: LoadedInput = { X: new Matrix(X, n, d), source: name };
  if (y) out.y = y;
  if (header) out.columns = header.filter((_, j) => j !== labelIdx);
  return out;
}

/** Text of a CSV file: one row per line, optional header, numbers written exactly (round-trip). */
export function toCsv(data: Matrix | ArrayLike<number>, header?: string[]): string {
  const lines: string[] = [];
  if (header) lines.push(header.map(csvCell).join(','));
  if (data instanceof Matrix) {
    for (let i = 0; i < data.rows; i++) {
      const r: string[] = new Array(data.cols);
      for (let j = 0; j < data.cols; j++) r[j] = String(data.get(i, j));
      lines.push(r.join(','));
    }
  } else {
    for (let i = 0; i < data.length; i++) lines.push(String(data[i]));
  }
  return lines.join('\n') + '\n';
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface WriteResultOptions {
  /** CSV header (default: "label" for labels, "dim0,dim1,..." for matrices). */
  header?: string[];
  /** Matrix columns named prefix1, prefix2, ... (e.g. 'pc' → pc1,pc2,...), when no header is given. */
  columnPrefix?: string;
}

/**
 * Writes a command's result: `data` (labels or an embedding) to `out` as .csv or .npy, and the
 * summary to the same path with a .json extension. Without `out`, prints the summary to stdout.
 * Returns the files written.
 */
export function writeResult(
  out: string | undefined,
  data: Matrix | Int32Array | Float64Array,
  summary: Record<string, unknown>,
  options: WriteResultOptions = {},
): string[] {
  if (out === undefined) {
    process.stdout.write(JSON.stringify(summary, jsonReplacer, 2) + '\n');
    return [];
  }
  const ext = extname(out).toLowerCase();
  if (ext !== '.csv' && ext !== '.npy')
    throw new UsageError(`--out '${out}': expected a .csv or .npy file name`);
  mkdirSync(dirname(out) || '.', { recursive: true });
  if (ext === '.npy') {
    writeFileSync(out, data instanceof Matrix ? writeNpy(data) : writeNpy(data));
  } else {
    const header =
      options.header ??
      (data instanceof Matrix
        ? Array.from({ length: data.cols }, (_, j) =>
            options.columnPrefix !== undefined ? `${options.columnPrefix}${j + 1}` : `dim${j}`,
          )
        : ['label']);
    writeFileSync(out, toCsv(data, header));
  }
  const json = out.slice(0, out.length - ext.length) + '.json';
  writeFileSync(json, JSON.stringify(summary, jsonReplacer, 2) + '\n');
  return [out, json];
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** Adds the shared --input and --labels-column options to a command. */
export function inputOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      '-i, --input <spec>',
      'data: file.csv, file.npy, or mnist[:train|test][:N]',
      (v: string) => {
        try {
          parseInputSpec(v);
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message.replace(/^--input '[^']*': /, ''));
        }
        return v;
      },
    )
    .option(
      '--labels-column <col>',
      'CSV column with true labels (name or 0-based index), used for scores only',
    );
}

/** Adds the shared --out option to a command. */
export function outputOptions(cmd: Command, what = 'result'): Command {
  return cmd.option(
    '-o, --out <file>',
    `write the ${what} to file.csv or file.npy and a JSON summary to file.json (default: summary to stdout)`,
    parseOut,
  );
}

/** Checked when the command line is parsed, so a long fit does not end in a bad file name. */
function parseOut(value: string): string {
  const ext = extname(value).toLowerCase();
  if (ext !== '.csv' && ext !== '.npy')
    throw new InvalidArgumentError(`expected a .csv or .npy file name; got '${value}'.`);
  return value;
}
