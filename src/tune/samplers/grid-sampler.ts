// GridSampler: exhaustive search over a given grid (Optuna's GridSampler). The grid is shuffled
// by the seed; trial number i < grid size takes grid point i (numbers are unique per study, so
// workers sharing a storage never collide on those), later trials (after failures were retried,
// or enqueued trials) take a random point no RUNNING or finished trial holds. The chosen point is
// stored in the trial's systemAttrs (gridId, gridSearchSpace) so every worker sees it; once every
// point is taken, isExhausted() tells Study.optimize to stop. With a storage that can claim
// atomically (PostgresStorage.createClaimingTrial), Study creates each trial together with the
// lowest unclaimed grid id instead (trialClaim), so no two processes ever hold the same point.
import type { FrozenTrial } from '../frozen-trial.js';
import { contains, type Distribution, type ParamValue } from '../distributions.js';
import { Rng } from '../rng.js';
import type { StudyView } from '../study-view.js';
import type { RelativeSample, Sampler } from './sampler.js';
import type { TrialClaim } from '../storages/storage.js';
import { checkSeed } from '../../check-option.js';

/**
 * Grid search.
 * @example
 * const sampler = new sg.tune.GridSampler({ lr: [1e-3, 1e-2], layers: [1, 2, 3] });
 * await (await sg.tune.createStudy({ sampler })).optimize(objective, { nTrials: 100 }); // runs 6 trials
 */
export class GridSampler implements Sampler {
  private readonly names: string[];
  private readonly grid: ParamValue[][];
  private readonly key: string;
  private rng: Rng;
  /** Grid points this process assigned to trials not yet seen finished (trialId → gridId). */
  private readonly claimed = new Map<number, number>();

  constructor(searchSpace: Record<string, readonly ParamValue[]>, { seed = 0 }: { seed?: number } = {}) {
    checkSeed('GridSampler', seed);
    this.names = Object.keys(searchSpace).sort();
    for (const k of this.names) {
      const vs = searchSpace[k]!;
      if (!Array.isArray(vs) || vs.length === 0) throw new RangeError(`GridSampler: '${k}' needs a non-empty array of values`);
      for (const v of vs) {
        if (!(v === null || ['number', 'string', 'boolean'].includes(typeof v))) throw new RangeError(`GridSampler: '${k}' value ${String(v)} is not a number, string, boolean or null`);
      }
    }
    let grid: ParamValue[][] = [[]];
    for (const k of this.names) grid = grid.flatMap((g) => searchSpace[k]!.map((v) => [...g, v]));
    this.key = JSON.stringify(this.names.map((k) => [k, searchSpace[k]]));
    this.rng = new Rng(seed);
    for (let i = grid.length - 1; i > 0; i--) { const j = this.rng.below(i + 1); [grid[i], grid[j]] = [grid[j]!, grid[i]!]; }
    this.grid = grid;
  }

  /** Each new trial's grid point, claimed in storages that support it (see Sampler.trialClaim). */
  get trialClaim(): TrialClaim {
    return { space: this.key, size: this.grid.length, idAttr: 'gridId', attrs: { gridSearchSpace: this.key } };
  }

  /** Number of grid points. */
  get size(): number { return this.grid.length; }

  reseed(seed: number): void { this.rng = new Rng(seed); }

  /** Grid ids held by finished trials and by RUNNING ones (this process's included). */
  private taken(study: StudyView): { finished: Set<number>; running: Set<number> } {
    const finished = new Set<number>(), running = new Set<number>();
    for (const t of study.trials) {
      const id = t.systemAttrs.gridId;
      if (typeof id !== 'number' || t.systemAttrs.gridSearchSpace !== this.key) continue;
      if (t.state === 'RUNNING') running.add(id);
      else if (t.state !== 'WAITING') { finished.add(id); this.claimed.delete(t.trialId); }
    }
    for (const id of this.claimed.values()) if (!finished.has(id)) running.add(id);
    return { finished, running };
  }

  sampleRelative(study: StudyView, trial: FrozenTrial): RelativeSample | null {
    if ('gridId' in trial.systemAttrs || 'fixedParams' in trial.systemAttrs) return null;
    let id: number;
    if (trial.number < this.grid.length) id = trial.number;
    else {
      const { finished, running } = this.taken(study);
      let free = [...this.grid.keys()].filter((i) => !finished.has(i) && !running.has(i));
      // Everything started: re-run a point still in flight elsewhere (Optuna does the same).
      if (!free.length) free = [...this.grid.keys()].filter((i) => !finished.has(i));
      if (!free.length) free = [...this.grid.keys()];
      id = free[this.rng.below(free.length)]!;
    }
    this.claimed.set(trial.trialId, id);
    return { space: {}, params: {}, systemAttrs: { gridId: id, gridSearchSpace: this.key } };
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    const id = trial.systemAttrs.gridId;
    if (typeof id !== 'number') throw new RangeError(`GridSampler: trial ${trial.number} has no grid point (enqueued trials must fix every parameter; '${name}' is missing)`);
    const j = this.names.indexOf(name);
    if (j < 0) throw new RangeError(`GridSampler: parameter '${name}' is not in the grid (${this.names.join(', ')})`);
    const v = this.grid[id]![j]!;
    if (!contains(d, v)) throw new RangeError(`GridSampler: grid value ${JSON.stringify(v)} of '${name}' is outside the suggested ${JSON.stringify(d)}`);
    return v;
  }

  afterTrial(_study: StudyView, trial: FrozenTrial): void { this.claimed.delete(trial.trialId); }

  /** Whether every grid point is taken, counting `pendingStarts` trials about to start here. */
  isExhausted(study: StudyView, pendingStarts = 0): boolean {
    const { finished, running } = this.taken(study);
    let held = finished.size;
    for (const id of running) if (!finished.has(id)) held++;
    return held + pendingStarts >= this.grid.length;
  }
}
