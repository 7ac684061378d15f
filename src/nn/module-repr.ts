// A module's printed form, as PyTorch's Module.__repr__: `Name(extra)` for a leaf, else
// `Name(` + the extra lines + one `(name): child` line per child, indented by two, + `)`. An array
// of modules held by a property prints as PyTorch's ModuleList. Layers describe their constructor
// arguments as data (ModuleConfig); extraRepr prints them as PyTorch's extra_repr does: positional
// arguments bare or named (each layer's choice, as in PyTorch), options as snake_case keys.
// Values keep JS spellings where Python's differ: true/false/null, arrays as [64] (PyTorch's
// tuples), integers without '.0'; floats as Python's repr ('1e-05'), strings in single quotes.
import type { Module } from './module.js';
import { pyFloat } from '../float-format.js';

/** A value of a layer's configuration: plain data, or a module (containers hold their children). */
export type ConfigValue = number | string | boolean | null | readonly ConfigValue[] | Module;

/** A layer's constructor arguments: positional ones by name, in order, and the options object. */
export interface ModuleConfig {
  args?: Record<string, ConfigValue>;
  options?: Record<string, ConfigValue>;
}

/** One config value as extra_repr prints it. */
export function reprValue(v: ConfigValue): string {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e16 ? String(v) : pyFloat(v);
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(reprValue).join(', ')}]`;
  return String(v);
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** extra_repr from a config: `64, 32, padding_idx=0`, or with keywords `in_features=64, …`. */
export function reprConfig(config: ModuleConfig | null, keywords: boolean): string {
  if (!config) return '';
  const args = Object.entries(config.args ?? {}).map(([k, v]) => (keywords ? `${snake(k)}=${reprValue(v)}` : reprValue(v)));
  const opts = Object.entries(config.options ?? {}).map(([k, v]) => `${snake(k)}=${reprValue(v)}`);
  return [...args, ...opts].join(', ');
}

/** PyTorch's _addindent: every line but the first indented by two. */
const indent = (s: string): string => s.split('\n').join('\n  ');

function block(name: string, extra: string, children: Array<[string, string]>): string {
  const lines = [...(extra ? extra.split('\n') : []), ...children.map(([k, r]) => `(${k}): ${indent(r)}`)];
  if (!lines.length) return `${name}()`;
  if (!children.length && lines.length === 1) return `${name}(${lines[0]})`;
  return `${name}(\n  ${lines.join('\n  ')}\n)`;
}

/**
 * The module tree as PyTorch prints it.
 * @example moduleRepr(new sg.nn.Sequential(new sg.nn.Linear(2, 3), new sg.nn.ReLU()))
 * // 'Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=true)\n  (1): ReLU()\n)'
 */
export function moduleRepr(m: Module): string {
  const children: Array<[string, string]> = [];
  const lists = new Map<string, Array<[string, string]>>();
  for (const [k, c] of m.namedChildren()) {
    const dot = k.indexOf('.');
    if (dot < 0) { children.push([k, moduleRepr(c)]); continue; }
    const list = k.slice(0, dot);
    if (!lists.has(list)) { lists.set(list, []); children.push([list, '']); }
    lists.get(list)!.push([k.slice(dot + 1), moduleRepr(c)]);
  }
  for (const entry of children) if (lists.has(entry[0])) entry[1] = block('ModuleList', '', lists.get(entry[0])!);
  return block(m.constructor.name, m.extraRepr(), children);
}
