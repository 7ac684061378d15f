// createStudy's defaults, as Optuna's: TPESampler and MedianPruner for one objective (NSGAIISampler
// and no pruning for several); unseeded samplers draw a fresh seed (two unseeded studies in two
// processes differ) while a seed reproduces a study; failed trials are logged ("Trial N failed with
// parameters: … because of the following error: …") unless logger is false; a sampler or pruner
// that cannot serve the study, and bad options, are refused before the storage is touched.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

const { createStudy, TPESampler, MedianPruner, RandomSampler, NopPruner, QMCSampler, InMemoryStorage } = sg.tune;
const objective = (t: sg.tune.Trial) => (t.suggestFloat('x', -3, 3) - 1) ** 2 + t.suggestInt('n', 1, 8);

/** The first trials' params of an unseeded default study, in a fresh Node process. */
function paramsInChild(): string {
  const src = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
  const code = `import * as sg from ${JSON.stringify(src)};
    const s = await sg.tune.createStudy({ logger: false });
    await s.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    console.log(JSON.stringify(s.trials.map((t) => t.params)));`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' }).trim();
}

describe('createStudy defaults', () => {
  it('uses TPESampler and MedianPruner for one objective, NSGAIISampler and no pruning for several', async () => {
    const one = await createStudy();
    expect(one.sampler).toBeInstanceOf(TPESampler);
    expect(one.pruner).toBeInstanceOf(MedianPruner);
    const two = await createStudy({ directions: ['minimize', 'maximize'] });
    expect(two.sampler).toBeInstanceOf(sg.tune.NSGAIISampler);
    expect(two.pruner).toBeInstanceOf(NopPruner);
  });

  it('draws a fresh seed when unseeded (two processes differ); a seed reproduces the study bit for bit', async () => {
    const [a, b] = [paramsInChild(), paramsInChild()];
    expect(JSON.parse(a)).toHaveLength(3);
    expect(a).not.toBe(b);
    const run = async (opts: sg.tune.CreateStudyOptions) => {
      const s = await createStudy(opts);
      await s.optimize(objective, { nTrials: 14 }); // past TPE's 10 startup trials
      return s.trials.map((t) => t.params);
    };
    const seeded = await run({ seed: 5 });
    expect(await run({ seed: 5 })).toEqual(seeded);
    expect(await run({ sampler: new TPESampler({ seed: 5 }) })).toEqual(seeded); // the default is TPESampler({ seed })
    expect(await run({ seed: 6 })).not.toEqual(seeded);
    for (const S of [TPESampler, RandomSampler, QMCSampler]) {
      const x = new S(), y = new S();
      expect(Number.isSafeInteger(x.seed)).toBe(true);
      expect(x.seed).not.toBe(y.seed);
      expect(new S({ seed: 9 }).seed).toBe(9);
      expect(() => new S({ seed: 'abc' as unknown as number })).toThrow(/seed must be a safe integer, got "abc"/);
    }
  });

  it('logs each failed trial with its number, parameters and the first line of the error; logger: false is quiet', async () => {
    const lines: string[] = [];
    const s = await createStudy({ sampler: new RandomSampler({ seed: 1 }), logger: (m) => lines.push(m) });
    await s.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1);
      if (t.number === 1) throw new RangeError('bad x\nsecond line');
      return t.number === 2 ? NaN : x;
    }, { nTrials: 3 });
    const x1 = JSON.stringify(s.trials[1]!.params);
    expect(lines).toEqual([
      `Trial 1 failed with parameters: ${x1} because of the following error: RangeError: bad x`,
      `Trial 2 failed with parameters: ${JSON.stringify(s.trials[2]!.params)} because of the following error: objective returned NaN (NaN or not a number)`,
    ]);
    const warn = console.warn;
    const warned: unknown[] = [];
    console.warn = (m: unknown) => { warned.push(m); };
    try {
      const byDefault = await createStudy();
      await byDefault.optimize(() => { throw new Error('boom'); }, { nTrials: 1 });
      const quiet = await createStudy({ logger: false });
      await quiet.optimize(() => { throw new Error('hush'); }, { nTrials: 1 });
    } finally {
      console.warn = warn;
    }
    expect(warned).toEqual(['Trial 0 failed with parameters: {} because of the following error: Error: boom']);
  });

  it('refuses a sampler or pruner that cannot serve the study, before creating it', async () => {
    const storage = new InMemoryStorage();
    const multi = { storage, studyName: 'mo', directions: ['minimize', 'minimize'] as sg.tune.Direction[] };
    const singleOnly: sg.tune.Sampler = {
      sampleIndependent: () => 0,
      checkStudy: (s) => { if (s.directions.length > 1) throw new RangeError('SingleSampler supports single-objective studies only'); },
    };
    await expect(createStudy({ ...multi, sampler: singleOnly })).rejects.toThrow(/SingleSampler supports single-objective studies only/);
    await expect(createStudy({ ...multi, sampler: new RandomSampler(), pruner: new MedianPruner() }))
      .rejects.toThrow(/MedianPruner does not support multi-objective studies \(2 directions\)/);
    await expect(createStudy({ ...multi, pruner: new sg.tune.HyperbandPruner() })).rejects.toThrow(/HyperbandPruner does not support/);
    expect(await storage.loadStudy('mo')).toBeNull();
    await createStudy({ ...multi, sampler: new QMCSampler({ seed: 1 }) }); // QMC serves several objectives, as TPE does now
    expect(await storage.loadStudy('mo')).not.toBeNull();
  });

  it('rejects bad options with typed errors naming the option and value', async () => {
    const storage = new InMemoryStorage();
    const bad: Array<[Record<string, unknown>, ErrorConstructor, RegExp]> = [
      [{ direction: 'up' }, RangeError, /createStudy: direction must be one of 'minimize', 'maximize', got "up"/],
      [{ directions: ['minimize', 'down'] }, RangeError, /directions\[1\] must be one of/],
      [{ directions: [] }, RangeError, /directions must be a non-empty array/],
      [{ direction: 'minimize', directions: ['minimize'] }, RangeError, /give direction or directions, not both/],
      [{ seed: 'abc' }, RangeError, /createStudy: seed must be a safe integer, got "abc"/],
      [{ seed: 1.5 }, RangeError, /seed must be a safe integer, got 1\.5/],
      [{ studyName: 3 }, TypeError, /studyName must be a non-empty string, got 3/],
      [{ loadIfExists: 'yes' }, TypeError, /loadIfExists must be a boolean/],
      [{ sampler: {} }, TypeError, /sampler must be a Sampler/],
      [{ pruner: 'median' }, TypeError, /pruner must be a Pruner/],
      [{ storage: 5 }, TypeError, /storage must be a Storage, a postgresql:\/\/ URL or a journal file path, got 5/],
      [{ logger: 'loud' }, TypeError, /logger must be a function/],
    ];
    for (const [opts, Type, msg] of bad) {
      const e = await createStudy({ storage, studyName: 'x', ...opts } as sg.tune.CreateStudyOptions).then(() => null, (x: unknown) => x as Error);
      expect(e, JSON.stringify(opts)).toBeInstanceOf(Type);
      expect(e!.message).toMatch(msg);
    }
    expect(await storage.loadStudy('x')).toBeNull();
  });
});
