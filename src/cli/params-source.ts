// Where `simdgrad train` takes its hyperparameters from: a --params JSON file — the document
// `simdgrad tune --json` prints (its bestConfig, else its bestParams) or a plain object of
// parameters (`{"layers": 2, "width_0": 128, …}`, optionally with "epochs") — or the best
// COMPLETE trial of a stored study (--from-study STORAGE --study NAME: a journal file or a
// postgresql:// URL; the trial's `config` user attribute, else its parameters; by the first
// objective). Contract: a missing or unreadable file, JSON that is not an object, a study that is
// not there or has no COMPLETE trial is a CliError naming it; the parameters themselves are
// checked by mlpConfig (mlp-space.ts). Nothing is written to the storage.
import { access, readFile } from 'node:fs/promises';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';

export interface ParamsSource {
  params: Record<string, unknown>;
  /** The epochs the configuration was tuned with, when the source says. */
  epochs?: number;
  /** Where they came from, for messages. */
  from: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Splits "epochs" off a parameter record. */
function withEpochs(p: Record<string, unknown>, from: string): ParamsSource {
  const { epochs, ...params } = p;
  if (epochs === undefined) return { params, from };
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1) throw new CliError(`${from}: 'epochs' must be an integer ≥ 1, got ${JSON.stringify(epochs)}`);
  return { params, epochs, from };
}

/**
 * The parameters of a --params file.
 * @example const { params, epochs } = await paramsFromFile('best.json'); // from `simdgrad tune --json > best.json`
 */
export async function paramsFromFile(path: string): Promise<ParamsSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError((e as { code?: string }).code === 'ENOENT' ? `--params: no such file: ${path}` : `--params ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new CliError(`--params ${path}: not valid JSON (${(e as Error).message})`); }
  if (!isObject(raw)) throw new CliError(`--params ${path}: expected a JSON object of hyperparameters or a \`simdgrad tune --json\` document`);
  if ('bestConfig' in raw || 'bestParams' in raw) {
    const key = isObject(raw.bestConfig) ? 'bestConfig' : 'bestParams', best = raw[key];
    if (!isObject(best)) throw new CliError(`--params ${path}: the tune document has no best trial (bestParams is ${JSON.stringify(best)})`);
    return withEpochs(best, `${path} (${key})`);
  }
  return withEpochs(raw, path);
}

/** The best trial's configuration in a stored study. */
export async function paramsFromStudy(spec: string, name: string): Promise<ParamsSource> {
  if (!/^postgres(ql)?:\/\//i.test(spec)) {
    await access(spec).catch(() => { throw new CliError(`--from-study: no such file: ${spec}`); });
  }
  const storage = await sg.tune.openStorage(spec);
  try {
    const rec = await storage.loadStudy(name);
    if (!rec) throw new CliError(`--from-study ${spec}: no study named '${name}'`);
    const sign = rec.directions[0] === 'maximize' ? -1 : 1;
    const done = (await storage.getAllTrials(rec.studyId, { states: ['COMPLETE'] })).filter((t) => t.values?.[0] !== undefined);
    if (!done.length) throw new CliError(`--from-study ${spec}: study '${name}' has no COMPLETE trial`);
    const best = done.reduce((b, t) => (sign * t.values![0]! < sign * b.values![0]! ? t : b));
    const config = best.userAttrs.config;
    const from = `trial #${best.number} of study '${name}' (value ${best.values![0]}${rec.directions.length > 1 ? ', best by the first objective' : ''})`;
    return withEpochs(isObject(config) ? config : { ...best.params }, from);
  } finally {
    await storage.close?.();
  }
}
