// The one place the CLI turns `--sampler <name>` into a sampler, for `tune` and `worker` alike.
// `shared` seeds the samplers every process must run alike (a grid's shuffle, QMC's sequence);
// `own` seeds the others (a worker mixes its process id in, so workers explore differently).
// Contract: an unknown name is a CliError; the grid is read only when the grid sampler is chosen.
import * as sg from '../index.js';
import { CliError } from './cli-error.js';

/** Every name `--sampler` accepts. */
export const SAMPLER_NAMES = ['tpe', 'random', 'qmc', 'grid', 'gp', 'cmaes', 'nsga2'] as const;

/** `--sampler <name>` with its seeds; `grid` supplies the grid sampler's search space. */
export async function makeSampler(name: string, seeds: { shared: number; own: number },
  grid: () => Promise<Record<string, sg.tune.ParamValue[]>> | Record<string, sg.tune.ParamValue[]>): Promise<sg.tune.Sampler> {
  const t = sg.tune, seed = seeds.own;
  switch (name) {
    case 'tpe': return new t.TPESampler({ seed });
    case 'random': return new t.RandomSampler({ seed });
    case 'qmc': return new t.QMCSampler({ seed: seeds.shared });
    case 'gp': return new t.GPSampler({ seed });
    case 'cmaes': return new t.CmaEsSampler({ seed });
    case 'nsga2': return new t.NSGAIISampler({ seed });
    case 'grid': return new t.GridSampler(await grid(), { seed: seeds.shared });
    default: throw new CliError(`unknown sampler '${name}' (one of ${SAMPLER_NAMES.join(', ')})`);
  }
}
