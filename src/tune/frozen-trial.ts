// FrozenTrial: the record of one trial as storages keep it and samplers/pruners read it
// (Optuna's FrozenTrial), plus the trial states. Its records keyed by user-chosen names (params,
// distributions, intermediate values, user and system attrs) have no prototype, so any name —
// '__proto__', 'constructor', 'toString' — is an ordinary key; cloneTrial keeps them so. freezeTrial
// makes a copy that readers share immutable.
import type { Distribution, ParamValue } from './distributions.js';

export type TrialState = 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING';
export type Direction = 'minimize' | 'maximize';

export interface FrozenTrial {
  /** 0, 1, 2, … within the study, in creation order, without gaps. */
  number: number;
  /** Storage-wide id. */
  trialId: number;
  state: TrialState;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  /** The objective value (first of `values`), null unless COMPLETE. */
  value: number | null;
  values: number[] | null;
  /** Reported intermediate values by step. */
  intermediateValues: Record<number, number>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  /** Epoch milliseconds. */
  datetimeStart: number | null;
  datetimeComplete: number | null;
  durationMs: number | null;
  /** Why a FAIL trial failed. */
  failReason?: string;
}

/** The last reported step of a trial, or undefined. */
export function lastStep(t: FrozenTrial): number | undefined {
  const steps = Object.keys(t.intermediateValues).map(Number);
  return steps.length ? Math.max(...steps) : undefined;
}

/** An empty record keyed by names, without a prototype: `d['__proto__'] = v` stores a key like any other. */
export function dict<V>(from?: Readonly<Record<string, V>>): Record<string, V> {
  return Object.assign(Object.create(null) as Record<string, V>, from);
}

/** A new trial record (storage fills number and id). */
export function blankTrial(number: number, trialId: number, state: TrialState, now: number): FrozenTrial {
  return {
    number, trialId, state, params: dict(), distributions: dict(), value: null, values: null,
    intermediateValues: dict(), userAttrs: dict(), systemAttrs: dict(),
    datetimeStart: state === 'RUNNING' ? now : null, datetimeComplete: null, durationMs: null,
  };
}

const NAMED = ['params', 'distributions', 'intermediateValues', 'userAttrs', 'systemAttrs'] as const;
/** A deep copy (structuredClone) whose name-keyed records have no prototype, as blankTrial's. */
export function cloneTrial(t: FrozenTrial): FrozenTrial {
  const c = structuredClone(t);
  for (const k of NAMED) Object.setPrototypeOf(c[k], null);
  return c;
}

/** Deep-freezes a trial record (a finished trial shared between readers: nobody can change it). */
export function freezeTrial(t: FrozenTrial): FrozenTrial {
  const freeze = (v: unknown): void => {
    if (v && typeof v === 'object' && !Object.isFrozen(v)) { Object.freeze(v); for (const x of Object.values(v)) freeze(x); }
  };
  freeze(t);
  return t;
}
