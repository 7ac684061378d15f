// The allocator: alignment, reuse of freed blocks, growth with fresh views, the wasm32 limit.
import { describe, expect, it } from 'vitest';
import { Heap, BufferMemory, MAX_PAGES, type LinearMemory } from '../src/memory.js';
import { MemoryLimitError } from '../src/errors.js';

describe('Heap', () => {
  it('hands out 16-byte-aligned, non-overlapping blocks and reuses freed ones', () => {
    const h = new Heap();
    const ptrs = [1, 3, 16, 17, 100, 1000, 4097].map((n) => [h.alloc(n), n] as const);
    for (const [p] of ptrs) expect(p % 16).toBe(0);
    const sorted = [...ptrs].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![0] + sorted[i - 1]![1]);
    const [p100] = ptrs[4]!;
    h.free(p100);
    expect(h.alloc(97)).toBe(p100); // same size class
    expect(() => h.free(12345)).toThrow(RangeError);
  });

  it('refuses to free a block twice, also after it was reused and freed again', () => {
    const h = new Heap();
    const a = h.alloc(64);
    h.free(a);
    expect(() => h.free(a)).toThrow(/not a live block/);
    expect(h.alloc(64)).toBe(a);
    expect(h.stats().blocks).toBe(1);
    h.free(a);
    expect(() => h.free(a)).toThrow(RangeError);
    expect(h.stats()).toMatchObject({ bytes: 0, blocks: 0 });
  });

  it('counts live bytes and peak', () => {
    const h = new Heap();
    const a = h.alloc(1024), b = h.alloc(2048);
    expect(h.stats().bytes).toBe(3072);
    h.free(a); h.free(b);
    expect(h.stats()).toMatchObject({ bytes: 0, peakBytes: 3072, blocks: 0 });
  });

  it('grows on demand and re-creates views; old data survives growth', () => {
    const h = new Heap();
    const p = h.writeF32([1, 2, 3]);
    const cap = h.stats().capacity;
    const big = h.alloc(cap * 2);
    expect(h.stats().capacity).toBeGreaterThan(cap);
    expect(h.f32.length * 4).toBe(h.stats().capacity);
    expect([...h.readF32(p, 3)]).toEqual([1, 2, 3]);
    h.f32[(big >> 2) + 10] = 7;
    expect(h.readF32(big + 40, 1)[0]).toBe(7);
  });

  it('the same on a plain-buffer memory (no WebAssembly)', () => {
    const h = new Heap(new BufferMemory(1));
    const p = h.writeF32([5, 6]);
    h.alloc(1 << 20);
    expect([...h.readF32(p, 2)]).toEqual([5, 6]);
  });

  it('refuses more than the wasm32 limit with a clear error and keeps existing blocks', () => {
    const h = new Heap();
    const p = h.writeF32([4, 2]);
    const before = h.stats();
    expect(() => h.alloc(MAX_PAGES * 65536)).toThrow(MemoryLimitError);
    expect(() => h.alloc(5 * 2 ** 30)).toThrow(/wasm32 limit/);
    expect(h.stats()).toEqual(before);
    expect([...h.readF32(p, 2)]).toEqual([4, 2]);
    expect(() => h.alloc(-1)).toThrow(RangeError);
    expect(() => h.alloc(NaN)).toThrow(RangeError);
  });

  it('turns a failed memory.grow into MemoryLimitError without moving the heap top', () => {
    const real = new BufferMemory(2);
    let refuse = false;
    const mem: LinearMemory = {
      get buffer() { return real.buffer; },
      grow(n) { if (refuse) throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'); return real.grow(n); },
    };
    const h = new Heap(mem);
    const a = h.alloc(1000);
    refuse = true;
    expect(() => h.alloc(1 << 20)).toThrow(/growing linear memory/);
    refuse = false;
    const b = h.alloc(16);
    expect(b).toBeGreaterThan(a);
    expect(b - a).toBeLessThan(2048); // the failed request did not consume address space
  });
});
