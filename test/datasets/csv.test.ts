import { describe, expect, it } from 'vitest';
import { FormatError, ValidationError } from '../../src/core/errors.js';
import { Matrix } from '../../src/core/matrix.js';
import { readCsv, writeCsv } from '../../src/datasets/index.js';

describe('readCsv', () => {
  it('detects a header and reads numbers (quoted, exponent, signs, blank lines, CRLF, BOM)', () => {
    const text = '\uFEFFa,"b",c\r\n1,2.5,-3e2\r\n\r\n"4",+.5,6.\r\n';
    const { X, columns } = readCsv(text);
    expect(columns).toEqual(['a', 'b', 'c']);
    expect(X.toArray()).toEqual([
      [1, 2.5, -300],
      [4, 0.5, 6],
    ]);
  });

  it('without a header names columns by index; header option forces it', () => {
    expect(readCsv('1;2\n3;4').columns).toEqual(['0', '1']);
    expect(readCsv('1;2\n3;4').X.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(readCsv('1\t2\n3\t4', { header: true })).toMatchObject({ columns: ['1', '2'] });
    expect(readCsv('1,2\n3,4', { header: true }).X.toArray()).toEqual([[3, 4]]);
  });

  it('extracts a label column by name or index', () => {
    const r = readCsv('x,species,y\n1,setosa,2\n3,"versi, color",4\n', { labelColumn: 'species' });
    expect(r.columns).toEqual(['x', 'y']);
    expect(r.labels).toEqual(['setosa', 'versi, color']);
    expect(r.X.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const s = readCsv('1,a\n2,b', { labelColumn: 1 });
    expect(s.labels).toEqual(['a', 'b']);
    expect(s.X.toArray()).toEqual([[1], [2]]);
  });

  it('names the row and column of a bad cell', () => {
    expect(() => readCsv('a,b,c\n1,2,3\n4,five,6\n')).toThrow(
      `CSV row 3, column 2 ('b'): "five" is not a number`,
    );
    expect(() => readCsv('a,b\n1,\n')).toThrow("CSV row 2, column 2 ('b'): is empty");
    expect(() => readCsv('a,b\n1,NaN\n')).toThrow(`CSV row 2, column 2 ('b'): "NaN" is not a number`);
    expect(() => readCsv('a,b\n1,2\n\n3\n')).toThrow('CSV row 4 has 1 fields, expected 2');
    expect(() => readCsv('')).toThrow('CSV is empty');
    expect(() => readCsv('a,b\n')).toThrow('CSV has a header but no data rows');
    expect(() => readCsv('a\n1', { labelColumn: 'z' })).toThrow(ValidationError);
    expect(() => readCsv('a,b\n1,"2\n')).toThrow(FormatError);
  });
});

describe('writeCsv', () => {
  it('round-trips values bit for bit with header and labels', () => {
    const X = Matrix.fromRows([
      [Math.PI, -1e-300],
      [0.1 + 0.2, 5],
    ]);
    const text = writeCsv(X, { columns: ['x', 'y'], labels: [1, 0] });
    expect(text.split('\n')[0]).toBe('x,y,label');
    const back = readCsv(text, { labelColumn: 'label' });
    expect(back.X.toArray()).toEqual(X.toArray());
    expect(back.labels).toEqual(['1', '0']);
    expect(writeCsv(Matrix.fromRows([[1, 2]]))).toBe('1,2\n');
    expect(() => writeCsv(X, { columns: ['a'] })).toThrow('writeCsv: 1 column names for 2 columns');
  });
});
