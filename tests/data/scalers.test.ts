// Scalers against scikit-learn (scripts/fixtures/sklearn_fixtures.py → tests/fixtures/sklearn-scalers.json):
// fitted state, transform and inverseTransform for every option, with constant columns, NaNs,
// outliers and a large offset, within 1e-6; plus JSON round trips, errors and input immutability.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { MinMaxScaler, RobustScaler, StandardScaler } from '../../src/data/index.js';
import { expectClose } from '../helpers/backends.js';

type M = (number | null)[][];
interface Case {
  name: string; type: 'StandardScaler' | 'MinMaxScaler' | 'RobustScaler'; options: Record<string, unknown>;
  fit: M; x: M; state: Record<string, (number | null)[] | null>; transform: M; inverse: M;
}
const { cases: CASES, sklearn } = JSON.parse(readFileSync(new URL('../fixtures/sklearn-scalers.json', import.meta.url), 'utf8')) as
  { cases: Case[]; sklearn: string };
const CLASSES = { StandardScaler, MinMaxScaler, RobustScaler };
const flat = (m: M): number[] => m.flat().map((v) => (v === null ? NaN : v));
const mat = (m: M): sg.Tensor => sg.tensor(flat(m), [m.length, m[0]!.length]);
const TOL = { rtol: 1e-6, atol: 1e-6 };

type AnyScaler = StandardScaler | MinMaxScaler | RobustScaler;
const make = (c: Case): AnyScaler => new (CLASSES[c.type] as new (o: unknown) => AnyScaler)(c.options);

beforeAll(async () => { await sg.init({ backend: 'js' }); });

describe(`scalers match scikit-learn ${sklearn}`, () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    sg.scope(() => {
      const s = make(c);
      const xf = mat(c.fit), x = mat(c.x);
      const before = xf.toArray();
      s.fit(xf);
      for (const [k, v] of Object.entries(c.state)) {
        const got = (s as unknown as Record<string, number[] | null>)[k];
        if (v === null) expect(got, k).toBe(null);
        else expectClose(got!, v.map((e) => (e === null ? NaN : e)), { rtol: 1e-9, atol: 1e-12 }, `${c.name} ${k}`);
      }
      const y = s.transform(x);
      expect(y.shape).toEqual(x.shape);
      expectClose(y.toArray(), flat(c.transform), TOL, `${c.name} transform`);
      expectClose(s.inverseTransform(x).toArray(), flat(c.inverse), TOL, `${c.name} inverse`);
      if (!c.options.clip) expectClose(s.inverseTransform(y).toArray(), flat(c.x), { rtol: 1e-5, atol: 1e-5 }, 'round trip');
      expect(xf.toArray()).toEqual(before);
      // The fitted state survives JSON.
      const back = (CLASSES[c.type] as unknown as { fromJSON(j: unknown): AnyScaler })
        .fromJSON(JSON.parse(JSON.stringify(s)));
      expect(back.toJSON()).toEqual(JSON.parse(JSON.stringify(s)));
      expectClose(back.transform(x).toArray(), y.toArray(), { rtol: 0, atol: 0 }, 'after fromJSON');
    });
  });
});

describe('scaler behaviour', () => {
  it('fitTransform standardises with the population std and keeps constant columns finite', () => {
    sg.scope(() => {
      const z = new StandardScaler().fitTransform(sg.tensor([[1, 10, 7], [3, 30, 7]]));
      expect([...z.toArray()]).toEqual([-1, -1, 0, 1, 1, 0]);
      const m = new MinMaxScaler({ featureRange: [-1, 2] }).fitTransform(sg.tensor([[0, 4], [5, 4], [10, 4]]));
      expectClose(m.toArray(), [-1, -1, 0.5, -1, 2, -1]);
    });
  });

  it('throws before fit, on a feature-count mismatch, on bad ranks and options', () => {
    sg.scope(() => {
      const s = new StandardScaler();
      expect(() => s.fit(5 as never)).toThrow('StandardScaler.fit: x must be a Tensor, got 5');
      expect(() => s.transform(sg.tensor([[1, 2]]))).toThrow(/call fit\(\) before transform/);
      expect(() => s.toJSON()).not.toThrow();
      s.fit(sg.tensor([[1, 2], [3, 4]]));
      expect(() => s.transform(sg.tensor([[1, 2, 3]]))).toThrow(sg.ShapeError);
      expect(() => s.transform(sg.tensor([[1, 2, 3]]))).toThrow(/3 features .*fitted on 2/);
      expect(() => s.fit(sg.tensor([1, 2, 3]))).toThrow(/2-D tensor.*\[3\]/);
      expect(() => s.fit(sg.tensor([[1, Infinity]]))).toThrow(RangeError);
      expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(RangeError);
      expect(() => new RobustScaler({ quantileRange: [80, 20] })).toThrow(/quantileRange/);
      expect(() => StandardScaler.fromJSON(new MinMaxScaler().toJSON() as never)).toThrow(TypeError);
    });
  });

  it('round-trips an unfitted scaler and keeps options', () => {
    const s = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(new MinMaxScaler({ featureRange: [-2, 3], clip: true }))));
    expect(s.fitted).toBe(false);
    expect(s.options).toEqual({ featureRange: [-2, 3], clip: true });
  });

  it('passes NaN through transform and ignores it in fit', () => {
    sg.scope(() => {
      const s = new RobustScaler().fit(sg.tensor([[1], [NaN], [3], [5]]));
      expect(s.center).toEqual([3]);
      expect(Number.isNaN(s.transform(sg.tensor([[NaN]])).item())).toBe(true);
    });
  });
});
