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
    use(parseCsv('a,b,c,d\n,nan,inf,-Infinity\n', { missing: 'nan' }), (d) => {
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

describe('missing cells and f32 overflow: an option says what to do, the default is an error', () => {
  it('an empty cell is an error naming its line and column, in features and in a numeric target', () => {
    const err = (text: string, opts = {}): unknown => { try { parseCsv(text, opts).x.dispose(); } catch (e) { return e; } return undefined; };
    const e1 = err('a,b,y\n1,2,0\n3, ,1\n', { target: 'y' });
    expect(e1).toBeInstanceOf(sg.DTypeError);
    expect((e1 as Error).message).toBe('readCsv: line 3, column "b": the cell is empty (pass missing: \'nan\' or \'drop\' to read it)');
    expect((err('a,y\n1,0\n2,\n3,1\n', { target: 'y' }) as Error).message).toMatch(/^readCsv: line 3, column "y": the cell is empty/);
    // a column that is not read may be empty
    use(parseCsv('a,skip,y\n1,,0\n', { target: 'y', columns: ['a'] }), (d) => expect([...d.x.toArray()]).toEqual([1]));
  });

  it("missing: 'nan' reads NaN (a numeric target becomes Float32Array); 'drop' drops the row", () => {
    const text = 'a,b,y\n1,2,0\n3,,1\n5,6,\n7,8,2\n';
    use(parseCsv(text, { target: 'y', missing: 'nan' }), (d) => {
      expect([...d.x.toArray()]).toEqual([1, 2, 3, NaN, 5, 6, 7, 8]);
      expect(d.y).toBeInstanceOf(Float32Array);
      expect([...d.y!]).toEqual([0, 1, NaN, 2]);
    });
    use(parseCsv(text, { target: 'y', missing: 'drop' }), (d) => {
      expect(d.x.shape).toEqual([2, 2]);
      expect([...d.x.toArray()]).toEqual([1, 2, 7, 8]);
      expect(d.y).toBeInstanceOf(Int32Array);
      expect([...d.y!]).toEqual([0, 2]);
    });
    // a text target cannot hold NaN; drop works
    expect(() => parseCsv('a,y\n1,cat\n2,\n', { target: 'y', missing: 'nan' })).toThrow(/line 3, column "y": the target cell is empty, and a text target cannot hold NaN/);
    use(parseCsv('a,y\n1,cat\n2,\n3,dog\n', { target: 'y', missing: 'drop' }), (d) => {
      expect(d.classes).toEqual(['cat', 'dog']);
      expect([...d.x.toArray()]).toEqual([1, 3]);
    });
    // a junk cell is an error even in a row that would be dropped
    expect(() => parseCsv('a,b\n,x\n', { missing: 'drop' })).toThrow(/line 2, column "b": "x" is not a number/);
    expect(() => parseCsv('a\n1\n', { missing: 'skip' as never })).toThrow(sg.OptionError);
  });

  it('"1e39" is an error (f32 tops out at 3.4e38) unless overflow: \'infinity\'; "inf" is a value, not an overflow', () => {
    expect(() => parseCsv('a,b\n1,1e39\n')).toThrow(sg.DTypeError);
    expect(() => parseCsv('a,b\n1,-1e39\n')).toThrow('readCsv: line 2, column "b": -1e39 is beyond f32\'s range (pass overflow: \'infinity\' to read it as Infinity)');
    expect(() => parseCsv('a,y\n1,2.5\n2,1e400\n', { target: 'y' })).toThrow(/line 3, column "y": 1e400 is beyond f32's range/);
    use(parseCsv('a,b\n1,1e39\n2,-1e39\n3,inf\n4,3.4e38\n', { overflow: 'infinity' }), (d) => {
      expect([...d.x.toArray()]).toEqual([1, Infinity, 2, -Infinity, 3, Infinity, 4, Math.fround(3.4e38)]);
    });
    use(parseCsv('a,y\n1,1e39\n', { target: 'y', overflow: 'infinity' }), (d) => expect([...d.y!]).toEqual([Infinity]));
    // class names are text: a number-like class name in a text target is not an overflow
    use(parseCsv('a,y\n1,1e39\n2,cat\n', { target: 'y' }), (d) => expect(d.classes).toEqual(['1e39', 'cat']));
    expect(() => parseCsv('a\n1\n', { overflow: 'clip' as never })).toThrow(/overflow must be one of 'error', 'infinity', got "clip"/);
  });
});

describe('readCsv', () => {
  it('a source that cannot be read is an IOError naming it, with the cause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-csv-'));
    const fail = async (src: unknown): Promise<Error & { path?: string; cause?: unknown }> => {
      try { (await readCsv(src as string)).x.dispose(); } catch (e) { return e as Error; }
      throw new Error(`readCsv(${String(src)}) did not throw`);
    };
    try {
      const missing = await fail(join(dir, 'nope.csv'));
      expect(missing).toBeInstanceOf(sg.IOError);
      expect(missing.message).toBe(`readCsv: cannot read ${JSON.stringify(join(dir, 'nope.csv'))} (ENOENT: no such file or directory)`);
      expect(missing.path).toBe(join(dir, 'nope.csv'));
      expect((missing.cause as { code?: string }).code).toBe('ENOENT');
      expect((await fail(dir)).message).toMatch(/cannot read .* \(EISDIR/);
      expect(await fail(pathToFileURL(join(dir, 'nope.csv')))).toBeInstanceOf(sg.IOError);
      expect(await fail(5)).toBeInstanceOf(sg.DTypeError);
      expect(await fail(null)).toBeInstanceOf(sg.DTypeError);
      // an unreachable URL: a port that was just free
      const { createServer } = await import('node:net');
      const port = await new Promise<number>((resolve) => {
        const srv = createServer().listen(0, '127.0.0.1', () => {
          const p = (srv.address() as { port: number }).port;
          srv.close(() => resolve(p));
        });
      });
      const down = await fail(new URL(`http://127.0.0.1:${port}/d.csv`));
      expect(down).toBeInstanceOf(sg.IOError);
      expect(down.message).toMatch(new RegExp(`cannot fetch http://127\\.0\\.0\\.1:${port}/d\\.csv \\(connect ECONNREFUSED`));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });


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
