// sg.tune.PostgresStorage as the core bundle exports it: the PostgreSQL implementation
// (postgres-storage.ts, its schema, connection and row decoding) loads on first use
// (lazy-storage.ts); the optional `pg` package loads with it. Same constructor and contract as
// postgres-storage.ts's PostgresStorage, including heartbeats and grid claims.
import type { FrozenTrial } from '../../frozen-trial.js';
import type { TrialClaim } from '../storage.js';
import type { PostgresStorage as Impl } from './postgres-storage.js';
import { heartbeatSettings, type PostgresStorageOptions } from '../heartbeat-options.js';
import { LazyStorage } from '../lazy-storage.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';

/**
 * Studies in PostgreSQL, shared by worker processes on any host (needs the optional `pg` package).
 * @example
 * const study = await sg.tune.createStudy({ storage: 'postgresql://me@db/sweeps', studyName: 'mlp', loadIfExists: true });
 * // or: new sg.tune.PostgresStorage(url, { heartbeatInterval: 10, maxRetry: 1 })
 */
export class PostgresStorage extends LazyStorage<Impl> {
  readonly heartbeatIntervalMs: number | undefined;

  constructor(readonly url: string, private readonly opts: PostgresStorageOptions = {}) {
    super();
    this.heartbeatIntervalMs = heartbeatSettings(opts).heartbeatIntervalMs;
  }

  protected load(): Promise<Impl> {
    return import('./postgres-storage.js').then((m) => new m.PostgresStorage(this.url, this.opts));
  }

  /** Trial rows read by getAllTrials so far (the incremental read keeps this ~ changes, not study size). */
  get stats(): { trialRowsRead: number } { return this.loaded?.stats ?? { trialRowsRead: 0 }; }

  /** The artifacts of this database's trials: the simdgrad_artifacts table (loaded with the storage). */
  artifactStore(): ArtifactStore {
    const impl = async () => (await this.storage()).artifactStore();
    return {
      write: async (id, bytes) => (await impl()).write(id, bytes),
      read: async (id) => (await impl()).read(id),
      remove: async (id) => (await impl()).remove(id),
    };
  }

  async recordHeartbeat(trialId: number): Promise<void> { return (await this.storage()).recordHeartbeat(trialId); }
  async failStaleTrials(studyId: number): Promise<FrozenTrial[]> { return (await this.storage()).failStaleTrials(studyId); }
  async createClaimingTrial(studyId: number, claim: TrialClaim): Promise<FrozenTrial | null> {
    return (await this.storage()).createClaimingTrial(studyId, claim);
  }
}
