// Reverse-mode autograd: a define-by-run tape of Nodes (docs/ARCHITECTURE.md#autograd).
//
// Contract: an op that has an input requiring grad records a Node holding (a) edges to its
// inputs' Nodes, or to the leaf tensors themselves, (b) the tensors its backward needs, saved as
// storage references that survive dispose() and scope exit, and (c) a backward function that
// ACCUMULATES each input's gradient into a buffer the engine hands it. backward() sorts the
// graph iteratively (deep graphs cannot overflow the stack), gives every Node a zeroed gradient
// buffer on first use, accumulates leaf gradients into `leaf.grad` across calls (as PyTorch),
// and frees the graph afterwards unless retainGraph is set. A Node lives while its output
// tensor or a downstream Node refers to it.
// Write instead of accumulate: an op recorded with `overwrites` promises that its backward,
// handed a buffer marked fresh (fresh[i]), writes every element of it instead of adding. The
// engine then skips the zero-fill where that op is the first to reach an upstream Node (and the
// Node is not its input twice); every later contribution accumulates as usual.
import type { Tensor } from './tensor.js';
import { ShapeError, fmtShape, DTypeError, describeValue } from './errors.js';
import { keep } from './scope.js';
import { setHasGrad } from './has-grad.js';

/** Where an input's gradient goes: its producing Node, a leaf tensor, or nowhere. */
export type Edge = Node | Tensor | null;

/**
 * Accumulates the gradients of the inputs: gradIn[i] is null where input i needs none; `saved`
 * are the tensors record() was given to save, in order. fresh[i] (only for ops recorded with
 * `overwrites`): gradIn[i] is uninitialised and must be overwritten, not added to.
 */
export type BackwardFn = (gradOut: Tensor, gradIn: (Tensor | null)[], saved: Tensor[], fresh: boolean[]) => void;

let enabled = true;

/** Whether operations currently record the graph. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs fn without recording gradients (evaluation, optimizer updates).
 * @example const pred = sg.noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new DTypeError(`noGrad: expected a function, got ${describeValue(fn)}`);
  const prev = enabled;
  enabled = false;
  try {
    const r = fn();
    if (r instanceof Promise) {
      return r.finally(() => { enabled = prev; }) as T;
    }
    enabled = prev;
    return r;
  } catch (e) {
    enabled = prev;
    throw e;
  }
}

export class Node {
  /** Output tensor + downstream nodes holding this one. */
  refs = 1;
  /** Gradient of the output, allocated on first accumulation during backward. */
  grad: Tensor | null = null;
  /** The last topoOrder() pass that reached this node. */
  visited = 0;
  private dead = false;
  private savedFreed = false;

  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    readonly edges: Edge[],
    private readonly saved: Tensor[],
    private readonly backwardFn: BackwardFn,
    /** Its backward writes fresh gradient buffers (see BackwardFn). */
    readonly overwrites = false,
  ) {
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i];
      if (e instanceof Node) e.refs++;
    }
  }

  /** Drops one reference; at zero frees saved tensors and lets go of upstream nodes (iteratively:
   * a long chain must not overflow the stack). */
  release(): void {
    let work: Node[] | undefined; // made only when a node dies and has upstream nodes
    for (let n: Node | undefined = this; n; n = work?.pop()) {
      if (--n.refs > 0 || n.dead) continue;
      n.dead = true;
      n.freeSaved();
      for (let i = 0; i < n.edges.length; i++) {
        const e = n.edges[i];
        if (e instanceof Node) (work ??= []).push(e);
      }
    }
  }

  /** Frees what backward needed (after a backward without retainGraph). */
  freeSaved(): void {
    if (this.savedFreed) return;
    this.savedFreed = true;
    for (let i = 0; i < this.saved.length; i++) this.saved[i]!.dispose();
  }

  runBackward(g: Tensor, targets: (Tensor | null)[], fresh: boolean[]): void {
    this.backwardFn(g, targets, this.saved, fresh);
  }

  /** True when backward needs saved tensors that were already freed. */
  get isFreed(): boolean { return this.savedFreed && this.saved.length > 0; }
}

/** Keeps t's storage alive for backward: an untracked view that the Node disposes. */
export function save(t: Tensor): Tensor {
  return keep(t.view(t.shape, t.strides));
}

/** True when recording is on and some input requires grad. */
export function needsGrad(...inputs: (Tensor | undefined | null)[]): boolean {
  if (!enabled) return false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]?.requiresGrad) return true;
  return false;
}

/** The edge for input t: its Node, itself if a leaf that requires grad, else null. */
export function edgeOf(t: Tensor): Edge {
  if (!t.requiresGrad) return null;
  return t.gradFn ?? t;
}

/**
 * Attaches a Node to `out` (which then requires grad). Call only when needsGrad(...inputs).
 * `saved` tensors are referenced, not copied. overwrites: the backward honours `fresh`.
 */
export function record(
  name: string, out: Tensor, inputs: Tensor[], saved: Tensor[], backward: BackwardFn, overwrites = false,
): Tensor {
  out.gradFn = new Node(name, out.shape, inputs.map(edgeOf), saved.map(save), backward, overwrites);
  out.requiresGrad = true;
  return out;
}

let passes = 0;

/** Nodes reachable from root in an order where each node precedes the nodes it feeds. */
function topoOrder(root: Node): Node[] {
  const pass = ++passes; // a node is visited in this pass when node.visited === pass
  const order: Node[] = [];
  const stack: Node[] = [root], nextEdge: number[] = [0]; // depth-first path, next edge to follow
  root.visited = pass;
  while (stack.length) {
    const top = stack.length - 1, node = stack[top]!, i = nextEdge[top]!;
    if (i < node.edges.length) {
      nextEdge[top] = i + 1;
      const e = node.edges[i];
      if (e instanceof Node && e.visited !== pass) {
        e.visited = pass;
        stack.push(e);
        nextEdge.push(0);
      }
      continue;
    }
    order.push(node);
    stack.pop();
    nextEdge.pop();
  }
  return order.reverse();
}

/** Where a leaf's gradient accumulates: its .grad, made zero-filled on first use (none once
 * disposed). The leaf now has a gradient (hasGrad), as in PyTorch. */
function leafTarget(leaf: Tensor, zerosLike: (t: readonly number[], like: Tensor) => Tensor): Tensor | null {
  if (leaf.disposed) return null;
  if (!leaf.grad) leaf.grad = keep(zerosLike(leaf.shape, leaf));
  setHasGrad(leaf, true);
  return leaf.grad;
}

export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again. */
  retainGraph?: boolean;
}

/** Backpropagates `gradient` (default 1 for a one-element root) from root into leaf .grad.
 * zerosLike / emptyLike make a zero-filled / uninitialised contiguous buffer. */
export function runBackward(
  root: Tensor, gradient: Tensor | undefined, zerosLike: (t: readonly number[], like: Tensor) => Tensor,
  emptyLike: (t: readonly number[], like: Tensor) => Tensor,
  addInto: (target: Tensor, g: Tensor) => void, ones: (like: Tensor) => Tensor,
  options?: BackwardOptions,
): void {
  const retainGraph = options?.retainGraph ?? false;
  root.check();
  if (!root.requiresGrad) {
    throw new ShapeError(`backward() on a tensor of shape ${fmtShape(root.shape)} that does not require grad`);
  }
  if (gradient === undefined && root.size !== 1) {
    throw new ShapeError(`backward() without a gradient needs a one-element tensor, got shape ${fmtShape(root.shape)}`);
  }
  if (gradient && gradient.shape.join() !== root.shape.join()) {
    throw new ShapeError(`backward(): gradient shape ${fmtShape(gradient.shape)} ≠ tensor shape ${fmtShape(root.shape)}`);
  }
  const seed = gradient ? gradient.check() : ones(root);
  try {
    if (!root.gradFn) { // a leaf: its gradient is the seed
      const g = leafTarget(root, zerosLike);
      if (g) addInto(g, seed);
      return;
    }
    const rootNode = root.gradFn;
    if (rootNode.isFreed) {
      throw new ShapeError('backward() through a graph that was already freed: pass { retainGraph: true } the first time');
    }
    rootNode.grad = keep(zerosLike(root.shape, root));
    addInto(rootNode.grad, seed);
    const order = topoOrder(rootNode);
    try {
      for (let k = 0; k < order.length; k++) {
        const node = order[k]!, g = node.grad;
        if (!g) continue;
        if (node.isFreed) throw new ShapeError(`backward() through ${node.name}, whose graph was already freed`);
        const targets = new Array<Tensor | null>(node.edges.length), fresh = new Array<boolean>(node.edges.length).fill(false);
        for (let i = 0; i < targets.length; i++) {
          const e = node.edges[i]!;
          if (e instanceof Node && !e.grad) {
            fresh[i] = node.overwrites && node.edges.indexOf(e, i + 1) < 0;
            e.grad = keep(fresh[i] ? emptyLike(e.shape, g) : zerosLike(e.shape, g));
          }
          targets[i] = e === null ? null : e instanceof Node ? e.grad : leafTarget(e, zerosLike);
        }
        node.runBackward(g, targets, fresh);
        node.grad = null;
        g.dispose();
        if (!retainGraph) node.freeSaved();
      }
    } finally { // after an error, drop the gradients still in flight
      for (let k = 0; k < order.length; k++) { order[k]!.grad?.dispose(); order[k]!.grad = null; }
    }
  } finally {
    if (seed !== gradient) seed.dispose();
  }
}
