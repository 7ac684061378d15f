// FrozenTrial: the record of one trial as storages keep it and samplers/pruners read it
// (Optuna's FrozenTrial), plus the trial states.
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

/** A new trial record (storage fills number and id). */
export function blankTrial(number: number, trialId: number, state: TrialState, now: number): FrozenTrial {
  return {
    number, trialId, state, params: {}, distributions: {}, value: null, values: null,
    intermediateValues: {}, userAttrs: {}, systemAttrs: {},
    datetimeStart: state === 'RUNNING' ? now : null, datetimeComplete: null, durationMs: null,
  };
}
