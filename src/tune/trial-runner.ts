// TrialRunner: what runs one trial's objective for the trial loop (optimize-loop.ts) — here, in this
// thread (InProcessRunner), or in a worker thread or Web Worker (workers/pool.ts). Contract: run()
// never rejects; what the objective returned or threw comes back as an Outcome, and the study turns
// it into the trial's state. In-process, `trialTimeout` fails a trial whose objective has not
// settled in time and abandons its promise (the objective may go on in the background, its late
// writes refused: a finished trial cannot change). A synchronous objective that never returns
// blocks this thread and cannot be timed out here: run it in workers, where the thread is
// terminated.
import type { Trial } from './trial.js';

export type ObjectiveValue = number | number[];
export type Objective = (trial: Trial) => ObjectiveValue | Promise<ObjectiveValue>;

/** How a trial's objective ended: its value, or what it threw (TrialPruned, an error, a timeout). */
export type Outcome = { value: ObjectiveValue } | { error: unknown };

export interface TrialRunner {
  /** Runs the objective on the trial; never rejects. */
  run(trial: Trial): Promise<Outcome>;
}

/** An Error whose name says why a trial failed outside its objective (TrialTimeout, WorkerCrash…). */
export function trialFailure(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Runs a function objective in this thread. */
export class InProcessRunner implements TrialRunner {
  /** `trialTimeout`: seconds before the trial fails (undefined: no limit). */
  constructor(private readonly objective: Objective, private readonly trialTimeout?: number) {}

  async run(trial: Trial): Promise<Outcome> {
    try {
      if (this.trialTimeout === undefined) return { value: await this.objective(trial) };
      return { value: await this.timed(trial, this.trialTimeout) };
    } catch (error) {
      return { error };
    }
  }

  private async timed(trial: Trial, seconds: number): Promise<ObjectiveValue> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(trialFailure('TrialTimeout', `trial ${trial.number} exceeded trialTimeout ${seconds} s; ` +
        'its objective was abandoned (it may still be running: give it a way to stop, or run trials in workers)')), seconds * 1000);
    });
    try {
      // Promise.race subscribes to both: a late rejection of the abandoned objective is handled.
      return await Promise.race([Promise.resolve().then(() => this.objective(trial)), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
