// oneHot and LabelEncoder: values, sklearn's class order (np.unique), errors naming the culprit.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { LabelEncoder, oneHot } from '../../src/data/index.js';

beforeAll(async () => { await sg.init({ backend: 'js' }); });

describe('oneHot', () => {
  it('encodes labels with numClasses = max + 1 by default', () => {
    sg.scope(() => {
      const t = oneHot([0, 2, 1]);
      expect(t.shape).toEqual([3, 3]);
      expect([...t.toArray()]).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
      const u = oneHot(new Int32Array([1, 1]), 4);
      expect([...u.toArray()]).toEqual([0, 1, 0, 0, 0, 1, 0, 0]);
      expect(oneHot([]).shape).toEqual([0, 0]);
    });
  });

  it('rejects negative, fractional and out-of-range labels', () => {
    expect(() => oneHot([0, -1])).toThrow(/label -1 at index 1/);
    expect(() => oneHot([0.5])).toThrow(sg.DTypeError);
    expect(() => oneHot([0, 3, 1], 3)).toThrow(/label 3 at index 1 is out of range for numClasses = 3/);
  });
});

describe('LabelEncoder', () => {
  it('sorts classes like np.unique and maps both ways', () => {
    const enc = new LabelEncoder<string>().fit(['cat', 'dog', 'cat', 'bird', 'Zebra']);
    expect(enc.classes).toEqual(['Zebra', 'bird', 'cat', 'dog']);
    expect([...enc.transform(['dog', 'bird'])]).toEqual([3, 1]);
    expect(enc.inverseTransform([2, 0])).toEqual(['cat', 'Zebra']);
    const num = new LabelEncoder<number>();
    expect([...num.fitTransform([10, -2, 3.5, 10])]).toEqual([2, 0, 1, 2]);
    expect(num.classes).toEqual([-2, 3.5, 10]);
  });

  it('orders strings by code point (astral characters after U+FFxx)', () => {
    expect(new LabelEncoder().fit(['😀', '\uff41', 'a']).classes).toEqual(['a', '\uff41', '😀']);
  });

  it('names unseen labels and bad codes; rejects mixed types; round-trips JSON', () => {
    const enc = new LabelEncoder().fit(['a', 'b']);
    expect(() => enc.transform(['a', 'c'])).toThrow(/label "c" at index 1 was not seen/);
    expect(() => enc.inverseTransform([2])).toThrow(/code 2 at index 0/);
    expect(() => new LabelEncoder().fit(['a', 1])).toThrow(sg.DTypeError);
    expect(() => new LabelEncoder().transform(['a'])).toThrow(/fit\(\)/);
    const back = LabelEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
    expect(back.classes).toEqual(['a', 'b']);
  });
});
