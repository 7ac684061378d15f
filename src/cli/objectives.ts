// `simdgrad tune --objectives`: what a sweep can optimize besides the task's score. The first
// objective is the score (accuracy for a classification, r2 for a regression; maximized), then
// distinct names among the costs: the model's parameter count and its training time (minimized).
// Contract: a mistake throws CliError naming the list and the name at fault.
import type * as sg from '../index.js';
import { CliError } from './cli-error.js';

/** Every name `--objectives` accepts. */
export const OBJECTIVES = ['accuracy', 'r2', 'params', 'time'] as const;
export type ObjectiveName = typeof OBJECTIVES[number];

/** The list in order (default: the score alone), checked against the task's metric. */
export function parseObjectives(list: string | undefined, metric: 'accuracy' | 'r2'): ObjectiveName[] {
  if (list === undefined) return [metric];
  const names = list.split(',').map((n) => n.trim());
  for (const n of names) if (!OBJECTIVES.includes(n as ObjectiveName)) throw new CliError(`--objectives ${list}: '${n}' is not one of ${OBJECTIVES.join(', ')}`);
  if (new Set(names).size !== names.length) throw new CliError(`--objectives ${list}: an objective is named twice`);
  if (names[0] !== metric) throw new CliError(`--objectives ${list}: the first objective must be the task's score, ${metric} (e.g. ${metric},params or ${metric},time)`);
  if (names.slice(1).some((n) => n === 'accuracy' || n === 'r2')) throw new CliError(`--objectives ${list}: after ${metric}, only params and time can follow`);
  return names as ObjectiveName[];
}

/** The score is maximized, the costs minimized. */
export function objectiveDirections(names: readonly ObjectiveName[]): sg.tune.Direction[] {
  return names.map((n) => (n === 'params' || n === 'time' ? 'minimize' : 'maximize'));
}
