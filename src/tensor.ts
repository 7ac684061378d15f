// Tensor: an n-d float32 view (shape, strides, offset) over a storage block in a backend's heap.
//
// Contract: views (.T, transpose, reshape of contiguous data) share storage; the storage is
// freed when its last tensor is disposed — explicitly, by `using`, or by the scope that created
// it. A disposed tensor throws DisposedError on every use. Methods are thin aliases of the
// functions in ops/ (which validate shapes and name them in errors).
import type { Backend } from './backend/create.js';
import { wordIndex, type Ptr } from './memory.js';
import { active } from './runtime/context.js';
import { sizeOf, stridesOf, type Shape } from './shape.js';
import { track, type Frame, type Tracked } from './scope.js';
import { DisposedError, DTypeError, describeValue, fmtShape, ShapeError } from './errors.js';
import * as ew from './ops/elementwise.js';
import * as act from './ops/activation.js';
import * as red from './ops/reduce.js';
import * as sh from './ops/shape.js';
import { matmul } from './ops/matmul.js';
import { backward, detach } from './ops/grad.js';
import type { BackwardOptions, Node } from './autograd.js';
import { formatTensor } from './tensor-format.js';

/** A block of floats in one backend's heap, shared by all views of it. */
export class Storage {
  refs = 0;
  constructor(readonly backend: Backend, readonly ptr: Ptr, readonly length: number) {}
}

let liveTensors = 0;
/** Number of tensors not yet disposed (for memory()). */
export function tensorCount(): number {
  return liveTensors;
}

/** An immutable copy of dims; a frozen array (another tensor's shape) is shared as it is. */
function frozen(dims: Shape): readonly number[] {
  return Object.isFrozen(dims) ? dims : Object.freeze(dims.slice());
}

const inspect = Symbol.for('nodejs.util.inspect.custom');

// `Symbol.dispose` (tensors and batches work with `using`) is declared here as TypeScript's
// esnext.disposable lib and @types/node declare it, so the published .d.ts type-checks in a
// consumer whose `lib` lacks esnext.disposable; the declarations merge where it has it.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

export type Scalar = number;
export type TensorLike = Tensor | Scalar;

export class Tensor implements Tracked {
  readonly shape: readonly number[];
  readonly size: number;
  /** Whether gradients flow to this tensor. */
  requiresGrad = false;
  // The library's own bookkeeping lives in private fields behind accessors, so a tensor the user
  // froze (Object.freeze) still works: ops read it, backward fills its grad, dispose frees it.
  #strides: readonly number[];
  #grad: Tensor | null = null;
  #gradFn: Node | null = null;
  #disposed = false;
  #frame: Frame | undefined = undefined;
  /** Internal: ops build tensors with Tensor.empty / Tensor.view. */
  #store: Storage;
  #off: number;

  constructor(storage: Storage, shape: Shape, strides: Shape, offset: number) {
    this.#store = storage;
    this.#off = offset;
    this.shape = frozen(shape);
    this.#strides = frozen(strides);
    this.size = sizeOf(shape);
    storage.refs++;
    liveTensors++;
    track(this);
  }

  /** Elements between consecutive indices of each dimension. */
  get strides(): readonly number[] { return this.#strides; }
  /** Accumulated gradient of a leaf after backward() (PyTorch's .grad). */
  get grad(): Tensor | null { return this.#grad; }
  set grad(g: Tensor | null) { this.#grad = g; }
  /** The autograd Node that produced this tensor; null for leaves. */
  get gradFn(): Node | null { return this.#gradFn; }
  set gradFn(n: Node | null) { this.#gradFn = n; }
  /** Whether dispose() ran (directly or through a scope). */
  get disposed(): boolean { return this.#disposed; }
  /** The scope frame that owns this tensor (undefined: none, or kept). */
  get frame(): Frame | undefined { return this.#frame; }
  set frame(f: Frame | undefined) { this.#frame = f; }

  /** A fresh contiguous tensor with unspecified contents on `backend` (default: the active one). */
  static empty(shape: Shape, backend: Backend = active()): Tensor {
    const n = sizeOf(shape);
    const ptr = backend.heap.alloc(n * 4);
    return new Tensor(new Storage(backend, ptr, n), shape, Object.freeze(stridesOf(shape)), 0);
  }

  /** A view sharing this tensor's storage. */
  view(shape: Shape, strides: Shape, offset = this.offset): Tensor {
    this.check();
    return new Tensor(this.storage, shape, strides, offset);
  }

  /** The storage block this tensor views. */
  get storage(): Storage { return this.#store; }
  /** Element offset of this view into its storage. */
  get offset(): number { return this.#off; }
  get backend(): Backend { return this.storage.backend; }

  /**
   * Internal: moves a contiguous tensor onto another storage (same backend, data already copied
   * there by the caller) — how parameters are gathered into one block for fused optimizer steps.
   */
  rebind(storage: Storage, offset: number): void {
    this.check();
    if (storage.backend !== this.#store.backend) throw new ShapeError('rebind: storage lives on another backend');
    if (offset < 0 || offset + this.size > storage.length) {
      throw new ShapeError(`rebind: ${this.size} elements at ${offset} do not fit a block of ${storage.length}`);
    }
    storage.refs++;
    if (--this.#store.refs === 0) this.#store.backend.heap.free(this.#store.ptr);
    this.#store = storage;
    this.#off = offset;
    this.#strides = Object.freeze(stridesOf(this.shape));
  }
  get rank(): number { return this.shape.length; }
  /** Byte address of element 0 of this view. */
  get ptr(): Ptr { this.check(); return this.storage.ptr + this.offset * 4; }

  /** Throws DisposedError if this tensor (or its storage) was freed. */
  check(): this {
    if (this.disposed) {
      throw new DisposedError(`tensor of shape ${fmtShape(this.shape)} was used after dispose()`);
    }
    return this;
  }

  /** Whether the strides are row-major (size-1 dims may have any stride). */
  get isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const d = this.shape[i]!;
      if (d !== 1 && this.strides[i] !== expected) return false;
      expected *= d;
    }
    return true;
  }

  /** Frees this tensor (its storage when no other view holds it). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    liveTensors--;
    this.frame?.owned.delete(this);
    this.frame = undefined;
    if (--this.storage.refs === 0) this.storage.backend.heap.free(this.storage.ptr);
    this.gradFn?.release();
    this.gradFn = null;
    this.grad?.dispose();
    this.grad = null;
  }
  [Symbol.dispose](): void { this.dispose(); }

  /** A fresh Float32Array with the values in row-major order. */
  toArray(): Float32Array {
    this.check();
    if (this.isContiguous) return this.backend.heap.readF32(this.ptr, this.size);
    const c = sh.contiguous(this);
    try { return c.toArray(); } finally { c.dispose(); }
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(`item() needs a tensor with one element, got shape ${fmtShape(this.shape)}`);
    }
    return this.backend.heap.f32[wordIndex(this.ptr)]!; // element 0 sits at ptr whatever the strides
  }

  /**
   * The values as PyTorch prints them (4 decimals, big tensors summarised with "..."), then the
   * shape and autograd state. @example String(sg.tensor([1.5, 2])) // 'tensor([1.5000, 2.0000], shape=[2])'
   */
  toString(): string { return formatTensor(this); }
  [inspect](): string { return this.toString(); }

  // ---- autograd ----
  /** A leaf: made by the user (or detached), not by an op that records a graph. */
  get isLeaf(): boolean { return this.gradFn === null; }
  /**
   * Accumulates d(this)/d(leaf) into every leaf's .grad; `gradient` is needed unless this tensor
   * has one element. @example loss.backward(); w.grad!.toArray()
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void { backward(this, gradient, options); }
  /** A view of the same data outside the graph (requiresGrad false). */
  detach(): Tensor { return detach(this); }

  // ---- views and shape ----
  /** Transpose of a 2-D tensor as a view (matmul reads it without copying). */
  get T(): Tensor { return sh.transpose(this); }
  transpose(dim0?: number, dim1?: number): Tensor { return sh.transpose(this, dim0, dim1); }
  reshape(shape: Shape): Tensor { return sh.reshape(this, shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return sh.flatten(this, startDim, endDim); }
  slice(starts: Shape, ends?: Shape): Tensor { return sh.slice(this, starts, ends); }
  contiguous(): Tensor { return sh.contiguous(this); }

  // ---- elementwise ----
  add(o: TensorLike): Tensor { return ew.add(this, o); }
  sub(o: TensorLike): Tensor { return ew.sub(this, o); }
  mul(o: TensorLike): Tensor { return ew.mul(this, o); }
  div(o: TensorLike): Tensor { return ew.div(this, o); }
  pow(o: TensorLike): Tensor { return ew.pow(this, o); }
  maximum(o: TensorLike): Tensor { return ew.maximum(this, o); }
  minimum(o: TensorLike): Tensor { return ew.minimum(this, o); }
  neg(): Tensor { return ew.neg(this); }
  abs(): Tensor { return ew.abs(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }

  // ---- activations ----
  relu(): Tensor { return act.relu(this); }
  leakyRelu(negativeSlope = 0.01): Tensor { return act.leakyRelu(this, negativeSlope); }
  gelu(): Tensor { return act.gelu(this); }
  silu(): Tensor { return act.silu(this); }
  tanh(): Tensor { return act.tanh(this); }
  sigmoid(): Tensor { return act.sigmoid(this); }
  softmax(axis = -1): Tensor { return act.softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return act.logSoftmax(this, axis); }

  // ---- reductions ----
  sum(axis?: number | number[], keepDims = false): Tensor { return red.sum(this, axis, keepDims); }
  mean(axis?: number | number[], keepDims = false): Tensor { return red.mean(this, axis, keepDims); }
  max(axis?: number | number[], keepDims = false): Tensor { return red.max(this, axis, keepDims); }
  argmax(axis = -1): Int32Array { return red.argmax(this, axis); }

  matmul(o: Tensor): Tensor { return matmul(this, o); }
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

/**
 * `v` as a live tensor: a DTypeError naming the op, the argument and what it got when `v` is not
 * a Tensor, a DisposedError when it was disposed. Ops call it on every tensor argument.
 */
export function tensorArg(op: string, arg: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) throw new DTypeError(`${op}: ${arg} must be a Tensor, got ${describeValue(v)}`);
  return v.check();
}

/** `v` as a live tensor or a plain number (ops that take scalars); else as tensorArg. */
export function tensorOrNumber(op: string, arg: string, v: unknown): TensorLike {
  if (typeof v === 'number') return v;
  if (!(v instanceof Tensor)) throw new DTypeError(`${op}: ${arg} must be a Tensor or a number, got ${describeValue(v)}`);
  return v.check();
}
