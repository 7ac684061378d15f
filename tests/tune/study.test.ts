// Study and Trial semantics (Optuna's): define-by-run suggestions, validation errors, failing
// trials that fail alone, enqueued trials, pruning by exception, best trial, concurrency.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

const { createStudy, TrialPruned, RandomSampler } = sg.tune;

describe('study', () => {
  it('minimizes with random search and reports the best trial', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2 + t.suggestInt('n', 0, 3), { nTrials: 60 });
    expect(study.trials).toHaveLength(60);
    expect(study.trials.map((t) => t.number)).toEqual([...Array(60).keys()]);
    expect(study.bestValue).toBeLessThan(1);
    expect(study.bestParams.n).toBe(0);
    expect(study.bestTrial.state).toBe('COMPLETE');
    expect(study.bestTrial.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible for a seed', async () => {
    const run = async (seed: number) => {
      const s = await createStudy({ sampler: new RandomSampler({ seed }) });
      await s.optimize((t) => t.suggestFloat('a', 0, 1, { log: false }) + Number(t.suggestCategorical('c', ['x', 'y']) === 'x'), { nTrials: 10 });
      return s.trials.map((t) => t.params);
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(8)).not.toEqual(await run(7)); // the seed is used: another one samples differently
  });

  it('rejects invalid ranges with clear errors and fails only that trial', async () => {
    const study = await createStudy();
    const bad: Array<(t: sg.tune.Trial) => number> = [
      (t) => t.suggestFloat('a', 2, 1),
      (t) => t.suggestFloat('a', 0, 1, { log: true }),
      (t) => t.suggestFloat('a', 0, 1, { step: 0.3 }),
      (t) => t.suggestInt('a', 0, 10, { step: 3 }),
      (t) => { t.suggestFloat('a', 0, 1); return t.suggestInt('a', 0, 1); },
      () => NaN,
      () => { throw new Error('boom'); },
    ];
    for (const f of bad) await study.optimize(f, { nTrials: 1 });
    const reasons = study.trials.map((t) => t.failReason);
    expect(study.trials.every((t) => t.state === 'FAIL')).toBe(true);
    expect(reasons[0]).toMatch(/low 2 > high 1/);
    expect(reasons[1]).toMatch(/log scale needs low > 0/);
    expect(reasons[2]).toMatch(/does not divide/);
    expect(reasons[3]).toMatch(/does not divide/);
    expect(reasons[4]).toMatch(/suggested with/);
    expect(reasons[5]).toMatch(/NaN/);
    expect(reasons[6]).toMatch(/boom/);
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(2);
    await expect(study.optimize(() => { throw new Error('stop'); }, { nTrials: 3, catch: false })).rejects.toThrow('stop');
  });

  it('supports conditional search spaces and repeated names', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize((t) => {
      const kind = t.suggestCategorical('kind', ['a', 'b']);
      const x = kind === 'a' ? t.suggestFloat('xa', 0, 1) : t.suggestInt('xb', 1, 100, { log: true });
      expect(t.suggestCategorical('kind', ['a', 'b'])).toBe(kind);
      return x;
    }, { nTrials: 30 });
    const kinds = new Set(study.trials.map((t) => Object.keys(t.params).sort().join()));
    expect(kinds).toEqual(new Set(['kind,xa', 'kind,xb']));
    for (const t of study.trials) if ('xb' in t.params) expect(Number.isInteger(t.params.xb)).toBe(true);
  });

  it('runs enqueued trials first, exactly once, with their values', async () => {
    const study = await createStudy({ direction: 'maximize' });
    await study.enqueueTrial({ x: 0.25, opt: 'sgd' });
    await study.enqueueTrial({ x: 0.75 });
    await study.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('opt', ['adam', 'sgd']) === 'sgd' ? 1 : 0), { nTrials: 4 });
    expect(study.trials.slice(0, 2).map((t) => t.params.x)).toEqual([0.25, 0.75]);
    expect(study.trials[0]!.params.opt).toBe('sgd');
    expect(study.trials.filter((t) => t.state === 'WAITING')).toHaveLength(0);
    expect(study.trials).toHaveLength(4);
  });

  it('marks trials PRUNED with their last intermediate value and records reports', async () => {
    const study = await createStudy();
    await study.optimize((t) => {
      for (let step = 0; step < 5; step++) {
        t.report(10 - step, step);
        if (step === 2) throw new TrialPruned();
      }
      return 0;
    }, { nTrials: 1 });
    const [t] = study.trials;
    expect(t!.state).toBe('PRUNED');
    expect(t!.value).toBe(8);
    expect(t!.intermediateValues).toEqual({ 0: 10, 1: 9, 2: 8 });
  });

  it('runs async objectives concurrently and numbers trials without gaps', async () => {
    const study = await createStudy();
    let running = 0, peak = 0;
    await study.optimize(async (t) => {
      running++; peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return t.suggestFloat('x', 0, 1);
    }, { nTrials: 12, concurrency: 3 });
    expect(peak).toBe(3);
    expect(study.trials.map((t) => t.number).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });

  it('lets a running trial see trials that finished after it started (pruners and samplers)', async () => {
    const seen: number[] = [];
    const pruner: sg.tune.Pruner = { prune: (view) => { seen.push(view.trials.filter((x) => x.state === 'COMPLETE').length); return false; } };
    const study = await createStudy({ pruner });
    let release!: () => void;
    const firstDone = new Promise<void>((r) => { release = r; });
    await study.optimize(async (t) => {
      if (t.number === 0) { await firstDone; t.report(1, 0); t.shouldPrune(); return 1; }
      return 0; // trial 1 completes while trial 0 is still running
    }, { nTrials: 2, concurrency: 2, callbacks: [(_, ft) => { if (ft.number === 1) release(); }] });
    expect(seen).toEqual([1]); // trial 0's pruner saw trial 1, which started and finished later
  });

  it('runs exactly nTrials when concurrency exceeds it, and stops claiming after stop()', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    let running = 0, peak = 0;
    await study.optimize(async (t) => {
      running++; peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return t.suggestFloat('x', 0, 1);
    }, { nTrials: 2, concurrency: 8 });
    expect(study.trials).toHaveLength(2);
    expect(peak).toBe(2);
    await study.optimize((t) => { if (t.number === 3) study.stop(); return 0; }, { nTrials: 10, concurrency: 1 });
    expect(study.trials).toHaveLength(4);
  });

  it('rejects bad optimize options with typed errors, before any trial starts', async () => {
    const study = await createStudy();
    const f = (t: sg.tune.Trial) => t.suggestFloat('x', 0, 1);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ nTrials: 'abc' }, /optimize: nTrials must be an integer ≥ 1, got "abc"/],
      [{ nTrials: NaN }, /nTrials must be an integer ≥ 1, got NaN/],
      [{ nTrials: 2.5 }, /nTrials must be an integer ≥ 1, got 2\.5/],
      [{ nTrials: 0 }, /nTrials must be an integer ≥ 1, got 0/],
      [{ timeout: NaN }, /optimize: timeout \(seconds\) must be a finite number > 0, got NaN/],
      [{ nTrials: 1, timeout: -1 }, /timeout \(seconds\) must be a finite number > 0, got -1/],
      [{ nTrials: 1, concurrency: 1.5 }, /concurrency must be an integer ≥ 1, got 1\.5/],
      [{ nTrials: 1, trialTimeout: NaN }, /trialTimeout \(seconds\) must be a finite number > 0, got NaN/],
      [{ nTrials: 1, catch: 'no' }, /catch must be a boolean, got no/],
      [{ nTrials: 1, callbacks: [1] }, /callbacks must be an array of functions/],
      [{}, /optimize needs nTrials or timeout/],
    ];
    for (const [opts, msg] of bad) {
      const e = await study.optimize(f, opts as sg.tune.OptimizeOptions).then(() => null, (x: unknown) => x as Error);
      expect(e, JSON.stringify(opts)).toBeInstanceOf(/callbacks|catch/.test(msg.source) ? TypeError : RangeError);
      expect(e!.message).toMatch(msg);
    }
    await expect(study.optimize(f, null as unknown as sg.tune.OptimizeOptions)).rejects.toThrow(TypeError);
    expect(study.trials).toHaveLength(0);
  });

  it('fails an in-process trial past trialTimeout, abandons its promise and goes on', async () => {
    const study = await createStudy();
    const t0 = Date.now();
    await study.optimize((t) => (t.number === 0 ? new Promise<number>(() => undefined) : t.suggestFloat('x', 0, 1)),
      { nTrials: 3, trialTimeout: 0.05, timeout: 30 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(study.trials.map((t) => t.state)).toEqual(['FAIL', 'COMPLETE', 'COMPLETE']);
    expect(study.trials[0]!.failReason).toBe('TrialTimeout: trial 0 exceeded trialTimeout 0.05 s; its objective was abandoned ' +
      '(it may still be running: give it a way to stop, or run trials in workers)');
    // A late write of the abandoned objective is refused: the finished trial stays as it was.
    let late!: sg.tune.Trial;
    await study.optimize((t) => { late = t; return new Promise<number>(() => undefined); }, { nTrials: 1, trialTimeout: 0.01 });
    late.report(1, 0);
    await new Promise((r) => setTimeout(r, 10));
    await study.refresh();
    expect(study.trials[3]!.state).toBe('FAIL');
    expect(study.trials[3]!.intermediateValues).toEqual({});
  });

  it('refuses a second study of the same name unless loadIfExists', async () => {
    const storage = new sg.tune.InMemoryStorage();
    const a = await createStudy({ storage, studyName: 's' });
    await a.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    await expect(createStudy({ storage, studyName: 's' })).rejects.toThrow(/already exists/);
    const b = await createStudy({ storage, studyName: 's', loadIfExists: true });
    expect(b.trials).toHaveLength(3);
  });

  it('InMemoryStorage shares one frozen copy of a finished trial; a running one is copied per read', async () => {
    const storage = new sg.tune.InMemoryStorage();
    const study = await createStudy({ storage, studyName: 'f' });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    const running = await storage.createTrial(study.studyId);
    const [a, b] = [await storage.getAllTrials(study.studyId), await storage.getAllTrials(study.studyId)];
    expect(a[0]).toBe(b[0]);
    expect(Object.isFrozen(a[0]!.params) && Object.isFrozen(a[0]!.values)).toBe(true);
    expect(() => { (a[0]!.params as Record<string, number>).x = 2; }).toThrow(TypeError);
    expect(a[2]).not.toBe(b[2]);
    a[2]!.userAttrs.mine = 1; // a running trial's copy belongs to its reader
    expect((await storage.getAllTrials(study.studyId))[2]!.userAttrs).toEqual({});
    await storage.finishTrial(running.trialId, 'FAIL', null, 'x');
    expect((await storage.getAllTrials(study.studyId))[2]!.state).toBe('FAIL');
  });
});
