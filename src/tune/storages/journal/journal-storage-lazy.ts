// sg.tune.JournalFileStorage as the core bundle exports it: the journal implementation
// (journal-storage.ts + journal-format.ts, Node's file system) loads on first use (lazy-storage.ts),
// so the core carries none of it. Same constructor and contract as journal-storage.ts's
// JournalFileStorage, heartbeats included.
import type { FileLockOptions } from './file-lock.js';
import type { FrozenTrial } from '../../frozen-trial.js';
import type { JournalFileStorage as Journal } from './journal-storage.js';
import { heartbeatSettings, type HeartbeatOptions } from '../heartbeat-options.js';
import { LazyStorage } from '../lazy-storage.js';
import { FileSystemArtifactStore } from '../../artifacts/file-system-artifact-store.js';

/**
 * A file-backed storage that several processes can share (Optuna's journal format; Node).
 * @example
 * const storage = new sg.tune.JournalFileStorage('./tuning.jsonl');
 * const study = await sg.tune.createStudy({ storage, studyName: 'mlp', loadIfExists: true });
 */
export class JournalFileStorage extends LazyStorage<Journal> {
  readonly heartbeatIntervalMs: number | undefined;

  /** heartbeatInterval / gracePeriod (seconds) / maxRetry: RUNNING trials carry heartbeats, and a trial
   *  silent for the grace period (its process died) is failed by the next ask and re-enqueued. */
  constructor(readonly path: string, private readonly opts: { lock?: FileLockOptions } & HeartbeatOptions = {}) {
    super();
    this.heartbeatIntervalMs = heartbeatSettings(opts).heartbeatIntervalMs;
  }

  protected load(): Promise<Journal> {
    return import('./journal-storage.js').then((m) => new m.JournalFileStorage(this.path, this.opts));
  }

  /** The artifacts of this journal's trials: files in the directory `<path>.artifacts` beside it. */
  artifactStore(): FileSystemArtifactStore { return new FileSystemArtifactStore(`${this.path}.artifacts`); }

  async recordHeartbeat(trialId: number): Promise<void> { return (await this.storage()).recordHeartbeat(trialId); }
  async failStaleTrials(studyId: number): Promise<FrozenTrial[]> { return (await this.storage()).failStaleTrials(studyId); }
}
