// sg.tune: studies, trials, distributions, samplers, pruners, storages (Optuna's design).
export { createStudy, Study, type CreateStudyOptions, type OptimizeOptions, type Objective, type ObjectiveValue } from './study.js';
export { Trial, TrialPruned } from './trial.js';
export type { FrozenTrial, TrialState, Direction } from './frozen-trial.js';
export type { Distribution, FloatDistribution, IntDistribution, CategoricalDistribution, ParamValue } from './distributions.js';
export { RandomSampler, NopPruner, type Sampler, type Pruner, type StudyView, type RelativeSample } from './sampler.js';
export { InMemoryStorage, type Storage, type StudyRecord } from './storage.js';
export { Rng } from './rng.js';
export { PercentilePruner, type PercentilePrunerOptions } from './percentile-pruner.js';
export { MedianPruner } from './median-pruner.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './successive-halving-pruner.js';
export { HyperbandPruner, type HyperbandPrunerOptions } from './hyperband-pruner.js';
export { type PruneContext } from './sampler.js';
export { crossValidate, type CrossValidateOptions, type CrossValidateResult, type FoldFit, type ReportingTrial } from './cross-validate.js';
export { trialsTable, optimizationHistory, paramImportances, type TrialsTable, type TrialRow, type HistoryPoint, type StudyTrials, type ParamImportancesOptions } from './analysis.js';
export { TPESampler, defaultGamma, defaultWeights, type TPESamplerOptions } from './tpe-sampler.js';
export { GridSampler } from './grid-sampler.js';
export { QMCSampler } from './qmc-sampler.js';
export { Sobol } from './sobol.js';
export { JournalFileStorage } from './journal-storage-lazy.js'; // the implementation (journal-storage.ts) loads on first use
export { FileLock, FileLockError, type FileLockOptions } from './file-lock.js';
export { JournalError } from './journal-error.js';
export { PostgresStorage } from './postgres-storage-lazy.js'; // the implementation (postgres-storage.ts) loads on first use
export type { PostgresStorageOptions } from './heartbeat-options.js';
export { StorageUnavailableError } from '../errors.js';
export { openStorage } from './open-storage.js';
export type { TrialClaim } from './storage.js';
export type { ObjectiveModule, WorkerOptimizeOptions } from './workers/protocol.js';
export type { RemoteTrial } from './workers/remote-trial.js';
export type { ReportOptions, ReportStudy } from './report.js'; // renderReport/writeReport: import from 'simdgrad/report' (src/tune/report.ts), kept out of the core bundle
