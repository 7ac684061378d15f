// summary(): a model's layers as a table, like torchinfo's summary / Keras's model.summary() —
// each module's dotted name and type, the shape of its output for a given input, the parameters
// it holds itself (so the column adds up to the total), how many of them are trainable, and the
// totals with their bytes. Contract: the forward pass (when an input is given) runs in eval mode
// (no running statistics change, no dropout) without a graph, inside a scope: nothing it makes
// outlives it, every hook it adds is removed, and each module's training flag is put back. A
// module the forward pass never calls has outputShape null.
import { Tensor } from '../tensor.js';
import type { Module, HookHandle } from './module.js';
import { Parameter } from './parameter.js';
import { zeros } from '../ops/create.js';
import { noGrad } from '../autograd.js';
import { scope } from '../scope.js';
import { fmtShape } from '../errors.js';

export interface SummaryRow {
  /** Dotted path, the prefix of its state-dict keys ('' for the model itself). */
  name: string;
  type: string;
  /** Number of enclosing modules: 0 for the model, 1 for its children, … */
  depth: number;
  /** Shape of the output (one per tensor when forward returns several); null when not run. */
  outputShape: number[] | number[][] | null;
  /** Parameters this module holds itself (not its children's). */
  params: number;
  /** How many of `params` require grad. */
  trainable: number;
}

const group = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** 1536 → '1.5 KiB'. */
export function fmtBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
  return i ? `${b.toFixed(1)} ${units[i]}` : `${b} B`;
}

const inspect = Symbol.for('nodejs.util.inspect.custom');

/** The summary as data (rows and totals); String(summary) is the table. */
export class ModelSummary {
  /** Parameters in the model (each counted once). */
  readonly totalParams: number;
  readonly trainableParams: number;
  /** Parameters with requiresGrad false. */
  readonly frozenParams: number;
  /** Bytes of the parameters (float32). */
  readonly paramBytes: number;
  /** Values held in buffers (BatchNorm's running statistics, …) and their bytes. */
  readonly bufferValues: number;
  readonly bufferBytes: number;

  constructor(readonly rows: SummaryRow[], readonly inputShape: number[] | null, buffers: number) {
    this.totalParams = rows.reduce((s, r) => s + r.params, 0);
    this.trainableParams = rows.reduce((s, r) => s + r.trainable, 0);
    this.frozenParams = this.totalParams - this.trainableParams;
    this.paramBytes = 4 * this.totalParams;
    this.bufferValues = buffers;
    this.bufferBytes = 4 * buffers;
  }

  /** The table, torchinfo-style. */
  toString(): string {
    const shape = (s: SummaryRow['outputShape']) => (!s ? '--' : typeof s[0] === 'number' ? fmtShape(s as number[]) : (s as number[][]).map(fmtShape).join(', '));
    const table = [['Layer (type)', 'Output shape', 'Param #', 'Trainable'], ...this.rows.map((r) => [
      `${'  '.repeat(r.depth)}${r.name ? `${r.name} (${r.type})` : r.type}`, shape(r.outputShape), r.params ? group(r.params) : '--',
      !r.params ? '' : r.trainable === r.params ? 'yes' : r.trainable ? 'partial' : 'no',
    ])];
    const w = [0, 1, 2, 3].map((c) => Math.max(...table.map((row) => row[c]!.length)));
    const line = (row: string[]) => [row[0]!.padEnd(w[0]!), row[1]!.padEnd(w[1]!), row[2]!.padStart(w[2]!), row[3]!].join('   ').trimEnd();
    const rule = '='.repeat(w.reduce((a, b) => a + b, 9));
    return [rule, line(table[0]!), rule, ...table.slice(1).map(line), rule,
      `Total params: ${group(this.totalParams)} (${fmtBytes(this.paramBytes)})`,
      `Trainable params: ${group(this.trainableParams)}`,
      `Frozen params: ${group(this.frozenParams)}`,
      `Buffers: ${group(this.bufferValues)} values (${fmtBytes(this.bufferBytes)})`,
      ...(this.inputShape ? [`Input shape: ${fmtShape(this.inputShape)}`] : []), rule].join('\n');
  }

  [inspect](): string { return this.toString(); }
}

function shapesOf(out: unknown): SummaryRow['outputShape'] {
  if (out instanceof Tensor) return [...out.shape];
  const all: number[][] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Tensor) all.push([...v.shape]);
    else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(out);
  return all.length ? all : null;
}

/**
 * Summarises `model`: with `input` (a tensor, or a shape filled with zeros — valid indices for
 * an Embedding too), each layer's output shape from one forward pass.
 * @example
 * const s = sg.nn.summary(model, { input: [32, 64] });
 * s.totalParams;          // 9610
 * console.log(String(s)); // the table
 */
export function summary(model: Module, { input }: { input?: Tensor | readonly number[] } = {}): ModelSummary {
  const modules = model.namedModules();
  const rows: SummaryRow[] = modules.map(([name, m]) => {
    let params = 0, trainable = 0;
    for (const v of Object.values(m)) {
      if (v instanceof Parameter) { params += v.size; if (v.requiresGrad) trainable += v.size; }
    }
    const depth = modules.filter(([n]) => n !== name && (n === '' || name.startsWith(`${n}.`))).length;
    return { name, type: m.constructor.name, depth, outputShape: null, params, trainable };
  });
  let inputShape: number[] | null = null;
  if (input !== undefined) {
    inputShape = input instanceof Tensor ? [...input.shape] : [...input];
    const modes = modules.map(([, m]) => m.training);
    const handles: HookHandle[] = [];
    try {
      modules.forEach(([, m], i) => {
        m.training = false;
        handles.push(m.registerForwardHook((_m, _a, out) => { rows[i]!.outputShape = shapesOf(out); }));
      });
      noGrad(() => scope(() => { (model.forward as (x: Tensor) => unknown)(input instanceof Tensor ? input : zeros(input)); }));
    } finally {
      for (const h of handles) h.remove();
      modules.forEach(([, m], i) => { m.training = modes[i]!; });
    }
  }
  return new ModelSummary(rows, inputShape, model.namedBuffers().reduce((s, [, b]) => s + b.size, 0));
}
