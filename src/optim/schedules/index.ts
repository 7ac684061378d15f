// Learning-rate schedules (PyTorch's torch.optim.lr_scheduler), re-exported by sg.optim.
export { LRScheduler, type LrGroup, type SchedulerOptimizer, type SchedulerState, type ScheduleConfig } from './lr-scheduler.js';
export { StepLR, MultiStepLR, type StepLROptions, type MultiStepLROptions } from './step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions } from './cosine-annealing-warm-restarts.js';
export { LinearLR, LinearWarmup, type LinearLROptions, type LinearWarmupOptions } from './linear-lr.js';
export { SequentialLR, type SequentialLROptions } from './sequential-lr.js';
export { ChainedScheduler } from './chained-scheduler.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type Metric } from './reduce-lr-on-plateau.js';
