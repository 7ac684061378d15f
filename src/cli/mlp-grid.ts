// mlpGrid: the grid GridSampler searches for an MLP search space (`simdgrad tune --sampler grid`):
// every parameter the trials draw — each width_i of a per-layer width (conditional: a trial with
// fewer layers ignores the rest), each optimizer or schedule option — with its grid values
// (search-space.ts's gridValues: choices, stepped ranges, int ranges by 1). Contract: a float or
// log-scale range without a step is a CliError naming the parameter (give a step or choices); a
// grid of more than MAX_GRID points is a CliError with its size; fixed values are not searched.
import type { tune } from '../index.js';
import { CliError } from './cli-error.js';
import { gridValues } from './search-space.js';
import type { MlpSpace } from './mlp-space.js';

export const MAX_GRID = 100_000;

/**
 * The grid of an MLP search space.
 * @example new sg.tune.GridSampler(mlpGrid(DEFAULT_GRID)) // 384 points
 */
export function mlpGrid(space: MlpSpace): Record<string, tune.ParamValue[]> {
  const { params, widthPerLayer } = space, grid: Record<string, tune.ParamValue[]> = {};
  const layers = params.layers ? gridValues('layers', params.layers) as number[] : [1];
  for (const [name, s] of Object.entries(params)) {
    if (s.type === 'fixed') continue;
    if (name === 'width' && widthPerLayer) {
      for (let i = 0; i < Math.max(...layers); i++) if (!params[`width_${i}`]) grid[`width_${i}`] = gridValues('width', s);
    } else {
      grid[name] = gridValues(name, s);
    }
  }
  const size = Object.values(grid).reduce((n, v) => n * v.length, 1);
  if (size > MAX_GRID) {
    throw new CliError(`--sampler grid: the space has ${size.toLocaleString('en-US')} grid points (at most ${MAX_GRID.toLocaleString('en-US')}): ` +
      `fewer choices or larger steps (${Object.entries(grid).map(([k, v]) => `${k} ${v.length}`).join(', ')})`);
  }
  return grid;
}

/** The grid in one line for the log: "layers 1, 2; width 64, 256; …". */
export function describeGrid(grid: Record<string, tune.ParamValue[]>): string {
  const size = Object.values(grid).reduce((n, v) => n * v.length, 1);
  return `${size} points: ${Object.entries(grid).map(([k, v]) => `${k} ${v.join(', ')}`).join('; ')}`;
}
