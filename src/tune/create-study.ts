// createStudy: opens or creates a study in a storage, with Optuna's defaults — TPESampler (a fresh
// seed unless `seed` is given) and MedianPruner for a single objective; NSGAIISampler and no
// pruning for several objectives; failed trials logged with console.warn. Contract: every option is checked, and the sampler and pruner are
// asked whether they can serve the study (Sampler/Pruner.checkStudy), before the storage is
// touched: a bad option or an unfit sampler is a typed error and creates nothing.
import { checkChoice, checkSeed } from '../check-option.js';
import type { Direction } from './frozen-trial.js';
import type { Pruner } from './pruners/pruner.js';
import { MedianPruner } from './pruners/median-pruner.js';
import { NopPruner } from './pruners/nop-pruner.js';
import type { Sampler } from './samplers/sampler.js';
import { NSGAIISampler } from './samplers/nsgaii-sampler.js';
import { TPESampler } from './samplers/tpe-sampler.js';
import type { Storage } from './storages/storage.js';
import { InMemoryStorage } from './storages/in-memory-storage.js';
import { openStorage } from './storages/open-storage.js';
import { Study, type StudyLogger } from './study.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';

export interface CreateStudyOptions {
  direction?: Direction;
  /** Several objectives (the objective returns an array). */
  directions?: Direction[];
  /** Default: TPESampler({ seed }) for one objective, NSGAIISampler({ seed }) for several (as Optuna). */
  sampler?: Sampler;
  /** Default: MedianPruner() for one objective, none (NopPruner) for several. */
  pruner?: Pruner;
  /** A Storage, or a URL/path: 'postgresql://…' (PostgresStorage; needs the optional `pg`
   * package) or a journal file path (JournalFileStorage). */
  storage?: Storage | string;
  studyName?: string;
  /** Resume the study of this name if the storage has it. */
  loadIfExists?: boolean;
  /** Seed of the default sampler (default: a fresh one, so unseeded studies differ). */
  seed?: number;
  /** Where a failed trial is reported ("Trial 3 failed with parameters: … because of the following
   * error: …"; default console.warn); false: nowhere. */
  logger?: StudyLogger;
  /** Where trials' artifacts go (default: the storage's — memory, `<journal>.artifacts/`, a
   * PostgreSQL table). */
  artifactStore?: ArtifactStore;
}

const OWNER = 'createStudy';
let unnamed = 0;

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;
const hasMethod = (v: unknown, name: string): boolean => isObject(v) && typeof (v as Record<string, unknown>)[name] === 'function';

/** The study's directions, and its sampler and pruner (given or default), checked. */
function checkOptions(opts: CreateStudyOptions): { directions: Direction[]; sampler: Sampler; pruner: Pruner } {
  if (!isObject(opts)) throw new TypeError(`${OWNER}: options must be an object, got ${String(opts)}`);
  if (opts.direction !== undefined && opts.directions !== undefined) throw new RangeError(`${OWNER}: give direction or directions, not both`);
  if (opts.directions !== undefined && (!Array.isArray(opts.directions) || opts.directions.length === 0)) {
    throw new RangeError(`${OWNER}: directions must be a non-empty array, got ${JSON.stringify(opts.directions)}`);
  }
  const directions = opts.directions ?? [opts.direction ?? 'minimize'];
  directions.forEach((d, i) => checkChoice(OWNER, opts.directions ? `directions[${i}]` : 'direction', d, ['minimize', 'maximize']));
  checkSeed(OWNER, opts.seed);
  if (opts.studyName !== undefined && (typeof opts.studyName !== 'string' || opts.studyName === '')) {
    throw new TypeError(`${OWNER}: studyName must be a non-empty string, got ${String(opts.studyName)}`);
  }
  if (opts.loadIfExists !== undefined && typeof opts.loadIfExists !== 'boolean') {
    throw new TypeError(`${OWNER}: loadIfExists must be a boolean, got ${String(opts.loadIfExists)}`);
  }
  const { storage, logger } = opts;
  if (storage !== undefined && typeof storage !== 'string' && !hasMethod(storage, 'createStudy')) {
    throw new TypeError(`${OWNER}: storage must be a Storage, a postgresql:// URL or a journal file path, got ${String(storage)}`);
  }
  if (logger !== undefined && logger !== false && typeof logger !== 'function') {
    throw new TypeError(`${OWNER}: logger must be a function (message) => void or false, got ${String(logger)}`);
  }
  if (opts.sampler !== undefined && !hasMethod(opts.sampler, 'sampleIndependent')) {
    throw new TypeError(`${OWNER}: sampler must be a Sampler (with sampleIndependent), got ${String(opts.sampler)}`);
  }
  if (opts.artifactStore !== undefined && !(hasMethod(opts.artifactStore, 'write') && hasMethod(opts.artifactStore, 'read'))) {
    throw new TypeError(`${OWNER}: artifactStore must be an ArtifactStore (with write and read), got ${String(opts.artifactStore)}`);
  }
  if (opts.pruner !== undefined && !hasMethod(opts.pruner, 'prune')) {
    throw new TypeError(`${OWNER}: pruner must be a Pruner (with prune), got ${String(opts.pruner)}`);
  }
  const single = directions.length === 1, seed = opts.seed;
  const sampler: Sampler = opts.sampler ?? (single ? new TPESampler({ seed }) : new NSGAIISampler({ seed }));
  const pruner: Pruner = opts.pruner ?? (single ? new MedianPruner() : new NopPruner());
  const view = { directions, trials: [], ...(opts.studyName !== undefined ? { studyName: opts.studyName } : {}) };
  sampler.checkStudy?.(view);
  pruner.checkStudy?.(view);
  return { directions, sampler, pruner };
}

/**
 * Creates (or, with loadIfExists, resumes) a study.
 * @example
 * const study = await sg.tune.createStudy({ direction: 'maximize', seed: 1 }); // TPE + median pruning
 * await study.optimize((t) => score(t.suggestFloat('lr', 1e-4, 1e-1, { log: true })), { nTrials: 50 });
 * study.bestParams
 */
export async function createStudy(opts: CreateStudyOptions = {}): Promise<Study> {
  const { directions, sampler, pruner } = checkOptions(opts);
  const storage = typeof opts.storage === 'string' ? await openStorage(opts.storage) : opts.storage ?? new InMemoryStorage();
  const name = opts.studyName ?? `study-${Date.now().toString(36)}-${unnamed++}`;
  const rec = await storage.createStudy(name, directions, { loadIfExists: opts.loadIfExists ?? false });
  if (rec.directions.join() !== directions.join() && opts.loadIfExists) {
    throw new RangeError(`study '${name}' exists with directions ${rec.directions.join(', ')}, not ${directions.join(', ')}`);
  }
  const logger = opts.logger ?? ((m: string) => console.warn(m));
  const study = new Study(rec, storage, sampler, pruner, logger, opts.artifactStore);
  await study.refresh();
  return study;
}
