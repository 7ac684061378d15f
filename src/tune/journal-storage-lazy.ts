// sg.tune.JournalFileStorage as the core bundle exports it: the journal implementation
// (journal-storage.ts + journal-format.ts, Node's file system) loads on first use (lazy-storage.ts),
// so the core carries none of it. Same constructor as journal-storage.ts's JournalFileStorage.
import type { FileLockOptions } from './file-lock.js';
import type { JournalFileStorage as Journal } from './journal-storage.js';
import { LazyStorage } from './lazy-storage.js';

/**
 * A file-backed storage that several processes can share (Optuna's journal format; Node).
 * @example
 * const storage = new sg.tune.JournalFileStorage('./tuning.jsonl');
 * const study = await sg.tune.createStudy({ storage, studyName: 'mlp', loadIfExists: true });
 */
export class JournalFileStorage extends LazyStorage<Journal> {
  constructor(readonly path: string, private readonly opts: { lock?: FileLockOptions } = {}) { super(); }

  protected load(): Promise<Journal> {
    return import('./journal-storage.js').then((m) => new m.JournalFileStorage(this.path, this.opts));
  }
}
