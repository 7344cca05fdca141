/**
 * Numeric CSV reading through papaparse (RFC 4180 quoting, delimiter auto-detection). Every cell must
 * be a finite number, except in the optional label column; a bad cell is reported by row, column and
 * column name, never turned into NaN or 0.
 */
import Papa from 'papaparse';
import { FormatError, ValidationError } from '../core/errors.js';
import { allocFloat, Matrix, type DType } from '../core/matrix.js';
import { validateOptions, type ConstraintTable } from '../core/validate.js';

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

/** Defaults of `readCsv`'s options. */
export const READ_CSV_DEFAULTS: Readonly<ReadCsvOptions> = {
  header: 'auto',
  delimiter: undefined,
  labelColumn: undefined,
  dtype: 'float64',
};

const READ_CSV_TABLE: ConstraintTable<ReadCsvOptions> = {
  header: { type: 'oneOf', options: [{ type: 'enum', values: ['auto'] }, { type: 'boolean' }] },
  delimiter: { type: 'string' },
  labelColumn: { type: 'oneOf', options: [{ type: 'string' }, { type: 'int', min: 0 }] },
  dtype: { type: 'enum', values: ['float64', 'float32'] },
};

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
    throw new ValidationError(`readCsv: text must be a string; got ${typeof text}`);
  const o = validateOptions('readCsv', READ_CSV_DEFAULTS, READ_CSV_TABLE, options);
  const header = o.header!;
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: o.delimiter ?? '',
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
      ? first.some((c, j) => !isNumber(c) && !(labelIndexGuess(o.labelColumn) === j))
      : header;
  const width = first.length;
  const names = hasHeader ? first.map((c) => c.trim()) : first.map((_, j) => String(j));
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length === 0) throw new FormatError('CSV has a header but no data rows');

  let labelIdx = -1;
  if (o.labelColumn !== undefined) {
    const lc = o.labelColumn;
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
  const X = allocFloat(o.dtype!, n * d);
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

/** Defaults of `writeCsv`'s options. */
export const WRITE_CSV_DEFAULTS: Readonly<WriteCsvOptions> = {
  columns: undefined,
  labels: undefined,
  labelName: 'label',
};

const WRITE_CSV_TABLE: ConstraintTable<WriteCsvOptions> = {
  columns: { type: 'object' },
  labels: { type: 'object' },
  labelName: { type: 'string' },
};

/**
 * Writes a matrix as CSV text (numbers in shortest round-trip form, so readCsv gives back the same
 * values bit for bit). Fields are quoted by papaparse where needed.
 * @example fs.writeFileSync('embedding.csv', writeCsv(Y, { columns: ['x', 'y'], labels: km.labels }));
 */
export function writeCsv(X: Matrix, options: WriteCsvOptions = {}): string {
  if (!(X instanceof Matrix)) throw new ValidationError('writeCsv: X must be a Matrix');
  const o = validateOptions('writeCsv', WRITE_CSV_DEFAULTS, WRITE_CSV_TABLE, options);
  const { columns, labels } = o;
  if (columns && !(Array.isArray(columns) && columns.every((c) => typeof c === 'string'))) {
    throw new ValidationError("The 'columns' option of writeCsv must be an array of strings.");
  }
  if (labels && typeof labels.length !== 'number') {
    throw new ValidationError("The 'labels' option of writeCsv must be an array of numbers or strings.");
  }
  if (columns && columns.length !== X.cols) {
    throw new ValidationError(`writeCsv: ${columns.length} column names for ${X.cols} columns`);
  }
  if (labels && labels.length !== X.rows) {
    throw new ValidationError(`writeCsv: labels has ${labels.length} entries but X has ${X.rows} rows`);
  }
  const rows: (string | number)[][] = [];
  if (columns || labels) {
    const head: string[] = columns ? [...columns] : Array.from({ length: X.cols }, (_, j) => String(j));
    if (labels) head.push(o.labelName!);
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
