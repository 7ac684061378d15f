// OneCycleLR: the 1cycle policy, stepped once per batch, as torch.optim.lr_scheduler.OneCycleLR.
// lr rises from maxLr/divFactor to maxLr over pctStart of totalSteps, then anneals to
// initial/finalDivFactor (threePhase: back to the initial lr first, then down). With cycleMomentum
// the groups' `momentum` (SGD, RMSprop) or `betas[0]` (Adam-style) move inversely between
// maxMomentum and baseMomentum. Sets each group's initialLr to maxLr/divFactor. Not chainable.
import { checkChoice, checkInt, checkNumber, perGroup } from '../../check-option.js';
import { LRScheduler, perGroupValue, type LrGroup, type ScheduleConfig, type SchedulerOptimizer } from './lr-scheduler.js';
import { OptionError } from '../../errors.js';

export interface OneCycleLROptions {
  /** Peak learning rate, one for all groups or one per group. */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing lr, in [0, 1] (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum / betas[0] inversely to lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** initial lr = maxLr/divFactor (default 25). */
  divFactor?: number;
  /** minimum lr = initial lr/finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, back down to initial, then down to minimum) as in the paper (default false). */
  threePhase?: boolean;
}

interface Phase { endStep: number; startLr: 'initial' | 'max' | 'min'; endLr: 'initial' | 'max' | 'min'; startM: 'max' | 'base'; endM: 'max' | 'base' }

type MomentumGroup = LrGroup & { momentum?: number; betas?: readonly number[] };

/**
 * The 1cycle learning-rate policy; call step() after every batch.
 *
 * @example
 * const opt = new sg.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * const sched = new sg.optim.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 50 });
 * for (let i = 0; i < 500; i++) { trainBatch(); opt.step(); sched.step(); }
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  /** Whether momentum lives in betas[0] (Adam-style) rather than `momentum`. */
  readonly useBeta1: boolean;
  readonly initialLrs: number[];
  readonly maxLrs: number[];
  readonly minLrs: number[];
  readonly maxMomentums: number[];
  readonly baseMomentums: number[];
  readonly pctStart: number;
  readonly divFactor: number;
  readonly finalDivFactor: number;
  readonly threePhase: boolean;
  private readonly phases: Phase[];

  constructor(optimizer: SchedulerOptimizer, options: OneCycleLROptions) {
    super(optimizer, 'OneCycleLR');
    const O = 'OneCycleLR';
    const {
      maxLr, totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false,
    } = options;
    if (totalSteps !== undefined) {
      this.totalSteps = checkInt(O, 'totalSteps', totalSteps, 1);
    } else if (epochs !== undefined || stepsPerEpoch !== undefined) {
      this.totalSteps = checkInt(O, 'epochs', epochs, 1) * checkInt(O, 'stepsPerEpoch', stepsPerEpoch, 1);
    } else {
      throw new OptionError('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch');
    }
    const pct = checkNumber(O, 'pctStart', pctStart, { min: 0, max: 1 });
    this.annealStrategy = checkChoice(O, 'annealStrategy', annealStrategy, ['cos', 'linear'] as const);
    const div = checkNumber(O, 'divFactor', divFactor, { gt: 0 });
    const finalDiv = checkNumber(O, 'finalDivFactor', finalDivFactor, { gt: 0 });
    this.pctStart = pct; this.divFactor = div; this.finalDivFactor = finalDiv; this.threePhase = !!threePhase;
    const groups = this.groups() as readonly MomentumGroup[];
    const n = groups.length;
    const T = this.totalSteps;
    this.phases = threePhase
      ? [
        { endStep: pct * T - 1, startLr: 'initial', endLr: 'max', startM: 'max', endM: 'base' },
        { endStep: 2 * pct * T - 2, startLr: 'max', endLr: 'initial', startM: 'base', endM: 'max' },
        { endStep: T - 1, startLr: 'initial', endLr: 'min', startM: 'max', endM: 'max' },
      ]
      : [
        { endStep: pct * T - 1, startLr: 'initial', endLr: 'max', startM: 'max', endM: 'base' },
        { endStep: T - 1, startLr: 'max', endLr: 'min', startM: 'base', endM: 'max' },
      ];
    this.maxLrs = perGroup(O, 'maxLr', maxLr, n, { gt: 0 });
    this.initialLrs = this.maxLrs.map((m) => m / div);
    this.minLrs = this.initialLrs.map((i) => i / finalDiv);
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = groups[0]!.betas !== undefined;
    if (cycleMomentum) {
      if (!groups.every((g) => (this.useBeta1 ? Array.isArray(g.betas) : typeof g.momentum === 'number'))) {
        throw new OptionError('OneCycleLR: cycleMomentum needs an optimizer whose groups have momentum or betas; pass cycleMomentum: false');
      }
      this.maxMomentums = perGroup(O, 'maxMomentum', maxMomentum, n, { min: 0, max: 1 });
      this.baseMomentums = perGroup(O, 'baseMomentum', baseMomentum, n, { min: 0, max: 1 });
    } else {
      this.maxMomentums = [];
      this.baseMomentums = [];
    }
    groups.forEach((g, i) => {
      g.initialLr = this.initialLrs[i]!;
      if (cycleMomentum) this.setMomentum(g, this.maxMomentums[i]!);
    });
    this.baseLrs = [...this.initialLrs];
    this.initialStep();
  }

  config(): ScheduleConfig {
    const options: ScheduleConfig['options'] = {
      maxLr: perGroupValue(this.maxLrs), totalSteps: this.totalSteps, pctStart: this.pctStart, annealStrategy: this.annealStrategy,
      cycleMomentum: this.cycleMomentum, divFactor: this.divFactor, finalDivFactor: this.finalDivFactor, threePhase: this.threePhase,
    };
    if (this.cycleMomentum) Object.assign(options, { baseMomentum: perGroupValue(this.baseMomentums), maxMomentum: perGroupValue(this.maxMomentums) });
    return { name: 'OneCycleLR', options };
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new OptionError(`OneCycleLR: tried to step ${step + 1} times; the cycle has totalSteps = ${this.totalSteps}`);
    }
    const anneal = this.annealStrategy === 'cos' ? annealCos : annealLinear;
    const lrs: number[] = [];
    const momenta: number[] = [];
    const last = this.phases.length - 1;
    for (let g = 0; g < this.baseLrs.length; g++) {
      const lr = { initial: this.initialLrs[g]!, max: this.maxLrs[g]!, min: this.minLrs[g]! };
      const m = { max: this.maxMomentums[g]!, base: this.baseMomentums[g]! };
      let start = 0;
      for (let i = 0; i <= last; i++) {
        const p = this.phases[i]!;
        if (step <= p.endStep || i === last) {
          if (p.endStep === start) throw new OptionError(`OneCycleLR: phase ${i + 1} is empty at step ${step} (pctStart · totalSteps is too small)`);
          const pct = (step - start) / (p.endStep - start);
          lrs.push(anneal(lr[p.startLr], lr[p.endLr], pct));
          if (this.cycleMomentum) momenta.push(anneal(m[p.startM], m[p.endM], pct));
          break;
        }
        start = p.endStep;
      }
    }
    if (this.cycleMomentum) {
      (this.groups() as readonly MomentumGroup[]).forEach((g, i) => this.setMomentum(g, momenta[i]!));
    }
    return lrs;
  }

  private setMomentum(g: MomentumGroup, value: number): void {
    if (this.useBeta1) g.betas = [value, ...g.betas!.slice(1)];
    else g.momentum = value;
  }
}

function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + (start - end) / 2 * cosOut;
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}
