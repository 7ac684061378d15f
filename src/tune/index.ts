// sg.tune: studies, trials, distributions, samplers, pruners, storages (Optuna's design).
export { createStudy, Study, type CreateStudyOptions, type OptimizeOptions, type Objective, type ObjectiveValue } from './study.js';
export { Trial, TrialPruned } from './trial.js';
export type { FrozenTrial, TrialState, Direction } from './frozen-trial.js';
export type { Distribution, FloatDistribution, IntDistribution, CategoricalDistribution, ParamValue } from './distributions.js';
export { RandomSampler, NopPruner, type Sampler, type Pruner, type StudyView, type RelativeSample } from './sampler.js';
export { InMemoryStorage, type Storage, type StudyRecord } from './storage.js';
export { Rng } from './rng.js';
