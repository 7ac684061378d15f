// The CLI's data loading (src/cli/tabular-data.ts, infer-task.ts), in process: the task is
// inferred from the target with a reason (text → classes, fractions → regression, few distinct
// integers → classes, many → regression) or taken from --task when the values allow it;
// --features / --drop choose the columns and a dropped text column is never parsed; a non-numeric
// column is named with its line and the --drop that helps; non-finite values and single classes
// are refused by name; readCsv's `exclude` option underneath.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { loadData } from '../../src/cli/tabular-data.js';
import { inferTask, MAX_CLASSES } from '../../src/cli/infer-task.js';
import { CliError } from '../../src/cli/cli-error.js';

let dir = '';
beforeAll(async () => { await sg.init(); dir = mkdtempSync(join(tmpdir(), 'simdgrad-data-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const csv = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe('inferTask', () => {
  it('reads text as classes, fractions as a regression, and integers by how many distinct values they hold', () => {
    const many = Int32Array.from({ length: 50 }, (_, i) => 1000 + 7 * i);
    expect(inferTask(new Int32Array([0, 1, 2, 1]), true, 'species')).toEqual({ task: 'classification', reason: "target 'species' holds text labels" });
    expect(inferTask(new Float32Array([0.5, 1, 2]), false, 'price')).toEqual({ task: 'regression', reason: "target 'price' holds non-integer numbers" });
    expect(inferTask(new Int32Array([3, 5, 3, 7]), false, 'grade')).toMatchObject({ task: 'classification', reason: expect.stringMatching(/holds 3 distinct integers \(at most 20: class labels; pass --task regression/) });
    expect(inferTask(many, false, 'year')).toMatchObject({ task: 'regression', reason: expect.stringMatching(/holds 50 distinct integers \(more than 20: a quantity; pass --task classification/) });
    expect(inferTask(Int32Array.from({ length: MAX_CLASSES }, (_, i) => i), false, 'k').task).toBe('classification');
    expect(inferTask(many, false, 'year', 'classification')).toEqual({ task: 'classification', reason: 'as --task says' });
    expect(inferTask(new Int32Array([1, 2]), false, 'n', 'regression').task).toBe('regression');
    expect(() => inferTask(new Float32Array([1, 2.5]), false, 'price', 'classification')).toThrow("--task classification: target 'price' holds non-integer numbers (2.5 on data row 2), not class labels");
    expect(() => inferTask(new Int32Array([0, 1]), true, 'species', 'regression')).toThrow("--task regression: target 'species' holds text, not numbers");
  });
});

describe('loadData', () => {
  it('loads a regression with --drop, never parsing the dropped text column', async () => {
    const p = csv('house.csv', 'id,rooms,city,area,price\nh1,3,paris,50.5,1200.5\nh2,4,lyon,80,1800\nh3,2,paris,30.25,990.75\n');
    const d = await loadData(p, { target: 'price', drop: ['id', 'city'] });
    expect(d).toMatchObject({ task: 'regression', classes: 0, features: ['rooms', 'area'], target: 'price', shape: [3, 2], taskReason: "target 'price' holds non-integer numbers" });
    expect([...d.x]).toEqual([3, 50.5, 4, 80, 2, 30.25]);
    expect(d.y).toBeInstanceOf(Float32Array);
    expect([...d.y]).toEqual([1200.5, 1800, 990.75]);
    const f = await loadData(p, { target: '4', features: ['area', '1'] });
    expect([f.features, [...f.x]]).toEqual([['area', 'rooms'], [50.5, 3, 80, 4, 30.25, 2]]);
  });

  it('maps class labels to 0..k-1 and keeps their names', async () => {
    const p = csv('labels.csv', 'a,b,label\n1,2,7\n3,4,-2\n5,6,7\n7,8,3\n');
    const d = await loadData(p, { target: 'label' });
    expect(d).toMatchObject({ task: 'classification', classes: 3, classNames: [-2, 3, 7] });
    expect([...d.y]).toEqual([2, 0, 2, 1]);
    const t = await loadData(csv('text.csv', 'x,kind\n1,cat\n2,dog\n3,cat\n'), { target: 'kind' });
    expect([t.classNames, [...t.y], t.taskReason]).toEqual([['cat', 'dog'], [0, 1, 0], "target 'kind' holds text labels"]);
    const iris = await loadData('iris', { drop: ['sepal width (cm)'] });
    expect(iris).toMatchObject({ task: 'classification', classes: 3, classNames: ['setosa', 'versicolor', 'virginica'], shape: [150, 3] });
    expect(iris.features).toEqual(['sepal length (cm)', 'petal length (cm)', 'petal width (cm)']);
  });

  it('names the column, the line and the flag that helps in every mistake', async () => {
    const p = csv('bad.csv', 'id,a,b,y\n1,2,3,0.5\n2,4,oops,1.5\n3,1,1,nan\n');
    const cases: Array<[() => Promise<unknown>, string | RegExp]> = [
      [() => loadData(p, { target: 'y' }), `${p}: line 3, column "b": "oops" is not a number (leave the column out with --drop b, or choose columns with --features)`],
      [() => loadData(p, { target: 'y', drop: ['b'] }), `${p}: data row 3: the target 'y' is NaN; a regression needs finite numbers`],
      [() => loadData(p, { target: 'y', features: ['a'], task: 'classification' }), /--task classification: target 'y' holds non-integer numbers \(0.5 on data row 1\)/],
      [() => loadData(p, { target: 'nope' }), /target "nope" is not a column/],
      [() => loadData(p, { target: 'y', drop: ['zz'] }), /excluded column "zz" is not a column/],
      [() => loadData(p, { target: 'y', features: ['a'], drop: ['b'] }), '--features and --drop: give one of them'],
      [() => loadData(csv('nan.csv', 'a,y\n1,0\ninf,1\n'), { target: 'y' }), /nan\.csv: data row 2, column 'a' is Infinity; features must be finite numbers/],
      [() => loadData(csv('one.csv', 'a,y\n1,0\n2,0\n'), { target: 'y' }), /target column 'y' has a single class/],
      [() => loadData(csv('only.csv', 'id,y\nx,1\ny,2\n'), { target: 'y', drop: ['id'] }), /no feature column is left besides the target 'y'/],
      [() => loadData(p), /a CSV file needs --target <column>/],
      [() => loadData('digits', { target: 'y' }), /digits is built in and has its own labels/],
      [() => loadData('iris', { task: 'regression' }), /iris is a classification data set/],
      [() => loadData('iris', { features: ['petal size'] }), /--features: "petal size" is not a column of iris/],
    ];
    for (const [run, message] of cases) {
      const err = await run().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      if (typeof message === 'string') expect((err as Error).message).toBe(message);
      else expect((err as Error).message).toMatch(message);
    }
  });
});

describe('readCsv exclude', () => {
  it('leaves columns out by name or index and never reads their cells', async () => {
    const d = await sg.data.readCsv('id,a,note,b\nx1,1,"some text",2\nx2,3,more,4\n', { exclude: ['id', 2] });
    try {
      expect([d.columns, [...d.x.toArray()]]).toEqual([['a', 'b'], [1, 2, 3, 4]]);
    } finally {
      d.x.dispose();
    }
    await expect(sg.data.readCsv('a,b\n1,2\n', { exclude: ['a'], columns: ['b'] })).rejects.toThrow('readCsv: give columns or exclude, not both');
    await expect(sg.data.readCsv('a,b\n1,2\n', { exclude: 'a' as never })).rejects.toThrow(sg.OptionError);
  });
});
