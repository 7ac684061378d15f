// memory(): live tensors and heap bytes of the active backend — what a leak test watches.
import { active } from './runtime/context.js';
import { tensorCount } from './tensor.js';

export interface MemoryInfo {
  /** Tensors created and not yet disposed (on any backend). */
  tensors: number;
  /** Bytes held by live blocks in the active backend's heap. */
  bytes: number;
  /** Most bytes ever live at once in that heap. */
  peakBytes: number;
  /** Size of its linear memory (grows, never shrinks). */
  capacity: number;
}

/**
 * Memory in use. A training step that leaks nothing leaves `tensors` and `bytes` unchanged.
 * @example
 * const before = sg.memory(); step(); expect(sg.memory().bytes).toBe(before.bytes);
 */
export function memory(): MemoryInfo {
  const s = active().heap.stats();
  return { tensors: tensorCount(), bytes: s.bytes, peakBytes: s.peakBytes, capacity: s.capacity };
}
