// The CLI's search space (src/cli/mlp-space.ts, search-space.ts, mlp-grid.ts, mlp-model.ts), in
// process: every hyperparameter this field tunes parses; trials drawn by a real study respect the
// conditions (width_i only when layers > i, each optimizer's and schedule's options only with it);
// fixed values are used but not searched; every mistake is a SearchSpaceError naming the key;
// flat parameters round-trip; the default grid has its 384 points and a range without a step is
// refused by name; the built model has the counted parameters and the configured optimizer.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { DEFAULT_GRID, DEFAULT_SPACE, flatParams, mlpConfig, parseMlpSpace, suggestMlp, type MlpConfig, type MlpSpace } from '../../src/cli/mlp-space.js';
import { SearchSpaceError } from '../../src/cli/search-space.js';
import { mlpGrid } from '../../src/cli/mlp-grid.js';
import { buildMlp, buildOptimizer, mlpParamCount } from '../../src/cli/mlp-model.js';
import { CliError } from '../../src/cli/cli-error.js';

beforeAll(async () => { await sg.init(); });

const EVERYTHING = {
  layers: { type: 'int', low: 1, high: 3 },
  width: { type: 'int', low: 8, high: 64, log: true },
  width_0: { type: 'categorical', choices: [100, 200] },
  activation: { type: 'categorical', choices: ['relu', 'gelu', 'tanh', 'silu', 'leakyRelu'] },
  dropout: { type: 'float', low: 0, high: 0.5 },
  optimizer: { type: 'categorical', choices: ['sgd', 'sgd+momentum', 'adam', 'adamw', 'rmsprop'] },
  lr: { type: 'float', low: 1e-4, high: 0.1, log: true },
  weightDecay: { type: 'float', low: 0, high: 0.01 },
  batchSize: { type: 'categorical', choices: [16, 64] },
  momentum: { type: 'float', low: 0.5, high: 0.99 },
  nesterov: { type: 'categorical', choices: [true, false] },
  beta1: { type: 'float', low: 0.8, high: 0.95 },
  beta2: 0.99,
  eps: { type: 'float', low: 1e-9, high: 1e-6, log: true },
  alpha: { type: 'float', low: 0.9, high: 0.999 },
  centered: { type: 'categorical', choices: [true, false] },
  schedule: { type: 'categorical', choices: ['constant', 'cosine', 'step', 'exponential'] },
  gamma: { type: 'float', low: 0.5, high: 1 },
  stepSize: { type: 'int', low: 1, high: 5 },
};

/** The configurations and params of `n` trials of a seeded random study over the space. */
async function draw(space: MlpSpace, n: number): Promise<Array<{ c: MlpConfig; params: Record<string, unknown> }>> {
  const study = await sg.tune.createStudy({ sampler: new sg.tune.RandomSampler({ seed: 4 }), logger: false });
  const out: Array<{ c: MlpConfig; params: Record<string, unknown> }> = [];
  await study.optimize((t) => { out.push({ c: suggestMlp(t, space), params: {} }); return 0; }, { nTrials: n });
  study.trials.forEach((t, i) => { out[i]!.params = t.params; });
  return out;
}

describe('search space', () => {
  it('draws every hyperparameter with its conditions: widths per existing layer, options per optimizer and schedule', async () => {
    const runs = await draw(parseMlpSpace(EVERYTHING), 120);
    const seen = new Set<string>();
    for (const { c, params } of runs) {
      const keys = Object.keys(params);
      keys.forEach((k) => seen.add(`${k}`));
      expect(c.widths).toHaveLength(c.layers);
      expect(keys.filter((k) => k.startsWith('width_')).sort()).toEqual(Array.from({ length: c.layers }, (_, i) => `width_${i}`));
      expect([100, 200]).toContain(c.widths[0]); // width_0's own distribution overrides width
      c.widths.slice(1).forEach((w) => expect(w >= 8 && w <= 64).toBe(true));
      expect('momentum' in params).toBe(c.optimizer === 'sgd+momentum' || c.optimizer === 'rmsprop');
      expect('nesterov' in params).toBe(c.optimizer === 'sgd+momentum');
      expect('beta1' in params).toBe(c.optimizer === 'adam' || c.optimizer === 'adamw');
      expect(['alpha' in params, 'centered' in params]).toEqual([c.optimizer === 'rmsprop', c.optimizer === 'rmsprop']);
      expect('eps' in params).toBe(c.optimizer !== 'sgd' && c.optimizer !== 'sgd+momentum');
      expect('gamma' in params).toBe(c.schedule === 'step' || c.schedule === 'exponential');
      expect('stepSize' in params).toBe(c.schedule === 'step');
      // a fixed value is used but never searched
      expect('beta2' in params).toBe(false);
      expect(c.beta2).toBe(c.optimizer === 'adam' || c.optimizer === 'adamw' ? 0.99 : undefined);
      // each configuration reads back from its flat parameters
      expect(mlpConfig(flatParams(c))).toEqual(c);
    }
    expect([...seen].sort()).toEqual(['activation', 'alpha', 'batchSize', 'beta1', 'centered', 'dropout', 'eps', 'gamma', 'layers', 'lr',
      'momentum', 'nesterov', 'optimizer', 'schedule', 'stepSize', 'weightDecay', 'width_0', 'width_1', 'width_2']);
  });

  it('draws one width for every layer with perLayer: false, and fills in the defaults', async () => {
    const runs = await draw(parseMlpSpace({ layers: { type: 'int', low: 2, high: 3 }, width: { type: 'int', low: 4, high: 9, perLayer: false } }), 10);
    for (const { c, params } of runs) {
      expect(Object.keys(params).sort()).toEqual(['layers', 'width']);
      expect(new Set(c.widths).size).toBe(1);
      expect(c).toMatchObject({ activation: 'relu', optimizer: 'adam', lr: 1e-3, batchSize: 32, dropout: 0, weightDecay: 0, schedule: 'constant', beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    }
    expect(mlpConfig({})).toEqual({ model: 'mlp', layers: 1, widths: [128], activation: 'relu', dropout: 0, optimizer: 'adam', lr: 1e-3, weightDecay: 0, batchSize: 32, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: 'constant' });
  });

  it('names the key at fault in every mistake', () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ hidden: { type: 'int', low: 8, high: 64 } }, 'hidden', /is not a hyperparameter of the MLP \(known: layers, width, width_0 … width_7, activation/],
      [{ activation: { type: 'categorical', choices: ['relu', 'swish'] } }, 'activation', /must be one of relu, gelu, tanh, silu, leakyRelu, got "swish"/],
      [{ optimizer: 'adagrad' }, 'optimizer', /must be one of sgd, sgd\+momentum, adam, adamw, rmsprop/],
      [{ layers: { type: 'int', low: 1, high: 2 }, width_2: 32 }, 'width_2', /never exists: 'layers' is at most 2/],
      [{ optimizer: { type: 'categorical', choices: ['adam', 'sgd'] }, momentum: 0.9 }, 'momentum', /applies only to the optimizers sgd\+momentum, rmsprop, and 'optimizer' allows adam, sgd/],
      [{ gamma: 0.5 }, 'gamma', /applies only to the schedules step, exponential, and 'schedule' allows constant/],
      [{ dropout: { type: 'float', low: 0, high: 1 } }, 'dropout', /must be a number in \[0, 1\), got 1/],
      [{ width: { type: 'float', low: 8, high: 64 } }, 'width', /counts something: give an int range \(type 'int'\) or choices/],
      [{ width: { type: 'int', low: 0, high: 64 } }, 'width', /must be an integer in \[1, 65536\], got 0/],
      [{ batchSize: { type: 'categorical', choices: [16, 2.5] } }, 'batchSize', /must be an integer in \[1, 1048576\], got 2.5/],
      [{ width: { type: 'int', low: 8, high: 64, perLayer: 'yes' } }, 'width', /'perLayer' that is not true or false/],
      [{ lr: { type: 'float', low: 0, high: 1, log: true } }, 'lr', /log scale, which needs low > 0, got 0/],
      [{ lr: { type: 'uniform', low: 0, high: 1 } }, 'lr', /has type "uniform"/],
      [{ lr: { type: 'float', low: 1e-3, high: 1, steps: 3 } }, 'lr', /unknown key 'steps'/],
      [{ batchSize: [16, 32] }, 'batchSize', /must be an object with a "type" or a fixed value/],
      [{ nesterov: { type: 'categorical', choices: ['yes'] }, optimizer: 'sgd+momentum' }, 'nesterov', /must be true or false, got "yes"/],
    ];
    for (const [raw, key, message] of cases) {
      let err: unknown;
      try { parseMlpSpace(raw); } catch (e) { err = e; }
      expect(err, key).toBeInstanceOf(SearchSpaceError);
      expect((err as SearchSpaceError).key).toBe(key);
      expect((err as Error).message).toMatch(new RegExp(`^search space: parameter '${key}' `));
      expect((err as Error).message).toMatch(message);
    }
    expect(() => parseMlpSpace([])).toThrow(CliError);
    expect(() => parseMlpSpace({})).toThrow(/no parameters/);
  });

  it('checks flat parameters (a --params file) with the same conditions', () => {
    expect(mlpConfig({ layers: 2, width_0: 64, width_1: 32, optimizer: 'sgd+momentum', momentum: 0.8 })).toMatchObject({ widths: [64, 32], momentum: 0.8, nesterov: false });
    expect(() => mlpConfig({ optimizer: 'adam', momentum: 0.9 }, 'best.json')).toThrow("best.json: 'momentum' does not apply to optimizer 'adam' (it applies to sgd+momentum, rmsprop)");
    expect(() => mlpConfig({ layers: 1, width_1: 8 })).toThrow("'width_1' is given but layers is 1");
    expect(() => mlpConfig({ hidden: 8 })).toThrow(/'hidden' is not a hyperparameter/);
    expect(() => mlpConfig({ lr: -1 })).toThrow("parameters: 'lr' must be a number > 0, got -1");
    expect(() => mlpConfig({ schedule: 'cosine', stepSize: 3 })).toThrow(/'stepSize' does not apply to schedule 'cosine'/);
  });
});

describe('grid', () => {
  it('searches the default grid (384 points) and refuses a range without a step by name', async () => {
    const grid = mlpGrid(DEFAULT_GRID);
    expect(Object.values(grid).reduce((n, v) => n * v.length, 1)).toBe(384);
    expect(() => mlpGrid(DEFAULT_SPACE)).toThrow("--sampler grid: parameter 'width' is a log-scale int range; give it a 'step' or make it categorical with 'choices'");
    expect(() => mlpGrid(parseMlpSpace({ lr: { type: 'float', low: 0.1, high: 1 } }))).toThrow(/parameter 'lr' is a float range/);
    expect(() => mlpGrid(parseMlpSpace({ width: { type: 'int', low: 1, high: 1000 }, lr: { type: 'float', low: 0.001, high: 1, step: 0.001 } }))).toThrow(/1,000,000 grid points \(at most 100,000\)/);
    // a small conditional grid runs every point once: layers 1–2 × width 4, 8 per layer × two optimizers
    const space = parseMlpSpace({ layers: { type: 'int', low: 1, high: 2 }, width: { type: 'int', low: 4, high: 8, step: 4 }, optimizer: { type: 'categorical', choices: ['adam', 'sgd+momentum'] }, momentum: 0.5 });
    const study = await sg.tune.createStudy({ sampler: new sg.tune.GridSampler(mlpGrid(space), { seed: 1 }), logger: false });
    const seen: string[] = [];
    await study.optimize((t) => { seen.push(JSON.stringify(suggestMlp(t, space))); return 0; }, { nTrials: 100 });
    expect(seen).toHaveLength(16); // 2 layers × 2 × 2 widths × 2 optimizers: the grid ends the study
    expect(new Set(seen).size).toBe(12); // a 1-layer trial ignores width_1: 2·2 + 2·4 distinct configurations
  });
});

describe('model', () => {
  it('has the counted parameters and the configured optimizer', () => {
    // 64 → 128 → 10: 64·128 + 128 + 128·10 + 10
    expect(mlpParamCount(64, 10, mlpConfig({}))).toBe(9610);
    for (const p of [{}, { layers: 3, width_0: 7, width_1: 5, width_2: 3, dropout: 0.5 }, { layers: 2, width: 9, activation: 'gelu' }]) {
      const c = mlpConfig(p), m = buildMlp(13, 4, c, 0);
      expect(m.numParameters()).toBe(mlpParamCount(13, 4, c));
      m.dispose();
    }
    const cases: Array<[Record<string, unknown>, string, Record<string, unknown>]> = [
      [{ optimizer: 'sgd' }, 'SGD', { momentum: 0 }],
      [{ optimizer: 'sgd+momentum', momentum: 0.7, nesterov: true }, 'SGD', { momentum: 0.7, nesterov: true }],
      [{ optimizer: 'adamw', beta1: 0.85, weightDecay: 0.01 }, 'AdamW', { betas: [0.85, 0.999], weightDecay: 0.01 }],
      [{ optimizer: 'rmsprop', alpha: 0.9, centered: true, momentum: 0.3 }, 'RMSprop', { alpha: 0.9, centered: true, momentum: 0.3 }],
    ];
    for (const [p, name, options] of cases) {
      const m = buildMlp(3, 2, mlpConfig({}), 0), opt = buildOptimizer(m, mlpConfig(p));
      expect(opt.constructor.name).toBe(name);
      expect(opt.stateDict().groups[0]!.options).toMatchObject(options);
      opt.dispose(); m.dispose();
    }
  });
});
