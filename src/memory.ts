// The heap: one linear memory owned by JS (a WebAssembly.Memory, or a plain growable buffer for
// the pure-JS backend where WebAssembly is missing) and an allocator over it.
//
// Contract: alloc(bytes) returns a 16-byte-aligned byte offset; blocks are grouped into size
// classes (≤ 12.5% slack) whose free lists are reused first; fresh blocks come from a bump
// pointer that grows the memory on demand, up to 4 GiB; when it cannot grow further, adjacent
// free blocks are merged and split to fit before MemoryLimitError is thrown. Typed views are
// re-created whenever the buffer changed (memory.grow detaches the old ones), so callers must
// read `heap.f32` at each use and never keep a view across an allocation. Offsets pass 2³¹:
// JS indexes the views only through wordIndex (unsigned). The first 64 KiB are reserved
// (pointer 0 means "none"); the kernel threads keep their control block there (src/threads/).
import { MemoryLimitError } from './errors.js';

/** Byte offset into the heap. */
export type Ptr = number;

/**
 * The index in `heap.f32` / `heap.i32` of the 4-byte word at byte offset `ptr` — the one way JS
 * turns a pointer into an array index. Unsigned: the heap spans 4 GiB, and a signed `ptr >> 2`
 * turns every offset past 2 GiB into a negative index (reads give undefined, writes vanish).
 * @example heap.f32[wordIndex(t.ptr) + i]
 */
export function wordIndex(ptr: Ptr): number {
  return ptr >>> 2;
}

/** Fresh typed views over the whole heap. */
export interface HeapViews {
  readonly f32: Float32Array;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
}

/** What a heap needs from its memory: WebAssembly.Memory has exactly this shape. */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

const PAGE = 65536;
const RESERVED = PAGE;
/** wasm32 addresses 4 GiB at most; V8 allows that many pages. */
export const MAX_PAGES = 65536;

/** A LinearMemory backed by plain ArrayBuffers, for runtimes without WebAssembly. */
export class BufferMemory implements LinearMemory {
  buffer: ArrayBuffer;
  constructor(pages: number) {
    this.buffer = new ArrayBuffer(pages * PAGE);
  }
  grow(deltaPages: number): number {
    const old = this.buffer.byteLength / PAGE;
    if (old + deltaPages > MAX_PAGES) throw new RangeError('BufferMemory: maximum exceeded');
    const next = new ArrayBuffer((old + deltaPages) * PAGE);
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    return old;
  }
}

/** Creates the memory a heap lives in: a WebAssembly.Memory when available. */
export function createLinearMemory(initialPages = 16): LinearMemory {
  if (typeof WebAssembly !== 'undefined' && typeof WebAssembly.Memory === 'function') {
    return new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES });
  }
  return new BufferMemory(initialPages);
}

/** Size class of a request: 8 classes per power of two above 256 bytes, 16-byte steps below. */
function sizeClass(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 16) * 16); // arithmetic, not bitwise: sizes pass 2³¹
  if (b <= 256) return b;
  const step = 2 ** (Math.floor(Math.log2(b - 1)) - 3); // 1/8 of the enclosing power of two
  return Math.ceil(b / step) * step;
}

export interface HeapStats {
  /** Bytes in live blocks (size-class rounded). */
  bytes: number;
  /** Most bytes ever live at once. */
  peakBytes: number;
  /** Live blocks. */
  blocks: number;
  /** Current size of linear memory. */
  capacity: number;
  /** The bump pointer: where the next never-used block starts (everything below is reserved,
   * live or free). */
  top: number;
}

export class Heap implements HeapViews {
  readonly memory: LinearMemory;
  private top = RESERVED;
  private readonly freeLists = new Map<number, Ptr[]>();
  /** Every block → its size in bytes, negated while the block is free. alloc and free overwrite an
   * entry, they never add and delete one (no rehashing garbage per tensor); only the slow path at
   * the memory limit (reuseFreeSpace) merges and splits free blocks. */
  private readonly blocks = new Map<Ptr, number>();
  private liveBlocks = 0;
  private liveBytes = 0;
  private peak = 0;
  private buf: ArrayBuffer | null = null;
  private vf32 = new Float32Array(0);
  private vi32 = new Int32Array(0);
  private vu8 = new Uint8Array(0);

  /** `maxPages`: the memory's declared maximum when below wasm32's 4 GiB (a shared memory the
   * engine would not reserve 4 GiB for): the heap's limit. */
  constructor(memory: LinearMemory = createLinearMemory(), private readonly maxPages = MAX_PAGES) {
    this.memory = memory;
    if (memory.buffer.byteLength < RESERVED) memory.grow(1);
  }

  private refresh(): void {
    const b = this.memory.buffer;
    if (b === this.buf && this.vu8.byteLength === b.byteLength) return;
    this.buf = b;
    this.vf32 = new Float32Array(b);
    this.vi32 = new Int32Array(b);
    this.vu8 = new Uint8Array(b);
  }
  get f32(): Float32Array { this.refresh(); return this.vf32; }
  get i32(): Int32Array { this.refresh(); return this.vi32; }
  get u8(): Uint8Array { this.refresh(); return this.vu8; }

  /** Allocates `bytes` (≥ 0) and returns a 16-byte-aligned pointer. Contents are unspecified. */
  alloc(bytes: number): Ptr {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) {
      throw new RangeError(`alloc: byte count must be a finite number ≥ 0, got ${bytes}`);
    }
    const size = sizeClass(bytes);
    let ptr = this.freeLists.get(size)?.pop();
    if (ptr === undefined) {
      try {
        ptr = this.bump(size, bytes);
      } catch (e) {
        if (!(e instanceof MemoryLimitError)) throw e;
        ptr = this.reuseFreeSpace(size) ?? this.bump(size, bytes); // the latter throws if still no room
      }
    }
    this.blocks.set(ptr, size);
    this.liveBlocks++;
    this.liveBytes += size;
    if (this.liveBytes > this.peak) this.peak = this.liveBytes;
    return ptr;
  }

  /** A fresh block of `size` bytes at the bump pointer, growing the memory if needed. */
  private bump(size: number, bytes: number): Ptr {
    const end = this.top + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const limit = this.maxPages * PAGE;
      if (end > limit) {
        throw new MemoryLimitError(
          `cannot allocate ${bytes} bytes: linear memory would need ${end} bytes, past the ` +
          `${this.maxPages < MAX_PAGES ? "memory's maximum" : 'wasm32 limit'} of ${limit} bytes (${this.liveBytes} bytes are live)`);
      }
      // by half again (fewer grows); if the host refuses that, by just what this block needs
      const need = Math.ceil((end - have) / PAGE);
      const ample = Math.max(need, Math.ceil((Math.min(limit, have * 1.5) - have) / PAGE));
      try {
        this.memory.grow(ample);
      } catch {
        try {
          this.memory.grow(need);
        } catch (e) {
          throw new MemoryLimitError(
            `cannot allocate ${bytes} bytes: growing linear memory from ${have} to ` +
            `${have + need * PAGE} bytes failed (${(e as Error).message})`);
        }
      }
    }
    const ptr = this.top;
    this.top = end;
    return ptr;
  }

  /**
   * The slow path once memory cannot grow to fit `size`: merges adjacent free blocks (whatever
   * their size classes), hands a free tail back to the bump pointer, and splits the smallest free
   * run that fits (the rest stays free). Returns undefined if none fits (the caller bumps again).
   */
  private reuseFreeSpace(size: number): Ptr | undefined {
    const runs: number[][] = [];
    let fit: number[] | undefined;
    for (const [p, s] of [...this.blocks].sort((a, b) => a[0] - b[0])) {
      if (s > 0) continue;
      const r = runs[runs.length - 1];
      this.blocks.delete(p);
      if (r && r[0]! + r[1]! === p) r[1]! -= s;
      else runs.push([p, -s]);
    }
    this.freeLists.clear();
    for (const r of runs) {
      if (r[0]! + r[1]! === this.top) this.top = r[0]!;         // the last run: a free tail
      else if (r[1]! >= size && !(fit && fit[1]! <= r[1]!)) fit = r;
    }
    for (const r of runs) {
      const [p, s] = r === fit ? [r[0]! + size, r[1]! - size] : r;
      if (p! < this.top && s) { this.blocks.set(p!, -s); this.pushFree(p!, s); }
    }
    return fit?.[0];
  }

  private pushFree(ptr: Ptr, size: number): void {
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(ptr);
  }

  /** Returns a block to its size class's free list. Freeing twice or a foreign pointer throws. */
  free(ptr: Ptr): void {
    const size = this.blocks.get(ptr);
    if (size === undefined || size < 0) throw new RangeError(`free: ${ptr} is not a live block`);
    this.blocks.set(ptr, -size);
    this.liveBlocks--;
    this.liveBytes -= size;
    this.pushFree(ptr, size);
  }

  /** Copies `data` into a new block and returns its pointer. */
  writeF32(data: ArrayLike<number>): Ptr {
    const p = this.alloc(data.length * 4);
    this.f32.set(data, wordIndex(p));
    return p;
  }
  writeI32(data: ArrayLike<number>): Ptr {
    const p = this.alloc(data.length * 4);
    this.i32.set(data, wordIndex(p));
    return p;
  }
  /** A copy of n floats at ptr. */
  readF32(ptr: Ptr, n: number): Float32Array {
    return this.f32.slice(wordIndex(ptr), wordIndex(ptr) + n);
  }
  readI32(ptr: Ptr, n: number): Int32Array {
    return this.i32.slice(wordIndex(ptr), wordIndex(ptr) + n);
  }

  stats(): HeapStats {
    return {
      bytes: this.liveBytes, peakBytes: this.peak, blocks: this.liveBlocks,
      capacity: this.memory.buffer.byteLength, top: this.top,
    };
  }
}
