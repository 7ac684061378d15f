// sg.tune: studies, trials, distributions, samplers, pruners, storages (Optuna's design).
export { createStudy, Study, type CreateStudyOptions, type OptimizeOptions, type Objective, type ObjectiveValue } from './study.js';
export { Trial, TrialPruned } from './trial.js';
export type { FrozenTrial, TrialState, Direction } from './frozen-trial.js';
export type { Distribution, FloatDistribution, IntDistribution, CategoricalDistribution, ParamValue } from './distributions.js';
export { RandomSampler, NopPruner, type Sampler, type Pruner, type StudyView, type RelativeSample } from './samplers/sampler.js';
export { InMemoryStorage, type Storage, type StudyRecord } from './storages/storage.js';
export { Rng } from './rng.js';
export { PercentilePruner, type PercentilePrunerOptions } from './pruners/percentile-pruner.js';
export { MedianPruner } from './pruners/median-pruner.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './pruners/successive-halving-pruner.js';
export { HyperbandPruner, type HyperbandPrunerOptions } from './pruners/hyperband-pruner.js';
export { type PruneContext } from './samplers/sampler.js';
export { crossValidate, type CrossValidateOptions, type CrossValidateResult, type FoldFit, type ReportingTrial } from './cross-validate.js';
export { trialsTable, optimizationHistory, paramImportances, type TrialsTable, type TrialRow, type HistoryPoint, type StudyTrials, type ParamImportancesOptions } from './analysis.js';
export { TPESampler, defaultGamma, defaultWeights, type TPESamplerOptions } from './samplers/tpe-sampler.js';
export { GridSampler } from './samplers/grid-sampler.js';
export { QMCSampler } from './samplers/qmc-sampler.js';
export { Sobol } from './samplers/sobol.js';
export { JournalFileStorage } from './storages/journal/journal-storage-lazy.js'; // the implementation (journal-storage.ts) loads on first use
export { FileLock, FileLockError, type FileLockOptions } from './storages/journal/file-lock.js';
export { JournalError } from './storages/journal/journal-error.js';
export { PostgresStorage } from './storages/postgres/postgres-storage-lazy.js'; // the implementation (postgres-storage.ts) loads on first use
export type { PostgresStorageOptions } from './storages/heartbeat-options.js';
export { StorageUnavailableError } from '../errors.js';
export { openStorage } from './storages/open-storage.js';
export type { TrialClaim } from './storages/storage.js';
export type { ObjectiveModule, WorkerOptimizeOptions } from './workers/protocol.js';
export type { RemoteTrial } from './workers/remote-trial.js';
export type { ReportOptions, ReportStudy } from './report/report.js'; // renderReport/writeReport: import from 'simdgrad/report' (src/tune/report/report.ts), kept out of the core bundle
