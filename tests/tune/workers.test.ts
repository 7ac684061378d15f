// Trials in worker threads: each worker has its own simdgrad instance, suggestions come from the
// main thread's sampler (Grid, TPE work unchanged), and a worker that exits, runs out of memory,
// hangs past trialTimeout, throws, or cannot load its module fails only its trial and is replaced.
// SIGINT stops the study cleanly, keeping completed trials. Each worker's kernels run on its share
// of the cores, floor(cores / concurrent workers).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

const { createStudy, GridSampler, TPESampler } = sg.tune;
const objectives = new URL('./fixtures/objectives.ts', import.meta.url);

describe('optimize in worker threads', () => {
  it('runs a grid in two workers with their own simdgrad, and stops when the grid is done', async () => {
    const study = await createStudy({ sampler: new GridSampler({ x: [0, 1], n: [0], opt: ['adam', 'sgd'] }) });
    await study.optimize({ module: objectives, export: 'quadratic' }, { nTrials: 10, concurrency: 2 });
    const trials = study.trials;
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3]);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(new Set(trials.map((t) => `${t.params.x}/${t.params.opt}`)).size).toBe(4);
    expect(new Set(trials.map((t) => t.userAttrs.thread)).size).toBe(2);
    expect(trials.every((t) => typeof t.userAttrs.backend === 'string')).toBe(true);
    expect(study.bestParams).toEqual({ x: 1, n: 0, opt: 'adam' });
    expect(study.bestValue).toBeCloseTo(0, 6);
    for (const t of trials) expect(t.intermediateValues[0]).toBeCloseTo((Number(t.params.x) - 1) ** 2, 6);
  });

  it("gives each worker floor(cores / concurrent workers) kernel threads (at least 1) for 'auto'", async () => {
    const { availableParallelism } = await import('node:os');
    const cores = availableParallelism();
    const threadsOf = new URL('./fixtures/threads-objective.ts', import.meta.url);
    for (const [concurrency, nTrials] of [[1, 1], [2, 2], [4, 2], [3, 3]] as const) {
      const study = await createStudy({ sampler: new sg.tune.RandomSampler({ seed: 1 }) });
      await study.optimize({ module: threadsOf, export: 'kernelThreads' }, { nTrials, concurrency });
      const want = Math.max(1, Math.floor(cores / Math.min(concurrency, nTrials)));
      expect(study.trials.map((t) => t.value), `concurrency ${concurrency}, ${nTrials} trials`).toEqual(new Array(nTrials).fill(want));
    }
  }, 120_000);

  it('runs exactly nTrials, in as many workers, when concurrency exceeds nTrials', async () => {
    const study = await createStudy({ sampler: new sg.tune.RandomSampler({ seed: 2 }) });
    await study.optimize({ module: objectives, export: 'quadratic' }, { nTrials: 2, concurrency: 8 });
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
    expect(new Set(study.trials.map((t) => t.userAttrs.thread)).size).toBeLessThanOrEqual(2);
  });

  it('works with TPE (constant liar over running trials) and async objectives', async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 3, nStartupTrials: 2 }) });
    await study.optimize({ module: objectives.href, export: 'slow' }, { nTrials: 6, concurrency: 2 });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(6);
    // Two trials at a time: some overlap in time.
    const ts = study.trials;
    expect(ts.some((a) => ts.some((b) => a !== b && a.datetimeStart! < b.datetimeStart! && b.datetimeStart! < a.datetimeComplete!))).toBe(true);
  });

  it('runs multi-objective studies (NSGA-II) whose trials set constraints from the worker', async () => {
    const study = await createStudy({ directions: ['minimize', 'minimize'], sampler: new sg.tune.NSGAIISampler({ seed: 1, populationSize: 4 }) });
    await study.optimize({ module: objectives, export: 'twoObjectives' }, { nTrials: 10, concurrency: 2 });
    expect(study.trials.map((t) => t.state)).toEqual(new Array(10).fill('COMPLETE'));
    for (const t of study.trials) {
      expect(t.values).toEqual([(t.params.x as number) ** 2, ((t.params.x as number) - 2) ** 2]);
      expect(t.systemAttrs.constraints).toEqual([(t.params.x as number) - 1.5]);
      expect(t.systemAttrs['nsga2:generation']).toBeTypeOf('number');
    }
    expect(study.bestTrials.length).toBe(study.trials.filter((t) => (t.params.x as number) <= 1.5).length);
  });

  it('fails only the trial of a worker that exits, runs out of memory, hangs or throws', async () => {
    const study = await createStudy();
    const modes = ['exit', 'oom', 'hang', 'throw', 'prune', 'bad-range', 'ok'];
    for (const mode of modes) await study.enqueueTrial({ mode });
    await study.optimize({ module: objectives, export: 'chaos' }, {
      nTrials: modes.length, concurrency: 2, trialTimeout: 8, resourceLimits: { maxOldGenerationSizeMb: 48 },
    });
    const byMode = Object.fromEntries(study.trials.map((t) => [t.params.mode as string, t]));
    expect(byMode.exit!.failReason).toMatch(/exited with code 3/);
    expect(byMode.oom!.failReason).toMatch(/ERR_WORKER_OUT_OF_MEMORY/);
    expect(byMode.hang!.failReason).toMatch(/exceeded trialTimeout 8 s/);
    expect(byMode.throw!.failReason).toBe('RangeError: bad thing');
    expect(byMode['bad-range']!.failReason).toMatch(/low 2 > high 1/);
    expect(byMode.prune!.state).toBe('PRUNED');
    expect(byMode.prune!.value).toBe(7);
    expect(byMode.ok!.state).toBe('COMPLETE');
    expect(study.trials.filter((t) => t.state === 'FAIL')).toHaveLength(5);
  });

  it('refuses to start when the module cannot load or lacks the export, and validates its options', async () => {
    const study = await createStudy();
    const refused = (module: URL | string, name: string) => study.optimize({ module, export: name }, { nTrials: 3 });
    await expect(refused(new URL('./fixtures/top-level-throw.ts', import.meta.url), 'objective'))
      .rejects.toThrow(expect.objectContaining({ name: 'ObjectiveModuleError', message: expect.stringMatching(/failed to load: top-level boom/) }));
    await expect(refused(objectives, 'nope')).rejects.toThrow(/has no function export 'nope' \(found: .*quadratic/);
    await expect(refused(new URL('./fixtures/missing.mjs', import.meta.url), 'objective')).rejects.toThrow(sg.tune.ObjectiveModuleError);
    expect(study.trials).toHaveLength(0); // nothing was started
    await expect(study.optimize({ module: objectives, export: 'chaos' }, { nTrials: 1, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(study.optimize({ module: objectives, export: 'chaos' }, { nTrials: 1, trialTimeout: -1 })).rejects.toThrow(/trialTimeout/);
    await expect(study.optimize({ module: objectives }, {})).rejects.toThrow(/nTrials or timeout/);
  });

  it('stops on SIGINT: running trials fail as interrupted, completed ones stay', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/sigint-child.ts', import.meta.url))], {
      env: { ...process.env, SLOW_MS: '200' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    child.stderr.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if ((out.match(/^done /gm) ?? []).length >= 2) resolve();
      });
      void exited.then(() => reject(new Error(`child exited early: ${err}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const trials = JSON.parse(out.trim().split('\n').at(-1)!) as Array<{ number: number; state: string; failReason: string | null }>;
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    const failed = trials.filter((t) => t.state === 'FAIL');
    expect(complete.length).toBeGreaterThanOrEqual(2);
    expect(failed.length).toBeLessThanOrEqual(2);
    expect(failed.every((t) => /interrupted by SIGINT/.test(t.failReason!))).toBe(true);
    expect(complete.length + failed.length).toBe(trials.length);
  });
});
