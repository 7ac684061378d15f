// The allocator: alignment, reuse of freed blocks, growth with fresh views, the wasm32 limit,
// merging and splitting free blocks once memory cannot grow, and unsigned word indices.
import { describe, expect, it } from 'vitest';
import { Heap, BufferMemory, MAX_PAGES, wordIndex, type LinearMemory } from '../src/memory.js';
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

  it('wordIndex is unsigned: offsets past 2 GiB index forward', () => {
    expect(wordIndex(0x10000)).toBe(0x4000);
    expect(wordIndex(2 ** 31)).toBe(2 ** 29);
    expect(wordIndex(2 ** 32 - 4)).toBe(2 ** 30 - 1);
  });
});

/** A plain-buffer memory that refuses to grow past `pages` (as a full 4 GiB memory does). */
function cappedMemory(pages: number): LinearMemory {
  const real = new BufferMemory(1);
  return {
    get buffer() { return real.buffer; },
    grow(n) {
      if (real.buffer.byteLength / 65536 + n > pages) throw new RangeError('Maximum memory size exceeded');
      return real.grow(n);
    },
  };
}

describe('Heap at its limit', () => {
  it('merges adjacent free blocks of other size classes and splits them to fit', () => {
    const h = new Heap(cappedMemory(16)); // 1 MiB
    const a = h.alloc(100_000), b = h.alloc(200_000), c = h.alloc(100_000);
    const filler = h.alloc(500_000);          // leaves 32 KiB above the bump pointer
    h.f32.fill(7, wordIndex(c), wordIndex(c) + 25_000);
    h.free(a); h.free(b);
    expect(() => h.alloc(400_000)).toThrow(MemoryLimitError);
    const d = h.alloc(290_000);               // no 290 kB block was ever freed: a + b, merged
    expect(d).toBe(a);
    const e = h.alloc(24_000);                // the rest of a + b
    expect(e).toBeGreaterThanOrEqual(d + 290_000);
    expect(e + 24_000).toBeLessThanOrEqual(c);
    expect(h.readF32(c, 25_000).every((v) => v === 7)).toBe(true);
    expect(h.stats().blocks).toBe(4);
    for (const p of [c, d, e, filler]) h.free(p);
    expect(h.stats().bytes).toBe(0);
    expect(h.alloc(900_000)).toBe(a);         // everything free again: one block from the bottom
  });

  it('hands a free tail back to the bump pointer', () => {
    const h = new Heap(cappedMemory(16));
    const a = h.writeF32([3, 4]), big = h.alloc(600_000);
    h.free(big);
    expect(h.alloc(900_000)).toBe(big);       // not a 600 kB block: the tail, re-bumped
    expect(() => h.alloc(200_000)).toThrow(MemoryLimitError);
    expect([...h.readF32(a, 2)]).toEqual([3, 4]);
  });

  it('random allocations and frees: no overlap, contents kept, fails only when no gap fits', () => {
    const cap = 64 * 65536, h = new Heap(cappedMemory(64));
    // sizes that are their own size class, so the test knows each block's extent
    const sizes = [16, 48, 256, 1024, 1536, 4096, 7168, 16384, 40960, 131072, 229376];
    const live = new Map<number, { size: number; id: number }>();
    let s = 12345, failures = 0;
    const rnd = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
    for (let step = 0; step < 4000; step++) {
      if (live.size && rnd(100) < 45) {
        const keys = [...live.keys()], p = keys[rnd(keys.length)]!;
        h.free(p);
        live.delete(p);
        continue;
      }
      const size = sizes[rnd(sizes.length)]!;
      const blocks = [...live].sort((x, y) => x[0] - y[0]);
      let fits = false, at = 65536;
      for (const [p, b] of blocks) { if (p - at >= size) fits = true; at = p + b.size; }
      if (cap - at >= size) fits = true;
      let p: number;
      try {
        p = h.alloc(size);
      } catch (err) {
        expect(err, `step ${step}: ${size} bytes fit a gap`).toBeInstanceOf(MemoryLimitError);
        expect(fits, `step ${step}: failed though a ${size}-byte gap exists`).toBe(false);
        failures++;
        continue;
      }
      expect(p % 16).toBe(0);
      expect(p + size).toBeLessThanOrEqual(cap);
      for (const [q, b] of live) expect(p + size <= q || q + b.size <= p, `step ${step}: overlap`).toBe(true);
      live.set(p, { size, id: step + 1 });
      h.i32[wordIndex(p)] = step + 1;
      h.i32[wordIndex(p + size) - 1] = -(step + 1);
      for (const [q, b] of live) {
        expect(h.i32[wordIndex(q)]).toBe(b.id);
        expect(h.i32[wordIndex(q + b.size) - 1]).toBe(-b.id);
      }
    }
    expect(failures).toBeGreaterThan(10); // the cap was reached often
    expect(h.stats().blocks).toBe(live.size);
  });
});
