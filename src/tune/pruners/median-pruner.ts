// MedianPruner (Optuna's median stopping rule): a PercentilePruner at the 50th percentile — a
// running trial stops when its best intermediate value is worse than the median of the completed
// trials' values at the same step.
import { PercentilePruner, type PercentilePrunerOptions } from './percentile-pruner.js';

/**
 * Prunes trials worse than the median of completed trials at the same step.
 * @example
 * const study = await sg.tune.createStudy({ direction: 'maximize', pruner: new sg.tune.MedianPruner({ nStartupTrials: 5 }) });
 */
export class MedianPruner extends PercentilePruner {
  constructor(opts: PercentilePrunerOptions = {}) {
    super(50, opts);
  }
}
