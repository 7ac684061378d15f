// Tensor lifetimes: scope(fn) frees every tensor created inside fn except those it returns
// (which move to the enclosing scope) or keep()s. Works for sync and async fn. Where the runtime
// has AsyncLocalStorage (Node, Deno, Bun, workerd with nodejs_compat) concurrent async scopes
// are told apart correctly; elsewhere scopes form a stack, and concurrent async scopes that
// interleave may attribute tensors to the innermost open one.
import { DTypeError, describeValue } from './errors.js';

/** What a scope tracks: anything disposable that registers itself on creation. */
export interface Tracked {
  dispose(): void;
  readonly disposed: boolean;
  /** The frame that owns it (undefined: no scope, or kept). */
  frame: Frame | undefined;
}

export interface Frame {
  readonly owned: Set<Tracked>;
}

interface Store<T> { getStore(): T | undefined; run<R>(store: T, fn: () => R): R }
let als: Store<Frame> | undefined;
const stack: Frame[] = [];

/** Loads AsyncLocalStorage where the runtime has it (called by init()). */
export async function initScopes(): Promise<void> {
  if (als) return;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return;
  try {
    const mod = await import('node:async_hooks');
    als = new mod.AsyncLocalStorage<Frame>();
  } catch { /* no async_hooks: the stack fallback */ }
}

function currentFrame(): Frame | undefined {
  return als?.getStore() ?? stack[stack.length - 1];
}

/** Registers a new tensor with the innermost scope (if any). */
export function track(t: Tracked): void {
  const f = currentFrame();
  if (f) {
    f.owned.add(t);
    t.frame = f;
  }
}

/** Removes `t` from its scope so that it outlives it; returns t. */
export function keep<T extends Tracked>(t: T): T {
  if (!isTracked(t)) throw new DTypeError(`keep: expected a tensor, got ${describeValue(t)}`);
  t.frame?.owned.delete(t);
  t.frame = undefined;
  return t;
}

function isTracked(v: unknown): v is Tracked {
  return typeof v === 'object' && v !== null && 'frame' in v && 'dispose' in v;
}

/** Every tracked value reachable through arrays and plain objects in `v`. */
function collect(v: unknown, into: Set<Tracked>, depth = 0): void {
  if (depth > 8 || typeof v !== 'object' || v === null) return;
  if (isTracked(v)) { into.add(v); return; }
  if (Array.isArray(v)) { for (const x of v) collect(x, into, depth + 1); return; }
  if (v instanceof Map) { for (const x of v.values()) collect(x, into, depth + 1); return; }
  if (Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v)) collect(x, into, depth + 1);
  }
}

function close(frame: Frame, parent: Frame | undefined, result: unknown): void {
  let survivors: Set<Tracked> | undefined; // only an object result can hold tensors
  if (typeof result === 'object' && result !== null) collect(result, (survivors = new Set()));
  for (const t of frame.owned) {
    if (survivors?.has(t)) {
      t.frame = parent;
      parent?.owned.add(t);
    } else if (!t.disposed) {
      t.frame = undefined;
      t.dispose();
    }
  }
  frame.owned.clear();
}

/**
 * Runs fn and frees every tensor it created except those it returns or keep()s.
 * @example
 * const y = sg.scope(() => x.mul(2).add(1));   // the temporary x·2 is freed, y survives
 * const z = await sg.scope(async () => { await tick(); return x.exp(); });
 */
export function scope<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new DTypeError(`scope: expected a function, got ${describeValue(fn)}`);
  const parent = currentFrame();
  const frame: Frame = { owned: new Set() };
  let result: T;
  if (als) {
    try {
      result = als.run(frame, fn);
    } catch (e) {
      close(frame, parent, undefined);
      throw e;
    }
  } else {
    stack.push(frame);
    const pop = (): void => { const i = stack.lastIndexOf(frame); if (i >= 0) stack.splice(i, 1); };
    try {
      result = fn();
    } catch (e) {
      pop();
      close(frame, parent, undefined);
      throw e;
    }
    if (!(result instanceof Promise)) pop();
    else result.then(pop, pop);
  }
  if (result instanceof Promise) {
    return result.then((r) => { close(frame, parent, r); return r; },
      (e) => { close(frame, parent, undefined); throw e; }) as T;
  }
  close(frame, parent, result);
  return result;
}
