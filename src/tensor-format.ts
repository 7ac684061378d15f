// formatTensor: a tensor's values printed as PyTorch prints them (torch/_tensor_str.py with its
// default print options): 4 decimals, integer mode ("1.,  2.") when every value is whole,
// scientific notation when the magnitudes span more than 10³ or leave [1e-4, 1e8], one column
// width for all values, 80-character lines, and tensors of more than 1000 values summarised to
// their first and last 3 rows/values per dimension with "...". Values are read in place through
// the view's strides (only the printed ones; nothing is copied or allocated in the heap).
// Departures from PyTorch (kept short and documented): a `shape=[…]` suffix on every tensor of
// rank ≥ 1 (PyTorch prints `size=(…)` only for empty ones), and the autograd suffixes spelled
// with this library's names: `requiresGrad=true`, `gradFn=<op>`.
import type { Tensor } from './tensor.js';
import { fixed, scientific } from './float-format.js';
import { fmtShape } from './errors.js';

const PRECISION = 4, THRESHOLD = 1000, EDGE = 3, LINE = 80;

/** What the formatter needs of a tensor: shape, and a reader of the element at a multi-index. */
export interface Printable {
  readonly shape: readonly number[];
  at(index: readonly number[]): number;
}

/** The indices of dimension `d` that are printed (null stands for the "..." row). */
function shown(size: number, summarize: boolean): Array<number | null> {
  if (summarize && size > 2 * EDGE) {
    return [...Array.from({ length: EDGE }, (_, i) => i), null, ...Array.from({ length: EDGE }, (_, i) => size - EDGE + i)];
  }
  return Array.from({ length: size }, (_, i) => i);
}

/** PyTorch's _Formatter: chooses the mode and the column width from the printed values. */
function formatter(values: number[]): { width: number; format(v: number): string } {
  const nz = values.filter((v) => Number.isFinite(v) && v !== 0);
  let intMode = true, sci = false, width = 1;
  if (nz.length) {
    const abs = nz.map(Math.abs), max = Math.max(...abs), min = Math.min(...abs);
    intMode = nz.every(Number.isInteger);
    sci = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
    for (const v of nz) {
      width = Math.max(width, sci ? scientific(v, PRECISION).length : intMode ? fixed(v, 0).length + 1 : fixed(v, PRECISION).length);
    }
  }
  return {
    width,
    format(v) {
      let s = sci ? scientific(v, PRECISION) : intMode ? fixed(v, 0) : fixed(v, PRECISION);
      if (!sci && intMode && Number.isFinite(v)) s += '.';
      return s.padStart(width);
    },
  };
}

/** The values the formatter sees: the printed ones (PyTorch's get_summarized_data). */
function collect(t: Printable, summarize: boolean): number[] {
  const out: number[] = [], idx: number[] = [];
  const walk = (d: number): void => {
    if (d === t.shape.length) { out.push(t.at(idx)); return; }
    for (const i of shown(t.shape[d]!, summarize)) {
      if (i === null) continue;
      idx[d] = i;
      walk(d + 1);
    }
    idx.length = d;
  };
  walk(0);
  return out;
}

/** The bracketed values (PyTorch's _tensor_str) for a tensor printed after `indent` characters. */
export function tensorBody(t: Printable, indent: number): string {
  const rank = t.shape.length;
  if (t.shape.some((d) => d === 0)) return '[]';
  const summarize = t.shape.reduce((a, b) => a * b, 1) > THRESHOLD;
  const f = formatter(collect(t, summarize));
  const idx: number[] = [];
  const str = (d: number, ind: number): string => {
    if (d === rank) return f.format(t.at(idx));
    const parts = shown(t.shape[d]!, summarize).map((i) => {
      if (i === null) return d === rank - 1 ? ' ...' : '...';
      idx[d] = i;
      return str(d + 1, ind + 1);
    });
    if (d < rank - 1) return `[${parts.join(`,${'\n'.repeat(rank - d - 1)}${' '.repeat(ind + 1)}`)}]`;
    const perLine = Math.max(1, Math.floor((LINE - ind) / (f.width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < parts.length; i += perLine) lines.push(parts.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
  };
  return str(0, indent);
}

/**
 * `prefix(values, suffix, …)` with PyTorch's rule for suffixes: each goes on the same line unless
 * that line would pass 80 characters, then on a new line indented to the values.
 */
export function withSuffixes(prefix: string, body: string, suffixes: string[]): string {
  let s = prefix + body;
  let last = s.length - s.lastIndexOf('\n') + 1; // PyTorch's count (2 more than the line when it has no newline)
  for (const x of suffixes) {
    if (last + x.length + 2 > LINE) { s += `,\n${' '.repeat(prefix.length)}${x}`; last = prefix.length + x.length; }
    else { s += `, ${x}`; last += x.length + 2; }
  }
  return `${s})`;
}

/**
 * A tensor as PyTorch prints it, with its shape (and autograd state) as suffixes.
 * @example formatTensor(sg.tensor([[0.1, 0.2, 0.3]])) // 'tensor([[0.1000, 0.2000, 0.3000]], shape=[1, 3])'
 */
export function formatTensor(t: Tensor): string {
  const suffixes = t.rank ? [`shape=${fmtShape(t.shape)}`] : [];
  if (t.gradFn) suffixes.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');
  if (t.disposed) return withSuffixes('tensor(', '<disposed>', suffixes);
  const f32 = t.backend.heap.f32, base = t.storage.ptr / 4 + t.offset, strides = t.strides;
  const at = (idx: readonly number[]): number => {
    let k = base;
    for (let i = 0; i < idx.length; i++) k += idx[i]! * strides[i]!;
    return f32[k]!;
  };
  return withSuffixes('tensor(', tensorBody({ shape: t.shape, at }, 7), suffixes);
}
