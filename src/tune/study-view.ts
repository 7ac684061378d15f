// StudyView: what samplers and pruners see of a study (Study implements it): its directions, its
// name and a snapshot of its trials. Read-only; refreshed by the study whenever a trial of this
// process starts or ends. studyIdentity tells two studies' snapshots apart.
import type { Direction, FrozenTrial } from './frozen-trial.js';

/** What samplers and pruners see of a study: its directions and a snapshot of its trials. */
export interface StudyView {
  readonly directions: readonly Direction[];
  /** Every trial (finished, running, waiting) as of the study's last refresh: after every trial this
   *  process started or finished, so concurrent trials of one process see each other's results. */
  readonly trials: readonly FrozenTrial[];
  /** The study's name (HyperbandPruner hashes it with the trial number to pick a bracket). */
  readonly studyName?: string;
}

/**
 * Which study a snapshot belongs to — its name and first trial — for samplers that keep state
 * between calls and must start over when handed another study.
 */
export function studyIdentity(study: StudyView): string {
  const t = study.trials[0];
  return t === undefined ? '' : `${study.studyName ?? ''}\u0000${t.trialId}\u0000${t.datetimeStart}`;
}
