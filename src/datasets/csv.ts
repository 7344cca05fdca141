/**
 * Numeric CSV reading through papaparse (RFC 4180 quoting, delimiter auto-detection). Every cell must
 * be a finite number, except in the optional label column; a bad cell is reported by row, column and
 * column name, never turned into NaN or 0.
 */
import Papa from 'papaparse';
import { FormatError, ValidationError } from '../core/errors.js';
import { allocFloat, Matrix, type DType } from '../core/matrix.js';

export interface ReadCsvOptions {
  /** Is the first row a header? 'auto' (default): yes when any of its cells is not a number. */
  header?: 'auto' | boolean;
  /** Field delimiter; default: detected (',', tab, ';', '|'). */
  delimiter?: string;
  /** A column holding labels (name or 0-based index): returned as strings in `labels`, not in X. */
  labelColumn?: string | number;
  /** dtype of X (default 'float64'). */
  dtype?: DType;
}

export interface CsvData {
  /** The numeric columns, one row per record. */
  X: Matrix;
  /** Names of X's columns (from the header, else "0", "1", ...). */
  columns: string[];
  /** Contents of the label column, when `labelColumn` is given. */
  labels?: string[];
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function isNumber(cell: string): boolean {
  return NUMBER.test(cell.trim());
}

/**
 * Parses CSV text into a numeric matrix.
 * @example const { X, columns } = readCsv(fs.readFileSync('data.csv', 'utf8'));
 * @example const { X, labels } = readCsv(text, { labelColumn: 'species' });
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): CsvData {
  if (typeof text !== 'string')
    throw new ValidationError(`readCsv needs the CSV text as a string; got ${typeof text}`);
  const header = options.header ?? 'auto';
  if (header !== 'auto' && typeof header !== 'boolean') {
    throw new ValidationError(
      `The 'header' option of readCsv must be "auto", true or false; got ${JSON.stringify(header)}.`,
    );
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: options.delimiter ?? '',
    skipEmptyLines: false,
  });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.code === 'MissingQuotes');
  if (fatal) throw new FormatError(`CSV row ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
  // Keep original row numbers (1-based) while dropping blank lines.
  const rows: { cells: string[]; row: number }[] = [];
  parsed.data.forEach((cells, i) => {
    if (!(cells.length === 1 && cells[0]!.trim() === '') && cells.length > 0)
      rows.push({ cells, row: i + 1 });
  });
  if (rows.length === 0) throw new FormatError('CSV is empty');

  const first = rows[0]!.cells;
  const hasHeader =
    header === 'auto'
      ? first.some((c, j) => !isNumber(c) && !(labelIndexGuess(options.labelColumn) === j))
      : header;
  const width = first.length;
  const names = hasHeader ? first.map((c) => c.trim()) : first.map((_, j) => String(j));
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length === 0) throw new FormatError('CSV has a header but no data rows');

  let labelIdx = -1;
  if (options.labelColumn !== undefined) {
    const lc = options.labelColumn;
    labelIdx = typeof lc === 'number' ? lc : names.indexOf(lc);
    if (!(Number.isInteger(labelIdx) && labelIdx >= 0 && labelIdx < width)) {
      throw new ValidationError(
        `labelColumn ${JSON.stringify(lc)} is not a column of the CSV (columns: ${names.join(', ')})`,
      );
    }
  }
  const numericCols: number[] = [];
  for (let j = 0; j < width; j++) if (j !== labelIdx) numericCols.push(j);
  if (numericCols.length === 0) throw new FormatError('CSV has no numeric columns');

  const n = body.length;
  const d = numericCols.length;
  const X = allocFloat(options.dtype ?? 'float64', n * d);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const { cells, row } = body[i]!;
    if (cells.length !== width)
      throw new FormatError(`CSV row ${row} has ${cells.length} fields, expected ${width}`);
    for (let q = 0; q < d; q++) {
      const j = numericCols[q]!;
      const cell = cells[j]!;
      const v = isNumber(cell) ? Number(cell.trim()) : NaN;
      if (!Number.isFinite(v)) {
        const what = cell.trim() === '' ? 'is empty' : `${JSON.stringify(cell)} is not a number`;
        throw new FormatError(`CSV row ${row}, column ${j + 1} ('${names[j]}'): ${what}`);
      }
      X[i * d + q] = v;
    }
    if (labelIdx >= 0) labels.push(cells[labelIdx]!.trim());
  }
  const out: CsvData = { X: new Matrix(X, n, d), columns: numericCols.map((j) => names[j]!) };
  if (labelIdx >= 0) out.labels = labels;
  return out;
}

function labelIndexGuess(lc: string | number | undefined): number {
  return typeof lc === 'number' ? lc : -1;
}

export interface WriteCsvOptions {
  /** Header names of X's columns (default: none, unless `labels` needs one: "0", "1", ...). */
  columns?: string[];
  /** An extra last column (e.g. cluster labels). */
  labels?: ArrayLike<number | string>;
  /** Its header name (default "label"). */
  labelName?: string;
}

/**
 * Writes a matrix as CSV text (numbers in shortest round-trip form, so readCsv gives back the same
 * values bit for bit). Fields are quoted by papaparse where needed.
 * @example fs.writeFileSync('embedding.csv', writeCsv(Y, { columns: ['x', 'y'], labels: km.labels }));
 */
export function writeCsv(X: Matrix, options: WriteCsvOptions = {}): string {
  if (!(X instanceof Matrix)) throw new ValidationError('writeCsv needs a Matrix');
  const { columns, labels } = options;
  if (columns && columns.length !== X.cols) {
    throw new ValidationError(`writeCsv: ${columns.length} column names for ${X.cols} columns`);
  }
  if (labels && labels.length !== X.rows) {
    throw new ValidationError(`writeCsv: labels has ${labels.length} entries but X has ${X.rows} rows`);
  }
  const rows: (string | number)[][] = [];
  if (columns || labels) {
    const head: string[] = columns ? [...columns] : Array.from({ length: X.cols }, (_, j) => String(j));
    if (labels) head.push(options.labelName ?? 'label');
    rows.push(head);
  }
  for (let i = 0; i < X.rows; i++) {
    const r: (string | number)[] = [];
    for (let j = 0; j < X.cols; j++) r.push(String(X.get(i, j)));
    if (labels) r.push(labels[i]!);
    rows.push(r);
  }
  return Papa.unparse(rows, { newline: '\n' }) + '\n';
}
