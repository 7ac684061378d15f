// The scaffolding every op probe shares: a probe from descriptors (run in its own scope, the
// result snapshotted before the scope frees it), the expected outcome from an oracle, and the
// runner that draws probes from fast-check arbitraries and tallies them.
import fc from 'fast-check';
import * as sg from '../../src/index.js';
import { runProbe, type Probe, type Tally } from './outcome.js';
import { make, sameValues, show, type Desc, type Expected, type Made } from './values.js';

/** A result taken out of its scope: the values of a tensor, or anything else as it is. */
export interface Snapshot { shape?: number[]; data?: ArrayLike<number>; value?: unknown }

function snapshot(r: unknown): Snapshot {
  if (r instanceof sg.Tensor) return { shape: [...r.shape], data: r.toArray() };
  return { value: r };
}

/** The data of a descriptor as an oracle input (numbers become f32 scalars). */
export function view(d: Desc): Expected {
  if (d.kind === 'number') return { shape: [], data: Float64Array.of(Math.fround(d.value)) };
  if (d.kind === 'tensor') return { shape: d.shape, data: Float64Array.from(d.data, Math.fround) };
  throw new Error(`view of ${d.kind}`);
}

/** What an oracle expects of valid-kind arguments: a tensor, a refusal (null), or a custom check. */
export type Oracle = Expected | null | ((value: unknown) => true | string);

export interface ProbeSpec {
  label: string;
  args: readonly Desc[];
  /** Whether every argument is of a kind the op accepts (the oracle decides shapes and values). */
  valid: boolean;
  call(...made: Made[]): unknown;
  /** The expected outcome for valid-kind arguments. */
  oracle(): Oracle;
  rtol?: number;
  atol?: number;
}

/** A probe from a spec: runs in a scope; expects a typed error or the oracle's result. */
export function probe(spec: ProbeSpec): Probe<Snapshot> {
  const label = `${spec.label}(${spec.args.map(show).join(', ')})`;
  const expected = spec.valid ? spec.oracle() : null;
  return {
    label,
    run: () => sg.scope(() => snapshot(spec.call(...spec.args.map(make)))),
    expect: expected === null ? 'error' : (r) => {
      if (typeof expected === 'function') return expected(r.value ?? r);
      if (!r.data || !r.shape) return `not a tensor: ${String(r.value)}`;
      if (JSON.stringify(r.shape) !== JSON.stringify(expected.shape)) {
        return `shape ${JSON.stringify(r.shape)}, expected ${JSON.stringify(expected.shape)}`;
      }
      return sameValues(r.data, expected.data, spec.rtol, spec.atol);
    },
  };
}

/** Draws `numRuns` probes from each arbitrary (reproducible from `seed`) and tallies them. */
export function runProbes(tally: Tally, arbs: Record<string, fc.Arbitrary<Probe<Snapshot>>>, numRuns: number, seed: number): Tally {
  for (const arb of Object.values(arbs)) {
    for (const p of fc.sample(arb, { numRuns, seed })) runProbe(tally, p);
  }
  return tally;
}
