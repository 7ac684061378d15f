// What a finished `simdgrad tune` hands on: the best trial's configuration (from its `config`
// user attribute — every hyperparameter it trained with, defaults and fixed values included —
// else from its parameters) and the report's description of the sweep (the search space as
// given, the fixed settings, the held-out comparison). Contract: a stored configuration that no
// longer parses is a CliError naming the trial.
import type { tune } from '../index.js';
import type { ReportOptions } from '../tune/report/report.js';
import { flatParams, mlpConfig, type MlpConfig } from './mlp-space.js';
import type { TabularData } from './tabular-data.js';
import type { Comparison } from './holdout.js';

/** The configuration a trial trained with (its stored `config`, without the sweep's epochs). */
export function bestConfig(t: tune.FrozenTrial): MlpConfig {
  const stored = t.userAttrs.config as Record<string, unknown> | undefined;
  const { epochs: _epochs, ...params } = stored ?? t.params;
  return mlpConfig(params, `trial #${t.number}'s configuration`);
}

/** The sweep's settings and results as report options. */
export function sweepReportOptions(
  o: { data: string; model?: string; sampler: string; pruner: string; trials: number; folds: number; epochs: number; seed: number; concurrency: number; testSize?: number },
  d: TabularData, space: unknown, comparison: Comparison | undefined,
): ReportOptions {
  const metric = d.task === 'regression' ? 'r2' : 'accuracy';
  const settings: Record<string, string | number> = {
    data: `${o.data} (${d.shape[0]} rows for tuning, ${d.shape[1]} features)`, task: `${d.task} (${d.taskReason})`,
    objective: `mean ${o.folds}-fold validation ${metric} (maximize)`, model: o.model === 'cnn' ? 'CNN (Conv2d → BatchNorm2d → activation → 2×2 pooling per block, then Dropout → Linear)' : 'MLP (Linear → activation → Dropout per hidden layer)',
    epochs: o.epochs, folds: o.folds, sampler: o.sampler, pruner: o.pruner, trials: o.trials, seed: o.seed, concurrency: o.concurrency,
  };
  if (o.testSize !== undefined) settings['test split'] = `${o.testSize} of the rows, held out before tuning (seed ${o.seed})`;
  const out: ReportOptions = { title: `simdgrad tune: ${o.data}`, settings, space };
  if (comparison) {
    out.holdout = {
      metric: comparison.metric,
      description: `Trained on the ${comparison.trainRows} tuning rows for ${comparison.epochs} epochs and scored on ` +
        `${comparison.testRows} test rows the tuner never saw; mean of ${comparison.default.runs.length} seeds.`,
      rows: (['default', 'tuned'] as const).map((k) => ({
        name: k, value: comparison[k].score, runs: comparison[k].runs, params: comparison[k].params, metrics: comparison[k].metrics,
        config: flatParams(comparison[k].config),
      })),
    };
  }
  return out;
}
