// StudyView: what samplers and pruners see of a study (Study implements it): its directions, its
// name and a snapshot of its trials. Read-only; refreshed by the study whenever a trial of this
// process starts or ends.
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
