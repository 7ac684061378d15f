// CosineAnnealingWarmRestarts: SGDR, cosine decay from each group's initial lr to etaMin over
// T_i epochs, then a restart with T_i ← T_i·tMult, as
// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts. step() may be called per batch;
// stepTo(epoch) accepts fractional epochs like PyTorch's step(epoch).
import { checkInt, checkNumber } from '../../check-option.js';
import { LRScheduler, type ScheduleConfig, type SchedulerOptimizer } from './lr-scheduler.js';

export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart (integer ≥ 1). */
  t0: number;
  /** Factor growing the period after each restart (integer ≥ 1, default 1). */
  tMult?: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing with warm restarts: lr = etaMin + (base − etaMin)·(1 + cos(π·T_cur/T_i))/2.
 *
 * @example
 * const sched = new sg.optim.CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 });
 * // restarts after epochs 10, 30, 70, … (periods 10, 20, 40, …)
 * for (let epoch = 0; epoch < 70; epoch++) { train(); sched.step(); }
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** Length of the current period. */
  tI: number;
  /** Epochs since the last restart (fractional after stepTo with a fractional epoch). */
  tCur: number;

  constructor(optimizer: SchedulerOptimizer, { t0, tMult = 1, etaMin = 0 }: CosineAnnealingWarmRestartsOptions) {
    super(optimizer, 'CosineAnnealingWarmRestarts');
    this.t0 = checkInt('CosineAnnealingWarmRestarts', 't0', t0, 1);
    this.tMult = checkInt('CosineAnnealingWarmRestarts', 'tMult', tMult, 1);
    this.etaMin = checkNumber('CosineAnnealingWarmRestarts', 'etaMin', etaMin, { min: 0 });
    this.tI = this.t0;
    this.tCur = -1;
    this.initialStep();
  }

  config(): ScheduleConfig { return { name: 'CosineAnnealingWarmRestarts', options: { t0: this.t0, tMult: this.tMult, etaMin: this.etaMin } }; }

  protected getLr(): number[] {
    const { tCur, tI, etaMin } = this;
    return this.baseLrs.map((b) => etaMin + (b - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2);
  }

  override step(): void {
    if (this.lastEpoch < 0) {
      this.stepTo(0);
      return;
    }
    this.tCur += 1;
    if (this.tCur >= this.tI) {
      this.tCur -= this.tI;
      this.tI *= this.tMult;
    }
    super.step();
  }

  override stepTo(epoch: number): void {
    checkNumber('CosineAnnealingWarmRestarts.stepTo', 'epoch', epoch, { min: 0 });
    const { t0, tMult } = this;
    if (epoch >= t0) {
      if (tMult === 1) {
        this.tCur = epoch % t0;
      } else {
        const n = Math.trunc(Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
        this.tCur = epoch - t0 * (tMult ** n - 1) / (tMult - 1);
        this.tI = t0 * tMult ** n;
      }
    } else {
      this.tI = t0;
      this.tCur = epoch;
    }
    this.lastEpoch = Math.floor(epoch);
    this.stepCount += 1;
    this.apply(this.getLr());
  }
}
