// sg.tune: studies, trials, distributions, samplers, pruners, storages (Optuna's design). One export
// line per sampler, pruner and storage; each lives in its folder (samplers/, pruners/, storages/).
export { createStudy, type CreateStudyOptions } from './create-study.js';
export { Study, type OptimizeOptions, type WorkerOptimizeOptions, type Objective, type ObjectiveValue, type StudyLogger } from './study.js';
export { Trial, TrialPruned } from './trial.js';
export type { FrozenTrial, TrialState, Direction } from './frozen-trial.js';
export type { Distribution, FloatDistribution, IntDistribution, CategoricalDistribution, ParamValue } from './distributions.js';
export type { StudyView } from './study-view.js';
export { Rng } from './rng.js';
export { crossValidate, type CrossValidateOptions, type CrossValidateResult, type FoldFit, type ReportingTrial } from './cross-validate.js';
export { trialsTable, optimizationHistory, paramImportances, type TrialsTable, type TrialRow, type HistoryPoint, type StudyTrials, type ParamImportancesOptions } from './analysis.js';

// multi-objective and constrained optimization
export { hypervolume } from './hypervolume.js';
export { paretoFront, dominates } from './pareto.js';
export { constraintsOf, isFeasible, type ConstraintsFunc } from './constraints.js';

// samplers/
export type { Sampler, RelativeSample } from './samplers/sampler.js';
export { RandomSampler } from './samplers/random-sampler.js';
export { TPESampler, defaultGamma, defaultWeights, type TPESamplerOptions } from './samplers/tpe-sampler.js';
export { GridSampler } from './samplers/grid-sampler.js';
export { QMCSampler } from './samplers/qmc-sampler.js';
export { NSGAIISampler, type NSGAIISamplerOptions } from './samplers/nsgaii-sampler.js';
export { UniformCrossover, SBXCrossover, type Crossover } from './samplers/nsgaii-crossover.js';
export { Sobol } from './samplers/sobol.js';
export { GPSampler, type GPSamplerOptions } from './samplers/gp/gp-sampler.js';
export { CmaEsSampler, type CmaEsSamplerOptions } from './samplers/cmaes/cmaes-sampler.js';

// pruners/
export type { Pruner, PruneContext } from './pruners/pruner.js';
export { NopPruner } from './pruners/nop-pruner.js';
export { PercentilePruner, type PercentilePrunerOptions } from './pruners/percentile-pruner.js';
export { MedianPruner } from './pruners/median-pruner.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './pruners/successive-halving-pruner.js';
export { HyperbandPruner, type HyperbandPrunerOptions } from './pruners/hyperband-pruner.js';
export { WilcoxonPruner, type WilcoxonPrunerOptions } from './pruners/wilcoxon-pruner.js';

// storages/ (the journal and PostgreSQL implementations load on first use: *-lazy.ts)
export type { Storage, StudyRecord, TrialClaim } from './storages/storage.js';
export { InMemoryStorage } from './storages/in-memory-storage.js';
export { JournalFileStorage } from './storages/journal/journal-storage-lazy.js';
export { FileLock, FileLockError, type FileLockOptions } from './storages/journal/file-lock.js';
export { JournalError } from './storages/journal/journal-error.js';
export { PostgresStorage } from './storages/postgres/postgres-storage-lazy.js';
export type { PostgresStorageOptions } from './storages/heartbeat-options.js';
export { StorageUnavailableError } from '../errors.js';
export { openStorage } from './storages/open-storage.js';

// artifacts/ (files attached to trials; the PostgreSQL store comes with PostgresStorage)
export { ArtifactNotFound, ARTIFACTS_ATTR_PREFIX, type ArtifactStore, type ArtifactMeta } from './artifacts/artifact-store.js';
export { InMemoryArtifactStore } from './artifacts/in-memory-artifact-store.js';
export { FileSystemArtifactStore } from './artifacts/file-system-artifact-store.js';
export { getAllArtifactMeta, downloadArtifact, type ArtifactBytes } from './artifacts/artifact-meta.js';

// workers/ (the pool loads on first use) and report/ (renderReport/writeReport: import from
// 'simdgrad/report', src/tune/report/report.ts, kept out of the main bundle)
export type { ObjectiveModule } from './workers/protocol.js';
export { ObjectiveModuleError } from './objective-module-error.js';
export type { RemoteTrial } from './workers/remote-trial.js';
export type { ReportOptions, ReportStudy } from './report/report.js';
