/**
 * Matrix: a dense 2-D array over a Float64Array or Float32Array, row-major by default, described by
 * data + offset + shape + strides (as scijs/ndarray), so that a transpose or a block of rows is a view
 * that copies nothing. Kernels want contiguous row-major storage (or a transposed flag): use
 * `isRowMajor()` / `isColMajor()` to pass views to them without copies, and `contiguous()` otherwise.
 */
import { ValidationError } from './errors.js';

export type Float = Float64Array | Float32Array;
export type DType = 'float64' | 'float32';
export type ArrayFor<D extends DType> = D extends 'float32' ? Float32Array : Float64Array;

export function dtypeOf(a: Float): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

export function allocFloat<D extends DType>(dtype: D, n: number): ArrayFor<D> {
  return (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)) as ArrayFor<D>;
}

export class Matrix<T extends Float = Float> {
  /** Underlying storage; may be shared with other views. */
  readonly data: T;
  readonly rows: number;
  readonly cols: number;
  /** Index in `data` of element (0, 0). */
  readonly offset: number;
  /** Distance in `data` between (i, j) and (i + 1, j). */
  readonly rowStride: number;
  /** Distance in `data` between (i, j) and (i, j + 1). */
  readonly colStride: number;

  constructor(data: T, rows: number, cols: number, offset = 0, rowStride = cols, colStride = 1) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new ValidationError(`Matrix shape must be non-negative integers; got ${rows}x${cols}`);
    }
    if (rows > 0 && cols > 0) {
      const last = offset + (rows - 1) * rowStride + (cols - 1) * colStride;
      if (offset < 0 || last >= data.length) {
        throw new ValidationError(
          `Matrix data of length ${data.length} is too short for a ${rows}x${cols} view at offset ${offset}`,
        );
      }
    }
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.offset = offset;
    this.rowStride = rowStride;
    this.colStride = colStride;
  }

  static zeros(rows: number, cols: number, dtype: DType = 'float64'): Matrix {
    return new Matrix(allocFloat(dtype, rows * cols), rows, cols);
  }

  /** A row-major matrix over `data` (not copied). */
  static fromArray<T extends Float>(data: T, rows: number, cols: number): Matrix<T> {
    if (data.length !== rows * cols) {
      throw new ValidationError(`data has length ${data.length}, expected rows*cols = ${rows * cols}`);
    }
    return new Matrix(data, rows, cols);
  }

  /** Copies nested arrays into a new row-major matrix (no validation of values; see `toMatrix`). */
  static fromRows(rows: ArrayLike<ArrayLike<number>>, dtype: DType = 'float64'): Matrix {
    const n = rows.length;
    const d = n > 0 ? rows[0]!.length : 0;
    const out = allocFloat(dtype, n * d);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      for (let j = 0; j < d; j++) out[i * d + j] = r[j]!;
    }
    return new Matrix(out, n, d);
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }

  get size(): number {
    return this.rows * this.cols;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get(i: number, j: number): number {
    return this.data[this.offset + i * this.rowStride + j * this.colStride]!;
  }

  set(i: number, j: number, v: number): void {
    this.data[this.offset + i * this.rowStride + j * this.colStride] = v;
  }

  /** True when rows are contiguous and densely packed: data[offset + i*cols + j]. */
  isRowMajor(): boolean {
    return this.colStride === 1 && (this.rowStride === this.cols || this.rows <= 1);
  }

  /** True when this is the transpose of a row-major matrix: data[offset + j*rows + i]. */
  isColMajor(): boolean {
    return this.rowStride === 1 && (this.colStride === this.rows || this.cols <= 1);
  }

  /** Transpose view (no copy). */
  get T(): Matrix<T> {
    return new Matrix(this.data, this.cols, this.rows, this.offset, this.colStride, this.rowStride);
  }

  /** View of rows [start, end) (no copy). */
  rowSlice(start: number, end: number): Matrix<T> {
    if (start < 0 || end > this.rows || start > end) {
      throw new ValidationError(`row range [${start}, ${end}) is outside 0..${this.rows}`);
    }
    return new Matrix(
      this.data,
      end - start,
      this.cols,
      this.offset + start * this.rowStride,
      this.rowStride,
      this.colStride,
    );
  }

  /** Row i as a typed-array view when the matrix is row-major, else as a copy. */
  row(i: number): T {
    if (this.colStride === 1) {
      const s = this.offset + i * this.rowStride;
      return this.data.subarray(s, s + this.cols) as T;
    }
    const out = allocFloat(this.dtype, this.cols) as T;
    for (let j = 0; j < this.cols; j++) out[j] = this.get(i, j);
    return out;
  }

  /** Column j as a new array. */
  col(j: number): T {
    const out = allocFloat(this.dtype, this.rows) as T;
    for (let i = 0; i < this.rows; i++) out[i] = this.get(i, j);
    return out;
  }

  /** A new, densely packed row-major copy (always copies). */
  clone(): Matrix<T> {
    return this.toDType(this.dtype) as unknown as Matrix<T>;
  }

  /** This matrix if already densely row-major, else a row-major copy. */
  contiguous(): Matrix<T> {
    return this.isRowMajor() && this.offset === 0 && this.data.length === this.size ? this : this.clone();
  }

  /** A densely packed row-major copy in the given dtype. */
  toDType<D extends DType>(dtype: D): Matrix<ArrayFor<D>> {
    const out = allocFloat(dtype, this.size);
    const { rows, cols } = this;
    if (this.isRowMajor()) {
      const src = this.data.subarray(this.offset, this.offset + rows * cols);
      out.set(src);
    } else {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) out[i * cols + j] = this.get(i, j);
      }
    }
    return new Matrix(out, rows, cols);
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) {
      const r = new Array<number>(this.cols);
      for (let j = 0; j < this.cols; j++) r[j] = this.get(i, j);
      out.push(r);
    }
    return out;
  }

  /** Rows selected by index (copy). */
  selectRows(indices: ArrayLike<number>): Matrix<T> {
    const n = indices.length;
    const out = allocFloat(this.dtype, n * this.cols) as T;
    for (let r = 0; r < n; r++) {
      const i = indices[r]!;
      if (!(i >= 0 && i < this.rows))
        throw new ValidationError(`row index ${i} is outside 0..${this.rows - 1}`);
      for (let j = 0; j < this.cols; j++) out[r * this.cols + j] = this.get(i, j);
    }
    return new Matrix(out, n, this.cols);
  }
}

/** Anything accepted where a data matrix is expected. */
export type MatrixLike =
  Matrix | ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; shape: readonly [number, number] };
