// `simdgrad worker`: joins a study in a shared storage (a postgresql:// URL, or a journal file) from
// any host and runs trials of an objective module (`path#export`) in `concurrency` worker threads
// until --trials, --timeout, the sampler's end (a finished grid, nothing enqueued) or a signal.
// The study is created if missing (--direction). Storages with heartbeats (PostgreSQL) beat every
// --heartbeat-interval s; trials silent for --grace-period s are failed by whichever worker asks
// next, and re-enqueued up to --max-retry times. SIGINT/SIGTERM fail the running trials
// ("interrupted by SIGTERM") and exit 130/143 after the storage has recorded them. A missing
// objective module, one that fails to load or lacks the export: one line, exit 2, no trial run.
// Prints one line per finished trial on stdout (`trial <number> <state> <value>`) and a summary on
// stderr.
import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import { makeSampler } from './make-sampler.js';

export interface WorkerOptions {
  storage: string; study: string; objective: string; trials?: number; timeout?: number; concurrency: number;
  direction: string; sampler: string; grid?: string; seed: number; heartbeatInterval: number; gracePeriod?: number;
  maxRetry: number; trialTimeout?: number;
}

/** 'path/to/module.js#export' → its URL and export name (default 'default'). */
export function objectiveSpec(spec: string): { module: string; export: string } {
  const hash = spec.lastIndexOf('#');
  const path = hash < 0 ? spec : spec.slice(0, hash), name = hash < 0 ? 'default' : spec.slice(hash + 1);
  if (!path || !name) throw new CliError(`--objective ${spec}: expected <module>#<export>`);
  return { module: /^[a-z][a-z0-9+.-]+:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : pathToFileURL(resolve(path)).href, export: name };
}

/** The grid of `--sampler grid`: the --grid file, checked by GridSampler. */
async function readGrid(o: WorkerOptions): Promise<Record<string, sg.tune.ParamValue[]>> {
  if (!o.grid) throw new CliError('--sampler grid needs --grid <file.json> ({"name": [values…], …})');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(o.grid, 'utf8'));
  } catch (e) {
    throw new CliError(`--grid ${o.grid}: ${(e as Error).message}`);
  }
  return raw as Record<string, sg.tune.ParamValue[]>;
}

/** --sampler: every worker of a grid or QMC shuffles alike (same seed); the others mix in the process id. */
function workerSampler(o: WorkerOptions): Promise<sg.tune.Sampler> {
  const own = (o.seed * 1_000_003 + process.pid) >>> 0;
  return makeSampler(o.sampler, { shared: o.seed, own }, () => readGrid(o)).catch((e: unknown) => {
    if (o.sampler !== 'grid' || e instanceof CliError) throw e;
    throw new CliError(`--grid ${o.grid}: ${(e as Error).message}`);
  });
}

/** Runs the worker; returns the exit code. */
export async function runWorker(o: WorkerOptions): Promise<number> {
  if (o.trials === undefined && o.timeout === undefined && o.sampler !== 'grid') {
    throw new CliError('give --trials or --timeout (or a --sampler grid, which ends by itself)');
  }
  const target = objectiveSpec(o.objective);
  // Refuse to start on a missing module before touching the storage (a module that fails to load
  // or lacks the export is refused by optimize: ObjectiveModuleError, exit 2 as well).
  if (target.module.startsWith('file:')) {
    await access(fileURLToPath(target.module)).catch(() => {
      throw new CliError(`--objective ${o.objective}: no such file ${fileURLToPath(target.module)}`);
    });
  }
  const storage = await sg.tune.openStorage(o.storage, {
    heartbeatInterval: o.heartbeatInterval, ...(o.gracePeriod !== undefined ? { gracePeriod: o.gracePeriod } : {}), maxRetry: o.maxRetry,
  });
  let signal: string | undefined;
  const onSignal = (s: string) => { signal ??= s; };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const existing = await storage.loadStudy(o.study);
    const direction = o.direction as sg.tune.Direction;
    const study = await sg.tune.createStudy({
      storage, studyName: o.study, loadIfExists: true, sampler: await workerSampler(o), logger: false, // stdout has each trial's reason
      ...(existing ? { directions: existing.directions } : { direction }),
    });
    let done = 0;
    const t0 = performance.now();
    const callbacks = [(_s: sg.tune.Study, t: sg.tune.FrozenTrial) => {
      done++;
      process.stdout.write(`trial ${t.number} ${t.state} ${t.values ? t.values.join(',') : t.failReason ?? ''}\n`);
    }];
    if (!signal) await study.optimize(target, {
      nTrials: o.trials ?? Infinity, ...(o.timeout !== undefined ? { timeout: o.timeout } : o.trials === undefined ? { timeout: 1e9 } : {}),
      concurrency: o.concurrency, callbacks, handleSigterm: true,
      ...(o.trialTimeout !== undefined ? { trialTimeout: o.trialTimeout } : {}),
    });
    process.stderr.write(`simdgrad worker ${process.pid}: ${done} trials of study '${o.study}' in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      `${signal ? ` (stopped by ${signal})` : ''}\n`);
    return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await storage.close?.();
  }
}
