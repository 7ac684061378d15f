// The trial loop of Study.optimize (Optuna's study/_optimize.py), one for every runner: lanes ask
// the study for a trial, hand it to their runner (trial-runner.ts: in this thread, a worker thread
// or a Web Worker) and tell the study the outcome, until nTrials trials were claimed by this call,
// the timeout passed, stop() was called, the sampler is exhausted, or (catch: false) an objective
// threw. Contract: a trial counts when it is claimed, before any await, so lanes never overshoot
// nTrials; no more lanes start than there are trials to run (min(concurrency, nTrials)); an error
// of the loop itself (a storage write, a callback) stops every lane from claiming more, and
// optimize rejects with it once the running trials have been told.
import { checkInt, checkNumber } from '../check-option.js';
import type { FrozenTrial } from './frozen-trial.js';
import type { Sampler } from './samplers/sampler.js';
import { TrialPruned, type Trial } from './trial.js';
import type { Outcome, TrialRunner } from './trial-runner.js';

/** optimize's options; `S` is the study type the callbacks receive (Study). */
export interface OptimizeOptionsFor<S> {
  /** Stop after this many trials (counted by this call): an integer ≥ 1. */
  nTrials?: number;
  /** Stop starting trials after this many seconds (running ones finish). */
  timeout?: number;
  /** Trials at once (in-process: useful for async objectives; capped at nTrials). */
  concurrency?: number;
  /** Seconds a trial may run; then it fails with a TrialTimeout reason. In-process its objective's
   * promise is abandoned; in workers the worker is terminated. */
  trialTimeout?: number;
  /** true (default): an exception fails its trial and the study goes on; false: it is rethrown. */
  catch?: boolean;
  /** Called after every finished trial. */
  callbacks?: Array<(study: S, trial: FrozenTrial) => void>;
}

/** The options, checked (typed errors name the option and value at fault). */
export interface LoopOptions { nTrials: number; timeout?: number; concurrency: number; trialTimeout?: number; catch: boolean }

const OWNER = 'optimize';

/** Checks optimize's options; nTrials or timeout must be given. */
export function checkOptimizeOptions<S>(opts: OptimizeOptionsFor<S>): LoopOptions {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${OWNER}: options must be an object, got ${String(opts)}`);
  const nTrials = opts.nTrials === undefined || opts.nTrials === Infinity ? Infinity : checkInt(OWNER, 'nTrials', opts.nTrials, 1);
  const timeout = opts.timeout === undefined ? undefined : checkNumber(OWNER, 'timeout (seconds)', opts.timeout, { gt: 0 });
  if (nTrials === Infinity && timeout === undefined) throw new RangeError(`${OWNER} needs nTrials or timeout`);
  const trialTimeout = opts.trialTimeout === undefined ? undefined : checkNumber(OWNER, 'trialTimeout (seconds)', opts.trialTimeout, { gt: 0 });
  if (opts.catch !== undefined && typeof opts.catch !== 'boolean') throw new TypeError(`${OWNER}: catch must be a boolean, got ${String(opts.catch)}`);
  const cbs = opts.callbacks;
  if (cbs !== undefined && !(Array.isArray(cbs) && cbs.every((f) => typeof f === 'function'))) {
    throw new TypeError(`${OWNER}: callbacks must be an array of functions (study, trial) => void`);
  }
  return {
    nTrials, concurrency: checkInt(OWNER, 'concurrency', opts.concurrency ?? 1, 1), catch: opts.catch ?? true,
    ...(timeout !== undefined ? { timeout } : {}), ...(trialTimeout !== undefined ? { trialTimeout } : {}),
  };
}

/** What the loop needs of a study (Study implements it). */
export interface TrialSource {
  readonly sampler: Pick<Sampler, 'isExhausted'>;
  /** Whether the sampler has nothing left to sample (given trials being started here). */
  exhausted(pendingStarts: number): Promise<boolean>;
  /** A started trial; null when the sampler's shared claims are all taken. */
  next(): Promise<Trial | null>;
  tell(trial: Trial, outcome: Outcome): Promise<FrozenTrial>;
}

/**
 * Runs trials of `study` on the lanes' runners until an end condition (see the header).
 * `runnerFor(lane)` is called once per lane that starts; `stopped()` is read before every claim;
 * `onTrial` gets each finished trial.
 */
export async function runTrials(study: TrialSource, opts: LoopOptions, runnerFor: (lane: number) => TrialRunner,
  stopped: () => boolean, onTrial: (trial: FrozenTrial) => void): Promise<void> {
  const deadline = opts.timeout === undefined ? Infinity : Date.now() + opts.timeout * 1000;
  let claimed = 0;  // trials this call has taken (counted as soon as a lane decides to start one)
  let starting = 0; // trials between their claim and their sampling (the sampler cannot see them yet)
  let failure: { error: unknown } | undefined;
  const more = () => failure === undefined && !stopped() && claimed < opts.nTrials && Date.now() < deadline;
  const lane = async (runner: TrialRunner): Promise<void> => {
    while (more()) {
      // The exhaustion check reads the storage (other workers' trials): re-check after it.
      if (study.sampler.isExhausted && ((await study.exhausted(starting)) || !more())) break;
      claimed++;
      starting++;
      const trial = await study.next().finally(() => starting--);
      if (!trial) { claimed--; break; }
      const outcome = await runner.run(trial);
      if (!opts.catch && 'error' in outcome && !(outcome.error instanceof TrialPruned)) failure ??= outcome;
      onTrial(await study.tell(trial, outcome));
    }
  };
  const lanes = Math.min(opts.concurrency, opts.nTrials);
  await Promise.all(Array.from({ length: lanes }, (_, i) => lane(runnerFor(i)).catch((error: unknown) => { failure ??= { error }; })));
  if (failure !== undefined) throw failure.error;
}
