// Shape helpers: validation, strides, broadcasting rules and their errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { broadcastShapes, checkShape, normAxis, sizeOf, stridesOf } from '../src/shape-arithmetic.js';
import { ShapeError } from '../src/errors.js';

describe('shape', () => {
  it('validates dimensions', () => {
    expect(() => checkShape([2, NaN])).toThrow(ShapeError);
    expect(() => checkShape([2, -1])).toThrow(/\[2, -1\]/);
    expect(() => checkShape([1.5])).toThrow(ShapeError);
    expect(() => checkShape([0, 3])).not.toThrow();
  });
  it('computes sizes and row-major strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });
  it('broadcasts like NumPy and names both shapes when it cannot', () => {
    expect(broadcastShapes([3, 1, 5], [4, 1])).toEqual([3, 4, 5]);
    expect(broadcastShapes([], [2])).toEqual([2]);
    expect(() => broadcastShapes([2, 3], [4, 3])).toThrow('[2, 3] and [4, 3]');
  });
  it('broadcasting is commutative and idempotent (property)', () => {
    const dim = fc.integer({ min: 1, max: 4 });
    fc.assert(fc.property(fc.array(dim, { maxLength: 4 }), fc.array(dim, { maxLength: 4 }), (a, b) => {
      let ab: number[] | undefined, ba: number[] | undefined;
      try { ab = broadcastShapes(a, b); } catch { ab = undefined; }
      try { ba = broadcastShapes(b, a); } catch { ba = undefined; }
      expect(ab).toEqual(ba);
      if (ab) expect(broadcastShapes(ab, a)).toEqual(ab);
    }));
  });
  it('normalises axes', () => {
    expect(normAxis(-1, 3)).toBe(2);
    expect(() => normAxis(3, 3, [1, 2, 3])).toThrow('axis 3 is out of range for shape [1, 2, 3]');
  });
});
