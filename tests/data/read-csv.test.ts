// readCsv / parseCsv: RFC 4180 quoting, line ends, headers, column selection, targets and the
// line numbers in errors.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { readCsv, type CsvData } from '../../src/data/index.js';
import { parseCsv } from '../../src/data/read-csv.js'; // internal: readCsv's synchronous core
import { csvRows } from '../../src/data/read-csv.js';

beforeAll(async () => { await sg.init({ backend: 'js' }); });

const use = <T>(d: CsvData, f: (d: CsvData) => T): T => { try { return f(d); } finally { d.x.dispose(); } };

describe('csvRows', () => {
  it('handles quotes, doubled quotes, embedded delimiters and newlines, CRLF, CR, BOM, blank lines', () => {
    const rows = csvRows('\ufeffa,"b,c","say ""hi"""\r\n\r\n"multi\nline",2,3\r4,5,6\n  \n');
    expect(rows.map((r) => r.fields)).toEqual([['a', 'b,c', 'say "hi"'], ['multi\nline', '2', '3'], ['4', '5', '6']]);
    expect(rows.map((r) => r.line)).toEqual([1, 3, 5]);
    expect(csvRows('1;2\n3;4', ';').map((r) => r.fields)).toEqual([['1', '2'], ['3', '4']]);
    expect(csvRows('a,\n""\n').map((r) => r.fields)).toEqual([['a', ''], ['']]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => csvRows('a,b\n1,"2\n3,4\n')).toThrow(/line 2: a quoted field is never closed/);
  });
});

describe('parseCsv', () => {
  it('reads features and an integer target by name', () => {
    use(parseCsv('a,b,label\n1,2.5,0\n3,-4e1,1\n', { target: 'label' }), (d) => {
      expect(d.x.shape).toEqual([2, 2]);
      expect([...d.x.toArray()]).toEqual([1, 2.5, 3, -40]);
      expect(d.y).toBeInstanceOf(Int32Array);
      expect([...d.y!]).toEqual([0, 1]);
      expect(d.columns).toEqual(['a', 'b']);
      expect(d.target).toBe('label');
    });
  });

  it('float targets, text targets (sorted classes), column selection by name and index', () => {
    use(parseCsv('x,y\n1,0.5\n2,1\n', { target: 1 }), (d) => {
      expect(d.y).toBeInstanceOf(Float32Array);
      expect([...d.y!]).toEqual([0.5, 1]);
    });
    use(parseCsv('sl,sw,species\n5.1,3.5,setosa\n7,3.2,versicolor\n5,3.6,setosa\n', { target: 'species', columns: ['sw', 0] }), (d) => {
      expect(d.columns).toEqual(['sw', 'sl']);
      expect([...d.x.toArray()].map((v) => Math.round(v * 10) / 10)).toEqual([3.5, 5.1, 3.2, 7, 3.6, 5]);
      expect(d.classes).toEqual(['setosa', 'versicolor']);
      expect([...d.y!]).toEqual([0, 1, 0]);
    });
  });

  it('header false / auto; missing and special values', () => {
    use(parseCsv('1,2\n3,4\n', { header: false }), (d) => {
      expect(d.columns).toEqual(['0', '1']);
      expect(d.x.shape).toEqual([2, 2]);
    });
    use(parseCsv('1,2\n3,4\n', { header: 'auto' }), (d) => expect(d.x.shape).toEqual([2, 2]));
    use(parseCsv('p,q\n1,2\n', { header: 'auto' }), (d) => expect(d.columns).toEqual(['p', 'q']));
    use(parseCsv('a,b,c,d\n,nan,inf,-Infinity\n', {}), (d) => {
      const v = d.x.toArray();
      expect(Number.isNaN(v[0]) && Number.isNaN(v[1])).toBe(true);
      expect([v[2], v[3]]).toEqual([Infinity, -Infinity]);
    });
    use(parseCsv('a\n', {}), (d) => expect(d.x.shape).toEqual([0, 1]));
  });

  it('names the line of ragged rows and non-numeric cells', () => {
    const text = 'a,b\n1,2\n\n3\n';
    expect(() => parseCsv(text)).toThrow(sg.ShapeError);
    expect(() => parseCsv(text)).toThrow(/line 4 has 1 fields, expected 2/);
    expect(() => parseCsv('a,b\n1,2\n3,x7\n')).toThrow(sg.DTypeError);
    expect(() => parseCsv('a,b\n1,2\n3,x7\n')).toThrow(/line 3, column "b": "x7" is not a number/);
    expect(() => parseCsv('a,b\n1,2\n', { target: 'c' })).toThrow(/target "c" is not a column/);
    expect(() => parseCsv('a,b\n1,2\n', { columns: [5] })).toThrow(/index 5/);
    expect(() => parseCsv('', {})).toThrow(/empty/);
  });
});

describe('readCsv', () => {
  it('reads text, a path and a file URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-csv-'));
    try {
      const file = join(dir, 'd.csv');
      writeFileSync(file, 'u,v\r\n1,2\r\n3,4\r\n');
      for (const src of [file, pathToFileURL(file), 'u,v\n1,2\n3,4\n']) {
        const d = await readCsv(src, { target: 'v' });
        use(d, () => {
          expect([...d.x.toArray()]).toEqual([1, 3]);
          expect([...d.y!]).toEqual([2, 4]);
        });
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
